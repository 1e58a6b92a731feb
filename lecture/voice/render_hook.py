"""The worker's side of ``--voice``: voice each beat while a scene renders, then put the
mixed track into the scene's clips.

The pipeline passes the voice to each worker in ``NLL_LECTURE_VOICE`` (JSON: kind,
argument, fallback, cache folder; see :func:`worker_env`). In the worker:

1. :func:`open_session` (before the scene is built) makes the scene's voice session; the
   worker sets its ``provide`` as the scene's voice provider (scenes/hooks.py, with the
   session): each narration block asks for its beat's voice (from the disk cache, or
   synthesised / decoded now) and lasts at least that long plus a breath;
2. :func:`after_render` keeps the scene's beats (id, start, end, voice);
3. :func:`finish` mixes the voices at their beats' starts (``mix_track``) and adds the
   track to ``clip.mp4`` (AAC-LC 48 kHz) and ``clip.webm`` (Opus), returning the beats for
   ``result.json``.

Without the variable (``--voice none``, or plain ``manim``) nothing here runs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import EXIT_BAD_INPUT

VOICE_ENV = "NLL_LECTURE_VOICE"


def worker_env(spec: Any, cache_dir: Path) -> dict[str, str]:
    """What a worker needs to voice its scene (empty for a silent render)."""
    if spec is None or spec.silent:
        return {}
    return {VOICE_ENV: json.dumps({"kind": spec.kind, "argument": spec.argument, "fallback": spec.fallback,
                                   "cache": str(cache_dir)}, ensure_ascii=False)}


class _Beat:
    def __init__(self, beat_id: str, text: str) -> None:
        self.id = beat_id
        self.text = text


class Session:
    """One scene's voices: which source voiced each beat and the beats' times."""

    def __init__(self, settings: dict[str, Any], lang: str) -> None:
        from .sources import VoicePlan, VoiceSpec

        self.spec = VoiceSpec(settings["kind"], settings.get("argument", ""), settings.get("fallback", "error"))
        self.lang = lang
        self.plan = VoicePlan(self.spec, lang, Path(settings["cache"]), {}, {})
        self.voices: dict[str, Any] = {}
        self.beats: list[dict[str, Any]] = []
        self._files: dict[str, dict[str, Path]] = {}

    def _kind(self, beat_id: str) -> str:
        if self.spec.kind != "recorded":
            return self.spec.kind
        from .errors import VoiceError
        from .recorded import scene_files

        stem, name = beat_id.split("/", 1)
        if stem not in self._files:
            self._files[stem] = scene_files(Path(self.spec.argument), self.lang, stem)
        if name in self._files[stem]:
            return "recorded"
        if self.spec.fallback == "error":
            raise VoiceError(f"beat {beat_id}: no recording in {Path(self.spec.argument) / self.lang / stem}")
        return self.spec.fallback

    def provide(self, beat_id: str, text: str, lang: str) -> tuple[float, str] | None:
        self.plan.source_of[beat_id] = self._kind(beat_id)
        self.plan.texts[beat_id] = text
        voice = self.plan.voice(_Beat(beat_id, text))
        self.voices[beat_id] = voice
        if voice.path is None or voice.duration_s <= 0:
            return None
        return voice.duration_s, str(voice.path)


def open_session() -> Session | None:
    """This render's voice session (None for a silent render)."""
    raw = os.environ.get(VOICE_ENV)
    if not raw:
        return None
    from scenes.text import current_language

    return Session(json.loads(raw), current_language())


def _session() -> Session | None:
    from scenes import hooks

    return hooks.current().session


def after_render(scene: Any) -> None:
    session = _session()
    if session is not None:
        session.beats = list(getattr(scene, "voice_beats", []))


def finish(out: Path, duration_s: float) -> dict[str, Any] | None:
    """Mix the beats' voices into ``out/clip.mp4`` and ``out/clip.webm``; return the
    ``voice`` part of result.json (None for a silent render)."""
    session = _session()
    if session is None:
        return None
    from .audio import encode_aac_into_mp4, encode_opus_into_webm, mix_track

    placements = [(b["start_s"], b["path"]) for b in session.beats if b["path"]]
    track = mix_track(placements, duration_s)
    encode_aac_into_mp4(out / "clip.mp4", track, out / "clip.mp4")
    encode_opus_into_webm(out / "clip.webm", track, out / "clip.webm")
    beats = []
    for b in session.beats:
        voice = session.voices.get(b["id"])
        beats.append({"id": b["id"], "source": voice.source if voice is not None else "none",
                      "duration_s": round(b["duration_s"], 4), "start_s": round(b["start_s"], 6),
                      "end_s": round(b["end_s"], 6)})
    return {"voice": shown_voice(session.spec),
            "has_audio": True, "beats": beats}


def shown_voice(spec: Any) -> str:
    """The voice as result.json, the state file and the logs name it: ``recorded`` (no
    folder path), a command template by its hash (it may hold a secret), else as given."""
    if spec.kind == "recorded":
        return "recorded"
    if spec.kind == "command":
        from .command import shown_template

        return shown_template(spec.argument)
    return str(spec)


VOICE_ERROR_FILE = "voice-error.txt"  # in the worker's work folder: the one line the render shows


def exit_2_on_voice_error(main: Any, argv: list[str] | None = None) -> int:
    """Run the worker's ``main``; a VoiceError (a corrupt recording, a TTS command that
    fails...) becomes exit status 2 and ``WORK/voice-error.txt`` holding its one line, for
    the pipeline to show as ``error: ...`` (bad input, not a scene bug)."""
    import sys

    from .errors import VoiceError

    try:
        return main(argv)
    except VoiceError as err:
        args = sys.argv[1:] if argv is None else argv
        if "--work" in args and args.index("--work") + 1 < len(args):
            Path(args[args.index("--work") + 1], VOICE_ERROR_FILE).write_text(str(err) + "\n", encoding="utf-8")
        print(f"error: {err}", flush=True)
        return EXIT_BAD_INPUT


def voice_error(work: Path) -> str | None:
    """The worker's VoiceError line, if it stopped on one."""
    try:
        return (Path(work) / VOICE_ERROR_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None
