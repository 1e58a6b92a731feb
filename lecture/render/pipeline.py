"""The render pipeline: validate, decide what to render, render scenes in parallel worker
processes, assemble the next output folder in staging, swap it in.

    options -> validate data (exit 2 on DataError) -> lock OUT -> cache keys per scene
            -> workers (python -m lecture.render.worker), N at a time
               (or a runner: --cluster's Dask workers, a batch's shared jobs; lecture/cluster)
            -> publish.assemble(a stage inside OUT) -> outdir.swap_into_place (owned entries only)

Any failure (bad input, a scene that raises, Ctrl-C, SIGTERM, a killed process) leaves OUT
as it was. Importing this module is cheap: manim is only ever imported by the workers, and
mathcore/PyAV only when something has to be (re)built.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..publish import outdir
from . import cache
from .options import (  # noqa: F401  (the render vocabulary, handed on to the pipeline's callers)
    DATA_SNAPSHOT, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, QUALITY_PRESETS,
    RenderFailure, RenderOptions, SceneFailed, default_jobs,
)
from .progress import Progress

class _Terminated(BaseException):
    """SIGTERM, turned into an exception so cleanup runs."""


def run(options: RenderOptions, stream: TextIO | None = None, runner: Any = None) -> int:
    """Run a render; return the process exit status. Messages go to ``stream`` (stderr).

    ``runner``: renders the scenes instead of local worker processes (a batch passes its
    shared ``lecture.cluster.SceneRunner``); ``options.cluster`` makes one for the render."""
    stream = stream or sys.stderr
    previous_term = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise _Terminated()

    in_main_thread = True
    try:
        signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread (tests may call run() from one)
        in_main_thread = False
    try:
        area_before = os.path.lexists(outdir.work_area(options.out))
    except (OSError, RuntimeError):
        area_before = True
    status = EXIT_FAILED
    try:
        status = _run(options, stream, runner)
        return status
    except RenderFailure as failure:
        _say(stream, f"error: {failure}")
        return failure.status
    except outdir.UntrustedEntry as err:  # (a link put beside OUT while this render waited)
        _say(stream, f"error: {err}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _say(stream, "error: interrupted; the output folder was left as it was")
        return EXIT_INTERRUPTED
    except _Terminated:
        _say(stream, "error: terminated; the output folder was left as it was")
        return EXIT_TERMINATED
    except OSError as err:  # e.g. the work area beside OUT cannot be created (read-only, immutable parent)
        _say(stream, f"error: {_os_error(err)}; the output folder was left as it was")
        return EXIT_FAILED
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous_term)
        if status != EXIT_OK and not area_before:  # a failed first render: no empty work area left
            outdir.drop_unused_area(options.out)


def _say(stream: TextIO | None, line: str) -> None:
    """Print a line if the stream can take it (stderr may be closed, full, or ASCII-only)."""
    if stream is None:
        return
    try:
        print(line, file=stream, flush=True)
    except UnicodeEncodeError:
        try:
            print(line.encode("ascii", "backslashreplace").decode("ascii"), file=stream, flush=True)
        except (OSError, ValueError):
            pass
    except (OSError, ValueError):
        pass


def _os_error(err: OSError) -> str:
    """'Read-only file system: /path' (no errno, no Python repr)."""
    what = err.strerror or type(err).__name__
    return f"{what}: {err.filename}" if err.filename else what


def _check_writable(out: Path, target: Path | None = None) -> None:
    """Refuse (exit 2) an OUT that cannot be written, before rendering anything: a read-only
    file system, an immutable folder, no permission. ``target``: the folder to check (OUT,
    or the nearest existing folder above it)."""
    if target is None:
        target = out if out.exists() else next((p for p in out.parents if p.exists()), Path(out.anchor))
    if os.access(target, os.W_OK | os.X_OK):
        return
    try:
        read_only = bool(os.statvfs(target).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    why = "is on a read-only file system" if read_only else "cannot be written (no permission, or immutable)"
    name = "output" if target == out else f"output {out}: folder"
    raise RenderFailure(f"{name} {target} {why}; the output folder was left as it was", EXIT_BAD_INPUT)


def _selected(options: RenderOptions):
    from scenes import SCENES_BY_ID, SCENES_IN_ORDER

    unknown = [s for s in options.scenes if s not in SCENES_BY_ID]
    if unknown:
        raise RenderFailure(
            f"unknown scene {unknown[0]!r} (known: {', '.join(SCENES_BY_ID)}; see `nll-lecture scenes`)", EXIT_BAD_INPUT
        )
    wanted = set(options.scenes)
    return [spec for spec in SCENES_IN_ORDER if not wanted or spec.id in wanted]


def _check_options(options: RenderOptions) -> Path:
    from scenes import LANGUAGES

    if options.lang not in LANGUAGES:
        raise RenderFailure(f"unknown language {options.lang!r} (one of {', '.join(LANGUAGES)})", EXIT_BAD_INPUT)
    if options.jobs < 1:
        raise RenderFailure(f"--jobs must be at least 1, got {options.jobs}", EXIT_BAD_INPUT)
    if options.cluster:
        _check_cluster(options)
    if options.base_url is not None:
        from ..publish.webpage import check_base_url

        problem = check_base_url(options.base_url)
        if problem:
            raise RenderFailure(f"--base-url: {problem}", EXIT_BAD_INPUT)
    out = options.out
    from ..publish.assemble import is_output_folder

    below = next((p for p in out.parents if os.path.lexists(p)), None)
    if below is not None and not below.is_dir():
        raise RenderFailure(f"output {out} is below {below}, which is not a folder; choose another --out", EXIT_BAD_INPUT)
    if not is_output_folder(out):
        what = ("is not a folder" if out.exists() and not out.is_dir()
                else f"is a folder with other files and no {publish_state_name()} of nll-lecture render")
        raise RenderFailure(f"output {out} {what}; choose another --out or empty it", EXIT_BAD_INPUT)
    try:  # the work area beside OUT (lock, runs, caches): never written through a link
        outdir.check_work_area(out)
    except outdir.UntrustedEntry as err:
        raise RenderFailure(str(err), EXIT_BAD_INPUT) from None
    if not outdir.work_area(out).is_dir():  # the lock and work area beside OUT: its parent must take them
        _check_writable(out, next((p for p in out.parents if p.exists()), Path(out.anchor)))
    return out


def publish_state_name() -> str:
    from ..publish.assemble import STATE_FILE

    return STATE_FILE


def _check_cluster(options: RenderOptions) -> None:
    """--cluster: a scheduler address, and a voice the workers can make themselves."""
    from ..cluster import ClusterError, check_address

    try:
        check_address(options.cluster)
    except ClusterError as err:
        raise RenderFailure(str(err), err.status) from None
    kind = options.voice.kind
    if kind not in ("none", "espeak"):
        raise RenderFailure(f"--cluster renders with --voice none or espeak, not {kind}: recordings and TTS "
                            "commands are on this machine, not on the workers", EXIT_BAD_INPUT)


def _probe_cluster(address: str) -> None:
    from ..cluster import ClusterError, probe

    try:
        probe(address)
    except ClusterError as err:
        raise RenderFailure(str(err), err.status) from None


def shown_data_source(data_path: str | None) -> str:
    """How the manifest names the data file: never an absolute path of this machine.

    The path as given if it is relative (to the working directory), an absolute path under
    the working directory relative to it, any other absolute path by its file name.

    >>> shown_data_source(None), shown_data_source("data/my.toml"), shown_data_source("/elsewhere/my.toml")
    ('built-in', 'data/my.toml', 'my.toml')
    """
    if data_path is None:
        return "built-in"
    path = Path(data_path)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.name


def _load_data(options: RenderOptions):
    """Read and validate the data file once (DataError: exit 2) and compute the lecture's
    numbers. The data returned is the render's one snapshot: its ``sha256`` covers the bytes
    read, and workers get ``snapshot_text`` of it, never the user's file."""
    import dataclasses

    from mathcore import DataError, lecture_results, load_data, story_hint

    try:
        data = load_data(options.data)
        data = dataclasses.replace(data, source=shown_data_source(options.data))
        hint = story_hint(data)  # other data and no story: say which keys tell it
        if hint:
            print(hint, file=sys.stderr, flush=True)
        return data, lecture_results(data, options.lang)  # the NLP example in the render's language
    except DataError as err:
        raise RenderFailure(str(err), EXIT_BAD_INPUT) from None


# In the run folder (under work/, so a failed run keeps only its logs): the data every
# worker of the run reads.


def _write_snapshot(run_dir: Path, data) -> Path:
    """Write the run's data snapshot once, before any worker starts."""
    from mathcore import snapshot_text

    path = run_dir / DATA_SNAPSHOT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(snapshot_text(data), encoding="utf-8")
    return path


def _run(options: RenderOptions, stream: TextIO, runner: Any = None) -> int:
    progress = Progress(stream)
    selected = _selected(options)
    out = _check_options(options)
    from ..publish import assemble as publish
    from ..voice import VoiceError, publish as voice_publish

    try:
        voice = voice_publish.check_voice(options.voice, options.lang)  # no recordings folder...: exit 2, OUT untouched
    except VoiceError as err:
        raise RenderFailure(str(err), EXIT_BAD_INPUT) from None

    sources = cache.collect_sources()
    scene_ids = [spec.id for spec in selected]
    shown = shown_data_source(options.data)

    def signature_of(data_sha256: str | None) -> str:
        base = cache.invocation_signature(
            sources=sources, data_path=options.data, lang=options.lang, quality=options.quality.name,
            scene_ids=scene_ids, data_sha256=data_sha256, data_source=shown,
        )
        if options.base_url:  # the published snippets name it: another URL publishes again
            base = cache.sha256_json([base, "base-url", options.base_url])
        return voice_publish.signature(base, voice, options.lang, selected)

    def unchanged() -> bool:
        # The data files the last render read, hashed again (cheap, no mathcore): equal to
        # the hash of the bytes its snapshot was made from only if none of them changed.
        state = publish.read_previous(out).state
        if options.data is None:
            digest = None
        else:
            digest = cache.recorded_data_digest(options.data, (state.get("data") or {}).get("inputs"))
            if digest is None:
                return False
        return state.get("signature") == signature_of(digest) and publish.files_intact(out, state.get("files"))

    # Fast path: the very same render as the last one, and OUT still as it left it. The data
    # file's bytes are part of the signature, so it was validated when that render ran.
    data = results = None
    if not unchanged():
        if options.cluster:  # an unreachable scheduler fails in seconds, before any work
            _probe_cluster(options.cluster)
        data, results = _load_data(options)  # bad input fails before waiting for any lock

    with outdir.locked(out, on_wait=progress.note):
        outdir.clean_stale_runs(out, warn=progress.note)
        if unchanged():  # (again: a render we waited for may have just made it so)
            progress.note(f"render: nothing to do: {out} is up to date ({len(selected)} scenes)")
            return EXIT_OK
        if data is None:
            data, results = _load_data(options)
        # The signature of what is rendered: from the bytes actually read, not the files now.
        signature = signature_of(data.sha256 if options.data is not None else None)
        return _render_locked(options, out, selected, sources, signature, data, results, progress, runner)


def _render_locked(options, out, selected, sources, signature, data, results, progress: Progress, runner=None) -> int:
    from scenes import SCENES_IN_ORDER

    from ..publish import assemble as publish

    preset = options.quality.preset
    sections = {name: data.section_digest(name) for spec in SCENES_IN_ORDER for name in spec.reads}
    keys = {}
    from ..voice import VoiceError, publish as voice_publish

    voice = options.voice
    voice_keys = voice_publish.scene_keys(voice, options.lang, SCENES_IN_ORDER)
    for spec in SCENES_IN_ORDER:
        parts = cache.scene_key_parts(spec, sources=sources, sections=sections, lang=options.lang,
                                      quality=options.quality.name, preset=preset)
        if voice_keys[spec.id]:  # silent: the key stays as it was
            parts["voice"] = voice_keys[spec.id]
        keys[spec.id] = (cache.key_of(parts), parts)

    previous = publish.read_previous(out)
    if previous.problem:  # a state this program did not write: not one file of it is believed
        progress.note(f"warning: {previous.problem}: every selected scene is rendered again")
    todo, reasons = [], {}
    for spec in selected:
        record = previous.scene(spec.id)
        key, parts = keys[spec.id]
        if record and record.get("key") == key and publish.files_intact(out, record.get("files")):
            continue
        todo.append(spec)
        reasons[spec.id] = (cache.explain_change(record.get("parts") if record else None, parts)
                            if not record or record.get("key") != key else "published files missing")

    # Longest first (as timed last time; scenes never rendered count as long): with N
    # workers, the render ends sooner than in lecture order.
    # (The state keeps no times, so that it too is the same bytes for the same inputs: the
    # video's duration stands in for the render time.)
    def recorded_seconds(spec) -> float:
        duration = ((previous.scene(spec.id) or {}).get("video") or {}).get("duration_s")
        return float(duration) if duration else float("inf")

    todo.sort(key=recorded_seconds, reverse=True)

    ctx = publish.Context(
        lang=options.lang, quality=options.quality.name, preset=preset, data_source=data.source,
        data_sha256=data.sha256, lecture_title=data.lecture.title, results=results, keys=keys,
        signature=signature, data_inputs=tuple(cache.data_inputs_record(options.data, data.input_files)),
        data=data,
        base_url=options.base_url or "", lecture_date=data.lecture.date,
    )
    kept = len(selected) - len(todo)
    if todo:
        progress.note(f"render: {len(todo)} of {len(selected)} scenes to render into {out} at {options.quality}, "
                      f"{kept} up to date, "
                      + (f"on the Dask cluster at {options.cluster}" if options.cluster and runner is None
                         else f"{min(options.jobs, len(todo))} at a time"))
        for spec in selected:
            if spec.id in reasons:
                progress.note(f"  {spec.index:02d} {spec.id}: {reasons[spec.id]}")

    missing = [spec for spec in todo if not (cache.PROJECT_ROOT / spec.file).is_file()]
    if missing:
        spec = missing[0]
        raise RenderFailure(f"scene {spec.index:02d} {spec.id} cannot be rendered: {spec.file} does not exist", EXIT_FAILED)

    try:  # recorded:DIR: every beat about to render has a file (or a fallback), every file is a beat
        voice_publish.check_recordings(voice, options.lang, options.data, [spec.id for spec in todo],
                                       options.jobs, outdir.work_area(out))
    except VoiceError as err:
        raise RenderFailure(str(err), EXIT_BAD_INPUT) from None
    except RuntimeError as err:
        raise RenderFailure(str(err), EXIT_FAILED) from None

    _check_writable(out)
    run_dir = outdir.new_run(out)
    _write_snapshot(run_dir, data)  # every worker reads this, whatever happens to the user's file
    ok = keep_logs = False
    stage = None
    try:
        rendered = _render_scenes(todo, options, run_dir, progress, runner, keys)
        publish_started = time.monotonic()
        # The stage (inside OUT, on its file system) exists only while publishing: a render
        # stopped before this point has not touched OUT at all.
        try:
            stage = outdir.new_stage(out, run_dir)
            publish.seed_tree(out, stage.tree)
            manifest = publish.assemble(stage.tree, run_dir / "work", ctx, previous, rendered)
            if not todo and publish.same_files(stage.tree, out):
                progress.note(f"render: nothing to do: {out} is up to date ({len(selected)} scenes)")
                ok = True
                return EXIT_OK
            _gate(stage.tree, options, progress)  # the staged output, before it replaces OUT
            blocked = _block_signals()
            try:
                outdir.swap_into_place(stage.tree, out)  # all owned entries, or (on error) none
            finally:
                _unblock_signals(blocked)
        except RenderFailure:
            raise
        except Exception as err:  # a media or file error: say so in one line, details in a log
            raise _publish_failure(err, out, run_dir) from err
        ok = True
    except SceneFailed:
        keep_logs = True
        raise
    finally:
        progress.close()
        if stage is not None:
            stage.drop()
        if keep_logs:  # the error message names a log in here; the next run clears it
            shutil.rmtree(run_dir / "tree", ignore_errors=True)
            shutil.rmtree(run_dir / "work", ignore_errors=True)
        else:
            shutil.rmtree(run_dir, ignore_errors=True)

    voices = voice_publish.summary(done.result for done in rendered.values())
    if voices:
        progress.note(f"render: {voices}")
    lecture = manifest["lecture"]
    summary = (f"lecture.mp4 {lecture['duration_s']:.1f} s, {len(manifest['scenes'])} scenes" if lecture["complete"]
               else f"{len(manifest['scenes'])} of {len(SCENES_IN_ORDER)} scenes published; full lecture not built "
                    "(render all scenes with the same data, language and quality to build it)")
    what = "published" if todo else f"all {len(selected)} selected scenes up to date; updated the manifest and page of"
    progress.note(f"render: {what} {out} in {progress.elapsed():.1f} s "
                  f"(publishing {time.monotonic() - publish_started:.1f} s): {summary}")
    return EXIT_OK


def _gate(tree: Path, options: RenderOptions, progress: Progress) -> None:
    """The pre-publish gate on the staged output: findings are warnings, or with
    ``--strict`` errors that stop the render before the swap (OUT stays as it was)."""
    from ..check import CheckOptions, check_folder

    started = time.monotonic()
    findings = check_folder(tree, CheckOptions(strict=options.strict))
    for finding in findings:
        progress.note(finding.line() if options.strict else f"warning: {finding.line()}")
    errors = [f for f in findings if options.strict or f.level == "error"]
    progress.note(f"check: {len(errors)} finding(s) in {time.monotonic() - started:.1f} s"
                  + ("" if options.strict or not errors else " (warnings; --strict makes them errors)"))
    if options.strict and errors:
        raise RenderFailure(f"check: {len(errors)} finding(s) (--strict); the output folder was left as it was",
                            EXIT_FAILED)


def _publish_failure(err: Exception, out: Path, run_dir: Path) -> SceneFailed:
    """One line for an error while publishing; the traceback goes to a log, best effort (the
    disk may be full: then the line names no log)."""
    import traceback

    log = run_dir / "logs" / "publish.log"
    try:
        log.write_text(traceback.format_exc(), encoding="utf-8")
        where = f"; log: {log}"
    except OSError:
        where = ""
    if isinstance(err, OSError) and err.strerror:
        what = f"{err.strerror}" + (f": {err.filename}" if err.filename else "")
        return SceneFailed(f"publishing into {out} failed: {what}; the output folder was left as it was{where}",
                           EXIT_FAILED)
    return SceneFailed(f"publishing failed: {type(err).__name__}: {err}{where}", EXIT_FAILED)


def _block_signals():
    try:
        return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    except (AttributeError, ValueError):
        return None


def _unblock_signals(previous) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@dataclass
class _Job:
    spec: Any
    process: subprocess.Popen
    work: Path
    log: Path
    label: str


def _worker_env(options: RenderOptions, data_file: Path | None = None) -> dict[str, str]:
    from scenes import DATA_ENV, LANG_ENV

    from .worker import PARENT_ENV, TEX_CACHE_ENV

    env = dict(os.environ)
    env[TEX_CACHE_ENV] = str(outdir.work_area(options.out) / "tex-cache")
    env[LANG_ENV] = options.lang
    # The run's snapshot of the data (read once by the parent), never the user's file: a file
    # edited during the render cannot give the scenes a mix of versions.
    env[DATA_ENV] = str(data_file) if data_file is not None else (str(Path(options.data).resolve()) if options.data else "")
    env["PYTHONHASHSEED"] = "0"  # frames must not depend on set/dict-of-str order
    env[PARENT_ENV] = str(os.getpid())
    root = str(cache.PROJECT_ROOT)
    env["PYTHONPATH"] = os.pathsep.join([root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env.setdefault("PYTHONUNBUFFERED", "1")
    from ..voice import publish as voice_publish, render_hook

    env.update(render_hook.worker_env(options.voice, voice_publish.cache_dir(outdir.work_area(options.out))))
    return env


def _snapshot_of(run_dir: Path) -> Path | None:
    path = run_dir / DATA_SNAPSHOT
    return path if path.is_file() else None


def _start(spec, options: RenderOptions, run_dir: Path) -> _Job:
    width, height, fps = options.quality.preset
    stem = f"{spec.index:02d}-{spec.id}"
    work = run_dir / "work" / stem
    work.mkdir(parents=True)
    log = run_dir / "logs" / f"{stem}.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "lecture.render.worker", "--scene", spec.id, "--width", str(width),
             "--height", str(height), "--fps", str(fps), "--work", str(work)],
            cwd=work, env=_worker_env(options, _snapshot_of(run_dir)), stdin=subprocess.DEVNULL, stdout=handle,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
    return _Job(spec, process, work, log, f"{spec.index:02d} {spec.id}")


def _stop(jobs) -> None:
    for job in jobs:
        if job.process.poll() is None:
            try:
                os.killpg(job.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    for job in jobs:
        job.process.wait()


def _last_error_line(log: Path) -> str:
    try:
        lines = [line.strip() for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    for line in reversed(lines):
        if "Error" in line or "Exception" in line:
            return line[:200]
    return lines[-1][:200] if lines else ""


def _signal_name(number: int) -> str:
    """A signal's name, for one-line errors.

    >>> _signal_name(9)
    'SIGKILL'
    """
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _render_scenes(todo, options: RenderOptions, run_dir: Path, progress: Progress, runner=None, keys=None):
    from ..publish.assemble import Rendered

    rendered: dict[str, Rendered] = {}
    if not todo:
        return rendered
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
    import json

    pending = deque(todo)
    running: list[_Job] = []
    progress.begin(len(todo))
    try:
        while pending or running:
            while pending and len(running) < options.jobs:
                job = _start(pending.popleft(), options, run_dir)
                running.append(job)
                progress.start(job.label)
            for job in list(running):
                status = job.process.poll()
                if status is None:
                    continue
                running.remove(job)
                result_file = job.work / "result.json"
                if status < 0:  # killed by a signal: say which, not a random last log line
                    progress.drop(job.label)
                    raise SceneFailed(f"scene {job.label}: worker killed by signal {_signal_name(-status)}; "
                                      f"log: {job.log}", EXIT_FAILED)
                if status != 0 or not result_file.is_file():
                    progress.drop(job.label)
                    from ..voice.render_hook import voice_error

                    if voice_error(job.work):  # a recording or TTS engine failed: bad input
                        raise RenderFailure(f"scene {job.label}: {voice_error(job.work)}", EXIT_BAD_INPUT)
                    reason = _last_error_line(job.log)
                    raise SceneFailed(
                        f"scene {job.label} failed (exit status {status})"
                        + (f": {reason}" if reason else "") + f"; log: {job.log}",
                        EXIT_FAILED,
                    )
                result = json.loads(result_file.read_text(encoding="utf-8"))
                rendered[job.spec.id] = Rendered(job.spec, job.work / "out", result, job.log)
                video = result["video"]
                progress.finish(job.label, f"{video['duration_s']:.1f} s of video")
            progress.tick()
            time.sleep(0.1)
    finally:
        _stop(running)
    return rendered
