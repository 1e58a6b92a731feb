"""The lecture's one typographic voice (issue 18): the TeX template every formula is set
with (``theme.TEX_TEMPLATE``: sans maths of Noto Sans's weight, see theme.py) and numbers
with exponents in the lecture's font.

Every MathTex and Tex takes :data:`TEX_TEMPLATE` through manim's ``config.tex_template``,
set by :func:`install` (``LectureScene.setup`` calls it); no scene builds its own template.
"""

from __future__ import annotations

import html
import re

from manim import MarkupText, TexTemplate, config

from . import theme

__all__ = ["TEX_TEMPLATE", "install", "superscript_markup", "has_superscript", "sans_text", "word_in_formula"]



def __getattr__(name: str):
    if name == "TEX_TEMPLATE":  # theme.tex_template(), found on first use (not on import)
        return theme.tex_template()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def install() -> TexTemplate:
    """Make :data:`TEX_TEMPLATE` manim's default, so every MathTex/Tex built from now on
    (without its own ``tex_template``) is set in the lecture's maths voice. The first call
    finds the fonts (fc-match, and fontTools once per machine)."""
    template = theme.tex_template()
    if config.tex_template is not template:
        config.tex_template = template
    return template


# Unicode superscripts (how mathcore writes "×10⁻³⁰" for Pango). The lecture's font has only
# ¹²³⁴ of them, so Pango took ⁰ and ⁻ from another font ("10⁻³o"): they are set instead as
# ordinary digits of the lecture's font, raised and smaller (Pango's <sup>).
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺"
_PLAIN = "0123456789−+"
_TO_PLAIN = str.maketrans(_SUPERSCRIPTS, _PLAIN)
_RUN = re.compile(f"[{_SUPERSCRIPTS}]+")


def has_superscript(text: str) -> bool:
    """``text`` has a Unicode superscript digit or sign.

    >>> has_superscript("2.05×10¹²"), has_superscript("168.34")
    (True, False)
    """
    return bool(_RUN.search(text))


def superscript_markup(text: str) -> str:
    """``text`` as Pango markup (escaped) with each run of Unicode superscripts written as
    ordinary characters in ``<sup>``, so every glyph comes from one font.

    >>> superscript_markup("1.23×10⁻³⁰ <cm>")
    '1.23×10<sup>−30</sup> &lt;cm&gt;'
    """
    out, last = [], 0
    for match in _RUN.finditer(text):
        out.append(html.escape(text[last:match.start()], quote=False))
        out.append(f"<sup>{html.escape(match.group().translate(_TO_PLAIN), quote=False)}</sup>")
        last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def sans_text(content: str, size: float, color=theme.TEXT, weight: str = "NORMAL", **kwargs) -> MarkupText:
    """``content`` (with Unicode superscripts) in the lecture's font, superscripts from the
    same font (see :func:`superscript_markup`)."""
    return MarkupText(superscript_markup(content), font=theme.FONT, font_size=size, color=color, weight=weight,
                      **kwargs)


# Where TeX meets the lecture's font ---------------------------------------------------
# Boxes of glyphs are their ink; a fixed buff between a TeX piece and a Pango word left
# "p(coffee )": the gap depends on the glyphs' shapes (a t's crossbar, 다's arm). So the word
# and the brackets around it are one run of the lecture's font (spaced by the font), and each
# Pango bracket takes the place of TeX's own bracket (TeX's gap to "p" and "=", TeX's axis).

def word_in_formula(before: str, word: str, after: str, font_size: float, color=theme.TEXT,
                    word_color=theme.TEXT, word_scale: float | None = None):
    """``before`` (TeX ending in "(") ``word`` (user text, any script) ``after`` (TeX starting
    with ")") as one formula: "(word)" is set in the lecture's font as one run, its brackets
    where TeX set its own (TeX's gaps to the pieces beside them, centred on TeX's brackets).
    ``word_scale``: the run's font size per formula font size (default ``theme.SANS_PER_MATH``:
    digits as tall as TeX's). Returns VGroup(before, run, after) (a TeX piece is left out when
    nothing but its bracket was given)."""
    from manim import DOWN, LEFT, RIGHT, UP, MathTex, VGroup

    if not before.endswith("(") or not after.startswith(")"):
        raise ValueError(f"word_in_formula: before must end with '(' and after start with ')', got {before!r}, {after!r}")
    scale = theme.SANS_PER_MATH if word_scale is None else word_scale
    run = MarkupText(f"({html.escape(word, quote=False)})", font=theme.FONT, font_size=font_size * scale,
                     color=word_color)
    run[0].set_color(color)  # the brackets belong to the formula, the word is the highlight
    run[-1].set_color(color)
    left = MathTex(before, font_size=font_size, color=color, tex_template=theme.tex_template())
    right = MathTex(after, font_size=font_size, color=color, tex_template=theme.tex_template())
    open_tex, close_tex = left[0][-1], right[0][0]
    # the run's "(" where TeX's "(" was, centred on it; after's ")" where the run's ")" is
    run.shift(open_tex.get_left() - run[0].get_left())
    run.shift(UP * (open_tex.get_center()[1] - run[0].get_center()[1]))
    right.shift(run[-1].get_right() - close_tex.get_right())
    right.shift(UP * (run[-1].get_center()[1] - close_tex.get_center()[1]))
    # TeX's own brackets stay, undrawn: a TeX piece keeps its height, so its font_size (manim
    # derives it from the height, and the gate its x-height) is the formula's
    for bracket in (open_tex, close_tex):
        bracket.set_fill(opacity=0).set_stroke(opacity=0)
    return VGroup(*(m for m in (left, run, right) if m is run or len(m[0].submobjects) > 1))
