"""Beats: one per narration line of a scene, id ``NN-scene-id/key`` (lecture/voice's ids).

The render worker notes every scene's beats, voiced or silent (:func:`silent_provider`,
:func:`collect`): id, key, start and end on the clip's timeline in seconds and in frames,
and the narration text. The clips get a keyframe at each beat's first frame
(:func:`keyframes`) and the beat's last frame is kept as a still (:func:`still_name`), for
the handout and the speaker view. :func:`scene_fields` merges the beats into a scene's
manifest entry, with their times on the lecture's timeline and, for a voiced render, their
voice's source and length (lecture/voice/publish.py).

Pure Python: importing this module imports neither manim nor PyAV.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["FRAMES_DIR", "collect", "keyframes", "scene_fields", "silent_provider", "still_name", "still_path",
           "stills"]

FRAMES_DIR = "frames"  # in OUT: frames/<NN-scene-id>/<key>.png, the last frame of each beat


def silent_provider(beat_id: str, text: str, lang: str) -> None:
    """The voice provider of a silent render, so that it notes its beats too: it gives no
    voice, which keeps the reading-rate timing (scenes/base.py LectureScene.narrate)."""
    return None


def collect(scene: Any, cues: Sequence[tuple[float, float, str]], fps: float) -> list[dict[str, Any]]:
    """The beats a rendered scene noted, with their text (the caption cue that starts with
    the beat) and frame numbers: ``start_frame`` is the beat's first frame, ``end_frame``
    one past its last.

    >>> class S: voice_beats = [{"id": "01-t/a_say", "start_s": 0.0, "end_s": 2.0},
    ...                         {"id": "01-t/b_say", "start_s": 2.0, "end_s": 3.4}]
    >>> [(b["key"], b["start_frame"], b["end_frame"], b["text"]) for b in collect(S(), [(0, 2, "A"), (2, 3.4, "B")], 15)]
    [('a_say', 0, 30, 'A'), ('b_say', 30, 51, 'B')]
    """
    noted = list(getattr(scene, "voice_beats", []))
    texts = [text for _start, _end, text in cues]
    if len(texts) != len(noted):  # a caption outside a narration block: match by start time
        texts = [min(cues, key=lambda cue: abs(cue[0] - b["start_s"]))[2] if cues else "" for b in noted]
    beats = []
    for beat, text in zip(noted, texts):
        start_frame, end_frame = round(beat["start_s"] * fps), round(beat["end_s"] * fps)
        beats.append({"id": beat["id"], "key": beat["id"].split("/", 1)[1],
                      "start_s": round(beat["start_s"], 6), "end_s": round(beat["end_s"], 6),
                      "start_frame": start_frame, "end_frame": max(end_frame, start_frame + 1), "text": text})
    return beats


def keyframes(beats: Iterable[Mapping[str, Any]]) -> frozenset[int]:
    """The frames that must be keyframes: the clip's first and each beat's first.

    >>> sorted(keyframes([{"start_frame": 0}, {"start_frame": 30}]))
    [0, 30]
    """
    return frozenset({0} | {int(b["start_frame"]) for b in beats})


def still_name(beat: Mapping[str, Any]) -> str:
    """The file name of a beat's last frame (in the scene's folder under ``frames/``).

    >>> still_name({"id": "09-phone-os/observe_say"})
    'observe_say.png'
    """
    return beat["id"].split("/", 1)[1] + ".png"


def still_path(beat: Mapping[str, Any]) -> str:
    """A beat's last frame, relative to OUT.

    >>> still_path({"id": "09-phone-os/observe_say"})
    'frames/09-phone-os/observe_say.png'
    """
    return f"{FRAMES_DIR}/{beat['id'].split('/', 1)[0]}/{still_name(beat)}"


def stills(beats: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """Frame number -> still file name: each beat's last frame."""
    return {int(b["end_frame"]) - 1: still_name(b) for b in beats}


def scene_fields(record: Mapping[str, Any], start_s: float | None,
                 voice_fields: Mapping[str, Any]) -> dict[str, Any]:
    """A scene's ``has_audio`` and ``beats`` for manifest.json: every beat with its id, scene,
    key, text, start and end on the clip's timeline (seconds and frames), on the lecture's
    (``lecture_start_s``/``lecture_end_s``, when the lecture is complete), its last frame
    (``still``) and its voice (``source``, ``duration_s``: ``none`` and 0 when silent).
    A scene rendered before beats were noted falls back to the voice's beats, if any."""
    beats = record.get("beats")
    if beats is None:
        return dict(voice_fields)
    voiced = {b["id"]: b for b in voice_fields.get("beats", [])}
    out = []
    for beat in beats:
        voice = voiced.get(beat["id"], {})
        entry = {"id": beat["id"], "scene": beat["id"].split("/", 1)[0].split("-", 1)[1], "key": beat["key"],
                 "text": beat["text"], "start_s": beat["start_s"], "end_s": beat["end_s"],
                 "start_frame": beat["start_frame"], "end_frame": beat["end_frame"],
                 "still": still_path(beat), "source": voice.get("source", "none"),
                 "duration_s": voice.get("duration_s", 0.0)}
        if start_s is not None:
            entry["lecture_start_s"] = round(start_s + beat["start_s"], 6)
            entry["lecture_end_s"] = round(start_s + beat["end_s"], 6)
        out.append(entry)
    return {"has_audio": bool(voice_fields.get("has_audio")), "beats": out}
