"""Scene 10: the NLL's gradient, where it vanishes, and gradient descent stepping down to p_hat.

The path is mathcore's (results["descent"]: path, nll_path, gradient_path); the scene only
draws it. The p axis is zoomed to the path and p_hat, the NLL axis to the path's NLL values
(the NLL runs off to infinity near 0 and 1 and is clipped there). A dot slides from step to
step along the curve with its tangent, a step counter and live p and gradient readouts.
The ending says what happened: converged, converged to an edge (k = 0 or k = n, where the
gradient never reaches 0), stopped short, or diverged.
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
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Flash,
    Indicate,
    Line,
    MathTex,
    MovingCameraScene,
    ReplacementTransform,
    SurroundingRectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
)

from mathcore import binary_nll
from mathcore.descent import start_digits
from mathcore.binary_view import curve_samples, descent_window, nll_window
from scenes import theme
from mathcore.axis import axis_ticks, superscript
from mathcore.precision import LOSS_DECIMALS, P_HAT_MAX_DECIMALS
from scenes.axes import SafeAxes, tick_labels, tick_note, tick_text
from scenes.base import LectureScene
from scenes.draw import fit_width, lecture_text
from scenes.focus import Focus, clip_polyline, fit_focus, focus_back, focus_on, join_groups, outside_tops, split_groups, view_scale
from scenes.number_format import sci_words
from scenes.readouts import SansDecimal, SansInteger, math_with_number, unit_text

LEFT_WIDTH = 5.8          # the formula and readout column
PLOT_LEFT = -0.4          # where the plot's y tick labels may start
TANGENT_HALF = 0.85       # half the tangent segment, scene units
READOUT_SIZE = 34
BOX_BUFF = 0.1            # the closing box around the p row
COLUMN_LEFT = theme.CONTENT_LEFT + BOX_BUFF + 0.03  # the box and its stroke inside the safe margin
COLUMN_TOP = theme.CONTENT_TOP - 1.05  # under the heading (or higher: under the heading's ink)
STEP_GAP = 0.6            # between the update rule and the step counter beside it
COLUMN_GAPS = (0.22, 0.25, 0.25)  # formula / where it is 0 / update rule / readouts
MAX_EXTRA_GAP = 0.2       # room to spare widens each gap by up to this much
SKIP_LINE = 0.5           # a long run's skip label under the readouts (its height and gap)
COLUMN_BOTTOM = theme.CONTENT_BOTTOM + BOX_BUFF + 0.05  # the column (and the box) above the caption band
MIN_COLUMN_SCALE = 0.86   # a tall column is shrunk at most this far (its texts stay readable)


ONE_BY_ONE = 20           # a run this short is shown step by step, every step
FIRST_STEPS = 10          # a longer run: its first steps one by one, then the rest in
MAX_CHUNKS = 10           # at most this many moves, each jumping over the steps between
JUMP_S, HOLD_S = 0.5, 0.3  # one step: the jump, then a hold on the readouts of the landing
LIFT = 0.35               # how high (scene units) a jump arcs above its chord at most
DOT_RADIUS = 0.09         # the walker
VALLEY_RADIUS = 0.06      # p_hat's dot on the curve
TRAIL_STROKE, TRAIL_DOT = 2.5, 0.045  # the path drawn behind the walker
# The camera zooms onto the valley when the last steps are too short to see in the full view
# (scenes/focus.py): at least TINY_STEPS landings in a row at the end of a converged run, each
# jump shorter than TINY_JUMP scene units (about the walker's diameter).
TINY_JUMP = 2 * DOT_RADIUS + 0.02
TINY_STEPS = 2
FOCUS_STRIP = 0.8         # screen units kept at the top of the zoomed view for its readout
FOCUS_INSET = 0.12        # scene units between what stays visible and the zoomed view's edges
FOCUS_MOVE_S, FOCUS_FADE_S = 1.2, 0.5
# Steps while zoomed take this share of their time: the line stays about as long as its
# voice (a voiced render's last cue of the descent fell after the speech with the zoom's
# moves added to the walk)
FOCUS_PACE = 0.6


def plain_number(value: float, significant: int = 4) -> str:
    """A number for narration with ``significant`` digits: 0.7, 0.000197, -31.25, and
    mantissa × 10^e when huge or tiny (1 × 10³⁰⁰, never 301 digits).

    >>> plain_number(0.01), plain_number(1e300), plain_number(1e-12), plain_number(-31.25)
    ('0.01', '1 × 10³⁰⁰', '1 × 10⁻¹²', '-31.25')
    """
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if not 1e-4 <= abs(value) < 1e6:
        return sci_words(value, significant)
    decimals = max(0, significant - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def tex_number(value: float) -> str:
    r"""plain_number for MathTex: mantissa \times 10^{e} when huge or tiny.

    >>> tex_number(1e300), tex_number(0.7)
    ('1 \\times 10^{300}', '0.7')
    """
    text = plain_number(value)
    if " × 10" in text:
        mantissa, exponent = text.split(" × 10")
        return rf"{mantissa} \times 10^{{{int(exponent.translate(_FROM_SUPERSCRIPT))}}}"
    return text


def step_targets(steps: int) -> list[int]:
    """The steps the walker lands on: every step of a run of up to ONE_BY_ONE steps; else
    the first FIRST_STEPS one by one and the rest in at most MAX_CHUNKS even moves (each
    lands on a visited iterate; the ones it jumps over are drawn on the path).

    >>> step_targets(3), len(step_targets(1000)), step_targets(1000)[-1], step_targets(25)[9:12]
    ([1, 2, 3], 20, 1000, [10, 12, 13])
    """
    if steps <= ONE_BY_ONE:
        return list(range(1, steps + 1))
    first = list(range(1, FIRST_STEPS + 1))
    rest = steps - FIRST_STEPS
    chunks = min(MAX_CHUNKS, rest)
    return first + [FIRST_STEPS + math.ceil(rest * (i + 1) / chunks) for i in range(chunks)]


def live_scientific(values, decimals: int = LOSS_DECIMALS) -> bool:
    """Whether a :class:`LiveNumber` taking ``values`` writes them as mantissa ×10^e."""
    finite = [abs(v) for v in values if v != 0 and math.isfinite(v)]
    return bool(finite) and (max(finite) >= 1e5 or min(finite) < 10.0**-decimals)


def live_words(values, value: float, decimals: int = LOSS_DECIMALS) -> str:
    """``value`` as a :class:`LiveNumber` over ``values`` shows it, for narration (which is
    also the caption): "-0.9368", or "-1.25 × 10¹⁵" when it is scientific.

    >>> live_words([-31.25, -0.9368], -0.93677), live_words([-1.2e15, -3.0], -1.2468e15)
    ('-0.9368', '-1.25 × 10¹⁵')
    """
    if not live_scientific(values, decimals):
        return f"{float(value) + 0.0:.{decimals}f}"
    mantissa, exponent = LiveNumber.parts(value)
    return f"{mantissa:.2f} × 10{superscript(exponent)}"  # ×10⁰ too: the readout's exponent is always shown


class LiveNumber(VGroup):
    """A live signed number: plain (SansDecimal) when every value it takes is ordinary,
    else mantissa ×10^e with a live exponent (gradients of 10^15 people run from -10^15 to
    about 0). Only digits change; nothing is rebuilt. Narration reads a value as shown
    with :func:`live_words`."""

    def __init__(self, values, decimals: int = LOSS_DECIMALS, font_size: float = READOUT_SIZE, color=theme.HIGHLIGHT):
        self.scientific = live_scientific(values, decimals)
        self.decimals = decimals
        self.number = SansDecimal(0.0, num_decimal_places=2 if self.scientific else decimals,
                                  font_size=font_size, color=color)
        parts = [self.number]
        if self.scientific:
            self.times = unit_text("×10", font_size=font_size, color=color)
            self.power = SansInteger(0, font_size=font_size * 0.7, color=color)
            parts += [self.times, self.power]
        super().__init__(*parts)
        self.set_value(values[0])

    @staticmethod
    def parts(value: float) -> tuple[float, int]:
        if value == 0 or not math.isfinite(value):
            return value, 0
        exponent = math.floor(math.log10(abs(value)))
        mantissa = round(value / 10.0**exponent, 2)
        if abs(mantissa) >= 10:
            mantissa, exponent = round(mantissa / 10, 2), exponent + 1
        return mantissa, exponent

    def set_value(self, value: float) -> "LiveNumber":
        self.value = float(value)
        if not self.scientific:
            self.number.set_value(value)
            return self
        left = self.number.get_left()
        mantissa, exponent = self.parts(value)
        self.number.set_value(mantissa)
        self.number.move_to(left, LEFT)
        self.power.set_value(exponent)
        self.times.next_to(self.number, RIGHT, buff=0.1).align_to(self.number, DOWN)
        self.power.next_to(self.times, UP + RIGHT, buff=0.03).shift(0.2 * self.times.height * DOWN)
        return self

    def get_value(self) -> float:
        return self.value


class GradientDescent(LectureScene, MovingCameraScene):
    """The camera moves once (scenes/focus.py): onto the valley while the last, tiny steps
    land, and back to the full view before the outcome is said."""

    scene_id = "gradient-descent"
    focus: Focus | None = None  # where the camera zooms (None: no zoom for this run)
    focus_step: int | None = None  # the landing the zoom starts before
    focused = False
    camera_moves: list[tuple[str, float, float]]  # ("in" or "out", start_s, end_s) of each move

    def construct(self) -> None:
        binary, descent = self.data.binary, self.results["descent"]
        self.k, self.n = binary.k, binary.n
        self.m = self.n - self.k
        self.p_hat = self.results["binary"]["p_hat"]
        self.ps = list(descent["path"])
        self.nlls = list(descent["nll_path"])
        self.gradients = list(descent["gradient_path"])
        self.edge = self.k in (0, self.n)
        fields = self.get_fields()
        heading = self.get_heading()
        self.add(heading)

        # The gradient of the NLL, with the data's counts (the column inset so that the
        # closing box around the readouts stays inside the safe margin)
        gradient = self.get_gradient_formula()
        zero = self.get_zero_formula()
        rule = self.get_rule()
        step = ValueTracker(0.0)
        readouts, (counter, p_value, nll_value, g_value) = self.get_readouts(step)
        self.place_column(heading, gradient, zero, rule, readouts)
        with self.narrate("gradient_say", **fields):
            self.play(Write(gradient), run_time=2.0)

        # Where it is zero: p = k / n, the estimate p_hat
        with self.narrate("zero_edge_say" if self.edge else "zero_say", **fields):
            # the edge case: never zero (the sign), then the note that the edge is the estimate
            self.play_steps(*(Write(part, run_time=1.4) for part in zero))

        # The NLL curve, zoomed to where the descent goes
        axes, axis_extras, curve, target = self.get_plot()
        with self.narrate("curve_say", **fields):
            self.play(Create(axes), FadeIn(axis_extras), run_time=1.0)
            self.play(Create(curve), run_time=1.5)
            self.play(FadeIn(target), run_time=0.6)

        # The update rule, the learning rate and the start
        dot, tangent = self.get_walker(axes, step)
        with self.narrate("rule_say", **fields):
            self.play(FadeIn(rule[:2], shift=0.1 * DOWN), run_time=1.0)
            self.play(FadeIn(dot, scale=0.5), Create(tangent), FadeIn(readouts), run_time=1.0)

        # When it counts as converged: within a stated distance of p_hat
        with self.narrate("criterion_say", **fields):
            self.play(FadeIn(rule[2], shift=0.1 * DOWN), run_time=0.8)
        self.record_shown("descent_tolerance", float(f"{self.tolerance:.4g}"), abs(self.tolerance) * 5e-4)

        # Step by step: each step a jump from one iterate to the next, the readouts showing
        # the landing's p, NLL and gradient; a long run's first steps one by one, then the
        # rest in a few moves that say what they skip. A step that raised the NLL leaves a
        # path segment in the loss colour: a zigzag that climbs looks like one.
        trail = VGroup().set_z_index(-1)
        self.add(trail)
        dot.set_z_index(2)
        tangent.set_z_index(1)
        total = len(self.ps) - 1
        targets = step_targets(total)
        first = targets if total <= ONE_BY_ONE else targets[:FIRST_STEPS]
        done = 0
        self.landings: list[tuple[int, float, float, float, float]] = []

        def walk(stops: list[int], jump_s: float, hold_s: float, quick: bool = True) -> None:
            nonlocal done
            for stop in stops:
                if self.focus is not None and stop == self.focus_step and not self.focused:
                    self.focus_in(axes, step, trail, (dot, tangent, target[2]))
                self.segment = (done, stop)
                step.set_value(done)
                pace = FOCUS_PACE if self.focused and quick else 1.0  # the zoom's own moves took time: its steps go quicker
                self.play(step.animate.set_value(stop), run_time=jump_s * pace)
                for i in range(done, stop):
                    rose = not self.nlls[i + 1] <= self.nlls[i] + 1e-12 * max(1.0, abs(self.nlls[i]))
                    s = view_scale(self)  # drawn as thin and small as in the full view
                    trail.add(Line(self.iterate_point(axes, i), self.iterate_point(axes, i + 1),
                                   color=theme.LOSS if rose else theme.HIGHLIGHT,
                                   stroke_width=TRAIL_STROKE * s).set_opacity(0.55))
                    trail.add(Dot(self.iterate_point(axes, i), radius=TRAIL_DOT * s, color=theme.HIGHLIGHT).set_opacity(0.5))
                # what the readouts show on landing (tests hold them to mathcore's iterates);
                # faded out while zoomed, they are updated here all the same
                readouts.update()
                self.landings.append((stop, counter.get_value(), p_value.get_value(),
                                      nll_value.get_value(), g_value.get_value()))
                if hold_s:
                    self.wait(hold_s * pace)
                done = stop

        self.plan_focus(axes, targets, target[2])
        trail.add_updater(self.steady_trail)
        with self.narrate(self.descent_key(), **fields):
            walk(first[:3], JUMP_S * 1.4, HOLD_S * 1.5)  # the first steps slower: how a step works
            walk(first[3:], JUMP_S, HOLD_S)
        # back to the full view after the line, not inside it: the beat ends with its voice
        # (a voiced render's last cue of the line fell after the speech)
        if done >= total and self.focused:
            self.focus_out()
        if done < total:
            skip = fit_width(lecture_text(self.word("skip_label", first=done + 1, last=total, moves=len(targets) - len(first)),
                                          size=theme.SMALL_SIZE, color=theme.MUTED), LEFT_WIDTH)
            # under the gradient's row (the column kept room for it), or beside the step counter
            if self.step_beside:
                skip.next_to(readouts[2], DOWN, buff=max(0.12, SKIP_LINE - skip.height), aligned_edge=LEFT)
            else:
                skip.next_to(readouts[0], RIGHT, buff=0.8)
                room = LEFT_WIDTH - (skip.get_left()[0] - readouts[1].get_left()[0])
                if skip.width > room:
                    skip.scale(room / skip.width, about_edge=LEFT)
            with self.narrate("descent_skip_say", **fields):
                if self.focused:  # it appears with the column when the camera is back
                    self.hidden.append(skip)
                else:
                    self.play(FadeIn(skip, shift=0.1 * UP), run_time=0.6)
                walk(targets[len(first):], JUMP_S * 0.7, HOLD_S * 0.5, quick=False)
                if self.focused:  # the line's voice is longer than its quick moves: back inside it
                    self.focus_out()
        self.record_shown("descent_final_p", p_value.get_value())
        self.record_shown("descent_final_nll", nll_value.get_value())
        self.record_shown("descent_final_gradient", g_value.get_value())
        self.record_shown("descent_steps", counter.get_value())
        self.record_shown("p_hat", axes.p2c(target[2].get_center())[0])

        # Say honestly where it ended, by the stated criterion; then what the gradient did
        key = self.outcome_key()
        good = key.startswith("converged")
        # the criterion, now checked; clear of the plot's tick labels (wide with large NLLs)
        room = VGroup(axes, axis_extras).get_left()[0] - theme.GAP - rule[2].get_left()[0]
        outcome = fit_width(self.get_outcome(), min(LEFT_WIDTH, room))
        outcome.move_to(rule[2], aligned_edge=LEFT)
        box = SurroundingRectangle(readouts[1], color=theme.OPTIMUM if good else theme.LOSS, buff=BOX_BUFF)
        with self.narrate(f"{key}_say", **fields):  # the outcome, then the numbers it rests on
            self.play_steps((Create(box, run_time=1.0), ReplacementTransform(rule[2], outcome, run_time=1.0)),
                            Indicate(readouts[1], color=theme.OPTIMUM if good else theme.LOSS, scale_factor=1.05))
        # The gradient's row, then what the line speaks of: p-hat (steep: the tangent; the
        # rate too large: the learning rate)
        then = {"converged_steep": tangent, "diverged": rule[1][:2], "diverged_start": rule[1][2:],
                "diverged_both": rule[1]}.get(key)
        colour = theme.OPTIMUM if good else theme.LOSS
        # p-hat: its label pulses and a flash rings the valley dot, which stays on the curve
        # (a whole-marker Indicate scaled the dot off the curve, and the poster caught it)
        pointer = Indicate(then, color=colour) if then is not None else (
            Indicate(target[1], color=colour), Flash(target[2], color=colour, flash_radius=0.3))
        with self.narrate(f"{key}_next_say", **fields):
            self.play_steps(Indicate(readouts[2], color=colour, scale_factor=1.05, run_time=1.2), pointer)
        self.wait(theme.SHORT_WAIT)

    # The zoom onto the valley (scenes/focus.py) ------------------------------------------
    def plan_focus(self, axes: Axes, targets: list[int], valley: Dot) -> None:
        """Where and when the camera zooms: onto the last landings and p_hat's dot, when a
        converged run ends with at least TINY_STEPS jumps too short to see (none for a
        diverged, blocked or unconverged run, a run of one or two visible steps, or last
        steps that already fill the plot: :func:`fit_focus` finds nothing small)."""
        self.focus, self.focus_step, self.camera_moves = None, None, []
        descent = self.results["descent"]
        if descent["diverged"] or not descent["converged"] or not targets:
            return
        points = [self.iterate_point(axes, 0)] + [self.iterate_point(axes, stop) for stop in targets]
        jumps = [float(np.hypot(*(b - a)[:2])) for a, b in zip(points, points[1:])]
        first = len(jumps)
        while first > 0 and jumps[first - 1] < TINY_JUMP:
            first -= 1
        if len(jumps) - first < TINY_STEPS:
            return
        shown = [p[:2] for p in points[first:]] + [valley.get_center()[:2]]
        self.focus = fit_focus(shown, reserve_top=FOCUS_STRIP)
        self.focus_step = targets[first] if self.focus is not None else None

    def focus_box(self, axes: Axes) -> tuple[float, float, float, float]:
        """Where the zoomed view may draw (scene units): its content area under the readout's
        strip, inset so that strokes and dots stay clear of its edges, and within the plot."""
        focus = self.focus
        x0, y0, x1, y1 = focus.content_box()
        top = focus.to_scene(0.0, theme.CONTENT_TOP - FOCUS_STRIP)[1]
        plot = (axes.x_axis.get_left()[0], axes.y_axis.get_bottom()[1], axes.x_axis.get_right()[0], axes.y_axis.get_top()[1])
        return (max(x0 + FOCUS_INSET, plot[0]), max(y0 + FOCUS_INSET, plot[1]),
                min(x1 - FOCUS_INSET, plot[2]), min(y1, top) - FOCUS_INSET)

    def focus_in(self, axes: Axes, step: ValueTracker, trail: VGroup, keep: tuple) -> None:
        """Fade out all but the walker, the valley and the path inside the zoomed view; lay
        the curve (cut to the view) under them; zoom; show the view's readout and p_hat's line."""
        focus, box = self.focus, self.focus_box(axes)
        self.view_box = box
        k, n = self.k, self.n
        p_low, p_high = (float(axes.p2c([x, box[1], 0])[0]) for x in (box[0], box[2]))
        xs = np.linspace(max(p_low, axes.x_range[0], 1e-12), min(p_high, axes.x_range[1], 1 - 1e-12), 400)
        ys = np.asarray(binary_nll(xs, k, n), dtype=float)
        pieces = VGroup(*(VMobject(color=theme.LOSS, stroke_width=4).set_points_as_corners(run)
                          for run in clip_polyline(axes.c2p(xs, ys).T, box)))
        pieces.add_updater(lambda m: m.set_stroke(width=4 * view_scale(self)))
        self.focus_curve = pieces
        self.add(pieces)
        # the path's parts outside the view go (their opacity; back after the zoom)
        self.trail_hidden = [(part, float(part.get_stroke_opacity() if isinstance(part, Line) else part.get_fill_opacity()))
                             for part in trail if not all(box[0] <= x <= box[2] and box[1] <= y <= box[3]
                                                          for x, y, _ in (part.get_corner(DOWN + LEFT), part.get_corner(UP + RIGHT)))]
        self.split = split_groups(self, [*keep, trail, pieces])
        self.hidden = outside_tops(self, [*keep, trail, pieces])
        self.play(*(FadeOut(m) for m in self.hidden), *(part.animate.set_opacity(0) for part, _ in self.trail_hidden),
                  run_time=FOCUS_FADE_S)
        start = self.time
        self.play(focus_on(self, focus), run_time=FOCUS_MOVE_S)
        self.camera_moves.append(("in", start, self.time))
        self.focused = True
        # the view's readout (built at the lecture's size, then scaled to the zoom) and p_hat's line
        readout = self.get_focus_readout(step, 1.0 / focus.zoom)
        readout.move_to([*focus.to_scene(theme.CONTENT_LEFT, theme.CONTENT_TOP), 0.0], aligned_edge=UP + LEFT)
        s = 1.0 / focus.zoom
        line = DashedLine([self.p_hat_x(axes), box[1], 0], [self.p_hat_x(axes), box[3], 0], color=theme.OPTIMUM,
                          stroke_width=2 * s, dash_length=0.1 * s).set_opacity(0.7)
        self.focus_extras = VGroup(line, readout)
        if not box[0] <= self.p_hat_x(axes) <= box[2]:
            self.focus_extras.remove(line)
        readout.update()
        self.play(FadeIn(self.focus_extras), run_time=FOCUS_FADE_S)

    def p_hat_x(self, axes: Axes) -> float:
        return float(axes.c2p(self.p_hat, axes.y_range[0])[0])

    def focus_out(self) -> None:
        """Hold on the last landing, then back to the full view and everything faded in again."""
        self.wait(HOLD_S * 2)
        self.play(FadeOut(self.focus_extras), run_time=FOCUS_FADE_S)
        start = self.time
        self.play(focus_back(self), run_time=FOCUS_MOVE_S)
        self.camera_moves.append(("out", start, self.time))
        self.focused = False
        self.view_box = None
        for mob in self.hidden:  # live readouts show the landing from the first frame
            mob.update()
        self.play(*(FadeIn(m) for m in self.hidden), *(part.animate.set_opacity(o) for part, o in self.trail_hidden),
                  run_time=FOCUS_FADE_S)
        self.remove(self.focus_curve)  # the whole curve is back over it
        join_groups(self, self.split)

    def steady_trail(self, trail: VGroup) -> None:
        """The path's lines and dots drawn as thin and small at every zoom (an updater)."""
        s = view_scale(self)
        if getattr(trail, "drawn_scale", 1.0) == s:
            return
        ratio = s / getattr(trail, "drawn_scale", 1.0)
        for part in trail:
            if isinstance(part, Dot):
                part.scale(ratio)
            else:
                part.set_stroke(width=part.get_stroke_width() * ratio)
        trail.drawn_scale = s

    def get_focus_readout(self, step: ValueTracker, scale: float) -> VGroup:
        """The zoomed view's one line: the step counter, p and p_hat, at the readouts' size on
        screen (built at it, scaled by ``scale`` = 1 / zoom)."""
        name, counter, of_total, p_name, p_value = self.get_step_and_p()
        hat = math_with_number(r"\hat p =", plain_number(self.p_hat), READOUT_SIZE, theme.OPTIMUM)
        row = VGroup(VGroup(name, counter, of_total).arrange(RIGHT, buff=0.18),
                     VGroup(p_name, p_value).arrange(RIGHT, buff=0.18), hat).arrange(RIGHT, buff=0.6)
        fit_width(row, theme.CONTENT_RIGHT - theme.CONTENT_LEFT)
        row.scale(scale)
        gap = of_total.get_left()[0] - counter.get_right()[0]
        counter.add_updater(lambda m: m.set_value(self.shown_index(step.get_value())))
        of_total.add_updater(lambda m: m.next_to(counter, RIGHT, buff=gap))
        p_value.add_updater(lambda m: m.set_value(self.p_at(step.get_value())))
        return row

    # Words -------------------------------------------------------------------------------
    def get_fields(self) -> dict[str, str]:
        descent = self.results["descent"]
        return {
            "k": str(self.k),
            "m": str(self.m),
            "n": str(self.n),
            "p_hat": self.p_hat_text(),
            "start": plain_number(descent["start"], start_digits(descent["start"])),
            "rate": plain_number(descent["learning_rate"]),
            "steps": str(descent["steps"]),
            "final_p": f"{descent['final_p']:.{P_HAT_MAX_DECIMALS}f}",
            "start_gradient": live_words(self.gradients, self.gradients[0]),  # as the gradient readout shows them
            "final_gradient": live_words(self.gradients, self.gradients[-1]),
            "tol": plain_number(self.tolerance),
            "rises": str(descent["rises"]),
            "edge": "0" if descent["start"] < 0.5 else "1",
            "first": str(min(len(self.ps) - 1, FIRST_STEPS)),
            "rest": str(max(0, len(self.ps) - 1 - FIRST_STEPS)),
        }

    def descent_key(self) -> str:
        """What the steps did, said only when true: the steps shrink (the deck's smooth run);
        p overshoots p-hat from side to side with shrinking jumps; jumps that neither shrink
        nor stop climbing; uneven steps; or no step could be taken at all."""
        descent = self.results["descent"]
        if len(descent["blocked"]) == len(self.ps) - 1:
            return "descent_blocked_say"
        if descent["oscillating"]:
            if descent["rises"]:
                return "descent_jump_say"
            return "descent_zigzag_say" if descent["steps_shrink"] else "descent_zigzag_uneven_say"
        return "descent_say" if descent["steps_shrink"] else "descent_uneven_say"

    @property
    def tolerance(self) -> float:
        """The convergence criterion's distance: converged when |p - p_hat| <= it."""
        return float(self.results["descent"]["tolerance"])

    def outcome_key(self) -> str:
        """How the run ended, by mathcore's criterion: diverged, not converged, or converged
        (to an edge; with the gradient vanished, shrunk, or still steep)."""
        descent = self.results["descent"]
        if descent["diverged"]:  # named by its cause (mathcore.descent.divergence_cause)
            return {"start": "diverged_start", "both": "diverged_both"}.get(descent.get("cause"), "diverged")
        if not descent["converged"]:
            return "not_converged"
        if self.edge:
            return "converged_edge"
        if descent["gradient_vanished"]:  # at most 0.1% of the start's gradient, and under 0.005
            return "converged"
        # p is within the tolerance, but the gradient there need not be near 0: near p_hat it
        # is the NLL's curvature times the distance left (large for large counts)
        if abs(self.gradients[-1]) < abs(self.gradients[0]):
            return "converged_shrunk"
        return "converged_steep"

    def get_outcome(self) -> VGroup:
        key = self.outcome_key() + "_label"
        return lecture_text(self.word(key, **self.get_fields()), size=theme.LABEL_SIZE,
                            color=theme.OPTIMUM if key.startswith("converged") else theme.LOSS)

    # Formulas ----------------------------------------------------------------------------
    step_beside = False  # the step counter sits beside the update rule (else above p and NLL)

    def place_column(self, heading: VGroup, gradient: VGroup, zero: VGroup, rule: VGroup, readouts: VGroup) -> None:
        """The left column, top to bottom, between the heading and the caption band, at the
        lecture's sizes: the step counter beside the one-line update rule when it fits there,
        else on its own row above p and the NLL. A column still too tall (an edge case's note,
        settings on two lines) is shrunk a little, about its top."""
        step_row = readouts[0]
        self.step_beside = rule[0].width + STEP_GAP + step_row.width <= LEFT_WIDTH
        values = VGroup(readouts[1], readouts[2]) if self.step_beside else readouts
        column = VGroup(gradient, zero, rule, values)
        top = max(COLUMN_TOP, heading.get_bottom()[1] - theme.HEADING_BUFF)
        room = top - COLUMN_BOTTOM
        # the room left is shared among the gaps (at most MAX_EXTRA_GAP more each)
        natural = sum(part.height for part in column) + sum(COLUMN_GAPS)
        if len(self.ps) - 1 > ONE_BY_ONE:  # a line under the gradient says which steps are skipped
            natural += SKIP_LINE
        extra = min(MAX_EXTRA_GAP, max(0.0, room - natural) / len(COLUMN_GAPS))
        for upper, lower, gap in zip(column[:-1], column[1:], COLUMN_GAPS):
            lower.next_to(upper, DOWN, buff=gap + extra, aligned_edge=LEFT)
        if self.step_beside:
            step_row.next_to(rule[0], RIGHT, buff=STEP_GAP).match_y(rule[0])
        whole = VGroup(column, step_row)
        if whole.height > room:
            whole.scale(max(MIN_COLUMN_SCALE, room / whole.height), about_edge=UP + LEFT)
        whole.shift([COLUMN_LEFT - column.get_left()[0], top - column.get_top()[1], 0])

    def get_gradient_formula(self) -> MathTex:
        """g = d(-log L)/dp = -k/p + (n-k)/(1-p), numbers substituted (g: the update rule's)."""
        tex = MathTex(
            r"g = \frac{d\,(-\log \mathcal{L})}{dp}",
            "=",
            rf"-\frac{{{self.k}}}{{p}} + \frac{{{self.m}}}{{1-p}}",
            font_size=36,
        )
        tex[2].set_color(theme.LOSS)
        return fit_width(tex, LEFT_WIDTH)

    def get_zero_formula(self) -> VGroup:
        """= 0 at p = k/n; for k = n (or 0) the gradient keeps one sign and p_hat is an edge."""
        if not self.edge:
            tex = MathTex(rf"= 0 \iff p = \frac{{{self.k}}}{{{self.n}}} = {tex_number(self.p_hat)} = \hat p", font_size=36, color=theme.OPTIMUM)
            return VGroup(fit_width(tex, LEFT_WIDTH))
        sign = "<" if self.k == self.n else ">"
        tex = MathTex(rf"{sign} 0 \quad (0 < p < 1)", font_size=36, color=theme.OPTIMUM)
        note = lecture_text(self.word("edge_note", p_hat=plain_number(self.p_hat)), size=theme.SMALL_SIZE, color=theme.OPTIMUM)
        group = VGroup(tex, note).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        return fit_width(group, LEFT_WIDTH)

    def get_rule(self) -> VGroup:
        """p <- p - eta * g (one line: g is the gradient formula's), then the learning rate and
        the start."""
        rule = MathTex(r"p \leftarrow p - \eta\, g", font_size=36)
        rate_name = lecture_text(self.word("rate_label"), size=theme.LABEL_SIZE, color=theme.MUTED)
        rate = math_with_number(r"\eta =", plain_number(self.results["descent"]["learning_rate"]), 32)
        start_name = lecture_text(self.word("start_label"), size=theme.LABEL_SIZE, color=theme.MUTED)
        p0 = self.results["descent"]["start"]
        start = math_with_number(r"p_0 =", plain_number(p0, start_digits(p0)), 32)
        settings = VGroup(rate_name, rate, start_name, start).arrange(RIGHT, buff=0.15)
        settings[2].shift(0.25 * RIGHT)
        settings[3].shift(0.25 * RIGHT)
        # the words name the symbols (EN "learning rate" made the row too wide even for short
        # values, and the words were dropped): shrink the row a little before dropping them
        limit = LEFT_WIDTH * theme.LABEL_SIZE / theme.SMALL_SIZE  # wider: shrunk below the text floor
        if settings.width > limit:  # the words and their symbols on two lines, one setting each
            VGroup(rate_name, rate).arrange(RIGHT, buff=0.15)
            VGroup(start_name, start).arrange(RIGHT, buff=0.15).next_to(VGroup(rate_name, rate), DOWN, buff=0.08,
                                                                       aligned_edge=LEFT)
        if settings.width > limit:  # a long rate or start: the symbols alone, not shrunk to nothing
            settings = VGroup(VGroup(), rate, VGroup(), start)
            VGroup(rate, start).arrange(RIGHT, buff=0.5)
        criterion = lecture_text(self.word("criterion_label", tol=plain_number(self.tolerance)), size=theme.LABEL_SIZE,
                                 color=theme.OPTIMUM)
        for row in (rule, settings, criterion):  # each row on its own: a long rate shrinks only its row
            fit_width(row, LEFT_WIDTH)
        return VGroup(rule, settings, criterion).arrange(DOWN, aligned_edge=LEFT, buff=0.2)

    # The plot ----------------------------------------------------------------------------
    def get_plot(self) -> tuple[Axes, VGroup, VMobject, VGroup]:
        """Axes zoomed to the path and p_hat, the clipped NLL curve, and p_hat's marker."""
        k, n = self.k, self.n
        window = descent_window(self.ps, self.nlls, k, n)
        x_ticks = axis_ticks(window.p_low, window.p_high, 5)
        x_start, x_end, x_step = x_ticks.range
        x_start, x_end = max(0.0, x_start), min(1.0, x_end)
        y_ticks = axis_ticks(window.nll_low, window.nll_high, 4)
        y_start, y_end, y_step = y_ticks.range
        right = theme.CONTENT_RIGHT - 0.55  # room for the last tick label and "p"
        top = config.frame_height / 2 - 1.6
        bottom = theme.CONTENT_BOTTOM + 0.45  # the tick labels above the caption band
        axes = SafeAxes(
            x_range=[x_start, x_end, x_step],
            y_range=[y_start, y_end, y_step],
            x_length=right - PLOT_LEFT - 0.7,
            y_length=top - bottom,
            tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2, "tick_size": 0.05},
        )
        axes.shift([right - axes.x_axis.get_right()[0], bottom - axes.x_axis.get_center()[1], 0])
        extras = VGroup()
        x_labels = VGroup()
        for value, text in zip(x_ticks.values, x_ticks.labels):
            if x_start <= value <= x_end:
                label = tick_text(text)
                x_labels.add(label.next_to(axes.x_axis.n2p(value), DOWN, buff=0.12))
        extras.add(x_labels)
        extras.add(tick_labels(axes, y_ticks, "y", buff=0.1))
        # "p" sits after the last tick label, clear of a dot resting at the axis's end
        p_label = MathTex("p", font_size=theme.LABEL_SIZE + 4, color=theme.MUTED).next_to(x_labels[-1], RIGHT, buff=0.2)
        y_label = MathTex(r"-\log \mathcal{L}(p)", font_size=theme.LABEL_SIZE + 4, color=theme.LOSS)
        y_label.next_to(axes.y_axis.get_top(), UP, buff=0.12).align_to(axes.y_axis, LEFT)
        extras.add(p_label, y_label)
        for note, place in ((tick_note(x_ticks), "x"), (tick_note(y_ticks), "y")):
            if note is None:
                continue
            if place == "x":  # under the x tick labels, at the right end
                note.next_to(x_labels, DOWN, buff=0.08).align_to(axes.x_axis, RIGHT)
            else:
                note.next_to(y_label, RIGHT, buff=0.25)
            extras.add(note)

        # Wide tick labels (or the "p" after them) may reach past the margin: move the plot in
        overflow = VGroup(axes, extras).get_right()[0] - (theme.CONTENT_RIGHT - 0.02)
        if overflow > 0:
            VGroup(axes, extras).shift(overflow * LEFT)

        low, high = nll_window(k, n, y_end, x_start, x_end)
        xs = curve_samples(low, high, 300, extra=[self.p_hat, *self.ps])
        ys = np.clip(np.asarray(binary_nll(xs, k, n), dtype=float), y_start, y_end)
        curve = VMobject(color=theme.LOSS, stroke_width=4).set_points_as_corners(axes.c2p(xs, ys).T)

        minimum = float(binary_nll(self.p_hat, k, n))
        line = DashedLine(axes.c2p(self.p_hat, y_start), axes.c2p(self.p_hat, y_end), color=theme.OPTIMUM, stroke_width=2, dash_length=0.1)
        line.set_opacity(0.7)
        label = math_with_number(r"\hat p =", plain_number(self.p_hat), theme.LABEL_SIZE + 4, theme.OPTIMUM)
        label.next_to(line, UP, buff=0.1)
        overflow = label.get_right()[0] - theme.CONTENT_RIGHT
        if overflow > 0:
            label.shift(overflow * LEFT)
        if label.get_left()[0] < y_label.get_right()[0] + 0.35:
            label.shift((y_label.get_right()[0] + 0.35 - label.get_left()[0]) * RIGHT)
        valley = Dot(axes.c2p(self.p_hat, minimum), radius=VALLEY_RADIUS, color=theme.OPTIMUM)
        valley.add_updater(lambda m: m.scale_to_fit_width(2 * VALLEY_RADIUS * view_scale(self)))  # as large at any zoom
        self.plot_axes, self.valley_dot = axes, valley
        return axes, extras, curve, VGroup(line, label, valley)

    # The walker --------------------------------------------------------------------------
    # The step tracker runs from one landing to the next (self.segment = (from, to)). Between
    # them the dot jumps through the air; every readout, the counter and the tangent show the
    # iterate it left until it lands, then the landing's: only visited iterates are shown.
    segment: tuple[int, int] = (0, 0)

    def shown_index(self, t: float) -> int:
        """The iterate the readouts show at tracker value ``t``: the departure until landing."""
        start, end = self.segment
        return end if t >= end - 1e-9 else min(start, len(self.ps) - 1)

    def p_at(self, t: float) -> float:
        return self.ps[self.shown_index(t)]

    def nll_at(self, t: float) -> float:
        return self.nlls[self.shown_index(t)]

    def gradient_at(self, t: float) -> float:
        return self.gradients[self.shown_index(t)]

    def iterate_point(self, axes: Axes, index: int) -> np.ndarray:
        """Iterate ``index`` on the plot (its NLL clipped to the plot's top)."""
        top = axes.y_range[1]
        return axes.c2p(self.ps[index], min(self.nlls[index], top))

    def get_walker(self, axes: Axes, step: ValueTracker) -> tuple[Dot, Line]:
        """The descent's dot and its tangent, both following ``step``: the dot jumps along an
        arc from iterate to iterate; the tangent stays at the iterate the step was computed at."""
        k, n = self.k, self.n
        ratio = axes.get_y_unit_size() / axes.get_x_unit_size()
        plot_low = np.array([axes.x_axis.get_left()[0], axes.y_axis.get_bottom()[1]])
        plot_high = np.array([axes.x_axis.get_right()[0], axes.y_axis.get_top()[1]])

        def bounds() -> tuple[np.ndarray, np.ndarray]:
            """The plot's box; while zoomed, cut to the zoomed view (scenes/focus.py)."""
            view = getattr(self, "view_box", None)
            if view is None:
                return plot_low, plot_high
            return np.maximum(plot_low, view[:2]), np.minimum(plot_high, view[2:])

        def point() -> np.ndarray:
            t = step.get_value()
            start, end = self.segment
            if end == start or t >= end - 1e-9 or t <= start + 1e-9:
                return self.iterate_point(axes, self.shown_index(t) if t < end - 1e-9 else end)
            frac = (t - start) / (end - start)
            a, b = self.iterate_point(axes, start), self.iterate_point(axes, end)
            s = view_scale(self)
            lift = min(LIFT * s, 0.3 * abs(b[0] - a[0]) + 0.05 * s)
            here = a + (b - a) * frac
            here[1] = min(here[1] + 4 * lift * frac * (1 - frac), bounds()[1][1])  # the zoomed view's box is inset by more than the dot
            return here

        def anchor() -> np.ndarray:
            return self.iterate_point(axes, self.shown_index(step.get_value()))

        def direction() -> np.ndarray:
            slope = self.gradient_at(step.get_value()) * ratio
            if not math.isfinite(slope):
                return np.array([0.0, -1.0, 0.0])
            scale = max(1.0, abs(slope))  # a slope of 10^300 would overflow the norm
            vector = np.array([1.0 / scale, slope / scale, 0.0])
            return vector / np.linalg.norm(vector)

        def ends() -> tuple[np.ndarray, np.ndarray]:
            """The tangent segment through the iterate, cut where it would leave the plot."""
            centre, unit = anchor(), direction()
            box_low, box_high = bounds()
            reach = []
            for sign in (1.0, -1.0):
                limit = TANGENT_HALF * view_scale(self)
                for axis in (0, 1):
                    d = sign * unit[axis]
                    if d > 1e-12:
                        limit = min(limit, (box_high[axis] - centre[axis]) / d)
                    elif d < -1e-12:
                        limit = min(limit, (box_low[axis] - centre[axis]) / d)
                reach.append(max(limit, 1e-3))
            return centre - reach[1] * unit, centre + reach[0] * unit

        dot = Dot(point(), radius=DOT_RADIUS, color=theme.HIGHLIGHT)
        dot.add_updater(lambda m: m.scale_to_fit_width(2 * DOT_RADIUS * view_scale(self)).move_to(point()))
        tangent = Line(*ends(), color=theme.HIGHLIGHT, stroke_width=3)
        tangent.add_updater(lambda m: m.put_start_and_end_on(*ends()).set_stroke(width=3 * view_scale(self)))
        return dot, tangent

    def get_step_and_p(self) -> tuple[VMobject, SansInteger, VMobject, VMobject, SansDecimal]:
        """The step label, its counter (at the last step: the widest), "/ total", "p =" and
        p's live number, at the readouts' size (the column's readouts and the zoom's line)."""
        total = len(self.ps) - 1
        name = lecture_text(self.word("step_label"), size=theme.LABEL_SIZE, color=theme.MUTED)
        counter = SansInteger(total, font_size=READOUT_SIZE)
        of_total = unit_text(f"/ {total}", font_size=READOUT_SIZE, color=theme.MUTED)
        p_name = MathTex("p =", font_size=READOUT_SIZE)
        p_value = SansDecimal(self.ps[0], num_decimal_places=P_HAT_MAX_DECIMALS, font_size=READOUT_SIZE,
                              color=theme.HIGHLIGHT)
        return name, counter, of_total, p_name, p_value

    def get_readouts(self, step: ValueTracker) -> tuple[VGroup, tuple[SansInteger, SansDecimal, "LiveNumber", "LiveNumber"]]:
        """Step counter; p with the NLL there; the gradient: labels and live numbers."""
        step_name, counter, of_total, p_name, p_value = self.get_step_and_p()
        nll_name = MathTex(r"\mathrm{NLL} =", font_size=READOUT_SIZE, color=theme.LOSS)
        nll_value = LiveNumber(self.nlls, color=theme.LOSS)
        g_name = lecture_text(self.word("gradient_label"), size=theme.LABEL_SIZE, color=theme.MUTED)
        g_equals = MathTex("=", font_size=READOUT_SIZE)
        g_value = LiveNumber(self.gradients)

        rows = VGroup(
            VGroup(step_name, counter, of_total),
            VGroup(VGroup(p_name, p_value), VGroup(nll_name, nll_value)),
            VGroup(g_name, g_equals, g_value),
        )
        for row in (rows[0], rows[1][0], rows[1][1], rows[2]):
            row.arrange(RIGHT, buff=0.18)
        rows[1].arrange(RIGHT, buff=0.5)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        # "/ total" follows the counter's right edge (no gap while it has fewer digits)
        gap = of_total.get_left()[0] - counter.get_right()[0]
        counter.set_value(0)
        of_total.next_to(counter, RIGHT, buff=gap)
        of_total.add_updater(lambda m: m.next_to(counter, RIGHT, buff=gap))
        # Live numbers: read the tracker, never build TeX in the updaters
        counter.add_updater(lambda m: m.set_value(self.shown_index(step.get_value())))
        p_value.add_updater(lambda m: m.set_value(self.p_at(step.get_value())))
        nll_value.add_updater(lambda m: m.set_value(self.nll_at(step.get_value())))
        g_value.add_updater(lambda m: m.set_value(self.gradient_at(step.get_value())))
        return rows, (counter, p_value, nll_value, g_value)
