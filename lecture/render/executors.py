"""Where the scenes of a render run, behind one interface (as black does with its executors).

A :class:`SceneExecutor` is a ``concurrent.futures``-style executor of scene requests:
``submit(SceneRequest)`` returns a ``Future`` whose result is the worker's
:class:`SceneResult`, or whose exception is the one-line failure (``SceneFailed``, or a
``RenderFailure`` with exit 2 for bad voice input). :class:`ProcessExecutor` runs each
request as a local worker process, N at a time; a batch's threads and a Dask cluster are
lecture/cluster's ``SceneService``. :func:`render_scenes` is the render's one scheduling
loop: it submits the scenes longest first, shows them start and finish, and on any
failure, Ctrl-C or SIGTERM stops every worker before it lets the error through.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from abc import ABC, abstractmethod
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .options import EXIT_BAD_INPUT, EXIT_FAILED, RenderFailure, RenderOptions, SceneFailed
from .progress import Progress
from .protocol import SceneRequest, SceneResult, last_error_line

__all__ = ["ProcessExecutor", "SceneExecutor", "render_scenes", "scene_outcome", "signal_name"]


class SceneExecutor(ABC):
    """Renders scene requests; ``submit`` returns a future of the :class:`SceneResult`."""

    @abstractmethod
    def submit(self, request: SceneRequest) -> Future:
        """Queue ``request``; the future runs (``running()``) once a worker has it."""

    @abstractmethod
    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Release the workers; ``cancel_futures``: drop the queued requests and kill the
        running ones."""

    def __enter__(self) -> "SceneExecutor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown(wait=True, cancel_futures=True)


class ProcessExecutor(SceneExecutor):
    """Each request a worker process of this machine (``python -m lecture.render.worker``),
    ``jobs`` at a time, in its own session (Ctrl-C at the terminal reaches the render only),
    its output in the request's log."""

    def __init__(self, jobs: int):
        self._pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="nll-render")
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def submit(self, request: SceneRequest) -> Future:
        return self._pool.submit(self._run, request)

    def _run(self, request: SceneRequest) -> SceneResult:
        request.work.mkdir(parents=True)
        with open(request.log, "wb") as handle:
            with self._lock:
                if self._stopping.is_set():
                    raise CancelledError()
                process = subprocess.Popen(request.argv(), cwd=request.work, env=request.env(),
                                           stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                                           start_new_session=True)
                self._running.add(process)
            try:
                status = process.wait()
            finally:
                with self._lock:
                    self._running.discard(process)
        return scene_outcome(request, status)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            with self._lock:
                self._stopping.set()
                running = list(self._running)
            for process in running:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def scene_outcome(request: SceneRequest, status: int) -> SceneResult:
    """The result of a worker that ended with exit ``status``, or its failure in one line:
    killed by a signal (which), bad voice input (exit 2), else the log's last error line."""
    label = request.label
    if status < 0:  # killed by a signal: say which, not a random last log line
        raise SceneFailed(f"scene {label}: worker killed by signal {signal_name(-status)}; log: {request.log}",
                          EXIT_FAILED)
    if status != 0 or not request.result_file.is_file():
        from ..voice.render_hook import voice_error

        bad_voice = voice_error(request.work)
        if bad_voice:  # a recording or TTS engine failed: bad input
            raise RenderFailure(f"scene {label}: {bad_voice}", EXIT_BAD_INPUT)
        try:
            reason = last_error_line(Path(request.log).read_text(encoding="utf-8", errors="replace"))
        except (OSError, TypeError):
            reason = ""
        raise SceneFailed(f"scene {label} failed (exit status {status})" + (f": {reason}" if reason else "")
                          + f"; log: {request.log}", EXIT_FAILED)
    return SceneResult.from_file(request.result_file)


def signal_name(number: int) -> str:
    """A signal's name, for one-line errors.

    >>> signal_name(9)
    'SIGKILL'
    """
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def render_scenes(todo, options: RenderOptions, run_dir: Path, progress: Progress, runner=None, keys=None):
    """Render ``todo`` (scene specs, longest first); return scene id -> publish.Rendered.

    ``runner``: a batch's shared lecture.cluster runner; ``options.cluster``: a Dask
    scheduler's; else local worker processes, ``options.jobs`` at a time."""
    if not todo:
        return {}
    if runner is not None:
        return runner.render(todo, keys, options, run_dir, progress)
    if options.cluster:  # the scene jobs go to a Dask scheduler (lecture/cluster)
        from ..cluster import ClusterError, SceneService

        try:
            service = SceneService.connect(options.cluster, note=progress.note)
        except ClusterError as err:
            raise RenderFailure(str(err), err.status) from None
        with service:
            return service.runner().render(todo, keys, options, run_dir, progress)
    requests = [(spec, SceneRequest.for_run(spec, options, run_dir)) for spec in todo]
    return run_requests(ProcessExecutor(options.jobs), requests, progress)


def run_requests(executor: SceneExecutor, requests, progress: Progress):
    """Submit ``requests`` ((spec, SceneRequest) in order) to ``executor`` and wait for all:
    progress as each starts and finishes; the first failure (or Ctrl-C, SIGTERM) shuts the
    executor down, its workers killed, and goes on up."""
    from ..publish.assemble import Rendered

    rendered: dict[str, Rendered] = {}
    progress.begin(len(requests))
    try:
        pending = [(spec, request, executor.submit(request)) for spec, request in requests]
        shown: set[str] = set()
        while pending:
            for item in list(pending):
                spec, request, future = item
                if request.label not in shown and (future.running() or future.done()):
                    shown.add(request.label)
                    progress.start(request.label)
                if not future.done():
                    continue
                pending.remove(item)
                try:
                    result = future.result()
                except BaseException:
                    progress.drop(request.label)
                    raise
                rendered[spec.id] = Rendered(spec, request.work / "out", result, request.log)
                progress.finish(request.label, f"{result.duration_s:.1f} s of video")
            progress.tick()
            time.sleep(0.1)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return rendered
