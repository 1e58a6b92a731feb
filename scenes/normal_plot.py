"""A normal curve on tidy axes, and theta = (mu, sigma) placed over its peak clear of the
labels: the plot of scenes 2 and 4."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import DOWN, RIGHT, UP, Axes, Line, MathTex, Mobject, Polygon, VGroup

from mathcore import normal_pdf
from mathcore.axis import axis_ticks
from mathcore.heights_view import axis_window

from . import theme
from .axes import data_axes, set_ticks, tick_labels, tick_note
from .draw import fit_width, lecture_text
from .number_format import number_text
from .readouts import math_with_number


BOX_BUFF = 0.15  # room for a SurroundingRectangle around a row set against the margin


def density_decimals(peak: float) -> int:
    """Decimal places that give a density readout about four significant digits."""
    return max(2, 3 - math.floor(math.log10(peak)))


@dataclass
class NormalPlot:
    """Axes with tick labels and the pdf of N(mu, sigma) over mu +- 3.5 sigma."""

    axes: Axes
    curve: Mobject
    labels: VGroup
    mu: float
    sigma: float
    y_label: Mobject | None = None  # f(x; theta), also in ``labels``

    def pdf(self, x: float) -> float:
        return float(normal_pdf(x, self.mu, self.sigma))

    def on_curve(self, x: float) -> np.ndarray:
        return self.axes.c2p(x, self.pdf(x))

    def on_axis(self, x: float) -> np.ndarray:
        return self.axes.c2p(x, 0.0)

    def height_line(self, x: float, color=theme.HIGHLIGHT, stroke_width: float = 6) -> Line:
        """The likelihood as a segment: from the axis up to the curve at x."""
        return Line(self.on_axis(x), self.on_curve(x), color=color, stroke_width=stroke_width)

    def area(self, lo: float, hi: float, color=theme.SECOND, opacity: float = 0.55) -> Polygon:
        """The region under the curve between lo and hi (a probability)."""
        xs = np.linspace(lo, hi, 24)
        top = [self.on_curve(x) for x in xs]
        return Polygon(self.on_axis(lo), *top, self.on_axis(hi), color=color, fill_opacity=opacity, stroke_width=0)

    @property
    def group(self) -> VGroup:
        return VGroup(self.axes, self.labels, self.curve)


def get_normal_plot(mu: float, sigma: float, unit_label: str, width: float = 11.0, height: float = 3.3) -> NormalPlot:
    """A normal curve on tidy axes that adapt to any scale (cm, m, in, kg, 1e-11, 1e15) and
    sign: the axes cross at the bottom left, ticks are few and their labels short. The
    x-axis runs over mu +- 3.5 sigma exactly (the curve fills it), ticks at round values."""
    x_ticks = axis_window(mu - 3.5 * sigma, mu + 3.5 * sigma, 6)
    peak = float(normal_pdf(mu, mu, sigma))
    y_ticks = axis_ticks(0.0, peak * 1.12, 4)
    axes = data_axes(x_ticks, y_ticks, width, height, tick_size=0.06)
    set_ticks(axes.x_axis, x_ticks.values)
    labels = VGroup(tick_labels(axes, x_ticks, "x"), tick_labels(axes, y_ticks, "y", skip_zero=True))
    x_start, x_end = x_ticks.start, x_ticks.end
    x_label = lecture_text(unit_label, size=theme.LABEL_SIZE, color=theme.MUTED)
    fit_width(x_label, 0.3 * width)
    x_label.next_to(axes.c2p(x_end, 0), UP, buff=0.2).align_to(axes.c2p(x_end, 0), RIGHT)
    y_label = MathTex(r"f(x;\theta)", font_size=theme.MATH_SIZE * 0.8, color=theme.MUTED)
    y_label.next_to(axes.c2p(x_start, y_ticks.end), RIGHT, buff=0.2)
    labels.add(x_label, y_label)
    x_note, y_note = tick_note(x_ticks), tick_note(y_ticks)
    if x_note is not None:  # under the last tick labels: how to read them
        labels.add(x_note.next_to(labels[0], DOWN, buff=0.1).align_to(axes.c2p(x_end, 0), RIGHT))
    if y_note is not None:
        labels.add(y_note.next_to(y_label, RIGHT, buff=0.25))
    curve = axes.plot(
        lambda x: float(normal_pdf(x, mu, sigma)),
        x_range=[max(x_start, mu - 4 * sigma), min(x_end, mu + 4 * sigma), sigma / 12],
        color=theme.CURVE,
        stroke_width=5,
        use_smoothing=False,
    )
    return NormalPlot(axes, curve, labels, mu, sigma, y_label)


def place_plot(plot: NormalPlot, bottom: float = theme.CONTENT_BOTTOM + 0.05) -> None:
    """Centre the plot horizontally and rest its tick labels just above ``bottom`` (by
    default the caption band's top edge: captions never cover the axis)."""
    group = plot.group
    group.move_to([0, 0, 0])
    group.shift((bottom - group.get_bottom()[1]) * UP)


def clear_of(label: Mobject, obstacles: list[Mobject], plot: NormalPlot, gap: float = 0.25,
             min_scale: float = 0.75) -> bool:
    """Keep ``label`` (theta over the peak) as near the peak as it can be while clear of the
    plot's labels on its left (f(x; theta) and its scale note) and of ``obstacles`` (the
    readouts, a conclusion) where they share its height; shrink it (not below ``min_scale``)
    if the room between is narrower than it. False if it does not fit even so."""
    def beside(m: Mobject) -> bool:
        return m.get_bottom()[1] < label.get_top()[1] and m.get_top()[1] > label.get_bottom()[1]

    floor, ceiling = plot.axes.get_left()[0], theme.CONTENT_RIGHT - 0.2  # room to Indicate it
    for m in [*plot.labels.submobjects, *obstacles]:
        if not beside(m):
            continue
        if m.get_center()[0] < label.get_center()[0]:
            floor = max(floor, m.get_right()[0] + gap)
        else:
            ceiling = min(ceiling, m.get_left()[0] - gap)
    fits = label.width * min_scale <= ceiling - floor
    if label.width > ceiling - floor:
        label.scale(max(min_scale, (ceiling - floor) / label.width))
    centre = min(max(label.get_center()[0], floor + label.width / 2), ceiling - label.width / 2)
    label.shift((centre - label.get_center()[0]) * RIGHT)
    return fits


def place_theta_label(plot: NormalPlot, obstacles: list[Mobject], resolution: float,
                      tag: str | None = None) -> VGroup:
    """theta = (mu, sigma) over the peak, clear of the labels and the readouts (on two
    lines when one does not fit between them: huge or tiny numbers), with a keyword ``tag``
    after it (scene 4's "fixed")."""
    for lines in (1, 2):
        label = get_theta_label(plot.mu, plot.sigma, resolution, lines, tag)
        label.next_to(plot.on_curve(plot.mu), UP, buff=0.25)
        if clear_of(label, obstacles, plot):
            break
    return label


def get_theta_label(mu: float, sigma: float, resolution: float, lines: int = 1, tag: str | None = None) -> VGroup:
    """theta = (mu, sigma) = (numbers): the symbols as math, the numbers in the lecture's
    number style (sans, like every readout; mantissa x 10^e when huge or tiny), written to
    the heights ``resolution`` (LectureScene.heights_resolution); ``lines`` 2 puts the
    numbers under theta = (mu, sigma). ``tag``: a keyword in the lecture's font after it."""
    numbers = f"({number_text(mu, resolution)}, {number_text(sigma, resolution)})"
    label = math_with_number(r"\theta = (\mu, \sigma) =", numbers, theme.MATH_SIZE * 0.8, theme.CURVE, lines)
    if tag is not None:
        word = lecture_text(tag, size=theme.LABEL_SIZE, color=theme.MUTED)
        label.add(word.next_to(label, RIGHT, buff=0.3).align_to(label[-1], DOWN))
    return fit_width(label, theme.CONTENT_RIGHT - theme.CONTENT_LEFT)
