"""Numbers on screen in the lecture's font: live readouts (SansDecimal, SansInteger,
ScaledDecimal, ScientificNumber), the unit and "×10^e" beside one, a formula's symbols with
a number from the data."""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
from manim import DOWN, LEFT, ORIGIN, RIGHT, UR, DecimalNumber, MathTex, Mobject, Text, VGroup

from mathcore import Scientific
from mathcore import axis as _axis

from . import manim_patches, theme
from .draw import lecture_text


class SansDecimal(DecimalNumber):
    """manim's DecimalNumber with its characters set in the lecture's font (a real minus
    sign), so a live readout looks like every other number and its unit; only the digits
    change as it counts (each character is built once and copied, like DecimalNumber's).

    A drop-in for DecimalNumber: ``font_size`` is that of the formula it stands beside, and
    the digits are as tall as TeX's there (the font is set at ``theme.SANS_PER_MATH`` of it).
    """

    _glyphs: ClassVar[dict[tuple[str, str, float], tuple[Mobject, float, float, float]]] = {}

    def __init__(self, number: float = 0, num_decimal_places: int = 2, font_size: float = theme.MATH_SIZE,
                 **kwargs: Any):
        kwargs.setdefault("group_with_commas", False)
        super().__init__(number, num_decimal_places=num_decimal_places, mob_class=Text,
                         font_size=font_size * theme.SANS_PER_MATH, **kwargs)

    def _glyph(self, char: str) -> tuple[Mobject, float, float, float]:
        """(glyph, ink left from the pen, ink bottom from the baseline, advance) of one
        character at this number's size, read off the font's own layout of "0c0"."""
        size = float(self._font_size)
        key = (char, theme.FONT, size)
        if key not in self._glyphs:
            shown = "−" if char == "-" else char
            laid = Text(f"0{shown}0", font=theme.FONT, font_size=size)
            pair = Text("00", font=theme.FONT, font_size=size)
            zero_advance = pair[1].get_left()[0] - pair[0].get_left()[0]
            first, glyph, last = laid[0], laid[1], laid[2]
            left = glyph.get_left()[0] - first.get_left()[0] - zero_advance
            advance = last.get_left()[0] - first.get_left()[0] - zero_advance
            bottom = glyph.get_bottom()[1] - first.get_bottom()[1]
            self._glyphs[key] = (glyph, left, bottom, advance)
        glyph, left, bottom, advance = self._glyphs[key]
        return manim_patches.glyph_copy(glyph), left, bottom, advance

    def _set_submobjects_from_number(self, number: float) -> None:
        """The characters at the font's own spacing (manim's DecimalNumber butts the glyphs'
        ink together, which cramps a sans "1"), on one baseline."""
        if self.unit is not None or self.show_ellipsis:
            raise ValueError("SansDecimal: set a unit beside it with lecture_text (no TeX unit, no ellipsis)")
        self.number = number
        self.submobjects = []
        pen = 0.0
        for char in self._get_num_string(number):
            glyph, left, bottom, advance = self._glyph(char)
            glyph.move_to([pen + left, bottom, 0.0], aligned_edge=DOWN + LEFT)
            self.add(glyph)
            pen += advance
        self.move_to(ORIGIN)
        self.initial_height = self.height
        if self.include_background_rectangle:
            self.add_background_rectangle()


class SansInteger(SansDecimal):
    """An integer readout in the lecture's font (manim's Integer, sans)."""

    def __init__(self, number: float = 0, **kwargs: Any):
        kwargs.setdefault("num_decimal_places", 0)
        super().__init__(number, **kwargs)

    def get_value(self) -> int:
        return int(np.round(super().get_value()))


def unit_text(unit: str, font_size: float = theme.MATH_SIZE, color=theme.TEXT) -> Text:
    """A unit (user text) beside a readout, in the readout's font and size (``font_size``
    as for :class:`SansDecimal`)."""
    return lecture_text(unit, size=font_size * theme.SANS_PER_MATH, color=color)


def times_ten(exponent: int, font_size: float = theme.MATH_SIZE, color=theme.TEXT) -> Text:
    """"×10⁻³" in the lecture's font, the scale beside a scaled readout (``font_size`` as
    for :class:`SansDecimal`)."""
    return lecture_text(f"×10{_axis.superscript(exponent)}", size=font_size * theme.SANS_PER_MATH, color=color)



class ScaledDecimal(VGroup):
    """A live number written as ``d.dd ×10^e`` with one fixed exponent, or plainly when the
    exponent is 0: a SansDecimal (only its digits change) and a static ``×10^e``, both in
    the lecture's font.

    ``get_value``/``set_value`` take the number itself, not the mantissa.
    """

    def __init__(self, value: float, exponent: int = 0, num_decimal_places: int = 2,
                 font_size: float = theme.MATH_SIZE, color=theme.TEXT, **kwargs: Any):
        self.scale_exponent = int(exponent)
        self.factor = 10.0**self.scale_exponent
        self.number = SansDecimal(value / self.factor, num_decimal_places=num_decimal_places, font_size=font_size,
                                  color=color, **kwargs)
        parts = [self.number]
        self.times = None
        if self.scale_exponent:
            self.times = times_ten(self.scale_exponent, font_size=font_size * 0.85, color=color)
            parts.append(self.times)
        super().__init__(*parts)
        self.place_times()

    def place_times(self) -> None:
        if self.times is not None:
            self.times.next_to(self.number, RIGHT, buff=0.1)
            self.times.align_to(self.number, DOWN)

    def get_value(self) -> float:
        return float(self.number.get_value()) * self.factor

    def set_value(self, value: float) -> "ScaledDecimal":
        left = self.number.get_left()
        self.number.set_value(value / self.factor)
        self.number.move_to(left, LEFT)
        self.place_times()
        return self

    def shown_tolerance(self) -> float:
        """Half a unit in the last shown digit, in the number's own units."""
        return 0.5 * 10.0 ** -self.number.num_decimal_places * self.factor * (1 + 1e-9)




def math_with_number(tex: str, number: str, font_size: float = theme.MATH_SIZE, color=theme.TEXT,
                     lines: int = 1) -> VGroup:
    """A label that carries a number from the data: ``tex`` (symbols, e.g. ``\\eta =``) as
    math, then ``number`` in the lecture's number style (sans, as tall as TeX's digits, like
    every readout); ``lines`` 2 puts the number under the symbols. A minus is a real minus."""
    symbols = MathTex(tex, font_size=font_size, color=color)
    value = lecture_text(number.replace("-", "−"), size=font_size * theme.SANS_PER_MATH, color=color)
    return VGroup(symbols, value).arrange(DOWN if lines == 2 else RIGHT, buff=0.12 if lines == 2 else 0.15)


class ScientificNumber(VGroup):
    """mantissa x 10^exponent from a natural log, in the lecture's font (SansDecimal, "×10",
    SansInteger). Only the two numbers change (their own glyph cache); the "×10" is built once.
    """

    def __init__(self, log_value: float, font_size: float = theme.MATH_SIZE, color=theme.TEXT, decimals: int = 2):
        self.decimals = decimals
        self.mantissa = SansDecimal(1.0, num_decimal_places=decimals, font_size=font_size, color=color)
        self.times = unit_text("×10", font_size=font_size, color=color)
        self.exponent = SansInteger(0, font_size=font_size * 0.7, color=color)
        super().__init__(self.mantissa, self.times, self.exponent)
        self.set_log(log_value)

    def parts(self, log_value: float) -> tuple[float, int]:
        """Mantissa rounded for display (9.996 becomes 1.00 x 10 more) and exponent."""
        sci = Scientific.from_log(log_value)
        mantissa, exponent = round(sci.mantissa, self.decimals), sci.exponent
        if mantissa >= 10.0:
            mantissa, exponent = round(mantissa / 10.0, self.decimals), exponent + 1
        return mantissa, exponent

    def set_log(self, log_value: float) -> "ScientificNumber":
        mantissa, exponent = self.parts(log_value)
        left = self.mantissa.get_left()
        if mantissa != self.mantissa.get_value():
            self.mantissa.set_value(mantissa)
        if exponent != self.exponent.get_value():
            self.exponent.set_value(exponent)
        self.mantissa.move_to(left, LEFT)
        self.times.next_to(self.mantissa, RIGHT, buff=0.12)
        self.times.align_to(self.mantissa, DOWN)
        self.exponent.next_to(self.times, UR, buff=0.04)
        self.exponent.shift(0.35 * self.times.height * DOWN)
        return self

    def shown_log(self) -> float:
        """The natural log of the number as shown (read off the mobjects)."""
        return math.log(self.mantissa.get_value()) + self.exponent.get_value() * math.log(10.0)
