"""Scene 4: comparing likelihoods, L(theta | a) > L(theta | b).

One normal model (the heights data's maximum-likelihood mean and standard deviation), two
observations from the data (a near the mean, b out in the tail, picked by mathcore), the
curve's height at each, a dashed level from a's height over to b, and the inequality.
On screen: labels by what they name (theta "fixed", a, b), numbers and the inequality; the
voice says the sentences (issue 18).
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Indicate,
    MathTex,
    SurroundingRectangle,
    VGroup,
    Write,
    config,
)

import numpy as np

from mathcore import normal_pdf
from mathcore.pmf import contrasting_observations
from scenes import theme
from scenes.base import LectureScene
from scenes.draw import fit_width
from scenes.normal_plot import BOX_BUFF, density_decimals, get_normal_plot, place_plot, place_theta_label
from scenes.number_format import readout_decimals, readout_exponent
from scenes.readouts import ScaledDecimal, unit_text

CLEARANCE = 0.12  # a segment's letter stays this far from the curve


class CompareLikelihoods(LectureScene):
    scene_id = "comparing-likelihoods"

    def get_value_row(self, name: str, value: float, decimals: int, unit: str, exponent: int = 0) -> VGroup:
        """``a = 167.78 cm`` (``1.42 ×10⁻¹¹ m`` at extreme scales)"""
        label = MathTex(name, "=", font_size=theme.MATH_SIZE * 0.9, color=theme.SAMPLE)
        number = ScaledDecimal(value, exponent, num_decimal_places=decimals, font_size=theme.MATH_SIZE * 0.9, color=theme.SAMPLE)
        number.next_to(label, RIGHT, buff=0.15)
        unit_mob = fit_width(unit_text(unit, font_size=theme.MATH_SIZE * 0.9, color=theme.SAMPLE), 2.4)
        unit_mob.next_to(number, RIGHT, buff=0.12)
        return VGroup(label, number, unit_mob)

    def get_likelihood_row(self, name: str, value: float, decimals: int, color, exponent: int = 0) -> VGroup:
        r"""``\mathcal{L}(\theta | a) = 0.1450``"""
        label = MathTex(rf"\mathcal{{L}}(\theta \mid {name})", "=", font_size=theme.MATH_SIZE * 0.9, color=color)
        number = ScaledDecimal(value, exponent, num_decimal_places=decimals, font_size=theme.MATH_SIZE * 0.9, color=color)
        number.next_to(label, RIGHT, buff=0.15)
        return VGroup(label, number)

    def get_segment_name(self, name: str, segment, x: float, mu: float, away, color, plot) -> MathTex:
        """The letter of a height segment, clear of the curve: beside a tall segment (on the
        side away from the other one); beside a short one at mid-height on the side towards
        the mean, where the curve is higher, if it is tall enough; else above it on the side
        away from the mean, where the curve falls, raised until it clears the curve."""
        letter = MathTex(name, font_size=theme.MATH_SIZE, color=color)
        if segment.get_length() > 1.2:
            return letter.next_to(segment, away, buff=0.15)
        inward, outward = (LEFT, RIGHT) if x >= mu else (RIGHT, LEFT)
        if segment.get_length() >= letter.height + 0.45:
            return letter.next_to(segment, inward, buff=0.15)
        letter.next_to(segment.get_end(), UP + outward, buff=0.15)
        for _ in range(20):
            if self.curve_clearance(letter, plot) >= CLEARANCE:
                break
            letter.shift(0.05 * UP)
        return letter

    @staticmethod
    def curve_clearance(mob, plot) -> float:
        """How far ``mob``'s box is from the curve (negative: the curve crosses it)."""
        left, right = mob.get_left()[0], mob.get_right()[0]
        bottom, top = mob.get_bottom()[1], mob.get_top()[1]
        xs = np.linspace(plot.axes.p2c([left, 0, 0])[0], plot.axes.p2c([right, 0, 0])[0], 12)
        ys = np.array([plot.on_curve(x)[1] for x in xs])
        if ys.max() <= bottom:
            return float(bottom - ys.max())
        if ys.min() >= top:
            return float(ys.min() - top)
        return -1.0

    def construct(self) -> None:
        heights = self.data.heights
        mu, sigma, unit = heights.mle_mu, heights.mle_sigma, heights.unit
        a, b = contrasting_observations(heights.samples, mu, sigma)
        peak = float(normal_pdf(mu, mu, sigma))
        x_exp, f_exp = readout_exponent(mu), readout_exponent(peak)
        x_dec, f_dec = readout_decimals(x_exp, self.sample_resolution), density_decimals(peak / 10.0**f_exp)

        heading = self.get_heading()
        plot = get_normal_plot(mu, sigma, self.word("x_axis", unit=unit))
        place_plot(plot)
        f_a, f_b = plot.pdf(a), plot.pdf(b)
        dots = VGroup(*(Dot(plot.on_axis(x), radius=0.1, color=theme.SAMPLE) for x in (a, b)))
        a_row = self.get_value_row("a", a, x_dec, unit, x_exp)
        b_row = self.get_value_row("b", b, x_dec, unit, x_exp)
        la_row = self.get_likelihood_row("a", f_a, f_dec, theme.HIGHLIGHT, f_exp)
        lb_row = self.get_likelihood_row("b", f_b, f_dec, theme.SECOND, f_exp)
        panel = VGroup(a_row, la_row, b_row, lb_row).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        VGroup(b_row, lb_row).shift(0.15 * DOWN)
        fit_width(panel, (theme.CONTENT_RIGHT - theme.CONTENT_LEFT) / 2)
        panel.move_to([theme.CONTENT_RIGHT - panel.width / 2, theme.CONTENT_TOP - 0.95 - panel.height / 2, 0])
        inequality = MathTex(r"\mathcal{L}(\theta \mid a)", ">", r"\mathcal{L}(\theta \mid b)", font_size=theme.MATH_SIZE * 1.25)
        inequality[0].set_color(theme.HIGHLIGHT)
        inequality[2].set_color(theme.SECOND)
        # under the heading (the voice says "one model, two observations"; the labels show it)
        inequality.next_to(heading, DOWN, buff=theme.HEADING_BUFF + BOX_BUFF).align_to(heading, LEFT)
        inequality.shift((BOX_BUFF + 0.05) * RIGHT)  # box and stroke inside
        theta = place_theta_label(plot, [panel, SurroundingRectangle(inequality, buff=0.15)], self.heights_resolution,
                                  tag=self.word("fixed_tag"))

        # One model, fixed: the curve of scene 2 comes back whole
        with self.narrate("model_say"):
            self.play(FadeIn(heading), FadeIn(plot.group), run_time=1.2)
            self.play(FadeIn(theta, shift=0.2 * DOWN), run_time=1.0)
            self.play(Indicate(theta, color=theme.CURVE, scale_factor=1.1), run_time=1.2)

        # Two observations: a near the mean, b out in the tail
        with self.narrate("points_say"):
            self.play(FadeIn(dots[0], scale=2.5), FadeIn(a_row, shift=0.2 * UP))
            self.play(FadeIn(dots[1], scale=2.5), FadeIn(b_row, shift=0.2 * UP))

        # The likelihood of each is the curve's height above it
        seg_a = plot.height_line(a, color=theme.HIGHLIGHT)
        seg_b = plot.height_line(b, color=theme.SECOND)
        tops = VGroup(Dot(plot.on_curve(a), radius=0.08, color=theme.HIGHLIGHT), Dot(plot.on_curve(b), radius=0.08, color=theme.SECOND))
        name_a = self.get_segment_name("a", seg_a, a, mu, away=LEFT if a < b else RIGHT, color=theme.HIGHLIGHT, plot=plot)
        name_b = self.get_segment_name("b", seg_b, b, mu, away=RIGHT if a < b else LEFT, color=theme.SECOND, plot=plot)
        self.record_shown("observation_a", a_row[1].get_value())
        self.record_shown("observation_b", b_row[1].get_value())
        self.record_shown("likelihood_a", la_row[1].get_value())
        self.record_shown("likelihood_b", lb_row[1].get_value())
        with self.narrate("heights_say"):
            self.play(Create(seg_a), FadeIn(tops[0]), FadeIn(name_a), run_time=1.2)
            self.play(FadeIn(la_row, shift=0.2 * UP))
            self.play(Create(seg_b), FadeIn(tops[1]), FadeIn(name_b), run_time=1.2)
            self.play(FadeIn(lb_row, shift=0.2 * UP))

        # Compare: a's height carried over to b, then the inequality
        reach = 0.35 if b > a else -0.35
        level = DashedLine(plot.on_curve(a), plot.axes.c2p(b, f_a) + reach * RIGHT, color=theme.HIGHLIGHT, stroke_width=3, dash_length=0.12)
        with self.narrate("compare_say"):
            self.play(Create(level), run_time=1.5)
            self.play(Write(inequality), run_time=1.5)

        # The taller one wins: the model explains a better than b
        with self.narrate("meaning_say"):
            self.play(Indicate(VGroup(seg_a, tops[0], name_a), color=theme.HIGHLIGHT, scale_factor=1.15))
            self.play(Indicate(inequality[0], color=theme.HIGHLIGHT))

        # Conclusion stays on screen
        box = SurroundingRectangle(inequality, color=theme.HIGHLIGHT, buff=0.15)
        with self.narrate("conclude_say"):
            self.play(Create(box))
            self.mark_result()
        self.hold_result()
