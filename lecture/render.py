"""`nll-lecture render`: arguments. The pipeline itself is being written (issue 4)."""

from __future__ import annotations

import argparse
import os

QUALITY_PRESETS = {
    "preview": (854, 480, 15),
    "medium": (1280, 720, 30),
    "high": (1920, 1080, 60),
    "4k": (3840, 2160, 60),
}


def add_render_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="FILE", help="data file (TOML); default: the deck's data")
    parser.add_argument("--lang", choices=("ko", "en"), default="ko", help="language (default ko)")
    parser.add_argument("--quality", choices=tuple(QUALITY_PRESETS), default="high",
                        help="preview 480p15, medium 720p30, high 1080p60 (default), 4k 2160p60")
    parser.add_argument("--scene", dest="scenes", action="append", metavar="ID",
                        help="render only this scene (repeatable); default: all, in order")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="scenes rendered at once (default: the number of cores)")
    parser.add_argument("--out", default="out", metavar="DIR", help="output folder (default out/)")


def run_render(args: argparse.Namespace) -> int:
    raise NotImplementedError("the render pipeline is not written yet")
