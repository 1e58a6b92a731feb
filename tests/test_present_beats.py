"""Beats in manifest.json and exact beat seeking: a keyframe at every beat's first frame in
every published video (clips and the full lecture, MP4 and WebM), checked by decoding."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from test_render_support import full_lecture, title_and_closing  # noqa: F401 (fixtures)

from lecture import captions
from lecture.present import beats as present_beats


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _keyframes(path: Path) -> tuple[set[int], Fraction]:
    """Frame numbers of the keyframes of a file's video stream, and its frame rate."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = Fraction(stream.base_rate or stream.guessed_rate).limit_denominator(1001)
        found = set()
        for packet in container.demux(stream):
            if packet.pts is not None and packet.size and packet.is_keyframe:
                found.add(round(packet.pts * stream.time_base * rate))
    return found, rate


def _seek_first_frame(path: Path, frame_number: int, accurate: bool = False) -> tuple[int, np.ndarray]:
    """Seek as a player does, to the keyframe at or before frame ``frame_number``'s time; the
    frame number and pixels of the first frame decoded there. ``accurate``: then decode on to
    that frame's time, as a browser does when a page sets currentTime."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = Fraction(stream.base_rate or stream.guessed_rate).limit_denominator(1001)
        container.seek(round(frame_number / rate / stream.time_base), stream=stream, backward=True, any_frame=False)
        for frame in container.decode(stream):
            index = round(frame.pts * stream.time_base * rate)
            if not accurate or index >= frame_number:
                return index, frame.to_ndarray(format="rgb24")
        raise AssertionError(f"{path.name}: nothing decoded at or after frame {frame_number}")


def _frames(path: Path, wanted: set[int]) -> dict[int, np.ndarray]:
    out = {}
    with av.open(str(path)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in wanted:
                out[index] = frame.to_ndarray(format="rgb24")
    return out


# Units ---------------------------------------------------------------------------------------
def test_collect_takes_text_and_frames_from_the_beats() -> None:
    class Scene:
        voice_beats = [{"id": "12-closing/a_say", "start_s": 0.0, "end_s": 2.4},
                       {"id": "12-closing/a_say-2", "start_s": 2.4, "end_s": 7.933333333}]

    beats = present_beats.collect(Scene(), [(0.0, 2.4, "one"), (2.4, 7.93, "two")], 15)
    assert [(b["key"], b["text"], b["start_frame"], b["end_frame"]) for b in beats] == [
        ("a_say", "one", 0, 36), ("a_say-2", "two", 36, 119)]
    assert sorted(present_beats.keyframes(beats)) == [0, 36]
    assert present_beats.stills(beats) == {35: "a_say.png", 118: "a_say-2.png"}


def test_scene_fields_merge_the_voice_and_the_lecture_timeline() -> None:
    record = {"beats": [{"id": "01-title/intro_say", "key": "intro_say", "text": "hi", "start_s": 0.0,
                         "end_s": 2.0, "start_frame": 0, "end_frame": 30}]}
    voice = {"has_audio": True, "beats": [{"id": "01-title/intro_say", "source": "espeak", "duration_s": 1.5}]}
    fields = present_beats.scene_fields(record, 10.0, voice)
    assert fields["has_audio"] is True
    (beat,) = fields["beats"]
    assert beat["source"] == "espeak" and beat["duration_s"] == 1.5 and beat["scene"] == "title"
    assert (beat["lecture_start_s"], beat["lecture_end_s"]) == (10.0, 12.0)
    assert beat["still"] == "frames/01-title/intro_say.png"
    silent = present_beats.scene_fields(record, None, {"has_audio": False, "beats": []})
    assert silent["beats"][0]["source"] == "none" and "lecture_start_s" not in silent["beats"][0]
    # a scene recorded before beats were noted keeps what the voice said
    assert present_beats.scene_fields({}, None, voice) == voice


# A subset, rendered once -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def subset(title_and_closing) -> Path:
    return title_and_closing


@pytest.mark.slow
def test_manifest_lists_every_beat_with_its_caption(subset: Path) -> None:
    manifest = _manifest(subset)
    assert [s["id"] for s in manifest["scenes"]] == ["title", "closing"]
    for scene in manifest["scenes"]:
        cues = captions.parse((subset / scene["captions"]).read_text(encoding="utf-8"))
        beats = scene["beats"]
        assert len(beats) >= 3, scene["id"]
        stem = scene["clip"].split("/")[1].removesuffix(".mp4")
        for beat, nxt in zip(beats, beats[1:] + [None]):
            assert re.fullmatch(rf"{stem}/[a-z_]+(-\d+)?", beat["id"]) and beat["scene"] == scene["id"]
            # the beat's narration is what its subtitle cues say, split into lines and cues
            inside = [c for c in cues if beat["start_s"] * 1000 - 1 <= c.start_ms < beat["end_s"] * 1000 - 1]
            assert inside and beat["text"].strip()
            assert "".join(beat["text"].split()) == "".join("".join(c.text for c in inside).split()), beat["id"]
            assert abs(beat["start_s"] * 1000 - inside[0].start_ms) <= 1
            assert abs(beat["end_s"] * 1000 - inside[-1].end_ms) <= 1
            assert beat["start_frame"] == round(beat["start_s"] * scene["fps"])
            assert beat["end_frame"] == round(beat["end_s"] * scene["fps"]) <= scene["frames"]
            assert beat["source"] == "none" and (subset / beat["still"]).is_file()
            assert "lecture_start_s" not in beat  # no full lecture in a subset
            if nxt is not None:
                assert nxt["start_frame"] == beat["end_frame"]  # beats follow each other, never overlap
    # OUT's cache record vouches for the stills too
    state = json.loads((subset / ".nll-lecture-state.json").read_text(encoding="utf-8"))
    assert "frames/12-closing/thanks_say.png" in state["files"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["clip", "webm"])
def test_a_keyframe_at_every_beat_start_of_every_clip(subset: Path, kind: str) -> None:
    for scene in _manifest(subset)["scenes"]:
        path = subset / scene[kind]
        keys, rate = _keyframes(path)
        starts = {b["start_frame"] for b in scene["beats"]}
        assert starts <= keys, (scene[kind], sorted(starts - keys))
        frames = _frames(path, starts)
        for beat in scene["beats"]:
            # a seek to the beat's start lands on the beat's first frame, not an earlier one
            index, pixels = _seek_first_frame(path, beat["start_frame"])
            assert index == beat["start_frame"], (scene[kind], beat["id"], index)
            assert np.array_equal(pixels, frames[beat["start_frame"]])


@pytest.mark.slow
def test_the_still_of_a_beat_is_its_last_frame(subset: Path) -> None:
    from PIL import Image

    for scene in _manifest(subset)["scenes"]:
        last = {b["end_frame"] - 1: b for b in scene["beats"]}
        decoded = _frames(subset / scene["clip"], set(last))
        for index, beat in last.items():
            still = np.asarray(Image.open(subset / beat["still"]).convert("RGB"))
            assert still.shape == (scene["height"], scene["width"], 3)
            assert np.array_equal(still, decoded[index]), beat["id"]


@pytest.mark.slow
def test_the_full_lecture_has_a_keyframe_at_every_beat(full_lecture: Path) -> None:
    manifest = _manifest(full_lecture)
    lecture = manifest["lecture"]
    assert lecture["complete"]
    beats = [b for s in manifest["scenes"] for b in s["beats"]]
    assert len(beats) >= 3 * len(manifest["scenes"])
    for scene in manifest["scenes"]:
        for beat in scene["beats"]:
            assert beat["lecture_start_s"] == pytest.approx(scene["start_s"] + beat["start_s"], abs=1e-6)
            assert beat["lecture_end_s"] == pytest.approx(scene["start_s"] + beat["end_s"], abs=1e-6)
    for name in ("video", "webm"):
        keys, rate = _keyframes(full_lecture / lecture[name])
        starts = {round(b["lecture_start_s"] * rate) for b in beats}
        assert starts <= keys, (name, sorted(starts - keys)[:10])
        # a sample of seeks on the lecture's timeline: the MP4 lands on the beat's keyframe at
        # once; the WebM's index (Matroska cues by cluster) may land a keyframe earlier, where a
        # browser's accurate seek decodes on to the beat's frame (known; see the issue notes)
        for beat in beats[::7]:
            index, _pixels = _seek_first_frame(full_lecture / lecture[name], round(beat["lecture_start_s"] * rate),
                                               accurate=name == "webm")
            assert index == round(beat["lecture_start_s"] * rate), (name, beat["id"])
