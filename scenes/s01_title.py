"""Scene 1: the title card (course, lecture title, author and date from the data file), then
the lecture's outline and its two datasets appearing as the narration names them."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Dot,
    FadeIn,
    GrowArrow,
    Line,
    Mobject,
    Rectangle,
    RoundedRectangle,
    VGroup,
    Write,
    config,
)

from mathcore.heights_view import display_subsample
from scenes import theme
from scenes.base import LectureScene
from scenes.data import card_line, deck_data
from scenes.draw import fit_width, lecture_text
from scenes.number_format import number_text, number_text_tolerance

OUTLINE = ("outline_likelihood", "outline_log", "outline_nll", "outline_descent")
OUTLINE_Y = -0.35
DATA_Y = -2.45
STRIP_DOTS = 60           # at most this many samples drawn on the heights strip
PILL_HEIGHT = 0.75
PILL_PAD = 0.45           # a pill's width beyond its name
KEY_MIN_SIZE = 16         # a dataset key is not shrunk below this font size (11 px x-height at 720p)
ARROW_GAP = 0.45


class TitleScene(LectureScene):
    scene_id = "title"

    # Pieces ------------------------------------------------------------------------------
    def get_title_card(self) -> VGroup:
        """Course, title, a rule, and "author · date", centred."""
        max_width = config.frame_width - 2 * theme.EDGE - 1.0
        course = fit_width(lecture_text(card_line(self, "course"), size=theme.BODY_SIZE, color=theme.MUTED), max_width)
        title = fit_width(lecture_text(card_line(self, "title"), size=theme.TITLE_SIZE + 8, weight="BOLD"), max_width)
        rule = Line(color=theme.CURVE, stroke_width=3).scale_to_fit_width(min(title.width, max_width))
        author = lecture_text(card_line(self, "author"), size=theme.BODY_SIZE)
        date = lecture_text(self.data.lecture.date, size=theme.LABEL_SIZE, color=theme.MUTED)
        byline = fit_width(VGroup(author, date).arrange(RIGHT, buff=0.5), max_width)
        date.align_to(author, DOWN)
        return VGroup(course, title, rule, byline).arrange(DOWN, buff=0.4)

    def get_outline(self) -> tuple[VGroup, VGroup]:
        """The lecture's four steps as pills in a row, and the arrows between them."""
        usable = config.frame_width - 2 * theme.EDGE
        names = [lecture_text(self.word(key), size=theme.BODY_SIZE) for key in OUTLINE]
        room = usable - (len(names) - 1) * ARROW_GAP - len(names) * PILL_PAD
        scale = min(1.0, room / sum(name.width for name in names))  # one size for all names
        pills = VGroup()
        for name in names:
            name.scale(scale)
            pill = RoundedRectangle(width=name.width + PILL_PAD, height=PILL_HEIGHT, corner_radius=0.2,
                                    stroke_color=theme.CURVE, stroke_width=3)
            pills.add(VGroup(pill, name.move_to(pill)))
        pills.arrange(RIGHT, buff=ARROW_GAP).move_to([0, OUTLINE_Y, 0])
        arrows = VGroup(*(
            Arrow(left.get_right(), right.get_left(), buff=0.06, stroke_width=3,
                  max_tip_length_to_length_ratio=0.4, color=theme.MUTED)
            for left, right in zip(pills[:-1], pills[1:])
        ))
        return pills, arrows

    def get_heights_panel(self, width: float) -> VGroup:
        """"25 heights (m)": every sample (up to STRIP_DOTS of them) as a dot on a strip from
        the smallest to the largest, both written as the data has them."""
        h = self.data.heights
        samples = np.asarray(h.samples, dtype=float)
        low, high = float(samples.min()), float(samples.max())
        name = fit_width(lecture_text(self.word("heights_data", n=len(samples), unit=h.unit), size=theme.LABEL_SIZE), width)
        strip = Line(LEFT * width / 2, RIGHT * width / 2, color=theme.GRID, stroke_width=3)
        span = high - low
        dots = VGroup(*(
            Dot(strip.point_from_proportion((x - low) / span), radius=0.06, color=theme.SAMPLE)
            for x in display_subsample(samples, STRIP_DOTS)
        ))
        resolution = self.sample_resolution
        ends = VGroup(*(
            lecture_text(number_text(value, resolution), size=theme.SMALL_SIZE, color=theme.MUTED)
            for value in (low, high)
        ))
        for end, edge in zip(ends, (LEFT, RIGHT)):  # under the strip's ends, inside its width
            fit_width(end, 0.45 * width)
            end.next_to(strip.get_corner(DOWN + edge), DOWN, buff=0.2, aligned_edge=edge)
        self.record_shown("sample_count", len(samples))
        for key, value in (("sample_min", low), ("sample_max", high)):
            self.record_shown(key, float(number_text(value, resolution, style="e")),
                              number_text_tolerance(value, resolution))
        body = VGroup(strip, dots, ends)
        return VGroup(name, body).arrange(DOWN, buff=0.3)

    def get_binary_panel(self, width: float) -> VGroup:
        """"Phone OS of 50 people": a bar split k : n - k, each part with its label and count."""
        binary = self.data.binary
        counts, labels = binary.counts, binary.labels
        name = fit_width(lecture_text(self.word("binary_data", n=binary.n), size=theme.LABEL_SIZE), width)
        colours = (theme.SAMPLE, theme.SECOND)
        bar = Rectangle(width=width, height=0.28, fill_color=colours[1], fill_opacity=0.9, stroke_width=0)
        first = counts[0] / binary.n * width
        if first > 0:  # the first label's share, from the left (at least a sliver when tiny)
            share = Rectangle(width=max(first, 0.02), height=0.28, fill_color=colours[0], fill_opacity=0.9,
                              stroke_width=0)
            bar = VGroup(bar, share.align_to(bar, LEFT))
        keys = VGroup(*(self.get_key(label, count, colour, width / 2 - 0.15)
                        for label, count, colour in zip(labels, counts, colours)))
        for key, edge in zip(keys, (LEFT, RIGHT)):
            key.next_to(bar.get_corner(DOWN + edge), DOWN, buff=0.2, aligned_edge=edge)
        self.record_shown("count_first", counts[0])
        self.record_shown("count_second", counts[1])
        return VGroup(name, VGroup(bar, keys)).arrange(DOWN, buff=0.3)

    @staticmethod
    def get_key(label: str, count: int, colour, room: float) -> Mobject:
        """"Android 31" in the label's colour, shrunk to ``room``; a label too long to stay
        readable there (x-height under 10 px at 720p) leaves its count alone: the colour says
        which it is, and the phone-OS scene writes the labels in full."""
        key = lecture_text(f"{label} {count}", size=theme.SMALL_SIZE, color=colour)
        if key.width * KEY_MIN_SIZE / theme.SMALL_SIZE > room:  # shrunk below KEY_MIN_SIZE
            key = lecture_text(f"{count}", size=theme.SMALL_SIZE, color=colour)
        return fit_width(key, room)

    def intro_key(self) -> str:
        """The deck's welcome while the title is the deck's; else the data's title, named."""
        return "intro_say" if self.data.lecture.title == deck_data().lecture.title else "intro_title_say"

    def reveal_times(self, key: str, count: int, lead: float, **fields) -> float:
        """Run time of each of ``count`` reveals spread over line ``key``'s reading time
        (after ``lead`` seconds of other animation), so they come as the words do."""
        reading = len(self.word(key, **fields)) * theme.SECONDS_PER_CHAR[self.lang]
        return max(0.5, (reading - lead) / count)

    # The scene -----------------------------------------------------------------------------
    def construct(self) -> None:
        card = self.get_title_card()
        course, title, rule, byline = card
        pills, arrows = self.get_outline()
        half = (config.frame_width - 2 * theme.EDGE - 1.2) / 2
        heights = self.get_heights_panel(min(half - 0.4, 5.0))
        binary = self.get_binary_panel(min(half - 0.4, 5.0))
        datasets = VGroup(heights, binary)
        heights.move_to([-(half + 1.2) / 2 - 0.05, DATA_Y, 0])
        binary.move_to([(half + 1.2) / 2 + 0.05, DATA_Y, 0])
        binary.align_to(heights, UP)

        # Show the course line, then the lecture title, its author and date
        with self.narrate(self.intro_key(), title=card_line(self, "title")):
            self.play(FadeIn(course, shift=0.2 * DOWN))
            self.play(Write(title), run_time=2)
            self.play(FadeIn(rule), FadeIn(byline, shift=0.2 * UP))

        # The outline: the card moves up, the four steps appear as they are named
        step = self.reveal_times("outline_say", len(pills), 0.8)
        with self.narrate("outline_say"):
            self.play(card.animate.scale(0.8).to_edge(UP, buff=theme.EDGE + 0.2), run_time=0.8)
            self.play(FadeIn(pills[0], shift=0.15 * UP), run_time=step)
            for arrow, pill in zip(arrows, pills[1:]):
                self.play(GrowArrow(arrow), FadeIn(pill, shift=0.15 * UP), run_time=step)

        # The two datasets that carry the lecture
        fields = {"heights_phrase": self.word("examples_heights", n=len(self.data.heights.samples)),
                  "binary_phrase": self.word("examples_binary", n=self.data.binary.n)}
        step = self.reveal_times("examples_say", 2, 0.0, **fields)
        with self.narrate("examples_say", **fields):
            self.play(FadeIn(heights[0]), FadeIn(heights[1][0]), run_time=0.5)
            self.play(FadeIn(heights[1][1], lag_ratio=0.1), FadeIn(heights[1][2]), run_time=max(0.5, step - 0.5))
            self.play(FadeIn(binary, shift=0.15 * UP), run_time=min(1.0, step))
        self.wait(theme.READ_WAIT)
