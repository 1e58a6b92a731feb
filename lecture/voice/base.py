"""The voice contract: what every source of a beat's voice is and makes.

A parsed ``--voice`` (:class:`VoiceSpec`), the preparation settings every key covers
(``PROCESSING``), a prepared :class:`Voice`, the disk :class:`VoiceCache` and the
:class:`VoiceSource` base class that ``espeak.py``, ``command.py`` and ``recorded.py``
implement. Choosing and opening a source (the factory) is ``sources.py``; it imports
this module and the sources, never the other way round.
"""

from __future__ import annotations

import hashlib
import json
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..hashing import sha256_file
from . import constants
from .errors import VoiceError

if TYPE_CHECKING:  # numpy and PyAV load only when audio is really made (keys stay cheap)
    import numpy as np

    from .audio import Loudness

KINDS = ("none", "espeak", "recorded", "command")
FALLBACKS = ("error", "espeak", "none")
MAX_BEAT_S = constants.MAX_BEAT_S
# Everything the preparation of a voice depends on: part of every cache key.
PROCESSING: dict[str, Any] = {
    "version": 1,
    "rate": constants.RATE,
    "target_lufs": constants.TARGET_LUFS,
    "peak_dbfs": constants.PEAK_DBFS,
    "silence_db": constants.SILENCE_DB,
    "margin_s": constants.TRIM_MARGIN_S,
    "window_s": constants.TRIM_WINDOW_S,
    "max_beat_s": constants.MAX_BEAT_S,
}


class BeatLike(Protocol):
    id: str
    text: str



# A parsed --voice ------------------------------------------------------------------------
@dataclass(frozen=True)
class VoiceSpec:
    """A parsed ``--voice`` (and ``--voice-fallback``).

    ``argument`` is the recordings folder (absolute) for ``recorded``, the template for
    ``command``, empty otherwise. ``fallback`` is ``error`` unless a fallback was given.
    """

    kind: str
    argument: str = ""
    fallback: str = "error"

    def __str__(self) -> str:
        return f"{self.kind}:{self.argument}" if self.argument else self.kind

    @property
    def silent(self) -> bool:
        return self.kind == "none"

    def to_dict(self) -> dict[str, str]:
        """The one serialisation of a voice, as it travels to a worker (JSON, pickle).

        >>> VoiceSpec.from_dict(VoiceSpec("recorded", "/r", "espeak").to_dict())
        VoiceSpec(kind='recorded', argument='/r', fallback='espeak')
        """
        return {"kind": self.kind, "argument": self.argument, "fallback": self.fallback}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> "VoiceSpec":
        return cls(value["kind"], value.get("argument", ""), value.get("fallback", "error"))


# Keys and the cache -----------------------------------------------------------------------
def _digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def voice_key(beat_text: str | None, lang: str, kind: str, engine: str,
              settings: dict[str, Any] | None = None, file_sha256: str | None = None) -> str:
    """The cache key of one voice: sha256 of the text (None for a recording: its bytes
    decide), language, source kind, engine (version or template), the source's settings,
    the recording's sha256 and the preparation settings (``PROCESSING``)."""
    return _digest({"text": beat_text, "lang": lang, "kind": kind, "engine": engine,
                    "settings": settings or {}, "file_sha256": file_sha256, "processing": PROCESSING})


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file's bytes (the render cache's own hash)."""
    return sha256_file(path)


@dataclass(frozen=True)
class Voice:
    """A beat's voice, ready to mix: ``path`` is a mono 48 kHz float32 WAV (None for no voice)."""

    beat_id: str
    source: str               # "recorded", "espeak", "command" or "none"
    path: Path | None
    duration_s: float         # 0.0 for no voice
    origin: str = ""          # the recording's path, "espeak-ng 1.51 ko", the template
    loudness: Loudness | None = None
    trimmed_start_s: float = 0.0
    trimmed_end_s: float = 0.0
    cached: bool = False      # came from the cache, nothing was run or decoded
    key: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.beat_id, "source": self.source, "duration_s": round(self.duration_s, 4)}
        if self.origin:
            out["origin"] = self.origin
        if self.loudness is not None:
            out["loudness"] = self.loudness.as_dict()
        return out


class VoiceCache:
    """``<folder>/<key>.wav`` + ``<key>.json``; the JSON (written last) marks a complete entry."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def wav(self, key: str) -> Path:
        return self.folder / f"{key}.wav"

    def get(self, key: str, beat_id: str) -> Voice | None:
        meta_path = self.folder / f"{key}.json"
        wav = self.wav(key)
        # The cache is beside OUT, writable by whoever can write there: only regular files
        # (never a link to a recording elsewhere) and well-formed entries count.
        if not (_regular_file(meta_path) and _regular_file(wav)):
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            from .audio import Loudness

            loud = meta.get("loudness")
            return Voice(beat_id, str(meta["source"]), wav, float(meta["duration_s"]), str(meta.get("origin", "")),
                         Loudness(**loud) if loud else None, float(meta.get("trimmed_start_s", 0.0)),
                         float(meta.get("trimmed_end_s", 0.0)), cached=True, key=key)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, voice: Voice, samples: np.ndarray) -> Voice:
        from .audio import write_wav

        self.folder.mkdir(parents=True, exist_ok=True)
        wav = self.wav(key)
        write_wav(wav, samples)
        meta = {"source": voice.source, "duration_s": voice.duration_s, "origin": voice.origin,
                "loudness": None if voice.loudness is None else voice.loudness.__dict__,
                "trimmed_start_s": voice.trimmed_start_s, "trimmed_end_s": voice.trimmed_end_s,
                "beat_id": voice.beat_id}
        meta_path = self.folder / f"{key}.json"
        tmp = meta_path.with_name(f".{meta_path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, meta_path)
        return Voice(voice.beat_id, voice.source, wav, voice.duration_s, voice.origin, voice.loudness,
                     voice.trimmed_start_s, voice.trimmed_end_s, cached=False, key=key)


def _regular_file(path: Path) -> bool:
    import stat

    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def prepare_voice(samples: np.ndarray, where: str, rate: int = constants.RATE,
                  max_s: float = MAX_BEAT_S) -> tuple[np.ndarray, Loudness, float, float]:
    """Trim, check the length, normalise loudness; ``where`` names the file or beat in errors."""
    from . import audio

    trimmed, cut_start, cut_end = audio.trim_silence(samples, rate)
    if trimmed.size == 0:
        raise VoiceError(f"{where}: silent (no sound at all)")
    if trimmed.size / rate > max_s:
        raise VoiceError(f"{where}: {trimmed.size / rate:.1f} s of sound, longer than the {max_s:.0f} s a beat may last")
    try:
        normalised, loudness = audio.normalise_loudness(trimmed, rate)
    except ValueError:
        raise VoiceError(f"{where}: silent (too quiet to measure its loudness)") from None
    return normalised, loudness, cut_start, cut_end


# Sources ----------------------------------------------------------------------------------
class VoiceSource(ABC):
    """Turns a beat (id, language, text) into a prepared, cached :class:`Voice`."""

    kind: str = ""

    def __init__(self, cache: VoiceCache) -> None:
        self.cache = cache

    @abstractmethod
    def key(self, beat_id: str, lang: str, text: str) -> str:
        """The cache key of this beat's voice (cheap: no synthesis, no decoding)."""

    @abstractmethod
    def produce(self, beat_id: str, lang: str, text: str, workdir: Path) -> tuple[np.ndarray, str, str]:
        """The raw audio (mono float32 at 48 kHz), its origin, and how errors name it."""

    def resolve(self, beat_id: str, lang: str, text: str) -> Voice:
        """The beat's voice: from the cache, or produced, prepared and cached."""
        key = self.key(beat_id, lang, text)
        hit = self.cache.get(key, beat_id)
        if hit is not None:
            return hit
        import tempfile

        self.cache.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".work-", dir=self.cache.folder) as tmp:
            raw, origin, where = self.produce(beat_id, lang, text, Path(tmp))
        samples, loudness, cut_start, cut_end = prepare_voice(raw, where)
        voice = Voice(beat_id, self.kind, None, samples.size / constants.RATE, origin, loudness, cut_start, cut_end)
        return self.cache.put(key, voice, samples)

    def scene_key(self, lang: str, scene_stem: str, texts: Sequence[str] | None) -> str:
        """What a scene's voices depend on, beyond its own cache key: the engine and, if
        given, the texts (a TTS voice is a function of its text)."""
        return _digest({"kind": self.kind, "engine": self.engine_id(lang), "lang": lang,
                        "texts": list(texts) if texts is not None else None, "processing": PROCESSING})

    def engine_id(self, lang: str) -> str:
        return self.kind
