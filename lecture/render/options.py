"""The render's vocabulary: the quality presets, the exit statuses, one invocation's options
and the failures that end a run. Imports nothing of the project, so that the pipeline, the
cluster's jobs and the batch share these names without importing one another. The exit
statuses and the errors' base class are lecture/errors.py's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import (  # noqa: F401  (the exit statuses, handed on to the render's callers)
    EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, LectureError,
)

QUALITY_PRESETS = {
    "preview": (854, 480, 15),
    "medium": (1280, 720, 30),
    "high": (1920, 1080, 60),
    "4k": (3840, 2160, 60),
}

DATA_SNAPSHOT = "work/data.toml"  # the run's copy of the data, beside its work files


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class RenderOptions:
    """One ``nll-lecture render`` invocation."""

    out: Path = Path("out")
    data: str | None = None
    lang: str = "ko"
    quality: str = "high"
    scenes: tuple[str, ...] = ()  # empty: all, in lecture order
    jobs: int = field(default_factory=default_jobs)
    voice: str = "none"  # --voice: none, espeak, recorded:DIR, command:TEMPLATE (lecture/voice)
    voice_fallback: str | None = None  # --voice-fallback espeak|none (recorded only)
    strict: bool = False  # --strict: the gate's findings (lecture/check) fail the render, OUT unchanged
    cluster: str | None = None  # --cluster tcp://HOST:PORT: scene jobs on that Dask scheduler (lecture/cluster)
    base_url: str | None = None  # --base-url URL: manifest.json's embed snippets name absolute URLs under it


class RenderFailure(LectureError):
    """Ends a run; ``str()`` is the one line shown after ``error:``, ``status`` the exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED):
        super().__init__(message, status)


class SceneFailed(RenderFailure):
    """A worker failed; the message names the scene and its log file."""
