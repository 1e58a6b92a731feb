"""Scene 9: the phone-OS example: n passers-by, k of the first label; L(p), log L(p), NLL(p).

Everything comes from the data's two labels and counts: the people (icons for a handful,
a dot grid for hundreds, a proportional bar beyond), the binomial sampling probability with
its coefficient evaluated, and the three curves over p in (0, 1) with p_hat = k/n marked.
L(p) is drawn in units of 10**e (e from L(p_hat)), so a likelihood of 1e-57 still fills its
axis honestly; log L and NLL are clipped where they run off to infinity near 0 and 1.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Brace,
    Circle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    MarkupText,
    MathTex,
    Rectangle,
    Mobject,
    ReplacementTransform,
    RoundedRectangle,
    Transform,
    Square,
    SingleStringMathTex,
    SurroundingRectangle,
    Text,
    VGroup,
    VMobject,
    Write,
    config,
)

from mathcore import binary_log_likelihood, binary_nll
from mathcore.binary import binomial_coefficient_value
from mathcore.binary_view import (
    curve_samples,
    likelihood_exponent,
    nll_clip,
    nll_window,
    scaled_likelihood,
)
from scenes import theme
from mathcore.axis import Ticks, axis_ticks
from mathcore.axis import superscript
from scenes.axes import SafeAxes, tick_labels, tick_note, tick_text
from scenes.base import LectureScene
from scenes.draw import fit_width, lecture_text
from scenes.number_format import format_number, loss_text, loss_tolerance, number_text, number_text_tolerance
from scenes.readouts import math_with_number
from scenes.text import ko_particle, subscript_digits

ICON_LIMIT = 30      # up to this many: person icons (or discs, when the data do not count people)
PEOPLE_COUNTER = "명"  # the Korean counter for people: the data count persons
GRID_LIMIT = 600     # up to this many: a grid of dots; beyond: one proportional bar
# The survey (people and the count table) first stands large in the middle of the frame;
# for the sampling formula it moves to the left column and the formulas take the right one.
PEOPLE_WIDTH = 11.0   # the people's room in the middle (a block about twice as wide as tall)
PEOPLE_HEIGHT = 3.0
TABLE_GAP = 0.6       # between the people and the count table
COLUMN_GAP = 0.7      # between the left column (the survey) and the right one (the formulas)
COLUMN_SPLIT = -0.4   # x where the left column ends and the gap begins
SAMPLING_SIZE = 1.2 * theme.MATH_SIZE  # the sampling formula and L(p): the right column's subject
PANEL_WIDTH = 4.0
PANEL_GAP = (theme.CONTENT_RIGHT - theme.CONTENT_LEFT - 3 * PANEL_WIDTH) / 2  # inside the 5 % margins
HEADER_TOP = config.frame_height / 2 - 1.3  # under the heading (and the boxed estimate beside it)
FORMULA_SIZE = 32
HEADER_AIR = 0.3  # a panel's formula stops this far short of the panel's width (long counts crowded the top)
VALUE_SIZE = 26  # the curves' values at p_hat, in the lecture's font (as every standalone number)
TICK_SIZE = theme.TICK_SIZE


def short_number(value: float) -> str:
    """A compact number for formulas and narration: 0.7, 0.65, 1, 0.005."""
    text = f"{value:.4g}"
    return format_number(value) if "e" in text else text


def power(exponent: int) -> str:
    return "" if exponent == 1 else f"^{{{exponent}}}"


def factor(count: int) -> str:
    return "" if count == 1 else str(count)


_EXACT_BELOW = 10**7


def coefficient_is_short(n: int, k: int) -> bool:
    """Whether C(n, k) is shown exactly (below 10^7); else as mantissa x 10^e."""
    exact = binomial_coefficient_value(n, k).exact
    return exact is not None and exact < _EXACT_BELOW


def coefficient_tex(n: int, k: int) -> str:
    """C(n, k) evaluated: exact when short, else mantissa x 10^e, from the function that
    gives `nll-lecture compute` its number."""
    value = binomial_coefficient_value(n, k)
    if coefficient_is_short(n, k):
        return f"{value.exact:,}".replace(",", r"{,}")
    mantissa, exponent = value.mantissa_digits(3)
    return rf"{mantissa} \times 10^{{{exponent}}}"


def coefficient_words(n: int, k: int) -> str:
    """C(n, k) for narration: 120, or 1.018 × 10⁵⁵."""
    value = binomial_coefficient_value(n, k)
    if coefficient_is_short(n, k):
        return f"{value.exact:,}"
    mantissa, exponent = value.mantissa_digits(3)
    return f"{mantissa} × 10{superscript(exponent)}"


class PhoneOsExample(LectureScene):
    scene_id = "phone-os"

    def construct(self) -> None:
        binary = self.data.binary
        self.k, self.n = binary.k, binary.n
        self.m = self.n - self.k
        self.labels = list(binary.labels)
        self.p_hat = self.results["binary"]["p_hat"]
        fields = self.get_fields()
        heading = self.get_heading()
        self.add(heading)

        # Survey the passers-by: they appear, then each shows its phone's OS (large, mid-screen,
        # the count table's room under them)
        body_top, body_bottom = self.body_bounds(heading)
        people = self.get_people()
        table = self.get_table()
        survey = VGroup(people, table)
        table.next_to(people, DOWN, buff=TABLE_GAP)
        self.fit_in(survey, theme.CONTENT_LEFT, theme.CONTENT_RIGHT, body_top, body_bottom)
        rows, probabilities = table
        with self.narrate("survey_say", **fields):
            self.play(LaggedStart(*(FadeIn(p, scale=0.6) for p in people), lag_ratio=min(0.1, 2.0 / len(people))), run_time=1.6)
            self.play(
                LaggedStart(*(p.animate.set_color(self.label_color(i)) for i, p in enumerate(people)), lag_ratio=min(0.12, 2.0 / len(people))),
                run_time=1.8,
            )

        # Count each label
        with self.narrate("counts_say", **fields):
            self.play(LaggedStart(*(FadeIn(row, shift=0.2 * RIGHT) for row in rows), lag_ratio=0.4), run_time=1.2)

        # The model: the first label with probability p, the second with 1 - p
        with self.narrate("model_say", **fields):
            self.play(LaggedStart(*(Write(prob) for prob in probabilities), lag_ratio=0.5), run_time=1.4)

        # The probability of this sample, with the binomial coefficient evaluated: the survey
        # moves to the left column, the formulas build in the right one
        sampling = self.get_sampling()
        likelihood_formula = MathTex(r"\mathcal{L}(p)", "=", self.power_tex(), font_size=SAMPLING_SIZE, color=theme.CURVE)
        likelihood_formula.next_to(sampling, DOWN, buff=0.5, aligned_edge=LEFT)
        maths = VGroup(sampling, likelihood_formula)
        self.fit_in(maths, COLUMN_SPLIT + COLUMN_GAP, theme.CONTENT_RIGHT, body_top, body_bottom)
        top = survey.copy()
        self.fit_in(top, theme.CONTENT_LEFT, COLUMN_SPLIT, body_top, body_bottom)
        self.columns = (top.copy(), maths.copy())  # for tests: the two columns as placed
        formula, constant_note = sampling[1], sampling[2]
        if coefficient_is_short(self.n, self.k):  # shown exactly (else rounded, as 1.018 x 10^55)
            self.record_shown("binomial_coefficient", float(binomial_coefficient_value(self.n, self.k).exact))
        else:  # log10 of the mantissa x 10^e on screen, read back from the formula's text
            mantissa, exponent = coefficient_tex(self.n, self.k).rstrip("}").split(r" \times 10^{")
            self.record_shown("binomial_coefficient_log10", math.log10(float(mantissa)) + int(exponent))
        with self.narrate("sampling_say", **fields):
            self.play(Transform(survey, top), run_time=0.8)
            self.play(FadeIn(sampling[0]), Write(formula[:2]), run_time=1.5)
            self.play(Write(formula[2:]), run_time=1.2)

        # Drop the constant: what is left is the likelihood L(p)
        with self.narrate("drop_say", **fields):
            self.play_steps((FadeIn(constant_note, shift=0.1 * DOWN), formula[3].animate.set_color(theme.MUTED)),
                            FadeIn(likelihood_formula, shift=0.2 * DOWN))

        # Clear the stage for three curves: L, log L, NLL
        panels = self.get_panels()
        self.play(FadeOut(people), FadeOut(table), FadeOut(sampling), run_time=0.8)

        scale_key = "likelihood_scaled_say" if self.exponent != 0 else "likelihood_say"
        for index, key in enumerate((scale_key, "log_say", "nll_say")):
            panel = panels[index]
            name, formula_mob, axes, curve, extras, marker = panel
            with self.narrate(key, **fields):
                if index == 0:
                    self.play(FadeIn(name), ReplacementTransform(likelihood_formula, formula_mob), run_time=1.2)
                else:
                    self.play(FadeIn(name), Write(formula_mob), run_time=1.4)
                self.play(Create(axes), FadeIn(extras), run_time=0.9)
                self.play(Create(curve), run_time=1.6)
                self.play(Create(marker[0]), FadeIn(marker[1], scale=0.5), run_time=0.6)
                self.play(FadeIn(marker[2], shift=0.1 * UP), run_time=0.6)  # the value at the extreme
        self.record_extreme_values()

        # The answer: all three curves turn at p_hat = k / n
        conclusion = self.get_conclusion(heading)
        with self.narrate("conclusion_say", **fields):
            self.play_steps(FadeIn(conclusion, shift=0.2 * UP),
                            tuple(Indicate(panel[5][1], scale_factor=1.8, color=theme.OPTIMUM, run_time=1.0)
                                  for panel in panels))
        self.record_marked_numbers(panels)
        self.wait(theme.SHORT_WAIT)

    # Fields, colours ---------------------------------------------------------------------
    def get_fields(self) -> dict[str, str]:
        return {
            "n": str(self.n),
            "k": str(self.k),
            "m": str(self.m),
            "first": self.labels[0],
            "second": self.labels[1],
            "p_hat": self.p_hat_text(),
            "coefficient": coefficient_words(self.n, self.k),
            "exponent": str(likelihood_exponent(self.k, self.n)),
            "power": f"10{superscript(likelihood_exponent(self.k, self.n))}",
            "nck": f"{subscript_digits(self.n)}C{subscript_digits(self.k)}",
            "nck_topic": ko_particle(self.k, "은", "는"),
            "nll": self.extreme_values()[2]["words"],
        }

    def body_bounds(self, heading: Mobject) -> tuple[float, float]:
        """The top and bottom of the room under the heading: the content area's (scenes/theme.py)."""
        return heading.get_bottom()[1] - theme.HEADING_BUFF, theme.CONTENT_BOTTOM + 0.05

    @staticmethod
    def fit_in(group: Mobject, left: float, right: float, top: float, bottom: float) -> Mobject:
        """Shrink ``group`` (never grow it) into the box and centre it there."""
        group.scale(min(1.0, (right - left) / group.width, (top - bottom) / group.height))
        return group.move_to([(left + right) / 2, (top + bottom) / 2, 0])

    def label_color(self, index: int):
        """The colour of person ``index`` (or, for the proportional bar, of segment ``index``)."""
        first_count = self.k if self.n <= GRID_LIMIT else 1
        return theme.SAMPLE if index < first_count else theme.SECOND

    def power_tex(self) -> str:
        """p^k (1-p)^(n-k) with the data's counts (an exponent 1 left unwritten)."""
        return rf"p{power(self.k)}(1-p){power(self.m)}"

    def log_terms_tex(self, sign: str) -> str:
        """k log p + (n-k) log(1-p) with the counts, signs flipped for the NLL (sign "-")."""
        plus = "+" if sign == "" else "-"
        return rf"= {sign}{factor(self.k)}\log p {plus} {factor(self.m)}\log(1-p)"

    # The people ------------------------------------------------------------------------
    def get_people(self) -> VGroup:
        """One icon per person, a grid of dots for hundreds, or a proportional bar beyond."""
        # a block about twice as wide as tall: it fills the middle, and later the left column
        cols = min(self.n, math.ceil(math.sqrt(2.0 * self.n)))
        rows = math.ceil(self.n / cols)
        if self.n <= ICON_LIMIT:
            # a person only where the data count people (the counter 명: the deck's passers-by,
            # a story's candidates); coin tosses or unnamed observations are plain tokens
            token = self.get_person if self.story.counter == PEOPLE_COUNTER else self.get_token
            icons = VGroup(*(token() for _ in range(self.n)))
            icons.arrange_in_grid(rows=rows, cols=cols, buff=(0.28, 0.25))
            return icons.scale(min(2.0, PEOPLE_WIDTH / icons.width, PEOPLE_HEIGHT / icons.height))
        if self.n <= GRID_LIMIT:
            spacing = min(0.45, PEOPLE_WIDTH / cols, PEOPLE_HEIGHT / rows)
            dots = VGroup(*(Dot(radius=0.32 * spacing, color=theme.MUTED) for _ in range(self.n)))
            dots.arrange_in_grid(rows=rows, cols=cols, buff=0.36 * spacing)
            return dots
        width = 8.0
        parts = VGroup(
            *(
                Rectangle(width=max(width * count / self.n, 1e-3), height=0.6, stroke_width=0, fill_opacity=1, color=theme.MUTED)
                for count in (self.k, self.m)
            )
        )
        return parts.arrange(RIGHT, buff=0)

    def get_token(self) -> VGroup:
        """One observation that is not a person: a disc the size of a person icon."""
        return VGroup(Circle(radius=0.22, stroke_width=0, fill_opacity=1, color=theme.MUTED))

    def get_person(self) -> VGroup:
        head = Circle(radius=0.12, stroke_width=0, fill_opacity=1, color=theme.MUTED)
        body = RoundedRectangle(corner_radius=0.15, width=0.4, height=0.36, stroke_width=0, fill_opacity=1, color=theme.MUTED)
        body.next_to(head, DOWN, buff=0.05)
        return VGroup(head, body)

    # The count table ---------------------------------------------------------------------
    def get_table(self) -> VGroup:
        """Rows "swatch label count" and, aligned beside them, p and 1 - p."""
        rows, probabilities = VGroup(), VGroup()
        for index, (label, count, tex) in enumerate(
            zip(self.labels, (self.k, self.m), ("p", "1-p"), strict=True)
        ):
            color = theme.SAMPLE if index == 0 else theme.SECOND
            swatch = Square(side_length=0.26, stroke_width=0, fill_opacity=1, color=color)
            name = fit_width(lecture_text(label, size=theme.BODY_SIZE), 5.0)
            number = lecture_text(self.word("count", count=count), size=theme.BODY_SIZE, color=color)
            rows.add(VGroup(swatch, name, number))
            probabilities.add(MathTex(tex, font_size=theme.MATH_SIZE, color=color))
        name_width = max(row[1].width for row in rows)
        for row_index, row in enumerate(rows):
            swatch, name, number = row
            name.next_to(swatch, RIGHT, buff=0.25)
            number.next_to(swatch, RIGHT, buff=0.25 + name_width + 0.45)
            if row_index:
                row.next_to(rows[row_index - 1], DOWN, buff=0.28, aligned_edge=LEFT)
        count_right = max(row[2].get_right()[0] for row in rows)
        for row, prob in zip(rows, probabilities, strict=True):
            prob.move_to([count_right + 0.9, row.get_center()[1], 0], aligned_edge=LEFT)
        table = VGroup(rows, probabilities)
        table.set_x(0)
        return table

    # The sampling probability ------------------------------------------------------------
    def get_sampling(self) -> VGroup:
        """Label, then  nCk p^k (1-p)^(n-k)  and under it  = C p^k (1-p)^(n-k),  and the
        constant's note (a column of the right half)."""
        room = theme.CONTENT_RIGHT - COLUMN_SPLIT - COLUMN_GAP
        label = lecture_text(self.word("sampling_label", **self.get_fields()), size=theme.LABEL_SIZE, color=theme.MUTED)
        fit_width(label, room)
        formula = MathTex(
            rf"{{}}_{{{self.n}}}C_{{{self.k}}}",
            r"\," + self.power_tex(),
            "=",
            coefficient_tex(self.n, self.k),
            r"\," + self.power_tex(),
            font_size=SAMPLING_SIZE,
        )
        formula[2:].next_to(formula[:2], DOWN, buff=0.3, aligned_edge=LEFT).shift(0.45 * RIGHT)
        fit_width(formula, room)
        formula.next_to(label, DOWN, buff=0.3, aligned_edge=LEFT)
        brace = Brace(formula[3], DOWN, buff=0.08, color=theme.MUTED)
        note = lecture_text(self.word("constant_note"), size=theme.SMALL_SIZE, color=theme.MUTED)
        note.next_to(brace, DOWN, buff=0.08)
        return VGroup(label, formula, VGroup(brace, note))

    # The three panels --------------------------------------------------------------------
    @property
    def exponent(self) -> int:
        return likelihood_exponent(self.k, self.n)

    def get_panels(self) -> list[VGroup]:
        k, n = self.k, self.n
        top = nll_clip(k, n)
        nll_ticks = axis_ticks(0.0, top, 4)
        nll_end = nll_ticks.end
        log_ticks = axis_ticks(-nll_end, 0.0, 4)
        exponent = self.exponent
        peak = float(scaled_likelihood(self.p_hat, k, n, exponent))
        l_ticks = axis_ticks(0.0, 1.25 * peak, 4)  # head-room for the peak's value above it

        def likelihood(ps):
            return scaled_likelihood(ps, k, n, exponent)

        def log_likelihood(ps):
            return binary_log_likelihood(ps, k, n)

        def nll(ps):
            return binary_nll(ps, k, n)

        specs = [
            ("likelihood_name", (r"\mathcal{L}(p)", "= " + self.power_tex()), l_ticks, likelihood, theme.CURVE, (0.0, 1.0)),
            (
                "log_name",
                (r"\log \mathcal{L}(p)", self.log_terms_tex("")),
                log_ticks,
                log_likelihood,
                theme.CURVE,
                nll_window(k, n, nll_end),
            ),
            (
                "nll_name",
                (r"-\log \mathcal{L}(p)", self.log_terms_tex("-")),
                nll_ticks,
                nll,
                theme.LOSS,
                nll_window(k, n, nll_end),
            ),
        ]
        panels = []
        left = theme.CONTENT_LEFT
        headers = [self.get_header(name_key, tex, color) for name_key, tex, _, _, color, _ in specs]
        # Every panel's axes span the same band: from under the lowest header (with room for
        # the log panel's tick labels above its axis) down to the caption band (tick labels
        # under the axis stay above it).
        axes_top = min(header.get_bottom()[1] for header in headers) - 0.8
        axes_bottom = theme.CONTENT_BOTTOM + 0.45
        for index, ((_, _, y_ticks, func, color, window), header) in enumerate(zip(specs, headers)):
            y_range = (y_ticks.start, y_ticks.end)
            name, formula = header
            axes, extras = self.get_axes(y_ticks, with_scale=index == 0, height=axes_top - axes_bottom)
            xs = curve_samples(window[0], window[1], 260, extra=[self.p_hat])
            ys = np.clip(np.asarray(func(xs), dtype=float), y_range[0], y_range[1])
            curve = VMobject(color=color, stroke_width=4).set_points_as_corners(axes.c2p(xs, ys).T)
            marker_y = float(func(self.p_hat))
            base_y = 0.0
            marker = VGroup(
                DashedLine(axes.c2p(self.p_hat, base_y), axes.c2p(self.p_hat, marker_y), color=theme.OPTIMUM, stroke_width=3, dash_length=0.08),
                Dot(axes.c2p(self.p_hat, marker_y), radius=0.08, color=theme.OPTIMUM),
            )
            column_x = left + index * (PANEL_WIDTH + PANEL_GAP)
            header.shift([column_x - header.get_left()[0], 0, 0])
            plot = VGroup(axes, extras, curve, marker)
            plot.shift([column_x + PANEL_WIDTH - 0.35 - axes.x_axis.get_right()[0], axes_top - axes.get_top()[1], 0])
            marker.add(self.get_extreme_label(index, axes, marker[1], curve, extras))
            panels.append(VGroup(name, formula, axes, curve, extras, marker))
        return panels

    def get_header(self, name_key: str, tex: tuple[str, str], color) -> VGroup:
        """The panel's name, and its formula on one line (two when one would be too small)."""
        name = fit_width(lecture_text(self.word(name_key), size=theme.LABEL_SIZE, color=color), PANEL_WIDTH)
        formula = MathTex(*tex, font_size=FORMULA_SIZE, color=color)
        room = PANEL_WIDTH - HEADER_AIR  # air between the columns and at the frame's edge
        if formula.width > room / 0.75:  # one line would shrink below 75%: break after the name
            formula[1].next_to(formula[0], DOWN, buff=0.12, aligned_edge=LEFT).shift(0.35 * RIGHT)
        fit_width(formula, room)
        name.move_to([0, HEADER_TOP - name.height / 2, 0], aligned_edge=LEFT)
        formula.next_to(name, DOWN, buff=0.18, aligned_edge=LEFT)
        return VGroup(name, formula)

    def extreme_values(self) -> list[dict[str, Any]]:
        """L(p_hat) (without C(n, k), in units of 10**exponent), log L(p_hat) and NLL(p_hat):
        each as shown (the lecture's font), as read, and as the recorded number with the
        half unit of its last shown digit."""
        binary = self.results["binary"]
        exponent = self.exponent
        mantissa = float(scaled_likelihood(self.p_hat, self.k, self.n, exponent))
        scale = f"×10{superscript(exponent)}" if exponent else ""
        l_shown = float(number_text(mantissa, style="e"))
        tolerance = number_text_tolerance(mantissa)
        values = [{
            "text": number_text(mantissa) + scale,
            "words": number_text(mantissa, style="words") + (f" × 10{superscript(exponent)}" if exponent else ""),
            # log10 of L(p_hat), as shown: the rounding of the mantissa bounds it
            "name": "binary_likelihood_at_p_hat_log10",
            "value": math.log10(l_shown) + exponent,
            "tolerance": math.log10((l_shown + tolerance) / l_shown) * (1 + 1e-9),
        }]
        for name, value in (("binary_log_likelihood_at_p_hat", binary["log_likelihood_at_p_hat"] + 0.0),
                            ("binary_nll_at_p_hat", binary["nll_at_p_hat"] + 0.0)):
            values.append({"text": loss_text(value), "words": loss_text(value, style="words"), "name": name,
                           "value": float(loss_text(value, style="e")), "tolerance": loss_tolerance(value)})
        return values

    def get_extreme_label(self, index: int, axes: Axes, dot: Dot, curve: VMobject | None = None,
                          extras: VGroup | None = None) -> Mobject:
        """The curve's value at p_hat beside its marker: L over its peak (the axis leaves
        room), log L under its peak (inside the arch), NLL over its valley; where the curve
        would run through it there (p_hat at an edge: the label is pushed in along a steep
        curve), beside it, or the first place further out that the curve and the marker's
        dashed line leave clear, and off the tick labels (``extras``: with 1 of 200 samples
        log L's value sat on the x axis's "0")."""
        text = self.extreme_values()[index]["text"].replace("-", "−")
        label = lecture_text(text, size=VALUE_SIZE, color=theme.OPTIMUM)
        first = (UP, 0.2) if index == 0 else (DOWN, 0.3) if index == 1 else (UP, 0.3)
        opposite = (DOWN if first[0] is UP else UP, first[1])
        low, high = axes.x_axis.get_left()[0] + 0.1, axes.x_axis.get_right()[0] - 0.05
        points = np.asarray(curve.get_anchors() if curve is not None else np.zeros((0, 3)), dtype=float).reshape(-1, 3)
        # the marker's dashed line, from the dot to the axis (y = 0): a label over it was struck
        # through (log L with 1000 samples in metres: a narrow arch sent it above the dot)
        base_y = axes.c2p(self.p_hat, 0.0)[1]
        line_ys = np.linspace(dot.get_y(), base_y, max(2, int(abs(base_y - dot.get_y()) / 0.04) + 2))
        points = np.vstack([points, np.column_stack([np.full_like(line_ys, dot.get_x()), line_ys, np.zeros_like(line_ys)])])

        ticks = [part for part in (extras.get_family() if extras is not None else [])
                 if isinstance(part, (Text, MarkupText, SingleStringMathTex))]

        def place(direction, buff: float) -> None:
            label.next_to(dot, direction, buff=buff)
            fit_width(label, high - low)
            label.shift([max(0.0, low - label.get_left()[0]) - max(0.0, label.get_right()[0] - high), 0, 0])

        def clear() -> bool:
            x0, y0 = label.get_corner(DOWN + LEFT)[:2] - 0.04
            x1, y1 = label.get_corner(UP + RIGHT)[:2] + 0.04
            inside = (points[:, 0] > x0) & (points[:, 0] < x1) & (points[:, 1] > y0) & (points[:, 1] < y1)
            if label.get_top()[1] > axes.y_axis.get_top()[1] + 0.3:  # over the panel's top: into its formula
                return False
            for tick in ticks:  # air around each tick label ("−200" beside "−6.2958" read as one)
                (tx0, ty0), (tx1, ty1) = tick.get_corner(DOWN + LEFT)[:2], tick.get_corner(UP + RIGHT)[:2]
                if tx0 - 0.3 < x1 and x0 < tx1 + 0.3 and ty0 - 0.04 < y1 and y0 < ty1 + 0.04:
                    return False
            in_frame = theme.CONTENT_BOTTOM <= label.get_bottom()[1] and label.get_top()[1] <= theme.CONTENT_TOP
            return in_frame and not bool(inside.any())

        for direction, buff in (first, (RIGHT, 0.25), (LEFT, 0.25), opposite, (first[0], first[1] + 0.4),
                                (opposite[0], opposite[1] + 0.4), (first[0], first[1] + 0.9),
                                (opposite[0], opposite[1] + 0.9), (first[0], first[1] + 1.4)):
            place(direction, buff)
            if clear():
                return label
        place(*first)
        return label

    def record_extreme_values(self) -> None:
        """Note the three values at p_hat as shown."""
        for item in self.extreme_values():
            self.record_shown(item["name"], item["value"], item["tolerance"])

    def get_axes(self, y_ticks: Ticks, with_scale: bool, height: float) -> tuple[Axes, VGroup]:
        """Axes over p in [0, 1] with tick labels (in the lecture's font) and a p label; the
        y ticks' note (×10^e) or, on the likelihood, its scale, at the top of the y axis."""
        axes = SafeAxes(
            x_range=[0, 1, 0.5],
            y_range=list(y_ticks.range),
            x_length=PANEL_WIDTH - 0.95,
            y_length=height,
            tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2, "tick_size": 0.05},
        )
        extras = VGroup()
        for value in (0.0, 0.5, 1.0):
            label = tick_text(f"{value:.1f}" if value == 0.5 else f"{value:.0f}", size=TICK_SIZE)
            direction = UP if y_ticks.end <= 0 else DOWN
            label.next_to(axes.x_axis.n2p(value), direction, buff=0.12)
            extras.add(label)
        extras.add(tick_labels(axes, y_ticks, "y", size=TICK_SIZE, buff=0.1, skip_zero=y_ticks.start >= 0))
        p_label = MathTex("p", font_size=theme.LABEL_SIZE + 4, color=theme.MUTED)
        p_label.next_to(axes.x_axis.get_right(), RIGHT, buff=0.12)
        extras.add(p_label)
        note = tick_note(y_ticks, size=TICK_SIZE)
        if with_scale and self.exponent != 0:
            note = lecture_text(f"×10{superscript(self.exponent)}", size=TICK_SIZE, color=theme.MUTED)
        if note is not None:  # at the y axis's end away from the x axis (the log panel's is at its top)
            end = axes.y_axis.get_bottom() if y_ticks.end <= 0 else axes.y_axis.get_top()
            extras.add(fit_width(note, PANEL_WIDTH - 1.2).next_to(end, RIGHT, buff=0.12))
        return axes, extras

    def get_heading(self) -> Mobject:
        """The heading, narrowed when the data's story makes it long, so that the boxed
        estimate beside it keeps most of its size (the heading keeps at least 55% of the width)."""
        heading = super().get_heading()
        usable = theme.CONTENT_RIGHT - theme.CONTENT_LEFT
        room = max(0.55 * usable, usable - self.get_estimate().width - 1.0)
        if heading.width > room:
            heading.scale(room / heading.width, about_edge=UP + LEFT)  # where the base class put it
        return heading

    def get_estimate(self) -> VGroup:
        """"estimated proportion  p_hat = k/n = value" at its natural size."""
        text = lecture_text(self.word("estimate_label"), size=theme.BODY_SIZE)
        tex = math_with_number(r"\hat p =", f"{self.k}/{self.n} = {self.p_hat_text()}", theme.MATH_SIZE, theme.OPTIMUM)
        return VGroup(text, tex).arrange(RIGHT, buff=0.3)

    def get_conclusion(self, heading: Mobject) -> VGroup:
        """The answer, boxed, at the top right beside the heading: p_hat = k/n = value."""
        group = self.get_estimate()
        right = theme.CONTENT_RIGHT - 0.2
        fit_width(group, right - heading.get_right()[0] - 0.6)
        group.move_to([right - group.width / 2, heading.get_center()[1], 0])
        high = group.get_top()[1] + 0.15 + 0.03 - theme.CONTENT_TOP  # the box (buff and stroke) under the top margin
        if high > 0:
            group.shift(high * DOWN)
        box = SurroundingRectangle(group, color=theme.OPTIMUM, buff=0.15, corner_radius=0.08)
        return VGroup(group, box)

    def record_marked_numbers(self, panels: list[VGroup]) -> None:
        """Read p_hat off the NLL panel's marker dot."""
        axes, dot = panels[2][2], panels[2][5][1]
        self.record_shown("p_hat", axes.p2c(dot.get_center())[0])
