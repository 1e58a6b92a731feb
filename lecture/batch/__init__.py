"""``nll-lecture batch PLAN.toml --out DIR``: render many variants (data, language,
quality, voice) into DIR/<name>/, a scene shared by several variants rendered once.

Entry point: :func:`run_batch` with :class:`BatchOptions`; the plan file's rules are in
lecture/batch/plan.py (:func:`load_plan`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .plan import Plan, Variant, load_plan
from .run import BatchOptions, Outcome, format_table, run_batch

__all__ = ["BatchOptions", "Outcome", "Plan", "Variant", "add_batch_arguments", "batch_main", "format_table",
           "load_plan", "run_batch"]


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    from ..render.pipeline import default_jobs

    parser.add_argument("plan", metavar="PLAN.toml", help="the variants: [[variant]] tables (name, data, lang, "
                                                          "quality, voice, scenes)")
    parser.add_argument("--out", required=True, metavar="DIR", help="each variant is published into DIR/<name>/")
    parser.add_argument("--cluster", metavar="tcp://HOST:PORT",
                        help="render on this Dask scheduler's workers (default: processes of this machine)")
    parser.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                        help="without --cluster: scenes rendered at once (default: the number of cores)")
    parser.add_argument("--allow-commands", action="store_true",
                        help="let the plan's variants use command: voices (each runs a shell command)")


def batch_main(args: argparse.Namespace) -> int:
    return run_batch(BatchOptions(plan=Path(args.plan), out=Path(args.out), cluster=args.cluster, jobs=args.jobs,
                                  allow_commands=args.allow_commands))
