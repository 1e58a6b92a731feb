"""Axes and ticks: tick ranges from mathcore, NumberLine/Axes with a bounded number of ticks
that cross at the bottom-left corner, and tick labels in the lecture's number style."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from manim import DOWN, LEFT, Axes, Mobject, NumberLine, VGroup

from mathcore import axis as _axis
from mathcore.axis import Ticks, axis_ticks

from . import theme
from .draw import lecture_text


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
