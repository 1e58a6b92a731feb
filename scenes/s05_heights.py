"""Scene 5: predict the distribution from the events: candidate normal curves over the samples.

The samples sit on an axis; three candidate curves theta1..theta3 (mu from the data file,
sigma fixed) slide over them; at each sample a segment shows f(x_i; theta); a live readout
shows the likelihood, the product of those heights, written as mantissa x 10^exponent from
the log-sum so it never underflows (1000 samples give numbers like 10^-344 or 10^535).

The helpers at the top (ScientificNumber, HeightsPlot) are shared with scene 6.
"""

from __future__ import annotations

import dataclasses

import math
import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Axes,
    Circumscribe,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    interpolate_color,
    smooth,
)

from mathcore import Scientific, log_likelihood
from mathcore.heights_view import (
    axis_window,
    comparison_signs,
    density_peak,
    display_subsample,
    view_interval,
)
from mathcore.normal import normal_pdf
from scenes import theme
from mathcore.axis import Ticks, axis_ticks
from scenes.common import (
    scaled_words,
    LectureScene,
    SansDecimal,
    SansInteger,
    ScaledDecimal,
    data_axes,
    fit_width,
    lecture_text,
    number_text,
    number_text_tolerance,
    readout_decimals,
    readout_exponent,
    set_ticks,
    tick_labels,
    tick_note,
    unit_text,
)

SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
MAX_SEGMENTS = 60      # segments drawn at most; the likelihood always uses every sample
CURVE_POINTS = 160     # samples along a density curve: smooth at 1080p, cheap per frame
MAX_LISTED = 12        # up to this many samples are listed beside the plot; more: n, mean, sd
LIST_WIDTH = 2.4       # the widest the list may be (a long unit shrinks to it)
VIEW_SPREAD = 2.5      # a heights axis shows its curves out to this many sigma (4% of the peak)
SAFE_BOTTOM = theme.CONTENT_BOTTOM + 0.03  # the lowest a label may reach: just above the caption band


class ScientificNumber(VGroup):
    """mantissa x 10^exponent from a natural log, in the lecture's font (SansDecimal, "×10",
    SansInteger). Only the two numbers change (their own glyph cache); the "×10" is built once.
    """

    def __init__(self, log_value: float, font_size: float = theme.MATH_SIZE, color=theme.TEXT, decimals: int = 2):
        self.decimals = decimals
        self.mantissa = SansDecimal(1.0, num_decimal_places=decimals, font_size=font_size, color=color)
        self.times = unit_text("×10", font_size=font_size, color=color)
        self.exponent = SansInteger(0, font_size=font_size * 0.7, color=color)
        super().__init__(self.mantissa, self.times, self.exponent)
        self.set_log(log_value)

    def parts(self, log_value: float) -> tuple[float, int]:
        """Mantissa rounded for display (9.996 becomes 1.00 x 10 more) and exponent."""
        sci = Scientific.from_log(log_value)
        mantissa, exponent = round(sci.mantissa, self.decimals), sci.exponent
        if mantissa >= 10.0:
            mantissa, exponent = round(mantissa / 10.0, self.decimals), exponent + 1
        return mantissa, exponent

    def set_log(self, log_value: float) -> "ScientificNumber":
        mantissa, exponent = self.parts(log_value)
        left = self.mantissa.get_left()
        if mantissa != self.mantissa.get_value():
            self.mantissa.set_value(mantissa)
        if exponent != self.exponent.get_value():
            self.exponent.set_value(exponent)
        self.mantissa.move_to(left, LEFT)
        self.times.next_to(self.mantissa, RIGHT, buff=0.12)
        self.times.align_to(self.mantissa, DOWN)
        self.exponent.next_to(self.times, UR, buff=0.04)
        self.exponent.shift(0.35 * self.times.height * DOWN)
        return self

    def shown_log(self) -> float:
        """The natural log of the number as shown (read off the mobjects)."""
        return math.log(self.mantissa.get_value()) + self.exponent.get_value() * math.log(10.0)


class HeightsPlot:
    """Axes, density curves, segments and sample dots for the heights scenes (a mixin of
    LectureScene: it reads ``self.data``)."""

    def get_x_ticks(self) -> Ticks:
        """The heights axis: exactly the samples and every candidate curve out to VIEW_SPREAD
        sigma (not out to the next round numbers), round ticks inside."""
        h = self.data.heights
        return axis_window(*view_interval(h.samples, h.candidates, h.sigma, VIEW_SPREAD), 6)

    def get_height_axes(self, x_length: float, y_length: float, numbers: bool = True, y_ticks: int = 4,
                        x_ticks: Ticks | None = None, tight: bool = False) -> Axes:
        """Axes for f(x; theta): x over ``x_ticks`` (default :meth:`get_x_ticks`: the samples
        and every candidate curve), y the peak.

        They cross at the bottom left whatever the data's sign; tick labels (``axes.x_numbers``,
        ``axes.y_numbers``) come from mathcore's ticks, short at any scale, and ``axes.x_note`` /
        ``axes.y_note`` say how to read them when they are scaled ("×10¹²") or offset.
        """
        h = self.data.heights
        x_ticks = x_ticks or self.get_x_ticks()
        y_t = axis_ticks(0.0, density_peak(h.sigma) * 1.3, y_ticks)
        if tight and y_t.end > density_peak(h.sigma) * 1.3:  # a short panel: the curve fills it, not half of it
            top = density_peak(h.sigma) * 1.3
            keep = [i for i, v in enumerate(y_t.values) if v <= top]
            y_t = dataclasses.replace(y_t, end=top, values=tuple(y_t.values[i] for i in keep),
                                      labels=tuple(y_t.labels[i] for i in keep))
        axes = data_axes(x_ticks, y_t, x_length, y_length)
        set_ticks(axes.x_axis, x_ticks.values)  # the window's ends need not be ticks
        axes.x_ticks, axes.y_ticks = x_ticks, y_t
        axes.x_numbers = tick_labels(axes, x_ticks, "x", size=theme.SMALL_SIZE + 2) if numbers else VGroup()
        axes.y_numbers = tick_labels(axes, y_t, "y", size=theme.SMALL_SIZE + 2, skip_zero=True)
        axes.x_note = tick_note(x_ticks) if numbers else None
        axes.y_note = tick_note(y_t)
        axes.add(axes.x_numbers, axes.y_numbers)
        return axes

    def get_axis_labels(self, axes: Axes, numbers: bool = True, x_name: str | None = None) -> VGroup:
        """The unit (or ``x_name``) under the right end of the x-axis's tick labels, with the
        ticks' scale note before it; f(x; theta) at the top of the y-axis, its note after it."""
        name = lecture_text(x_name or self.data.heights.unit, size=theme.LABEL_SIZE, color=theme.MUTED)
        row = VGroup(*([axes.x_note] if numbers and axes.x_note is not None else []), name).arrange(RIGHT, buff=0.3)
        fit_width(row, 0.6 * axes.x_axis.width)
        below = axes.x_numbers if numbers and len(axes.x_numbers) else axes.x_axis
        row.next_to(below, DOWN, buff=0.08).align_to(axes.x_axis, RIGHT)
        f_label = MathTex(r"f(x;\theta)", font_size=theme.LABEL_SIZE + 4, color=theme.MUTED)
        f_label.next_to(axes.y_axis.get_top(), RIGHT, buff=0.3)
        labels = VGroup(row, f_label)
        if axes.y_note is not None:
            labels.add(axes.y_note.next_to(f_label, RIGHT, buff=0.25))
        return labels

    def get_x_range(self, axes: Axes) -> tuple[float, float]:
        return float(axes.x_range[0]), float(axes.x_range[1])

    def get_density_curve(self, axes: Axes, mu: float, color) -> VMobject:
        """The normal curve with mean mu (sigma from the data), clipped to the axes. Where the
        curve is narrow next to the axis (candidates far from the samples), points within
        4 sigma of mu are added, so it shows as a spike instead of falling between samples."""
        x0, x1 = self.get_x_range(axes)
        sigma = self.data.heights.sigma
        xs = np.linspace(x0, x1, CURVE_POINTS)
        if 8 * sigma < 4 * (x1 - x0) / CURVE_POINTS:
            near = mu + sigma * np.linspace(-4.0, 4.0, 17)
            xs = np.unique(np.concatenate([xs, near[(near > x0) & (near < x1)]]))
        points = axes.c2p(np.column_stack([xs, normal_pdf(xs, mu, self.data.heights.sigma)]))
        curve = VMobject(color=color, stroke_width=4)
        curve.set_points_smoothly(points)
        return curve

    def get_segment_points(self, axes: Axes, xs: np.ndarray, mu: float, grow: float = 1.0) -> np.ndarray:
        """Bezier points of one vertical segment per sample, (x_i, 0) up to ``grow`` of
        the way to (x_i, f(x_i; mu))."""
        bottoms = axes.c2p(np.column_stack([xs, np.zeros_like(xs)]))
        tops = axes.c2p(np.column_stack([xs, normal_pdf(xs, mu, self.data.heights.sigma)]))
        thirds = grow * np.linspace(0.0, 1.0, 4)[None, :, None]
        quads = bottoms[:, None, :] + thirds * (tops - bottoms)[:, None, :]
        return quads.reshape(-1, 3)

    def get_segments(self, axes: Axes, xs: np.ndarray, mu_tracker: ValueTracker, grow: ValueTracker) -> VMobject:
        """The f(x_i; theta) segments as one VMobject, following mu_tracker; ``grow`` (0 to 1)
        raises them from the axis."""
        segments = VMobject(color=theme.HIGHLIGHT, stroke_width=3)

        def update(m: VMobject) -> None:
            m.set_points(self.get_segment_points(axes, xs, mu_tracker.get_value(), grow.get_value()))

        update(segments)
        segments.add_updater(update)
        return segments

    def get_sample_dots(self, axes: Axes, xs: np.ndarray) -> VGroup:
        radius = 0.075 if xs.size <= 20 else 0.05
        dots = VGroup(*(Dot(axes.c2p(x, 0), radius=radius, color=theme.SAMPLE) for x in xs))
        return dots.set_z_index(2)  # always above curves and segments

    def get_rug(self, axes: Axes) -> VMobject:
        """Every sample as a short tick under the x-axis (one VMobject, drawn once)."""
        xs = np.asarray(self.data.heights.samples, dtype=float)
        bottoms = axes.c2p(np.column_stack([xs, np.zeros_like(xs)])) + 0.02 * DOWN
        tops = bottoms + 0.16 * UP
        thirds = np.linspace(0.0, 1.0, 4)[None, :, None]
        rug = VMobject(color=theme.SAMPLE, stroke_width=1.2, stroke_opacity=0.5)
        rug.set_points((bottoms[:, None, :] + thirds * (tops - bottoms)[:, None, :]).reshape(-1, 3))
        return rug

    def get_mu_format(self) -> tuple[int, int]:
        """(exponent, decimals) of the mu readout: the heights resolution (as mu-hat in every
        scene), in units of 10**exponent when huge or tiny."""
        cands = self.data.heights.candidates
        exponent = readout_exponent(max(abs(c) for c in cands))
        decimals, factor = readout_decimals(exponent, self.heights_resolution), 10.0**exponent
        # every candidate as the data give it (its likelihood is shown next to it), up to 10 decimals
        while decimals < 10 and any(abs(float(f"{c / factor:.{decimals}f}") - c / factor) > 1e-9 * max(1.0, abs(c / factor))
                                    for c in cands):
            decimals += 1
        return exponent, decimals

    def readout_format(self) -> tuple[int, int]:
        return self.get_mu_format()

    def mu_words(self, mu: float) -> str:
        """mu as the readout writes it, for narration."""
        return scaled_words(mu, *self.get_mu_format())

    def log_likelihood_at(self, mu: float) -> float:
        h = self.data.heights
        return log_likelihood(h.samples, mu, h.sigma)

    def shown_mu(self, mu: float) -> float:
        """mu as the readout shows it (its format: ``readout_format``), so the likelihood next
        to it is the likelihood of the number on screen, not of unseen digits."""
        exponent, decimals = self.readout_format()
        factor = 10.0**exponent
        return float(f"{mu / factor:.{decimals}f}") * factor

    def readout_log_likelihood(self, mu: float) -> float:
        """log L at the mu the readout shows (see :meth:`shown_mu`)."""
        return self.log_likelihood_at(self.shown_mu(mu))

    def get_sample_list(self) -> VGroup:
        """The data beside the plot, in the dots' colour: up to MAX_LISTED samples in
        ascending order (the dots left to right), written as the data give them; more: how
        many, their mean and standard deviation (those of scene 2's model). Records them."""
        h = self.data.heights
        unit = f"({h.unit})"
        header = lecture_text(self.word("samples_header", unit=unit).strip(), size=theme.SMALL_SIZE, color=theme.SAMPLE)
        if header.width > 0.8 * LIST_WIDTH:  # a long unit goes on a line of its own
            header = VGroup(lecture_text(self.word("samples_header", unit="").strip(), size=theme.SMALL_SIZE, color=theme.SAMPLE),
                            lecture_text(unit, size=theme.SMALL_SIZE, color=theme.SAMPLE)).arrange(DOWN, aligned_edge=RIGHT,
                                                                                                 buff=0.08)
        rows = []
        xs = np.sort(np.asarray(h.samples, dtype=float))
        if xs.size <= MAX_LISTED:
            resolution = self.sample_resolution  # as the data write them (mathcore/precision.py)
            for i, x in enumerate(xs, start=1):
                rows.append(number_text(x, resolution).replace("-", "−"))
                self.record_shown(f"sample_{i}", float(number_text(x, resolution, style="e")),
                                  number_text_tolerance(x, resolution))
        else:
            resolution = h.mle_sigma / 100  # as scene 2 writes theta = (mu, sigma)
            mean, sd = (number_text(v, resolution) for v in (h.mle_mu, h.mle_sigma))
            rows += [self.word("samples_count", n=xs.size), self.word("samples_mean", mean=mean.replace("-", "−")),
                     self.word("samples_sd", sd=sd)]
            self.record_shown("sample_count", float(xs.size))
            self.record_shown("sample_mean", float(number_text(h.mle_mu, resolution, style="e")),
                              number_text_tolerance(h.mle_mu, resolution))
            self.record_shown("sample_sd", float(number_text(h.mle_sigma, resolution, style="e")),
                              number_text_tolerance(h.mle_sigma, resolution))
        texts = VGroup(*(lecture_text(r, size=theme.SMALL_SIZE, color=theme.SAMPLE) for r in rows))
        column = VGroup(header, texts.arrange(DOWN, aligned_edge=RIGHT, buff=0.11)).arrange(DOWN, aligned_edge=RIGHT, buff=0.2)
        return fit_width(column, LIST_WIDTH)

    def widest_readout(self, mus) -> float:
        """The width of the likelihood readout at its widest while mu moves over ``mus``
        (the exponent's digits change), so its right end can be placed for that."""
        logs = [self.readout_log_likelihood(float(m)) for m in mus]
        return max(ScientificNumber(v, color=theme.HIGHLIGHT).width for v in (min(logs), max(logs)))

    def sweep_mus(self, low: float, high: float) -> list[float]:
        """The ends of a sweep of mu and, if inside, the sample mean (log L's maximum)."""
        mean = self.data.heights.mle_mu
        return [low, high, *([mean] if low < mean < high else [])]

    def get_notes(self, shown: int) -> VGroup:  # needs NOTE_Y and LectureScene's data/word
        """theta = mu with sigma held fixed (left); with many samples, how many segments are
        drawn (right)."""
        h = self.data.heights
        sigma_note = lecture_text(self.word("sigma_note", sigma=number_text(h.sigma, self.heights_resolution), unit=h.unit), size=theme.SMALL_SIZE, color=theme.MUTED)
        sigma_note.move_to([0, self.NOTE_Y, 0]).to_edge(LEFT, buff=theme.SAFE_MARGIN_X + 0.15)  # room to Indicate it
        notes = VGroup(sigma_note)
        if shown < len(h.samples):
            sub_note = lecture_text(self.word("subsample_note", shown=shown, n=len(h.samples)), size=theme.SMALL_SIZE, color=theme.MUTED)
            fit_width(sub_note, (theme.CONTENT_RIGHT - theme.CONTENT_LEFT) - sigma_note.width - 0.6)
            sub_note.move_to([0, self.NOTE_Y, 0]).to_edge(RIGHT, buff=theme.SAFE_MARGIN_X)
            notes.add(sub_note)
        return notes


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
        beside.to_edge(RIGHT, buff=theme.SAFE_MARGIN_X)
        beside.shift((self.AXES_TOP + 0.1 - beside.get_top()[1]) * UP)
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
        mu_group.move_to([0, self.ROW_Y, 0]).to_edge(LEFT, buff=theme.SAFE_MARGIN_X)

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
        right.move_to([0, self.ROW_Y, 0]).to_edge(RIGHT, buff=theme.SAFE_MARGIN_X + 0.25 + max(0.0, widest - value.width))
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

        # At each sample, the curve's height is that sample's likelihood
        grow = ValueTracker(0.0)
        segments = self.get_segments(axes, shown, mu, grow)
        with self.narrate("heights_say"):
            self.add(segments, dots)
            self.play(grow.animate.set_value(1.0), run_time=max(1.5, 0.45 * self.beat_seconds("heights_say")))
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
