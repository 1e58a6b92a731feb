"""Where the scenes of a render run, behind one interface (as black does with its executors).

A :class:`SceneExecutor` is a ``concurrent.futures``-style executor of scene requests:
``submit(SceneRequest)`` returns a ``Future`` whose result is the worker's
:class:`SceneResult`, or whose exception is the one-line failure (``SceneFailed``, or a
``RenderFailure`` with exit 2 for bad voice input). :class:`ProcessExecutor` runs each
request as a local worker process, N at a time; a batch's threads and a Dask cluster are
lecture/cluster's ``SceneRunner`` (on a ``SceneService``). :func:`run_requests` is the
render's one scheduling loop, whatever the executor: it submits the scenes longest first,
shows them start (and where) and finish, and on any failure, Ctrl-C or SIGTERM shuts the
executor down before it lets the error through.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from abc import ABC, abstractmethod
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .options import EXIT_BAD_INPUT, EXIT_FAILED, RenderFailure, SceneFailed
from .progress import Progress
from .protocol import SceneRequest, SceneResult, last_error_line

__all__ = ["Placement", "ProcessExecutor", "SceneExecutor", "run_requests", "scene_outcome", "signal_name"]


@dataclass(frozen=True)
class Placement:
    """Where a submitted request is, as far as its executor tells."""

    starts: tuple[str, ...] | None = None  # the workers it started on, in order; None: not told (local)
    ran_on: str | None = None  # the worker that rendered it, once done
    shared_by: str | None = None  # not None: another render asked for the same key first ("" or its name)


class SceneExecutor(ABC):
    """Renders scene requests; ``submit`` returns a future of the :class:`SceneResult`."""

    @abstractmethod
    def submit(self, request: SceneRequest, priority: int = 0) -> Future:
        """Queue ``request`` (higher ``priority`` first, where the executor can order); the
        future runs (``running()``) once a worker has it."""

    @abstractmethod
    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Release the workers; ``cancel_futures``: drop the queued requests and kill the
        running ones."""

    def placement(self, future: Future) -> Placement:
        """Where the request of ``future`` started and ran (local processes: not told)."""
        return Placement()

    def stalled(self) -> str | None:
        """A line to show when no worker can take jobs now (a cluster whose workers left)."""
        return None

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

    def submit(self, request: SceneRequest, priority: int = 0) -> Future:
        return self._pool.submit(self._run, request)  # (in order: the requests come longest first)

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


def run_requests(executor: SceneExecutor, requests, progress: Progress):
    """Submit ``requests`` ((spec, SceneRequest), longest first) to ``executor`` and wait
    for all; return scene id -> publish.Rendered. Progress as each starts (on which worker,
    if the executor says) and finishes; the first failure (or Ctrl-C, SIGTERM) shuts the
    executor down, its workers killed, and goes on up."""
    from ..publish.assemble import Rendered

    rendered: dict[str, Rendered] = {}
    try:
        pending = [(spec, request, executor.submit(request, priority=len(requests) - position))
                   for position, (spec, request) in enumerate(requests)]
        progress.begin(len(requests))
        labels: dict[str, str] = {}  # scene id -> its label as shown started ("NN id" or "NN id on WORKER")
        seen: dict[str, int] = {}
        checked, alone = time.monotonic(), False
        while pending:
            if time.monotonic() - checked > 5:  # every worker gone: say so rather than wait silently
                checked = time.monotonic()
                stalled = executor.stalled()
                if stalled and not alone:
                    progress.note(stalled)
                alone = stalled is not None
            for item in list(pending):
                spec, request, future = item
                _show_starts(spec.id, request.label, executor.placement(future), future, labels, seen, progress)
                if not future.done():
                    continue
                pending.remove(item)
                try:
                    result = future.result()
                except BaseException:
                    progress.drop(labels.get(spec.id, request.label))
                    raise
                rendered[spec.id] = Rendered(spec, request.work / "out", result, request.log)
                placement = executor.placement(future)
                if placement.shared_by is not None:
                    owner = f" in {placement.shared_by}" if placement.shared_by else ""
                    progress.finish(request.label, f"{result.duration_s:.1f} s of video; same key as{owner}: "
                                                   "rendered once, shared")
                else:
                    shown = f"{request.label} on {placement.ran_on}" if placement.ran_on else request.label
                    progress.finish(labels.pop(spec.id, shown), f"{result.duration_s:.1f} s of video")
            progress.tick()
            if pending:
                time.sleep(0.1)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return rendered


def _show_starts(scene_id: str, label: str, placement: Placement, future: Future, labels: dict[str, str],
                 seen: dict[str, int], progress: Progress) -> None:
    """Show a scene started: when it runs, or (an executor that says where) on each worker
    it started on, a lost worker's job retried on another."""
    if placement.shared_by is not None:  # another render's job: its progress is shown there
        return
    if placement.starts is None:
        if scene_id not in labels and (future.running() or future.done()):
            labels[scene_id] = label
            progress.start(label)
        return
    for where in placement.starts[seen.get(scene_id, 0):]:
        if scene_id in labels:
            progress.drop(labels[scene_id])
            progress.note(f"  {label}: {labels[scene_id].rsplit(' on ', 1)[-1]} was lost; retried on {where}")
        labels[scene_id] = f"{label} on {where}"
        progress.start(labels[scene_id])
    seen[scene_id] = len(placement.starts)
