"""The render pipeline's and the publisher's side of ``--voice`` (the worker's is
``render_hook``): check the voice before anything renders, fold it into cache keys and
the no-change signature, count beats per source, join voiced clips, and describe the
beats in manifest.json.

Called from lecture/render/pipeline.py and lecture/publish/assemble.py with a few lines
each; cheap to import (no numpy, no PyAV, no manim).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import VoiceError
from .sources import VoiceSpec, parse_voice, scene_voice_key


def spec_of(options: Any) -> VoiceSpec:
    """The render's voice: ``options.voice`` as parsed (RenderOptions), or parsed now from
    the ``--voice`` / ``--voice-fallback`` strings (VoiceError for bad ones)."""
    voice = getattr(options, "voice", None)
    if isinstance(voice, VoiceSpec):
        return voice
    return parse_voice(voice or "none", getattr(options, "voice_fallback", None))


def check_spec(options: Any) -> VoiceSpec:
    """Parse (if need be) and check the voice before anything renders (:func:`check_voice`)."""
    return check_voice(spec_of(options), options.lang)


def check_voice(spec: VoiceSpec, lang: str) -> VoiceSpec:
    """Check a parsed voice before anything renders: the recordings folder exists and is a
    folder, espeak-ng runs (VoiceError otherwise)."""
    if spec.kind == "recorded":
        from .recorded import _check_root

        _check_root(Path(spec.argument), lang)
    if spec.kind == "espeak" or (spec.kind == "recorded" and spec.fallback == "espeak"):
        from .espeak import espeak_version

        espeak_version()
    return spec


def cache_dir(work_area: Path) -> Path:
    """Voices shared by every render into one OUT (beside the TeX cache)."""
    return Path(work_area) / "voice-cache"


def _stem(spec: Any) -> str:
    return f"{spec.index:02d}-{spec.id}"


def scene_keys(voice: VoiceSpec, lang: str, scene_specs: Iterable[Any]) -> dict[str, str]:
    """Scene id -> its voice key ("" for a silent render: the keys stay as they were)."""
    if voice.silent:
        return {spec.id: "" for spec in scene_specs}
    return {spec.id: scene_voice_key(voice, lang, _stem(spec)) for spec in scene_specs}


def signature(base: str, voice: VoiceSpec, lang: str, scene_specs: Sequence[Any]) -> str:
    """The no-change signature with the voice folded in (unchanged for a silent render):
    re-recording a beat changes it, so the fast path does not skip the render."""
    if voice.silent:
        return base
    payload = {"base": base, "voice": str(voice), "fallback": voice.fallback,
               "scenes": scene_keys(voice, lang, scene_specs)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def check_recordings(voice: VoiceSpec, lang: str, data_path: str | None, scene_ids: Sequence[str],
                     jobs: int, work_area: Path) -> None:
    """For ``recorded:DIR``: every beat of the scenes about to render has a file (or a
    fallback), and every file is a beat (VoiceError listing what is wrong)."""
    if voice.kind != "recorded" or not scene_ids:
        return
    from .script import collect_beats
    from .sources import open_voices

    beats = collect_beats(lang, data_path, list(scene_ids), jobs=jobs)
    open_voices(voice, lang, beats, cache_dir(work_area))


def summary(results: Iterable[Any]) -> str | None:
    """``voices: 70 recorded, 5 espeak (fallback)`` over the rendered scenes' beats
    (``results``: the scenes' SceneResult, or result.json's mappings)."""
    counts: Counter[str] = Counter()
    voice = None
    for result in results:
        part = result.get("voice") if isinstance(result, Mapping) else result.voice
        if not part:
            continue
        voice = part.get("voice")
        counts.update(beat["source"] for beat in part.get("beats", []))
    if voice is None:
        return None
    parts = []
    for kind in ("recorded", "command", "espeak", "none"):
        if counts.get(kind):
            note = " (fallback)" if voice == "recorded" and kind in ("espeak", "none") else ""
            parts.append(f"{counts[kind]} {'silent' if kind == 'none' else kind}{note}")
    return "voices: " + (", ".join(parts) if parts else "no beats") + f" in {sum(counts.values())} beats rendered"


# Publishing ---------------------------------------------------------------------------------
def has_audio(record: Mapping[str, Any]) -> bool:
    return bool((record.get("voice") or {}).get("has_audio"))


def join(clips: Sequence[Path], out: Path, media: Any, options: dict[str, str] | None = None) -> None:
    """lecture.mp4/.webm from the clips by packet copy: with their audio if they have it."""
    import av

    with av.open(str(clips[0])) as first:
        audio = bool(first.streams.audio)
    if audio:
        from .audio import concat_with_audio

        concat_with_audio(clips, out)
    elif options is None:
        media.concat(clips, out)
    else:
        media.concat(clips, out, options)


def scene_fields(record: Mapping[str, Any], start_s: float | None) -> dict[str, Any]:
    """``has_audio`` and the beats (clip timeline, and lecture timeline when the lecture
    is complete) for a scene's manifest entry."""
    part = record.get("voice") or {}
    beats = []
    for beat in part.get("beats", []):
        entry = {"id": beat["id"], "scene": beat["id"].split("/", 1)[0].split("-", 1)[1],
                 "source": beat["source"], "duration_s": beat["duration_s"],
                 "start_s": beat["start_s"], "end_s": beat["end_s"]}
        if start_s is not None:
            entry["lecture_start_s"] = round(start_s + beat["start_s"], 6)
            entry["lecture_end_s"] = round(start_s + beat["end_s"], 6)
        beats.append(entry)
    return {"has_audio": has_audio(record), "beats": beats}


def lecture_fields(scenes_manifest: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Lecture-level voice facts for the manifest: whether it has audio, beats per source."""
    counts: Counter[str] = Counter()
    for scene in scenes_manifest:
        counts.update(beat["source"] for beat in scene.get("beats", []))
    return {"has_audio": bool(scenes_manifest) and all(s.get("has_audio") for s in scenes_manifest),
            "voice_sources": dict(sorted(counts.items()))}


__all__ = ["VoiceError", "cache_dir", "check_recordings", "check_spec", "check_voice", "has_audio", "join", "lecture_fields",
           "scene_fields", "scene_keys", "signature", "spec_of", "summary"]
