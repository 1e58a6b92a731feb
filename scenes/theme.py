"""The lecture's look: colours, fonts, sizes and spacing. Scenes take every style from here."""

from __future__ import annotations

import functools
from pathlib import Path

from manim import ManimColor, TexTemplate

from . import mathfont

BACKGROUND = ManimColor("#101418")
TEXT = ManimColor("#ECEFF4")
MUTED = ManimColor("#9AA5B1")
GRID = ManimColor("#3B4450")

# Roles, not hues: a scene says what a thing is, the theme says how it looks.
CURVE = ManimColor("#58C4DD")       # the model's curve (pdf, L, log L)
SAMPLE = ManimColor("#FFD166")      # observed data points
HIGHLIGHT = ManimColor("#FF8C42")   # the thing to look at now (a height, the winner)
OPTIMUM = ManimColor("#06D6A0")     # argmax / argmin, p_hat, theta_hat
LOSS = ManimColor("#EF476F")        # NLL and its descent
SECOND = ManimColor("#B388EB")      # the second label / a contrast colour
CANDIDATES = (ManimColor("#EF476F"), ManimColor("#06D6A0"), ManimColor("#B388EB"))

# One CJK-capable face for both languages, so Korean and English scenes match.
FONT = "Noto Sans CJK KR"

# Sizes in manim font_size units. At 720p, font_size 22 is about 14 px x-height: the floor.
TITLE_SIZE = 44
HEADING_SIZE = 38
BODY_SIZE = 30
LABEL_SIZE = 26
SMALL_SIZE = 22
TICK_SIZE = SMALL_SIZE  # tick labels and their notes (lecture font: 15 px x-height at 720p)
# A number (or a word) in the lecture's font beside a formula is set at this fraction of the
# formula's font_size: its digits then stand as tall as TeX's (measured: Noto Sans CJK's
# digits are 1.343 times those of TEX_TEMPLATE's maths font at one font_size; 0.744; its
# x-height 1.328 times, 0.753).
SANS_PER_MATH = 0.74
MATH_SIZE = 40

# Spacing in scene units (the frame is 14.22 x 8 units).
EDGE = 0.5  # inside the 3% safe margin (0.43 units) with room for strokes and boxes

# The frame's reserved areas (issue 18), in scene units. Action-safe: no ink within 5 % of
# any edge. Caption band: the bottom 15 % of the frame stays free of content at every
# moment (posters and stills too), so a caption never covers the data.
FRAME_WIDTH = 128 / 9  # 16:9 at manim's frame height of 8 units
FRAME_HEIGHT = 8.0
SAFE_MARGIN_X = 0.05 * FRAME_WIDTH
SAFE_MARGIN_Y = 0.05 * FRAME_HEIGHT
CAPTION_BAND = 0.15 * FRAME_HEIGHT
# Content laid out exactly on a reserved area's edge spills its antialiasing (and half a
# stroke's width) over it: at 720p and 1080p the edge falls on a pixel boundary, so the
# gate (lecture/check/reserved.py) saw 1-3 px of ink in the margin. The content box keeps
# INK_INSET inside the reserved areas on every side: 0.04 units is 2.4 px at 480p, 3.6 px
# at 720p, 5.4 px at 1080p, more than the antialiasing (about one pixel) at any quality.
INK_INSET = 0.04
# The box content may use: x in [CONTENT_LEFT, CONTENT_RIGHT], y in [CONTENT_BOTTOM, CONTENT_TOP].
CONTENT_LEFT = -FRAME_WIDTH / 2 + SAFE_MARGIN_X + INK_INSET
CONTENT_RIGHT = FRAME_WIDTH / 2 - SAFE_MARGIN_X - INK_INSET
CONTENT_TOP = FRAME_HEIGHT / 2 - SAFE_MARGIN_Y - INK_INSET
CONTENT_BOTTOM = -FRAME_HEIGHT / 2 + CAPTION_BAND + INK_INSET
# A buff for to_edge / to_corner that sets content against the safe margin (with the inset).
SAFE_BUFF_X = SAFE_MARGIN_X + INK_INSET
SAFE_BUFF_Y = SAFE_MARGIN_Y + INK_INSET
GAP = 0.3
HEADING_BUFF = 0.35

# Pacing, seconds. Reading time per character keeps narration-only waits honest.
SHORT_WAIT = 0.6
READ_WAIT = 1.5
LONG_WAIT = 2.5
# A silent beat lasts at least its line at READING_RATE characters a second (spaces
# included), a little under the subtitle limits (Korean 12, English 17: lecture/captions.py).
READING_RATE = {"ko": 11.0, "en": 16.0}
SECONDS_PER_CHAR = {lang: 1.0 / rate for lang, rate in READING_RATE.items()}
MIN_BEAT_S = 1.0  # a caption stays at least 5/6 s
RESULT_HOLD_S = 3.0  # a scene's result stays fully on screen at least this long

# One typographic voice (issue 18; scenes/CONVENTIONS.md, "Typography"): formulas are TeX
# (LuaLaTeX) in DejaVu Math TeX Gyre, whose operators, brackets and sums are sans like Noto
# Sans and as heavy; italic letters (x, p, θ, μ) from DejaVu Sans Oblique (Noto Sans CJK has
# no italic). Digits, the decimal point and upright words inside a formula (NLL, log, arg max)
# are the lecture font's own (FONT, through scenes/mathfont.py's Latin subset of it, which
# dvisvgm draws on the baseline): "y₁ = 1", "7/10 = 0.7" and "NLL =" in a formula are the
# readouts' typeface (DejaVu's "1" had a foot, its digits were 15 % wider). Computer Modern's
# thin serif maths read as another document beside Noto Sans. Every MathTex/Tex gets
# TEX_TEMPLATE through manim's config (scenes.typography.install, called by
# LectureScene.setup); none builds its own.
MATH_FONT = "DejaVu Math TeX Gyre"
MATH_ITALIC_FONT = "DejaVu Sans Oblique"
# The TeX side is found on first use, not on import (importing the theme runs no fc-match and
# no fontTools): math_latin_file(), tex_preamble(), tex_template(), each made once; the names
# MATH_LATIN_FILE, TEX_PREAMBLE and TEX_TEMPLATE read them (module __getattr__, below).
_FONT_CACHE = mathfont._cache_dir()  # where the subset lives, as on import (no subprocess)


@functools.lru_cache(maxsize=None)
def math_latin_file() -> Path | None:
    """The lecture font's Latin subset (scenes/mathfont.py), made on first use. None without
    FONT: DejaVu Sans's letters and digits."""
    return mathfont.latin_subset(FONT, cache=_FONT_CACHE)


@functools.lru_cache(maxsize=None)
def tex_preamble() -> str:
    latin_file = math_latin_file()
    if latin_file is None:
        math_text = (r"\setmainfont{DejaVu Sans}",)
        math_digits: tuple[str, ...] = ()
    else:
        latin = rf"{{{latin_file.name}}}[Path={latin_file.parent.as_posix()}/"
        math_text = (rf"\setmainfont{latin}]",)  # upright words: \mathrm, \log, \operatorname
        math_digits = (rf'\setmathfont{latin}, range={{up/num,"2E}}]',)  # digits and "."
    return "\n".join((
        r"\usepackage{amsmath}",
        r"\usepackage{unicode-math}",
        *math_text,
        rf"\setmathfont{{{MATH_FONT}}}",
        rf"\setmathfont[range={{it/{{latin,Latin,greek,Greek}}}}]{{{MATH_ITALIC_FONT}}}",
        *math_digits,
    ))


@functools.lru_cache(maxsize=None)
def tex_template() -> TexTemplate:
    """The one TeX template of the lecture (the same object on every call)."""
    return TexTemplate(tex_compiler="lualatex", output_format=".dvi", preamble=tex_preamble())


_LAZY = {"MATH_LATIN_FILE": math_latin_file, "TEX_PREAMBLE": tex_preamble, "TEX_TEMPLATE": tex_template}


def __getattr__(name: str):
    if name in _LAZY:
        return _LAZY[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
