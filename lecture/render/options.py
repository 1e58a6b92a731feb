"""The render's vocabulary: the quality presets, the exit statuses, one invocation's options
and the failures that end a run. Imports only lecture/errors.py and the voice contract
(lecture/voice/base.py), so that the pipeline, the cluster's jobs and the batch share these
names without importing one another. The exit statuses and the errors' base class are
lecture/errors.py's.

:class:`RenderOptions` holds typed values, parsed once where the options come in
(:meth:`RenderOptions.parse`, called by the CLI and the batch): the quality as a
:class:`Quality` (its preset looked up once), the voice as a parsed ``VoiceSpec``, OUT as
an absolute, resolved path. A bad value is a :class:`RenderFailure` with exit status 2.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..errors import (  # noqa: F401  (the exit statuses, handed on to the render's callers)
    EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, LectureError,
)

from ..voice.base import VoiceSpec


class Preset(NamedTuple):
    """A quality's frame size and rate (a tuple: cache keys and the state hold it as a list)."""

    width: int
    height: int
    fps: int


QUALITY_PRESETS = {
    "preview": Preset(854, 480, 15),
    "medium": Preset(1280, 720, 30),
    "high": Preset(1920, 1080, 60),
    "4k": Preset(3840, 2160, 60),
}

DATA_SNAPSHOT = "work/data.toml"  # the run's copy of the data, beside its work files


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Quality:
    """A ``--quality`` name and its preset.

    >>> q = Quality.named("preview")
    >>> (q.name, q.preset, q.preset.fps, str(q))
    ('preview', Preset(width=854, height=480, fps=15), 15, 'preview (854x480, 15 fps)')
    """

    name: str
    preset: Preset

    @classmethod
    def named(cls, name: str) -> "Quality":
        """The preset called ``name`` (RenderFailure, exit 2, for another name)."""
        preset = QUALITY_PRESETS.get(name) if isinstance(name, str) else None
        if preset is None:
            raise RenderFailure(f"unknown quality {name!r} (one of {', '.join(QUALITY_PRESETS)})", EXIT_BAD_INPUT)
        return cls(name, preset)

    def __str__(self) -> str:
        return f"{self.name} ({self.preset.width}x{self.preset.height}, {self.preset.fps} fps)"


@dataclass(frozen=True)
class RenderOptions:
    """One ``nll-lecture render`` invocation, parsed (:meth:`parse` makes one from the
    values as given)."""

    out: Path  # absolute and resolved: every step of the render names the same folder
    quality: Quality
    voice: VoiceSpec  # --voice and --voice-fallback: none, espeak, recorded:DIR, command:TEMPLATE (lecture/voice)
    data: str | None = None
    lang: str = "ko"
    scenes: tuple[str, ...] = ()  # empty: all, in lecture order
    jobs: int = field(default_factory=default_jobs)
    strict: bool = False  # --strict: the gate's findings (lecture/check) fail the render, OUT unchanged
    cluster: str | None = None  # --cluster tcp://HOST:PORT: scene jobs on that Dask scheduler (lecture/cluster)
    base_url: str | None = None  # --base-url URL: manifest.json's embed snippets name absolute URLs under it

    @classmethod
    def parse(cls, out: str | Path = "out", data: str | None = None, lang: str = "ko", quality: str = "high",
              scenes: tuple[str, ...] | list[str] = (), jobs: int | None = None,
              voice: "str | VoiceSpec | None" = "none",
              voice_fallback: str | None = None, strict: bool = False, cluster: str | None = None,
              base_url: str | None = None) -> "RenderOptions":
        """The options from the values a user gave: quality, voice and OUT parsed once
        (RenderFailure, exit 2, naming the bad value). ``voice`` may be a ``VoiceSpec``
        parsed already (a batch plan's variant), which is taken as it is."""
        from ..voice.errors import VoiceError
        from ..voice.sources import parse_voice

        quality_ = Quality.named(quality)
        try:
            if isinstance(voice, VoiceSpec):
                if voice_fallback is not None:
                    raise VoiceError("--voice-fallback: give it inside the parsed voice, not beside it")
                voice_ = voice
            else:
                voice_ = parse_voice(voice or "none", voice_fallback)
        except VoiceError as err:
            raise RenderFailure(str(err), EXIT_BAD_INPUT) from None
        return cls(out=resolve_out(out), quality=quality_, voice=voice_, data=data, lang=lang,
                   scenes=tuple(dict.fromkeys(scenes or ())), jobs=default_jobs() if jobs is None else jobs,
                   strict=bool(strict), cluster=cluster, base_url=base_url)


def resolve_out(out: str | Path) -> Path:
    """OUT as every step of the render names it: ``~`` expanded, absolute, links resolved
    (RenderFailure, exit 2, if it cannot be: a loop of symbolic links)."""
    try:
        return Path(out).expanduser().resolve()
    except (OSError, RuntimeError) as err:
        raise RenderFailure(f"output {out}: {getattr(err, 'strerror', None) or err}; choose another --out",
                            EXIT_BAD_INPUT) from None


class RenderFailure(LectureError):
    """Ends a run; ``str()`` is the one line shown after ``error:``, ``status`` the exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED):
        super().__init__(message, status)


class SceneFailed(RenderFailure):
    """A worker failed; the message names the scene and its log file."""
