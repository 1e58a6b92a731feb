"""Scene 12: closing. The chain likelihood -> log -> NLL -> gradient, then thank you."""

from __future__ import annotations

from manim import (
    DOWN,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    FadeIn,
    GrowArrow,
    MathTex,
    RoundedRectangle,
    VGroup,
    Write,
)

from scenes import theme
from scenes.base import LectureScene
from scenes.data import card_line
from scenes.draw import fit_width, lecture_text

# The four links of the chain: string key of the box name, its formula, its colour role.
CHAIN = (
    ("likelihood", r"\mathcal{L} = \prod_i f(x_i;\theta)", theme.CURVE),
    ("log", r"\sum_i \log f(x_i;\theta)", theme.SECOND),
    ("nll", r"-\sum_i \log f(x_i;\theta)", theme.LOSS),
    ("gradient", r"\theta \leftarrow \theta - \eta\,\nabla_\theta \mathrm{NLL}", theme.OPTIMUM),
)
ARROW_GAP = 0.55
BOX_HEIGHT = 1.5
CHAIN_Y = 0.6     # the chain in the frame's middle while it is built
THANKS_CHAIN_Y = 1.4  # and higher once the thanks come in under it
BOX_INSET = 0.05  # the lit boxes' strokes (width 5) stay inside the safe margin
FORMULA_OVERHANG = 0.15  # a formula may be this much wider than its box (0.4 ran two formulas together)
FORMULA_SIZE = theme.MATH_SIZE  # the formulas under the boxes (the frame's lower half is theirs)
THANKS_AIR = 0.3  # the thanks' last line stops this far above the caption band
WRITE_HOLD_S = 2.5  # a link's formula stays still at most this long before the next beat


class Closing(LectureScene):
    scene_id = "closing"

    def get_chain(self) -> tuple[VGroup, VGroup, VGroup, VGroup]:
        """Four dim boxes in a row with their names, the formulas under them, arrows between."""
        usable = theme.CONTENT_RIGHT - theme.CONTENT_LEFT - 2 * BOX_INSET
        box_width = (usable - (len(CHAIN) - 1) * ARROW_GAP) / len(CHAIN)
        boxes, names, formulas = VGroup(), VGroup(), VGroup()
        for key, tex, _ in CHAIN:
            boxes.add(RoundedRectangle(width=box_width, height=BOX_HEIGHT, corner_radius=0.15,
                                       stroke_color=theme.GRID, stroke_width=3))
            lines = [lecture_text(line, size=theme.BODY_SIZE, color=theme.MUTED)
                     for line in self.word(f"box_{key}").split("\n")]
            names.add(VGroup(*lines).arrange(DOWN, buff=0.12))
            formulas.add(MathTex(tex, font_size=FORMULA_SIZE, color=theme.TEXT))
        # One size for all names and one for all formulas, the largest that fits every box.
        for group, room in ((names, box_width - 0.3), (formulas, box_width + FORMULA_OVERHANG)):
            scale = min(1.0, min(room / m.width for m in group))
            for m in group:
                m.scale(scale)
        boxes.arrange(RIGHT, buff=ARROW_GAP).move_to([(theme.CONTENT_LEFT + theme.CONTENT_RIGHT) / 2, CHAIN_Y, 0])
        for box, name, formula in zip(boxes, names, formulas):
            name.move_to(box)
            formula.next_to(box, DOWN, buff=0.45)
        for formula in formulas:  # a formula wider than its box stays inside the safe margin
            formula.shift(max(0.0, theme.CONTENT_LEFT - formula.get_left()[0]) * RIGHT
                          - max(0.0, formula.get_right()[0] - theme.CONTENT_RIGHT) * RIGHT)
        # the formulas on one baseline row, whatever their heights
        row_top = min(f.get_top()[1] for f in formulas)
        for formula in formulas:
            formula.shift((row_top - formula.get_top()[1]) * UP)
        arrows = VGroup(*(
            Arrow(left.get_right(), right.get_left(), buff=0.06, stroke_width=4,
                  max_tip_length_to_length_ratio=0.35, color=theme.MUTED)
            for left, right in zip(boxes[:-1], boxes[1:])
        ))
        return boxes, names, formulas, arrows

    def say_key(self, key: str) -> str:
        """The narration line of a link. The gradient's says what the lecture's descent did:
        it reached p-hat; it stopped short of it; or it diverged, and why."""
        if key != "gradient":
            return f"{key}_say"
        descent = self.results["descent"]
        if descent["diverged"]:
            return f"gradient_diverged_{descent.get('cause') or 'rate'}_say"
        return "gradient_say" if descent["converged"] else "gradient_short_say"

    def write_time(self, key: str, used: float) -> float:
        """How long a formula is written: the line's reading time after ``used`` seconds of
        other animation, less a short hold (1 to 4 s), so no beat stands still for long."""
        reading = len(self.word(key)) * theme.SECONDS_PER_CHAR[self.lang]
        return min(max(1.0, reading - used - WRITE_HOLD_S), 4.0)

    def get_thanks(self) -> VGroup:
        """감사합니다 / Thank you, and the author from the data file."""
        max_width = theme.CONTENT_RIGHT - theme.CONTENT_LEFT
        thanks = fit_width(lecture_text(self.word("thanks"), size=theme.TITLE_SIZE + 8, weight="BOLD"), max_width)
        author = fit_width(lecture_text(card_line(self, "author"), size=theme.BODY_SIZE, color=theme.MUTED), max_width)
        group = VGroup(thanks, author).arrange(DOWN, buff=0.3)
        # in the lower half, clear of the caption band
        return group.move_to([(theme.CONTENT_LEFT + theme.CONTENT_RIGHT) / 2,
                              theme.CONTENT_BOTTOM + THANKS_AIR + group.height / 2, 0])

    def construct(self) -> None:
        heading = self.get_heading()
        boxes, names, formulas, arrows = self.get_chain()

        # The chain, dim: four ideas, one after another
        with self.narrate("chain_say"):
            self.play(FadeIn(heading))
            self.play(FadeIn(boxes, lag_ratio=0.15), FadeIn(names, lag_ratio=0.15))

        # Light each link in turn, with its formula written while the line is read
        for i, (key, _, colour) in enumerate(CHAIN):
            say = self.say_key(key)
            with self.narrate(say):
                lights = [
                    boxes[i].animate.set_stroke(colour, width=5).set_fill(colour, opacity=0.12),
                    names[i].animate.set_color(theme.TEXT),
                ]
                if i > 0:
                    self.play(GrowArrow(arrows[i - 1].set_color(colour)))
                self.play(AnimationGroup(*lights))
                self.play_to_voice(Write(formulas[i]), run_time=self.write_time(say, 1.0 + (i > 0)))

        # Thank you
        thanks = self.get_thanks()
        chain = VGroup(boxes, names, formulas, arrows)
        self.say("thanks_say", chain.animate.shift((THANKS_CHAIN_Y - CHAIN_Y) * UP), FadeIn(thanks, shift=0.2 * UP))
        self.wait(theme.READ_WAIT)
