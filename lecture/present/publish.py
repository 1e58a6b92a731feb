"""What the publisher writes for presenting: ``present.html`` and ``handout.pdf``.

Called once from lecture/publish/assemble.py with the staging tree and the manifest; returns
the files written, relative to OUT. Each is a new file (never written through a hard link
to the previous OUT's).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from ..publish.files import replace_file, write_text
from . import handout, page

__all__ = ["FILES", "manifest_fields", "publish"]

FILES = (page.PRESENT_PAGE, handout.HANDOUT)


def publish(tree: Path, manifest: Mapping[str, Any]) -> list[str]:
    """Write the presentation files for ``manifest`` into ``tree``; the names written."""
    write_text(tree / page.PRESENT_PAGE, page.build(manifest))
    tmp = tree / f".{handout.HANDOUT}.new"
    try:
        handout.build(tree, manifest, tmp)
        replace_file(tmp, tree / handout.HANDOUT)
    finally:
        if tmp.exists():
            os.unlink(tmp)
    return list(FILES)


def manifest_fields() -> dict[str, str]:
    """The ``lecture`` entries of manifest.json naming these files."""
    return {"present": page.PRESENT_PAGE, "handout": handout.HANDOUT}
