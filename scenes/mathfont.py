"""The lecture font's Latin glyphs as a small font file TeX can set digits with (issue 18:
one typographic voice).

The formulas take their digits from the lecture's font (``theme.FONT``, Noto Sans CJK KR) so
that "y₁ = 1" in a formula and "0.8639" in a readout are one typeface. TeX cannot use that
font directly: LuaLaTeX sets it well, but dvisvgm (DVI to SVG, the step manim's MathTex needs
for its parts) draws the glyphs of a CJK collection font a third of an em below the baseline
(it places them by the font's vertical-writing origins, table VORG). A subset of the font's
printable ASCII without the vertical tables draws right. It is made once per machine with
fontTools from the installed font, into the user's cache (the font is not shipped).
Its name does not change with the font's version: the TeX cache keys (the template's text)
stay those of the machine.
"""

from __future__ import annotations

import os
import shutil
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
    """A font file with ``family``'s printable ASCII and no vertical-writing tables, in ``cache``
    (default the user's ``~/.cache/nll-lecture/fonts``), made when missing or when fontconfig
    finds another source file than the one it was made from (a ``.source`` note beside it).
    Without fontconfig (no ``fc-match`` on the PATH) a subset made before is used as it is.
    None when the family is not installed or the file cannot be written."""
    folder = cache or _cache_dir()
    target = folder / f"{family.replace(' ', '')}-Latin.otf"
    note = folder / f"{target.name}.source"
    found = font_file(family)
    if found is None:
        return target if target.exists() and shutil.which("fc-match") is None else None
    source, index = found
    try:
        stat = source.stat()
        made_from = f"{source}\n{index}\n{stat.st_size}\n{stat.st_mtime_ns}\n"
        if target.exists() and note.exists() and note.read_text(encoding="utf-8") == made_from:
            return target
    except OSError:
        return None
    from fontTools import subset
    from fontTools.ttLib import TTFont

    tmp = folder / f".{target.name}.{os.getpid()}.tmp"
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
        font.save(str(tmp))
        os.replace(tmp, target)
        tmp.write_text(made_from, encoding="utf-8")
        os.replace(tmp, note)
    except OSError:
        tmp.unlink(missing_ok=True)
        return None
    return target
