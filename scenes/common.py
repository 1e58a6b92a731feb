"""What every scene shares: the LectureScene base, narration, headings, text and axis helpers."""

from __future__ import annotations

import functools
import math
import os
import re
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, ClassVar, Iterator

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Axes,
    Create,
    DecimalNumber,
    Integer,
    MathTex,
    Mobject,
    NumberLine,
    Scene,
    SurroundingRectangle,
    Text,
    VGroup,
    Write,
    config,
)

from mathcore import LectureData, lecture_results, load_data
from mathcore.story import story_modes, story_words
from mathcore import axis as _axis
from mathcore.axis import Ticks, axis_ticks
from mathcore.precision import (LOSS_DECIMALS, PROBABILITY_DECIMALS, heights_resolution, p_hat_decimals,
                                sample_resolution)

from . import layout, manim_patches, story, theme
from .text import DATA_ENV, current_language, strings


manim_patches.install_digit_copy()  # live readouts: digits copied without deepcopy
manim_patches.install_vectorized_subpaths()  # smooth curves redrawn per frame: subpaths found in one pass


@lru_cache(maxsize=4)
def _data_for(path: str | None) -> tuple[LectureData, dict[str, Any]]:
    data = load_data(path)
    return data, lecture_results(data)


def current_data() -> tuple[LectureData, dict[str, Any]]:
    """The data file named by NLL_LECTURE_DATA (default: the deck's data) and its numbers."""
    return _data_for(os.environ.get(DATA_ENV) or None)


def deck_data() -> LectureData:
    """The built-in (deck) data, whatever NLL_LECTURE_DATA says."""
    return _data_for(None)[0]


def lecture_text(content: str, size: float = theme.BODY_SIZE, color=theme.TEXT, weight: str = "NORMAL", **kwargs: Any) -> Text:
    """Any words on screen, user text included: Pango, never LaTeX."""
    return Text(content, font=theme.FONT, font_size=size, color=color, weight=weight, **kwargs)


def fit_width(mobject: Mobject, max_width: float) -> Mobject:
    """Shrink (never grow) a mobject to fit a width: long labels and titles stay on screen."""
    if mobject.width > max_width:
        mobject.scale_to_fit_width(max_width)
    return mobject


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A 1-2-5 tick step giving about ``target_ticks`` ticks over ``span`` (never 0).

    >>> nice_step(10.0), nice_step(0.07), nice_step(2e-12)
    (2.0, 0.02, 5e-13)
    """
    return _axis.nice_step(span, target_ticks)


def nice_range(low: float, high: float, target_ticks: int = 5) -> tuple[float, float, float]:
    """(start, end, step) covering [low, high] on tick boundaries, at most 12 ticks.

    >>> nice_range(163.1, 173.6)
    (160.0, 175.0, 5.0)
    """
    return axis_ticks(low, high, target_ticks).range


class TickSafeNumberLine(NumberLine):
    """A NumberLine whose ticks are exactly x_min, x_min + step, ..., up to x_max.

    manim 0.22 extends the range by an absolute 1e-6 before laying ticks
    (``np.arange(x_min, x_max + 1e-6, step)``): an axis from 0 to 5e-13 with a step of 1e-13
    got ten million ticks, and any axis with a step below 1e-6 ticks past its end.
    """

    MAX_TICKS = 200

    def get_tick_range(self) -> np.ndarray:
        x_min, x_max, x_step = (float(v) for v in self.x_range)
        count = int(math.floor((x_max - x_min) / x_step * (1 + 1e-9) + 1e-9)) + 1
        return x_min + x_step * np.arange(max(1, min(count, self.MAX_TICKS)))


class SafeAxes(Axes):
    """manim's Axes on :class:`TickSafeNumberLine` axes (a bounded number of ticks)."""

    def _create_axis(self, range_terms, axis_config: dict[str, Any], length: float) -> NumberLine:
        axis_config["length"] = length
        axis = TickSafeNumberLine(range_terms, **axis_config)
        axis.shift(-axis.number_to_point(self._origin_shift([axis.x_min, axis.x_max])))
        return axis


class CornerAxes(SafeAxes):
    """Axes that cross at the bottom-left corner of their ranges, whatever the signs.

    manim's Axes put the y-axis where x = 0, or at the end of the x range nearest 0: for
    negative data (x from -16 to -8) that is the far right. Here it is always x_min (and
    the x-axis always at y_min); coordinates stay the data's.
    """

    @staticmethod
    def _origin_shift(axis_range) -> float:
        return float(axis_range[0])


def data_axes(x_ticks: Ticks, y_ticks: Ticks, x_length: float, y_length: float, **axis_config: Any) -> CornerAxes:
    """CornerAxes over two tick ranges from :func:`mathcore.axis.axis_ticks`, with manim's
    own numbers off (the scenes label ticks from the Ticks, short at any scale)."""
    config_ = {"color": theme.MUTED, "stroke_width": 2, "include_numbers": False, **axis_config}
    return CornerAxes(x_range=list(x_ticks.range), y_range=list(y_ticks.range), x_length=x_length,
                      y_length=y_length, tips=False, axis_config=config_)


# "arg max" / "arg min" written one way on screen (amsmath's form, thin space): formulas use
# these, words say "arg max".
ARGMAX_TEX = r"\operatorname*{arg\,max}"
ARGMIN_TEX = r"\operatorname*{arg\,min}"


def set_ticks(number_line: NumberLine, values) -> NumberLine:
    """Draw ``number_line``'s tick marks at ``values`` (an axis whose ends are not ticks:
    :func:`mathcore.heights_view.axis_window`)."""
    ticks = np.asarray([float(v) for v in values], dtype=float)
    if getattr(number_line, "ticks", None) is not None:
        number_line.remove(number_line.ticks)
    number_line.get_tick_range = lambda: ticks
    number_line.add_ticks()
    return number_line


# One number style (issue 10 §3): every number that stands alone on screen (tick labels,
# readouts, values beside bars and dots) is set in the lecture's font, like the words and
# units beside it (user text such as a unit never goes through LaTeX, so sans is the only
# style a number and its unit can share); TeX only sets formulas, numbers inside them
# included. Tick labels are never smaller than theme.TICK_SIZE (x-height >= 10 px at 720p).
def tick_text(label: str, size: float = theme.TICK_SIZE, color=theme.MUTED, tex: bool = False) -> Mobject:
    """One tick label in the lecture's font, with a real minus sign, at least TICK_SIZE.

    ``tex`` is accepted for old call sites and ignored: tick labels are never TeX.
    """
    return lecture_text(label.replace("-", "−"), size=max(size, theme.TICK_SIZE), color=color)


def tick_labels(axes: Axes, ticks: Ticks, axis: str = "x", size: float = theme.TICK_SIZE, buff: float = 0.15,
                tex: bool = False, skip_zero: bool = False, at=None) -> VGroup:
    """The labels of ``ticks`` beside the x-axis (below) or the y-axis (left) of ``axes``.

    ``at(value)`` gives the point a label sits next to (default: on the axis itself).
    """
    labels = VGroup()
    for value, text in zip(ticks.values, ticks.labels):
        if skip_zero and value == 0:
            continue
        label = tick_text(text, size=size)
        if at is not None:
            point = at(value)
        elif axis == "x":
            point = axes.x_axis.n2p(value)
        else:
            point = axes.y_axis.n2p(value)
        labels.add(label.next_to(point, DOWN if axis == "x" else LEFT, buff=buff))
    return labels


def tick_note(ticks: Ticks, size: float = theme.TICK_SIZE, color=theme.MUTED, tex: bool = False) -> Mobject | None:
    """How to read scaled or offset tick labels ("×10¹²", "×10⁻⁹ + 170"), or None; in the
    tick labels' style (``tex`` is ignored, as for :func:`tick_text`)."""
    if not ticks.note:
        return None
    return lecture_text(ticks.note, size=max(size, theme.TICK_SIZE), color=color)


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


def readout_exponent(magnitude: float, low: float = 1e-3, high: float = 1e5) -> int:
    """The power of ten a live readout is written in: 0 for ordinary sizes, else the
    magnitude's own (2.05 ×10¹² rather than 2050000000000).

    >>> readout_exponent(168.3), readout_exponent(2.05e12), readout_exponent(1.4e-11)
    (0, 12, -11)
    """
    m = abs(float(magnitude))
    if m == 0 or not math.isfinite(m) or low <= m < high:
        return 0
    return int(math.floor(math.log10(m)))


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



def unsigned_zero(text: str) -> str:
    """``text`` without its minus sign when the number it writes is zero ("-0.000" -> "0.000",
    also for a tiny negative value rounded to zero): a zero is never shown as "−0".

    >>> unsigned_zero("-0.000"), unsigned_zero("-0.0010"), unsigned_zero("-0"), unsigned_zero("-2.5 × 10⁻⁶")
    ('0.000', '-0.0010', '0', '-2.5 × 10⁻⁶')
    """
    if text.startswith("-"):
        mantissa = re.split(r"[×e ]", text[1:], maxsplit=1)[0]
        if not any(ch in "123456789" for ch in mantissa):
            return text[1:]
    return text


def _no_minus_zero(write):
    """A number writer whose zero (or a value rounded to zero) never carries a minus sign."""
    @functools.wraps(write)
    def written(*args, **kwargs):
        return unsigned_zero(write(*args, **kwargs))
    return written


@_no_minus_zero
def number_text(value: float, resolution: float | None = None, style: str = "plain", digits: int = 4) -> str:
    """A number written to show differences of ``resolution`` (default: ``digits``
    significant digits): fixed decimals at ordinary sizes, mantissa × 10^e when huge or tiny.

    ``style`` "plain" (Pango: "2.050×10¹²"), "tex" (``2.050 \\times 10^{12}``), "words"
    (narration and captions: "2.050 × 10¹²") or "e" (the shown value for ``float``: "2.050e12").

    >>> number_text(168.344, 0.026), number_text(2.05e12, 7.6e9), number_text(1.4e-11, style="words")
    ('168.34', '2.050×10¹²', '1.400 × 10⁻¹¹')
    >>> number_text(1.000000000001, 1e-14), number_text(-31.25, style="tex"), number_text(9.9998e-13, 1e-14)
    ('1.00000000000100', '-31.25', '1.00×10⁻¹²')
    """
    value = float(value)
    exponent, decimals = _number_format(value, resolution, digits)
    if exponent == 0:
        return f"{value:.{decimals}f}"
    mantissa = f"{value / 10.0**exponent:.{decimals}f}"
    if style == "tex":
        return rf"{mantissa} \times 10^{{{exponent}}}"
    if style == "e":  # what is shown, parsable: float(number_text(v, r, style="e"))
        return f"{mantissa}e{exponent}"
    if style == "words":  # narration is also the caption: written as read, 10⁻¹¹
        return f"{mantissa} × 10{_axis.superscript(exponent)}"
    return f"{mantissa}×10{_axis.superscript(exponent)}"


def _number_format(value: float, resolution: float | None, digits: int) -> tuple[int, int]:
    """(exponent, decimals) of :func:`number_text`."""
    exponent = readout_exponent(value)
    if resolution is None or not resolution > 0:
        magnitude = math.floor(math.log10(abs(value))) if value else 0
        resolution = 10.0 ** (magnitude - digits + 1)
    decimals = int(min(max(0, exponent - math.floor(math.log10(resolution))), 15))
    if exponent and abs(float(f"{value / 10.0**exponent:.{decimals}f}")) >= 10.0:
        exponent, decimals = exponent + 1, min(decimals + 1, 15)  # 9.9998e-13: 1.00 x 10^-12
    return exponent, decimals


def probability_text(p: float, style: str = "plain") -> str:
    """A probability or likelihood value as every scene writes it: PROBABILITY_DECIMALS
    decimals, or three significant digits as m×10^e below 0.001.

    >>> probability_text(0.26682793), probability_text(0.00222357), probability_text(4.5399e-05)
    ('0.2668', '0.0022', '4.54×10⁻⁵')
    """
    p = float(p)
    if p == 0 or abs(p) >= 1e-3:
        return f"{p:.{PROBABILITY_DECIMALS}f}"
    return number_text(p, digits=3, style=style)


def math_with_number(tex: str, number: str, font_size: float = theme.MATH_SIZE, color=theme.TEXT,
                     lines: int = 1) -> VGroup:
    """A label that carries a number from the data: ``tex`` (symbols, e.g. ``\\eta =``) as
    math, then ``number`` in the lecture's number style (sans, as tall as TeX's digits, like
    every readout); ``lines`` 2 puts the number under the symbols. A minus is a real minus."""
    symbols = MathTex(tex, font_size=font_size, color=color)
    value = lecture_text(number.replace("-", "−"), size=font_size * theme.SANS_PER_MATH, color=color)
    return VGroup(symbols, value).arrange(DOWN if lines == 2 else RIGHT, buff=0.12 if lines == 2 else 0.15)


def probability_tolerance(p: float) -> float:
    """Half a unit of the last digit :func:`probability_text` writes."""
    p = float(p)
    if p == 0 or abs(p) >= 1e-3:
        return 0.5 * 10.0**-PROBABILITY_DECIMALS
    return number_text_tolerance(p, digits=3)


def probability_value(p: float) -> float:
    """The number :func:`probability_text` shows, as a float (what a reader reads).

    >>> probability_value(0.26040522), probability_value(4.5399e-05)
    (0.2604, 4.54e-05)
    """
    p = float(p)
    if p == 0 or abs(p) >= 1e-3:
        return float(f"{p:.{PROBABILITY_DECIMALS}f}")
    return float(number_text(p, digits=3, style="e"))


def loss_text(value: float, style: str = "plain") -> str:
    """A log likelihood or NLL value of the phone-OS data, or the NLL's gradient, as every
    scene writes it and narration reads it: LOSS_DECIMALS decimals, or four significant
    digits as m×10^e when huge or tiny (``style`` as for :func:`number_text`).

    >>> loss_text(6.108643), loss_text(-0.93677), loss_text(6.9e14), loss_text(-2.5e-06, "words")
    ('6.1086', '-0.9368', '6.900×10¹⁴', '-2.500 × 10⁻⁶')
    """
    value = float(value) + 0.0
    if value == 0 or 1e-3 <= abs(value) < 1e5:
        return f"{value:.{LOSS_DECIMALS}f}"
    return number_text(value, digits=4, style=style)


def loss_tolerance(value: float) -> float:
    """Half a unit of the last digit :func:`loss_text` writes."""
    value = float(value)
    if value == 0 or 1e-3 <= abs(value) < 1e5:
        return 0.5 * 10.0**-LOSS_DECIMALS
    return number_text_tolerance(value, digits=4)


def number_text_tolerance(value: float, resolution: float | None = None, digits: int = 4) -> float:
    """Half a unit of the last digit :func:`number_text` writes (for tests of shown numbers).

    >>> number_text_tolerance(2.175e12, 2e10), number_text_tolerance(168.344, 0.026)
    (5000000000.0, 0.005)
    """
    exponent, decimals = _number_format(float(value), resolution, digits)
    return 0.5 * 10.0 ** (exponent - decimals)


@_no_minus_zero
def scaled_words(value: float, exponent: int, decimals: int) -> str:
    """``value`` as a readout in units of 10**exponent writes it, for narration:
    "168.34", or "1.57 × 10¹²".

    >>> scaled_words(168.344, 0, 2), scaled_words(1.5e12, 12, 2)
    ('168.34', '1.50 × 10¹²')
    """
    if exponent == 0:
        return f"{value:.{decimals}f}"
    return f"{value / 10.0**exponent:.{decimals}f} × 10{_axis.superscript(exponent)}"


def readout_decimals(exponent: int, resolution: float) -> int:
    """Decimal places of a readout in units of 10**exponent that resolve ``resolution``."""
    return int(min(max(0, exponent - math.floor(math.log10(resolution))), 15))


@_no_minus_zero
def sci_words(value: float, digits: int = 3) -> str:
    """A number for narration and plain text: as is when ordinary, "1 × 10³⁰⁰" when huge
    or tiny (never 301 digits; narration is also the caption, so written, not spelled out).

    >>> sci_words(0.01), sci_words(1e300), sci_words(-2.5e-12), sci_words(123456.0)
    ('0.01', '1 × 10³⁰⁰', '-2.5 × 10⁻¹²', '1.23 × 10⁵')
    """
    value = float(value)
    if value == 0 or not math.isfinite(value) or 1e-4 <= abs(value) < 1e5:
        text = f"{value:.{digits + 1}g}"
        return text
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    return f"{mantissa} × 10{_axis.superscript(int(exponent))}"


@_no_minus_zero
def sci_tex_number(value: float, digits: int = 4) -> str:
    """A number for MathTex: plain when ordinary, ``m \\times 10^{e}`` when huge or tiny."""
    value = float(value)
    if value == 0 or not math.isfinite(value) or 1e-4 <= abs(value) < 1e5:
        return f"{value:.{digits}g}"
    return _axis.sci_tex(value, digits)


def decimals_for(step: float) -> int:
    """Decimal places that show a tick step exactly.

    >>> decimals_for(0.02), decimals_for(5.0)
    (2, 0)
    """
    return max(0, -math.floor(math.log10(step) + 1e-9))


@_no_minus_zero
def format_number(value: float, digits: int = 4) -> str:
    """A number for display: fixed digits where sensible, else scientific.

    >>> format_number(6.108643), format_number(2.2e-11)
    ('6.1086', '2.2e-11')
    """
    if value != 0 and (abs(value) < 10 ** -(digits - 1) or abs(value) >= 1e7):
        return f"{value:.{max(digits - 3, 1)}e}".replace("e-0", "e-").replace("e+0", "e+")
    return f"{value:.{digits}f}"


# Narration voices: the render worker sets a provider for --voice (lecture/voice/render_hook.py).
BREATH_S = 0.3  # after a beat's voice, before the next beat
_VOICE: dict[str, Any] = {"provider": None}


def set_voice_provider(provider: Any) -> None:
    """``provider(beat_id, text, lang)`` -> ``(duration_s, wav_path)`` or None (no voice for
    that beat); ``None`` removes it (silent, reading-rate timing)."""
    _VOICE["provider"] = provider


def voice_provider() -> Any:
    """The provider :func:`set_voice_provider` set (or None)."""
    return _VOICE["provider"]


class LectureScene(Scene):
    """Base of every lecture scene: language, data, strings, narration and a heading.

    Subclasses set ``scene_id`` (the catalog id) and write ``construct`` as short steps.
    """

    scene_id: ClassVar[str]

    def setup(self) -> None:
        super().setup()
        self.lang = current_language()
        self.data, self.results = current_data()
        self.words = strings(self.scene_id, self.lang)
        # The data's story (mathcore/story.py): which variant of a line, and its words.
        self.story = story_words(self.data, self.lang)
        self.story_modes = story_modes(self.data)
        self.story_fields = story.story_fields(self.data, self.story)
        self.camera.background_color = theme.BACKGROUND
        self.shown_numbers: dict[str, float] = {}
        self.shown_tolerances: dict[str, float] = {}
        self.layout_beats: list[dict[str, Any]] = []  # what is on screen at each beat's end (scenes/layout.py)

    # Number style: one precision per quantity, in every scene (mathcore/precision.py) ----
    @property
    def heights_resolution(self) -> float:
        """The smallest difference a heights quantity (a sample, mu, mu-hat, sigma) is
        written to, for :func:`number_text` and :func:`readout_decimals`."""
        h = self.data.heights
        return heights_resolution(h.samples, h.sigma)

    @property
    def sample_resolution(self) -> float:
        """The resolution one sample is shown at: as written in the data (1.728)."""
        h = self.data.heights
        return sample_resolution(h.samples, h.sigma)

    def heights_text(self, value: float, style: str = "plain") -> str:
        """A heights quantity as every scene writes it (168.34; 1.6968; 2.050×10¹²)."""
        return number_text(value, self.heights_resolution, style=style)

    def p_hat_text(self) -> str:
        """p-hat = k / n as every scene writes it (0.7, 0.62, 0.6667)."""
        binary = self.data.binary
        return f"{binary.k / binary.n:.{p_hat_decimals(binary.k, binary.n)}f}"

    def record_shown(self, name: str, value: float, tolerance: float = 0.0) -> None:
        """Note a number as it is on screen (read it off the mobject), so tests can check it;
        ``tolerance``: how far the shown digits may be from the value (display rounding)."""
        self.shown_numbers[name] = float(value)
        if tolerance:
            self.shown_tolerances[name] = float(tolerance)

    # Strings -------------------------------------------------------------------------
    def word(self, key: str, **fields: Any) -> str:
        """The scene's string ``key`` in the current language, with ``fields`` filled in."""
        template = story.pick_template(self.words, self.scene_id, key, self.story_modes)
        return story.FORMATTER.format(template, **{**self.story_fields, **fields})

    def get_text(self, key: str, size: float = theme.BODY_SIZE, **fields: Any) -> Text:
        return lecture_text(self.word(key, **fields), size=size)

    def get_heading(self) -> Mobject:
        """The scene title, at the top left of the safe area (theme.CONTENT_LEFT), sized to fit."""
        heading = lecture_text(self.word("title"), size=theme.HEADING_SIZE, weight="BOLD")
        fit_width(heading, theme.CONTENT_RIGHT - theme.CONTENT_LEFT)
        heading.to_corner(UP + LEFT, buff=(theme.SAFE_MARGIN_X, theme.EDGE, 0))
        return heading

    # Narration -----------------------------------------------------------------------
    @contextmanager
    def narrate(self, key: str, **fields: Any) -> Iterator[None]:
        """Caption everything played inside the block with narration line ``key``.

        The block lasts at least long enough to read the line: a short wait pads it. With
        a voice provider set (:func:`set_voice_provider`, by the render worker for
        ``--voice``), a voiced block lasts at least its voice plus ``BREATH_S`` instead,
        and the beat (id ``NN-scene-id/key``, start, end, voice) is noted in
        ``self.voice_beats``. Without one the timing is the reading-rate timing.
        """
        line = self.word(key, **fields)
        start = self.time
        voice = None
        provider = _VOICE["provider"]
        if provider is not None:
            beat_id = self._next_beat_id(key)
            voice = provider(beat_id, line, self.lang)  # (duration_s, wav path) or None
        self._beat_voice = (start, voice[0]) if voice is not None and voice[0] > 0 else None
        voiced = voice is not None and voice[0] > 0
        self._beat_end = start + (voice[0] + BREATH_S if voiced
                                  else max(len(line) * theme.SECONDS_PER_CHAR[self.lang], theme.MIN_BEAT_S))
        try:
            yield
        finally:
            self._beat_voice = None
            self._beat_end = None
        if voice is not None and voice[0] > 0:
            # whole frames, never less than the voice and its breath (manim rounds a wait down)
            short = math.ceil((voice[0] + BREATH_S - (self.time - start)) * config.frame_rate - 1e-6)
            if short > 0:
                self.wait((short + 0.5) / config.frame_rate)
        else:  # whole frames, never under the reading time (a subtitle's reading rate)
            reading = max(len(line) * theme.SECONDS_PER_CHAR[self.lang], theme.MIN_BEAT_S)
            short = math.ceil((reading - (self.time - start)) * config.frame_rate - 1e-6)
            if short > 0:
                self.wait((short + 0.5) / config.frame_rate)
        if provider is not None:
            self.voice_beats.append({"id": beat_id, "start_s": start, "end_s": self.time,
                                     "path": None if voice is None else voice[1],
                                     "duration_s": 0.0 if voice is None else voice[0]})
        self.layout_beats.append({"key": key, "time_s": round(self.time, 4), **layout.snapshot(self)})
        self.add_subcaption(line, duration=self.time - start, offset=-(self.time - start))

    def play_to_voice(self, *animations: Any, **kwargs: Any) -> None:
        """Play ``animations`` as the last of a narration block, scaled to the beat's voice.

        Silent (no voice for this beat, or outside a block) it is ``self.play`` with the
        given ``run_time`` (the reading-rate timing is unchanged). Voiced, its run time
        stretches (never shrinks) so that it ends where the voice and its breath end,
        instead of the block being padded with a still wait afterwards.
        """
        beat = getattr(self, "_beat_voice", None)
        if beat is not None:
            start, voice_s = beat
            fill = voice_s + BREATH_S - (self.time - start)
            kwargs["run_time"] = max(kwargs.get("run_time", 1.0), fill)
        self.play(*animations, **kwargs)

    def play_steps(self, *steps: Any, slow_by: float = 1.0) -> None:
        """Play ``steps`` one after another, spread over what is left of the narration beat
        they sit in (its reading time, or its voice and breath), so that the screen changes
        as the line goes on instead of holding still after the last animation.

        A step is an animation or a tuple of animations played together. Each step gets an
        even share of the beat's spare time: its animations slow down by up to ``slow_by``
        times their run time, and the rest of the share is a hold after it (the last
        step's hold is the beat's own padding). Outside a beat, or with no spare time, the
        steps play at their own run times. The longest still moment is one share less the
        slowing: with k steps, (spare / k) - slow_by * run time.
        """
        from manim.animation.animation import prepare_animation

        groups = [[prepare_animation(a) for a in (step if isinstance(step, (tuple, list)) else (step,))]
                  for step in steps]
        base = [max(float(a.run_time) for a in group) for group in groups]
        end = getattr(self, "_beat_end", None)
        spare = max(0.0, (end - self.time) - sum(base)) if end is not None else 0.0
        share = spare / len(groups) if groups else 0.0
        for i, (group, run_time) in enumerate(zip(groups, base)):
            slow = min(share, slow_by * run_time)
            self.play(*group, run_time=run_time + slow)
            hold = share - slow
            if i < len(groups) - 1 and hold * config.frame_rate >= 1:
                self.wait(hold)

    def _next_beat_id(self, key: str) -> str:
        """``NN-scene-id/key`` (``key-2``, ``key-3``... for a key narrated again)."""
        from .catalog import SCENES_BY_ID

        if not hasattr(self, "voice_beats"):
            self.voice_beats: list[dict[str, Any]] = []
            self._beat_counts: dict[str, int] = {}
        count = self._beat_counts[key] = self._beat_counts.get(key, 0) + 1
        spec = SCENES_BY_ID[self.scene_id]
        return f"{spec.index:02d}-{spec.id}/{key if count == 1 else f'{key}-{count}'}"

    def show_conclusion(self, conclusion: Mobject, key: str, color=theme.HIGHLIGHT) -> Mobject:
        """Write a scene's conclusion and box it, under narration line ``key``; returns the box."""
        box = SurroundingRectangle(conclusion, color=color, buff=0.15)
        with self.narrate(key):
            self.play(Write(conclusion), run_time=1.5)
            self.play(Create(box))
            self.mark_result()
        return box

    def mark_result(self) -> None:
        """Note that a result is fully on screen now (see :meth:`hold_result`)."""
        self.result_shown_at = self.time

    def hold_result(self, seconds: float = theme.RESULT_HOLD_S) -> None:
        """Keep the screen as it is until the result noted by :meth:`mark_result` has been
        fully shown for ``seconds`` (a result is never gone before it can be read)."""
        held = self.time - getattr(self, "result_shown_at", self.time)
        if held < seconds:
            self.wait(seconds - held)

    def beat_seconds(self, key: str, **fields: Any) -> float:
        """How long narration line ``key`` lasts in a silent render (its reading time): for
        sizing a beat's animations so the screen is not still for most of it."""
        return max(len(self.word(key, **fields)) * theme.SECONDS_PER_CHAR[self.lang], theme.MIN_BEAT_S)

    def say(self, key: str, *animations: Any, **fields: Any) -> None:
        """Play ``animations`` (or just wait) under one narration line."""
        with self.narrate(key, **fields):
            if animations:
                self.play(*animations)


def stack(*mobjects: Mobject, buff: float = theme.GAP) -> VGroup:
    """Mobjects one under another, left-aligned."""
    group = VGroup(*mobjects)
    group.arrange(DOWN, aligned_edge=LEFT, buff=buff)
    return group
