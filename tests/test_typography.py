"""One typographic voice (issue 18 §3): every formula from the theme's one TeX template (sans
maths as heavy as the lecture's font), superscripts from one font, no stray space where TeX
meets the lecture's font, TeX and sans digits of one height.

Fast: no scene is rendered; a few mobjects are built (LuaLaTeX compiles each formula once
per test worker) and measured.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.usefixtures("manim_config")  # a media folder per worker
ROOT = Path(__file__).resolve().parents[1]
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@lru_cache(maxsize=1)
def _font_characters() -> frozenset[int]:
    """The code points the lecture's font (theme.FONT, Noto Sans CJK KR) has glyphs for."""
    from fontTools.ttLib import TTCollection

    from scenes import theme

    for font in TTCollection(str(NOTO)).fonts:
        if font["name"].getDebugName(1) == theme.FONT:
            return frozenset(font.getBestCmap())
    raise AssertionError(f"{theme.FONT} not in {NOTO}")


def _pango_characters(mob) -> str:
    """The characters a Text or MarkupText asks Pango to draw (markup removed)."""
    text = mob.original_text
    if type(mob).__name__ == "MarkupText":
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return text


def _from_other_fonts(mob) -> list[str]:
    """Characters of ``mob``'s Pango texts that the lecture's font lacks (Pango would take
    them from another font)."""
    from manim import MarkupText, Text

    texts = [m for m in mob.get_family() if isinstance(m, (Text, MarkupText))]
    assert texts, f"no Pango text in {mob!r}"
    return [ch for t in texts for ch in _pango_characters(t) if not ch.isspace() and ord(ch) not in _font_characters()]


# Superscripts from one font ------------------------------------------------------------
@pytest.mark.parametrize("exponent", [-30, -5, 12, 7, -1])
def test_times_ten_takes_every_glyph_from_the_lecture_font(exponent) -> None:
    """Noto Sans CJK has ¹²³⁴ but not ⁰ ⁵-⁹ ⁻: "× 10⁻³⁰" was drawn with ⁰ and ⁻ from
    another font and read "10⁻³o"."""
    from scenes.readouts import times_ten

    scale = times_ten(exponent, font_size=40)
    assert _from_other_fonts(scale) == []
    # and the exponent is a superscript: raised above the 10, smaller than it
    glyphs = sorted(scale.get_family()[1:], key=lambda g: g.get_left()[0])
    glyphs = [g for g in glyphs if len(g.points)]
    ten, power = glyphs[1:3], glyphs[3:]
    assert power and min(g.get_bottom()[1] for g in power) > min(g.get_bottom()[1] for g in ten) + 0.2 * ten[0].height
    assert max(g.height for g in power) < 0.85 * ten[1].height


@pytest.mark.parametrize("value", [2.05e12, 1.23e-30, 6.9e14])
def test_a_number_with_an_exponent_takes_every_glyph_from_the_lecture_font(value) -> None:
    """Scaled numbers written by number_text ("2.050×10¹²") and shown with lecture_text."""
    from scenes.draw import lecture_text
    from scenes.number_format import number_text

    assert _from_other_fonts(lecture_text(number_text(value), size=30)) == []


def test_a_tick_note_takes_every_glyph_from_the_lecture_font() -> None:
    from mathcore.axis import axis_ticks
    from scenes.axes import tick_note

    note = tick_note(axis_ticks(1.1e-9 + 170, 3.4e-9 + 170))
    assert note is not None and _from_other_fonts(note) == []


def test_superscript_markup_escapes_user_text() -> None:
    from scenes.typography import superscript_markup

    assert superscript_markup("a<b & 10⁻⁵") == "a&lt;b &amp; 10<sup>−5</sup>"


# No stray space where TeX meets the lecture's font -------------------------------------------
def _word_gaps(row, word_color) -> tuple[float, float, float]:
    """(gap before the word, gap after it, the word's width) measured from glyph ink: the
    word's glyphs are those in ``word_color``; its neighbours the nearest glyphs of another
    colour on each side."""
    from manim import ManimColor

    leaves = [m for m in row.get_family() if len(m.points) and not m.submobjects and m.get_fill_opacity() > 0]
    word = [m for m in leaves if ManimColor(m.get_fill_color()) == ManimColor(word_color)]
    others = [m for m in leaves if m not in word]
    left, right = min(g.get_left()[0] for g in word), max(g.get_right()[0] for g in word)
    before = max((g.get_right()[0] for g in others if g.get_right()[0] <= left + 1e-6), default=None)
    after = min((g.get_left()[0] for g in others if g.get_left()[0] >= right - 1e-6), default=None)
    assert before is not None and after is not None, "the word has no neighbour on each side"
    return left - before, after - right, right - left


@pytest.mark.parametrize("word", ["coffee", "mat", "앉았다", "sofa"])
@pytest.mark.parametrize(("before", "after"), [("p(", ")="), (r"= -\log p(", ")")])
def test_scene_11_sets_a_word_in_a_formula_at_the_fonts_own_spacing(word, before, after) -> None:
    """"p(coffee )": the word between TeX's brackets at a fixed gap of ink. The brackets must
    sit as the lecture's font sets "(coffee)": the same gaps (scaled to the word's size)."""
    from manim import Text

    from scenes import theme
    from scenes.s11_nlp import NextTokenLoss

    stub = SimpleNamespace(example=SimpleNamespace(correct=word))
    row = NextTokenLoss.token_math(stub, before, after)
    gap_before, gap_after, width = _word_gaps(row, theme.HIGHLIGHT)
    reference = Text(f"({word})", font=theme.FONT, font_size=40)
    inner = reference[1:-1]
    scale = width / inner.width
    natural_before = (inner.get_left()[0] - reference[0].get_right()[0]) * scale
    natural_after = (reference[-1].get_left()[0] - inner.get_right()[0]) * scale
    tolerance = 0.004  # frame units: 0.35 px at 720p
    assert gap_before == pytest.approx(natural_before, abs=tolerance), (gap_before, natural_before)
    assert gap_after == pytest.approx(natural_after, abs=tolerance), (gap_after, natural_after)


def test_word_in_formula_puts_the_pieces_in_order_on_one_line() -> None:
    from scenes import theme
    from scenes.typography import word_in_formula

    before, run, after = word_in_formula(r"-\log p(", "앉았다", ")=", 36, word_color=theme.HIGHLIGHT)
    drawn = [[g for g in piece.get_family() if len(g.points) and not g.submobjects and g.get_fill_opacity() > 0]
             for piece in (before, after)]
    assert max(g.get_right()[0] for g in drawn[0]) < run.get_left()[0] < run.get_right()[0] \
        < min(g.get_left()[0] for g in drawn[1])
    assert abs(run.get_center()[1] - before.get_center()[1]) < 0.5 * run.height
    # the TeX pieces keep their font size (manim and the gate derive it from the height)
    assert before.font_size == pytest.approx(36, rel=1e-3) and after.font_size == pytest.approx(36, rel=1e-3)
    with pytest.raises(ValueError, match="before must end with"):
        word_in_formula("p", "x", ")", 36)


# One TeX template, from the theme ----------------------------------------------------------
def test_every_formula_in_a_scene_is_set_with_the_theme_template(manim_config) -> None:
    """LectureScene.setup makes theme.TEX_TEMPLATE manim's default: a MathTex built by a scene
    (with no template of its own) uses it, whatever the default was before."""
    from manim import MathTex, Tex, TexTemplate

    from scenes import theme
    from scenes.s08_nll import NegativeLogLikelihood

    manim_config.tex_template = TexTemplate()  # manim's own default (Computer Modern)
    scene = NegativeLogLikelihood(skip_animations=True)
    scene.setup()
    assert MathTex("x").tex_template is theme.TEX_TEMPLATE
    assert Tex("x").tex_template is theme.TEX_TEMPLATE
    assert theme.TEX_TEMPLATE.tex_compiler == "lualatex" and r"\setmathfont" in theme.TEX_TEMPLATE.preamble


def test_no_scene_builds_its_own_tex_template() -> None:
    """The template is made in one place (scenes/theme.py); scenes/typography.py, the
    layout probe and manim patch 8 (which notes each formula with its template's compiler)
    only pass it on."""
    allowed = {"theme.py", "typography.py", "layout.py", "manim_patches.py"}
    found = []
    for path in sorted((ROOT / "scenes").glob("*.py")):
        if path.name in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"TexTemplate|tex_template\s*=|tex_compiler|\\usepackage", line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []


def test_tex_digits_and_sans_digits_stand_equally_tall() -> None:
    """A SansDecimal beside a formula at the same font_size: digits of one height (SANS_PER_MATH
    measured for the theme's maths font), and the gate's x-height for "math" is the template's."""
    from manim import MathTex

    from scenes import layout, theme
    from scenes.readouts import SansDecimal

    tex = MathTex("0123456789", font_size=40, tex_template=theme.TEX_TEMPLATE)
    sans = SansDecimal(1234567890, num_decimal_places=0, font_size=40)
    assert sans.height == pytest.approx(tex.height, rel=0.02)
    x = MathTex("x", font_size=100, tex_template=theme.TEX_TEMPLATE)
    assert layout.x_height_per_font_size("math") == pytest.approx(x.height / 100, rel=1e-6)


def test_the_gate_reads_a_superscript_as_its_characters() -> None:
    """The layout record names a text as read, without the markup that sets its superscript."""
    from scenes import layout
    from scenes.draw import lecture_text

    texts = layout.snapshot(SimpleNamespace(mobjects=[lecture_text("×10⁻³⁰ <cm>", size=30)], foreground_mobjects=[]))["texts"]
    assert [t["text"] for t in texts] == ["×10−30 <cm>"] and texts[0]["kind"] == "text"


# Digits inside a formula are the lecture's digits ----------------------------------------
# DejaVu Math's "1" has a foot and its digits are 15 % wider than Noto Sans CJK's: "y₁ = 1",
# "Σ from i=1 to 4", "7/10" read as another typeface beside the readouts (scene 11's "y₁ = 1"
# beside "0.8639"). The template takes digits from theme.FONT (unicode-math range=up/num).
SAME_SHAPE = 0.85  # IoU of one font's glyph via TeX and via Pango: 0.91-0.98 (TeX's 2.7 % wider);
# DejaVu's digits against Noto's: 0.53-0.80, DejaVu Sans's "l", "g", "N" 0.47-0.78


def _glyph_mask(glyph, pixels: int = 200):
    """``glyph`` drawn white on black, scaled to a height of 1 and centred: a boolean mask
    of its shape alone (its size and place are compared by the other tests)."""
    import numpy as np
    from manim import BLACK, ORIGIN, WHITE, Camera

    shape = glyph.copy().set_fill(WHITE, opacity=1).set_stroke(width=0)
    shape.scale_to_fit_height(1.0).move_to(ORIGIN)
    camera = Camera(pixel_height=pixels, pixel_width=pixels, frame_height=1.25, frame_width=1.25,
                    background_color=BLACK)
    camera.capture_mobjects([shape])
    return np.asarray(camera.pixel_array)[:, :, 0] > 127


def _iou(a, b) -> float:
    return float((a & b).sum() / (a | b).sum())


def _glyphs(mob) -> list:
    """The drawn glyphs of ``mob``, left to right."""
    leaves = [m for m in mob.get_family() if len(m.points) and not m.submobjects]
    return sorted(leaves, key=lambda g: g.get_center()[0])


@lru_cache(maxsize=1)
def _formula_digits():
    """(the digits 0-9 of a formula, the "1" and "7" of p₁⁷, Σ with its limits i=1 and 4,
    the upright words "logNLL"), each as glyphs left to right, from one compile of the
    theme's template."""
    from manim import MathTex

    from scenes import theme

    row = MathTex("0123456789", r"p_{1}^{7}", r"\sum_{i=1}^{4}", r"\log\mathrm{NLL}", font_size=48,
                  tex_template=theme.TEX_TEMPLATE)
    digits, script, limits, words = (_glyphs(part) for part in row)
    return digits, script[1:], limits, words


def _sans_digit(char: str):
    from manim import Text

    from scenes import theme

    return Text(char, font=theme.FONT, font_size=48)[0]


@pytest.mark.parametrize("digit", range(10))
def test_a_formula_draws_its_digits_with_the_lecture_fonts_shapes(digit) -> None:
    """Each digit of a formula has the shape of the same digit in the lecture's font (shape
    masks at one height overlap almost fully; DejaVu Math's "1" with its foot: 0.80)."""
    digits = _formula_digits()[0]
    assert len(digits) == 10
    iou = _iou(_glyph_mask(digits[digit]), _glyph_mask(_sans_digit(str(digit))))
    assert iou > SAME_SHAPE, f"the formula's {digit} is another typeface's (IoU {iou:.3f} with {digit} of the lecture's font)"


def test_scripts_and_sum_limits_take_the_lecture_fonts_digits_too() -> None:
    """p₁⁷ and Σ's limits (scene 11's "i=1" and "4"): subscripts and superscripts are set at
    script size from the same font, not from the maths font's script glyphs."""
    _, script, limits, _ = _formula_digits()
    seven, one = sorted(script, key=lambda g: -g.get_center()[1])  # p's superscript, then its subscript
    assert len(limits) == 5  # 4, Σ, i, =, 1
    top = max(limits, key=lambda g: g.get_center()[1])                 # the upper limit "4"
    bottom = sorted(limits, key=lambda g: g.get_center()[1])[:3]        # "i", "=", "1" under the Σ
    lower_one = max(bottom, key=lambda g: g.get_center()[0])
    for glyph, char in ((one, "1"), (seven, "7"), (top, "4"), (lower_one, "1")):
        iou = _iou(_glyph_mask(glyph), _glyph_mask(_sans_digit(char)))
        assert iou > SAME_SHAPE, f"script {char}: IoU {iou:.3f} with the lecture font's {char}"


def test_a_number_in_a_formula_is_as_wide_as_the_same_number_beside_it() -> None:
    """"7/10 = 0.7" in a formula and "0.7" in a readout (set at theme.SANS_PER_MATH of the
    formula's size) take the same room: the digits' pitch is the lecture font's (DejaVu's
    digits were 15 % wider)."""
    from scenes.readouts import SansDecimal

    digits = _formula_digits()[0]
    sans = _glyphs(SansDecimal(123456789, num_decimal_places=0, font_size=48))
    assert len(sans) == 9
    tex_pitch = (digits[9].get_center()[0] - digits[1].get_center()[0]) / 8
    sans_pitch = (sans[-1].get_center()[0] - sans[0].get_center()[0]) / 8
    assert tex_pitch == pytest.approx(sans_pitch, rel=0.03)
    assert digits[1].height == pytest.approx(sans[0].height, rel=0.03)


def test_upright_words_in_a_formula_are_the_lecture_fonts_letters() -> None:
    """"NLL =" and "log" in a formula beside "loss" and "NLL" in the lecture's font: one
    typeface (DejaVu Sans's wide letters read as a second sans)."""
    words = _formula_digits()[3]
    assert len(words) == 6
    for glyph, char in zip(words, "logNLL"):
        iou = _iou(_glyph_mask(glyph), _glyph_mask(_sans_digit(char)))
        assert iou > SAME_SHAPE, f"{char} in a formula: IoU {iou:.3f} with the lecture font's {char}"
