"""One scene job, as it runs on a Dask worker (or in a thread of this machine for a batch).

:func:`run_scene_job` takes a :class:`SceneJob` (everything the job needs, plain data: it
travels to the worker by pickle) and returns a :class:`JobResult` holding the scene's
published files as bytes, its measured result and its log. On the worker it

1. checks that this machine's code and library versions give the client's cache key
   (:class:`VersionMismatch` otherwise: a worker never renders something other than what
   the key promises);
2. lays out a run folder like the pipeline's (``AREA/run-*/work/NN-id``, ``logs/``, the
   data snapshot in ``work/data.toml``) and runs ``python -m lecture.render.worker`` in it,
   exactly as the local pipeline does, the TeX cache in ``AREA/tex-cache``;
3. reads the files back, cleans the log as the publisher would (so a scene rendered on a
   worker publishes the same bytes as one rendered here), and removes the run folder.

AREA is the worker machine's own folder (``NLL_LECTURE_WORKER_AREA``, default
``~/.cache/nll-lecture/worker``), or the folder a batch passes.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..errors import EXIT_BAD_INPUT, EXIT_FAILED, LectureError
from ..render.options import DATA_SNAPSHOT
from ..render.protocol import SceneRequest, SceneResult, last_error_line
from ..voice.base import VoiceSpec

__all__ = ["AREA_ENV", "JobFailed", "JobResult", "SceneJob", "VersionMismatch", "default_area", "run_scene_job",
           "stop_local_jobs", "where_am_i"]

AREA_ENV = "NLL_LECTURE_WORKER_AREA"
PROGRESS_TOPIC = "nll-lecture-scene-started"
# The parts of a scene's key that this machine's installation decides (the rest is data,
# language, quality: sent by the client).
INSTALLATION_PARTS = ("scene_file", "shared_code", "pipeline_code", "encoder", "versions")


@dataclass(frozen=True)
class SceneJob:
    """One scene to render: what the worker needs and the key the client computed."""

    scene: str  # scene id
    stem: str  # NN-id
    preset: tuple[int, int, int]  # width, height, fps
    lang: str
    data_text: str  # the run's data snapshot (mathcore.snapshot_text)
    key: str
    parts: dict[str, Any]  # the key's parts, as the client computed them
    voice: VoiceSpec | None = None  # None: silent
    area: str | None = None  # None: the worker's own area

    def request(self, area: Path, run_dir: Path) -> SceneRequest:
        """The worker process's request, in the run folder ``run_dir`` of this machine's
        ``area``: its work folder and log as the pipeline lays them out, the run's data
        snapshot, this machine's TeX and voice caches."""
        from ..voice.publish import cache_dir

        return SceneRequest(scene=self.scene, stem=self.stem, preset=tuple(self.preset),
                            work=run_dir / "work" / self.stem, lang=self.lang,
                            log=run_dir / "logs" / f"{self.stem}.log", data_file=run_dir / DATA_SNAPSHOT,
                            tex_cache=area / "tex-cache", voice=self.voice, voice_cache=cache_dir(area))


@dataclass(frozen=True)
class JobResult:
    """A rendered scene: its files (name -> bytes), result.json, cleaned log, where it ran."""

    scene: str
    key: str
    worker: str
    result: SceneResult
    files: dict[str, bytes]
    log: str


class VersionMismatch(LectureError):
    """This machine's code or libraries give another key than the client's (one line)."""


class JobFailed(LectureError):
    """The scene failed on the worker. args: (one line, the cleaned log, kind), kind
    ``voice`` for bad voice input (exit 2 on the client), else ``failed``."""

    def __init__(self, message: str, log: str = "", kind: str = "failed"):
        Exception.__init__(self, message, log, kind)  # all three in args: it crosses to the client pickled

    @property
    def exit_status(self) -> int:  # type: ignore[override]
        return EXIT_BAD_INPUT if self.kind == "voice" else EXIT_FAILED

    @property
    def message(self) -> str:
        return self.args[0]

    @property
    def log(self) -> str:
        return self.args[1]

    @property
    def kind(self) -> str:
        return self.args[2]

    def __str__(self) -> str:
        return self.args[0]


def default_area() -> Path:
    """The worker machine's folder for runs, the TeX cache and voices."""
    if os.environ.get(AREA_ENV):
        return Path(os.environ[AREA_ENV]).expanduser()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "nll-lecture" / "worker"


def where_am_i() -> str:
    """The Dask worker's address, or ``this machine`` outside a worker."""
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "this machine"


def installation_mismatch(job: SceneJob) -> str | None:
    """What of this installation gives another key than the client's, or None if the key is
    the same. Pure apart from hashing this installation's sources."""
    from scenes import SCENES_BY_ID

    from ..render import cache

    spec = SCENES_BY_ID.get(job.scene)
    if spec is None:
        return f"it has no scene {job.scene!r}"
    parts = cache.scene_key_parts(spec, sources=cache.collect_sources(), sections=job.parts.get("data") or {},
                                  lang=job.lang, quality=job.parts["quality"][0], preset=tuple(job.preset))
    if job.parts.get("voice"):
        parts["voice"] = job.parts["voice"]
    if cache.key_of(parts) == job.key:
        return None
    differing = []
    for name in INSTALLATION_PARTS:
        mine, theirs = parts.get(name), job.parts.get(name)
        if mine == theirs:
            continue
        if name == "versions" and isinstance(mine, dict) and isinstance(theirs, dict):
            differing += [f"{lib} {mine.get(lib)} here, {theirs.get(lib)} on the client"
                          for lib in sorted(set(mine) | set(theirs)) if mine.get(lib) != theirs.get(lib)]
        else:
            differing.append(name.replace("_", " "))
    return ", ".join(differing) or "the key's parts"


# Render processes started by run_scene_job in this process (killed by stop_local_jobs).
_RUNNING: set[subprocess.Popen] = set()
_RUNNING_LOCK = threading.Lock()
_STOPPING = threading.Event()


def stop_local_jobs() -> None:
    """Kill the render processes this process started (a batch interrupted or ending)."""
    _STOPPING.set()
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for process in running:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _announce(job: SceneJob, where: str) -> None:
    """Tell the client (through the scheduler's event log) that this job started here."""
    try:
        from distributed import get_worker

        get_worker().log_event(PROGRESS_TOPIC, {"key": job.key, "scene": job.scene, "worker": where})
    except (ImportError, ValueError):
        pass


def _task_dropped() -> bool:
    """On a Dask worker: the client cancelled this task or went away (best effort)."""
    try:
        from distributed import get_worker
        from distributed.worker import thread_state

        task = get_worker().state.tasks.get(thread_state.key)
    except (ImportError, ValueError, AttributeError):
        return False
    return task is None or task.state in ("cancelled", "released", "forgotten")


def _wait(process: subprocess.Popen) -> int:
    """The render process's exit status; killed early if its Dask task was cancelled (a
    client interrupted), so a worker does not go on rendering what no one will collect."""
    while True:
        try:
            return process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            if _task_dropped():
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                return process.wait()


def run_scene_job(job: SceneJob, on_start: Callable[[SceneJob, str], None] | None = None) -> JobResult:
    """Render one scene here; return its files. Raises VersionMismatch or JobFailed."""
    from ..publish.assemble import published_log
    from ..voice.render_hook import voice_error

    where = where_am_i()
    mismatch = installation_mismatch(job)
    if mismatch is not None:
        raise VersionMismatch(
            f"worker {where} refuses scene {job.stem}: its installation gives another cache key than the client's "
            f"({mismatch}); install the same version of nll-lecture and its libraries on every worker")
    (on_start or _announce)(job, where)

    area = Path(job.area) if job.area else default_area()
    run_dir = area / f"run-{os.getpid()}-{secrets.token_hex(4)}"
    request = job.request(area, run_dir)
    try:
        request.work.mkdir(parents=True)
        request.log.parent.mkdir(parents=True)
        request.data_file.write_text(job.data_text, encoding="utf-8")  # where the pipeline keeps the run's snapshot
        with open(request.log, "wb") as handle:
            with _RUNNING_LOCK:
                if _STOPPING.is_set():
                    raise JobFailed(f"scene {job.stem}: stopped (the batch was interrupted)", "")
                process = subprocess.Popen(
                    request.argv(), cwd=request.work, env=request.env(), stdin=subprocess.DEVNULL, stdout=handle,
                    stderr=subprocess.STDOUT, start_new_session=True,
                )
                _RUNNING.add(process)
            try:
                status = _wait(process)
            finally:
                with _RUNNING_LOCK:
                    _RUNNING.discard(process)
        out = request.work / "out"
        log = published_log(request.log.read_text(encoding="utf-8", errors="replace"), request.log, out)
        if status != 0 and _STOPPING.is_set():
            raise JobFailed(f"scene {job.stem}: stopped (the batch was interrupted)", log)
        if status != 0 or not request.result_file.is_file():
            bad_voice = voice_error(request.work)
            if bad_voice:
                raise JobFailed(f"scene {job.stem}: {bad_voice}", log, "voice")
            how = (f"killed by signal {signal.Signals(-status).name}" if status < 0
                   else f"exit status {status}")
            reason = last_error_line(log)
            raise JobFailed(f"scene {job.stem} failed on {where} ({how})" + (f": {reason}" if reason else ""), log)
        # every file the worker wrote, subfolders included (frames/<beat>.png), by relative path
        files = {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}
        return JobResult(job.scene, job.key, where, SceneResult.from_file(request.result_file), files, log)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
