"""The base of every lecture scene: language, data, strings, narration and a heading."""

from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Any, ClassVar, Iterator

from manim import LEFT, RIGHT, UP, Create, Mobject, Scene, SurroundingRectangle, Text, Write, config

from mathcore.precision import heights_resolution, p_hat_decimals, sample_resolution
from mathcore.story import story_modes, story_words

from . import hooks, layout, story, theme, typography
from .data import current_data
from .draw import fit_width, lecture_text
from .number_format import minus_signs, number_text
from .text import current_language, strings

BREATH_S = 0.3  # after a beat's voice, before the next beat


class LectureScene(Scene):
    """Base of every lecture scene: language, data, strings, narration and a heading.

    Subclasses set ``scene_id`` (the catalog id) and write ``construct`` as short steps.
    """

    scene_id: ClassVar[str]

    def setup(self) -> None:
        super().setup()
        typography.install()  # every MathTex/Tex in the lecture's maths voice (theme.TEX_TEMPLATE)
        self.lang = current_language()
        self.data, self.results = current_data()
        self.words = strings(self.scene_id, self.lang)
        # The data's story (mathcore/story.py): which variant of a line, and its words.
        self.story = story_words(self.data, self.lang)
        self.story_modes = story_modes(self.data)
        self.story_fields = story.story_fields(self.data, self.story)
        self.camera.background_color = theme.BACKGROUND
        self.shown_numbers: dict[str, float] = {}
        self.shown_tolerances: dict[str, float] = {}
        self.layout_beats: list[dict[str, Any]] = []  # what is on screen at each beat's end (scenes/layout.py)

    # Number style: one precision per quantity, in every scene (mathcore/precision.py) ----
    @property
    def heights_resolution(self) -> float:
        """The smallest difference a heights quantity (a sample, mu, mu-hat, sigma) is
        written to, for :func:`number_text` and :func:`readout_decimals`."""
        h = self.data.heights
        return heights_resolution(h.samples, h.sigma)

    @property
    def sample_resolution(self) -> float:
        """The resolution one sample is shown at: as written in the data (1.728)."""
        h = self.data.heights
        return sample_resolution(h.samples, h.sigma)

    def heights_text(self, value: float, style: str = "plain") -> str:
        """A heights quantity as every scene writes it (168.34; 1.6968; 2.050×10¹²)."""
        return number_text(value, self.heights_resolution, style=style)

    def p_hat_text(self) -> str:
        """p-hat = k / n as every scene writes it (0.7, 0.62, 0.6667)."""
        binary = self.data.binary
        return f"{binary.k / binary.n:.{p_hat_decimals(binary.k, binary.n)}f}"

    def record_shown(self, name: str, value: float, tolerance: float = 0.0) -> None:
        """Note a number as it is on screen (read it off the mobject), so tests can check it;
        ``tolerance``: how far the shown digits may be from the value (display rounding)."""
        self.shown_numbers[name] = float(value)
        if tolerance:
            self.shown_tolerances[name] = float(tolerance)

    # Strings -------------------------------------------------------------------------
    def word(self, key: str, **fields: Any) -> str:
        """The scene's string ``key`` in the current language, with ``fields`` filled in; a
        number's sign is the minus sign "−" as on screen (narration is also the caption)."""
        template = story.pick_template(self.words, self.scene_id, key, self.story_modes)
        return minus_signs(story.FORMATTER.format(template, **{**self.story_fields, **fields}))

    def get_text(self, key: str, size: float = theme.BODY_SIZE, **fields: Any) -> Text:
        return lecture_text(self.word(key, **fields), size=size)

    def get_heading(self) -> Mobject:
        """The scene title, top left, sized to fit."""
        heading = lecture_text(self.word("title"), size=theme.HEADING_SIZE, weight="BOLD")
        fit_width(heading, theme.CONTENT_RIGHT - theme.CONTENT_LEFT)
        heading.to_corner(UP + LEFT, buff=(theme.SAFE_BUFF_X, theme.EDGE, 0))  # the safe area's top left
        return heading

    # Narration -----------------------------------------------------------------------
    @contextmanager
    def narrate(self, key: str, **fields: Any) -> Iterator[None]:
        """Caption everything played inside the block with narration line ``key``.

        The block lasts at least long enough to read the line: a short wait pads it. With
        a voice provider set (scenes/hooks.py, by the render worker for
        ``--voice``), a voiced block lasts at least its voice plus ``BREATH_S`` instead,
        and the beat (id ``NN-scene-id/key``, start, end, voice) is noted in
        ``self.voice_beats``. Without one the timing is the reading-rate timing.
        """
        line = self.word(key, **fields)
        start = self.time
        voice = None
        provider = hooks.current().voice_provider
        if provider is not None:
            beat_id = self._next_beat_id(key)
            voice = provider(beat_id, line, self.lang)  # (duration_s, wav path) or None
        self._beat_voice = (start, voice[0]) if voice is not None and voice[0] > 0 else None
        voiced = voice is not None and voice[0] > 0
        self._beat_end = start + (voice[0] + BREATH_S if voiced
                                  else max(len(line) * theme.SECONDS_PER_CHAR[self.lang], theme.MIN_BEAT_S))
        try:
            yield
        finally:
            self._beat_voice = None
            self._beat_end = None
        if voice is not None and voice[0] > 0:
            # whole frames, never less than the voice and its breath (manim rounds a wait down)
            short = math.ceil((voice[0] + BREATH_S - (self.time - start)) * config.frame_rate - 1e-6)
            if short > 0:
                self.wait((short + 0.5) / config.frame_rate)
        else:  # whole frames, never under the reading time (a subtitle's reading rate)
            reading = max(len(line) * theme.SECONDS_PER_CHAR[self.lang], theme.MIN_BEAT_S)
            short = math.ceil((reading - (self.time - start)) * config.frame_rate - 1e-6)
            if short > 0:
                self.wait((short + 0.5) / config.frame_rate)
        if provider is not None:
            self.voice_beats.append({"id": beat_id, "start_s": start, "end_s": self.time,
                                     "path": None if voice is None else voice[1],
                                     "duration_s": 0.0 if voice is None else voice[0]})
        self.layout_beats.append({"key": key, "time_s": round(self.time, 4), **layout.snapshot(self)})
        self.add_subcaption(line, duration=self.time - start, offset=-(self.time - start))

    def play_to_voice(self, *animations: Any, **kwargs: Any) -> None:
        """Play ``animations`` as the last of a narration block, scaled to the beat's voice.

        Silent (no voice for this beat, or outside a block) it is ``self.play`` with the
        given ``run_time`` (the reading-rate timing is unchanged). Voiced, its run time
        stretches (never shrinks) so that it ends where the voice and its breath end,
        instead of the block being padded with a still wait afterwards.
        """
        beat = getattr(self, "_beat_voice", None)
        if beat is not None:
            start, voice_s = beat
            fill = voice_s + BREATH_S - (self.time - start)
            kwargs["run_time"] = max(kwargs.get("run_time", 1.0), fill)
        self.play(*animations, **kwargs)

    def play_steps(self, *steps: Any, slow_by: float = 1.0) -> None:
        """Play ``steps`` one after another, spread over what is left of the narration beat
        they sit in (its reading time, or its voice and breath), so that the screen changes
        as the line goes on instead of holding still after the last animation.

        A step is an animation or a tuple of animations played together. Each step gets an
        even share of the beat's spare time: its animations slow down by up to ``slow_by``
        times their run time, and the rest of the share is a hold after it (the last
        step's hold is the beat's own padding). Outside a beat, or with no spare time, the
        steps play at their own run times. The longest still moment is one share less the
        slowing: with k steps, (spare / k) - slow_by * run time.
        """
        from manim.animation.animation import prepare_animation

        groups = [[prepare_animation(a) for a in (step if isinstance(step, (tuple, list)) else (step,))]
                  for step in steps]
        base = [max(float(a.run_time) for a in group) for group in groups]
        end = getattr(self, "_beat_end", None)
        spare = max(0.0, (end - self.time) - sum(base)) if end is not None else 0.0
        share = spare / len(groups) if groups else 0.0
        for i, (group, run_time) in enumerate(zip(groups, base)):
            slow = min(share, slow_by * run_time)
            self.play(*group, run_time=run_time + slow)
            hold = share - slow
            if i < len(groups) - 1 and hold * config.frame_rate >= 1:
                self.wait(hold)

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
            self.mark_result()
        return box

    def mark_result(self) -> None:
        """Note that a result is fully on screen now (see :meth:`hold_result`)."""
        self.result_shown_at = self.time

    def hold_result(self, seconds: float = theme.RESULT_HOLD_S) -> None:
        """Keep the screen as it is until the result noted by :meth:`mark_result` has been
        fully shown for ``seconds`` (a result is never gone before it can be read)."""
        held = self.time - getattr(self, "result_shown_at", self.time)
        if held < seconds:
            self.wait(seconds - held)

    def beat_seconds(self, key: str, **fields: Any) -> float:
        """How long narration line ``key`` lasts in a silent render (its reading time): for
        sizing a beat's animations so the screen is not still for most of it."""
        return max(len(self.word(key, **fields)) * theme.SECONDS_PER_CHAR[self.lang], theme.MIN_BEAT_S)

    def say(self, key: str, *animations: Any, **fields: Any) -> None:
        """Play ``animations`` (or just wait) under one narration line."""
        with self.narrate(key, **fields):
            if animations:
                self.play(*animations)
