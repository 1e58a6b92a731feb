"""Numbers as the lecture writes them (text only, no manim): one precision per quantity
(mathcore/precision.py), mantissa × 10^e when huge or tiny, never a "−0"; the tolerances
tests compare shown numbers with."""

from __future__ import annotations

import functools
import math
import re

from mathcore import axis as _axis
from mathcore.precision import LOSS_DECIMALS, PROBABILITY_DECIMALS


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


_HYPHEN_MINUS = re.compile(r"(?<![\w.\u0300-\u036f])-(?=\d)")


def minus_signs(text: str) -> str:
    """``text`` with every hyphen that is a number's sign written as the minus sign "−"
    (U+2212), as the screen writes it; a hyphen inside a word or between two numbers stays.
    Narration is also the caption, so it follows the screen's number style.

    >>> minus_signs("smallest: -1232.40."), minus_signs("from -784.3137 to -3.9959"), minus_signs("(-2.5, x-axis, 1-2)")
    ('smallest: −1232.40.', 'from −784.3137 to −3.9959', '(−2.5, x-axis, 1-2)')
    """
    return _HYPHEN_MINUS.sub("\u2212", text)


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
