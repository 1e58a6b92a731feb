"""Axis ticks for any data: a bounded number of ticks and short labels at every scale.

Pure Python (no manim). Every axis the scenes draw takes its range, step and tick labels
from :func:`axis_ticks`, so whatever a data file holds (values around 1e-11 or 1e15,
negative numbers, a spread a billionth of the values' size, counts up to 10^15):

- there are at most ``max_ticks`` (12) ticks: the step is chosen from the span, never
  from the values' magnitude;
- a span too small to subdivide in floating point (fewer than ``MIN_ULPS`` doubles, about
  1.4e-14 of the values' magnitude, and at least 1e-300) is widened around its centre
  to that size; an empty
  span at 0 becomes [0, 1];
- labels stay short. They are the values themselves when that takes at most
  ``max_chars`` characters ("163", "1.65", "0.0005"); else the labels are scaled by a
  common power of ten, shown once beside the axis ("1.5", "2.0" with the note "×10¹²");
  else, when the span is tiny next to the values (169.99999999 to 170.00000001), the
  labels count from the roundest tick ("-10", "-5", "0", "5", "10" with the note
  "×10⁻⁹ + 170": a label L means L × 10⁻⁹ + 170).

Labels are built from integers (tick k is ``n_k × 10^e`` exactly), so they never show
float noise such as 0.30000000000000004.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_TICKS = 12
# Spans of fewer than this many doubles (units in the last place of the values' magnitude)
# are widened to it: about 1.4e-14 of the magnitude, so ticks stay distinct and bounded.
MIN_ULPS = 64
# ... and spans below this (subnormal territory, where 1-2-5 steps are not representable).
MIN_SPAN = 1e-300
MAX_LABEL_CHARS = 7
# Scaled labels (×10^e) carry at most this many significant digits; more need an offset.
MAX_SCALED_DIGITS = 4
# An offset longer than this is written as mantissa × 10^e.
MAX_PLAIN_OFFSET_CHARS = 16

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


@dataclass(frozen=True)
class Ticks:
    """An axis from ``start`` to ``end`` with a tick every ``step``.

    ``labels[i]`` is the text at ``values[i]``. ``note`` (plain text) and ``note_tex``
    (for MathTex) say how to read the labels when they are not the values themselves:
    "" (they are), "×10¹²" (scaled), or "×10⁻⁷ + 170.0000001" (scaled and offset).

    >>> t = axis_ticks(163.1, 173.6, 5)
    >>> t.start, t.end, t.step, t.labels, t.note
    (160.0, 175.0, 5.0, ('160', '165', '170', '175'), '')
    """

    start: float
    end: float
    step: float
    values: tuple[float, ...]
    labels: tuple[str, ...]
    exponent: int = 0
    offset: float = 0.0
    note: str = ""
    note_tex: str = ""

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def range(self) -> tuple[float, float, float]:
        """(start, end, step), the form manim's ``x_range`` takes."""
        return self.start, self.end, self.step

    def reading(self, index: int) -> float:
        """The value a reader gets from label ``index`` and the note (for tests)."""
        return float(f"{self.labels[index]}e{self.exponent}") + self.offset


def superscript(exponent: int) -> str:
    """An integer as Unicode superscript digits, for plain-text notes.

    >>> superscript(-7), superscript(12)
    ('⁻⁷', '¹²')
    """
    return str(int(exponent)).translate(_SUPERSCRIPT)


def _decimal_text(n: int, e: int) -> str:
    """The exact decimal n × 10^e, with max(0, -e) decimals ("-0.5", "170.0000001")."""
    if e >= 0:
        return str(n * 10**e)
    sign = "-" if n < 0 else ""
    digits = str(abs(n)).rjust(-e + 1, "0")
    return f"{sign}{digits[:e]}.{digits[e:]}"


def _decimal_value(n: int, e: int) -> float:
    return float(f"{n}e{e}")


def _nice(raw: float) -> tuple[int, int]:
    """(multiple, exponent) of the smallest 1-2-5 step multiple × 10^exponent >= raw."""
    mantissa, exponent = f"{raw:.12e}".split("e")  # exact decade, subnormals included
    scaled, exponent = float(mantissa), int(exponent)
    for multiple in (1, 2, 5, 10):
        if scaled <= multiple * (1 + 1e-9):
            return (1, exponent + 1) if multiple == 10 else (multiple, exponent)
    return 1, exponent + 1  # pragma: no cover (rounding at the top of a decade)


def _trailing_zeros(n: int) -> int:
    if n == 0:
        return 10**9
    count = 0
    while n % 10 == 0:
        n //= 10
        count += 1
    return count


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A 1-2-5 step giving about ``target_ticks`` steps over ``span`` (never 0, never inf).

    >>> nice_step(10.0), nice_step(0.07), nice_step(7e-13), nice_step(3e12)
    (2.0, 0.02, 2e-13, 1000000000000.0)
    """
    multiple, exponent = _nice(max(float(span), 5e-324) / max(int(target_ticks), 1))
    return _decimal_value(multiple, exponent)


def sci_text(value: float, digits: int = 3) -> str:
    """A number as "m×10^e" plain text (``digits`` significant), e.g. for huge offsets.

    >>> sci_text(1.000000000002e15, 13), sci_text(-2.5e-11)
    ('1.000000000002×10¹⁵', '-2.5×10⁻¹¹')
    """
    mantissa, exponent = _sci_parts(value, digits)
    return f"{mantissa}×10{superscript(exponent)}"


def sci_tex(value: float, digits: int = 3) -> str:
    r"""The same for MathTex: ``1.5 \times 10^{12}``.

    >>> sci_tex(1.5e12)
    '1.5 \\times 10^{12}'
    """
    mantissa, exponent = _sci_parts(value, digits)
    return rf"{mantissa} \times 10^{{{exponent}}}"


def _sci_parts(value: float, digits: int) -> tuple[str, int]:
    if value == 0 or not math.isfinite(value):
        return f"{value:g}", 0
    text = f"{value:.{max(digits - 1, 0)}e}"
    mantissa, exponent = text.split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa, int(exponent)


def _offset_texts(n: int, e: int) -> tuple[str, str]:
    plain = _decimal_text(n, e)
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".")
    if len(plain.lstrip("-")) <= MAX_PLAIN_OFFSET_CHARS:
        return plain, plain
    digits = len(str(abs(n)).rstrip("0")) or 1
    value = _decimal_value(n, e)
    return sci_text(value, digits), sci_tex(value, digits)


def axis_ticks(low: float, high: float, target_ticks: int = 5, max_ticks: int = MAX_TICKS,
               max_chars: int = MAX_LABEL_CHARS, min_step: float | None = None) -> Ticks:
    """Ticks covering [low, high]: at most ``max_ticks`` of them, labels of at most
    ``max_chars`` characters where the values allow (see the module docstring). A
    ``min_step`` (1 for counts) is the finest step allowed.

    >>> axis_ticks(-13.3, -9.1).labels
    ('-14', '-13', '-12', '-11', '-10', '-9')
    >>> t = axis_ticks(1.1e12, 3.4e12); t.labels, t.note
    (('1.0', '1.5', '2.0', '2.5', '3.0', '3.5'), '×10¹²')
    >>> t = axis_ticks(170.00000011, 170.00000049); t.labels, t.note
    (('-2', '-1', '0', '1', '2'), '×10⁻⁷ + 170.0000003')
    >>> axis_ticks(3, 5, min_step=1).labels
    ('3', '4', '5')
    >>> t = axis_ticks(170 - 1e-11, 170 + 1e-11); t.labels, t.note
    (('-10', '-5', '0', '5', '10'), '×10⁻¹² + 170')
    """
    low, high = float(low), float(high)
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"an axis needs finite ends, got {low!r} and {high!r}")
    if high < low:
        low, high = high, low
    magnitude = max(abs(low), abs(high))
    min_span = max(MIN_ULPS * math.ulp(magnitude), MIN_SPAN)
    if magnitude == 0.0:
        low, high = 0.0, 1.0
    elif high - low < min_span:
        centre = 0.5 * (low + high)
        low, high = centre - 0.5 * min_span, centre + 0.5 * min_span
    target = max(1, min(int(target_ticks), max_ticks - 2))
    multiple, e = _nice((high - low) / target)
    if min_step is not None and _decimal_value(multiple, e) < min_step:
        multiple, e = _nice(min_step)
    while True:
        step = _decimal_value(multiple, e)
        first, last = math.floor(low / step), math.ceil(high / step)
        # low / step is rounded: settle on the tightest ticks that still cover [low, high].
        while _decimal_value(first * multiple, e) > low:
            first -= 1
        while _decimal_value((first + 1) * multiple, e) <= low:
            first += 1
        while _decimal_value(last * multiple, e) < high:
            last += 1
        while _decimal_value((last - 1) * multiple, e) >= high:
            last -= 1
        if last - first + 1 <= max_ticks:
            break
        multiple, e = {1: (2, e), 2: (5, e), 5: (1, e + 1)}[multiple]
    ns = [k * multiple for k in range(first, last + 1)]
    values = tuple(_decimal_value(n, e) for n in ns)
    base = dict(start=values[0], end=values[-1], step=step, values=values)

    plain = tuple(_decimal_text(n, e) for n in ns)
    if max(len(s) for s in plain) <= max_chars:
        return Ticks(labels=plain, **base)

    top = max(abs(n) for n in ns)
    top_exponent = e + len(str(top)) - 1  # the largest tick is about 10**top_exponent
    if top_exponent - e + 1 <= MAX_SCALED_DIGITS:
        labels = tuple(_decimal_text(n, e - top_exponent) for n in ns)
        return Ticks(labels=labels, exponent=top_exponent, note=f"×10{superscript(top_exponent)}",
                     note_tex=rf"\times 10^{{{top_exponent}}}", **base)

    # A span tiny next to the values: labels count in units of 10**e from the roundest tick.
    zero = max(range(len(ns)), key=lambda i: (_trailing_zeros(ns[i]), -abs(2 * i - len(ns) + 1)))
    offset_text, offset_tex = _offset_texts(ns[zero], e)
    labels = tuple(str(n - ns[zero]) for n in ns)
    scale, scale_tex = ("", "") if e == 0 else (f"×10{superscript(e)} ", rf"\times 10^{{{e}}} ")
    sign = "−" if offset_text.startswith("-") else "+"
    note = f"{scale}{sign} {offset_text.lstrip('-')}"
    note_tex = f"{scale_tex}{'-' if sign == '−' else '+'} {offset_tex.lstrip('-')}"
    return Ticks(labels=labels, exponent=e, offset=values[zero], note=note, note_tex=note_tex, **base)
