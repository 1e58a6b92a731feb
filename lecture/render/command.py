"""`nll-lecture render`: arguments, and the hand-off to the pipeline (lecture/render/pipeline.py)."""

from __future__ import annotations

import argparse

from .options import QUALITY_PRESETS, RenderOptions, default_jobs

__all__ = ["QUALITY_PRESETS", "add_render_arguments", "options_from_args", "run_render"]


def add_render_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="FILE", help="data file (TOML); default: the deck's data")
    parser.add_argument("--lang", choices=("ko", "en"), default="ko", help="language (default ko)")
    parser.add_argument("--quality", choices=tuple(QUALITY_PRESETS), default="high",
                        help="preview 480p15, medium 720p30, high 1080p60 (default), 4k 2160p60")
    parser.add_argument("--scene", dest="scenes", action="append", metavar="ID",
                        help="render only this scene (repeatable); default: all, in order")
    parser.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                        help="scenes rendered at once (default: the number of cores)")
    parser.add_argument("--out", default="out", metavar="DIR", help="output folder (default out/)")
    parser.add_argument("--strict", action="store_true",
                        help="the pre-publish check's findings are errors: exit 1, output folder unchanged")
    parser.add_argument("--cluster", metavar="tcp://HOST:PORT",
                        help="render the scenes on this Dask scheduler's workers (default: local processes)")
    parser.add_argument("--base-url", metavar="URL",
                        help="where OUT will be served (http:// or https://): the embed snippets in manifest.json "
                             "and index.html name absolute URLs under it (default: paths relative to OUT)")
    from ..voice import add_voice_arguments

    add_voice_arguments(parser)  # --voice SOURCE, --voice-fallback espeak|none


def options_from_args(args: argparse.Namespace) -> RenderOptions:
    """The parsed options (RenderFailure, exit 2, for a bad quality, voice or OUT)."""
    return RenderOptions.parse(
        out=args.out,
        data=args.data,
        lang=args.lang,
        quality=args.quality,
        scenes=args.scenes or (),
        jobs=args.jobs,
        voice=getattr(args, "voice", None) or "none",
        voice_fallback=getattr(args, "voice_fallback", None),
        strict=bool(getattr(args, "strict", False)),
        cluster=getattr(args, "cluster", None),
        base_url=getattr(args, "base_url", None),
    )


def run_render(args: argparse.Namespace) -> int:
    from .pipeline import run

    return run(options_from_args(args))
