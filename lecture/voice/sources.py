"""Where a beat's voice comes from: ``--voice SOURCE`` and ``--voice-fallback``.

``SOURCE`` is one of

- ``none`` (default): no voice, today's silent lecture;
- ``espeak``: espeak-ng, the offline draft voice (``lecture/voice/espeak.py``);
- ``recorded:DIR``: the lecturer's recordings, ``DIR/<lang>/<NN-scene-id>/<key>.<ext>``
  (``lecture/voice/recorded.py``);
- ``command:TEMPLATE``: any text-to-speech program run through ``sh -c``
  (``lecture/voice/command.py``).

``--voice-fallback espeak|none`` says what stands in for a beat that has no recording
(default: a missing recording is an error). Every source turns a beat (id, language,
text) into a :class:`Voice`: a mono 48 kHz float32 WAV, silence trimmed, at -16 LUFS
with peaks at most -1 dBFS, kept in a disk cache keyed by a hash of everything the audio
depends on, so an unchanged line is never synthesised or decoded twice.

:func:`open_voices` is the entry point: it checks the source against the beats (missing
and misnamed recordings are found before anything renders) and returns a
:class:`VoicePlan` that resolves beats, gives cache keys and counts beats per source.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

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


# The --voice option ----------------------------------------------------------------------
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


def parse_voice(value: str, fallback: str | None = None) -> VoiceSpec:
    """``none``, ``espeak``, ``recorded:DIR`` or ``command:TEMPLATE`` (and a fallback).

    >>> parse_voice("espeak")
    VoiceSpec(kind='espeak', argument='', fallback='error')
    """
    value = value.strip()
    kind, sep, argument = value.partition(":")
    kind = kind.strip().lower()
    if fallback is not None and fallback not in FALLBACKS[1:]:
        raise VoiceError(f"--voice-fallback: expected espeak or none, got {fallback!r}")
    if kind not in KINDS or (kind in ("none", "espeak") and sep):
        raise VoiceError(f"--voice: expected none, espeak, recorded:DIR or command:TEMPLATE, got {value!r}")
    if kind in ("recorded", "command") and not argument.strip():
        what = "a folder" if kind == "recorded" else "a command template"
        raise VoiceError(f"--voice {kind}: needs {what} after '{kind}:'")
    if fallback is not None and kind != "recorded":
        raise VoiceError(f"--voice-fallback {fallback}: only applies to --voice recorded:DIR")
    if kind == "recorded":
        argument = str(Path(os.path.expanduser(argument.strip())).absolute())
    if kind == "command":
        from .command import check_template

        check_template(argument)
    return VoiceSpec(kind, argument, fallback or "error")


def add_voice_arguments(parser: argparse.ArgumentParser) -> None:
    """``--voice SOURCE`` and ``--voice-fallback espeak|none`` (for ``nll-lecture render``)."""
    parser.add_argument("--voice", metavar="SOURCE", default="none",
                        help="none (default), espeak, recorded:DIR or command:TEMPLATE "
                             "({text} = file with the line, {out} = WAV to write, {lang})")
    parser.add_argument("--voice-fallback", choices=FALLBACKS[1:], default=None,
                        help="with recorded:DIR, what stands in for a beat without a recording "
                             "(default: a missing recording is an error)")


def voice_spec_from_args(args: argparse.Namespace) -> VoiceSpec:
    return parse_voice(getattr(args, "voice", "none") or "none", getattr(args, "voice_fallback", None))


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
    from ..render.cache import sha256_file

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


def make_source(kind: str, argument: str, cache: VoiceCache) -> VoiceSource:
    if kind == "espeak":
        from .espeak import EspeakSource

        return EspeakSource(cache)
    if kind == "command":
        from .command import CommandSource

        return CommandSource(cache, argument)
    if kind == "recorded":
        from .recorded import RecordedSource

        return RecordedSource(cache, argument)
    raise ValueError(f"no voice source {kind!r}")


# The plan ---------------------------------------------------------------------------------
@dataclass
class VoicePlan:
    """Which source voices each beat, checked against the beats before rendering.

    ``source_of[beat_id]`` is ``"recorded"``, ``"espeak"``, ``"command"`` or ``"none"``.
    """

    spec: VoiceSpec
    lang: str
    cache_dir: Path
    source_of: dict[str, str]
    texts: dict[str, str]
    _sources: dict[str, VoiceSource] = field(default_factory=dict)

    def source(self, kind: str) -> VoiceSource | None:
        if kind == "none":
            return None
        if kind not in self._sources:
            argument = self.spec.argument if kind == self.spec.kind else ""
            self._sources[kind] = make_source(kind, argument, VoiceCache(self.cache_dir))
        return self._sources[kind]

    def key(self, beat: BeatLike) -> str:
        """The beat's voice cache key ("" for no voice)."""
        source = self.source(self.source_of[beat.id])
        return "" if source is None else source.key(beat.id, self.lang, beat.text)

    def voice(self, beat: BeatLike) -> Voice:
        """The beat's prepared voice (a Voice with source "none" and no path if silent)."""
        kind = self.source_of.get(beat.id)
        if kind is None:
            raise VoiceError(f"beat {beat.id}: not in the voice plan")
        source = self.source(kind)
        if source is None:
            return Voice(beat.id, "none", None, 0.0)
        return source.resolve(beat.id, self.lang, beat.text)

    def voices(self, beats: Iterable[BeatLike]) -> list[Voice]:
        return [self.voice(beat) for beat in beats]

    def counts(self) -> dict[str, int]:
        """Beats per source, e.g. {"recorded": 70, "espeak": 5}."""
        return dict(Counter(self.source_of.values()))

    def summary(self) -> str:
        """One line for the render's output, e.g. ``voices: 70 recorded, 5 espeak (fallback)``."""
        counts = self.counts()
        parts = []
        for kind in ("recorded", "command", "espeak", "none"):
            if counts.get(kind):
                note = " (fallback)" if self.spec.kind == "recorded" and kind in ("espeak", "none") else ""
                parts.append(f"{counts[kind]} {'silent' if kind == 'none' else kind}{note}")
        return "voices: " + (", ".join(parts) if parts else "no beats")


def open_voices(spec: VoiceSpec, lang: str, beats: Sequence[BeatLike], cache_dir: str | Path) -> VoicePlan:
    """Check ``spec`` against ``beats`` and plan which source voices each one.

    For ``recorded:DIR`` this finds every problem with the folder at once: DIR not a
    folder, a scene folder or file whose name matches no scene or beat (naming the closest
    one), two files for one beat, and beats with no file (all listed in one error, unless
    the fallback is espeak or none). Nothing is decoded or synthesised here.
    """
    source_of: dict[str, str] = {}
    if spec.kind == "recorded":
        from .recorded import check_recordings

        found = check_recordings(Path(spec.argument), lang, beats)
        missing = [beat.id for beat in beats if beat.id not in found]
        if missing and spec.fallback == "error":
            raise VoiceError(
                f"recorded:{spec.argument}: {len(missing)} of {len(beats)} beats have no recording in "
                f"{Path(spec.argument) / lang} (record them, or use --voice-fallback espeak|none): {', '.join(missing)}")
        for beat in beats:
            source_of[beat.id] = "recorded" if beat.id in found else spec.fallback
    else:
        for beat in beats:
            source_of[beat.id] = spec.kind
    if "espeak" in source_of.values():
        from .espeak import espeak_version

        espeak_version()  # fails now, in one line, if espeak-ng is not installed
    return VoicePlan(spec, lang, Path(cache_dir), source_of, {b.id: b.text for b in beats})


def scene_voice_key(source: VoiceSpec | str, lang: str, scene_stem: str, texts: Sequence[str] | None = None) -> str:
    """What one scene's voices depend on, to fold into the scene's render cache key.

    ``""`` for ``none`` (the silent key stays as it is). For a TTS source: the engine
    (espeak-ng version / the template), its settings, the preparation settings and the
    scene's narration ``texts`` if given (leave None when the scene key already covers
    everything the texts come from). For ``recorded:DIR``: the names and sha256 of the
    scene's files in ``DIR/<lang>/<scene_stem>/`` and the fallback (with its engine).
    Cheap: no synthesis, no decoding; it reads the scene's recordings to hash them.
    """
    spec = parse_voice(source) if isinstance(source, str) else source
    if spec.kind == "none":
        return ""
    cache = VoiceCache(os.devnull)
    if spec.kind == "recorded":
        from .recorded import scene_files

        files = {name: file_sha256(path) for name, path in scene_files(Path(spec.argument), lang, scene_stem).items()}
        fallback = ""
        if spec.fallback == "espeak":
            fallback = make_source("espeak", "", cache).scene_key(lang, scene_stem, texts)
        return _digest({"kind": "recorded", "lang": lang, "files": files, "fallback": spec.fallback,
                        "fallback_key": fallback, "processing": PROCESSING})
    return make_source(spec.kind, spec.argument, cache).scene_key(lang, scene_stem, texts)
