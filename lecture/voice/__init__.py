"""A voice on every narration beat: the script, the voice sources, and audio for the clips.

A *beat* is one narration line of a scene (``NN-scene-id/key``); ``collect_beats`` lists
them (``nll-lecture script``). ``--voice`` picks where each beat's voice comes from
(none, espeak-ng, the lecturer's recordings, any TTS command) and ``--voice-fallback``
what stands in for a missing recording. The one entry point for rendering is
:func:`open_voices`: it checks the source against the beats and returns a
:class:`VoicePlan`, whose ``voice(beat)`` is a trimmed, -16 LUFS, 48 kHz mono WAV from a
disk cache (``key(beat)`` / ``scene_voice_key`` for render cache keys). ``audio`` puts
the voices into the published files: ``mix_track``, ``encode_aac_into_mp4``,
``encode_opus_into_webm`` and ``concat_with_audio`` (packet copy, no drift).

Names load on first use, so ``import lecture.voice`` stays cheap (no numpy, no PyAV).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import VoiceError

__all__ = [
    "Beat",
    "Voice",
    "VoiceError",
    "VoicePlan",
    "VoiceSource",
    "VoiceSpec",
    "add_script_arguments",
    "add_voice_arguments",
    "collect_beats",
    "concat_with_audio",
    "encode_aac_into_mp4",
    "encode_opus_into_webm",
    "format_script",
    "mix_track",
    "open_voices",
    "parse_voice",
    "scene_voice_key",
    "script_main",
    "speech_energy",
    "voice_key",
    "voice_spec_from_args",
]

_HOMES = {
    "Beat": "script", "add_script_arguments": "script", "collect_beats": "script", "format_script": "script",
    "script_main": "script",
    "Voice": "sources", "VoicePlan": "sources", "VoiceSource": "sources", "VoiceSpec": "sources",
    "add_voice_arguments": "sources", "open_voices": "sources", "parse_voice": "sources",
    "scene_voice_key": "sources", "voice_key": "sources", "voice_spec_from_args": "sources",
    "concat_with_audio": "audio", "encode_aac_into_mp4": "audio", "encode_opus_into_webm": "audio",
    "mix_track": "audio", "speech_energy": "audio",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
