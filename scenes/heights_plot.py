"""Axes, density curves, segments, sample dots and the sample list of the heights scenes
(5 and 6): the ``HeightsPlot`` mixin of a LectureScene."""

from __future__ import annotations

import dataclasses

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, MathTex, ValueTracker, VGroup, VMobject

from mathcore import log_likelihood
from mathcore.axis import Ticks, axis_ticks
from mathcore.heights_view import axis_window, density_peak, view_interval
from mathcore.normal import normal_pdf

from . import theme
from .axes import data_axes, set_ticks, tick_labels, tick_note
from .draw import fit_width, lecture_text
from .number_format import number_text, number_text_tolerance, readout_decimals, readout_exponent, scaled_words
from .readouts import ScientificNumber

MAX_SEGMENTS = 60      # segments drawn at most; the likelihood always uses every sample
CURVE_POINTS = 160     # samples along a density curve: smooth at 1080p, cheap per frame
MAX_LISTED = 12        # up to this many samples are listed beside the plot; more: n, mean, sd
LIST_WIDTH = 2.4       # the widest the list may be (a long unit shrinks to it)
VIEW_SPREAD = 2.5      # a heights axis shows its curves out to this many sigma (4% of the peak)


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
        sigma_note.move_to([0, self.NOTE_Y, 0]).to_edge(LEFT, buff=theme.SAFE_BUFF_X + 0.15)  # room to Indicate it
        notes = VGroup(sigma_note)
        if shown < len(h.samples):
            sub_note = lecture_text(self.word("subsample_note", shown=shown, n=len(h.samples)), size=theme.SMALL_SIZE, color=theme.MUTED)
            fit_width(sub_note, (theme.CONTENT_RIGHT - theme.CONTENT_LEFT) - sigma_note.width - 0.75)
            sub_note.move_to([0, self.NOTE_Y, 0]).to_edge(RIGHT, buff=theme.SAFE_BUFF_X)
            notes.add(sub_note)
        return notes
