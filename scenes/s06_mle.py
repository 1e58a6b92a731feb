"""Scene 6: maximum likelihood: sweep mu, trace L(mu), mark the peak at the sample mean.

Top: the samples and the normal curve N(mu, sigma) with sigma fixed, segments f(x_i; mu).
Bottom: the likelihood as a function of mu, drawn relative to its maximum,
L(mu|x) / L(theta_hat|x) (the absolute values span hundreds of powers of ten; the live
readout shows them as mantissa x 10^exponent). The sweep traces the curve; it ends at
theta_hat = argmax L = the sample mean.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    Flash,
    Indicate,
    LaggedStart,
    Line,
    MathTex,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    linear,
    smooth,
)

from mathcore.heights_view import display_subsample, relative_likelihood_curve, sweep_grid
from scenes import theme
from mathcore.axis import Ticks, superscript
from scenes.common import (
    ARGMAX_TEX,
    LectureScene,
    ScaledDecimal,
    data_axes,
    lecture_text,
    readout_decimals,
    readout_exponent,
    tick_labels,
    tick_note,
    unit_text,
)
from scenes.s05_heights import MAX_SEGMENTS, HeightsPlot, ScientificNumber


class MaximumLikelihood(HeightsPlot, LectureScene):
    scene_id = "maximum-likelihood"

    # Layout (scene units)
    ROW_Y = 2.45
    NOTE_Y = 1.85
    TOP_AXIS_Y = -0.1      # x-axis of the density panel
    TOP_HEIGHT = 1.55
    BOTTOM_AXIS_Y = -3.0   # x-axis of the likelihood panel
    BOTTOM_HEIGHT = 2.05
    X_LENGTH = 11.4
    X_CENTRE = 0.25

    def place(self, axes: Axes, axis_y: float) -> Axes:
        """Put the x-axis of ``axes`` at height ``axis_y``, centred like the other panel."""
        origin = axes.c2p(axes.x_range[0], 0)
        axes.shift([self.X_CENTRE - axes.x_axis.get_center()[0], axis_y - origin[1], 0])
        return axes

    def get_top_panel(self) -> tuple[Axes, VGroup]:
        axes = self.place(self.get_height_axes(self.X_LENGTH, self.TOP_HEIGHT, numbers=False, y_ticks=2), self.TOP_AXIS_Y)
        label = MathTex(r"f(x;\mu)", font_size=theme.LABEL_SIZE + 4, color=theme.MUTED)
        label.next_to(axes.y_axis.get_top(), RIGHT, buff=0.3)
        labels = VGroup(label)
        if axes.y_note is not None:
            labels.add(axes.y_note.next_to(label, RIGHT, buff=0.25))
        return axes, labels

    def get_bottom_panel(self) -> tuple[Axes, VGroup]:
        """L(mu|x) / L(theta_hat|x) against mu, sharing the top panel's x-axis."""
        x_ticks = self.get_x_ticks()
        y_ticks = Ticks(start=0.0, end=1.2, step=0.5, values=(0.0, 0.5, 1.0), labels=("0.0", "0.5", "1.0"))
        axes = data_axes(x_ticks, y_ticks, self.X_LENGTH, self.BOTTOM_HEIGHT)
        axes.x_ticks, axes.y_ticks = x_ticks, y_ticks
        axes.x_numbers = tick_labels(axes, x_ticks, "x", size=theme.SMALL_SIZE + 2)
        axes.y_numbers = tick_labels(axes, y_ticks, "y", size=theme.SMALL_SIZE + 2, skip_zero=True)
        axes.x_note, axes.y_note = tick_note(x_ticks), None
        axes.add(axes.x_numbers, axes.y_numbers)
        self.place(axes, self.BOTTOM_AXIS_Y)
        y_label = MathTex(r"\mathcal{L}(\mu|x)\,/\,\mathcal{L}(\hat\theta|x)", font_size=theme.LABEL_SIZE + 4, color=theme.MUTED)
        y_label.next_to(axes.y_axis.get_top(), RIGHT, buff=0.3)
        x_name = self.get_axis_labels(axes, x_name=f"μ ({self.data.heights.unit})")[0]
        return axes, VGroup(y_label, x_name)

    def get_goal(self) -> MathTex:
        """theta_hat = argmax_theta L(theta|x), top right beside the heading."""
        goal = MathTex(r"\hat\theta", rf"= {ARGMAX_TEX}_{{\theta}}\ \mathcal{{L}}(\theta|x)", font_size=theme.MATH_SIZE)
        goal[0].set_color(theme.OPTIMUM)
        goal.to_corner(UP + RIGHT, buff=theme.EDGE)
        return goal

    def get_mean_format(self) -> tuple[int, int]:
        """(exponent, decimals) of the mu readout and the sample mean: the heights resolution
        (the same digits in every scene), in units of 10**exponent when huge or tiny."""
        exponent = readout_exponent(self.data.heights.mle_mu)
        return exponent, readout_decimals(exponent, self.heights_resolution)

    def mean_words(self, value: float) -> str:
        exponent, decimals = self.get_mean_format()
        if exponent == 0:
            return f"{value:.{decimals}f}"
        return f"{value / 10.0**exponent:.{decimals}f} × 10{superscript(exponent)}"

    def get_readout(self, mu: ValueTracker) -> tuple[VGroup, VGroup]:
        """mu = ... unit (left) and L(mu|x) = m x 10^e (right), both following ``mu``."""
        h = self.data.heights
        exponent, decimals = self.get_mean_format()
        mu_label = MathTex(r"\mu =", font_size=theme.MATH_SIZE)
        mu_value = ScaledDecimal(mu.get_value(), exponent, num_decimal_places=decimals, font_size=theme.MATH_SIZE)
        unit = unit_text(h.unit)
        left = VGroup(mu_label, mu_value, unit)
        mu_label.move_to([0, self.ROW_Y, 0]).to_edge(LEFT, buff=theme.EDGE)
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
        value = ScientificNumber(self.log_likelihood_at(mu.get_value()), color=theme.HIGHLIGHT)
        right = VGroup(l_label, value)
        value.next_to(l_label, RIGHT, buff=0.2)
        value.shift((l_label[0][-1].get_y() - value.mantissa.get_y()) * UP)
        value.set_log(self.log_likelihood_at(mu.get_value()))
        right.move_to([0, self.ROW_Y, 0])
        right.align_to([config.frame_width / 2 - theme.EDGE - 0.6, 0, 0], RIGHT)  # room for a longer exponent
        value.add_updater(lambda m: m.set_log(self.log_likelihood_at(mu.get_value())))
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

    def get_peak_label(self, bottom: Axes, theta_hat: float) -> VGroup:
        """theta_hat = x_bar (sample mean) beside the peak, on whichever side has room."""
        symbol = MathTex(r"\hat\theta = \bar{x}", font_size=theme.MATH_SIZE, color=theme.OPTIMUM)
        words = lecture_text(self.word("mean_name"), size=theme.LABEL_SIZE, color=theme.OPTIMUM)
        label = VGroup(symbol, words).arrange(RIGHT, buff=0.2)
        words.shift((symbol[0][-1].get_bottom()[1] - words[0].get_bottom()[1]) * UP)
        peak = bottom.c2p(theta_hat, 1.0)
        label.next_to(peak, RIGHT, buff=0.3)
        if label.get_right()[0] > bottom.x_axis.get_right()[0]:
            label.next_to(peak, LEFT, buff=0.3)
        label.shift((peak[1] + 0.12 - label.get_bottom()[1]) * UP)  # clear of the curve
        return label

    def construct(self) -> None:
        h = self.data.heights
        results = self.results["heights"]
        theta_hat = float(results["mle_mu"])
        heading = self.get_heading()
        goal = self.get_goal()
        top, f_label = self.get_top_panel()
        bottom, bottom_labels = self.get_bottom_panel()
        shown = display_subsample(h.samples, MAX_SEGMENTS)
        dots = self.get_sample_dots(top, shown)
        x0, x1 = self.get_x_range(top)
        mu = ValueTracker(x0)

        # The goal: the theta that makes the likelihood largest
        with self.narrate("goal_say"):
            self.play(FadeIn(heading, shift=0.2 * DOWN))
            self.play(Write(goal), run_time=1.5)
            self.play(Create(top), FadeIn(f_label), LaggedStart(*(FadeIn(d, scale=0.3) for d in dots), lag_ratio=0.05, run_time=1.2))

        # Two panels: the model over the samples, the likelihood over mu
        curve = self.get_density_curve(top, mu.get_value(), theme.CURVE)
        curve.add_updater(lambda m: m.become(self.get_density_curve(top, mu.get_value(), theme.CURVE)))
        grow = ValueTracker(1.0)
        segments = self.get_segments(top, shown, mu, grow)
        left, right = self.get_readout(mu)
        notes = self.get_notes(shown.size)
        with self.narrate("panels_say", shown=shown.size, n=len(h.samples)):
            self.play(Create(bottom), FadeIn(bottom_labels), run_time=1.5)
            self.add(segments, dots)
            self.play(Create(curve), FadeIn(left), FadeIn(right), FadeIn(notes), run_time=1.5)
            self.add(dots)

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
        guide = Line(bottom.c2p(x0, 0), top.c2p(x0, 0), color=theme.MUTED, stroke_width=1.5, stroke_opacity=0.6)
        guide.add_updater(lambda m: m.put_start_and_end_on(bottom.c2p(mu.get_value(), 0), top.c2p(mu.get_value(), 0)))
        marker = Dot(bottom.c2p(x0, 0), radius=0.08, color=theme.HIGHLIGHT)
        marker.add_updater(lambda m: m.move_to(bottom.c2p(mu.get_value(), self.relative_at(mu.get_value()))))
        self.add(guide, trace, marker)
        with self.narrate("sweep_say"):
            # the sweep fills the beat's voice rather than stopping and holding still
            self.play_to_voice(mu.animate.set_value(x1), run_time=7, rate_func=linear)

        # Come back to the peak: theta_hat, the sample mean
        with self.narrate("peak_say", mean=self.mean_words(theta_hat), unit=h.unit):
            self.play(mu.animate.set_value(theta_hat), run_time=2.5, rate_func=smooth)
            optimum = Line(bottom.c2p(theta_hat, 0), top.c2p(theta_hat, 0), color=theme.OPTIMUM, stroke_width=3)
            peak_dot = Dot(bottom.c2p(theta_hat, 1.0), radius=0.1, color=theme.OPTIMUM)
            peak_label = self.get_peak_label(bottom, theta_hat)
            for m in (guide, marker):
                m.clear_updaters()
            self.play(ReplacementTransform(guide, optimum), ReplacementTransform(marker, peak_dot), run_time=0.8)
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
            self.play(Indicate(goal, color=theme.OPTIMUM, scale_factor=1.1))
        self.record_shown("theta_hat", left[1].get_value())
        self.record_shown("theta_hat_log_likelihood", right[1].shown_log())
        self.record_shown("theta_hat_mantissa", right[1].mantissa.get_value())
        self.record_shown("theta_hat_exponent", right[1].exponent.get_value())
        self.wait(theme.LONG_WAIT)
