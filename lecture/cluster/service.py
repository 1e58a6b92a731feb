"""Scene jobs on an executor: a Dask cluster (``--cluster tcp://HOST:PORT``) or threads of
this machine (a batch without ``--cluster``). Each key is rendered once per service: a
batch shares one service between its variants, so a scene whose key is the same in several
variants is rendered once.

:class:`SceneService` owns the executor and the jobs by key; :meth:`SceneService.runner`
gives the render pipeline a :class:`SceneRunner`, a ``SceneExecutor``
(lecture/render/executors.py) used instead of local worker processes
(``RenderOptions.cluster`` or ``pipeline.run(..., runner=...)``): the pipeline's loop
submits the scenes' requests to it; it shows on which worker each runs, writes the files
that come back into the run's work folder and gives the pipeline their results, which it
publishes as it always does.
"""

from __future__ import annotations

import logging
import re
import threading
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import EXIT_BAD_INPUT, EXIT_FAILED, LectureError
from ..render.executors import Placement, SceneExecutor
from ..render.options import RenderFailure, SceneFailed
from ..render.protocol import SceneRequest
from .job import PROGRESS_TOPIC, JobFailed, JobResult, SceneJob, VersionMismatch, run_scene_job, stop_local_jobs

__all__ = ["CONNECT_TIMEOUT_S", "ClusterError", "SceneRunner", "SceneService", "check_address", "probe"]

CONNECT_TIMEOUT_S = 5
PROBE_TIMEOUT_S = 3
_ADDRESS = re.compile(r"^(tcp)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+):(\d{1,5})$")


class ClusterError(LectureError):
    """The cluster cannot be used (one line); ``status`` is the exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED):
        super().__init__(message, status)


def check_address(address: str) -> str:
    """A scheduler address as Dask takes it: ``tcp://HOST:PORT``.

    >>> check_address("tcp://10.0.0.5:8786")
    'tcp://10.0.0.5:8786'
    """
    match = _ADDRESS.match(address.strip())
    if not match or not 0 < int(match.group(3)) < 65536:
        raise ClusterError(f"--cluster: expected a Dask scheduler address tcp://HOST:PORT, got {address!r}", 2)
    return address.strip()


def probe(address: str, timeout_s: float = PROBE_TIMEOUT_S) -> None:
    """Fail fast (ClusterError) if nothing listens at the scheduler's address: a refused
    port in milliseconds, an unreachable host within ``timeout_s``, before any data is read
    or dask imported."""
    import socket

    match = _ADDRESS.match(check_address(address))
    host, port = match.group(2).strip("[]"), int(match.group(3))
    try:
        socket.create_connection((host, port), timeout=timeout_s).close()
    except OSError as err:
        why = "timed out" if isinstance(err, TimeoutError) else (err.strerror or type(err).__name__)
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({why}); "
                           "the output folder was left as it was") from None


@dataclass
class Ticket:
    """One key's job: its future, the variant that asked first, where it started (in order)."""

    job: SceneJob
    future: Any
    owner: str | None
    starts: list[str] = field(default_factory=list)


class SceneService:
    """Renders scene jobs, each key once, on Dask or in local threads."""

    def __init__(self, submit: Callable[[SceneJob, Ticket, int], Any], close: Callable[[], None], where: str,
                 area: Path | None = None, workers: Callable[[], int] | None = None):
        self._submit = submit
        self._close = close
        self.workers = workers or (lambda: 1)  # how many workers can take jobs now
        self.where = where  # "the cluster at tcp://..." or "this machine"
        self.area = area  # local: the folder for runs and the TeX cache; None on a cluster (the worker's own)
        self._tickets: dict[str, Ticket] = {}
        self._lock = threading.Lock()

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def local(cls, jobs: int, area: Path) -> "SceneService":
        """Threads of this machine, ``jobs`` scenes at a time, each in its own process."""
        from . import job as job_module

        job_module._STOPPING.clear()
        pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="nll-scene")

        def submit(job: SceneJob, ticket: Ticket, priority: int):
            return pool.submit(run_scene_job, job, lambda _job, where: ticket.starts.append(where))

        def close():
            stop_local_jobs()
            pool.shutdown(wait=True, cancel_futures=True)

        return cls(submit, close, "this machine", Path(area))

    @classmethod
    def connect(cls, address: str, note: Callable[[str], None] = lambda line: None,
                timeout_s: float = CONNECT_TIMEOUT_S) -> "SceneService":
        """A client of the Dask scheduler at ``address`` (ClusterError within ``timeout_s``
        if it cannot be reached)."""
        address = check_address(address)
        try:
            from distributed import Client
        except ImportError:
            raise ClusterError("--cluster needs the Python packages dask and distributed "
                               "(pip install 'nll-lecture[cluster]')", 2) from None
        quiet = _quiet_distributed()
        try:
            # Ask the address who it is first: a Client that connects to something else (the
            # dashboard's HTTP port, say) fails late and hangs when it is collected.
            what = _identity(address, timeout_s)
            if what != "Scheduler":
                raise ClusterError(f"no Dask scheduler answers at {address} ({what}); "
                                   "the output folder was left as it was")
            client = Client(address, timeout=f"{timeout_s}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            raise ClusterError(f"cannot reach the Dask scheduler at {address} within {timeout_s:g} s "
                               f"({_first_line(err)}); the output folder was left as it was") from None
        finally:
            quiet()
        tickets: dict[str, Ticket] = {}

        def on_event(event) -> None:  # on the client's event-loop thread
            message = event[1] if isinstance(event, tuple) and len(event) == 2 else event
            ticket = tickets.get(message.get("key")) if isinstance(message, dict) else None
            if ticket is not None:
                ticket.starts.append(str(message.get("worker")))

        client.subscribe_topic(PROGRESS_TOPIC, on_event)
        workers = client.scheduler_info().get("workers", {})
        threads = sum(int(w.get("nthreads") or 0) for w in workers.values())
        if workers:
            note(f"cluster: {address}: {_count(len(workers), 'worker')}, {_count(threads, 'scene')} at a time "
                 f"({', '.join(sorted(workers))})")
        else:
            note(f"cluster: {address}: no workers yet; the scenes wait until one connects")

        def submit(job: SceneJob, ticket: Ticket, priority: int):
            tickets[job.key] = ticket
            return client.submit(run_scene_job, job, key=f"nll-lecture-{job.stem}-{job.key[:20]}", pure=False,
                                 priority=priority)

        def close():
            quiet_again = _quiet_distributed()
            try:
                client.cancel([t.future for t in tickets.values() if not t.future.done()])
                client.close(timeout=5)
            except Exception:  # closing is best effort: the scheduler may be gone
                pass
            finally:
                quiet_again()

        def count_workers() -> int:
            try:
                return len(client.scheduler_info().get("workers", {}))
            except Exception:
                return 0

        return cls(submit, close, f"the cluster at {address}", workers=count_workers)

    # -- use ------------------------------------------------------------------------------
    def ticket(self, job: SceneJob, variant: str | None, priority: int = 0) -> tuple[Ticket, bool]:
        """The job for ``job.key``, submitted now if no one asked for it before; and
        whether this call submitted it."""
        with self._lock:
            ticket = self._tickets.get(job.key)
            if ticket is not None:
                return ticket, False
            ticket = Ticket(job, None, variant)
            ticket.future = self._submit(job, ticket, priority)
            self._tickets[job.key] = ticket
            return ticket, True

    def runner(self, variant: str | None = None) -> "SceneRunner":
        """An executor of one render's scenes on this service (``variant``: its name in a batch)."""
        return SceneRunner(self, variant)

    def close(self) -> None:
        self._close()

    def __enter__(self) -> "SceneService":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _identity(address: str, timeout_s: float) -> str:
    """``Scheduler`` if a Dask scheduler answers at ``address``, else what went wrong."""
    import asyncio

    from distributed.comm import connect

    async def ask():
        comm = await connect(address, timeout=timeout_s)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    try:
        info = asyncio.run(asyncio.wait_for(ask(), timeout_s))
    except (asyncio.TimeoutError, TimeoutError):
        return f"no answer within {timeout_s:g} s"
    except Exception as err:  # a server speaking another protocol: garbage frames, closed stream
        return f"it does not speak Dask's protocol: {type(err).__name__}"
    if isinstance(info, dict) and info.get("type") == "Scheduler":
        return "Scheduler"
    kind = info.get("type") if isinstance(info, dict) else None
    return f"a Dask {kind}, not a scheduler" if kind else "it does not answer as a Dask scheduler"


def _count(n: int, what: str) -> str:
    """A count and a noun.

    >>> _count(1, "worker"), _count(2, "worker")
    ('1 worker', '2 workers')
    """
    return f"{n} {what}" + ("" if n == 1 else "s")


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else type(err).__name__


def _quiet_distributed() -> Callable[[], None]:
    """distributed logs its connection retries and shutdown on stderr: not for our users
    (one error line is the rule). Returns the function that restores the levels."""
    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.client", "distributed.comm",
                                                    "distributed.core", "distributed.batched", "tornado")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)

    def restore() -> None:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)

    return restore


class SceneRunner(SceneExecutor):
    """A render's executor on a :class:`SceneService` (the pipeline's scheduling loop,
    lecture/render/executors.run_requests, drives it): each request a :class:`SceneJob`,
    submitted once per key; when it is done, its files are written into the request's work
    folder and log as a local worker process would have left them.

    ``rendered``: scenes rendered by jobs this runner submitted; ``shared``: scenes whose
    key another variant of the batch asked for first (rendered once, for both)."""

    def __init__(self, service: SceneService, variant: str | None = None):
        self.service = service
        self.variant = variant
        self.rendered: list[str] = []
        self.shared: list[str] = []
        self._tickets: dict[Future, tuple[Ticket, bool]] = {}
        self._ran_on: dict[str, str] = {}
        self._data: dict[Path, str] = {}
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, request: SceneRequest, priority: int = 0) -> Future:
        if request.data_file not in self._data:  # the run's snapshot, read once
            self._data[request.data_file] = Path(request.data_file).read_text(encoding="utf-8")
        voice = request.voice
        job = SceneJob(scene=request.scene, stem=request.stem, preset=tuple(request.preset), lang=request.lang,
                       data_text=self._data[request.data_file], key=request.key, parts=dict(request.parts),
                       voice=None if voice is None or voice.silent else voice,
                       area=str(self.service.area) if self.service.area else None)
        ticket, mine = self.service.ticket(job, self.variant, priority=priority)
        future: Future = Future()
        future.set_running_or_notify_cancel()
        self._tickets[future] = (ticket, mine)
        ticket.future.add_done_callback(lambda done: self._collect(request, ticket, mine, done, future))
        return future

    def _collect(self, request: SceneRequest, ticket: Ticket, mine: bool, done: Any, future: Future) -> None:
        """The job ended: its files into the request's folders, then the future's result, or
        its one-line failure (on the executor's thread; nothing once the render let go)."""
        with self._lock:
            if self._closed:
                return
            try:
                result = self._files(request, done)
            except BaseException as err:  # (every outcome reaches the render's loop, as its exception)
                future.set_exception(err)
                return
            (self.rendered if mine else self.shared).append(request.scene)
            future.set_result(result.result)

    def _files(self, request: SceneRequest, done: Any) -> JobResult:
        label = request.label
        try:
            result: JobResult = done.result()
        except VersionMismatch as err:
            raise RenderFailure(str(err), EXIT_FAILED) from None
        except JobFailed as err:
            request.log.write_text(err.log, encoding="utf-8")
            if err.kind == "voice":
                raise RenderFailure(err.message, EXIT_BAD_INPUT) from None
            raise SceneFailed(f"{err.message}; log: {request.log}", EXIT_FAILED) from None
        except CancelledError:
            raise SceneFailed(f"scene {label}: stopped before it ran (interrupted)", EXIT_FAILED) from None
        except Exception as err:  # KilledWorker, a lost scheduler...
            raise SceneFailed(f"scene {label} on {self.service.where}: {type(err).__name__}: "
                              f"{_first_line(err)}", EXIT_FAILED) from None
        out = request.work / "out"
        out.mkdir(parents=True, exist_ok=True)
        for name, blob in result.files.items():
            target = (out / name).resolve()
            if out.resolve() not in target.parents:  # a relative path from the worker, never ../
                raise SceneFailed(f"scene {label} on {result.worker}: sent a file outside its folder: {name!r}",
                                  EXIT_FAILED)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
        request.log.write_text(result.log, encoding="utf-8")
        self._ran_on[request.scene] = result.worker
        return result

    def placement(self, future: Future) -> Placement:
        ticket, mine = self._tickets[future]
        if not mine:
            return Placement(shared_by=ticket.owner or "")
        return Placement(starts=tuple(ticket.starts), ran_on=self._ran_on.get(ticket.job.scene))

    def stalled(self) -> str | None:
        if self.service.workers() != 0:
            return None
        return (f"cluster: no workers left on {self.service.where}; the scenes wait until one "
                "connects (Ctrl-C stops the render, the output folder left as it was)")

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Let go of the jobs: their files are no longer written (the service, which a batch
        shares between its variants, goes on; closing it stops the jobs)."""
        with self._lock:
            self._closed = True
