"""Scene 7: log likelihood: the product becomes a sum, the argmax stays, and floats collapse."""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Flash,
    GrowFromCenter,
    Indicate,
    MathTex,
    SurroundingRectangle,
    TransformMatchingTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    linear,
)

from mathcore import likelihood_scientific, log_likelihood_grid, relative_likelihood_grid, underflow_demo
from mathcore.log_view import collapse_count, running_log_sums, scientific_parts
from scenes import theme
from mathcore.axis import Ticks, axis_ticks, superscript
from scenes.axes import SafeAxes, tick_note, tick_text
from scenes.base import LectureScene
from scenes.draw import ARGMAX_TEX, fit_width, lecture_text
from scenes.log_grid import HeightsLogGrid
from scenes.readouts import SansDecimal, SansInteger, unit_text

PRODUCT = r"\prod_{i=1}^{N}"
SUM = r"\sum_{i=1}^{N}"
LIKELIHOOD = r"\mathcal{L}(\theta|x)"
FACTOR = r"f(x_i;\theta)"
LOG = r"\log"

PANEL_WIDTH = 5.2
PANEL_HEIGHT = 3.3
RESULT_HOLD = 3.2  # seconds a key result stays whole on screen before the scene moves on


class LogLikelihood(HeightsLogGrid, LectureScene):
    scene_id = "log-likelihood"

    # Numbers ---------------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        self.setup_log_grid()
        self.rel_l = relative_likelihood_grid(self.samples, self.mus, self.sigma)
        self.log_l_hat = float(log_likelihood_grid(self.samples, [self.mu_hat], self.sigma)[0])
        # The float demo: how many densities, and how their product collapses (for this data)
        self.demo_count = collapse_count(self.samples, self.mu_hat, self.sigma)
        self.demo = underflow_demo(self.samples, self.mu_hat, self.sigma, count=self.demo_count)
        self.collapse_kind = self.demo.collapse or "survive"  # "underflow", "overflow" or "survive"

    # Formulas --------------------------------------------------------------------------
    def get_product_formula(self) -> MathTex:
        formula = MathTex(LIKELIHOOD, "=", PRODUCT, FACTOR, font_size=theme.MATH_SIZE + 8)
        formula[3].set_color(theme.CURVE)
        return formula

    def get_log_formula(self) -> MathTex:
        formula = MathTex(LOG, LIKELIHOOD, "=", SUM, LOG, FACTOR, font_size=theme.MATH_SIZE + 8)
        formula[0].set_color(theme.HIGHLIGHT)
        formula[4].set_color(theme.HIGHLIGHT)
        formula[5].set_color(theme.CURVE)
        return formula

    # Curves side by side ---------------------------------------------------------------
    def get_panel(self, values: np.ndarray, y_ticks: Ticks, y_numbers: bool) -> VGroup:
        """Axes over mu with a curve through ``values``; y tick labels only if ``y_numbers``.

        The axes run from 0 so they cross at the bottom left whatever the data's signs;
        ``self.to_point(panel, mu, value)`` maps data coordinates onto them. Tick labels come
        from mathcore's ticks (short at any scale; the y note sits in ``panel.y_note``).
        """
        x0, x1, xs = self.x_range
        y0, y1, ys = y_ticks.range
        axes = SafeAxes(
            x_range=[0, x1 - x0, xs],
            y_range=[0, y1 - y0, ys],
            x_length=PANEL_WIDTH,
            y_length=PANEL_HEIGHT,
            tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2},
            y_axis_config={"include_ticks": y_numbers},
        )
        axes.data_origin = (x0, y0)
        panel = VGroup(axes)
        mu_hat_x = self.to_point(panel, self.mu_hat, y0)[0]
        x_labels = VGroup()
        for value, text in zip(self.x_ticks.values, self.x_ticks.labels):
            label = tick_text(text)
            label.next_to(self.to_point(panel, value, y0), DOWN, buff=0.15)
            if abs(label.get_center()[0] - mu_hat_x) > label.width / 2 + 0.25:
                x_labels.add(label)
        y_labels = VGroup()
        panel.y_note = None
        if y_numbers:
            for value, text in zip(y_ticks.values, y_ticks.labels):
                label = tick_text(text)
                label.next_to(self.to_point(panel, x0, value), LEFT, buff=0.15)
                y_labels.add(label)
            panel.y_note = tick_note(y_ticks)
        points = [self.to_point(panel, m, v) for m, v in zip(self.mus, values)]
        curve = VMobject(color=theme.CURVE, stroke_width=4).set_points_smoothly(points)
        panel.add(x_labels, y_labels, curve)
        return panel

    @staticmethod
    def to_point(panel: VGroup, mu: float, value: float) -> np.ndarray:
        axes = panel[0]
        x0, y0 = axes.data_origin
        return axes.c2p(mu - x0, value - y0)

    def get_argmax_marks(self, panel: VGroup, peak_value: float) -> VGroup:
        y0 = panel[0].data_origin[1]
        top = self.to_point(panel, self.mu_hat, peak_value)
        line = DashedLine(self.to_point(panel, self.mu_hat, y0), top, color=theme.OPTIMUM, stroke_width=3)
        dot = Dot(top, color=theme.OPTIMUM, radius=0.08)
        hat = MathTex(r"\hat\mu", font_size=theme.MATH_SIZE - 6, color=theme.OPTIMUM)
        hat.next_to(self.to_point(panel, self.mu_hat, y0), DOWN, buff=0.12)
        return VGroup(line, dot, hat)

    def get_curves(self) -> tuple[VGroup, VGroup, VGroup, VGroup, VGroup]:
        """(left panel, right panel, left marks, right marks, peak labels)."""
        spread = float(self.log_l.max() - self.log_l.min())
        log_ticks = axis_ticks(float(self.log_l.min()), float(self.log_l.max()) + 0.3 * spread, 4)
        relative = Ticks(start=0.0, end=1.3, step=0.5, values=(0.0, 0.5, 1.0), labels=("0.0", "0.5", "1.0"))
        left = self.get_panel(self.rel_l, relative, y_numbers=False)
        right = self.get_panel(self.log_l, log_ticks, y_numbers=True)
        VGroup(left, right).arrange(RIGHT, buff=1.6).move_to(0.45 * DOWN)
        right.shift((config.frame_width / 2 - theme.EDGE - right.get_right()[0]) * RIGHT)
        left.shift((-config.frame_width / 2 + theme.EDGE + 0.2 - left.get_left()[0]) * RIGHT)
        left_marks = self.get_argmax_marks(left, 1.0)
        right_marks = self.get_argmax_marks(right, self.log_l_hat)

        size = theme.MATH_SIZE - 8
        y_name_left = MathTex(r"\mathcal{L}(\mu)", font_size=size, color=theme.CURVE)
        y_name_right = MathTex(r"\log\mathcal{L}(\mu)", font_size=size, color=theme.CURVE)
        for panel, name in ((left, y_name_left), (right, y_name_right)):
            name.next_to(panel[0].y_axis.get_top(), UP, buff=0.25)
            if panel.y_note is not None:
                name = VGroup(name, panel.y_note.next_to(name, RIGHT, buff=0.25))
            panel.add(name, self.get_x_name(panel[1], panel[0], PANEL_WIDTH))

        science = likelihood_scientific(self.samples, self.mu_hat, self.sigma)
        self.record_shown("likelihood_at_mu_hat_exponent", science.exponent)
        left_peak = VGroup(
            MathTex(r"\mathcal{L}(\hat\mu) \approx", font_size=size, color=theme.OPTIMUM),
            unit_text(f"{science.mantissa:.1f}×10{superscript(science.exponent)}", font_size=size, color=theme.OPTIMUM),
        ).arrange(RIGHT, buff=0.12).next_to(left_marks[1], UP, buff=0.2)
        right_peak = MathTex(r"\log\mathcal{L}(\hat\mu) = ", font_size=size, color=theme.OPTIMUM)
        right_value = SansDecimal(self.log_l_hat, num_decimal_places=2, font_size=size, color=theme.OPTIMUM)
        right_value.next_to(right_peak, RIGHT, buff=0.12)
        right_label = VGroup(right_peak, right_value).next_to(right_marks[1], UP, buff=0.2)
        self.record_shown("log_likelihood_at_mu_hat", right_value.get_value())
        for label, panel in ((left_peak, left), (right_label, right)):
            overhang = label.get_right()[0] - (config.frame_width / 2 - theme.EDGE)
            if overhang > 0:
                label.shift(overhang * LEFT)
        return left, right, left_marks, right_marks, VGroup(left_peak, right_label)

    # Float product against the log-sum --------------------------------------------------
    def get_readout(self, count: int) -> dict:
        """Labels and live numbers of the float demo, laid out as a two-column table."""
        size = theme.MATH_SIZE
        n = len(self.samples)
        note_key = "demo_repeated" if count > n else "demo_first"
        note = lecture_text(self.word(note_key, n=n, count=count), size=theme.LABEL_SIZE, color=theme.MUTED)

        factors_label = lecture_text(self.word("factors_label"), size=theme.BODY_SIZE)
        product_label = VGroup(
            lecture_text(self.word("product_label"), size=theme.BODY_SIZE),
            MathTex(r"\prod f(x_i;\hat\mu)", font_size=size - 4, color=theme.CURVE),
        ).arrange(RIGHT, buff=0.25)
        logsum_label = VGroup(
            lecture_text(self.word("logsum_label"), size=theme.BODY_SIZE),
            MathTex(r"\sum \log f(x_i;\hat\mu)", font_size=size - 4, color=theme.CURVE),
        ).arrange(RIGHT, buff=0.25)
        labels = VGroup(factors_label, product_label, logsum_label)

        counter = SansInteger(1, font_size=size)
        mantissa = SansDecimal(1.0, num_decimal_places=2, font_size=size)
        times_ten = unit_text("×10", font_size=size)
        exponent = SansInteger(0, font_size=size * 0.7)
        product = VGroup(mantissa, times_ten, exponent)
        log_sum = SansDecimal(0.0, num_decimal_places=2, font_size=size)
        values = VGroup(counter, product, log_sum)

        rows_y = [1.0, 0.0, -1.0]
        for label, value, y in zip(labels, values, rows_y):
            label.move_to([0, y, 0]).align_to([-0.4, 0, 0], RIGHT)
            value.move_to([0, y, 0]).align_to([0.4, 0, 0], LEFT)
        times_ten.next_to(mantissa, RIGHT, buff=0.15)
        note.next_to(VGroup(labels, values), UP, buff=0.6)
        table = VGroup(note, labels, values)
        table.move_to(0.2 * DOWN)
        return {"note": note, "labels": labels, "counter": counter, "mantissa": mantissa,
                "times_ten": times_ten, "exponent": exponent, "product": product, "log_sum": log_sum,
                "values": values, "table": table}

    # Why, and the conclusion -----------------------------------------------------------
    def get_reasons(self) -> VGroup:
        rows = VGroup(*(
            lecture_text(self.word(key), size=theme.BODY_SIZE, color=color)
            for key, color in (("why_product", theme.LOSS), ("why_sum", theme.OPTIMUM), ("why_monotone", theme.TEXT))
        )).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        return fit_width(rows, config.frame_width - 2 * theme.EDGE - 0.6)

    def get_argmax_formula(self) -> VGroup:
        formula = MathTex(r"\hat\theta", "=", ARGMAX_TEX + r"_\theta", LOG, LIKELIHOOD,
                          font_size=theme.MATH_SIZE + 8)
        formula[0].set_color(theme.OPTIMUM)
        formula[3].set_color(theme.HIGHLIGHT)
        box = SurroundingRectangle(formula, color=theme.OPTIMUM, buff=0.25, corner_radius=0.1)
        return VGroup(formula, box)

    # The scene -------------------------------------------------------------------------
    def construct(self) -> None:
        heading = self.get_heading()
        self.add(heading)

        # The likelihood is a product of densities
        product = self.get_product_formula().move_to(1.3 * UP)
        with self.narrate("product_say"):
            self.play(Write(product), run_time=2)

        # Taking the log turns the product into a sum, term by term
        log_formula = self.get_log_formula().move_to(0.9 * DOWN)
        with self.narrate("to_log_say"):
            self.play(TransformMatchingTex(product.copy(), log_formula, key_map={PRODUCT: SUM}), run_time=2.5)
            self.play(Flash(log_formula[3], color=theme.HIGHLIGHT, flash_radius=0.6))

        # Both curves peak at the same mu
        corner = log_formula.copy().scale(0.75)
        corner.to_corner(UR, buff=theme.EDGE)
        if corner.get_left()[0] < heading.get_right()[0] + 0.4:
            corner.next_to(heading, DOWN, buff=theme.HEADING_BUFF).to_edge(RIGHT, buff=theme.EDGE)
        self.play(FadeOut(product), log_formula.animate.become(corner))
        left, right, left_marks, right_marks, peaks = self.get_curves()
        mu_text = self.mu_text
        self.record_shown("mle_mu", self.mu_shown, self.mu_tolerance)
        both = lecture_text(self.word("both_peak", mu=mu_text, unit=self.unit), size=theme.LABEL_SIZE,
                            color=theme.OPTIMUM)
        fit_width(both, config.frame_width - 2 * theme.EDGE)
        both.to_edge(DOWN, buff=0.3)
        with self.narrate("curves_say"):
            self.play(FadeIn(VGroup(left[:3], right[:3], left[4:], right[4:])))
            self.play(Create(left[3]), Create(right[3]), run_time=2)
        with self.narrate("peak_say", mu=mu_text):
            self.play(Create(left_marks[0]), Create(right_marks[0]), GrowFromCenter(left_marks[1]),
                      GrowFromCenter(right_marks[1]), FadeIn(left_marks[2]), FadeIn(right_marks[2]))
            self.play(FadeIn(peaks, shift=0.1 * UP), FadeIn(both))
            self.wait(RESULT_HOLD)  # the key result, whole, before anything else moves
        self.play(FadeOut(VGroup(left, right, left_marks, right_marks, peaks, both)))

        # Multiply hundreds of densities as floats: the product collapses, the log-sum does not
        self.play_float_demo()

        # Why the log, and why the argmax does not move
        reasons = self.get_reasons().move_to(0.9 * UP)
        with self.narrate(f"why_{self.collapse_kind}_say"):
            self.play(FadeIn(reasons[0], shift=0.2 * RIGHT))
        with self.narrate("why_sum_say"):
            self.play(FadeIn(reasons[1], shift=0.2 * RIGHT))
        argmax = self.get_argmax_formula().next_to(reasons, DOWN, buff=0.7)
        with self.narrate("argmax_say"):
            self.play(FadeIn(reasons[2], shift=0.2 * RIGHT))
            self.play(Write(argmax[0]), run_time=1.5)
            self.play(Create(argmax[1]))
        self.wait(theme.SHORT_WAIT)

    def play_float_demo(self) -> None:
        count, demo, kind = self.demo_count, self.demo, self.collapse_kind
        sums = running_log_sums(self.samples, self.mu_hat, self.sigma, count)
        mantissas, exponents = scientific_parts(demo.running_products)
        collapse = demo.first_collapse
        parts = self.get_readout(count)
        counter, mantissa, times_ten, exponent, log_sum = (
            parts[k] for k in ("counter", "mantissa", "times_ten", "exponent", "log_sum"))

        tracker = ValueTracker(1)

        def index() -> int:
            return int(np.clip(round(tracker.get_value()), 1, count)) - 1

        def update_counter(m):
            m.set_value(index() + 1)

        def update_product(m):
            i = index()
            if not math.isnan(mantissas[i]):
                mantissa.set_value(mantissas[i])
                times_ten.next_to(mantissa, RIGHT, buff=0.15)
                exponent.set_value(int(exponents[i]))
                exponent.next_to(times_ten.get_corner(UR), RIGHT, buff=0.05).shift(0.12 * UP)

        def update_sum(m):
            m.set_value(sums[index()])

        update_counter(counter)
        update_product(parts["product"])
        update_sum(log_sum)
        with self.narrate("demo_say", count=count):
            self.play(FadeIn(parts["table"]))
        counter.add_updater(update_counter)
        parts["product"].add_updater(update_product)
        log_sum.add_updater(update_sum)

        # The product drifts towards 0 (or inf) while the counter runs
        extras: list = []
        last_finite = count if collapse is None else collapse - 1
        with self.narrate(f"run_{kind}_say", count=count):
            self.play(tracker.animate.set_value(last_finite), run_time=5, rate_func=linear)
        if collapse is not None:
            # The factor that breaks it: the product becomes 0.0 (or inf) for good
            parts["product"].clear_updaters()
            parts["values"].remove(parts["product"])  # it leaves the screen for good
            tracker.set_value(collapse)
            collapsed = "0.0" if kind == "underflow" else "inf"
            final = unit_text(collapsed, font_size=theme.MATH_SIZE + 10, color=theme.LOSS)
            final.move_to(parts["product"], aligned_edge=LEFT)
            tag = lecture_text(self.word(f"{kind}_tag"), size=theme.LABEL_SIZE, color=theme.LOSS)
            tag.next_to(final, RIGHT, buff=0.4)
            with self.narrate(f"{kind}_say", at=collapse):
                self.play(FadeOut(parts["product"], scale=0.6), FadeIn(final, scale=1.4), FadeIn(tag), run_time=0.8)
                self.play(Flash(final, color=theme.LOSS, flash_radius=0.5))
            self.record_shown("underflow_first_collapse", counter.get_value())
            # The rest of the factors: it stays collapsed, the log-sum runs on
            with self.narrate(f"after_{kind}_say"):
                self.play(tracker.animate.set_value(count), run_time=2.0, rate_func=linear)
            extras.extend([final, tag])
        else:
            self.record_shown("underflow_first_collapse", -1)
        for mob in (counter, log_sum, parts["product"]):
            mob.clear_updaters()
        self.record_shown("underflow_count", counter.get_value())
        self.record_shown("underflow_log_sum", log_sum.get_value())
        self.record_shown("underflow_naive_product", demo.naive_product)

        # The log-sum, finished: an ordinary number
        with self.narrate("survive_say" if collapse is None else "logsum_say", count=count,
                          log_sum=f"{sums[-1]:.2f}"):
            # survived: the product (it held), then the log-sum; collapsed: the log-sum only
            held = [Indicate(parts["product"], color=theme.TEXT, scale_factor=1.1, run_time=1.0)] if collapse is None else []
            self.play_steps(*held, Indicate(log_sum, color=theme.OPTIMUM, scale_factor=1.2, run_time=1.2),
                            log_sum.animate(run_time=0.5).set_color(theme.OPTIMUM))
        # Separate FadeOuts: the scene holds the collapse readout as its own top-level mobjects.
        self.play(FadeOut(parts["table"]), *(FadeOut(m) for m in extras))
