"""Atomic file helpers for the staging tree: files are put in place whole (rename) and never
written through a hard link to the previous OUT."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["link_or_copy", "replace_file", "write_text"]


def link_or_copy(src: Path, dst: Path) -> None:
    """Put ``src``'s bytes at ``dst`` without copying when possible (hard link)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def replace_file(src: Path, dst: Path) -> None:
    """Move a finished file into the staging tree (never writing through a hard link)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)


def write_text(path: Path, text: str) -> None:
    """Write a new file at ``path`` (unlinking first: ``path`` may be a link to OUT's file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
