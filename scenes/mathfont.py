"""The lecture font's Latin glyphs as a small font file TeX can set digits with (issue 18:
one typographic voice).

The formulas take their digits from the lecture's font (``theme.FONT``, Noto Sans CJK KR) so
that "y₁ = 1" in a formula and "0.8639" in a readout are one typeface. TeX cannot use that
font directly: LuaLaTeX sets it well, but dvisvgm (DVI to SVG, the step manim's MathTex needs
for its parts) draws the glyphs of a CJK collection font a third of an em below the baseline
(it places them by the font's vertical-writing origins, table VORG). A subset of the font's
printable ASCII without the vertical tables draws right. It is made once per machine with
fontTools from the installed font, into the user's cache (the font is not shipped).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

__all__ = ["latin_subset", "font_file"]

LATIN = range(0x20, 0x7F)  # printable ASCII: digits, ".", and Latin letters
VERTICAL_TABLES = ("VORG", "vhea", "vmtx")


def font_file(family: str) -> tuple[Path, int] | None:
    """(file, index in a collection) of ``family``'s regular face as fontconfig finds it, or
    None when fontconfig does not have the family (or is missing)."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{family}\n%{file}\n%{index}", f"{family}:style=Regular"],
                               capture_output=True, text=True, timeout=30, check=True).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(found) < 3 or family not in found[0].split(","):
        return None
    return Path(found[1]), int(found[2] or 0)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nll-lecture" / "fonts"


def latin_subset(family: str, cache: Path | None = None) -> Path | None:
    """A font file with ``family``'s printable ASCII and no vertical-writing tables, made once
    (named by the source file's content and face) in ``cache`` (default the user's
    ``~/.cache/nll-lecture/fonts``); None when the family is not installed or the file cannot
    be written."""
    found = font_file(family)
    if found is None:
        return None
    source, index = found
    try:
        digest = hashlib.sha256(f"{source.stat().st_size}:{source.stat().st_mtime_ns}:{index}:{family}".encode())
    except OSError:
        return None
    folder = cache or _cache_dir()
    target = folder / f"{family.replace(' ', '')}-Latin-{digest.hexdigest()[:12]}.otf"
    if target.exists():
        return target
    from fontTools import subset
    from fontTools.ttLib import TTFont

    try:
        folder.mkdir(parents=True, exist_ok=True)
        font = TTFont(str(source), fontNumber=index, lazy=False)
        options = subset.Options()
        options.drop_tables += list(VERTICAL_TABLES)
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=LATIN)
        subsetter.subset(font)
        tmp = folder / f".{target.name}.{os.getpid()}.tmp"
        font.save(str(tmp))
        os.replace(tmp, target)
    except OSError:
        return None
    return target
