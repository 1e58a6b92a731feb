"""The render's state file (``OUT/.nll-lecture-state.json``), read as untrusted input.

Anyone who can write OUT can write this file (a shared web folder, an OUT received as a
zip), so nothing in it is believed unless it has the shape the render writes:

  - the format version (``schema``) this program writes;
  - file lists naming only paths the render owns, relative to OUT: owned top-level entries
    (lecture/publish/outdir.py ``OWNED``), plain name components (no absolute path, no
    ``..``, no hidden or empty component, no backslash), a scene's files under its own
    ``NN-id`` names;
  - beat ids ``NN-id/key`` of the scene they belong to, with a plain key, whose stills are in
    the scene's file list.

A state that breaks any rule is ignored whole (every scene is rendered again) and the render
says so in one warning line. The file list is then checked against the disk without
following symbolic links (:func:`regular_file`), so a listed name that is a link, or lies
below one, is never read, published or deleted through.

Pure Python, cheap to import (no manim, no PyAV).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, Mapping

from ..errors import LectureError

SCHEMA = 1  # the state's format version (``schema``): any other is not ours to read

_COMPONENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_SCENE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_STEM = re.compile(r"(\d\d)-([a-z0-9][a-z0-9-]{0,63})")
_SCENE_FOLDERS = ("clips", "posters", "captions", "frames", "logs")
# The full lecture's files, by their manifest key: what assemble.py writes and all a state's
# lecture record may list (one list, so a new file cannot be written but refused on reading).
LECTURE_FILES = {
    "video": "lecture.mp4",
    "webm": "lecture.webm",
    "captions": "lecture.vtt",
    "captions_srt": "lecture.srt",
    "chapters": "chapters.vtt",
    "chapters_txt": "chapters.txt",
}


class Untrusted(LectureError, ValueError):
    """The state is not one this program wrote; ``str()`` says what gave it away."""


def safe_relative(rel: Any) -> bool:
    """Whether ``rel`` is a path the render may own inside OUT: plain components under an
    owned top-level entry, at most three deep.

    >>> [safe_relative(p) for p in ("clips/01-title.mp4", "/etc/passwd", "clips/../../x", "frames/01-t/.x.png")]
    [True, False, False, False]
    """
    from .outdir import OWNED

    if not isinstance(rel, str) or not rel:
        return False
    parts = rel.split("/")
    return (len(parts) <= 3 and parts[0] in OWNED and all(_COMPONENT.fullmatch(part) for part in parts)
            and ".." not in parts)


def _stem_of(scene_id: str) -> str | None:
    """``NN-id`` of a scene the catalog knows (None for one it no longer has)."""
    from scenes import SCENES_BY_ID

    spec = SCENES_BY_ID.get(scene_id)
    return f"{spec.index:02d}-{spec.id}" if spec is not None else None


def _check_scene_file(scene_id: str, stem: str | None, rel: str) -> None:
    if not safe_relative(rel):
        raise Untrusted(f"scene {scene_id!r} lists the file {rel!r}")
    parts = rel.split("/")
    owner = parts[1] if parts[0] == "frames" else parts[1].rsplit(".", 1)[0]
    match = _STEM.fullmatch(owner) if parts[0] in _SCENE_FOLDERS else None
    if (match is None or match.group(2) != scene_id or (stem is not None and owner != stem)
            or len(parts) != (3 if parts[0] == "frames" else 2)):
        raise Untrusted(f"scene {scene_id!r} lists the file {rel!r}, not one of its own")


def _check_files(files: Any, where: str) -> dict[str, int]:
    if not isinstance(files, dict):
        raise Untrusted(f"{where}: the file list is not a table")
    for rel, size in files.items():
        if not safe_relative(rel):
            raise Untrusted(f"{where} lists the file {rel!r}")
        if type(size) is not int or size < 0:
            raise Untrusted(f"{where}: the size of {rel!r} is {size!r}")
    return files


def _check_beats(scene_id: str, stem: str | None, beats: Any, files: Mapping[str, int], stills: bool) -> None:
    if not isinstance(beats, list):
        raise Untrusted(f"scene {scene_id!r}: beats is not a list")
    for beat in beats:
        beat_id = beat.get("id") if isinstance(beat, dict) else None
        owner, _, key = beat_id.partition("/") if isinstance(beat_id, str) else ("", "", "")
        match = _STEM.fullmatch(owner)
        if (match is None or match.group(2) != scene_id or (stem is not None and owner != stem)
                or not _COMPONENT.fullmatch(key)):
            raise Untrusted(f"scene {scene_id!r} has the beat id {beat_id!r}")
        if stills:
            if beat.get("key") != key or f"frames/{owner}/{key}.png" not in files:
                raise Untrusted(f"scene {scene_id!r}: the beat {beat_id!r} has no still of its own")
            for field in ("start_frame", "end_frame"):
                if type(beat.get(field)) is not int:
                    raise Untrusted(f"scene {scene_id!r}: the beat {beat_id!r} has {field} {beat.get(field)!r}")


_NUMBER = (int, float)
# A catalog scene's record vouches for these files (publish/assemble.py scene_paths, _CHECKED):
# the render reads them (probes the clip, joins the lecture, reads the captions).
_SCENE_FILES = ("clips/{stem}.mp4", "clips/{stem}.webm", "posters/{stem}.png", "captions/{stem}.vtt",
                "captions/{stem}.srt")


def _check_record_fields(scene_id: str, stem: str, record: Mapping[str, Any], files: Mapping[str, int]) -> None:
    """The fields of a catalog scene's record the render uses have the types it writes (a
    crafted record must not crash the render, nor leave a file it reads unchecked)."""
    from scenes import LANGUAGES

    missing = [rel.format(stem=stem) for rel in _SCENE_FILES if rel.format(stem=stem) not in files]
    if missing:
        raise Untrusted(f"scene {scene_id!r} does not list {missing[0]!r}")
    video = record.get("video")
    if not (isinstance(record.get("key"), str) and isinstance(record.get("parts", {}), dict)
            and record.get("lang") in LANGUAGES and isinstance(record.get("quality"), str)
            and isinstance(video, dict) and isinstance(video.get("duration_s"), _NUMBER)
            and isinstance(record.get("check", {}) or {}, dict)):
        raise Untrusted(f"scene {scene_id!r}: its record is not what the render writes")
    for beat in record.get("beats", []):
        if not (isinstance(beat.get("text"), str)
                and all(isinstance(beat.get(f), _NUMBER) for f in ("start_s", "end_s"))):
            raise Untrusted(f"scene {scene_id!r}: the beat {beat.get('id')!r} is not what the render writes")
    for beat in (record.get("voice") or {}).get("beats", []):
        if not (isinstance(beat.get("source"), str)
                and all(isinstance(beat.get(f), _NUMBER) for f in ("start_s", "end_s", "duration_s"))):
            raise Untrusted(f"scene {scene_id!r}: the voice of {beat.get('id')!r} is not what the render writes")


def check(state: Any) -> dict[str, Any]:
    """``state`` as read from the file, if it is one this program wrote (:class:`Untrusted`
    otherwise, naming the first thing that is not)."""
    if not isinstance(state, dict):
        raise Untrusted("not a JSON object")
    if state.get("schema") != SCHEMA:
        raise Untrusted(f"format version {state.get('schema')!r}, not {SCHEMA}")
    scenes = state.get("scenes", {})
    if not isinstance(scenes, dict):
        raise Untrusted("scenes is not a table")
    for scene_id, record in scenes.items():
        if not _SCENE_ID.fullmatch(scene_id) or not isinstance(record, dict):
            raise Untrusted(f"the scene {scene_id!r}")
        stem = _stem_of(scene_id)
        files = _check_files(record.get("files", {}), f"scene {scene_id!r}")
        for rel in files:
            _check_scene_file(scene_id, stem, rel)
        if stem is not None:
            _check_record_fields(scene_id, stem, record, files)
        if "beats" in record:
            _check_beats(scene_id, stem, record["beats"], files, stills=True)
        voice = record.get("voice")
        if voice is not None:
            if not isinstance(voice, dict):
                raise Untrusted(f"scene {scene_id!r}: voice is not a table")
            _check_beats(scene_id, stem, voice.get("beats", []), files, stills=False)
    lecture = state.get("lecture")
    if lecture is not None:
        if not isinstance(lecture, dict):
            raise Untrusted("lecture is not a table")
        for rel in _check_files(lecture.get("files", {}), "the lecture"):
            if rel not in LECTURE_FILES.values():
                raise Untrusted(f"the lecture lists the file {rel!r}")
    _check_files(state.get("files", {}), "the state")
    data = state.get("data")
    if data is not None and not (isinstance(data, dict) and isinstance(data.get("inputs", []), list)
                                 and all(isinstance(name, str) and "\0" not in name for name in data.get("inputs", []))):
        raise Untrusted("data is not what the render writes")
    return state


def regular_file(root: Path, rel: str) -> os.stat_result | None:
    """``lstat`` of ``root/rel`` if it is a regular file and no folder on the way from
    ``root`` is a symbolic link (None otherwise): a listed name is never followed."""
    if not safe_relative(rel):
        return None
    path = Path(root)
    parts = rel.split("/")
    try:
        for part in parts[:-1]:
            path = path / part
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return None
        st = os.lstat(path / parts[-1])
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def real_parents(root: Path, rel: str) -> Path:
    """``root/rel``, after making every folder on the way a real folder of ``root``'s tree
    (a symbolic link or a file in its place is removed: the names are the render's own, in
    its stage). For writing the render's own files into its staging tree."""
    path = Path(root)
    for part in rel.split("/")[:-1]:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISDIR(mode):
            os.unlink(path)
            mode = None
        if mode is None:
            os.mkdir(path)
    return Path(root) / rel
