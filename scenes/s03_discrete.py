"""Scene 3: likelihood for a discrete model is the probability mass of what was observed.

The binomial pmf for n = the phone-OS total at p = p_hat as bars (a window around the mass
when n is large), the observed count's bar highlighted with its probability, then p moving
to another value and back: the data stay, the bar's height (the likelihood) changes. On the way
the observed probability is written out, C(n, k) p^k (1 - p)^(n - k): its coefficient has no
p in it, and a likelihood is defined up to such a constant factor.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    MathTex,
    Mobject,
    Polygon,
    SurroundingRectangle,
    Triangle,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    config,
)

from mathcore.axis import axis_ticks
from mathcore.pmf import binomial_pmf, binomial_window, contrast_p, pmf_envelope, pmf_peak
from scenes import theme
from scenes.axes import SafeAxes, nice_step, tick_labels, tick_note, tick_text
from scenes.base import LectureScene
from scenes.draw import fit_width, lecture_text
from scenes.number_format import readout_exponent
from scenes.readouts import ScaledDecimal
from mathcore.precision import P_HAT_MAX_DECIMALS, PROBABILITY_DECIMALS

PROB_DECIMALS = PROBABILITY_DECIMALS  # the same in every scene (mathcore/precision.py)
MAX_BARS = 150
ENVELOPE_STEPS = 400
P_DECIMALS = P_HAT_MAX_DECIMALS  # a moving p, as in the descent scene
BOX_BUFF = 0.15  # a boxed row set against the margin moves in by this much
# The x-axis: its tick labels, the observed outcome's marker and its text below it end just
# above the caption band (theme.CONTENT_BOTTOM); the chart's top stays under the formula and note.
CHART_BOTTOM = theme.CONTENT_BOTTOM + 1.1
CHART_HEIGHT = 1.95


MAX_WRITTEN_DIGITS = 4  # n and k with more digits are written as the letters n and k


def choose_words(n: int | str, k: int | str, lang: str) -> str:
    """The binomial coefficient as words: ₁₀C₇ (Korean school notation), C(10, 7) in English.

    >>> choose_words(10, 7, "ko"), choose_words(10, 7, "en"), choose_words("n", "k", "ko")
    ('₁₀C₇', 'C(10, 7)', 'ₙCₖ')
    """
    if lang == "ko":
        sub = str.maketrans({**{str(d): "₀₁₂₃₄₅₆₇₈₉"[d] for d in range(10)}, "n": "ₙ", "k": "ₖ"})
        return f"{str(n).translate(sub)}C{str(k).translate(sub)}"
    return f"C({n}, {k})"


def written_counts(n: int, k: int) -> tuple[int | str, int | str]:
    """n and k as the coefficient is written: the numbers, or the letters when long (10^15).

    >>> written_counts(10, 7), written_counts(10**15 + 3, 10**15)
    ((10, 7), ('n', 'k'))
    """
    return (n, k) if len(str(n)) <= MAX_WRITTEN_DIGITS else ("n", "k")


def p_readout_decimals(p_hat: float, p_other: float) -> int:
    """Decimals of the p readout: 4, or enough to tell p_hat from the contrast p (one more
    than the first digit where they differ; 10^15 people put them 1e-8 apart).

    >>> p_readout_decimals(0.7, 0.41), p_readout_decimals(0.999999999999997, 0.99999992)
    (4, 9)
    """
    gap = abs(p_hat - p_other)
    if gap <= 0:
        return P_DECIMALS
    return int(min(max(P_DECIMALS, 1 - math.floor(math.log10(gap))), 15))


def keep_inside(mobject, margin: float = theme.SAFE_BUFF_X):
    """Shift a mobject sideways just enough to keep it inside the safe area."""
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
        """The point of outcome k (may be fractional) at height y. Outcomes are counted from
        the window's start in exact integers first: near 10^15, k - lo in floats is coarse."""
        offset = k - self.window_lo if isinstance(k, (int, np.integer)) else float(k) - float(self.window_lo)
        return axes.c2p(float(offset) + 0.6, y)

    def get_axes(self, lo: int, hi: int, top: float) -> tuple[Axes, VGroup, Mobject | None]:
        """Axes over outcomes lo..hi with integer ticks and probability ticks; and the note
        that reads scaled or offset tick labels (outcomes near 10^15), if any."""
        y_ticks = axis_ticks(0.0, min(top, 1.0), 4)
        # The x coordinate runs from 0 (outcome lo - 0.6) so the y axis sits at the left end.
        width = hi - lo + 1.2
        axes = SafeAxes(
            x_range=[0.0, width, nice_step(width, 10)],
            y_range=list(y_ticks.range),
            x_length=11.4,
            y_length=CHART_HEIGHT,
            tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": False},
        )
        labels = VGroup()
        x_ticks = axis_ticks(lo, hi, 8, min_step=1)
        for k, text in zip(x_ticks.values, x_ticks.labels):
            if lo <= k <= hi:
                labels.add(tick_text(text).next_to(self.at(axes, k, 0), DOWN, buff=0.15))
        labels.add(tick_labels(axes, y_ticks, "y", skip_zero=True, at=lambda v: self.at(axes, lo - 0.6, v)))
        y_label = MathTex(r"P(K = k;\ p)", font_size=theme.MATH_SIZE * 0.8, color=theme.MUTED)
        y_label.next_to(self.at(axes, lo - 0.6, y_ticks.end), RIGHT, buff=0.2)
        labels.add(y_label)
        y_note = tick_note(y_ticks)
        if y_note is not None:
            labels.add(y_note.next_to(y_label, RIGHT, buff=0.25))
        return axes, labels, tick_note(x_ticks)

    def get_bars(self, axes: Axes, lo: int, hi: int, n: int, k_obs: int, p: float) -> VGroup:
        """The pmf over lo..hi: (the other outcomes, the observed outcome's bar).

        Up to MAX_BARS outcomes each gets its own bar; beyond that the bars would be thinner
        than a pixel, so the others are drawn as one shape: the pmf's envelope over at most
        ENVELOPE_STEPS steps (the same picture, and its cost does not grow with the window,
        which for 10^15 people spans ~10^13 outcomes).
        """
        half = 0.5 * min(0.8, max(0.55, 1.0 - 6.0 / (hi - lo + 7)))
        others = VGroup()
        if hi - lo + 1 <= MAX_BARS:
            ks = np.arange(lo, hi + 1)
            heights = binomial_pmf(ks, n, p)
            for k, h in zip(ks, heights):
                if k != k_obs:
                    others.add(self.get_bar(axes, k, h, half, theme.CURVE, 0.55))
        else:
            edges, heights = pmf_envelope(n, p, lo, hi, ENVELOPE_STEPS)
            outline = [self.at(axes, edges[0], 0)]
            for left, right, h in zip(edges[:-1], edges[1:], heights):
                outline += [self.at(axes, left, h), self.at(axes, right, h)]
            outline.append(self.at(axes, edges[-1], 0))
            others.add(Polygon(*outline, color=theme.CURVE, fill_opacity=0.55, stroke_width=0))
        observed = self.get_bar(axes, k_obs, float(binomial_pmf(k_obs, n, p)), half, theme.HIGHLIGHT, 0.95)
        if hi - lo + 1 > MAX_BARS:  # at least a visible line
            observed.set_stroke(theme.HIGHLIGHT, width=3, opacity=1)
        return VGroup(others, observed)

    def get_bar(self, axes: Axes, k: float, h: float, half: float, color, opacity: float) -> Polygon:
        corners = [self.at(axes, k - half, 0), self.at(axes, k + half, 0), self.at(axes, k + half, h), self.at(axes, k - half, h)]
        return Polygon(*corners, color=color, fill_opacity=opacity, stroke_width=0)

    def get_readout(self, label_tex: str, value: float, decimals: int, color, exponent: int = 0) -> VGroup:
        label = MathTex(label_tex, "=", font_size=theme.MATH_SIZE, color=color)
        number = ScaledDecimal(value, exponent, num_decimal_places=decimals, font_size=theme.MATH_SIZE, color=color)
        number.next_to(label, RIGHT, buff=0.18)
        return VGroup(label, number)

    def get_constant(self, n: int, k: int, width: float) -> tuple[MathTex, Mobject]:
        """P(K = k; p) = C(n, k) p^k (1 - p)^(n - k), the coefficient coloured, and the note
        beside it that the coefficient has no p in it (the narration says what follows: a
        likelihood is defined up to a constant factor). Counts too long to write (10^15) are
        the letters n and k, read off the observation above. The two on one row, ``width`` wide at most."""
        wn, wk = written_counts(n, k)
        rest = wn - wk if isinstance(wn, int) else "n-k"
        formula = MathTex(rf"P(K = {wk};\ p) =", rf"\binom{{{wn}}}{{{wk}}}", rf"\, p^{{{wk}}}\,(1-p)^{{{rest}}}",
                          font_size=theme.MATH_SIZE * 0.8)
        formula[1].set_color(theme.SECOND)
        note = lecture_text(self.word("constant_note", nck=choose_words(wn, wk, self.lang)), size=theme.SMALL_SIZE,
                            color=theme.SECOND)
        note.next_to(formula, RIGHT, buff=0.35)
        fit_width(VGroup(formula, note), width)
        note.next_to(formula, RIGHT, buff=0.35)
        return formula, note

    def construct(self) -> None:
        binary = self.data.binary
        n, k_obs, label = binary.n, binary.k, binary.labels[0]
        p_hat = self.results["binary"]["p_hat"]
        p_other = contrast_p(k_obs, n)
        lo, hi = binomial_window(n, [p_hat, p_other])
        self.window_lo = lo
        sweep = np.linspace(min(p_hat, p_other), max(p_hat, p_other), 12)
        top = 1.1 * max(pmf_peak(n, float(p), lo, hi) for p in sweep)
        p_decimals = p_readout_decimals(p_hat, p_other)
        likelihood = float(binomial_pmf(k_obs, n, p_hat))
        prob_exponent = readout_exponent(likelihood)

        heading = self.get_heading()
        # The readouts (top right) first: the texts on the left take the room they leave.
        p_tracker = ValueTracker(p_hat)
        p_row = self.get_readout("p", p_hat, p_decimals, theme.OPTIMUM)
        p_row[1].add_updater(lambda m: m.set_value(p_tracker.get_value()))
        prob_row = self.get_readout(rf"P(K = {k_obs};\ p)", likelihood, PROB_DECIMALS, theme.HIGHLIGHT, prob_exponent)
        prob_row[1].add_updater(lambda m: m.set_value(float(binomial_pmf(k_obs, n, p_tracker.get_value()))))
        panel = VGroup(p_row, prob_row).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        fit_width(panel, 5.6)
        panel.move_to([theme.CONTENT_RIGHT - 0.2 - panel.width / 2, theme.CONTENT_TOP - 1.0 - panel.height / 2, 0])  # room to Indicate
        max_text = panel.get_left()[0] - 0.4 - heading.get_left()[0]
        observed_text = fit_width(self.get_text("observed", n=n, k=k_obs, label=label), max_text)
        observed_text.next_to(heading, DOWN, buff=theme.HEADING_BUFF).align_to(heading, LEFT)

        # The observation: k of n
        with self.narrate("observed_say", n=n, k=k_obs, label=label):
            self.play(FadeIn(heading))
            self.play(FadeIn(observed_text, shift=0.2 * DOWN))

        # The model: a binomial pmf as bars
        axes, axis_labels, x_note = self.get_axes(lo, hi, top)
        chart = VGroup(axes, axis_labels)
        chart.move_to([0.2, 0, 0]).shift((CHART_BOTTOM - axes.get_bottom()[1]) * UP)
        bars = always_redraw(lambda: self.get_bars(axes, lo, hi, n, k_obs, p_tracker.get_value()))
        model = VGroup(
            lecture_text(self.word("model"), size=theme.BODY_SIZE, color=theme.CURVE),
            MathTex(rf"K \sim \mathrm{{B}}({n},\ p)", font_size=theme.MATH_SIZE, color=theme.CURVE),
        ).arrange(RIGHT, buff=0.25)
        fit_width(model, max_text)
        model.next_to(observed_text, DOWN, buff=0.25).align_to(heading, LEFT)
        marker = Triangle(color=theme.HIGHLIGHT, fill_opacity=1, stroke_width=0).scale(0.1)
        marker.next_to(self.at(axes, k_obs, 0), DOWN, buff=0.45)
        mark_text = lecture_text(self.word("observed_mark", k=k_obs), size=theme.SMALL_SIZE, color=theme.HIGHLIGHT)
        mark_text.next_to(marker, DOWN, buff=0.08)
        keep_inside(mark_text)
        x_label = lecture_text(self.word("x_axis", label=label), size=theme.SMALL_SIZE, color=theme.MUTED)
        if x_note is not None:  # how to read the outcome labels (near 10^15)
            x_label = VGroup(x_label, x_note).arrange(RIGHT, buff=0.3)
        # On the side of the axis away from the observed mark, as wide as the room there
        left_end, right_end = self.at(axes, lo - 0.6, 0)[0], self.at(axes, hi + 0.6, 0)[0]
        if k_obs > (lo + hi) / 2:
            fit_width(x_label, max(0.45 * axes.x_length, mark_text.get_left()[0] - 0.4 - left_end))
            x_label.match_y(mark_text).align_to(self.at(axes, lo - 0.6, 0), LEFT)
        else:
            fit_width(x_label, max(0.45 * axes.x_length, right_end - 0.4 - mark_text.get_right()[0]))
            x_label.match_y(mark_text).align_to(self.at(axes, hi + 0.6, 0), RIGHT)
        with self.narrate("pmf_say", p=self.p_hat_text()):
            self.play(FadeIn(model, shift=0.2 * DOWN), FadeIn(p_row, shift=0.2 * UP))
            self.play(Create(axes), FadeIn(axis_labels), FadeIn(x_label), run_time=1.2)
            self.play(FadeIn(bars, shift=0.3 * UP), run_time=1.5)

        # The observed outcome's bar is its likelihood
        bar_box = SurroundingRectangle(self.get_bars(axes, lo, hi, n, k_obs, p_hat)[1], color=theme.HIGHLIGHT, buff=0.06)
        self.record_shown("p_hat", p_row[1].get_value())
        self.record_shown("likelihood_at_p_hat", prob_row[1].get_value())
        with self.narrate("likelihood_say", k=k_obs):
            self.play(FadeIn(marker, shift=0.2 * UP), FadeIn(mark_text))
            self.play(Create(bar_box), FadeIn(prob_row, shift=0.2 * UP))
            self.play(Indicate(prob_row, color=theme.HIGHLIGHT, scale_factor=1.1), run_time=1.2)

        # That probability carries C(n, k), a constant: a likelihood is defined up to a constant
        formula, constant_note = self.get_constant(n, k_obs, max_text)
        formula.next_to(model, DOWN, buff=0.15).align_to(heading, LEFT)
        constant_note.next_to(formula, RIGHT, buff=0.35)
        nck = choose_words(*written_counts(n, k_obs), self.lang)
        beat = self.beat_seconds("constant_say", nck=nck)  # the steps fill most of the line
        with self.narrate("constant_say", nck=nck):
            self.play(Write(formula), run_time=max(1.2, 0.25 * beat))
            self.play(Indicate(formula[1], color=theme.SECOND, scale_factor=1.2), run_time=max(1.0, 0.2 * beat))
            self.play(FadeIn(constant_note, shift=0.1 * RIGHT), run_time=max(0.8, 0.15 * beat))

        # Same data, another p: the bar (the likelihood) changes
        with self.narrate("sweep_say"):
            self.play(FadeOut(bar_box), run_time=0.5)
            self.play(p_tracker.animate.set_value(p_other), run_time=3.0)
            self.wait(0.5)
            self.play(p_tracker.animate.set_value(p_hat), run_time=3.0)

        # Conclusion: L(p | k) = P(K = k; p)
        conclusion = MathTex(r"\mathcal{L}(p \mid k)", "=", r"P(K = k;\ p)", font_size=theme.MATH_SIZE * 1.1)
        conclusion[0].set_color(theme.HIGHLIGHT)
        fit_width(conclusion, panel.width)
        conclusion.next_to(panel, DOWN, buff=0.45).align_to(panel, RIGHT).shift(BOX_BUFF * LEFT)
        self.show_conclusion(conclusion, "conclude_say")
        self.hold_result()
