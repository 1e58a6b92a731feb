"""Scene 3: likelihood for a discrete model is the probability mass of what was observed.

The binomial pmf for n = the phone-OS total at p = p_hat as bars (a window around the mass
when n is large), the observed count's bar highlighted with its probability, then p moving
to another value and back: the data stay, the bar's height (the likelihood) changes.
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
    DecimalNumber,
    FadeIn,
    FadeOut,
    MathTex,
    Polygon,
    SurroundingRectangle,
    Triangle,
    ValueTracker,
    VGroup,
    always_redraw,
    config,
)

from mathcore.pmf import binomial_pmf, binomial_window, contrast_p
from scenes import theme
from scenes.common import LectureScene, decimals_for, fit_width, lecture_text, nice_range, nice_step

PROB_DECIMALS = 4
MAX_BARS = 150
P_DECIMALS = 3


def keep_inside(mobject, margin: float = theme.EDGE):
    """Shift a mobject sideways just enough to keep it inside the frame."""
    right = config.frame_width / 2 - margin
    if mobject.get_right()[0] > right:
        mobject.shift((mobject.get_right()[0] - right) * LEFT)
    if mobject.get_left()[0] < -right:
        mobject.shift((-right - mobject.get_left()[0]) * RIGHT)
    return mobject


class DiscreteLikelihood(LectureScene):
    scene_id = "likelihood-discrete"

    # Layout ---------------------------------------------------------------------------
    def at(self, axes: Axes, k: float, y: float):
        """The point of outcome k (may be fractional) at height y."""
        return axes.c2p(k - self.window_lo + 0.6, y)

    def get_axes(self, lo: int, hi: int, top: float) -> tuple[Axes, VGroup]:
        """Axes over outcomes lo..hi with integer ticks and probability ticks."""
        _, y_end, y_step = nice_range(0.0, min(top, 1.0), target_ticks=4)
        # The x coordinate runs from 0 (outcome lo - 0.6) so the y axis sits at the left end.
        axes = Axes(
            x_range=[0.0, hi - lo + 1.2, 1],
            y_range=[0.0, y_end, y_step],
            x_length=11.4,
            y_length=3.1,
            tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": False},
        )
        labels = VGroup()
        x_step = max(1, int(nice_step(hi - lo, target_ticks=10)))
        for k in range(int(np.ceil(lo / x_step)) * x_step, hi + 1, x_step):
            labels.add(lecture_text(str(k), size=theme.SMALL_SIZE, color=theme.MUTED).next_to(self.at(axes, k, 0), DOWN, buff=0.15))
        y_decimals = decimals_for(y_step)
        for value in np.arange(y_step, y_end + y_step / 2, y_step):
            tick = lecture_text(f"{value:.{y_decimals}f}", size=theme.SMALL_SIZE, color=theme.MUTED)
            labels.add(tick.next_to(self.at(axes, lo - 0.6, value), LEFT, buff=0.15))
        y_label = MathTex(r"P(K = k;\ p)", font_size=theme.MATH_SIZE * 0.8, color=theme.MUTED)
        y_label.next_to(self.at(axes, lo - 0.6, y_end), RIGHT, buff=0.2)
        labels.add(y_label)
        return axes, labels

    def get_bars(self, axes: Axes, lo: int, hi: int, n: int, k_obs: int, p: float) -> VGroup:
        """The pmf over lo..hi: (the other outcomes, the observed outcome's bar).

        Up to MAX_BARS outcomes each gets its own bar; beyond that the bars would be thinner
        than a pixel, so the others are drawn as one shape (the same picture, far cheaper).
        """
        ks = np.arange(lo, hi + 1)
        heights = binomial_pmf(ks, n, p)
        half = 0.5 * min(0.8, max(0.55, 1.0 - 6.0 / (hi - lo + 7)))
        others = VGroup()
        if len(ks) <= MAX_BARS:
            for k, h in zip(ks, heights):
                if k != k_obs:
                    others.add(self.get_bar(axes, k, h, half, theme.CURVE, 0.55))
        else:
            outline = [self.at(axes, lo - half, 0)]
            for k, h in zip(ks, heights):
                outline += [self.at(axes, k - half, h), self.at(axes, k + half, h)]
            outline.append(self.at(axes, hi + half, 0))
            others.add(Polygon(*outline, color=theme.CURVE, fill_opacity=0.55, stroke_width=0))
        observed = self.get_bar(axes, k_obs, float(heights[k_obs - lo]), half, theme.HIGHLIGHT, 0.95)
        if len(ks) > MAX_BARS:  # at least a visible line
            observed.set_stroke(theme.HIGHLIGHT, width=3, opacity=1)
        return VGroup(others, observed)

    def get_bar(self, axes: Axes, k: float, h: float, half: float, color, opacity: float) -> Polygon:
        corners = [self.at(axes, k - half, 0), self.at(axes, k + half, 0), self.at(axes, k + half, h), self.at(axes, k - half, h)]
        return Polygon(*corners, color=color, fill_opacity=opacity, stroke_width=0)

    def get_readout(self, label_tex: str, value: float, decimals: int, color) -> VGroup:
        label = MathTex(label_tex, "=", font_size=theme.MATH_SIZE, color=color)
        number = DecimalNumber(value, num_decimal_places=decimals, font_size=theme.MATH_SIZE, color=color)
        number.next_to(label, RIGHT, buff=0.18)
        return VGroup(label, number)

    def construct(self) -> None:
        binary = self.data.binary
        n, k_obs, label = binary.n, binary.k, binary.labels[0]
        p_hat = self.results["binary"]["p_hat"]
        p_other = contrast_p(k_obs, n)
        lo, hi = binomial_window(n, [p_hat, p_other])
        self.window_lo = lo
        sweep = np.linspace(min(p_hat, p_other), max(p_hat, p_other), 12)
        top = 1.1 * max(float(np.max(binomial_pmf(np.arange(lo, hi + 1), n, p))) for p in sweep)

        heading = self.get_heading()
        max_text = config.frame_width / 2 + 0.6
        observed_text = fit_width(self.get_text("observed", n=n, k=k_obs, label=label), max_text)
        observed_text.next_to(heading, DOWN, buff=theme.HEADING_BUFF).align_to(heading, LEFT)

        # The observation: k of n
        with self.narrate("observed_say", n=n, k=k_obs, label=label):
            self.play(FadeIn(heading))
            self.play(FadeIn(observed_text, shift=0.2 * DOWN))

        # The model: a binomial pmf as bars
        axes, axis_labels = self.get_axes(lo, hi, top)
        chart = VGroup(axes, axis_labels)
        chart.move_to([0.2, 0, 0]).shift((-2.8 - axes.get_bottom()[1]) * UP)
        p_tracker = ValueTracker(p_hat)
        bars = always_redraw(lambda: self.get_bars(axes, lo, hi, n, k_obs, p_tracker.get_value()))
        model = VGroup(
            lecture_text(self.word("model"), size=theme.BODY_SIZE, color=theme.CURVE),
            MathTex(rf"K \sim \mathrm{{B}}({n},\ p)", font_size=theme.MATH_SIZE, color=theme.CURVE),
        ).arrange(RIGHT, buff=0.25)
        model.next_to(observed_text, DOWN, buff=0.25).align_to(heading, LEFT)
        p_row = self.get_readout("p", p_hat, P_DECIMALS, theme.OPTIMUM)
        p_row[1].add_updater(lambda m: m.set_value(p_tracker.get_value()))
        prob_row = self.get_readout(rf"P(K = {k_obs};\ p)", float(binomial_pmf(k_obs, n, p_hat)), PROB_DECIMALS, theme.HIGHLIGHT)
        prob_row[1].add_updater(lambda m: m.set_value(float(binomial_pmf(k_obs, n, p_tracker.get_value()))))
        panel = VGroup(p_row, prob_row).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        panel.to_corner(UP + RIGHT, buff=theme.EDGE).shift(0.9 * DOWN)
        marker = Triangle(color=theme.HIGHLIGHT, fill_opacity=1, stroke_width=0).scale(0.1)
        marker.next_to(self.at(axes, k_obs, 0), DOWN, buff=0.5)
        mark_text = lecture_text(self.word("observed_mark", k=k_obs), size=theme.SMALL_SIZE, color=theme.HIGHLIGHT)
        mark_text.next_to(marker, DOWN, buff=0.08)
        keep_inside(mark_text)
        x_label = lecture_text(self.word("x_axis", label=label), size=theme.SMALL_SIZE, color=theme.MUTED)
        fit_width(x_label, 0.45 * axes.x_length)
        x_label.match_y(mark_text)
        if k_obs > (lo + hi) / 2:
            x_label.align_to(self.at(axes, lo - 0.6, 0), LEFT)
        else:
            x_label.align_to(self.at(axes, hi + 0.6, 0), RIGHT)
        with self.narrate("pmf_say", p=f"{p_hat:.3g}"):
            self.play(FadeIn(model, shift=0.2 * DOWN), FadeIn(p_row, shift=0.2 * LEFT))
            self.play(Create(axes), FadeIn(axis_labels), FadeIn(x_label), run_time=1.2)
            self.play(FadeIn(bars, shift=0.3 * UP), run_time=1.5)

        # The observed outcome's bar is its likelihood
        bar_box = SurroundingRectangle(self.get_bars(axes, lo, hi, n, k_obs, p_hat)[1], color=theme.HIGHLIGHT, buff=0.06)
        self.record_shown("p_hat", p_row[1].get_value())
        self.record_shown("likelihood_at_p_hat", prob_row[1].get_value())
        with self.narrate("likelihood_say", k=k_obs):
            self.play(FadeIn(marker, shift=0.2 * UP), FadeIn(mark_text))
            self.play(Create(bar_box), FadeIn(prob_row, shift=0.2 * LEFT))

        # Same data, another p: the bar (the likelihood) changes
        with self.narrate("sweep_say"):
            self.play(FadeOut(bar_box), run_time=0.5)
            self.play(p_tracker.animate.set_value(p_other), run_time=3.0)
            self.wait(0.5)
            self.play(p_tracker.animate.set_value(p_hat), run_time=3.0)

        # Conclusion: L(p | k) = P(K = k; p)
        conclusion = MathTex(r"\mathcal{L}(p \mid k)", "=", r"P(K = k;\ p)", font_size=theme.MATH_SIZE * 1.1)
        conclusion[0].set_color(theme.HIGHLIGHT)
        conclusion.next_to(model, DOWN, buff=0.3).align_to(heading, LEFT)
        self.show_conclusion(conclusion, "conclude_say")
        self.wait(theme.SHORT_WAIT)
