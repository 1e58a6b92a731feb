"""The render's last step: the next output folder assembled in a stage inside OUT, the
pre-publish gate on it, and the swap into place with Ctrl-C and SIGTERM held off, all owned
entries or (on any error) none. An error while publishing is one line, its traceback in a
log (:func:`publish_failure`).
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

from ..publish import outdir
from .options import EXIT_FAILED, RenderFailure, RenderOptions, SceneFailed
from .progress import Progress

__all__ = ["block_signals", "gate", "publish_failure", "publish_run", "unblock_signals"]


def publish_run(out: Path, run_dir: Path, ctx: Any, previous: Any, rendered: dict[str, Any],
                options: RenderOptions, progress: Progress, anything_new: bool = True) -> dict[str, Any] | None:
    """Publish the run into OUT; return its manifest, or None when nothing was rendered
    (``anything_new`` false) and the assembled folder is what OUT holds already."""
    from ..publish import assemble as publish

    # The stage (inside OUT, on its file system) exists only while publishing: a render
    # stopped before this point has not touched OUT at all.
    stage = None
    try:
        stage = outdir.new_stage(out, run_dir)
        publish.seed_tree(out, stage.tree)
        manifest = publish.assemble(stage.tree, run_dir / "work", ctx, previous, rendered)
        if not anything_new and publish.same_files(stage.tree, out):
            return None
        gate(stage.tree, options, progress)  # the staged output, before it replaces OUT
        blocked = block_signals()
        try:
            outdir.swap_into_place(stage.tree, out)  # all owned entries, or (on error) none
        finally:
            unblock_signals(blocked)
        return manifest
    except RenderFailure:
        raise
    except Exception as err:  # a media or file error: say so in one line, details in a log
        raise publish_failure(err, out, run_dir) from err
    finally:
        if stage is not None:
            stage.drop()


def gate(tree: Path, options: RenderOptions, progress: Progress) -> None:
    """The pre-publish gate on the staged output: findings are warnings, or with
    ``--strict`` errors that stop the render before the swap (OUT stays as it was)."""
    from ..check import CheckOptions, check_folder

    started = time.monotonic()
    findings = check_folder(tree, CheckOptions(strict=options.strict))
    for finding in findings:
        progress.note(finding.line() if options.strict else f"warning: {finding.line()}")
    errors = [f for f in findings if options.strict or f.level == "error"]
    progress.note(f"check: {len(errors)} finding(s) in {time.monotonic() - started:.1f} s"
                  + ("" if options.strict or not errors else " (warnings; --strict makes them errors)"))
    if options.strict and errors:
        raise RenderFailure(f"check: {len(errors)} finding(s) (--strict); the output folder was left as it was",
                            EXIT_FAILED)


def publish_failure(err: Exception, out: Path, run_dir: Path) -> SceneFailed:
    """One line for an error while publishing; the traceback goes to a log, best effort (the
    disk may be full: then the line names no log)."""
    import traceback

    log = run_dir / "logs" / "publish.log"
    try:
        log.write_text(traceback.format_exc(), encoding="utf-8")
        where = f"; log: {log}"
    except OSError:
        where = ""
    if isinstance(err, OSError) and err.strerror:
        what = f"{err.strerror}" + (f": {err.filename}" if err.filename else "")
        return SceneFailed(f"publishing into {out} failed: {what}; the output folder was left as it was{where}",
                           EXIT_FAILED)
    return SceneFailed(f"publishing failed: {type(err).__name__}: {err}{where}", EXIT_FAILED)


def block_signals():
    try:
        return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    except (AttributeError, ValueError):
        return None


def unblock_signals(previous) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
