"""What the publisher writes for presenting: ``present.html`` (and the handout).

Called once from lecture/publish/assemble.py with the staging tree and the manifest; returns
the files written, relative to OUT.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ..publish.files import write_text
from . import page

__all__ = ["FILES", "manifest_fields", "publish"]

FILES = (page.PRESENT_PAGE,)


def publish(tree: Path, manifest: Mapping[str, Any]) -> list[str]:
    """Write the presentation files for ``manifest`` into ``tree``; the names written."""
    write_text(tree / page.PRESENT_PAGE, page.build(manifest))
    return [page.PRESENT_PAGE]


def manifest_fields() -> dict[str, str]:
    """The ``lecture`` entries of manifest.json naming these files."""
    return {"present": page.PRESENT_PAGE}
