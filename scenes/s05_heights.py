"""Scene 5: predict the distribution from the events: candidate normal curves over the samples.

The samples sit on an axis; three candidate curves theta1..theta3 (mu from the data file,
sigma fixed) slide over them; at each sample a segment shows f(x_i; theta); a live readout
shows the likelihood, the product of those heights, written as mantissa x 10^exponent from
the log-sum so it never underflows (1000 samples give numbers like 10^-344 or 10^535).

The plot (HeightsPlot) and the readout (ScientificNumber) are shared with scene 6
(scenes/heights_plot.py, scenes/readouts.py).
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circumscribe,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    Write,
    interpolate_color,
    smooth,
)

from mathcore.heights_view import (
    comparison_signs,
    density_peak,
    display_subsample,
)
from scenes import theme
from scenes.base import LectureScene
from scenes.heights_plot import MAX_LISTED, MAX_SEGMENTS, HeightsPlot
from scenes.number_format import number_text
from scenes.readouts import ScaledDecimal, ScientificNumber, unit_text

SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
SAFE_BOTTOM = theme.CONTENT_BOTTOM + 0.03  # the lowest a label may reach: just above the caption band


class HeightSamples(HeightsPlot, LectureScene):
    scene_id = "height-samples"

    # Layout (scene units): heading, readout row, note row, then the axes, the samples beside.
    ROW_Y = 2.45
    NOTE_Y = 1.8
    AXES_TOP = 1.1   # f(x; theta) at the y-axis's top stays clear of the note row
    AXES_BOTTOM = theme.CONTENT_BOTTOM + 0.7  # its tick labels and the unit under them stay above the caption band
    AXIS_LEFT = -5.45

    def candidate_color(self, mu: float):
        """Colour of the moving curve: each candidate's colour, blended between candidates."""
        cands = list(self.data.heights.candidates)
        colors = theme.CANDIDATES
        if mu <= cands[0]:
            return colors[0]
        for i in range(2):
            lo, hi = cands[i], cands[i + 1]
            if mu <= hi:
                alpha = 1.0 if hi == lo else (mu - lo) / (hi - lo)
                return interpolate_color(colors[i], colors[i + 1], alpha)
        return colors[2]

    def get_plot(self, beside: VGroup) -> tuple[Axes, VGroup]:
        """The axes from AXIS_LEFT to the left of ``beside`` (the sample list, placed at the
        right edge, its top at the axes' top)."""
        beside.to_edge(RIGHT, buff=theme.SAFE_BUFF_X)
        beside.shift((self.AXES_TOP + 0.1 - beside.get_top()[1]) * UP)
        room = beside.get_top()[1] - (theme.CONTENT_BOTTOM + 0.05)  # a long list ends above the caption band
        if beside.height > room:
            beside.scale(room / beside.height, about_edge=UP + RIGHT)
        right = beside.get_left()[0] - 0.45
        bottom = self.AXES_BOTTOM
        for _ in range(2):  # a tall scale note or unit under the ticks raises the axis to stay inside
            axes = self.get_height_axes(x_length=right - self.AXIS_LEFT, y_length=self.AXES_TOP - bottom)
            axes.shift([self.AXIS_LEFT - axes.x_axis.get_left()[0], bottom - axes.c2p(axes.x_range[0], 0)[1], 0])
            labels = self.get_axis_labels(axes)
            overshoot = SAFE_BOTTOM - labels.get_bottom()[1]
            if overshoot <= 0:
                break
            bottom += overshoot
        return axes, labels

    def get_readout(self, mu_tracker: ValueTracker) -> tuple[VGroup, MathTex, ScientificNumber]:
        """mu = ... (left) and  L(theta|x) = prod f(x_i; theta) = m x 10^e  (right)."""
        h = self.data.heights
        mu_label = MathTex(r"\mu =", font_size=theme.MATH_SIZE)
        exponent, decimals = self.get_mu_format()
        mu_value = ScaledDecimal(mu_tracker.get_value(), exponent, num_decimal_places=decimals, font_size=theme.MATH_SIZE)
        unit = unit_text(h.unit)
        mu_group = VGroup(mu_label, mu_value, unit).arrange(RIGHT, buff=0.15)
        unit.align_to(mu_label, DOWN)
        mu_group.move_to([0, self.ROW_Y, 0]).to_edge(LEFT, buff=theme.SAFE_BUFF_X)

        def follow(m: ScaledDecimal) -> None:
            if m.get_value() != mu_tracker.get_value():
                m.set_value(mu_tracker.get_value())
            m.next_to(mu_label, RIGHT, buff=0.15 * scale)
            m.shift((mu_label[0][-1].get_y() - m.number.get_y()) * UP)  # the digits centred on "="
            unit.next_to(m, RIGHT, buff=0.15 * scale)
            unit.shift((m.number.get_bottom()[1] - unit[0].get_bottom()[1]) * UP)  # first letter on the baseline

        scale = 1.0
        follow(mu_value)

        formula = MathTex(
            r"\mathcal{L}(\theta|x) = \prod\nolimits_{i=1}^{" + str(len(h.samples)) + r"} f(x_i;\theta) =",
            font_size=theme.MATH_SIZE,
        )
        value = ScientificNumber(self.readout_log_likelihood(mu_tracker.get_value()), color=theme.HIGHLIGHT)
        right = VGroup(formula, value)
        value.next_to(formula, RIGHT, buff=0.2)
        value.shift((formula[0][-1].get_y() - value.mantissa.get_y()) * UP)  # centred on "="
        value.set_log(self.readout_log_likelihood(mu_tracker.get_value()))
        cands = self.data.heights.candidates
        widest = self.widest_readout(self.sweep_mus(min(cands), max(cands)))
        right.move_to([0, self.ROW_Y, 0]).to_edge(RIGHT, buff=theme.SAFE_BUFF_X + 0.25 + max(0.0, widest - value.width))
        value.add_updater(lambda m: m.set_log(self.readout_log_likelihood(mu_tracker.get_value())))
        # A long mu (many decimals, a long unit) shrinks to stay clear of the formula.
        room = right.get_left()[0] - 0.5 - mu_group.get_left()[0]
        if mu_group.width > room:
            scale = room / mu_group.width
            mu_group.scale(scale, about_edge=LEFT)
        follow(mu_value)
        mu_value.add_updater(follow)
        return mu_group, formula, value

    def move_key(self, k: int, logs: list[float]) -> str:
        """The line for sliding from candidate k to k+1, by what the likelihood did (equal
        within comparison_signs' tolerance is equal); "falls again" only after a rise."""
        sign = comparison_signs([logs[k - 1], logs[k]])[0]
        if sign == "=":
            same_place = self.data.heights.candidates[k] == self.data.heights.candidates[k - 1]
            return "move_same_say" if same_place else "move_equal_say"
        if sign == "<":
            return "move_up_say"
        rose_before = k > 1 and comparison_signs([logs[k - 2], logs[k - 1]])[0] == "<"
        return "move_down_say" if rose_before else "move_down_first_say"

    @staticmethod
    def best_candidates(logs: list[float]) -> list[int]:
        """The candidates (1-based) whose likelihood equals the largest (comparison_signs)."""
        top = max(logs)
        return [i + 1 for i, v in enumerate(logs) if comparison_signs([v, top])[0] == "="]

    def get_theta_label(self, axes: Axes, index: int) -> MathTex:
        """theta_k above the peak of candidate k's curve."""
        mu = self.data.heights.candidates[index]
        label = MathTex(rf"\theta_{index + 1}", font_size=theme.MATH_SIZE, color=theme.CANDIDATES[index])
        label.next_to(axes.c2p(mu, density_peak(self.data.heights.sigma)), UP, buff=0.15)
        return label

    def get_conclusion(self) -> tuple[VGroup, VGroup]:
        """L(theta1|x) ? L(theta2|x) ? L(theta3|x), signs from mathcore, values underneath."""
        logs = [c["log_likelihood"] for c in self.results["heights"]["candidates"]]
        signs = comparison_signs(logs)
        terms = [rf"\mathcal{{L}}(\theta_{k}|x)" for k in (1, 2, 3)]
        inequality = MathTex(terms[0], signs[0], terms[1], signs[1], terms[2], font_size=theme.MATH_SIZE + 4)
        inequality.arrange(RIGHT, buff=0.5)
        for k, index in enumerate((0, 2, 4)):
            inequality[index].set_color(theme.CANDIDATES[k])
        inequality.move_to([0, self.ROW_Y, 0])
        values = VGroup()
        for k, index in enumerate((0, 2, 4)):
            number = ScientificNumber(logs[k], font_size=theme.MATH_SIZE - 6, color=theme.CANDIDATES[k])
            number.move_to([inequality[index].get_x(), self.NOTE_Y + 0.1, 0])
            values.add(number)
        return inequality, values

    def construct(self) -> None:
        h = self.data.heights
        cands = list(h.candidates)
        heading = self.get_heading()
        sample_list = self.get_sample_list()
        axes, axis_labels = self.get_plot(sample_list)
        shown = display_subsample(h.samples, MAX_SEGMENTS)
        dots = self.get_sample_dots(axes, shown)
        rug = self.get_rug(axes) if shown.size < len(h.samples) else VGroup()
        notes = self.get_notes(shown.size)
        mu = ValueTracker(cands[0])

        # Show the samples on their axis, their values beside
        listed = len(h.samples) <= MAX_LISTED
        key = "samples_say" if listed else "samples_summary_say"
        beat = self.beat_seconds(key, n=len(h.samples))
        with self.narrate(key, n=len(h.samples)):
            self.play(FadeIn(heading), Create(axes), FadeIn(axis_labels))
            self.play(FadeIn(rug), LaggedStart(*(FadeIn(d, scale=0.3) for d in dots), lag_ratio=0.08,
                                               run_time=max(1.5, 0.25 * beat)))
            rows = [sample_list[0], *sample_list[1]]
            self.play(LaggedStart(*(FadeIn(r, shift=0.1 * UP) for r in rows), lag_ratio=0.15,
                                  run_time=max(1.2, 0.3 * beat)))

        # The first candidate: a normal curve with sigma held fixed, so theta is mu
        curve = self.get_density_curve(axes, mu.get_value(), self.candidate_color(mu.get_value()))
        curve.add_updater(lambda m: m.become(self.get_density_curve(axes, mu.get_value(), self.candidate_color(mu.get_value()))))
        labels = [self.get_theta_label(axes, i) for i in range(3)]
        for i in (1, 2):  # candidates at (or next to) the same mean: labels side by side, not stacked
            for earlier in labels[:i]:
                if abs(labels[i].get_x() - earlier.get_x()) < 0.5 * (labels[i].width + earlier.width) + 0.1:
                    labels[i].next_to(earlier, RIGHT, buff=0.15)
        mu_group, formula, value = self.get_readout(mu)
        fields = dict(sigma=number_text(h.sigma, self.heights_resolution, style="words"), unit=h.unit, mu=self.mu_words(cands[0]))
        beat = self.beat_seconds("model_say", **fields)
        with self.narrate("model_say", **fields):
            self.play(Create(curve), FadeIn(labels[0]), run_time=max(1.5, 0.2 * beat))
            self.play(FadeIn(notes[0], shift=0.1 * DOWN), run_time=1.0)
            self.play(Indicate(notes[0], color=theme.TEXT, scale_factor=1.08), run_time=max(1.0, 0.15 * beat))
            self.play(FadeIn(mu_group), run_time=1.0)
            # "the first candidate, θ₁, has mean ...": its label, so a long line (a long
            # unit, English) does not hold one still picture past the gate's 6 s
            self.play(Indicate(labels[0], color=self.candidate_color(cands[0]), scale_factor=1.2),
                      run_time=max(1.0, 0.15 * beat))

        # At each sample, the curve's height is that sample's likelihood
        grow = ValueTracker(0.0)
        segments = self.get_segments(axes, shown, mu, grow)
        with self.narrate("heights_say"):
            self.add(segments, dots)
            # "at each sample": the samples light up first, so the beat shows a change even
            # where the curve is almost flat over them (the segments then stay too short to
            # see: two samples far from θ₁ held one picture 9.2 s, over the gate's 6)
            self.play(LaggedStart(*(Indicate(d, color=theme.HIGHLIGHT, scale_factor=1.6) for d in dots),
                                  lag_ratio=0.5 / max(1, len(dots)), run_time=1.5))
            self.play(grow.animate.set_value(1.0), run_time=max(1.5, 0.45 * self.beat_seconds("heights_say") - 1.5))
        if len(notes) > 1:
            self.say("subsample_say", FadeIn(notes[1]), shown=shown.size, n=len(h.samples))

        # The likelihood of all samples is the product of the heights
        with self.narrate("product_say"):
            self.play(Write(formula), run_time=max(1.5, 0.3 * self.beat_seconds("product_say")))
            self.play(FadeIn(value, shift=0.1 * UP))

        # Written as a power of ten, from a sum of logs
        with self.narrate("scientific_say"):
            self.play(Circumscribe(value, color=theme.HIGHLIGHT), run_time=max(1.5, 0.3 * self.beat_seconds("scientific_say")))
            self.play(Indicate(value.exponent, color=theme.HIGHLIGHT, scale_factor=1.4), run_time=1.2)

        # Slide the curve to theta2 and theta3: the readout follows
        logs = [c["log_likelihood"] for c in self.results["heights"]["candidates"]]
        ghosts = VGroup()
        for k in (1, 2):
            ghost = self.get_density_curve(axes, cands[k - 1], theme.CANDIDATES[k - 1]).set_stroke(width=2.5, opacity=0.4)
            ghosts.add(ghost)
            key = self.move_key(k, logs)
            with self.narrate(key, k=SUBSCRIPTS[k + 1]):
                self.add(ghost, curve)
                self.play(mu.animate.set_value(cands[k]), run_time=3, rate_func=smooth)
                self.play(FadeIn(labels[k], shift=0.1 * DOWN))

        # Compare: L(theta1|x) < L(theta2|x) > L(theta3|x), with mathcore's values
        inequality, values = self.get_conclusion()
        ghosts.add(self.get_density_curve(axes, cands[2], theme.CANDIDATES[2]).set_stroke(width=2.5, opacity=0.4))
        tied = self.best_candidates(logs)  # the candidates sharing the largest likelihood
        best = tied[0]
        compare_key, compare_fields = "compare_say", {"best": SUBSCRIPTS[best]}
        if len(tied) > 1:  # equal candidates are equal: no "best" among them
            compare_key = "compare_all_equal_say" if len(tied) == 3 else "compare_tie_say"
            compare_fields = {"a": SUBSCRIPTS[tied[0]], "b": SUBSCRIPTS[tied[1]]}
        with self.narrate(compare_key, **compare_fields):
            for m in (mu_group[1], value, curve, segments):
                m.clear_updaters()
            self.add(ghosts[2])
            self.play(
                FadeOut(formula), FadeOut(mu_group), FadeOut(notes), ReplacementTransform(value, values[2]),
                FadeOut(curve), FadeOut(segments),
                run_time=1.2,
            )
            self.play(Write(inequality), *(FadeIn(v, shift=0.1 * UP) for v in values[:2]), run_time=1.5)
            if len(tied) < 3:  # one best (or two tied for it) stands out; three equal: none does
                self.play(*(anim for b in tied for anim in (ghosts[b - 1].animate.set_stroke(width=5, opacity=1.0),
                                                             labels[b - 1].animate.scale(1.2))))
            else:
                self.play(Indicate(inequality, color=theme.TEXT, scale_factor=1.05))
            self.mark_result()
        for k, number in enumerate(values, start=1):
            self.record_shown(f"candidate_log_likelihood_{k}", number.shown_log())
            self.record_shown(f"candidate_mantissa_{k}", number.mantissa.get_value())
            self.record_shown(f"candidate_exponent_{k}", number.exponent.get_value())
        self.hold_result()
