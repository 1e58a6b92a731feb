"""What every scene shares: the LectureScene base, narration, headings, text and axis helpers."""

from __future__ import annotations

import math
import os
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, ClassVar, Iterator

import numpy as np
from manim import DOWN, LEFT, UP, Create, Mobject, Scene, SurroundingRectangle, Text, VGroup, Write, config

from mathcore import LectureData, lecture_results, load_data

from . import manim_patches, theme
from .text import DATA_ENV, current_language, strings


manim_patches.install_digit_copy()  # live readouts: digits copied without deepcopy


@lru_cache(maxsize=4)
def _data_for(path: str | None) -> tuple[LectureData, dict[str, Any]]:
    data = load_data(path)
    return data, lecture_results(data)


def current_data() -> tuple[LectureData, dict[str, Any]]:
    """The data file named by NLL_LECTURE_DATA (default: the deck's data) and its numbers."""
    return _data_for(os.environ.get(DATA_ENV) or None)


def deck_data() -> LectureData:
    """The built-in (deck) data, whatever NLL_LECTURE_DATA says."""
    return _data_for(None)[0]


def lecture_text(content: str, size: float = theme.BODY_SIZE, color=theme.TEXT, weight: str = "NORMAL", **kwargs: Any) -> Text:
    """Any words on screen, user text included: Pango, never LaTeX."""
    return Text(content, font=theme.FONT, font_size=size, color=color, weight=weight, **kwargs)


def fit_width(mobject: Mobject, max_width: float) -> Mobject:
    """Shrink (never grow) a mobject to fit a width: long labels and titles stay on screen."""
    if mobject.width > max_width:
        mobject.scale_to_fit_width(max_width)
    return mobject


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A 1-2-5 tick step giving about ``target_ticks`` ticks over ``span``.

    >>> nice_step(10.0), nice_step(0.07)
    (2.0, 0.02)
    """
    raw = span / max(target_ticks, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1.0, 2.0, 5.0, 10.0):
        if raw <= multiple * power * 1.0000001:
            return round(multiple * power, 12)
    return 10.0 * power  # pragma: no cover


def nice_range(low: float, high: float, target_ticks: int = 5) -> tuple[float, float, float]:
    """(start, end, step) covering [low, high] on tick boundaries.

    >>> nice_range(163.1, 173.6)
    (160.0, 175.0, 5.0)
    """
    step = nice_step(high - low, target_ticks)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    return round(start, 12), round(end, 12), step


def decimals_for(step: float) -> int:
    """Decimal places that show a tick step exactly.

    >>> decimals_for(0.02), decimals_for(5.0)
    (2, 0)
    """
    return max(0, -math.floor(math.log10(step) + 1e-9))


def format_number(value: float, digits: int = 4) -> str:
    """A number for display: fixed digits where sensible, else scientific.

    >>> format_number(6.108643), format_number(2.2e-11)
    ('6.1086', '2.2e-11')
    """
    if value != 0 and (abs(value) < 10 ** -(digits - 1) or abs(value) >= 1e7):
        return f"{value:.{max(digits - 3, 1)}e}".replace("e-0", "e-").replace("e+0", "e+")
    return f"{value:.{digits}f}"


# Narration voices: the render worker sets a provider for --voice (lecture/voice/render_hook.py).
BREATH_S = 0.3  # after a beat's voice, before the next beat
_VOICE: dict[str, Any] = {"provider": None}


def set_voice_provider(provider: Any) -> None:
    """``provider(beat_id, text, lang)`` -> ``(duration_s, wav_path)`` or None (no voice for
    that beat); ``None`` removes it (silent, reading-rate timing)."""
    _VOICE["provider"] = provider


class LectureScene(Scene):
    """Base of every lecture scene: language, data, strings, narration and a heading.

    Subclasses set ``scene_id`` (the catalog id) and write ``construct`` as short steps.
    """

    scene_id: ClassVar[str]

    def setup(self) -> None:
        super().setup()
        self.lang = current_language()
        self.data, self.results = current_data()
        self.words = strings(self.scene_id, self.lang)
        self.camera.background_color = theme.BACKGROUND
        self.shown_numbers: dict[str, float] = {}

    def record_shown(self, name: str, value: float) -> None:
        """Note a number as it is on screen (read it off the mobject), so tests can check it."""
        self.shown_numbers[name] = float(value)

    # Strings -------------------------------------------------------------------------
    def word(self, key: str, **fields: Any) -> str:
        """The scene's string ``key`` in the current language, with ``fields`` filled in."""
        template = self.words[key]
        return template.format(**fields) if fields else template

    def get_text(self, key: str, size: float = theme.BODY_SIZE, **fields: Any) -> Text:
        return lecture_text(self.word(key, **fields), size=size)

    def get_heading(self) -> Mobject:
        """The scene title, top left, sized to fit."""
        heading = lecture_text(self.word("title"), size=theme.HEADING_SIZE, weight="BOLD")
        fit_width(heading, config.frame_width - 2 * theme.EDGE)
        heading.to_corner(UP + LEFT, buff=theme.EDGE)
        return heading

    # Narration -----------------------------------------------------------------------
    @contextmanager
    def narrate(self, key: str, **fields: Any) -> Iterator[None]:
        """Caption everything played inside the block with narration line ``key``.

        The block lasts at least long enough to read the line: a short wait pads it. With
        a voice provider set (:func:`set_voice_provider`, by the render worker for
        ``--voice``), a voiced block lasts at least its voice plus ``BREATH_S`` instead,
        and the beat (id ``NN-scene-id/key``, start, end, voice) is noted in
        ``self.voice_beats``. Without one the timing is the reading-rate timing.
        """
        line = self.word(key, **fields)
        start = self.time
        voice = None
        provider = _VOICE["provider"]
        if provider is not None:
            beat_id = self._next_beat_id(key)
            voice = provider(beat_id, line, self.lang)  # (duration_s, wav path) or None
        yield
        if voice is not None and voice[0] > 0:
            # whole frames, never less than the voice and its breath (manim rounds a wait down)
            short = math.ceil((voice[0] + BREATH_S - (self.time - start)) * config.frame_rate - 1e-6)
            if short > 0:
                self.wait((short + 0.5) / config.frame_rate)
        else:
            reading = len(line) * theme.SECONDS_PER_CHAR[self.lang]
            if self.time - start < reading:
                self.wait(reading - (self.time - start))
        if provider is not None:
            self.voice_beats.append({"id": beat_id, "start_s": start, "end_s": self.time,
                                     "path": None if voice is None else voice[1],
                                     "duration_s": 0.0 if voice is None else voice[0]})
        self.add_subcaption(line, duration=self.time - start, offset=-(self.time - start))

    def _next_beat_id(self, key: str) -> str:
        """``NN-scene-id/key`` (``key-2``, ``key-3``... for a key narrated again)."""
        from .catalog import SCENES_BY_ID

        if not hasattr(self, "voice_beats"):
            self.voice_beats: list[dict[str, Any]] = []
            self._beat_counts: dict[str, int] = {}
        count = self._beat_counts[key] = self._beat_counts.get(key, 0) + 1
        spec = SCENES_BY_ID[self.scene_id]
        return f"{spec.index:02d}-{spec.id}/{key if count == 1 else f'{key}-{count}'}"

    def show_conclusion(self, conclusion: Mobject, key: str, color=theme.HIGHLIGHT) -> Mobject:
        """Write a scene's conclusion and box it, under narration line ``key``; returns the box."""
        box = SurroundingRectangle(conclusion, color=color, buff=0.15)
        with self.narrate(key):
            self.play(Write(conclusion), run_time=1.5)
            self.play(Create(box))
        return box

    def say(self, key: str, *animations: Any, **fields: Any) -> None:
        """Play ``animations`` (or just wait) under one narration line."""
        with self.narrate(key, **fields):
            if animations:
                self.play(*animations)


def stack(*mobjects: Mobject, buff: float = theme.GAP) -> VGroup:
    """Mobjects one under another, left-aligned."""
    group = VGroup(*mobjects)
    group.arrange(DOWN, aligned_edge=LEFT, buff=buff)
    return group
