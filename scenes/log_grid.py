"""log L(mu) of the heights over a tidy mu window around mu-hat: the ``HeightsLogGrid``
mixin of scenes 7 and 8."""

from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, Axes, VGroup

from mathcore import log_likelihood_grid
from mathcore.axis import axis_ticks
from mathcore.log_view import mu_window

from . import theme
from .axes import tick_note
from .draw import fit_width, lecture_text
from .number_format import number_text, number_text_tolerance

CURVE_POINTS = 90


class HeightsLogGrid:
    """log L(mu) of the heights over a tidy mu window around mu_hat (scenes 7 and 8)."""

    def setup_log_grid(self) -> None:
        h = self.data.heights
        self.samples = np.asarray(h.samples, dtype=float)
        self.sigma = float(h.sigma)
        self.mu_hat = float(h.mle_mu)
        self.unit = h.unit
        self.x_ticks = axis_ticks(*mu_window(self.samples, self.sigma), 5)
        self.x_range = self.x_ticks.range
        # mu_hat as every scene writes it: to the heights resolution, x 10^e when huge or tiny.
        self.mu_text = number_text(self.mu_hat, self.heights_resolution, style="words")
        self.mu_shown = float(number_text(self.mu_hat, self.heights_resolution, style="e"))
        self.mu_tolerance = number_text_tolerance(self.mu_hat, self.heights_resolution)
        self.mus = np.linspace(self.x_range[0], self.x_range[1], CURVE_POINTS)
        self.log_l = log_likelihood_grid(self.samples, self.mus, self.sigma)

    def get_x_name(self, x_labels: VGroup, axes: Axes, max_width: float) -> VGroup:
        """"μ (unit)" under the right end of the x tick labels, after the ticks' note if any."""
        name = lecture_text(f"μ ({self.unit})", size=theme.SMALL_SIZE, color=theme.MUTED)
        note = tick_note(self.x_ticks)
        row = VGroup(*([note] if note is not None else []), name).arrange(RIGHT, buff=0.3)
        fit_width(row, max_width)
        return row.next_to(x_labels, DOWN, buff=0.12).align_to(axes.x_axis, RIGHT)
