"""Scene 6: maximum likelihood: sweep mu, trace L(mu), mark the peak at the sample mean.

Top: the samples and the normal curve N(mu, sigma) with sigma fixed, segments f(x_i; mu).
Bottom: the likelihood as a function of mu, drawn relative to its maximum,
L(mu|x) / L(theta_hat|x) (the absolute values span hundreds of powers of ten; the live
readout shows them as mantissa x 10^exponent), zoomed to its peak: mu_hat +- 4 sigma/sqrt(n),
a band on the top axis and two dashed lines show where that window lies. The sweep
traces the curve over that window; it ends at theta_hat = argmax L = the sample mean.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circumscribe,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Flash,
    Indicate,
    LaggedStart,
    Line,
    MathTex,
    Rectangle,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    linear,
    smooth,
)

from mathcore.axis import Ticks
from mathcore.heights_view import (
    axis_window,
    density_peak,
    display_subsample,
    likelihood_width,
    relative_likelihood_curve,
    sweep_grid,
    view_interval,
)
from scenes import theme
from scenes.axes import data_axes, set_ticks, tick_labels, tick_note
from scenes.base import LectureScene
from scenes.draw import ARGMAX_TEX, fit_width, lecture_text
from scenes.heights_plot import MAX_SEGMENTS, VIEW_SPREAD, HeightsPlot
from scenes.number_format import readout_decimals, readout_exponent, scaled_words
from scenes.readouts import ScaledDecimal, ScientificNumber, unit_text


GOAL_INDICATE = 1.1  # how much the goal grows as the voice names it


class MaximumLikelihood(HeightsPlot, LectureScene):
    scene_id = "maximum-likelihood"

    # Layout (scene units)
    ROW_Y = 2.45
    NOTE_Y = 1.85  # a likelihood row stepped down under the goal (1000 samples: 10^535) stays clear of it
    TOP_AXIS_Y = 0.2       # x-axis of the density panel
    TOP_HEIGHT = 1.05      # its f(x; mu) label stays clear of the note row
    BOTTOM_AXIS_Y = theme.CONTENT_BOTTOM + 0.9  # x-axis of the likelihood panel: its labels above the caption band
    BOTTOM_HEIGHT = 1.4 - theme.INK_INSET  # its top (and the peak's label over it) clear of the top panel's tick labels
    X_LENGTH = 11.4
    X_CENTRE = 0.25
    ZOOM_WIDTHS = 4.0      # the likelihood panel shows mu_hat +- this many sigma / sqrt(n)

    def place(self, axes: Axes, axis_y: float) -> Axes:
        """Put the x-axis of ``axes`` at height ``axis_y``, centred like the other panel."""
        origin = axes.c2p(axes.x_range[0], 0)
        axes.shift([self.X_CENTRE - axes.x_axis.get_center()[0], axis_y - origin[1], 0])
        return axes

    def get_windows(self) -> tuple[Ticks, Ticks]:
        """The likelihood panel's mu axis, zoomed to its peak (mu_hat +- ZOOM_WIDTHS widths,
        the width being sigma / sqrt(n)); the density panel's x axis: the samples and the
        curve at every mu of that sweep."""
        h = self.data.heights
        half = self.ZOOM_WIDTHS * likelihood_width(len(h.samples), h.sigma)
        mu_ticks = axis_window(h.mle_mu - half, h.mle_mu + half, 6)
        x_ticks = axis_window(*view_interval(h.samples, [mu_ticks.start, mu_ticks.end], h.sigma, VIEW_SPREAD), 6)
        return x_ticks, mu_ticks

    def get_top_panel(self, x_ticks: Ticks) -> tuple[Axes, VGroup]:
        """The samples' axis with f(x; mu): tick labels below, x (unit) at the panel's top right."""
        axes = self.place(self.get_height_axes(self.X_LENGTH, self.TOP_HEIGHT, y_ticks=2, x_ticks=x_ticks, tight=True),
                          self.TOP_AXIS_Y)
        label = MathTex(r"f(x;\mu)", font_size=theme.LABEL_SIZE + 4, color=theme.MUTED)
        label.next_to(axes.y_axis.get_top(), RIGHT, buff=0.3)
        labels = VGroup(label)
        if axes.y_note is not None:
            labels.add(axes.y_note.next_to(label, RIGHT, buff=0.25))
        name = lecture_text(f"x ({self.data.heights.unit})", size=theme.LABEL_SIZE, color=theme.MUTED)
        row = VGroup(*([axes.x_note] if axes.x_note is not None else []), name).arrange(RIGHT, buff=0.3)
        fit_width(row, 0.5 * axes.x_axis.width)
        # at the panel's top right, above the curve's peak (the y axis ends 30% above it): the
        # curve sweeps the whole axis, so just above the axis's end it ran through the label
        row.next_to(axes.y_axis.get_top(), UP, buff=0.0).align_to(axes.x_axis, RIGHT)
        row.shift((axes.y_axis.get_top()[1] - row.get_bottom()[1]) * UP)
        labels.add(row)
        return axes, labels

    def get_bottom_panel(self, mu_ticks: Ticks) -> tuple[Axes, VGroup]:
        """L(mu|x) / L(theta_hat|x) against mu over the zoomed window."""
        y_ticks = Ticks(start=0.0, end=1.2, step=0.5, values=(0.0, 0.5, 1.0), labels=("0.0", "0.5", "1.0"))
        axes = data_axes(mu_ticks, y_ticks, self.X_LENGTH, self.BOTTOM_HEIGHT)
        set_ticks(axes.x_axis, mu_ticks.values)
        axes.x_ticks, axes.y_ticks = mu_ticks, y_ticks
        axes.x_numbers = tick_labels(axes, mu_ticks, "x", size=theme.SMALL_SIZE + 2)
        axes.y_numbers = tick_labels(axes, y_ticks, "y", size=theme.SMALL_SIZE + 2, skip_zero=True)
        axes.x_note, axes.y_note = tick_note(mu_ticks), None
        axes.add(axes.x_numbers, axes.y_numbers)
        self.place(axes, self.BOTTOM_AXIS_Y)
        y_label = MathTex(r"\mathcal{L}(\mu|x)\,/\,\mathcal{L}(\hat\theta|x)", font_size=theme.LABEL_SIZE + 4,
                          color=theme.MUTED)
        # inside the panel's top left (the curve is low there), clear of the zoom lines' corner
        y_label.next_to(axes.c2p(mu_ticks.start, 1.2), DOWN + RIGHT, buff=0.12).shift(0.2 * RIGHT)
        x_name = self.get_axis_labels(axes, x_name=f"μ ({self.data.heights.unit})")[0]
        return axes, VGroup(y_label, x_name)

    def get_zoom(self, top: Axes, bottom: Axes, low: float, high: float) -> VGroup:
        """Where the likelihood panel's mu window lies on the samples' axis: a band on it and
        two dashed lines down to the panel's top corners."""
        left, right = top.c2p(low, 0), top.c2p(high, 0)
        # outlined and drawn over the sample dots: visible however many dots sit on it
        band = Rectangle(width=max(right[0] - left[0], 0.04), height=0.24, stroke_width=2.5, stroke_color=theme.CURVE,
                         fill_color=theme.CURVE, fill_opacity=0.35).move_to((left + right) / 2).set_z_index(3)
        start_y = (top.x_numbers.get_bottom()[1] if len(top.x_numbers) else left[1]) - 0.08
        lines = VGroup(*(
            DashedLine([p[0], start_y, 0], bottom.c2p(m, 1.2), color=theme.CURVE, stroke_width=2, stroke_opacity=0.7,
                       dash_length=0.08)
            for p, m in ((left, low), (right, high))
        ))
        return VGroup(band, lines)

    def get_goal(self) -> MathTex:
        """theta_hat = argmax_theta L(theta|x), top right beside the heading."""
        goal = MathTex(r"\hat\theta", rf"= {ARGMAX_TEX}_{{\theta}}\ \mathcal{{L}}(\theta|x)", font_size=theme.MATH_SIZE)
        goal[0].set_color(theme.OPTIMUM)
        # room to Indicate it (scale_factor GOAL_INDICATE about its centre) and no more: a
        # likelihood row with a long exponent steps down under its subscript, above the notes
        room = (GOAL_INDICATE - 1) * goal.height / 2 + 0.01
        goal.to_corner(UP + RIGHT, buff=(theme.SAFE_BUFF_X + 0.2, theme.SAFE_BUFF_Y + room, 0))
        return goal

    def get_mean_format(self) -> tuple[int, int]:
        """(exponent, decimals) of the mu readout and the sample mean: the heights resolution
        (the same digits in every scene), in units of 10**exponent when huge or tiny."""
        exponent = readout_exponent(self.data.heights.mle_mu)
        return exponent, readout_decimals(exponent, self.heights_resolution)

    def readout_format(self) -> tuple[int, int]:
        return self.get_mean_format()

    def mean_words(self, value: float) -> str:
        return scaled_words(value, *self.get_mean_format())

    def get_readout(self, mu: ValueTracker, low: float, high: float) -> tuple[VGroup, VGroup]:
        """mu = ... unit (left) and L(mu|x) = m x 10^e (right), both following ``mu`` as it
        sweeps from ``low`` to ``high`` (the right one placed for its widest exponent)."""
        h = self.data.heights
        exponent, decimals = self.get_mean_format()
        mu_label = MathTex(r"\mu =", font_size=theme.MATH_SIZE)
        mu_value = ScaledDecimal(mu.get_value(), exponent, num_decimal_places=decimals, font_size=theme.MATH_SIZE)
        unit = unit_text(h.unit)
        left = VGroup(mu_label, mu_value, unit)
        # room on the left for the wider theta-hat label that replaces it at the end, and for
        # the line Circumscribe draws around it (0.1 out)
        wider = max(0.0, MathTex(r"\hat\theta =", font_size=theme.MATH_SIZE).width - mu_label.width)
        mu_label.move_to([0, self.ROW_Y, 0]).to_edge(LEFT, buff=theme.SAFE_BUFF_X + wider + 0.15)
        scale = {"value": 1.0}

        def follow(m: ScaledDecimal) -> None:
            if m.get_value() != mu.get_value():
                m.set_value(mu.get_value())
            m.next_to(left[0], RIGHT, buff=0.15 * scale["value"])
            m.shift((left[0][0][-1].get_y() - m.number.get_y()) * UP)  # digits centred on "="
            unit.next_to(m, RIGHT, buff=0.15 * scale["value"])
            unit.shift((m.number.get_bottom()[1] - unit[0].get_bottom()[1]) * UP)

        follow(mu_value)

        l_label = MathTex(r"\mathcal{L}(\mu|x) =", font_size=theme.MATH_SIZE)
        value = ScientificNumber(self.readout_log_likelihood(mu.get_value()), color=theme.HIGHLIGHT)
        right = VGroup(l_label, value)
        value.next_to(l_label, RIGHT, buff=0.2)
        value.shift((l_label[0][-1].get_y() - value.mantissa.get_y()) * UP)
        value.set_log(self.readout_log_likelihood(mu.get_value()))
        right.move_to([0, self.ROW_Y, 0])
        widest = self.widest_readout(self.sweep_mus(low, high))
        right.align_to([theme.CONTENT_RIGHT - max(0.0, widest - value.width), 0, 0], RIGHT)
        value.add_updater(lambda m: m.set_log(self.readout_log_likelihood(mu.get_value())))
        # A long mu (many decimals, a long unit) shrinks to stay clear of the likelihood.
        room = right.get_left()[0] - 0.6 - left.get_left()[0]
        if left.width > room:
            scale["value"] = room / left.width
            left.scale(scale["value"], about_edge=LEFT)
        self.readout_scale = scale["value"]
        follow(mu_value)
        mu_value.add_updater(follow)
        return left, right

    def get_likelihood_trace(self, axes: Axes) -> tuple[VMobject, np.ndarray]:
        """The whole relative-likelihood curve as a polyline on a grid fine enough for its
        peak (the scene reveals it left to right); also the grid."""
        h = self.data.heights
        x0, x1 = self.get_x_range(axes)
        grid = sweep_grid(x0, x1, len(h.samples), h.sigma, centre=h.mle_mu)
        rel = relative_likelihood_curve(h.samples, grid, h.sigma)
        curve = VMobject(color=theme.CURVE, stroke_width=4)
        curve.set_points_as_corners(axes.c2p(np.column_stack([grid, rel])))
        return curve, grid

    def relative_at(self, mu: float) -> float:
        h = self.data.heights
        return float(relative_likelihood_curve(h.samples, [mu], h.sigma)[0])

    def get_peak_label(self, bottom: Axes, theta_hat: float, top: Axes | None = None) -> VGroup:
        """theta_hat = x_bar (sample mean) beside the peak, on whichever side has room, and
        under the tick labels of the density panel ``top`` (its "170" touched the label's
        top: the gate's overlap)."""
        symbol = MathTex(r"\hat\theta = \bar{x}", font_size=theme.MATH_SIZE, color=theme.OPTIMUM)
        words = lecture_text(self.word("mean_name"), size=theme.LABEL_SIZE, color=theme.OPTIMUM)
        label = VGroup(symbol, words).arrange(RIGHT, buff=0.2)
        words.shift((symbol[0][-1].get_bottom()[1] - words[0].get_bottom()[1]) * UP)
        peak = bottom.c2p(theta_hat, 1.0)
        label.next_to(peak, RIGHT, buff=0.3)
        if label.get_right()[0] > bottom.x_axis.get_right()[0]:
            label.next_to(peak, LEFT, buff=0.3)
        label.shift((peak[1] + 0.12 - label.get_bottom()[1]) * UP)  # clear of the curve
        numbers = getattr(top, "x_numbers", None)
        if numbers is not None and len(numbers):
            ceiling = numbers.get_bottom()[1] - 0.06
            floor = peak[1] + 0.05  # still above the curve, whose highest point is the peak
            if label.get_top()[1] > ceiling:
                label.shift((max(floor, ceiling - label.height) - label.get_bottom()[1]) * UP)
            if label.get_top()[1] > ceiling:  # no room even so: smaller, its bottom kept
                label.scale((ceiling - floor) / label.height, about_edge=DOWN + LEFT if label.get_x() > peak[0]
                            else DOWN + RIGHT)
        return label

    def construct(self) -> None:
        h = self.data.heights
        results = self.results["heights"]
        theta_hat = float(results["mle_mu"])
        heading = self.get_heading()
        goal = self.get_goal()
        x_window, mu_window = self.get_windows()
        x0, x1 = mu_window.start, mu_window.end  # the sweep of mu
        top, top_labels = self.get_top_panel(x_window)
        bottom, bottom_labels = self.get_bottom_panel(mu_window)
        zoom = self.get_zoom(top, bottom, x0, x1)
        shown = display_subsample(h.samples, MAX_SEGMENTS)
        dots = self.get_sample_dots(top, shown)
        mu = ValueTracker(x0)

        # The goal: the theta that makes the likelihood largest
        with self.narrate("goal_say"):
            self.play(FadeIn(heading))
            self.play(Write(goal), run_time=max(1.5, 0.2 * self.beat_seconds("goal_say")))
            self.play(Create(top), FadeIn(top_labels), LaggedStart(*(FadeIn(d, scale=0.3) for d in dots), lag_ratio=0.05,
                                                                    run_time=max(1.2, 0.2 * self.beat_seconds("goal_say"))))

        # Two panels: the model over the samples (theta = mu, sigma fixed), the likelihood over mu
        curve = self.get_density_curve(top, mu.get_value(), theme.CURVE)
        curve.add_updater(lambda m: m.become(self.get_density_curve(top, mu.get_value(), theme.CURVE)))
        grow = ValueTracker(1.0)
        segments = self.get_segments(top, shown, mu, grow)
        left, right = self.get_readout(mu, x0, x1)
        # a likelihood with a long exponent (1000 samples: 10^531) reaches up to the goal's
        # subscript: the row's right half steps down, clear of it
        clash = right.get_top()[1] - (goal.get_bottom()[1] - 0.06)
        if clash > 0 and right.get_left()[0] < goal.get_right()[0]:
            right.shift(clash * DOWN)
        notes = self.get_notes(shown.size)
        with self.narrate("panels_say", shown=shown.size, n=len(h.samples)):
            self.play(Create(bottom), FadeIn(bottom_labels), run_time=1.5)
            self.add(segments, dots)
            self.play(Create(curve), FadeIn(left), FadeIn(right), run_time=1.5)
            self.add(dots)
            self.play(FadeIn(notes, shift=0.1 * DOWN), run_time=1.0)
            self.play(Indicate(notes[0], color=theme.TEXT, scale_factor=1.08), run_time=1.2)

        # The likelihood panel is a zoom: mu near the sample mean, where the likelihood lives
        with self.narrate("zoom_say"):
            self.play_steps(FadeIn(zoom[0], run_time=1.0), Create(zoom[1], run_time=1.2))

        # Sweep mu from left to right, tracing L(mu) below
        full_trace, grid = self.get_likelihood_trace(bottom)
        fractions = np.linspace(0.0, 1.0, grid.size)
        trace = VMobject(color=theme.CURVE, stroke_width=4)
        reached = {"max": x0}

        def reveal(m: VMobject) -> None:
            reached["max"] = max(reached["max"], mu.get_value())
            # The grid is denser at a narrow peak: reveal by mu, not by point count.
            m.pointwise_become_partial(full_trace, 0.0, float(np.interp(reached["max"], grid, fractions)))

        trace.add_updater(reveal)
        peak_height = density_peak(h.sigma)
        top_guide = Line(top.c2p(x0, 0), top.c2p(x0, peak_height), color=theme.MUTED, stroke_width=1.5, stroke_opacity=0.7)
        top_guide.add_updater(lambda m: m.put_start_and_end_on(top.c2p(mu.get_value(), 0), top.c2p(mu.get_value(), peak_height)))
        guide = Line(bottom.c2p(x0, 0), bottom.c2p(x0, 0.02), color=theme.MUTED, stroke_width=1.5, stroke_opacity=0.7)
        guide.add_updater(lambda m: m.put_start_and_end_on(
            bottom.c2p(mu.get_value(), 0), bottom.c2p(mu.get_value(), max(0.02, self.relative_at(mu.get_value())))))
        marker = Dot(bottom.c2p(x0, 0), radius=0.08, color=theme.HIGHLIGHT)
        marker.add_updater(lambda m: m.move_to(bottom.c2p(mu.get_value(), self.relative_at(mu.get_value()))))
        self.add(guide, top_guide, trace, marker)
        with self.narrate("sweep_say"):
            # the sweep fills the beat's voice rather than stopping and holding still
            self.play_to_voice(mu.animate.set_value(x1), run_time=max(7, 0.8 * self.beat_seconds("sweep_say")),
                               rate_func=linear)

        # Come back to the peak: theta_hat, the sample mean
        with self.narrate("peak_say", mean=self.mean_words(theta_hat), unit=h.unit):
            self.play(mu.animate.set_value(theta_hat), run_time=2.5, rate_func=smooth)
            optimum = VGroup(Line(bottom.c2p(theta_hat, 0), bottom.c2p(theta_hat, 1.0), color=theme.OPTIMUM, stroke_width=3),
                             Line(top.c2p(theta_hat, 0), top.c2p(theta_hat, peak_height), color=theme.OPTIMUM, stroke_width=3))
            peak_dot = Dot(bottom.c2p(theta_hat, 1.0), radius=0.1, color=theme.OPTIMUM)
            peak_label = self.get_peak_label(bottom, theta_hat, top)
            for m in (guide, top_guide, marker):
                m.clear_updaters()
            self.play(ReplacementTransform(VGroup(guide, top_guide), optimum), ReplacementTransform(marker, peak_dot),
                      run_time=0.8)
            self.play(Flash(peak_dot, color=theme.OPTIMUM), FadeIn(peak_label, shift=0.1 * RIGHT))

        # The readout becomes theta_hat and its likelihood
        left[1].clear_updaters()
        right[1].clear_updaters()
        hat_label = MathTex(r"\hat\theta =", font_size=theme.MATH_SIZE * self.readout_scale, color=theme.OPTIMUM)
        hat_label.move_to(left[0], RIGHT)
        hat_label.shift((left[0][0][-1].get_y() - hat_label[0][-1].get_y()) * UP)
        l_hat = MathTex(r"\mathcal{L}(\hat\theta|x) =", font_size=theme.MATH_SIZE).move_to(right[0], RIGHT)
        with self.narrate("conclude_say"):
            self.play(
                ReplacementTransform(left[0], hat_label), left[1].animate.set_color(theme.OPTIMUM),
                ReplacementTransform(right[0], l_hat),
            )
            self.play(Indicate(goal, color=theme.OPTIMUM, scale_factor=GOAL_INDICATE))
            self.play(Circumscribe(VGroup(hat_label, left[1]), color=theme.OPTIMUM), run_time=1.5)
            self.mark_result()
        exponent, decimals = self.get_mean_format()
        self.record_shown("theta_hat", self.shown_mu(left[1].get_value()), 0.5 * 10.0 ** (exponent - decimals) * (1 + 1e-9))
        self.record_shown("theta_hat_log_likelihood", right[1].shown_log())
        self.record_shown("theta_hat_mantissa", right[1].mantissa.get_value())
        self.record_shown("theta_hat_exponent", right[1].exponent.get_value())
        self.hold_result()
