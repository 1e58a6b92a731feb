"""Scene jobs on an executor: a Dask cluster (``--cluster tcp://HOST:PORT``) or threads of
this machine (a batch without ``--cluster``). Each key is rendered once per service: a
batch shares one service between its variants, so a scene whose key is the same in several
variants is rendered once.

:class:`SceneService` owns the executor and the jobs by key; :meth:`SceneService.runner`
gives the render pipeline what it calls instead of starting local worker processes
(``RenderOptions.cluster`` or ``pipeline.run(..., runner=...)``): its ``render`` submits the
scenes, shows on which worker each runs, writes the files that come back into the run's
work folder and returns them to the pipeline, which publishes them as it always does.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from concurrent.futures import CancelledError, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import EXIT_FAILED, LectureError
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


@dataclass
class SceneRunner:
    """What the render pipeline calls to render its scenes through a :class:`SceneService`.

    ``rendered``: scenes rendered by jobs this runner submitted; ``shared``: scenes whose
    key another variant of the batch asked for first (rendered once, for both)."""

    service: SceneService
    variant: str | None = None
    rendered: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)

    def render(self, todo, keys, options, run_dir: Path, progress) -> dict[str, Any]:
        """Render ``todo`` (longest first) and return scene id -> publish.Rendered, the
        files written under ``run_dir`` as local worker processes would have left them."""
        from ..publish.assemble import Rendered
        from ..render.options import DATA_SNAPSHOT, EXIT_BAD_INPUT, EXIT_FAILED, RenderFailure, SceneFailed
        voice = options.voice
        data_text = (run_dir / DATA_SNAPSHOT).read_text(encoding="utf-8")
        preset = options.quality.preset
        tickets: dict[str, tuple[Any, Ticket, bool]] = {}
        for position, spec in enumerate(todo):
            key, parts = keys[spec.id]
            job = SceneJob(scene=spec.id, stem=f"{spec.index:02d}-{spec.id}", preset=tuple(preset), lang=options.lang,
                           data_text=data_text, key=key, parts=parts,
                           voice=None if voice.silent else voice,
                           area=str(self.service.area) if self.service.area else None)
            ticket, mine = self.service.ticket(job, self.variant, priority=len(todo) - position)
            tickets[spec.id] = (spec, ticket, mine)

        rendered: dict[str, Rendered] = {}
        progress.begin(len(todo))
        seen: dict[str, int] = {}
        labels: dict[str, str] = {}
        pending = list(tickets)
        checked, alone = time.monotonic(), False
        while pending:
            if time.monotonic() - checked > 5:  # every worker gone: say so rather than wait silently
                checked = time.monotonic()
                if self.service.workers() == 0 and not alone:
                    progress.note(f"cluster: no workers left on {self.service.where}; the scenes wait until one "
                                  "connects (Ctrl-C stops the render, the output folder left as it was)")
                alone = self.service.workers() == 0
            for scene_id in list(pending):
                spec, ticket, mine = tickets[scene_id]
                stem = ticket.job.stem
                label = f"{spec.index:02d} {spec.id}"
                if mine:
                    starts = list(ticket.starts)
                    for where in starts[seen.get(scene_id, 0):]:
                        if scene_id in labels:
                            progress.drop(labels[scene_id])
                            progress.note(f"  {label}: {labels[scene_id].rsplit(' on ', 1)[-1]} was lost; "
                                          f"retried on {where}")
                        labels[scene_id] = f"{label} on {where}"
                        progress.start(labels[scene_id])
                    seen[scene_id] = len(starts)
                if not ticket.future.done():
                    continue
                pending.remove(scene_id)
                try:
                    result: JobResult = ticket.future.result()
                except VersionMismatch as err:
                    raise RenderFailure(str(err), EXIT_FAILED) from None
                except JobFailed as err:
                    log = run_dir / "logs" / f"{stem}.log"
                    log.write_text(err.log, encoding="utf-8")
                    if err.kind == "voice":
                        raise RenderFailure(err.message, EXIT_BAD_INPUT) from None
                    raise SceneFailed(f"{err.message}; log: {log}", EXIT_FAILED) from None
                except CancelledError:
                    raise SceneFailed(f"scene {label}: stopped before it ran (interrupted)", EXIT_FAILED) from None
                except Exception as err:  # KilledWorker, a lost scheduler...
                    raise SceneFailed(f"scene {label} on {self.service.where}: {type(err).__name__}: "
                                      f"{_first_line(err)}", EXIT_FAILED) from None
                out = run_dir / "work" / stem / "out"
                out.mkdir(parents=True, exist_ok=True)
                for name, blob in result.files.items():
                    target = (out / name).resolve()
                    if out.resolve() not in target.parents:  # a relative path from the worker, never ../
                        raise SceneFailed(f"scene {label} on {result.worker}: sent a file outside its folder: {name!r}",
                                          EXIT_FAILED)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(blob)
                log = run_dir / "logs" / f"{stem}.log"
                log.write_text(result.log, encoding="utf-8")
                rendered[scene_id] = Rendered(spec, out, result.result, log)
                (self.rendered if mine else self.shared).append(scene_id)
                seconds = result.result.duration_s
                if mine:
                    progress.finish(labels.pop(scene_id, f"{label} on {result.worker}"), f"{seconds:.1f} s of video")
                else:
                    owner = f" in {ticket.owner}" if ticket.owner else ""
                    progress.finish(label, f"{seconds:.1f} s of video; same key as{owner}: rendered once, shared")
            progress.tick()
            if pending:
                time.sleep(0.1)
        return rendered
