"""The render pipeline: validate, decide what to render, render scenes in parallel worker
processes, assemble the next output folder in staging, swap it in.

    options -> validate data (exit 2 on DataError) -> lock OUT -> cache keys per scene
            -> workers (python -m lecture.render.worker), N at a time
               (or a runner: --cluster's Dask workers, a batch's shared jobs; lecture/cluster)
            -> publish.assemble(a stage inside OUT) -> outdir.swap_into_place (owned entries only)

The steps live beside it: the checks before anything renders (preflight.py), the worker
protocol (protocol.py: SceneRequest, SceneResult), where the scenes run (executors.py) and
the publishing step (publishing.py).

Any failure (bad input, a scene that raises, Ctrl-C, SIGTERM, a killed process) leaves OUT
as it was. Importing this module is cheap: manim is only ever imported by the workers, and
mathcore/PyAV only when something has to be (re)built.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from ..publish import outdir
from . import cache
from .executors import ProcessExecutor, run_requests
from .options import (  # noqa: F401  (the render vocabulary, handed on to the pipeline's callers)
    DATA_SNAPSHOT, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, QUALITY_PRESETS,
    RenderFailure, RenderOptions, SceneFailed, default_jobs,
)
from .preflight import (  # noqa: F401  (shown_data_source: handed on)
    check_options, check_writable, load_data, probe_cluster, scene_request, selected_scenes, shown_data_source,
)
from .progress import Progress
from .protocol import SceneRequest, write_snapshot
from .publishing import publish_run


class Terminated(BaseException):
    """SIGTERM, turned into an exception so cleanup runs (a BaseException: no ``except
    Exception`` stops it)."""


def run(options: RenderOptions, stream: TextIO | None = None, runner: Any = None) -> int:
    """Run a render; return the process exit status. Messages go to ``stream`` (stderr).

    ``runner``: renders the scenes instead of local worker processes (a batch passes its
    shared ``lecture.cluster.SceneRunner``); ``options.cluster`` makes one for the render."""
    stream = stream or sys.stderr
    previous_term = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise Terminated()

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
    except Terminated:
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


def _run(options: RenderOptions, stream: TextIO, runner: Any = None) -> int:
    progress = Progress(stream)
    selected = selected_scenes(options)
    out = check_options(options)
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
            probe_cluster(options.cluster)
        data, results = load_data(options)  # bad input fails before waiting for any lock

    with outdir.locked(out, on_wait=progress.note):
        outdir.clean_stale_runs(out, warn=progress.note)
        if unchanged():  # (again: a render we waited for may have just made it so)
            progress.note(f"render: nothing to do: {out} is up to date ({len(selected)} scenes)")
            return EXIT_OK
        if data is None:
            data, results = load_data(options)
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

    check_writable(out)
    run_dir = outdir.new_run(out)
    write_snapshot(run_dir, data)  # every worker reads this, whatever happens to the user's file
    keep_logs = False
    try:
        rendered = render_scenes(todo, options, run_dir, progress, runner, keys)
        publish_started = time.monotonic()
        manifest = publish_run(out, run_dir, ctx, previous, rendered, options, progress, anything_new=bool(todo))
        if manifest is None:
            progress.note(f"render: nothing to do: {out} is up to date ({len(selected)} scenes)")
            return EXIT_OK
    except SceneFailed:
        keep_logs = True
        raise
    finally:
        progress.close()
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


def render_scenes(todo, options: RenderOptions, run_dir: Path, progress: Progress, runner=None, keys=None):
    """Render ``todo`` (scene specs, longest first); return scene id -> publish.Rendered.

    On ``runner`` (a batch's, lecture/cluster), on the Dask scheduler at ``options.cluster``,
    else on local worker processes, ``options.jobs`` at a time: the same requests and the
    same scheduling loop (executors.run_requests) on each."""
    if not todo:
        return {}
    requests = [(spec, scene_request(spec, options, run_dir, (keys or {}).get(spec.id, ("", {}))))
                for spec in todo]
    if runner is not None:
        return run_requests(runner, requests, progress)
    if options.cluster:  # the scene jobs go to a Dask scheduler (lecture/cluster)
        from ..cluster import ClusterError, SceneService

        try:
            service = SceneService.connect(options.cluster, note=progress.note)
        except ClusterError as err:
            raise RenderFailure(str(err), err.status) from None
        with service:
            return run_requests(service.runner(), requests, progress)
    return run_requests(ProcessExecutor(options.jobs), requests, progress)
