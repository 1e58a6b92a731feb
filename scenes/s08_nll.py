"""Scene 8: negative log likelihood: flip log L upside down, the peak becomes the loss's valley."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    Indicate,
    MathTex,
    Mobject,
    SurroundingRectangle,
    Transform,
    TransformMatchingTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    config,
    smooth,
)

from mathcore import log_likelihood_grid, nll
from scenes import theme
from mathcore.axis import axis_ticks
from scenes.axes import SafeAxes, tick_note, tick_text
from scenes.base import LectureScene
from scenes.draw import ARGMAX_TEX, ARGMIN_TEX, fit_width, inside_scale, lecture_text
from scenes.log_grid import HeightsLogGrid
from scenes.readouts import SansDecimal

HAT = r"\hat\theta"
ARGMAX = ARGMAX_TEX + r"_\theta"
ARGMIN = ARGMIN_TEX + r"_\theta"
LOG_L = r"\log\mathcal{L}(\theta|x)"

PLOT_WIDTH = 7.2
PLOT_HEIGHT = 4.0
PLOT_BOTTOM = theme.CONTENT_BOTTOM + 0.8  # the x-axis: its tick labels, mu-hat and name above the caption band
COLUMN_X = 4.25  # centre of the right-hand column of labels
BOX_BUFF = 0.15  # the conclusion box around the argmin formula


class NegativeLogLikelihood(HeightsLogGrid, LectureScene):
    scene_id = "negative-log-likelihood"

    # Numbers ---------------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        self.setup_log_grid()
        spread = float(self.log_l.max() - self.log_l.min())
        # Head-room above the peak, so after the flip the valley floats above the x-axis.
        self.y_ticks = axis_ticks(float(self.log_l.min()), float(self.log_l.max()) + 0.3 * spread, 5)
        self.y_range = self.y_ticks.range
        # After the flip the same tick places read -value: the ticks of the negated range.
        self.flipped_ticks = axis_ticks(-self.y_range[1], -self.y_range[0], 5)
        self.nll_hat = nll(self.samples, self.mu_hat, self.sigma)

    # Plot ------------------------------------------------------------------------------
    def get_axes(self) -> Axes:
        """Axes from 0 so they cross at the bottom left; ``to_point`` maps data onto them."""
        x0, x1, xs = self.x_range
        y0, y1, ys = self.y_range
        axes = SafeAxes(
            x_range=[0, x1 - x0, xs], y_range=[0, y1 - y0, ys],
            x_length=PLOT_WIDTH, y_length=PLOT_HEIGHT, tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2},
        )
        axes.move_to([theme.CONTENT_LEFT + 0.9 + PLOT_WIDTH / 2, PLOT_BOTTOM + PLOT_HEIGHT / 2, 0])
        return axes

    def to_point(self, axes: Axes, mu: float, value: float) -> np.ndarray:
        return axes.c2p(mu - self.x_range[0], value - self.y_range[0])

    def get_tick_labels(self, axes: Axes) -> tuple[VGroup, VGroup, VGroup]:
        """(x labels, y labels of log L, y labels of -log L at the mirrored places)."""
        x0 = self.x_range[0]
        y0 = self.y_range[0]
        mu_hat_x = self.to_point(axes, self.mu_hat, y0)[0]
        x_labels = VGroup()
        for value, text in zip(self.x_ticks.values, self.x_ticks.labels):
            label = tick_text(text)
            label.next_to(self.to_point(axes, value, y0), DOWN, buff=0.15)
            if abs(label.get_center()[0] - mu_hat_x) > label.width / 2 + 0.25:
                x_labels.add(label)
        y_labels, flipped = VGroup(), VGroup()
        y_values = self.y_ticks.values
        flipped_text = dict(zip(self.flipped_ticks.values, self.flipped_ticks.labels))
        for k, (value, text) in enumerate(zip(y_values, self.y_ticks.labels)):
            label = tick_text(text)
            label.next_to(self.to_point(axes, x0, value), LEFT, buff=0.15)
            y_labels.add(label)
            # The tick at value v reflects to the place of y0 + y1 - v and reads -v there.
            mirror = tick_text(flipped_text.get(-value, text))
            mirror.next_to(self.to_point(axes, x0, y_values[-1 - k]), LEFT, buff=0.15)
            flipped.add(mirror)
        return x_labels, y_labels, flipped

    def get_y_name(self, tex: str, color, ticks, axes: Axes) -> VGroup:
        """The y-axis name above its top, with the ticks' note (×10^e, offset) after it."""
        name = MathTex(tex, font_size=theme.MATH_SIZE - 8, color=color)
        name.next_to(axes.y_axis.get_top(), UP, buff=0.25)
        group = VGroup(name)
        note = tick_note(ticks)
        if note is not None:
            group.add(note.next_to(name, RIGHT, buff=0.25))
        return group

    def get_formula(self, minimise: bool) -> MathTex:
        parts = [HAT, "=", ARGMIN, "-", LOG_L] if minimise else [HAT, "=", ARGMAX, LOG_L]
        formula = MathTex(*parts, font_size=theme.MATH_SIZE + 4)
        formula[0].set_color(theme.OPTIMUM)
        formula[2].set_color(theme.LOSS if minimise else theme.OPTIMUM)
        return formula

    def get_value_readout(self, minimise: bool) -> VGroup:
        sign = "-" if minimise else ""
        name = MathTex(rf"{sign}\log\mathcal{{L}}(\hat\mu) =", font_size=theme.MATH_SIZE - 4)
        value = SansDecimal(self.nll_hat if minimise else -self.nll_hat, num_decimal_places=2,
                            font_size=theme.MATH_SIZE - 4)
        value.next_to(name, RIGHT, buff=0.15)
        readout = VGroup(name, value).set_color(theme.LOSS if minimise else theme.OPTIMUM)
        return readout.move_to([COLUMN_X, 1.6, 0])

    def get_mu_row(self, mu_text: str) -> Mobject:
        """"μ̂ = 168.34 cm" under the value readout: where the peak (and the valley) is."""
        row = lecture_text(self.word("mu_label", mu=mu_text, unit=self.unit), size=theme.BODY_SIZE,
                           color=theme.OPTIMUM)
        fit_width(row, 2 * self.column_half_width())
        return row.move_to([COLUMN_X, 0.95, 0])

    def get_negative_note(self) -> VGroup:
        """Two lines under the loss card: a density may exceed 1, so the NLL may be negative."""
        lines = VGroup(
            lecture_text(self.word("density_note"), size=theme.LABEL_SIZE, color=theme.TEXT),
            lecture_text(self.word("sign_note"), size=theme.LABEL_SIZE, color=theme.HIGHLIGHT),
        ).arrange(DOWN, buff=0.2)
        fit_width(lines, 2 * self.column_half_width())
        return lines.move_to([COLUMN_X, -2.2, 0])

    @staticmethod
    def column_half_width() -> float:
        """Half the right-hand column's width: from its centre to the safe edge."""
        return theme.CONTENT_RIGHT - COLUMN_X

    def get_loss_card(self) -> VGroup:
        name = lecture_text(self.word("loss_name"), size=theme.BODY_SIZE, color=theme.LOSS, weight="BOLD")
        formula = MathTex(r"\mathrm{NLL}(\theta) = -\log\mathcal{L}(\theta|x)", font_size=theme.MATH_SIZE - 4)
        note = lecture_text(self.word("optimiser_note"), size=theme.LABEL_SIZE, color=theme.MUTED)
        card = VGroup(name, formula, note).arrange(DOWN, buff=0.3)
        fit_width(card, 2 * self.column_half_width() - 2 * 0.25 - 0.05)  # the box inside the margin
        box = SurroundingRectangle(card, color=theme.LOSS, buff=0.25, corner_radius=0.1)
        return VGroup(card, box).move_to([COLUMN_X, -0.6, 0])

    # The scene -------------------------------------------------------------------------
    def construct(self) -> None:
        heading = self.get_heading()
        self.add(heading)
        axes = self.get_axes()
        x_labels, y_labels, flipped_labels = self.get_tick_labels(axes)
        # wide y tick labels (before or after the flip) push the plot right, out of the margin
        overhang = theme.CONTENT_LEFT + 0.02 - min(VGroup(y_labels, flipped_labels).get_left()[0], axes.get_left()[0])
        if overhang > 0:
            VGroup(axes, x_labels, y_labels, flipped_labels).shift(overhang * RIGHT)
        y0, y1, _ = self.y_range
        centre_y = (self.to_point(axes, self.x_range[0], y0)[1] + self.to_point(axes, self.x_range[0], y1)[1]) / 2
        bottom_y = axes.x_axis.get_center()[1]

        # The log-likelihood curve and its peak at mu hat
        flip = ValueTracker(1.0)

        def mirror(point: np.ndarray) -> np.ndarray:
            return np.array([point[0], centre_y + flip.get_value() * (point[1] - centre_y), 0.0])

        template = VMobject().set_points_smoothly([self.to_point(axes, m, v) for m, v in zip(self.mus, self.log_l)])
        curve = VMobject(color=theme.CURVE, stroke_width=4)
        curve.set_points(template.points.copy())
        curve.add_updater(lambda c: c.set_points(np.apply_along_axis(mirror, 1, template.points)))
        peak = self.to_point(axes, self.mu_hat, -self.nll_hat)
        dot = always_redraw(lambda: Dot(mirror(peak), color=theme.OPTIMUM, radius=0.09))
        guide = always_redraw(lambda: DashedLine([peak[0], bottom_y, 0], mirror(peak), color=theme.OPTIMUM,
                                                 stroke_width=3))
        hat = MathTex(r"\hat\mu", font_size=theme.MATH_SIZE - 6, color=theme.OPTIMUM)
        hat.next_to([peak[0], bottom_y, 0], DOWN, buff=0.12)
        y_name = self.get_y_name(r"\log\mathcal{L}(\mu)", theme.CURVE, self.y_ticks, axes)
        x_name = self.get_x_name(x_labels, axes, PLOT_WIDTH)
        peak_label = lecture_text(self.word("peak_label"), size=theme.LABEL_SIZE, color=theme.OPTIMUM)
        peak_label.next_to(peak, UP, buff=0.3)

        formula = self.get_formula(minimise=False)
        # inset by the conclusion box's buff and stroke, so the box stays inside the margin
        formula.to_corner(UR, buff=theme.EDGE + BOX_BUFF + 0.05)
        inset = theme.CONTENT_RIGHT - BOX_BUFF - 0.05  # the box and its stroke inside the safe margin
        formula.shift((inset - formula.get_right()[0]) * RIGHT)
        if formula.get_left()[0] < heading.get_right()[0] + 0.4:
            formula.next_to(heading, DOWN, buff=theme.HEADING_BUFF + BOX_BUFF)
            formula.shift((inset - formula.get_right()[0]) * RIGHT)
        readout = self.get_value_readout(minimise=False)
        mu_text = self.mu_text
        mu_row = self.get_mu_row(mu_text)
        self.record_shown("mle_mu", self.mu_shown, self.mu_tolerance)
        self.record_shown("log_likelihood_at_mu_hat", readout[1].get_value())

        with self.narrate("peak_say", mu=mu_text):
            self.play(FadeIn(VGroup(axes, x_labels, y_labels, y_name, x_name)))
            self.play(Create(curve), run_time=2)
            self.add(guide)
            self.play(GrowFromCenter(dot), FadeIn(hat), FadeIn(peak_label, shift=0.1 * DOWN))
            self.play(Write(formula), FadeIn(readout), FadeIn(mu_row))

        # Multiply by -1: the peak becomes a valley, argmax becomes argmin
        min_formula = self.get_formula(minimise=True).move_to(formula, aligned_edge=RIGHT)
        min_readout = self.get_value_readout(minimise=True)
        min_y_name = self.get_y_name(r"-\log\mathcal{L}(\mu)", theme.LOSS, self.flipped_ticks, axes)
        valley = np.array([peak[0], 2 * centre_y - peak[1], 0.0])
        valley_label = lecture_text(self.word("valley_label"), size=theme.LABEL_SIZE, color=theme.LOSS)
        valley_label.next_to(valley, UP, buff=0.3)
        times_minus_one = MathTex(r"\times\,(-1)", font_size=theme.MATH_SIZE + 12, color=theme.HIGHLIGHT)
        times_minus_one.move_to([COLUMN_X, -0.6, 0])
        with self.narrate("flip_say"):
            self.play(FadeOut(peak_label), FadeIn(times_minus_one, scale=1.3))
            self.play(
                flip.animate.set_value(-1.0),
                *(Transform(old, new) for old, new in zip(y_labels, flipped_labels)),
                Transform(y_name, min_y_name),
                curve.animate.set_color(theme.LOSS),
                run_time=2.5, rate_func=smooth,
            )
            self.play(
                TransformMatchingTex(formula, min_formula, key_map={ARGMAX: ARGMIN}),
                Transform(readout, min_readout),
                FadeIn(valley_label, shift=0.1 * UP),
                FadeOut(times_minus_one),
                run_time=1.5,
            )
        self.record_shown("nll_at_mu_hat", min_readout[1].get_value())

        # Optimisers minimise: NLL is the loss, walked down into the valley
        card = self.get_loss_card()
        walker_mu = ValueTracker(self.x_range[0] + 0.08 * (self.x_range[1] - self.x_range[0]))
        walker = always_redraw(lambda: Dot(
            mirror(self.to_point(axes, walker_mu.get_value(),
                                 float(log_likelihood_grid(self.samples, [walker_mu.get_value()], self.sigma)[0]))),
            color=theme.HIGHLIGHT, radius=0.1))
        with self.narrate("loss_say"):
            self.play(FadeIn(card[0]), Create(card[1]))
            self.play(FadeIn(walker))
            self.play(walker_mu.animate.set_value(self.mu_hat), run_time=2.5, rate_func=smooth)

        # The loss at the bottom is the NLL at theta hat
        level = DashedLine(valley, [axes.y_axis.get_center()[0], valley[1], 0], color=theme.LOSS, stroke_width=3)
        with self.narrate("value_say", nll=f"{self.nll_hat:.2f}"):
            self.play(Create(level), Indicate(readout, color=theme.LOSS, scale_factor=inside_scale(readout, 1.15)))

        # A negative loss (densities above 1, e.g. heights in metres): why it may be
        if self.nll_hat < 0:
            note = self.get_negative_note()
            with self.narrate("negative_say"):
                self.play(FadeIn(note[0], shift=0.1 * UP))
            with self.narrate("negative_why_say"):
                self.play(FadeIn(note[1], shift=0.1 * UP))
                self.wait(theme.READ_WAIT)
                self.play(Indicate(readout, color=theme.LOSS, scale_factor=inside_scale(readout, 1.15)), run_time=1.2)  # the negative value

        # Whatever the value, the valley's position is the estimate
        box = SurroundingRectangle(min_formula, color=theme.LOSS, buff=BOX_BUFF, corner_radius=0.08)
        with self.narrate("estimate_say", mu=mu_text):
            self.play(Create(box))
            self.wait(theme.SHORT_WAIT)
            self.play(Indicate(mu_row, color=theme.OPTIMUM, scale_factor=inside_scale(mu_row, 1.15)), run_time=1.2)
        self.wait(theme.SHORT_WAIT)
