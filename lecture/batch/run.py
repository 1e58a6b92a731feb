"""``nll-lecture batch PLAN.toml --out DIR [--cluster tcp://HOST:PORT]``: render every
variant of a plan into DIR/<name>/, each a normal output folder.

All variants render at once through one :class:`lecture.cluster.SceneService` (this
machine's processes, or a Dask cluster): a scene whose cache key is the same in several
variants is rendered once and published into each; the TeX cache is shared. Each variant
is a full ``pipeline.run`` of its own (its own lock, data check, atomic publishing), so one
that fails leaves the others, and its own folder, as they were. The end prints a table and
the exit status is 1 if any variant failed (2 for a bad plan, nothing rendered).
"""

from __future__ import annotations

import io
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..errors import LectureError
from ..render.pipeline import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, default_jobs

__all__ = ["BatchOptions", "Outcome", "format_table", "run_batch"]

MAX_VARIANTS_AT_ONCE = 16  # variant pipelines in flight (each mostly waits for its scenes)


@dataclass(frozen=True)
class BatchOptions:
    plan: Path
    out: Path
    cluster: str | None = None
    jobs: int = field(default_factory=default_jobs)  # local: scenes rendered at once
    allow_commands: bool = False  # --allow-commands: the plan may name command: voices


@dataclass
class Outcome:
    """How one variant went."""

    name: str
    scenes: int
    status: int | None = None  # exit status of its render; None: not run
    seconds: float = 0.0
    rendered: int = 0  # scene jobs this variant ran
    reused: int = 0  # scenes it published without rendering them (another variant's job, or up to date)
    error: str = ""


class _Prefixed(io.TextIOBase):
    """A variant's messages: whole lines, each starting with ``[name]``, never interleaved."""

    def __init__(self, stream: TextIO, name: str, lock: threading.Lock):
        self._stream, self._name, self._lock = stream, name, lock
        self._buffer = ""
        self.last_error = ""

    def isatty(self) -> bool:  # plain lines: one updating line per variant would collide
        return False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._buffer += text
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            if line.startswith("error: "):
                self.last_error = line.removeprefix("error: ")
            _write(self._stream, f"[{self._name}] {line}\n", self._lock)
        return len(text)

    def flush(self) -> None:
        pass


def _write(stream: TextIO | None, text: str, lock: threading.Lock) -> None:
    if stream is None:
        return
    with lock:
        try:
            try:
                stream.write(text)
            except UnicodeEncodeError:
                stream.write(text.encode("ascii", "backslashreplace").decode("ascii"))
            stream.flush()
        except (OSError, ValueError):
            pass


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def format_table(outcomes: list[Outcome]) -> str:
    """The end-of-batch table.

    >>> print(format_table([Outcome("a", 2, 0, 65.0, 2, 0), Outcome("b", 2, 2, 1.0, error="bad.toml: x")]))
    variant  scenes  rendered  reused  time  status
    a             2         2       0  1:05  published
    b             2         -       -  0:01  failed (exit 2): bad.toml: x
    """
    rows = [("variant", "scenes", "rendered", "reused", "time", "status")]
    for o in outcomes:
        ok = o.status == EXIT_OK
        status = ("published" if ok else "not run" if o.status is None
                  else f"failed (exit {o.status})" + (f": {o.error}" if o.error else ""))
        rows.append((o.name, str(o.scenes), str(o.rendered) if ok else "-", str(o.reused) if ok else "-",
                     _clock(o.seconds), status))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in range(1, 5)] + [row[5]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def run_batch(options: BatchOptions, stream: TextIO | None = None) -> int:
    """Render every variant of the plan; return the exit status."""
    from mathcore import DataError

    from ..cluster import ClusterError, SceneService, probe
    from ..publish import outdir
    from ..render.pipeline import RenderOptions, run
    from .plan import load_plan

    stream = stream or sys.stderr
    lock = threading.Lock()

    def say(line: str) -> None:
        _write(stream, line + "\n", lock)

    if options.jobs < 1:
        say(f"error: --jobs must be at least 1, got {options.jobs}")
        return EXIT_BAD_INPUT
    try:
        plan = load_plan(options.plan, cluster=bool(options.cluster), allow_commands=options.allow_commands)
    except DataError as err:
        say(f"error: {err}")
        return EXIT_BAD_INPUT
    out = Path(options.out).expanduser().absolute()
    if out.exists() and not out.is_dir():
        say(f"error: --out {out} is not a folder")
        return EXIT_BAD_INPUT

    started = time.monotonic()
    try:
        if options.cluster:
            probe(options.cluster)
            service = SceneService.connect(options.cluster, note=say)
        else:
            out.mkdir(parents=True, exist_ok=True)
            area = outdir.work_area(out)
            area.mkdir(parents=True, exist_ok=True)
            service = SceneService.local(options.jobs, area)
    except ClusterError as err:
        say(f"error: {str(err).replace('; the output folder was left as it was', '; nothing was rendered')}")
        return err.status
    except OSError as err:
        say(f"error: {err.strerror or err}: {err.filename or out}")
        return EXIT_FAILED

    from scenes import SCENES_IN_ORDER

    outcomes = [Outcome(v.name, len(v.scenes) or len(SCENES_IN_ORDER)) for v in plan.variants]
    where = service.where if options.cluster else f"this machine, {options.jobs} scenes at a time"
    say(f"batch: {len(plan.variants)} variants from {options.plan} into {out}, on {where}")

    def render(index: int) -> None:
        variant, outcome = plan.variants[index], outcomes[index]
        prefixed = _Prefixed(stream, variant.name, lock)
        runner = service.runner(variant.name)
        began = time.monotonic()
        try:
            outcome.status = run(RenderOptions.parse(
                out=out / variant.name, data=str(variant.data) if variant.data else None, lang=variant.lang,
                quality=variant.quality, scenes=variant.scenes, jobs=options.jobs, voice=variant.voice,
            ), prefixed, runner=runner)
        except LectureError as err:  # an option the plan let through: its line and status
            outcome.status = err.exit_status
            prefixed.write(f"error: {err}\n")
        except Exception as err:  # a bug in one variant must not stop the others
            outcome.status = EXIT_FAILED
            prefixed.write(f"error: {type(err).__name__}: {err}\n")
        outcome.seconds = time.monotonic() - began
        outcome.error = prefixed.last_error
        outcome.rendered = len(runner.rendered)
        outcome.reused = outcome.scenes - outcome.rendered

    pool = ThreadPoolExecutor(max_workers=min(len(plan.variants), MAX_VARIANTS_AT_ONCE), thread_name_prefix="variant")
    interrupted = False
    try:
        futures = [pool.submit(render, i) for i in range(len(plan.variants))]
        while not all(f.done() for f in futures):
            time.sleep(0.2)
    except KeyboardInterrupt:
        interrupted = True
        say("batch: interrupted; stopping the scenes in flight (published folders stay as they were)")
    finally:
        service.close()  # an interrupted batch: running jobs end, and the variants waiting for them fail
        pool.shutdown(wait=True, cancel_futures=True)

    say(format_table(outcomes))
    failed = [o for o in outcomes if o.status != EXIT_OK]
    shared = sum(o.reused for o in outcomes if o.status == EXIT_OK)
    say(f"batch: {len(outcomes) - len(failed)} of {len(outcomes)} variants published into {out} in "
        f"{_clock(time.monotonic() - started)}; {sum(o.rendered for o in outcomes)} scenes rendered, "
        f"{shared} reused" + (f"; {len(failed)} failed" if failed else ""))
    if interrupted:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if failed else EXIT_OK
