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
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .base import (  # noqa: F401  (the contract, handed on: callers import it from here too)
    FALLBACKS, KINDS, MAX_BEAT_S, PROCESSING, BeatLike, Voice, VoiceCache, VoiceSource, VoiceSpec, _digest,
    file_sha256, prepare_voice, voice_key,
)
from .errors import VoiceError


# The --voice option ----------------------------------------------------------------------
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
