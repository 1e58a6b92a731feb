"""Small drawing helpers every scene uses: words in the lecture's font, fitting and stacking
mobjects, and "arg max" as formulas write it."""

from __future__ import annotations

from typing import Any

from manim import DOWN, LEFT, Mobject, Text, VGroup

from . import theme, typography


def lecture_text(content: str, size: float = theme.BODY_SIZE, color=theme.TEXT, weight: str = "NORMAL", **kwargs: Any) -> Text:
    """Any words on screen, user text included: Pango, never LaTeX. Unicode superscripts
    ("×10⁻³⁰") are set as raised digits of the lecture's font (typography.sans_text): the
    font lacks most of them and Pango would draw them from another font."""
    if typography.has_superscript(content):
        return typography.sans_text(content, size, color=color, weight=weight, **kwargs)
    return Text(content, font=theme.FONT, font_size=size, color=color, weight=weight, **kwargs)


def fit_width(mobject: Mobject, max_width: float) -> Mobject:
    """Shrink (never grow) a mobject to fit a width: long labels and titles stay on screen."""
    if mobject.width > max_width:
        mobject.scale_to_fit_width(max_width)
    return mobject


# "arg max" / "arg min" written one way on screen (amsmath's form, thin space): formulas use
# these, words say "arg max".
ARGMAX_TEX = r"\operatorname*{arg\,max}"
ARGMIN_TEX = r"\operatorname*{arg\,min}"


def inside_scale(mobject: Mobject, wanted: float) -> float:
    """The largest scale factor up to ``wanted`` at which ``mobject``, scaled about its
    centre (as Indicate scales it), stays in the content area (theme.CONTENT_*): a readout
    at the column's edge is indicated less rather than into the safe margin.

    >>> from manim import Square
    >>> round(float(inside_scale(Square(1).move_to([theme.CONTENT_RIGHT - 0.55, 0, 0]), 1.2)), 3)
    1.1
    """
    x, y = mobject.get_center()[:2]
    half_w, half_h = mobject.width / 2, mobject.height / 2
    room = [wanted]
    if half_w > 0:
        room += [(theme.CONTENT_RIGHT - x) / half_w, (x - theme.CONTENT_LEFT) / half_w]
    if half_h > 0:
        room += [(theme.CONTENT_TOP - y) / half_h, (y - theme.CONTENT_BOTTOM) / half_h]
    return float(max(1.0, min(room)))


def stack(*mobjects: Mobject, buff: float = theme.GAP) -> VGroup:
    """Mobjects one under another, left-aligned."""
    group = VGroup(*mobjects)
    group.arrange(DOWN, aligned_edge=LEFT, buff=buff)
    return group
