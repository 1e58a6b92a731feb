"""The lecture font's Latin subset that formulas take their digits from (scenes/mathfont.py,
issue 18 §3). Fast: fontTools only, no TeX."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from scenes import mathfont, theme


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The subset, made once for the module (reading the CJK collection takes a while)."""
    folder = tmp_path_factory.mktemp("fonts")
    return mathfont.latin_subset(theme.FONT, cache=folder)


def _outline(font: TTFont, char: str) -> list:
    glyphs = font.getGlyphSet()
    pen = RecordingPen()
    glyphs[font.getBestCmap()[ord(char)]].draw(pen)
    return [(op, tuple(args)) for op, args in pen.value]


def test_the_subset_has_the_lecture_fonts_digits_and_no_vertical_tables(made) -> None:
    """dvisvgm drew the CJK collection's glyphs a third of an em low (vertical-writing origins):
    the subset keeps the font's own outlines and advances and drops the vertical tables."""
    assert made is not None and made.name == "NotoSansCJKKR-Latin.otf"
    source_file, index = mathfont.font_file(theme.FONT)
    source = TTFont(str(source_file), fontNumber=index)
    subset = TTFont(str(made))
    assert source["name"].getDebugName(1) == theme.FONT
    assert not any(table in subset for table in mathfont.VERTICAL_TABLES)
    for char in "0123456789.x":
        assert _outline(subset, char) == _outline(source, char), char
        assert subset["hmtx"][subset.getBestCmap()[ord(char)]][0] == source["hmtx"][source.getBestCmap()[ord(char)]][0]
    assert not any(0xAC00 <= code <= 0xD7A3 for code in subset.getBestCmap())  # no Hangul: small


def test_the_subset_is_made_once(made) -> None:
    stamp = made.stat().st_mtime_ns
    assert mathfont.latin_subset(theme.FONT, cache=made.parent) == made and made.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name, f"{made.name}.source"]  # no temporary file


def test_without_fontconfig_a_subset_made_before_is_used(made, monkeypatch) -> None:
    """The script's beats run with no TeX (and no fc-match) on the PATH, from the TeX cache:
    the template (its text is the cache key) must name the same file as when it was made."""
    monkeypatch.setenv("PATH", str(made.parent / "no-bin"))
    assert mathfont.font_file(theme.FONT) is None
    assert mathfont.latin_subset(theme.FONT, cache=made.parent) == made


def test_a_family_fontconfig_lacks_gives_no_subset(tmp_path) -> None:
    """fc-match answers any name with some font: only the family asked for counts."""
    assert mathfont.font_file("No Such Family Anywhere") is None
    assert mathfont.latin_subset("No Such Family Anywhere", cache=tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_the_template_sets_digits_from_the_subset() -> None:
    assert theme.MATH_LATIN_FILE is not None
    assert theme.MATH_LATIN_FILE.name in theme.TEX_PREAMBLE and "range={up/num" in theme.TEX_PREAMBLE


SPAWNS = """
import subprocess
spawned = []
real = subprocess.Popen.__init__
def init(self, args, *rest, **kwargs):
    spawned.append(args if isinstance(args, str) else args[0])
    return real(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = init
import scenes.theme, scenes.typography, scenes.base
print("import:", spawned)
from scenes import theme
theme.TEX_TEMPLATE
print("use:", spawned)
"""


def test_importing_the_theme_runs_no_subprocess() -> None:
    """Font discovery (fc-match, fontTools) ran when scenes.theme was imported; it runs when
    the TeX template is first used (typography.install, a MathTex)."""
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", SPAWNS], cwd=root, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "HOME": str(Path.home())},
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "import: []" in result.stdout
    assert "use: ['fc-match']" in result.stdout  # the same discovery, on first use


def test_the_template_is_made_once_and_is_typographys() -> None:
    from scenes import typography

    assert theme.TEX_TEMPLATE is theme.tex_template() is typography.TEX_TEMPLATE
    assert theme.TEX_TEMPLATE.preamble == theme.TEX_PREAMBLE
