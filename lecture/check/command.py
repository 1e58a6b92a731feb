"""``nll-lecture check OUT [--strict]``: exit 0 clean, 1 with one line per finding, 2 when
OUT cannot be checked."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_BAD_INPUT

__all__ = ["add_check_arguments", "check_main"]


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", metavar="OUT", help="a folder nll-lecture render published")
    parser.add_argument("--strict", action="store_true", help="warnings (a voiced cue read too fast) count as findings")


def check_main(args: argparse.Namespace) -> int:
    from .gate import CheckError, CheckOptions, check_folder, format_finding

    try:
        findings = check_folder(Path(args.out), CheckOptions(strict=args.strict))
    except CheckError as err:
        print(f"error: {err}", file=sys.stderr, flush=True)
        return EXIT_BAD_INPUT
    for finding in findings:
        print(format_finding(finding, args.strict))
    errors = [f for f in findings if args.strict or f.level == "error"]
    print(f"check: {len(errors)} finding(s)" + (f", {len(findings) - len(errors)} warning(s)" if len(findings) > len(errors) else "")
          + f" in {args.out}", file=sys.stderr, flush=True)
    return 1 if errors else 0
