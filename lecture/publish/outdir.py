"""The output folder: its lock, staging area and atomic swap.

Beside OUT lives a hidden work area ``.<name>.render/`` holding
  - ``lock``: an ``fcntl.flock`` lock, so two renders into one OUT never interleave (the
    kernel releases it when the holding process dies, however it dies);
  - ``run-<pid>-<token>/``: one render's staging area: ``tree/`` (the next OUT, built in
    full), ``work/`` (per-scene manim media) and ``logs/``.
OUT is replaced by ``tree/`` in one atomic ``renameat2(RENAME_EXCHANGE)`` once every step
succeeded. A run that died leaves only its run folder, which the next run removes (after
putting OUT back if the process died between the two renames of the fallback swap).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class LockBusy(RuntimeError):
    """Another render holds the output folder's lock (only when not waiting)."""


def work_area(out: Path) -> Path:
    """The hidden folder beside OUT that holds the lock and staging runs."""
    return out.parent / f".{out.name}.render"


@contextmanager
def locked(out: Path, on_wait: Callable[[str], None] | None = None, wait: bool = True) -> Iterator[Path]:
    """Hold OUT's lock for the block; waits (telling ``on_wait`` why) if another render has it."""
    area = work_area(out)
    area.mkdir(parents=True, exist_ok=True)
    fd = os.open(area / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            message = f"another nll-lecture render is writing into {out} (pid {holder})"
            if not wait:
                raise LockBusy(message) from None
            if on_wait:
                on_wait(f"{message}; waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield area
    finally:
        os.close(fd)


def clean_stale_runs(out: Path) -> None:
    """Remove what earlier, dead runs left (call with the lock held).

    If a run died between the two renames of the fallback swap, OUT is missing and the run's
    ``old/`` folder holds it: it is put back first.
    """
    area = work_area(out)
    for run in sorted(area.glob("run-*")):
        old = run / "old"
        if not out.exists() and old.is_dir() and not (run / "swapped").exists():
            os.rename(old, out)
        shutil.rmtree(run, ignore_errors=True)


def new_run(out: Path) -> Path:
    """A fresh staging folder for this run (inside the work area, on OUT's file system)."""
    run = work_area(out) / f"run-{os.getpid()}-{secrets.token_hex(4)}"
    for sub in ("tree", "work", "logs"):
        (run / sub).mkdir(parents=True)
    return run


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False if the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(a))


def swap_into_place(tree: Path, out: Path) -> None:
    """Make ``tree`` the new OUT in one step; the previous OUT ends up at ``tree``'s place's
    sibling ``old`` (removed by the caller with the run folder)."""
    old = tree.parent / "old"
    done = tree.parent / "swapped"
    if not out.exists():
        os.rename(tree, out)
    elif _exchange(tree, out):
        os.rename(tree, old)  # tree now holds the previous OUT
    else:
        os.rename(out, old)  # fallback: two renames; clean_stale_runs repairs a death in between
        os.rename(tree, out)
    done.touch()
