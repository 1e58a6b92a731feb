"""Atomic file helpers for the staging tree: files are put in place whole (rename) and never
written through a hard link to the previous OUT.

Files put in the tree get the mode of a new file (0666 less the umask: 0644 usually) and,
in a setgid folder, that folder's group, as if they had been created there.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

__all__ = ["link_or_copy", "replace_file", "write_text", "new_file_mode"]


def new_file_mode() -> int:
    """0666 less this process's umask (read without changing it where Linux tells it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _as_if_created_here(path: Path) -> None:
    """Give a file moved into the tree the mode and (setgid folder) group a new file gets."""
    st = os.lstat(path)
    if stat.S_IMODE(st.st_mode) != new_file_mode():
        os.chmod(path, new_file_mode())
    folder = os.stat(path.parent)
    if folder.st_mode & stat.S_ISGID and st.st_gid != folder.st_gid:
        try:
            os.chown(path, -1, folder.st_gid)
        except OSError:  # not a member of that group: the file keeps its own
            pass


def link_or_copy(src: Path, dst: Path) -> None:
    """Put ``src``'s bytes at ``dst`` without copying when possible (hard link)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)  # a link is copied as a link, never followed


def replace_file(src: Path, dst: Path) -> None:
    """Move a finished file into the staging tree (never writing through a hard link).

    The tree is on OUT's file system, the worker's files may not be (OUT a mount point):
    then the file is copied to a temporary name beside ``dst`` and renamed into place.
    """
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dst)
    except OSError as err:
        if err.errno != 18:  # EXDEV
            raise
        tmp = dst.with_name(f".{dst.name}.tmp")
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, dst)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        os.unlink(src)
    _as_if_created_here(dst)


def write_text(path: Path, text: str) -> None:
    """Write a new file at ``path`` (unlinking first: ``path`` may be a link to OUT's file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
