"""`nll-lecture`: wires subcommands to the modules that do the work."""

from __future__ import annotations

import argparse
import errno
import io
import json
import os
import sys

from .errors import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, LectureError

# mathcore (numpy, scipy: ~0.7 s) is imported by the commands that need it, so that
# `nll-lecture render` with nothing to do stays well under a second.


def _fail(message: str, status: int = EXIT_BAD_INPUT) -> int:
    try:
        print(f"error: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr closed or full: the status still tells
        pass
    return status


def _cmd_template(args: argparse.Namespace) -> int:
    from mathcore import default_data_text

    sys.stdout.write(default_data_text())
    return 0


def _cmd_compute(args: argparse.Namespace) -> int:
    from mathcore import lecture_results, load_data, story_hint

    from .report import format_results, without_negative_zero

    data = load_data(args.data)
    results = without_negative_zero(lecture_results(data, args.lang))
    hint = story_hint(data)  # other data and no story: say which keys tell it
    if hint:
        print(hint, file=sys.stderr, flush=True)
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
    from .render.command import run_render

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
    compute.add_argument("--lang", choices=("ko", "en"), default="ko",
                         help="language of the NLP example's words when the data file leaves them out (default ko)")
    compute.set_defaults(run=_cmd_compute)

    scenes = sub.add_parser("scenes", help="list the scenes in lecture order")
    scenes.add_argument("--lang", choices=("ko", "en"), default="ko", help="language of the titles (default ko)")
    scenes.set_defaults(run=_cmd_scenes)

    from .voice.script import add_script_arguments, script_main
    script = sub.add_parser("script", help="print the narration script: every beat's id, text and silent duration")
    add_script_arguments(script); script.set_defaults(run=script_main)

    from .voice.record import add_record_arguments, record_main
    record = sub.add_parser("record", help="serve a page on 127.0.0.1 to record the narration, beat by beat")
    add_record_arguments(record); record.set_defaults(run=record_main)

    from .check import add_check_arguments, check_main
    check = sub.add_parser("check", help="the pre-publish gate: captions, layout, stillness, numbers, video of OUT")
    add_check_arguments(check); check.set_defaults(run=check_main)

    from .present.slides import add_export_arguments, export_main
    export = sub.add_parser("export", help="export the published lecture: slides (manim-slides: present, HTML, PPTX)")
    add_export_arguments(export); export.set_defaults(run=export_main)

    from .render.command import add_render_arguments

    render = sub.add_parser("render", help="render scenes and publish the lecture into an output folder")
    add_render_arguments(render)
    render.set_defaults(run=_cmd_render)

    from .package import add_package_arguments, package_main
    package = sub.add_parser("package", help="package a published OUT for an LMS: SCORM 1.2/2004, Common Cartridge, H5P")
    add_package_arguments(package); package.set_defaults(run=package_main)

    from .batch import add_batch_arguments, batch_main
    batch = sub.add_parser("batch", help="render the variants of a plan (TOML) into DIR/<name>/, shared scenes once")
    add_batch_arguments(batch); batch.set_defaults(run=batch_main)
    return parser


def _safe_std_streams() -> None:
    """Closed descriptors 0-2 point at /dev/null (so no file we open becomes "stderr"), and
    text that the terminal's encoding cannot show is escaped (\\uXXXX), never an error."""
    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    for name, fd in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, name)
        if fd in closed or stream is None:  # Python started with that descriptor closed
            # stdout: what a command prints fails as on a closed descriptor (one error line);
            # stderr: messages are lost, the exit status still tells
            setattr(sys, name, _ClosedOutput() if fd == 1 else open(os.devnull, "w", encoding="utf-8"))
            continue
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass


class _ClosedOutput(io.TextIOBase):
    """Standard output that was closed when the program started."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def _quiet_exit_flush() -> None:
    """Flush stdout/stderr now; if one cannot be written (full, closed), drop what it holds so
    that the interpreter's own flush at exit prints no traceback either."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            stream.flush()
        except (OSError, ValueError):
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
            try:  # what stayed in the failed stream's buffer is lost; it must not be retried
                os.dup2(getattr(sys, name).fileno(), 1 if name == "stdout" else 2)
            except OSError:
                pass


def main(argv: list[str] | None = None) -> int:
    """Exit status: 0 done; 1 a render failed (a scene, publishing, an I/O error; standard
    output not writable); 2 bad input (data file, options, --out); 130 Ctrl-C; 143 SIGTERM."""
    _safe_std_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = args.run(args)
        sys.stdout.flush()
    except LectureError as err:  # any capability's error: its one line and its status
        status = _fail(str(err), err.exit_status)
    except KeyboardInterrupt:
        status = _fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        status = EXIT_OK
    except OSError as err:  # e.g. standard output full: one line, no traceback
        if err.filename is None and err.errno in (errno.ENOSPC, errno.EIO, errno.EBADF):
            status = _fail(f"cannot write to standard output: {err.strerror}", EXIT_FAILED)
        else:
            status = _fail(f"{err.strerror or err}" + (f": {err.filename}" if err.filename else ""), EXIT_FAILED)
    except Exception as err:
        datafile = sys.modules.get("mathcore.datafile")  # imported if a command loaded data
        if datafile is not None and isinstance(err, datafile.DataError):
            status = _fail(str(err))
        else:
            raise
    _quiet_exit_flush()
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
