"""`nll-lecture`: wires subcommands to the modules that do the work."""

from __future__ import annotations

import argparse
import json
import sys

# mathcore (numpy, scipy: ~0.7 s) is imported by the commands that need it, so that
# `nll-lecture render` with nothing to do stays well under a second.


def _fail(message: str, status: int = 2) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def _cmd_template(args: argparse.Namespace) -> int:
    from mathcore import default_data_text

    sys.stdout.write(default_data_text())
    return 0


def _cmd_compute(args: argparse.Namespace) -> int:
    from mathcore import lecture_results, load_data

    from .report import format_results

    data = load_data(args.data)
    results = lecture_results(data)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print(format_results(data, results))
    return 0


def _cmd_scenes(args: argparse.Namespace) -> int:
    from scenes import SCENES_IN_ORDER, scene_title

    for spec in SCENES_IN_ORDER:
        print(f"{spec.index:2d}  {spec.id:<22} {spec.scene_class:<24} {scene_title(spec.id, args.lang)}")
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    from .render import run_render

    return run_render(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nll-lecture",
        description="Render the lecture 'Negative Log Likelihood for NLP' as video, in Korean or English.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    template = sub.add_parser("template", help="print the default data file, a comment on each key")
    template.set_defaults(run=_cmd_template)

    compute = sub.add_parser("compute", help="validate a data file and print every number the scenes show")
    compute.add_argument("--data", metavar="FILE", help="data file (TOML); default: the deck's data")
    compute.add_argument("--json", action="store_true", help="print JSON instead of a table")
    compute.set_defaults(run=_cmd_compute)

    scenes = sub.add_parser("scenes", help="list the scenes in lecture order")
    scenes.add_argument("--lang", choices=("ko", "en"), default="ko", help="language of the titles (default ko)")
    scenes.set_defaults(run=_cmd_scenes)

    from .voice.script import add_script_arguments, script_main
    script = sub.add_parser("script", help="print the narration script: every beat's id, text and silent duration")
    add_script_arguments(script); script.set_defaults(run=script_main)

    from .render import add_render_arguments

    render = sub.add_parser("render", help="render scenes and publish the lecture into an output folder")
    add_render_arguments(render)
    render.set_defaults(run=_cmd_render)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except Exception as err:
        datafile = sys.modules.get("mathcore.datafile")  # imported if a command loaded data
        if datafile is not None and isinstance(err, datafile.DataError):
            return _fail(str(err))
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
