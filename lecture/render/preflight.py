"""The render's checks before anything renders: the scenes asked for, the options, OUT
and the folders beside it, the cluster's address, and the data file (read and validated
once). Each failure is a :class:`RenderFailure` with its exit status (2 for bad input),
raised before OUT or the work area beside it is touched.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Mapping

from ..publish import outdir
from .options import EXIT_BAD_INPUT, RenderFailure, RenderOptions
from .protocol import SceneRequest, snapshot_of

__all__ = ["check_cluster", "check_options", "check_writable", "load_data", "probe_cluster", "scene_request", "publish_state_name",
           "selected_scenes", "shown_data_source"]


def check_writable(out: Path, target: Path | None = None) -> None:
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


def selected_scenes(options: RenderOptions):
    from scenes import SCENES_BY_ID, SCENES_IN_ORDER

    unknown = [s for s in options.scenes if s not in SCENES_BY_ID]
    if unknown:
        raise RenderFailure(
            f"unknown scene {unknown[0]!r} (known: {', '.join(SCENES_BY_ID)}; see `nll-lecture scenes`)", EXIT_BAD_INPUT
        )
    wanted = set(options.scenes)
    return [spec for spec in SCENES_IN_ORDER if not wanted or spec.id in wanted]


def check_options(options: RenderOptions) -> Path:
    from scenes import LANGUAGES

    if options.lang not in LANGUAGES:
        raise RenderFailure(f"unknown language {options.lang!r} (one of {', '.join(LANGUAGES)})", EXIT_BAD_INPUT)
    if options.jobs < 1:
        raise RenderFailure(f"--jobs must be at least 1, got {options.jobs}", EXIT_BAD_INPUT)
    if options.cluster:
        check_cluster(options)
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
        check_writable(out, next((p for p in out.parents if p.exists()), Path(out.anchor)))
    return out


def publish_state_name() -> str:
    from ..publish.assemble import STATE_FILE

    return STATE_FILE


def check_cluster(options: RenderOptions) -> None:
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


def probe_cluster(address: str) -> None:
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


def load_data(options: RenderOptions):
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


def scene_request(spec: Any, options: RenderOptions, run_dir: Path,
                  key: tuple[str, Mapping[str, Any]] = ("", {})) -> SceneRequest:
    """The request of a local render (RenderOptions ``options``) for the catalog's scene
    ``spec``, in the run folder ``run_dir``: work and log under it, the run's data
    snapshot, the TeX and voice caches in the work area beside OUT; ``key``: the scene's
    (key, parts). Built here, on the parent's side, so that the worker's imports (and so
    every scene's cache key) do not take in the output folder's code."""
    from ..voice.publish import cache_dir

    stem = f"{spec.index:02d}-{spec.id}"
    area = outdir.work_area(options.out)
    snapshot = snapshot_of(run_dir)
    data_file = snapshot if snapshot is not None else (Path(options.data).resolve() if options.data else None)
    return SceneRequest(scene=spec.id, stem=stem, preset=tuple(options.quality.preset), work=run_dir / "work" / stem,
                        log=run_dir / "logs" / f"{stem}.log", lang=options.lang, data_file=data_file,
                        tex_cache=area / "tex-cache", voice=options.voice, voice_cache=cache_dir(area),
                        key=key[0], parts=key[1])
