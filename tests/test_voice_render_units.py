"""The voice's hooks into the render, without rendering: narration timing with and without a
voice provider, keys and signature for ``--voice none``, worker environment, summary."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from lecture.voice import parse_voice
from lecture.voice import publish as voice_publish
from lecture.voice import render_hook

DRY = {"dry_run": True, "disable_caching": True, "pixel_width": 427, "pixel_height": 240, "frame_rate": 15,
       "progress_bar": "none", "verbosity": "WARNING", "write_to_movie": False, "save_last_frame": False}


def _run_scene(tmp_path, provider):
    from scenes.s01_title import TitleScene

    times = {}

    class Probe(TitleScene):
        def construct(self) -> None:
            with self.narrate("intro_say"):
                pass
            times["after_first"] = self.time
            self.say("intro_say")
            times["end"] = self.time

    return _render_probe(tmp_path, provider, Probe), times


def _render_probe(tmp_path, provider, probe_class):
    """Render ``probe_class`` (a dry run) with ``provider`` as the voice; the scene."""
    from manim import tempconfig

    from scenes import hooks

    hooks.install(hooks.Hooks(voice_provider=provider))
    try:
        with tempconfig({**DRY, "media_dir": str(tmp_path)}):
            scene = probe_class(skip_animations=True)
            scene.render()
    finally:
        hooks.reset()
    return scene


def test_no_provider_keeps_reading_time(tmp_path) -> None:
    from scenes import theme

    scene, times = _run_scene(tmp_path, None)
    reading = len(scene.word("intro_say")) * theme.SECONDS_PER_CHAR[scene.lang]
    assert times["after_first"] == pytest.approx(reading, abs=1 / 15 + 1e-6)
    assert not hasattr(scene, "voice_beats")


def test_provider_stretches_beats_and_notes_them(tmp_path) -> None:
    asked = []

    def provider(beat_id, text, lang):
        asked.append((beat_id, text, lang))
        return (7.0, "/voice.wav") if beat_id.endswith("-2") else (0.5, "/short.wav")

    scene, times = _run_scene(tmp_path, provider)
    assert [a[0] for a in asked] == ["01-title/intro_say", "01-title/intro_say-2"]
    assert asked[0][1] == scene.word("intro_say") and asked[0][2] == scene.lang
    first, second = scene.voice_beats
    assert first["start_s"] == 0 and first["end_s"] >= 0.5 + 0.3 - 1e-9
    assert first["end_s"] < 0.8 + 2 / 15  # a voiced beat lasts its voice and breath, not the reading time
    assert second["start_s"] == pytest.approx(first["end_s"]) and second["end_s"] - second["start_s"] >= 7.3 - 1e-9
    assert times["end"] == pytest.approx(second["end_s"])
    assert second["path"] == "/voice.wav" and second["duration_s"] == 7.0


def _run_stretch(tmp_path, provider):
    """A beat whose one animation (2 s, a dot moving) is marked to be scaled to the voice."""
    from manim import Dot

    from scenes.s01_title import TitleScene

    seen = {}

    class Probe(TitleScene):
        def construct(self) -> None:
            dot = Dot()
            self.add(dot)
            with self.narrate("intro_say"):
                self.play_to_voice(dot.animate.shift([3, 0, 0]), run_time=2.0)
                seen["animation_end"] = self.time
            seen["beat_end"] = self.time

    return _render_probe(tmp_path, provider, Probe), seen


def test_a_marked_animation_is_scaled_to_the_voice(tmp_path) -> None:
    """The animation itself lasts the voice and its breath; no still padding follows it."""
    scene, seen = _run_stretch(tmp_path, lambda *a: (9.0, "/v.wav"))
    assert seen["animation_end"] == pytest.approx(9.0 + 0.3, abs=1e-6)
    assert seen["beat_end"] - seen["animation_end"] < 1 / 15 + 1e-6
    # a voice shorter than the animation never shrinks it: the beat then lasts the animation
    scene, seen = _run_stretch(tmp_path, lambda *a: (0.5, "/v.wav"))
    assert seen["animation_end"] == pytest.approx(2.0, abs=1e-6)


def test_a_marked_animation_keeps_its_time_when_silent(tmp_path) -> None:
    from scenes import theme

    scene, seen = _run_stretch(tmp_path, None)
    assert seen["animation_end"] == pytest.approx(2.0, abs=1e-6)
    reading = len(scene.word("intro_say")) * theme.SECONDS_PER_CHAR[scene.lang]
    assert seen["beat_end"] == pytest.approx(max(2.0, reading), abs=1 / 15 + 1e-6)


def test_silent_provider_answer_is_reading_time(tmp_path) -> None:
    from scenes import theme

    scene, times = _run_scene(tmp_path, lambda *a: None)
    reading = len(scene.word("intro_say")) * theme.SECONDS_PER_CHAR[scene.lang]
    assert times["after_first"] == pytest.approx(reading, abs=1 / 15 + 1e-6)
    assert [b["path"] for b in scene.voice_beats] == [None, None]


def test_voice_none_leaves_keys_signature_and_env_alone() -> None:
    from scenes import SCENES_IN_ORDER

    none = parse_voice("none")
    assert set(voice_publish.scene_keys(none, "ko", SCENES_IN_ORDER).values()) == {""}
    assert voice_publish.signature("abc", none, "ko", SCENES_IN_ORDER) == "abc"
    assert render_hook.worker_env(none, "/cache") == {}
    espeak = parse_voice("espeak")
    assert voice_publish.signature("abc", espeak, "ko", SCENES_IN_ORDER) != "abc"
    keys = voice_publish.scene_keys(espeak, "ko", SCENES_IN_ORDER)
    assert all(keys.values()) and voice_publish.scene_keys(espeak, "en", SCENES_IN_ORDER) != keys
    env = json.loads(render_hook.worker_env(espeak, "/cache")[render_hook.VOICE_ENV])
    assert env == {"kind": "espeak", "argument": "", "fallback": "error", "cache": "/cache"}


def test_recorded_scene_key_follows_that_scenes_files(tmp_path) -> None:
    from scenes import SCENES_IN_ORDER

    (tmp_path / "ko" / "01-title").mkdir(parents=True)
    spec = parse_voice(f"recorded:{tmp_path}")
    before = voice_publish.scene_keys(spec, "ko", SCENES_IN_ORDER)
    (tmp_path / "ko" / "01-title" / "intro_say.wav").write_bytes(b"RIFF....")
    after = voice_publish.scene_keys(spec, "ko", SCENES_IN_ORDER)
    assert [s for s in before if before[s] != after[s]] == ["title"]


def test_bad_voice_options_raise_voice_error(tmp_path) -> None:
    from lecture.voice import VoiceError

    for voice, fallback in (("bogus", None), ("espeak", "espeak"), (f"recorded:{tmp_path / 'no'}", None)):
        with pytest.raises(VoiceError):
            voice_publish.check_spec(SimpleNamespace(voice=voice, voice_fallback=fallback, lang="ko"))


def test_summary_counts_sources() -> None:
    results = [{"voice": {"voice": "recorded", "beats": [{"source": "recorded"}, {"source": "espeak"}]}},
               {"voice": {"voice": "recorded", "beats": [{"source": "recorded"}]}}, {}]
    assert voice_publish.summary(results) == "voices: 2 recorded, 1 espeak (fallback) in 3 beats rendered"
    assert voice_publish.summary([{}]) is None
