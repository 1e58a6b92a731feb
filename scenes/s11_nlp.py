"""Scene 11 (beyond the deck): NLL in NLP, the cross-entropy loss of a next-token softmax.

A sentence with a blank, a language model's softmax over four candidate next tokens as
bars, the correct token highlighted; loss = -log p(correct) = H(y, p) with one-hot y; then
gradient steps on the logits raise the correct token's bar and lower the loss.
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
    DecimalNumber,
    FadeIn,
    GrowFromEdge,
    Indicate,
    Integer,
    Line,
    MathTex,
    Mobject,
    Rectangle,
    SurroundingRectangle,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    Write,
    config,
    linear,
)

from mathcore import EXAMPLE_LOGITS, EXAMPLE_TARGET, cross_entropy, logit_descent, softmax
from scenes import theme
from scenes.common import LectureScene, fit_width, lecture_text

# Gradient descent on the logits: a few visible steps, each one clearly raising the bar.
LEARNING_RATE = 1.0
STEPS = 5

# Layout, in scene units: the chart on the left, formulas and readouts on the right.
CHART_LEFT, CHART_RIGHT = -6.6, -0.9
BASELINE_Y = -2.35
BAR_MAX_HEIGHT = 3.3
BAR_WIDTH = 0.85
BLANK_CHARS = 6
PANEL_LEFT = -0.2
PANEL_WIDTH = config.frame_width / 2 - theme.EDGE - PANEL_LEFT


def token_tex(text: str, size: float = theme.MATH_SIZE, color=theme.TEXT, before: str = "p(", after: str = ")") -> VGroup:
    """``p(token)`` with the token in Pango (it may be Korean) between two TeX pieces."""
    left = MathTex(before, font_size=size, color=color)
    word = lecture_text(text, size=size * 0.72, color=theme.HIGHLIGHT)
    right = MathTex(after, font_size=size, color=color)
    group = VGroup(left, word, right).arrange(RIGHT, buff=0.08)
    return group


class NextTokenLoss(LectureScene):
    scene_id = "nll-in-nlp"

    # Pieces ------------------------------------------------------------------------
    def get_sentence(self) -> tuple[Mobject, Mobject]:
        """The sentence as one line of text, and its blank (underscores) where the next token goes."""
        gap = "_" * BLANK_CHARS
        template = self.word("sentence")
        sentence = lecture_text(template.format(blank=gap), size=theme.BODY_SIZE)
        start = len("".join(template.split("{blank}")[0].split()))
        blank = sentence[start:start + BLANK_CHARS]
        blank.set_color(theme.HIGHLIGHT)
        fit_width(sentence, CHART_RIGHT - CHART_LEFT)
        sentence.move_to([(CHART_LEFT + CHART_RIGHT) / 2, 2.35, 0])
        return sentence, blank

    def bar_centers(self) -> list[float]:
        count = len(EXAMPLE_LOGITS)
        slot = (CHART_RIGHT - CHART_LEFT) / count
        return [CHART_LEFT + slot * (i + 0.5) for i in range(count)]

    def get_bar(self, index: int, probability: float) -> Rectangle:
        colour = theme.HIGHLIGHT if index == EXAMPLE_TARGET else theme.CURVE
        bar = Rectangle(width=BAR_WIDTH, height=1.0, stroke_width=0, fill_color=colour, fill_opacity=0.85)
        set_bar_height(bar, probability, self.bar_centers()[index])
        return bar

    def get_chart(self, probabilities: np.ndarray) -> tuple[VGroup, VGroup, VGroup, VGroup]:
        """Bars, their probability labels, the token words under them, and a baseline."""
        centers = self.bar_centers()
        bars = VGroup(*(self.get_bar(i, p) for i, p in enumerate(probabilities)))
        labels = VGroup()
        for bar, p in zip(bars, probabilities):
            label = DecimalNumber(p, num_decimal_places=3, font_size=theme.LABEL_SIZE + 4, color=theme.TEXT)
            label.next_to(bar, UP, buff=0.12)
            labels.add(label)
        tokens = VGroup()
        for i, x in enumerate(centers):
            colour = theme.HIGHLIGHT if i == EXAMPLE_TARGET else theme.TEXT
            word = fit_width(lecture_text(self.word(f"token_{i}"), size=theme.LABEL_SIZE, color=colour),
                             (CHART_RIGHT - CHART_LEFT) / len(centers) - 0.1)
            word.move_to([x, BASELINE_Y - 0.35, 0])
            tokens.add(word)
        baseline = Line([CHART_LEFT, BASELINE_Y, 0], [CHART_RIGHT, BASELINE_Y, 0], color=theme.GRID, stroke_width=2)
        return bars, labels, tokens, baseline

    def get_one_hot_row(self, tokens: VGroup) -> VGroup:
        """y_i under each token: 1 for the correct one, 0 elsewhere."""
        row = VGroup()
        for i, token in enumerate(tokens):
            value = 1 if i == EXAMPLE_TARGET else 0
            colour = theme.HIGHLIGHT if value else theme.MUTED
            entry = MathTex(f"y_{{{i + 1}}} = {value}", font_size=theme.LABEL_SIZE + 4, color=colour)
            entry.move_to([token.get_center()[0], BASELINE_Y - 1.0, 0])
            row.add(entry)
        return row

    def get_cross_entropy(self, correct: str) -> VGroup:
        """H(y, p) = -sum y_i log p_i, expanded with the one-hot y, down to -log p(correct)."""
        n = len(EXAMPLE_LOGITS)
        definition = MathTex(r"H(y, p) = -\sum_{i=1}^{%d} y_i \log p_i" % n, font_size=theme.MATH_SIZE)
        terms = " + ".join(
            rf"{1 if i == EXAMPLE_TARGET else 0}\cdot\log p_{{{i + 1}}}" for i in range(n)
        )
        expanded = MathTex(rf"= -\left({terms}\right)", font_size=theme.MATH_SIZE - 6)
        collapsed = token_tex(correct, before=r"= -\log p_{%d} = -\log p(" % (EXAMPLE_TARGET + 1))
        for line in (definition, expanded, collapsed):
            fit_width(line, PANEL_WIDTH)
        return VGroup(definition, expanded, collapsed).arrange(DOWN, aligned_edge=LEFT, buff=0.3)

    # Scene -------------------------------------------------------------------------
    def construct(self) -> None:
        heading = self.get_heading()
        correct = self.word(f"token_{EXAMPLE_TARGET}")
        run = logit_descent(EXAMPLE_LOGITS, EXAMPLE_TARGET, learning_rate=LEARNING_RATE, steps=STEPS)
        probabilities = softmax(EXAMPLE_LOGITS)
        loss = cross_entropy(EXAMPLE_LOGITS, EXAMPLE_TARGET)

        # The sentence with a blank: which word comes next?
        sentence, blank = self.get_sentence()
        with self.narrate("sentence_say"):
            self.play(FadeIn(heading))
            self.play(FadeIn(sentence, shift=0.2 * DOWN))

        # The model's softmax over four candidate next tokens
        bars, labels, tokens, baseline = self.get_chart(probabilities)
        chart_caption = fit_width(lecture_text(self.word("chart_caption"), size=theme.LABEL_SIZE, color=theme.MUTED),
                                  CHART_RIGHT - CHART_LEFT)
        chart_caption.next_to(sentence, DOWN, buff=0.3)
        with self.narrate("softmax_say"):
            self.play(Create(baseline), FadeIn(tokens), FadeIn(chart_caption))
            self.play(*(GrowFromEdge(bar, DOWN) for bar in bars), run_time=1.5)
            self.play(FadeIn(labels))
        for i, label in enumerate(labels):
            self.record_shown(f"nlp_start_p_{i + 1}", label.get_value())

        # The correct token: the data says it is this one
        target_bar, target_word = bars[EXAMPLE_TARGET], tokens[EXAMPLE_TARGET]
        filled = lecture_text(correct, size=theme.BODY_SIZE, color=theme.HIGHLIGHT)
        filled.next_to(blank, UP, buff=0.06)
        frame = SurroundingRectangle(VGroup(target_bar, target_word, labels[EXAMPLE_TARGET]),
                                     color=theme.HIGHLIGHT, buff=0.12)
        with self.narrate("correct_say", word=correct, p=labels[EXAMPLE_TARGET].get_value()):
            self.play(TransformFromCopy(target_word, filled))
            self.play(Create(frame), Indicate(labels[EXAMPLE_TARGET], color=theme.HIGHLIGHT))

        # Loss = -log p(correct)
        p_row = VGroup(token_tex(correct, before="p(", after=")="),
                       DecimalNumber(probabilities[EXAMPLE_TARGET], num_decimal_places=3,
                                     font_size=theme.MATH_SIZE, color=theme.HIGHLIGHT)).arrange(RIGHT, buff=0.15)
        loss_row = VGroup(token_tex(correct, before=r"\text{loss} = -\log p(", after=")="),
                          DecimalNumber(loss, num_decimal_places=3, font_size=theme.MATH_SIZE, color=theme.LOSS)
                          ).arrange(RIGHT, buff=0.15)
        readouts = VGroup(p_row, loss_row).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        fit_width(readouts, PANEL_WIDTH)
        readouts.move_to([PANEL_LEFT, 2.1, 0], aligned_edge=LEFT)
        p_value, loss_value = p_row[1], loss_row[1]
        with self.narrate("loss_say", p=p_value.get_value(), loss=loss_value.get_value()):
            self.play(FadeIn(p_row))
            self.play(FadeIn(loss_row))
        self.record_shown("nlp_start_loss", loss_value.get_value())

        # The same number is the cross-entropy with a one-hot target
        one_hot = self.get_one_hot_row(tokens)
        cross = self.get_cross_entropy(correct)
        cross.next_to(readouts, DOWN, buff=0.55, aligned_edge=LEFT)
        with self.narrate("onehot_say"):
            self.play(FadeIn(one_hot, lag_ratio=0.2))
            self.play(Write(cross[0]))
        with self.narrate("crossentropy_say"):
            self.play(FadeIn(cross[1], shift=0.2 * DOWN))
            self.play(FadeIn(cross[2], shift=0.2 * DOWN))
            self.play(Indicate(loss_row, color=theme.LOSS))

        # Lower the loss: gradient steps on the logits raise the correct token's bar
        step = ValueTracker(0)
        path = np.array(run.probabilities)

        def probs_at(t: float) -> np.ndarray:
            low = min(int(math.floor(t)), STEPS)
            high = min(low + 1, STEPS)
            return path[low] + (path[high] - path[low]) * (t - low)

        centers = self.bar_centers()
        for i, (bar, label) in enumerate(zip(bars, labels)):
            bar.add_updater(lambda m, i=i: set_bar_height(m, probs_at(step.get_value())[i], centers[i]))
            label.add_updater(lambda m, i=i, bar=bar: m.set_value(probs_at(step.get_value())[i]).next_to(bar, UP, buff=0.12))
        p_value.add_updater(lambda m: m.set_value(probs_at(step.get_value())[EXAMPLE_TARGET]))
        loss_value.add_updater(lambda m: m.set_value(-math.log(probs_at(step.get_value())[EXAMPLE_TARGET])))
        frame.add_updater(lambda m: m.become(SurroundingRectangle(
            VGroup(target_bar, target_word, labels[EXAMPLE_TARGET]), color=theme.HIGHLIGHT, buff=0.12)))

        counter_label = lecture_text(self.word("step_label"), size=theme.LABEL_SIZE, color=theme.MUTED)
        counter = Integer(0, font_size=theme.MATH_SIZE - 4, color=theme.TEXT)
        total = MathTex(rf"/\,{STEPS}", font_size=theme.MATH_SIZE - 4, color=theme.MUTED)
        counter_row = VGroup(counter_label, counter, total).arrange(RIGHT, buff=0.15)
        counter_row.next_to(cross, DOWN, buff=0.5, aligned_edge=LEFT)
        counter.add_updater(lambda m: m.set_value(int(math.floor(step.get_value() + 1e-9))))
        with self.narrate("descent_say"):
            self.play(FadeIn(counter_row))
            for k in range(1, STEPS + 1):
                self.play(step.animate.set_value(k), run_time=1.0, rate_func=linear)
        for mob in (*bars, *labels, p_value, loss_value, frame, counter):
            mob.clear_updaters()
        for i, label in enumerate(labels):
            self.record_shown(f"nlp_final_p_{i + 1}", label.get_value())
        self.record_shown("nlp_final_p_correct", p_value.get_value())
        self.record_shown("nlp_final_loss", loss_value.get_value())
        self.record_shown("nlp_steps", counter.get_value())

        # Conclusion: minimising cross-entropy is maximising the correct token's likelihood
        conclusion = fit_width(lecture_text(self.word("conclusion"), size=theme.BODY_SIZE, color=theme.OPTIMUM),
                               PANEL_WIDTH)
        conclusion.next_to(counter_row, DOWN, buff=0.45, aligned_edge=LEFT)
        self.say("conclusion_say", FadeIn(conclusion, shift=0.2 * UP))
        self.wait(theme.SHORT_WAIT)



def set_bar_height(bar: Mobject, probability: float, x: float) -> Mobject:
    """Give a bar the height of ``probability`` standing on the baseline at ``x``."""
    height = max(float(probability) * BAR_MAX_HEIGHT, 0.01)
    bar.stretch_to_fit_height(height)
    bar.move_to([x, BASELINE_Y + height / 2, 0])
    return bar
