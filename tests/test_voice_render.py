"""``nll-lecture render --voice``: real renders of the real scenes at preview quality.

- espeak, the whole lecture in Korean (once per session) and a subset in English: speech
  in every caption cue; at every chapter start of lecture.mp4 and lecture.webm the voice
  starts where it starts in the scene's own clip (audio/video drift at most one frame);
- recorded:DIR with files the test makes (known lengths): beats and captions follow them,
  re-recording one beat re-renders only its scene, a missing beat is an error (exit 2,
  OUT unchanged) unless --voice-fallback espeak fills it;
- none: no audio track, today's keys.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import av
import numpy as np
import pytest

from test_render_support import REPO, render, rendered_ids, shared_folder, snapshot
from test_voice_support import speechlike, write_wav_int16

from lecture import captions
from lecture.voice.audio import decode_track
from lecture.voice.constants import RATE

pytestmark = pytest.mark.slow

SPEECH_RMS = 0.01        # a cue with its voice in it is far above this (voices are at -16 LUFS)
ONSET_RMS = 0.02         # 5 ms windows louder than this: the voice has started
EN_SCENES = ("title", "closing")


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _rms(track: np.ndarray, start_s: float, end_s: float) -> float:
    window = track[max(0, int(start_s * RATE)):max(0, int(end_s * RATE))].astype(np.float64)
    return float(np.sqrt(np.mean(window ** 2))) if window.size else 0.0


def _onset(track: np.ndarray, from_s: float, to_s: float) -> float | None:
    """The first 5 ms window after ``from_s`` louder than ONSET_RMS (seconds), or None."""
    step = int(0.005 * RATE)
    start = max(0, int(from_s * RATE))
    for at in range(start, min(track.size, int(to_s * RATE)) - step, step):
        if np.sqrt(np.mean(track[at:at + step].astype(np.float64) ** 2)) > ONSET_RMS:
            return at / RATE
    return None


def _video_frame_times(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return np.array(sorted(float(f.pts * f.time_base) for f in container.decode(stream)))


def _streams(path: Path) -> list[tuple[str, str, int | None]]:
    with av.open(str(path)) as container:
        return [(s.type, s.codec_context.name, getattr(s.codec_context, "sample_rate", None)) for s in container.streams]


def _check_speech_in_cues(media_file: Path, vtt: Path) -> int:
    track = decode_track(media_file)
    cues = captions.parse(vtt.read_text(encoding="utf-8"))
    assert cues
    for cue in cues:
        energy = _rms(track, cue.start_ms / 1000, cue.end_ms / 1000)
        assert energy > SPEECH_RMS, f"{media_file.name}: no speech in cue {cue.start_ms}-{cue.end_ms} ms {cue.text!r}"
    return len(cues)


@pytest.fixture(scope="session")
def espeak_lecture(tmp_path_factory):
    """OUT of the whole lecture with the espeak voice, Korean, preview (once per session)."""
    with shared_folder(tmp_path_factory, "nll-espeak-lecture") as folder:
        out = folder / "out"
        if not (folder / "done").exists():
            result = render(["--voice", "espeak", "--lang", "ko", "--quality", "preview", "--out", str(out)],
                            timeout=3600)
            assert result.returncode == 0, result.stderr
            assert "voices: " in result.stderr and " espeak" in result.stderr, result.stderr
            (folder / "done").write_text(result.stderr, encoding="utf-8")
    return out


def test_espeak_lecture_has_speech_in_every_cue_and_no_drift(espeak_lecture: Path) -> None:
    out = espeak_lecture
    manifest = _manifest(out)
    lecture = manifest["lecture"]
    assert lecture["complete"] and lecture["has_audio"]
    assert lecture["voice_sources"].keys() == {"espeak"}
    for scene in manifest["scenes"]:
        assert scene["has_audio"] and scene["beats"], scene["id"]
        for beat in scene["beats"]:
            assert beat["source"] == "espeak" and beat["duration_s"] > 0.2, beat
            assert beat["end_s"] - beat["start_s"] >= beat["duration_s"] + 0.3 - 1e-6, beat
            assert beat["lecture_start_s"] == pytest.approx(scene["start_s"] + beat["start_s"], abs=1e-5)
        assert _streams(out / scene["clip"])[1][:2] == ("audio", "aac")
        assert _streams(out / scene["webm"])[1][:2] == ("audio", "opus")
    assert _streams(out / lecture["video"]) == [("video", "h264", None), ("audio", "aac", 48000)]
    assert _streams(out / lecture["webm"]) == [("video", "vp9", None), ("audio", "opus", 48000)]

    # The page's players and embed snippets play with sound.
    import re

    page = (out / "index.html").read_text(encoding="utf-8")
    videos = re.findall(r"<video[^>]*>", page) + re.findall(r"&lt;video[^&]*&gt;", page)
    assert videos and not any("muted" in tag for tag in videos)

    # Speech inside every caption cue of the whole lecture, in both files.
    cues = _check_speech_in_cues(out / lecture["video"], out / lecture["captions"])
    assert cues >= sum(len(s["beats"]) for s in manifest["scenes"])  # a beat is one or more subtitle cues
    _check_speech_in_cues(out / lecture["webm"], out / lecture["captions"])

    # At every chapter start: a video frame exactly there, and the voice starting where it
    # starts in the scene's own clip (the clip's first beat starts with the clip).
    frame = 1 / lecture["fps"]
    for key, clip_key in (("video", "clip"), ("webm", "webm")):
        track = decode_track(out / lecture[key])
        frames = _video_frame_times(out / lecture[key])
        for scene in manifest["scenes"]:
            start = scene["start_s"]
            assert np.min(np.abs(frames - start)) < 1e-3, f"{key}: no frame at chapter start {start}"
            first_beat = scene["beats"][0]["start_s"]
            clip_onset = _onset(decode_track(out / scene[clip_key]), 0.0, first_beat + 1.5)
            assert clip_onset is not None, scene["id"]
            lecture_onset = _onset(track, start - 0.2, start + first_beat + 1.5)
            assert lecture_onset is not None, scene["id"]
            drift = (lecture_onset - start) - clip_onset
            assert abs(drift) <= frame, f"{key} {scene['id']}: audio/video drift {drift * 1000:.1f} ms"


def test_espeak_english_subset(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["--voice", "espeak", "--lang", "en", "--quality", "preview", "--out", str(out)]
    for scene_id in EN_SCENES:
        args += ["--scene", scene_id]
    result = render(args)
    assert result.returncode == 0, result.stderr
    manifest = _manifest(out)
    assert [s["id"] for s in manifest["scenes"]] == list(EN_SCENES)
    assert not manifest["lecture"]["complete"]
    for scene in manifest["scenes"]:
        assert scene["has_audio"] and all(b["source"] == "espeak" for b in scene["beats"])
        _check_speech_in_cues(out / scene["clip"], out / scene["captions"])
        _check_speech_in_cues(out / scene["webm"], out / scene["captions"])
        # a clip's audio lasts as long as its video
        for key in ("clip", "webm"):
            assert decode_track(out / scene[key]).size / RATE == pytest.approx(scene["duration_s"], abs=0.05)
    # nothing changed: nothing to do, fast
    again = render(args)
    assert again.returncode == 0 and "nothing to do" in again.stderr, again.stderr


def test_espeak_speaks_every_beat_of_the_english_lecture(tmp_path: Path) -> None:
    """The whole English script (every beat of every scene, the deck's numbers filled in)
    through the espeak voice the render uses: each beat gets speech, loud enough, lasting
    about as long as its text. With the subset render above (speech lands inside every cue
    of a clip and the lecture joins without drift), this is --lang en's whole lecture
    without rendering its 8 minutes of video a second time."""
    from lecture.voice.espeak import EspeakSource
    from lecture.voice.script import collect_beats
    from lecture.voice.sources import VoiceCache

    beats = collect_beats("en", None, jobs=2)
    assert len(beats) > 50 and len({b.scene for b in beats}) == 12
    source = EspeakSource(VoiceCache(tmp_path / "voices"))
    for beat in beats:
        voice = source.resolve(beat.id, "en", beat.text)  # synthesised, trimmed, at -16 LUFS, as in a render
        samples = decode_track(voice.path)
        assert voice.duration_s > 0.03 * len(beat.text), \
            f"{beat.id}: {voice.duration_s:.2f} s of voice for {len(beat.text)} characters"
        assert _rms(samples, 0.0, voice.duration_s) > SPEECH_RMS, f"{beat.id}: no speech energy"


# Recorded voices ------------------------------------------------------------------------------
RECORDED_SCENES = ("title", "closing")
LENGTHS = (1.0, 3.0, 5.0)


def _beats(scene_ids) -> list:
    from lecture.voice.script import collect_beats

    return collect_beats("ko", None, list(scene_ids), jobs=2)


def _record(root: Path, beat_id: str, seconds: float, seed: int = 1) -> Path:
    path = root / "ko" / f"{beat_id}.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_wav_int16(path, speechlike(seconds, 44100, seed=seed), 44100)


def _cues(out: Path, scene: dict) -> list[tuple[int, int]]:
    return [(c.start_ms, c.end_ms) for c in captions.parse((out / scene["captions"]).read_text(encoding="utf-8"))]


def test_recorded_voices_time_the_beats(tmp_path: Path) -> None:
    beats = _beats(RECORDED_SCENES)
    root = tmp_path / "rec"
    lengths = {}
    for i, beat in enumerate(beats):
        lengths[beat.id] = LENGTHS[i % len(LENGTHS)]
        _record(root, beat.id, lengths[beat.id], seed=i)
    out = tmp_path / "out"
    args = ["--voice", f"recorded:{root}", "--quality", "preview", "--out", str(out),
            *sum((["--scene", s] for s in RECORDED_SCENES), [])]
    result = render(args)
    assert result.returncode == 0, result.stderr
    assert f"voices: {len(beats)} recorded" in result.stderr, result.stderr
    manifest = _manifest(out)
    for scene in manifest["scenes"]:
        cues = _cues(out, scene)
        for beat in scene["beats"]:
            assert beat["source"] == "recorded"
            assert beat["duration_s"] == pytest.approx(lengths[beat["id"]], abs=0.06)  # trimming keeps 50 ms
            assert beat["end_s"] - beat["start_s"] >= beat["duration_s"] + 0.3 - 1e-6, beat
            # the beat's subtitle cues (one or more) start with it and end inside it
            start_ms, end_ms = round(beat["start_s"] * 1000), round(beat["end_s"] * 1000)
            mine = [cue for cue in cues if start_ms <= cue[0] < end_ms]
            assert mine and mine[0][0] == start_ms and all(end <= end_ms for _, end in mine), (beat, mine)
        assert sum(1 for cue in cues for b in scene["beats"]
                   if round(b["start_s"] * 1000) <= cue[0] < round(b["end_s"] * 1000)) == len(cues)
        for beat, nxt in zip(scene["beats"], scene["beats"][1:]):
            assert nxt["start_s"] >= beat["end_s"] - 1e-9  # beats never overlap
    # a 5 s voice makes a beat of at least 5.3 s, whatever its animations last
    assert any(b["end_s"] - b["start_s"] >= 5.3 for s in manifest["scenes"] for b in s["beats"])

    # Re-recording one beat of the title re-renders only the title.
    first = beats[0]
    assert first.scene == "title"
    _record(root, first.id, 2.0, seed=99)
    again = render(args)
    assert again.returncode == 0, again.stderr
    assert rendered_ids(again.stderr) == {"title"}, again.stderr
    title = _manifest(out)["scenes"][0]
    assert title["beats"][0]["duration_s"] == pytest.approx(2.0, abs=0.06)

    # A missing beat: exit 2 naming it, OUT unchanged.
    gone = next(b for b in beats if b.scene == "closing")
    (root / "ko" / f"{gone.id}.wav").unlink()
    before = snapshot(out)
    failed = render(args)
    assert failed.returncode == 2, failed.stderr
    errors = [line for line in failed.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and gone.id in errors[0] and "Traceback" not in failed.stderr, failed.stderr
    assert snapshot(out) == before

    # --voice-fallback espeak stands in for it.
    filled = render(args + ["--voice-fallback", "espeak"])
    assert filled.returncode == 0, filled.stderr
    assert "1 espeak (fallback)" in filled.stderr, filled.stderr
    closing = {b["id"]: b for b in _manifest(out)["scenes"][1]["beats"]}
    assert closing[gone.id]["source"] == "espeak"


def test_bad_voice_input_is_one_line_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for voice in ("recorded:" + str(tmp_path / "nowhere"), "espeak:x", "bogus"):
        result = render(["--voice", voice, "--scene", "title", "--quality", "preview", "--out", str(out)])
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().startswith("error:") and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert not out.exists()


def test_voice_none_is_todays_silent_render(tmp_path: Path) -> None:
    out = tmp_path / "out"
    base = ["--scene", "title", "--quality", "preview", "--out", str(out)]
    result = render(base + ["--voice", "none"])
    assert result.returncode == 0, result.stderr
    assert "voices:" not in result.stderr
    scene = _manifest(out)["scenes"][0]
    assert scene["has_audio"] is False and scene["beats"]  # beats noted, none voiced
    assert all(b["source"] == "none" and b["duration_s"] == 0.0 for b in scene["beats"])
    assert [kind for kind, _c, _r in _streams(out / scene["clip"])] == ["video"]
    assert [kind for kind, _c, _r in _streams(out / scene["webm"])] == ["video"]
    state = json.loads((out / ".nll-lecture-state.json").read_text(encoding="utf-8"))
    assert "voice" not in state["scenes"]["title"]["parts"]
    # without --voice: the same keys, nothing to render
    again = render(base)
    assert again.returncode == 0 and "nothing to do" in again.stderr, again.stderr


# In the browser -------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.parametrize("query", ["", "?format=webm"])
def test_chromium_plays_the_voiced_lecture_and_a_clip_with_sound(espeak_lecture: Path, query: str) -> None:
    """The page's player and a clip's player (the embed snippet's markup) decode the voice
    while currentTime advances: Chromium counts the audio bytes it decoded."""
    from browser_support import AUTOPLAY, chromium

    with chromium(AUTOPLAY) as browser:
        page = browser.new_page()
        page.goto((espeak_lecture / "index.html").as_uri() + query)
        page.wait_for_function("document.getElementById('lecture-video').readyState >= 2", timeout=30_000)
        for selector in ("#lecture-video", ".clip video"):  # (clips preload nothing: play() loads them)
            state = page.evaluate("""async (selector) => {
                const v = document.querySelector(selector);
                v.muted = false; v.volume = 1.0; v.currentTime = 0.5;
                await v.play();
                await new Promise(r => setTimeout(r, 2500));
                v.pause();
                return {time: v.currentTime, audio: v.webkitAudioDecodedByteCount, muted: v.muted,
                        src: v.currentSrc, error: v.error && v.error.code};
            }""", selector)
            assert state["error"] is None and not state["muted"], state
            assert state["time"] > 1.5, state               # playback advanced
            assert state["audio"] > 10_000, state            # with its audio track decoded
            if query:
                assert state["src"].endswith(".webm"), state
