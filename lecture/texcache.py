"""TeX SVGs shared between manim runs: manim names each SVG by a hash of its TeX source and
template, so a folder of them is a content-addressed cache. A run's own TeX folder is seeded
from the cache with hard links and its new SVGs are added back file by file (atomically), so
concurrent runs never see a half-written SVG.

Used by the render worker (the cache beside OUT, then the user's) and by ``nll-lecture
script``'s beat collection (the user's, :func:`user_cache`): with LuaLaTeX a formula costs
about 3 CPU-s, and a fresh OUT or a script run builds every formula of the lecture.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["SVG_FORM", "seed", "share", "user_cache"]

# The SVGs are kept in a subfolder per form of SVG: manim patch 7 draws every glyph as its
# own path (dvisvgm --no-fonts=1) so a formula's SVG is the same bytes alone or in a batch
# (lecture/texbatch.py); SVGs of the earlier form (glyphs shared through <use>) are never
# mixed in.
SVG_FORM = "paths-1"


def user_cache() -> Path:
    """``$XDG_CACHE_HOME/nll-lecture/tex`` (default ``~/.cache/nll-lecture/tex``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nll-lecture" / "tex"


def seed(cache: Path | None, tex_dir: Path) -> set[str]:
    """Start ``tex_dir`` with the SVGs in ``cache`` (its :data:`SVG_FORM` folder); return
    the names seeded."""
    tex_dir.mkdir(parents=True, exist_ok=True)
    if cache is None or not (cache / SVG_FORM).is_dir():
        return set()
    cache = cache / SVG_FORM
    seeded = set()
    for svg in cache.glob("*.svg"):
        if (tex_dir / svg.name).exists():  # seeded already (from another cache): never written over
            seeded.add(svg.name)
            continue
        try:
            os.link(svg, tex_dir / svg.name)
        except OSError:
            try:  # another file system: a copy
                shutil.copyfile(svg, tex_dir / svg.name)
            except OSError:
                continue
        seeded.add(svg.name)
    return seeded


def share(cache: Path | None, tex_dir: Path, seeded: set[str]) -> None:
    """Add the new SVGs of ``tex_dir`` to ``cache``'s :data:`SVG_FORM` folder (atomically,
    file by file)."""
    if cache is None:
        return
    cache = cache / SVG_FORM
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    for svg in tex_dir.glob("*.svg"):
        if svg.name in seeded or (cache / svg.name).exists():
            continue
        tmp = cache / f".{svg.name}.{os.getpid()}.tmp"
        try:
            shutil.copyfile(svg, tmp)
            os.replace(tmp, cache / svg.name)
        except OSError:
            tmp.unlink(missing_ok=True)
