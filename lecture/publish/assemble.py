"""Assemble the next output folder in staging: scene files, the full lecture, captions,
chapters, manifest.json, index.html and the cache state.

The staging tree starts as hard links of the previous OUT (so kept scenes stay
byte-identical, at no copying cost); every file written here is a new file (never written
through a link), so the previous OUT is untouched until lecture/publish/outdir.py swaps the tree in.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from .. import captions
from .. import hashing
from . import state as state_file
from .files import link_or_copy, replace_file, write_text

MANIFEST = "manifest.json"
PAGE = "index.html"
STATE_FILE = ".nll-lecture-state.json"
STATE_SCHEMA = state_file.SCHEMA  # the state's format version (lecture/publish/state.py)
LECTURE_FILES = state_file.LECTURE_FILES  # the full lecture's files, by manifest key


def scene_paths(spec: Any) -> dict[str, str]:
    """A scene's published files, relative to OUT.

    >>> from scenes import SCENES_IN_ORDER
    >>> scene_paths(SCENES_IN_ORDER[0])["clip"]
    'clips/01-title.mp4'
    """
    stem = f"{spec.index:02d}-{spec.id}"
    return {
        "clip": f"clips/{stem}.mp4",
        "webm": f"clips/{stem}.webm",
        "poster": f"posters/{stem}.png",
        "captions": f"captions/{stem}.vtt",
        "captions_srt": f"captions/{stem}.srt",
        "log": f"logs/{stem}.log",
    }


# The files a scene's cache record vouches for (logs are informative, not checked).
_CHECKED = ("clip", "webm", "poster", "captions", "captions_srt")
# Worker output name -> published path key.
_WORKER_FILES = {"clip.mp4": "clip", "clip.webm": "webm", "poster.png": "poster",
                 "captions.vtt": "captions", "captions.srt": "captions_srt"}


@dataclass
class Previous:
    """What the previous render left in OUT (empty if nothing, or unreadable).

    ``problem``: why a state file that is there was ignored (not this program's format, or
    naming paths the render does not own: lecture/publish/state.py), for one warning line."""

    manifest: dict[str, Any] | None
    state: dict[str, Any]
    problem: str | None = None

    def scene(self, scene_id: str) -> dict[str, Any] | None:
        return self.state.get("scenes", {}).get(scene_id)


def _load_json(path: Path) -> Any:
    """A regular file's JSON (None if missing, a symbolic link, unreadable or not JSON)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            return json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None


def read_previous(out: Path) -> Previous:
    """The previous render's state, if OUT holds one this program wrote (checked:
    lecture/publish/state.py); the manifest is only informative."""
    problem = None
    state: Any = None
    if os.path.lexists(out / STATE_FILE):
        state = _load_json(out / STATE_FILE)
        try:
            state = state_file.check(state)
        except state_file.Untrusted as err:
            problem = f"{out / STATE_FILE} is not a state nll-lecture render wrote ({err}); ignored"
            state = {}
    manifest = _load_json(out / MANIFEST)
    return Previous(manifest if isinstance(manifest, dict) else None, state or {}, problem)


def is_output_folder(out: Path) -> bool:
    """Whether ``out`` is missing, empty, or a folder this program published: recognised by
    its state file in this program's format (a ``manifest.json`` alone proves nothing)."""
    if not out.exists():
        return True
    if not out.is_dir():
        return False
    from .outdir import STAGING

    names = set(os.listdir(out))
    if not names - {STAGING}:  # (an empty folder, or only a stage a dead render left)
        return True
    state = _load_json(out / STATE_FILE)
    return isinstance(state, dict) and state.get("schema") == STATE_SCHEMA


def files_intact(root: Path, files: Mapping[str, int] | None) -> bool:
    """Every listed file is a regular file under ``root`` with its recorded size, reached
    through no symbolic link (lecture/publish/state.py ``regular_file``)."""
    if not files:
        return False
    for rel, size in files.items():
        st = state_file.regular_file(root, rel)
        if st is None or st.st_size != size:
            return False
    return True


def _owned_entries(out: Path, names) -> list[str]:
    return [name for name in names if os.path.lexists(out / name)]


def seed_tree(out: Path, tree: Path) -> None:
    """Hard-link every file the render owns in the previous OUT into the staging tree.

    Only OUT's owned entries (lecture/publish/outdir.py OWNED) are seeded: anything else in
    OUT is the user's and stays where it is, untouched. Inside an owned folder (``clips/``
    …) every file is seeded, a user's too, and every folder is recreated with its mode (empty
    ones included), so the swapped-in folder holds what the old one held.
    """
    from .outdir import OWNED

    if not out.is_dir():
        return
    tree.mkdir(parents=True, exist_ok=True)
    for name in _owned_entries(out, OWNED):
        src = out / name
        if os.path.islink(src):
            continue  # never followed: the new version replaces the link, not what it points to
        if not src.is_dir():
            link_or_copy(src, tree / name)
            continue
        for folder, dirs, names in os.walk(src):
            rel = Path(folder).relative_to(out)
            (tree / rel).mkdir(exist_ok=True)
            _copy_folder_attributes(Path(folder), tree / rel)
            for entry in names + [d for d in dirs if (Path(folder) / d).is_symlink()]:
                link_or_copy(Path(folder) / entry, tree / rel / entry)


def _copy_folder_attributes(src: Path, dst: Path) -> None:
    st = src.stat()
    os.chmod(dst, st.st_mode & 0o7777)
    if os.stat(dst).st_gid != st.st_gid or os.stat(dst).st_uid != st.st_uid:
        try:
            os.chown(dst, st.st_uid, st.st_gid)
        except OSError:
            pass


def _owned_listing(root: Path, names) -> set[str]:
    found = set()
    for name in _owned_entries(root, names):
        top = root / name
        if not top.is_dir():
            found.add(name)
            continue
        for folder, dirs, files in os.walk(top):
            found.add(str(Path(folder).relative_to(root)) + "/")  # folders count (empty ones too)
            found.update(str((Path(folder) / f).relative_to(root)) for f in files)
    return found


def same_files(tree: Path, out: Path) -> bool:
    """Whether the staging tree publishes exactly what OUT's owned entries hold (the cache
    state aside; OUT's other entries and its hidden stage are not the render's)."""
    from .outdir import OWNED

    owned = set(OWNED) | set(os.listdir(tree))
    if any(os.path.islink(out / name) for name in owned):
        return False  # an owned entry of OUT is a link: the new version replaces it
    names = _owned_listing(tree, owned) - {STATE_FILE}
    if names != _owned_listing(out, owned) - {STATE_FILE}:
        return False
    for rel in names:
        if rel.endswith("/"):
            continue
        new, old = tree / rel, out / rel
        new_st, old_st = os.lstat(new), os.lstat(old)
        if new_st.st_ino == old_st.st_ino:
            continue
        if not (stat.S_ISREG(new_st.st_mode) and stat.S_ISREG(old_st.st_mode)):
            return False  # (links are never read through)
        if new_st.st_size != old_st.st_size or new.read_bytes() != old.read_bytes():
            return False
    return True


def remove_entry(tree: Path, rel: str) -> None:
    """Remove a file the render owns from its staging tree: only a path the render may own
    (lecture/publish/state.py), and never below a symbolic link."""
    if not state_file.safe_relative(rel):
        return
    path = tree
    for part in rel.split("/")[:-1]:
        path = path / part
        if not os.path.lexists(path):
            return
        if os.path.islink(path) or not path.is_dir():
            return
    try:
        os.unlink(tree / rel)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        pass


@dataclass(frozen=True)
class Rendered:
    """A scene the worker finished: its output folder, measured result and log."""

    spec: Any
    out_dir: Path
    result: Any  # lecture.render.protocol.SceneResult: what the worker measured
    log: Path


@dataclass(frozen=True)
class Context:
    """What the whole run is about."""

    lang: str
    quality: str
    preset: tuple[int, int, int]
    data_source: str
    data_sha256: str
    lecture_title: str
    results: dict[str, Any]
    keys: Mapping[str, tuple[str, dict[str, Any]]]  # scene id -> (key, key parts)
    signature: str
    data_inputs: tuple[str, ...] = ()  # the data files read, relative to the data file's folder
    data: Any = None  # the LectureData rendered (mathcore), for explore.html
    base_url: str = ""  # --base-url: the embed snippets' URLs are absolute under it
    lecture_date: str = ""  # the data's [lecture] date (the handout's date without SOURCE_DATE_EPOCH)


def published_log(text: str, log: Path, out_dir: Path) -> str:
    """A worker's log as published: the local folders it names made relative or replaced by
    placeholders (the scene's work folder, the run folder, the render area beside OUT, the
    project, the home folder), so OUT carries no absolute path of this machine and the same
    inputs publish the same log.

    >>> published_log("/r/.o.render/run-1/work/01-x/media/a.mp4 /r/.o.render/run-1/data.toml",
    ...               Path("/r/.o.render/run-1/logs/01-x.log"), Path("/r/.o.render/run-1/work/01-x/out"))
    '<work>/media/a.mp4 <run>/data.toml'
    """
    run_dir = log.parent.parent
    places = [(out_dir.parent, "<work>"), (run_dir, "<run>"), (run_dir.parent, "<render-area>"),
              (hashing.PROJECT_ROOT, "<project>"), (Path.home(), "~")]
    for place, name in places:
        for form in {str(place), os.path.realpath(place)}:
            if len(form) > 1:
                text = text.replace(form, name)
    return text


def assemble(tree: Path, work: Path, ctx: Context, previous: Previous, rendered: Mapping[str, Rendered]) -> dict[str, Any]:
    """Bring the staging tree to its final state; return the manifest written."""
    from scenes import SCENES_BY_ID, SCENES_IN_ORDER

    from .. import media
    from ..present import beats as present_beats
    from ..present import publish as present_publish
    from ..voice import publish as voice_publish
    from mathcore.questions import lecture_questions

    from .. import questions
    from .. import explore
    from . import webpage

    records: dict[str, dict[str, Any]] = dict(previous.state.get("scenes", {}))
    for scene_id in list(records):  # scenes no longer in the catalog
        if scene_id not in SCENES_BY_ID:
            for rel in records.pop(scene_id).get("files", {}):
                remove_entry(tree, rel)

    for scene_id, done in rendered.items():
        old = records.pop(scene_id, None)
        for rel in (old or {}).get("files", {}):
            remove_entry(tree, rel)
        paths = scene_paths(done.spec)
        files = {}
        for name, key in _WORKER_FILES.items():
            replace_file(done.out_dir / name, state_file.real_parents(tree, paths[key]))
            files[paths[key]] = (tree / paths[key]).stat().st_size
        for beat in done.result.beats or []:  # each beat's last frame (lecture/present/beats.py)
            rel = present_beats.still_path(beat)
            replace_file(done.out_dir / present_beats.FRAMES_DIR / present_beats.still_name(beat),
                         state_file.real_parents(tree, rel))
            files[rel] = (tree / rel).stat().st_size
        remove_entry(tree, paths["log"])
        state_file.real_parents(tree, paths["log"])
        log_text = done.log.read_text(encoding="utf-8", errors="replace")
        write_text(tree / paths["log"], published_log(log_text, done.log, done.out_dir))
        key, parts = ctx.keys[scene_id]
        records[scene_id] = {
            "key": key,
            "parts": parts,
            "lang": ctx.lang,
            "quality": ctx.quality,
            "video": done.result.video,
            "codecs": done.result.codecs,
            "poster_time_s": done.result.poster_time_s,
            "files": files,
        }
        if done.result.voice:  # --voice: the beats and their sources (lecture/voice/publish.py)
            records[scene_id]["voice"] = done.result.voice
        if done.result.beats is not None:  # every beat: times, frames, text
            records[scene_id]["beats"] = done.result.beats
        if done.result.check:  # beats, layout and numbers for the gate (lecture/check)
            records[scene_id]["check"] = done.result.check

    # The scenes OUT will hold, in lecture order, measured from the files themselves.
    present = []
    for spec in SCENES_IN_ORDER:
        record = records.get(spec.id)
        if record is None:
            continue
        if not files_intact(tree, record.get("files")):
            records.pop(spec.id)  # damaged or deleted by hand: no longer published
            for rel in record.get("files", {}):
                remove_entry(tree, rel)
            continue
        present.append((spec, record, media.probe(tree / scene_paths(spec)["clip"])))

    current = {spec.id: record["key"] == ctx.keys[spec.id][0] for spec, record, _ in present}
    complete = len(present) == len(SCENES_IN_ORDER) and all(current.values())
    width, height, fps = ctx.preset

    starts: dict[str, Fraction] = {}
    total = Fraction(0)
    for spec, _record, info in present:
        starts[spec.id] = total
        total += info.duration

    lecture_state = None
    if complete:
        lecture_key = hashing.sha256_json([record["key"] for _s, record, _i in present])
        old_lecture = previous.state.get("lecture") or {}
        if (old_lecture.get("key") == lecture_key and files_intact(tree, old_lecture.get("files"))
                and set(LECTURE_FILES.values()) <= set(old_lecture["files"])):  # (an older OUT: no lecture.srt)
            lecture_files = dict(old_lecture["files"])
        else:
            lecture_files = _build_lecture(tree, present, starts, ctx, media)
        lecture_state = {"key": lecture_key, "files": lecture_files}
    else:
        for rel in LECTURE_FILES.values():
            remove_entry(tree, rel)

    scenes_manifest = []
    for spec, record, info in present:
        paths = scene_paths(spec)
        scenes_manifest.append({
            "index": spec.index,
            "id": spec.id,
            "scene_class": spec.scene_class,
            "title": _title(spec.id, record),
            "start_s": _seconds(starts[spec.id]) if complete else None,
            "duration_s": _seconds(info.duration),
            "clip": paths["clip"],
            "webm": paths["webm"],
            "poster": paths["poster"],
            "captions": paths["captions"],
            "captions_srt": paths["captions_srt"],
            "log": paths["log"],
            "lang": record["lang"],
            "quality": record["quality"],
            "width": info.width,
            "height": info.height,
            "fps": float(info.fps),
            "frames": info.frames,
            "codec": info.codec,
            "codecs": record.get("codecs"),
            "current": current[spec.id],
            "inputs_sha256": record["key"],
            **present_beats.scene_fields(record, _seconds(starts[spec.id]) if complete else None,
                                         voice_publish.scene_fields(record, _seconds(starts[spec.id]) if complete else None)),
        })

    manifest = {
        "lecture": {
            "title": ctx.lecture_title,
            "lang": ctx.lang,
            "quality": ctx.quality,
            "width": width,
            "height": height,
            "fps": fps,
            "duration_s": _seconds(total) if complete else None,
            "video": LECTURE_FILES["video"] if complete else None,
            "webm": LECTURE_FILES["webm"] if complete else None,
            "captions": LECTURE_FILES["captions"] if complete else None,
            "captions_srt": LECTURE_FILES["captions_srt"] if complete else None,
            "chapters": LECTURE_FILES["chapters"] if complete else None,
            "chapters_txt": LECTURE_FILES["chapters_txt"] if complete else None,
            "complete": complete,
            "page": PAGE,
            **present_publish.manifest_fields(),
            **({"explore": explore.EXPLORE_PAGE} if ctx.data is not None else {}),
            "codecs": present[0][1].get("codecs") if complete else None,
            **voice_publish.lecture_fields(scenes_manifest),
        },
        "data": {"source": ctx.data_source, "sha256": ctx.data_sha256},
        "results": ctx.results,
        "scenes": scenes_manifest,
        # a check of understanding at the end of each scene that teaches a result (lecture/questions.py)
        "questions": questions.worded(lecture_questions(ctx.data, ctx.lang), ctx.lang, scenes_manifest) if ctx.data else [],
        "generator": {"program": "nll-lecture render", "versions": hashing.library_versions()},
    }
    _add_embeds(manifest, ctx.base_url)
    manifest["lecture"]["date"] = ctx.lecture_date

    write_text(tree / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    texts = {rel: (tree / rel).read_text(encoding="utf-8")
             for rel in [s["captions"] for s in scenes_manifest] + ([manifest["lecture"]["captions"], manifest["lecture"]["chapters"]] if complete else [])}
    write_text(tree / PAGE, webpage.build(manifest, texts))
    presented = present_publish.publish(tree, manifest)  # present.html, handout.pdf
    if ctx.data is not None:  # explore.html, whatever scenes were rendered (lecture/explore/)
        presented = [*presented, *explore.publish(tree, ctx.data, ctx.lang)]

    files: dict[str, int] = {}
    for record in records.values():
        files.update(record["files"])
    if lecture_state:
        files.update(lecture_state["files"])
    for rel in (MANIFEST, PAGE, *presented):
        files[rel] = (tree / rel).stat().st_size
    state = {
        "schema": STATE_SCHEMA,
        "signature": ctx.signature,
        # what the no-change path hashes again (lecture/render/cache.py recorded_data_digest)
        "data": {"sha256": ctx.data_sha256, "inputs": list(ctx.data_inputs)},
        # in lecture order, not the order the workers finished in: the same bytes every time
        "scenes": {spec.id: records[spec.id] for spec in SCENES_IN_ORDER if spec.id in records},
        "lecture": lecture_state,
        "files": dict(sorted(files.items())),
    }
    write_text(tree / STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1) + "\n")
    return manifest


def _add_embeds(manifest: dict[str, Any], base_url: str) -> None:
    """Each scene's and the whole lecture's embed snippet (``crossorigin="anonymous"``), with
    absolute URLs under ``base_url`` when given (``render --base-url``)."""
    from . import webpage

    lecture, scenes = manifest["lecture"], manifest["scenes"]
    lecture["base_url"] = base_url or None
    for scene in scenes:
        scene["embed"] = webpage.embed_snippet(scene, scene["lang"], base_url)
    lecture["embed"] = (webpage.lecture_embed_snippet(lecture, scenes[0]["poster"], base_url)
                        if lecture["complete"] and scenes else None)


def _seconds(value: Fraction) -> float:
    return round(float(value), 6)


def _title(scene_id: str, record: dict[str, Any]) -> str:
    """The scene's title as it rendered it (in the data's story: scene 9 names the data);
    the catalog's for a scene rendered before its record held one."""
    from scenes import scene_title

    return (record.get("check") or {}).get("title") or scene_title(scene_id, record["lang"])


def _build_lecture(tree: Path, present, starts: Mapping[str, Fraction], ctx: Context, media) -> dict[str, int]:
    """lecture.mp4/.webm joined from the clips without re-encoding; lecture.vtt; chapters."""
    from .. import encoding

    clips = [tree / scene_paths(spec)["clip"] for spec, _r, _i in present]
    webms = [tree / scene_paths(spec)["webm"] for spec, _r, _i in present]
    from ..voice import publish as voice_publish

    # packet copy; clips with a voice keep it, audio re-placed at every clip start (no drift)
    voice_publish.join(clips, tree / LECTURE_FILES["video"], media, encoding.MP4_MUXER_OPTIONS)
    voice_publish.join(webms, tree / LECTURE_FILES["webm"], media)

    cues: list[captions.Cue] = []
    chapters: list[tuple[int, str]] = []
    chapter_cues: list[captions.Cue] = []
    for spec, record, info in present:
        start_ms = captions.ms_at_or_after(starts[spec.id])
        text = (tree / scene_paths(spec)["captions"]).read_text(encoding="utf-8")
        cues += [cue.shifted(start_ms) for cue in captions.parse(text)]
        title = _title(spec.id, record)
        chapters.append((start_ms, title))
        chapter_cues.append(captions.Cue(start_ms, captions.ms_at_or_after(starts[spec.id] + info.duration), title))
    write_text(tree / LECTURE_FILES["captions"], captions.to_vtt(cues))
    write_text(tree / LECTURE_FILES["captions_srt"], captions.to_srt(cues))  # for tools that take SRT only
    ids = [f"chapter-{spec.index:02d}" for spec, _r, _i in present]
    write_text(tree / LECTURE_FILES["chapters"], captions.to_vtt(chapter_cues, ids))
    write_text(tree / LECTURE_FILES["chapters_txt"], captions.chapters_txt(chapters))
    return {rel: (tree / rel).stat().st_size for rel in LECTURE_FILES.values()}
