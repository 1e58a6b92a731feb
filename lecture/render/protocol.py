"""The worker protocol: what a scene's render process is asked (:class:`SceneRequest`) and
what it answers (:class:`SceneResult`, the ``result.json`` it writes last).

One request, three users: the local process pool (lecture/render/executors.py), the Dask or
batch job (lecture/cluster/job.py) and the worker itself (lecture/render/worker.py, which
reads its request back with :meth:`SceneRequest.from_environ`). The request becomes a
command line (:meth:`SceneRequest.argv`) and an environment (:meth:`SceneRequest.env`);
the voice travels in it as ``VoiceSpec.to_dict`` (lecture/voice/render_hook.py).

Cheap to import: no manim, no mathcore.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..voice.base import VoiceSpec
from .options import DATA_SNAPSHOT

__all__ = ["DATA_SNAPSHOT", "PARENT_ENV", "RESULT_FILE", "TEX_CACHE_ENV", "WORKER_MODULE", "SceneRequest",
           "SceneResult", "last_error_line", "snapshot_of", "write_snapshot"]

WORKER_MODULE = "lecture.render.worker"
PARENT_ENV = "NLL_LECTURE_RENDER_PARENT"
TEX_CACHE_ENV = "NLL_LECTURE_TEX_CACHE"
RESULT_FILE = "result.json"  # in the request's work folder: its presence tells the scene succeeded


@dataclass(frozen=True)
class SceneRequest:
    """One scene to render in a worker process: which, how big, where, with what."""

    scene: str  # the scene's id
    stem: str  # NN-id: its work folder's and log's name
    preset: tuple[int, int, int]  # width, height, fps
    work: Path  # the worker's folder: media/, out/ (the published files), result.json
    lang: str
    log: Path | None = None  # where the worker's stdout and stderr go (the worker itself does not know)
    data_file: Path | None = None  # the run's data snapshot (None: the deck's built-in data)
    tex_cache: Path | None = None  # TeX SVGs shared between scenes and renders
    voice: VoiceSpec | None = None  # None or kind none: silent
    voice_cache: Path | None = None  # voices shared between renders (lecture/voice/publish.cache_dir)
    # The scene's cache key and its parts, as this render computed them: a cluster's worker
    # refuses a request its installation would key otherwise (lecture/cluster/job.py).
    key: str = ""
    parts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``NN id``, as progress and errors name the scene."""
        return self.stem.replace("-", " ", 1)

    @property
    def result_file(self) -> Path:
        return self.work / RESULT_FILE

    def argv(self) -> list[str]:
        """The worker's command line."""
        width, height, fps = self.preset
        return [sys.executable, "-m", WORKER_MODULE, "--scene", self.scene, "--width", str(width),
                "--height", str(height), "--fps", str(fps), "--work", str(self.work)]

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """The worker's environment: ``base`` (this process's) with the request's language,
        data, caches and voice, this process as its parent, the project first on the path and
        a fixed hash seed."""
        from scenes import DATA_ENV, LANG_ENV

        from ..hashing import PROJECT_ROOT
        from ..voice import render_hook

        env = dict(os.environ if base is None else base)
        if self.tex_cache is not None:
            env[TEX_CACHE_ENV] = str(self.tex_cache)
        else:
            env.pop(TEX_CACHE_ENV, None)
        env[LANG_ENV] = self.lang
        # The run's snapshot of the data (read once by the parent), never the user's file: a file
        # edited during the render cannot give the scenes a mix of versions.
        env[DATA_ENV] = str(self.data_file) if self.data_file is not None else ""
        env["PYTHONHASHSEED"] = "0"  # frames must not depend on set/dict-of-str order
        env[PARENT_ENV] = str(os.getpid())
        root = str(PROJECT_ROOT)
        env["PYTHONPATH"] = os.pathsep.join([root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
        env.setdefault("PYTHONUNBUFFERED", "1")
        env.pop(render_hook.VOICE_ENV, None)
        env.update(render_hook.worker_env(self.voice, self.voice_cache or Path()))
        return env

    @classmethod
    def from_environ(cls, argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> "SceneRequest":
        """The request as the worker reads it: its command line (``sys.argv[1:]``) and
        environment (``os.environ``)."""
        from scenes import DATA_ENV, LANG_ENV

        from ..voice import render_hook

        environ = os.environ if environ is None else environ
        parser = argparse.ArgumentParser(prog=f"python -m {WORKER_MODULE}")
        parser.add_argument("--scene", required=True)
        parser.add_argument("--width", type=int, required=True)
        parser.add_argument("--height", type=int, required=True)
        parser.add_argument("--fps", type=int, required=True)
        parser.add_argument("--work", type=Path, required=True)
        args = parser.parse_args(argv)
        voice = json.loads(environ[render_hook.VOICE_ENV]) if environ.get(render_hook.VOICE_ENV) else None
        return cls(scene=args.scene, stem=args.work.name, preset=(args.width, args.height, args.fps), work=args.work,
                   lang=environ.get(LANG_ENV, ""),
                   data_file=Path(environ[DATA_ENV]) if environ.get(DATA_ENV) else None,
                   tex_cache=Path(environ[TEX_CACHE_ENV]) if environ.get(TEX_CACHE_ENV) else None,
                   voice=VoiceSpec.from_dict(voice) if voice else None,
                   voice_cache=Path(voice["cache"]) if voice and voice.get("cache") else None)


@dataclass(frozen=True)
class SceneResult:
    """What a worker measured of its scene (``result.json``): the video, the codecs string,
    the caption cues, the narration beats, the gate's check record, the poster's time and
    score, the voice's beats (None when silent), the render and encode times."""

    video: dict[str, Any]  # media.probe: duration_s, frames, fps, width, height...
    codecs: str | None = None
    cues: list[Any] = field(default_factory=list)
    beats: list[Any] | None = None
    check: dict[str, Any] | None = None
    poster_time_s: float | None = None
    poster_score: float | None = None
    voice: dict[str, Any] | None = None
    seconds: dict[str, float] | None = None

    @property
    def duration_s(self) -> float:
        return float(self.video["duration_s"])

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> "SceneResult":
        names = cls.__dataclass_fields__
        return cls(**{name: item for name, item in value.items() if name in names})

    def to_dict(self) -> dict[str, Any]:
        """The result as ``result.json`` holds it (fields that are None left out)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if getattr(self, name) is not None}

    @classmethod
    def from_file(cls, path: Path) -> "SceneResult":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_file(self, path: Path) -> None:
        """Write ``path`` atomically (a reader never sees half a result)."""
        tmp = Path(path).with_name(Path(path).name + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)


def last_error_line(log: str) -> str:
    """The line of a worker's log that tells why it failed: the last naming an error or
    exception, else the last line (at most 200 characters).

    >>> last_error_line("worker: scene 01\\nTraceback...\\nRuntimeError: boom\\nworker: cleanup\\n")
    'RuntimeError: boom'
    """
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for line in reversed(lines):
        if "Error" in line or "Exception" in line:
            return line[:200]
    return lines[-1][:200] if lines else ""


# The run's data snapshot (under work/, so a failed run keeps only its logs): every worker
# of the run reads it, whatever happens to the user's file.
def write_snapshot(run_dir: Path, data: Any) -> Path:
    """Write the run's data snapshot once, before any worker starts."""
    from mathcore import snapshot_text

    path = run_dir / DATA_SNAPSHOT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(snapshot_text(data), encoding="utf-8")
    return path


def snapshot_of(run_dir: Path) -> Path | None:
    """The run's data snapshot, if it was written."""
    path = run_dir / DATA_SNAPSHOT
    return path if path.is_file() else None
