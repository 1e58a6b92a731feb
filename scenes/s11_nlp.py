"""Scene 11 (beyond the deck): NLL in NLP, the cross-entropy loss of a next-token softmax.

The data's [nlp] example (each language's own when the file leaves it out): the context
with a blank at its end (the next token), the model's softmax over the candidate tokens as
horizontal bars, then the correct token revealed (only then highlighted);
loss = -log p(correct) = H(y, p) with one-hot y; then gradient steps on the logits raise the
correct token's bar and lower the loss. Every number is mathcore's (next_token_results).
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Indicate,
    Line,
    MathTex,
    Mobject,
    MovingCameraScene,
    Rectangle,
    ReplacementTransform,
    Restore,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    Write,
    linear,
)

from mathcore import next_token_results
from scenes import theme, typography
from scenes.base import LectureScene
from scenes.draw import fit_width, lecture_text
from scenes.number_format import loss_text, loss_tolerance, probability_text, probability_tolerance, probability_value

# Layout, in scene units (the frame is 14.22 x 8): the sentence across the top, the chart on
# the left (one row per token: y_i, the token, its bar, its probability), formulas on the right.
LEFT_EDGE = theme.CONTENT_LEFT     # the 5 % action-safe margins (issue 18)
RIGHT_EDGE = theme.CONTENT_RIGHT
CHART_RIGHT = 0.0
SENTENCE_Y = 2.6
CONCLUSION_ROOM = 0.6      # the conclusion's line across the bottom, above the caption band
ROWS_BOTTOM = theme.CONTENT_BOTTOM + CONCLUSION_ROOM + 0.1
ONE_HOT_WIDTH = 1.05       # the y_i column, left of the tokens ("y_8 = 0" at ONE_HOT_SIZE)
ONE_HOT_GAP = 0.55         # between the y_i column and the longest token (the answer's frame sits in it)
ONE_HOT_SIZE = theme.MATH_SIZE - 6  # its subscripts stay readable at 720p (x-height ~10 px)
TOKEN_MAX_WIDTH = 2.4      # a token label is shrunk to this (12 columns at LABEL_SIZE fit at ~70%)
LABEL_ROOM = 0.95          # right of the longest bar: its probability label
MAX_ROW_PITCH = 1.0
BLANK_MIN_WIDTH = 1.3
PANEL_LEFT = 0.45
PANEL_WIDTH = RIGHT_EDGE - PANEL_LEFT
READOUT_SIZE = theme.MATH_SIZE - 4
READOUT_BUFF = 0.22        # between the formulas' rows on the right
NUMBER_SLACK = 0.05        # a live number's ink is a little wider for other digits ("0.1938" vs "1.4518")
# Fewer expanded terms than this are all written out; more: first, correct, last and dots.
MAX_EXPANDED_TERMS = 4
CONCLUSION_SIZE = theme.BODY_SIZE + 2  # across the frame's width under both columns, not shrunk
CONCLUSION_GAP = 0.2       # between the formulas' column and the conclusion

# The camera's one move (issue 18 §5): while the voice says that the terms times 0 drop out,
# the frame zooms onto the loss row and the cross-entropy (the expanded line is too small to
# read in the full frame), then comes back. Everything else fades out first and back in last,
# so that no object is cut by the zoomed frame's edges: zoomed, and all the way in and out,
# what is shown lies in the zoomed frame's content box (its margins and caption band are the
# same fractions of it as of the full frame).
FOCUS_PAD = 0.15           # around the focused rows, in scene units
MAX_ZOOM = 2.5             # at most this many times closer (the zoomed frame: at least 1/2.5 of the full width)
FOCUS_INDICATE = 1.1       # the loss row's Indicate while zoomed (the framing leaves it room)
FOCUS_FADE_S = 0.5
FOCUS_ZOOM_S = 1.0


class NextTokenLoss(LectureScene, MovingCameraScene):
    scene_id = "nll-in-nlp"

    def setup(self) -> None:
        super().setup()
        self.example = self.data.nlp.example(self.lang)
        self.nlp = next_token_results(self.example)
        self.count = len(self.example.tokens)
        self.target = self.nlp["correct_index"]

    # Pieces ------------------------------------------------------------------------
    def get_sentence(self) -> tuple[Mobject, Line]:
        """The context on one line and, after it, the blank where the next token goes."""
        context = lecture_text(self.example.context, size=theme.BODY_SIZE)
        widest = max(lecture_text(t, size=theme.BODY_SIZE).width for t in self.example.tokens)
        blank = Line(ORIGIN3, RIGHT * max(BLANK_MIN_WIDTH, widest + 0.2), color=theme.HIGHLIGHT, stroke_width=4)
        blank.next_to(context, RIGHT, buff=0.2).align_to(context, DOWN).shift(0.08 * DOWN)
        sentence = VGroup(context, blank)
        width = sentence.width
        fit_width(sentence, RIGHT_EDGE - LEFT_EDGE)
        self.sentence_scale = sentence.width / width
        sentence.move_to([LEFT_EDGE, SENTENCE_Y, 0], aligned_edge=LEFT)
        return context, blank

    def layout_rows(self, top: float) -> None:
        """Rows from ``top`` down to ROWS_BOTTOM, and the columns left to right."""
        self.row_pitch = min(MAX_ROW_PITCH, (top - ROWS_BOTTOM) / self.count)
        self.bar_height = min(0.55, 0.62 * self.row_pitch)
        self.row_ys = [top - self.row_pitch * (i + 0.5) for i in range(self.count)]
        words = [self.token_label(i) for i in range(self.count)]
        self.token_right = LEFT_EDGE + ONE_HOT_WIDTH + ONE_HOT_GAP + max(w.width for w in words)
        self.bar_left = self.token_right + 0.25
        self.bar_max = CHART_RIGHT - LABEL_ROOM - self.bar_left

    def token_label(self, index: int, color=theme.TEXT) -> Mobject:
        word = lecture_text(self.example.tokens[index], size=theme.LABEL_SIZE, color=color)
        return fit_width(word, TOKEN_MAX_WIDTH)

    def set_bar(self, bar: Mobject, probability: float, index: int) -> Mobject:
        """Give a bar the length of ``probability``, starting at the bars' left edge."""
        width = max(float(probability) * self.bar_max, 0.01)
        bar.stretch_to_fit_width(width)
        bar.move_to([self.bar_left + width / 2, self.row_ys[index], 0])
        return bar

    def get_chart(self, probabilities: list[float]) -> tuple[VGroup, VGroup, VGroup]:
        """Bars (all one colour: nothing says yet which token is right), their probability
        labels, and the token words right-aligned before them."""
        bars, labels, tokens = VGroup(), VGroup(), VGroup()
        for i, p in enumerate(probabilities):
            bar = Rectangle(width=1.0, height=self.bar_height, stroke_width=0, fill_color=theme.CURVE,
                            fill_opacity=0.85)
            bars.add(self.set_bar(bar, p, i))
            labels.add(self.bar_label(p, i))
            word = self.token_label(i)
            tokens.add(word.move_to([self.token_right, self.row_ys[i], 0], aligned_edge=RIGHT))
        return bars, labels, tokens

    def bar_label(self, probability: float, index: int) -> Mobject:
        """The probability written right of its bar (the bar's length for ``probability``)."""
        label = lecture_text(probability_text(probability), size=theme.LABEL_SIZE, color=theme.TEXT)
        end = self.bar_left + max(float(probability) * self.bar_max, 0.01)
        return label.move_to([end + 0.12, self.row_ys[index], 0], aligned_edge=LEFT)

    def get_one_hot_column(self) -> VGroup:
        """y_i left of each token: 1 for the correct one, 0 elsewhere."""
        column = VGroup()
        for i, y in enumerate(self.row_ys):
            value = 1 if i == self.target else 0
            entry = MathTex(f"y_{{{i + 1}}} = {value}", font_size=ONE_HOT_SIZE,
                            color=theme.HIGHLIGHT if value else theme.MUTED)
            # inset so that its Indicate (scaled 1.2) stays inside the safe margin
            column.add(fit_width(entry, ONE_HOT_WIDTH).move_to([LEFT_EDGE + 0.1, y, 0], aligned_edge=LEFT))
        return column

    def token_math(self, before: str, after: str, size: float = READOUT_SIZE) -> VGroup:
        """``before`` token ``after``: the token (any script) and its brackets in Pango between
        two TeX pieces, spaced by the fonts (scenes/typography.py: no "p(coffee )")."""
        return typography.word_in_formula(before, self.example.correct, after, size, word_color=theme.HIGHLIGHT)

    def get_readouts(self, p: float, loss: float) -> tuple[VGroup, VGroup, Mobject, Mobject]:
        """p(correct) = ... and 손실/loss = -log p(correct) = ..."""
        p_value = self.number(probability_text(p), theme.HIGHLIGHT)
        p_row = VGroup(self.token_math("p(", ")="), p_value).arrange(RIGHT, buff=0.15)
        loss_value = self.number(loss_text(loss), theme.LOSS)
        loss_name = lecture_text(self.word("loss_label"), size=theme.BODY_SIZE, color=theme.LOSS)
        loss_row = VGroup(loss_name, self.token_math(r"= -\log p(", ")="), loss_value).arrange(RIGHT, buff=0.15)
        # the live numbers that replace p_value and loss_value in the descent take each row's
        # scale (a long token shrinks its row: a full-size number ran into the margin)
        self.readout_scales = []
        for row in (p_row, loss_row):
            width = row.width
            fit_width(row, PANEL_WIDTH - NUMBER_SLACK)
            self.readout_scales.append(row.width / width)
        return p_row, loss_row, p_value, loss_value

    @staticmethod
    def number(text: str, color) -> Mobject:
        return lecture_text(text, size=READOUT_SIZE * 0.8, color=color)

    def get_cross_entropy(self) -> VGroup:
        """H(y, p) = -sum y_i log p_i, expanded with the one-hot y, down to -log p(correct).
        The expanded line's terms are its own parts: ``self.zero_terms`` (the ones times 0,
        dimmed as they drop out)."""
        n, c = self.count, self.target
        definition = MathTex(r"H(y, p) = -\sum_{i=1}^{%d} y_i \log p_i" % n, font_size=READOUT_SIZE)
        shown = range(n) if n <= MAX_EXPANDED_TERMS else sorted({0, c, n - 1})
        terms, previous = [], -1  # (tex, times zero)
        for i in shown:
            if i > previous + 1:
                terms.append((r"\cdots", True))  # only zero terms are left out
            terms.append((rf"{1 if i == c else 0}\cdot\log p_{{{i + 1}}}", i != c))
            previous = i
        if previous < n - 1:
            terms.append((r"\cdots", True))  # only zero terms are left out
        parts, zeros = ["= -("], []
        for k, (tex, zero) in enumerate(terms):
            if k:
                parts.append("+")
            if zero:
                zeros.append(len(parts))
            parts.append(tex)
        expanded = MathTex(*parts, ")", font_size=READOUT_SIZE - 6)
        self.zero_terms = VGroup(*(expanded[i] for i in zeros))
        collapsed = self.token_math(r"= -\log p_{%d} = -\log p(" % (c + 1), ")")
        for line in (definition, expanded):
            fit_width(line, PANEL_WIDTH)
        fit_width(collapsed, PANEL_WIDTH / FOCUS_INDICATE)  # its Indicate stays in the margin
        return VGroup(definition, expanded, collapsed).arrange(DOWN, aligned_edge=LEFT, buff=READOUT_BUFF)

    def get_conclusion(self) -> Mobject:
        """The conclusion's line across the content box's width, just above the caption band."""
        conclusion = fit_width(lecture_text(self.word("conclusion"), size=CONCLUSION_SIZE, color=theme.OPTIMUM),
                               RIGHT_EDGE - LEFT_EDGE)
        return conclusion.move_to([LEFT_EDGE, theme.CONTENT_BOTTOM + 0.1 + conclusion.height / 2, 0],
                                  aligned_edge=LEFT)

    # The camera -----------------------------------------------------------------------
    def get_focus_frame(self, focus: Mobject) -> tuple[np.ndarray, float]:
        """Centre and width of the camera frame that puts ``focus`` (with FOCUS_PAD around
        it) inside the frame's content box: the box is the same fractions of a zoomed frame
        as of the full one (5 % margins, the caption band's 15 %)."""
        x0, y0 = focus.get_corner(DOWN + LEFT)[:2]
        x1, y1 = focus.get_corner(UP + RIGHT)[:2]
        full_w, full_h = theme.FRAME_WIDTH, theme.FRAME_HEIGHT
        margin_x, margin_y = theme.SAFE_BUFF_X / full_w, theme.SAFE_BUFF_Y / full_h
        band = (theme.CAPTION_BAND + theme.INK_INSET) / full_h
        need_w = (x1 - x0 + 2 * FOCUS_PAD) / (1 - 2 * margin_x)
        need_h = (y1 - y0 + 2 * FOCUS_PAD) / (1 - margin_y - band)
        width = max(need_w, need_h * full_w / full_h, full_w / MAX_ZOOM)
        if width >= full_w:
            return np.zeros(3), full_w  # nothing to gain: the full frame
        height = width * full_h / full_w
        # the content box's centre lies (band - margin_y) / 2 of the frame's height above its centre
        return np.array([(x0 + x1) / 2, (y0 + y1) / 2 - (band - margin_y) / 2 * height, 0.0]), width

    def get_focus_moves(self, focus: Mobject, framed: Mobject | None = None) -> tuple[tuple, Mobject, Mobject, tuple]:
        """The four steps of the camera's move onto ``focus`` and back: the other objects on
        screen fade out, the frame zooms in (onto ``framed``: ``focus`` and the room its
        animations take); later the frame returns (exactly to where it was) and the others
        fade back in."""
        frame = self.camera.frame
        frame.save_state()
        kept = {id(m) for m in focus.get_family()}
        others = [m for m in self.mobjects if m is not frame and not any(id(f) in kept for f in m.get_family())]
        center, width = self.get_focus_frame(focus if framed is None else framed)
        zoom_in = frame.animate(run_time=FOCUS_ZOOM_S).scale_to_fit_width(width).move_to(center)
        zoom_out = Restore(frame, run_time=FOCUS_ZOOM_S)
        return (tuple(FadeOut(m, run_time=FOCUS_FADE_S) for m in others), zoom_in, zoom_out,
                tuple(FadeIn(m, run_time=FOCUS_FADE_S) for m in others))

    # Scene -------------------------------------------------------------------------
    def construct(self) -> None:
        nlp, c = self.nlp, self.target
        probabilities, loss = nlp["probabilities"], nlp["loss"]
        descent = nlp["descent"]
        correct = self.example.correct

        # The context and a blank at its end: which token comes next?
        heading = self.get_heading()
        context, blank = self.get_sentence()
        with self.narrate("sentence_say"):
            self.play_steps(FadeIn(heading), (FadeIn(context, shift=0.2 * DOWN), Create(blank)),
                            Indicate(blank, color=theme.HIGHLIGHT))

        # The model's softmax over the candidate tokens, every bar in one colour
        caption = lecture_text(self.word("chart_caption"), size=theme.LABEL_SIZE, color=theme.MUTED)
        fit_width(caption, CHART_RIGHT - LEFT_EDGE)
        caption.next_to(VGroup(context, blank), DOWN, buff=0.35).align_to([LEFT_EDGE, 0, 0], LEFT)
        self.layout_rows(caption.get_bottom()[1] - 0.2)
        bars, labels, tokens = self.get_chart(probabilities)
        self.bars, self.token_words = bars, tokens  # for tests: what is highlighted when
        with self.narrate("softmax_say"):
            self.play_steps((FadeIn(caption), FadeIn(tokens, lag_ratio=0.1)),
                            tuple(GrowFromEdge(bar, LEFT, run_time=1.5) for bar in bars), FadeIn(labels))
        for i, p in enumerate(probabilities):
            self.record_shown(f"nlp_start_p_{i + 1}", probability_value(p), probability_tolerance(p))

        # Only now the correct token: it fills the blank and its row lights up
        filled = lecture_text(correct, size=theme.BODY_SIZE, color=theme.HIGHLIGHT).scale(self.sentence_scale)
        filled.move_to(blank.get_center() + 0.08 * UP, aligned_edge=DOWN).align_to(blank, LEFT)
        frame = Rectangle(width=CHART_RIGHT + 0.1 - (tokens[c].get_left()[0] - 0.15), height=self.row_pitch * 0.96,
                          color=theme.HIGHLIGHT, stroke_width=3)
        frame.move_to([(tokens[c].get_left()[0] - 0.15 + CHART_RIGHT + 0.1) / 2, self.row_ys[c], 0])
        best = "correct_top_say" if nlp["correct_is_most_likely"] else "correct_say"
        with self.narrate(best, word=correct, p=probability_text(probabilities[c], "words")):
            self.play_steps(TransformFromCopy(tokens[c], filled),
                            (bars[c].animate.set_fill(theme.HIGHLIGHT), tokens[c].animate.set_color(theme.HIGHLIGHT),
                             Create(frame)))

        # Loss = -log p(correct), named 손실 / loss on screen
        p_row, loss_row, p_value, loss_value = self.get_readouts(probabilities[c], loss)
        readouts = VGroup(p_row, loss_row).arrange(DOWN, aligned_edge=LEFT, buff=READOUT_BUFF)
        readouts.next_to(caption, DOWN, buff=0.3).align_to([PANEL_LEFT, 0, 0], LEFT)
        with self.narrate("loss_say", p=probability_text(probabilities[c], "words"), loss=loss_text(loss, "words")):
            self.play_steps(FadeIn(p_row), FadeIn(loss_row))
        self.record_shown("nlp_start_p_correct", probability_value(probabilities[c]), probability_tolerance(probabilities[c]))
        self.record_shown("nlp_start_loss", float(loss_text(loss, "e")), loss_tolerance(loss))

        # The same number is the cross-entropy with a one-hot target
        one_hot = self.get_one_hot_column()
        cross = self.get_cross_entropy()
        cross.next_to(readouts, DOWN, buff=READOUT_BUFF + 0.05, aligned_edge=LEFT)
        # the column stops above the conclusion's line (a taller maths font: the rows shrink)
        conclusion = self.get_conclusion()
        room = cross.get_top()[1] - (conclusion.get_top()[1] + CONCLUSION_GAP)
        if cross.height > room:
            cross.scale(room / cross.height, about_edge=UP + LEFT)
        with self.narrate("onehot_say"):  # y: 1 at the correct token, 0 elsewhere; then H(y, p)
            self.play_steps(FadeIn(one_hot, lag_ratio=0.15), Indicate(one_hot[c], color=theme.HIGHLIGHT),
                            Write(cross[0]))
        # The camera zooms onto the loss and the cross-entropy: the terms times 0 drop out, one
        # is left, and it is the loss; then back to the whole frame
        self.cross, self.conclusion = cross, conclusion  # for tests: what the camera frames, how large
        framed = VGroup(loss_row.copy().scale(FOCUS_INDICATE), cross)
        hide, zoom_in, zoom_out, show = self.get_focus_moves(VGroup(loss_row, cross), framed)
        with self.narrate("crossentropy_say"):
            self.play_steps(hide, zoom_in, FadeIn(cross[1], shift=0.2 * DOWN), self.zero_terms.animate.set_opacity(0.3),
                            FadeIn(cross[2], shift=0.2 * DOWN),
                            Indicate(loss_row, color=theme.LOSS, scale_factor=FOCUS_INDICATE), zoom_out, show)
        self.remove(self.camera.frame)  # the frame is the full frame again; it is no content

        # Lower the loss: gradient steps on the logits raise the correct token's bar
        steps = descent["steps"]
        path = np.array(descent["probabilities"])
        losses = descent["losses"]
        step = ValueTracker(0)

        def probs_at(t: float) -> np.ndarray:
            low = min(int(math.floor(t)), steps)
            high = min(low + 1, steps)
            return path[low] + (path[high] - path[low]) * (t - low)

        for i, bar in enumerate(bars):
            bar.add_updater(lambda m, i=i: self.set_bar(m, probs_at(step.get_value())[i], i))

        counter_label = lecture_text(self.word("step_label"), size=theme.LABEL_SIZE, color=theme.MUTED)
        counter = lecture_text(f"{0} / {steps}", size=theme.BODY_SIZE, color=theme.TEXT)
        counter_row = VGroup(counter_label, counter).arrange(RIGHT, buff=0.2)
        # on the chart caption's line, over the formulas: the lower right keeps the conclusion
        counter_row.move_to([PANEL_LEFT, caption.get_center()[1], 0], aligned_edge=LEFT)
        rises = path[-1][c] - path[0][c] >= 0.001
        with self.narrate("descent_say" if rises else "descent_flat_say", word=correct):
            self.play(FadeIn(counter_row))
            for k in range(1, steps + 1):
                new_p = self.number(probability_text(path[k][c]), theme.HIGHLIGHT).scale(self.readout_scales[0])
                new_p.move_to(p_value, aligned_edge=LEFT)
                new_loss = self.number(loss_text(losses[k]), theme.LOSS).scale(self.readout_scales[1])
                new_loss.move_to(loss_value, aligned_edge=LEFT)
                new_count = lecture_text(f"{k} / {steps}", size=theme.BODY_SIZE, color=theme.TEXT)
                new_count.move_to(counter, aligned_edge=LEFT)
                new_labels = VGroup(*(self.bar_label(p, i) for i, p in enumerate(path[k])))
                self.play(step.animate.set_value(k), ReplacementTransform(p_value, new_p),
                          ReplacementTransform(loss_value, new_loss), ReplacementTransform(counter, new_count),
                          ReplacementTransform(labels, new_labels), run_time=1.0, rate_func=linear)
                p_value, loss_value, counter, labels = new_p, new_loss, new_count, new_labels
        for bar in bars:
            bar.clear_updaters()
        final = descent["final_probabilities"]
        for i, p in enumerate(final):
            self.record_shown(f"nlp_final_p_{i + 1}", probability_value(p), probability_tolerance(p))
        self.record_shown("nlp_final_p_correct", probability_value(final[c]), probability_tolerance(final[c]))
        self.record_shown("nlp_final_loss", float(loss_text(losses[-1], "e")), loss_tolerance(losses[-1]))
        self.record_shown("nlp_steps", int(counter.text.split("/")[0]))

        # Conclusion: minimising cross-entropy is maximising the correct token's likelihood,
        # across the frame under both columns, just above the caption band. The collapsed line
        # first: the frames with the conclusion hold the most ink, so the poster (the frame
        # with the most) is never one mid-Indicate
        with self.narrate("conclusion_say"):  # the cross-entropy loss is the NLL: the collapsed line
            self.play_steps(Indicate(cross[2], color=theme.OPTIMUM, scale_factor=FOCUS_INDICATE),
                            FadeIn(conclusion))  # no shift: from the band
        self.wait(theme.SHORT_WAIT)


ORIGIN3 = np.zeros(3)
