"""Scene 1: the title card: course, lecture title, author and date from the data file."""

from __future__ import annotations

from manim import DOWN, UP, FadeIn, Line, VGroup, Write, config

from scenes import theme
from scenes.common import LectureScene, deck_data, fit_width, lecture_text


class TitleScene(LectureScene):
    scene_id = "title"

    def card_line(self, field: str) -> str:
        """The data file's line; where it is still the deck's, the deck's line in this language."""
        value = getattr(self.data.lecture, field)
        key = f"deck_{field}"
        if key in self.words and value == getattr(deck_data().lecture, field):
            return self.word(key)
        return value

    def get_title_card(self) -> VGroup:
        text = self.data.lecture
        max_width = config.frame_width - 2 * theme.EDGE - 1.0
        course = fit_width(lecture_text(self.card_line("course"), size=theme.BODY_SIZE, color=theme.MUTED), max_width)
        title = fit_width(lecture_text(self.card_line("title"), size=theme.TITLE_SIZE + 8, weight="BOLD"), max_width)
        rule = Line(color=theme.CURVE, stroke_width=3).scale_to_fit_width(min(title.width, max_width))
        author = lecture_text(text.author, size=theme.BODY_SIZE)
        date = lecture_text(text.date, size=theme.LABEL_SIZE, color=theme.MUTED)
        card = VGroup(course, title, rule, author, date).arrange(DOWN, buff=0.45)
        return card

    def construct(self) -> None:
        card = self.get_title_card()
        course, title, rule, author, date = card

        # Show the course line, then the lecture title
        with self.narrate("intro_say"):
            self.play(FadeIn(course, shift=0.2 * DOWN))
            self.play(Write(title), run_time=2)
            self.play(FadeIn(rule), FadeIn(author, shift=0.2 * UP), FadeIn(date, shift=0.2 * UP))

        # Say where the lecture goes and what data carries it, the card still on screen
        self.say("outline_say")
        self.say("examples_say", heights=len(self.data.heights.samples), people=self.data.binary.n)
        self.wait(theme.READ_WAIT)
