"""Scene 2: likelihood for a continuous model is the density's HEIGHT at the observation.

A normal pdf with the data's maximum-likelihood mean and standard deviation, one observed
sample, the vertical segment up to the curve with a live readout of f(x; theta), a small
shaded area (a probability) shrinking to nothing while the height stays, and the
observation sliding so the height readout changes. On screen the words are keywords
(the term, "area = probability"); the voice says the sentences (issue 18). The plot (``get_normal_plot``,
scenes/normal_plot.py) is shared with the comparing-likelihoods scene.
"""

from __future__ import annotations

from typing import Any

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    MathTex,
    SurroundingRectangle,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
)

from mathcore import normal_pdf
from mathcore.pmf import nearest_sample, normal_interval_probability
from scenes import theme
from scenes.base import LectureScene
from scenes.draw import fit_width, lecture_text
from scenes.normal_plot import BOX_BUFF, density_decimals, get_normal_plot, place_plot, place_theta_label
from scenes.number_format import readout_decimals, readout_exponent
from scenes.readouts import ScaledDecimal, unit_text
from mathcore.precision import PROBABILITY_DECIMALS

READOUT_TOP = theme.CONTENT_TOP - 1.0  # the readouts at the right start under the heading's line
PLOT_HEIGHT = 3.7  # the term and the conclusion share one line: the plot takes the room a second line had
TERM_GAP = 0.4  # between the term and its formula: room for the conclusion's box (buff and stroke)


class ContinuousLikelihood(LectureScene):
    scene_id = "likelihood-continuous"

    def get_readout(self, label_tex: str, value: float, decimals: int, color, unit: str | None = None,
                    exponent: int = 0) -> VGroup:
        """``label = value [unit]`` with a live number (in units of 10**exponent) as the second part."""
        label = MathTex(label_tex, "=", font_size=theme.MATH_SIZE, color=color)
        number = ScaledDecimal(value, exponent, num_decimal_places=decimals, font_size=theme.MATH_SIZE, color=color)
        number.next_to(label, RIGHT, buff=0.18)
        row = VGroup(label, number)
        if unit:
            unit_mob = fit_width(unit_text(unit, color=color), 2.4)
            row.add(unit_mob.next_to(number, RIGHT, buff=0.15))
            number.add_updater(lambda m: unit_mob.next_to(m, RIGHT, buff=0.15))
        return row

    def note_interval(self, half_width: ValueTracker, area: Any, number: Any, plot: Any) -> None:
        """For tests: the interval's half width, the P readout, and the probability of the
        interval the shading covers (read off the drawn area's x extent)."""
        x0 = plot.axes.p2c(area.get_left())[0]
        x1 = plot.axes.p2c(area.get_right())[0]
        mu, sigma = self.data.heights.mle_mu, self.data.heights.mle_sigma
        self.interval_checks.append((half_width.get_value(), number.get_value(),
                                     normal_interval_probability(x0, x1, mu, sigma)))

    def construct(self) -> None:
        heights = self.data.heights
        mu, sigma, unit = heights.mle_mu, heights.mle_sigma, heights.unit
        x_exp = readout_exponent(mu)
        x_dec = readout_decimals(x_exp, self.sample_resolution)  # x is one observation: as the data write it
        peak = float(normal_pdf(mu, mu, sigma))
        f_exp = readout_exponent(peak)
        f_dec = density_decimals(peak / 10.0**f_exp)
        observed = nearest_sample(heights.samples, mu + sigma)

        heading = self.get_heading()
        plot = get_normal_plot(mu, sigma, self.word("x_axis", unit=unit), height=PLOT_HEIGHT)
        place_plot(plot)

        # The readouts of one observation, at the right
        x_tracker = ValueTracker(observed)
        x_row = self.get_readout("x", observed, x_dec, theme.SAMPLE, unit, exponent=x_exp)
        f_row = self.get_readout(r"f(x;\theta)", peak, f_dec, theme.HIGHLIGHT, exponent=f_exp)
        panel = VGroup(x_row, f_row).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        fit_width(panel, (theme.CONTENT_RIGHT - theme.CONTENT_LEFT) / 2)
        # inside the safe area with its box (drawn later), under the heading's line
        panel.move_to([theme.CONTENT_RIGHT - BOX_BUFF - panel.width / 2, READOUT_TOP - panel.height / 2, 0])
        x_number, f_number = x_row[1], f_row[1]
        x_number.add_updater(lambda m: m.set_value(x_tracker.get_value()))
        f_number.add_updater(lambda m: m.set_value(plot.pdf(x_tracker.get_value())))
        # ... and of an interval's probability, under them
        half_width = ValueTracker(0.3 * sigma)  # as first shown (the recorded probability)

        def interval_probability() -> float:
            x, d = x_tracker.get_value(), half_width.get_value()
            return normal_interval_probability(x - d, x + d, mu, sigma)

        area = always_redraw(
            lambda: plot.area(x_tracker.get_value() - half_width.get_value(), x_tracker.get_value() + half_width.get_value())
        )
        area_row = self.get_readout(r"P(x-\delta \le X \le x+\delta)", interval_probability(), PROBABILITY_DECIMALS, theme.SECOND)
        area_row.scale(0.8)
        area_row[1].add_updater(lambda m: m.set_value(interval_probability()))
        area_note = lecture_text(self.word("area_note"), size=theme.SMALL_SIZE, color=theme.SECOND)
        area_group = VGroup(area_row, area_note).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        fit_width(area_group, (theme.CONTENT_RIGHT - theme.CONTENT_LEFT) / 2 - 0.5)
        area_group.next_to(panel, DOWN, buff=0.3)
        area_group.shift((theme.CONTENT_RIGHT - area_group.get_right()[0]) * RIGHT)
        # The term and its symbol under the heading (the voice says what it means); the
        # conclusion completes the same line: likelihood  L(theta | x) = f(x; theta)
        term = self.get_text("definition", size=theme.BODY_SIZE)
        term.next_to(heading, DOWN, buff=theme.HEADING_BUFF + BOX_BUFF).align_to(heading, LEFT)
        likelihood_tex = r"\mathcal{L}(\theta \mid x)"
        conclusion = MathTex(likelihood_tex, "=", r"f(x;\theta)", font_size=theme.MATH_SIZE * 1.1)
        conclusion[0].set_color(theme.HIGHLIGHT)
        conclusion.next_to(term, RIGHT, buff=TERM_GAP)
        conclusion.shift((term.get_center()[1] - conclusion[0].get_center()[1]) * UP)  # the term beside L's middle
        symbol = MathTex(likelihood_tex, font_size=theme.MATH_SIZE * 1.1, color=theme.HIGHLIGHT)
        symbol.move_to(conclusion[0])  # a formula of its own (the gate reads it), where the conclusion's starts
        # clear of the boxes drawn later around the readouts and the conclusion, not only their ink
        boxes = [SurroundingRectangle(m, buff=BOX_BUFF) for m in (panel, conclusion)]
        theta = place_theta_label(plot, [*boxes, area_group], self.heights_resolution)
        self.record_shown("mu", mu)
        self.record_shown("sigma", sigma)

        # The model: a normal density from the data's mean and standard deviation
        with self.narrate("model_say"):
            self.play(FadeIn(heading), Create(plot.axes), FadeIn(plot.labels), run_time=1.0)
            self.play(Create(plot.curve), run_time=1.5)

        # The curve is the density f(x; theta), theta = (mu, sigma)
        with self.narrate("curve_say"):
            self.play(FadeIn(theta, shift=0.2 * DOWN))
            self.play(Indicate(plot.y_label, color=theme.CURVE), Indicate(theta, color=theme.CURVE, scale_factor=1.1),
                      run_time=1.5)

        # What likelihood means: the term and its symbol
        with self.narrate("define_say"):
            self.play(FadeIn(term, shift=0.2 * DOWN), run_time=0.8)
            self.play(Write(symbol), run_time=1.2)

        # One observation from the data (its readouts are built with the plot)
        sample_dot = always_redraw(lambda: Dot(plot.on_axis(x_tracker.get_value()), radius=0.1, color=theme.SAMPLE))
        with self.narrate("observe_say"):
            self.play(FadeIn(sample_dot, scale=2.5), FadeIn(x_row, shift=0.2 * UP))

        # Its likelihood is the curve's height there
        segment = always_redraw(lambda: plot.height_line(x_tracker.get_value()))
        top_dot = always_redraw(lambda: Dot(plot.on_curve(x_tracker.get_value()), radius=0.08, color=theme.HIGHLIGHT))
        with self.narrate("height_say"):
            self.play(Create(segment), run_time=2.0)
            self.add(top_dot)
            self.play(FadeIn(f_row, shift=0.2 * UP))
            self.play(Indicate(f_row, color=theme.HIGHLIGHT, scale_factor=1.1), run_time=1.2)
        self.record_shown("observation", x_number.get_value())
        self.record_shown("density_at_observation", f_number.get_value())

        # An area under the curve is a probability, not the likelihood
        # The shading and P always show the same interval: both are brought to the narrow
        # interval before they fade in (an updater does not run while its mobject fades in)
        half_width.set_value(0.02 * sigma)
        area.update()
        area_row[1].update()
        self.interval_checks: list[tuple[float, float, float]] = []  # (half width, P shown, P of the shading)
        self.note_interval(half_width, area, area_row[1], plot)
        with self.narrate("area_say"):
            self.add(area, segment, top_dot)
            self.play(FadeIn(area), FadeIn(area_group, shift=0.2 * UP))
            self.note_interval(half_width, area, area_row[1], plot)
            self.play(half_width.animate.set_value(0.3 * sigma), run_time=2.0)  # the area opens
            self.note_interval(half_width, area, area_row[1], plot)
        self.record_shown("interval_probability", area_row[1].get_value())

        # Shrink the interval to a point: the area vanishes, the height stays
        with self.narrate("point_say"):
            height_box = SurroundingRectangle(f_row, color=theme.HIGHLIGHT, buff=0.12)
            self.play_steps(half_width.animate(run_time=2.5).set_value(0.0), Create(height_box, run_time=0.8))
        self.play(FadeOut(area), FadeOut(area_group), FadeOut(height_box))

        # Move the observation: the height (the likelihood) follows the curve
        with self.narrate("move_say"):
            self.play(x_tracker.animate.set_value(mu - 2.2 * sigma), run_time=2.5)
            self.play(x_tracker.animate.set_value(mu), run_time=2.0)
            self.play(x_tracker.animate.set_value(observed), run_time=1.5)

        # Conclusion: L(theta | x) = f(x; theta), on the term's line
        self.remove(symbol)
        self.add(conclusion[0])
        rest = VGroup(*conclusion[1:])
        box = SurroundingRectangle(conclusion, color=theme.HIGHLIGHT, buff=BOX_BUFF)
        with self.narrate("conclude_say"):
            self.play(Write(rest), run_time=1.5)
            self.remove(conclusion[0], rest)
            self.add(conclusion)  # one formula again, as written
            self.play(Create(box))
            self.mark_result()
        self.hold_result()
