"""The narration script: every narration line of every scene as a *beat*.

A beat is one ``*_say`` line as a scene narrates it (data numbers filled in), with a
stable id ``NN-scene-id/key`` (e.g. ``09-phone-os/observe_say``) and how long its block
lasts in the silent render. The beats come from constructing each scene with animations
skipped in a child process (manim's global config stays untouched here) with
``LectureScene.narrate`` wrapped there to note each line: see ``lecture/voice/_collect.py``.

``nll-lecture script`` prints them for a lecturer to read when recording.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, EXIT_FAILED
from .errors import VoiceError

FORMATS = ("text", "csv", "json")
LANGUAGES = ("ko", "en")


@dataclass(frozen=True)
class Beat:
    """One narration line of one scene.

    ``id`` is ``NN-scene-id/name``: ``name`` is ``key``, or ``key-2``, ``key-3``... if a
    scene narrates the same key more than once. ``index`` is the beat's position in its
    scene (1-based). ``silent_duration_s`` is how long the line's block lasts without a
    voice (the reading-rate timing of today's render).
    """

    id: str
    scene: str
    index: int
    key: str
    text: str
    silent_duration_s: float

    @property
    def scene_stem(self) -> str:
        """``NN-scene-id``: the folder of the scene's recordings, the clip's file stem."""
        return self.id.split("/", 1)[0]

    @property
    def name(self) -> str:
        """The beat's name inside its scene: the recording's file name without extension."""
        return self.id.split("/", 1)[1]

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "scene": self.scene, "key": self.key, "text": self.text,
                "silent_duration_s": round(self.silent_duration_s, 4)}


def scene_stem(scene_id: str) -> str:
    """``NN-scene-id`` of a catalog scene id (``phone-os`` -> ``09-phone-os``)."""
    from scenes import SCENES_BY_ID

    spec = SCENES_BY_ID[scene_id]
    return f"{spec.index:02d}-{spec.id}"


def all_scene_stems() -> list[str]:
    """``NN-scene-id`` of every scene, in lecture order."""
    from scenes import SCENES_IN_ORDER

    return [f"{spec.index:02d}-{spec.id}" for spec in SCENES_IN_ORDER]


def beats_from_records(records: Iterable[dict[str, object]]) -> list[Beat]:
    """Beats from the child's notes (scene, key, text, duration_s), in the notes' order."""
    beats: list[Beat] = []
    per_scene: Counter[str] = Counter()
    per_key: Counter[tuple[str, str]] = Counter()
    for record in records:
        scene, key = str(record["scene"]), str(record["key"])
        per_scene[scene] += 1
        per_key[(scene, key)] += 1
        name = key if per_key[(scene, key)] == 1 else f"{key}-{per_key[(scene, key)]}"
        beats.append(Beat(f"{scene_stem(scene)}/{name}", scene, per_scene[scene], key,
                          str(record["text"]), float(record["duration_s"])))
    return beats


def _split(scene_ids: list[str], jobs: int) -> list[list[str]]:
    """Scenes dealt round-robin to ``jobs`` children (neighbours cost alike)."""
    jobs = max(1, min(jobs, len(scene_ids)))
    return [scene_ids[i::jobs] for i in range(jobs)]


def collect_beats(lang: str, data_path: str | None, scene_ids: Sequence[str] | None = None,
                  jobs: int | None = None) -> list[Beat]:
    """Every beat of the given scenes (default all), in lecture order.

    The data file is validated here first (a bad one raises ``mathcore.DataError``).
    Scenes are constructed in ``jobs`` child processes (default: the usable cores; the
    whole lecture takes about a minute of CPU), unless their beats are cached under the same
    key (:func:`beats_cache_dir`): then nothing is constructed.
    """
    from mathcore import load_data
    from scenes import SCENES_BY_ID, SCENES_IN_ORDER

    if lang not in LANGUAGES:
        raise VoiceError(f"--lang: expected one of {', '.join(LANGUAGES)}, got {lang!r}")
    if data_path is not None:
        data_path = str(Path(data_path).resolve())
    data = load_data(data_path)
    if scene_ids is None:
        wanted = [spec.id for spec in SCENES_IN_ORDER]
    else:
        unknown = [s for s in scene_ids if s not in SCENES_BY_ID]
        if unknown:
            raise VoiceError(f"unknown scene {unknown[0]!r} (see nll-lecture scenes)")
        chosen = set(scene_ids)
        wanted = [spec.id for spec in SCENES_IN_ORDER if spec.id in chosen]
    if not wanted:
        return []
    keys = _beat_cache_keys(lang, data, wanted)
    cached = {scene_id: _cached_beats(keys[scene_id], scene_id) for scene_id in wanted}
    records: list[dict[str, object]] = []
    missing = [scene_id for scene_id in wanted if cached[scene_id] is None]
    if missing:
        fresh = _construct(lang, data_path, missing, jobs)
        for scene_id in missing:
            mine = [r for r in fresh if r.get("scene") == scene_id]
            _store_beats(keys[scene_id], mine)
            cached[scene_id] = mine
    for scene_id in wanted:  # in lecture order; a scene's lines keep their order
        records.extend(cached[scene_id] or [])
    return beats_from_records(records)


# The beats of a scene are cached by a key of everything they depend on (the scene's code,
# the shared scene code and mathcore, the collector, the data sections it reads, the language
# and the library versions): the same key, the same beats, without constructing the scene.
BEATS_CACHE_SCHEMA = "nll-lecture-beats-v1"


def beats_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/nll-lecture/beats`` (default ``~/.cache/nll-lecture/beats``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nll-lecture" / "beats"


def _beat_cache_keys(lang: str, data, scene_ids: Sequence[str]) -> dict[str, str]:
    from scenes import SCENES_BY_ID

    from ..render import cache

    sources = cache.collect_sources()
    keys = {}
    for scene_id in scene_ids:
        spec = SCENES_BY_ID[scene_id]
        keys[scene_id] = cache.sha256_json({
            "schema": BEATS_CACHE_SCHEMA,
            "scene": {"index": spec.index, "id": spec.id, "module": spec.module, "class": spec.scene_class},
            # what the collector runs for the scene (lecture/render/imports.py), itself included
            "code": cache.sha256_json(sources.run_by("lecture.voice._collect", spec.import_path)),
            "collector": sources.files.get("lecture/voice/script.py"),
            "data": {section: data.section_digest(section) for section in spec.reads},
            "lang": lang,
            "versions": cache.library_versions(),
        })
    return keys


def _cached_beats(key: str, scene_id: str) -> list[dict[str, object]] | None:
    """The scene's noted beats under ``key``, if cached and well-formed (else None)."""
    try:
        records = json.loads((beats_cache_dir() / f"{key}.json").read_text(encoding="utf-8"))["beats"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(records, list) or not all(
            isinstance(r, dict) and r.get("scene") == scene_id and isinstance(r.get("key"), str)
            and isinstance(r.get("text"), str) and isinstance(r.get("duration_s"), (int, float)) for r in records):
        return None
    return records


def _store_beats(key: str, records: list[dict[str, object]]) -> None:
    """Cache a scene's beats (best effort: a cache that cannot be written is no error)."""
    folder = beats_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"beats": records}, handle, ensure_ascii=False)
        os.replace(tmp, folder / f"{key}.json")
    except OSError:
        pass


def _construct(lang: str, data_path: str | None, wanted: list[str], jobs: int | None) -> list[dict[str, object]]:
    """Construct the scenes (animations skipped) in child processes; their noted beats."""
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    env = dict(os.environ)
    env["NLL_LECTURE_LANG"] = lang
    if data_path is None:
        env.pop("NLL_LECTURE_DATA", None)
    else:
        env["NLL_LECTURE_DATA"] = data_path
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    records: list[dict[str, object]] = []
    failure = None
    with tempfile.TemporaryDirectory(prefix="nll-script-") as tmp:
        children = []
        for i, group in enumerate(_split(wanted, jobs)):
            out = Path(tmp) / f"beats-{i}.json"
            command = [sys.executable, "-m", "lecture.voice._collect", str(out), lang, *group]
            children.append((group, out, subprocess.Popen(command, cwd=root, env=env, stdin=subprocess.DEVNULL,
                                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
        for group, out, child in children:
            _, err = child.communicate()
            if child.returncode != 0 or not out.is_file():
                if failure is None:
                    last = (err.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
                    failure = f"constructing scenes {', '.join(group)} failed (exit status {child.returncode}): {last}"
            else:
                records.extend(json.loads(out.read_text(encoding="utf-8"))["beats"])
    if failure:
        raise RuntimeError(failure)
    return records


# Formats -----------------------------------------------------------------------------------
def format_script(beats: Sequence[Beat], fmt: str, lang: str | None = None, questions: Sequence[dict] = ()) -> str:
    """The script as ``text`` (for reading aloud), ``csv`` or ``json``.

    JSON: ``{"lang": "ko", "beats": [{"id", "scene", "key", "text", "silent_duration_s"}]}``
    (``lang`` from the argument; beats do not carry it), and ``"questions"`` (as in
    manifest.json, without times) when there are any. Text: each question after its scene's
    lines (lecture/questions.py ``script_lines``). CSV: the beats only.
    """
    if fmt == "json":
        doc = {"lang": lang, "beats": [b.as_dict() for b in beats]}
        if questions:
            doc["questions"] = list(questions)
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "scene", "key", "text", "silent_duration_s"])
        for b in beats:
            writer.writerow([b.id, b.scene, b.key, b.text, f"{b.silent_duration_s:.2f}"])
        return buffer.getvalue()
    if fmt == "text":
        lines: list[str] = []
        scene = None
        from ..questions import script_lines

        asked = {}
        for q in questions:
            asked.setdefault(q["scene"], []).append(q)
        for b in beats:
            if b.scene != scene:
                if scene is not None:
                    lines.extend(script_lines(asked.get(scene, ())))
                    lines.append("")
                lines.append(f"== {b.scene_stem} ==")
                scene = b.scene
            lines.append(f"{b.id}  ({b.silent_duration_s:.1f} s)")
            lines.append(f"    {b.text}")
        if scene is not None:
            lines.extend(script_lines(asked.get(scene, ())))
        total = sum(b.silent_duration_s for b in beats)
        lines.append("")
        lines.append(f"{len(beats)} beats, {total:.1f} s of narration in the silent render")
        return "\n".join(lines) + "\n"
    raise VoiceError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")


def _questions(lang: str, data_path: str | None, beats: Sequence[Beat]) -> list[dict]:
    """The questions of the scenes in ``beats`` (lecture/questions.py), untimed."""
    from mathcore import load_data
    from mathcore.questions import lecture_questions

    from ..questions import worded

    shown = {b.scene for b in beats}
    return [q for q in worded(lecture_questions(load_data(data_path), lang), lang) if q["scene"] in shown]


# Command line ------------------------------------------------------------------------------
def add_script_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``nll-lecture script``."""
    parser.add_argument("--lang", choices=LANGUAGES, default="ko", help="language of the lines (default ko)")
    parser.add_argument("--data", metavar="FILE", help="data file (TOML); default: the deck's data")
    parser.add_argument("--format", choices=FORMATS, default="text", help="text (default), csv or json")
    parser.add_argument("--scene", action="append", metavar="ID", dest="scenes",
                        help="only this scene (repeatable; ids from nll-lecture scenes)")


def script_main(args: argparse.Namespace) -> int:
    """``nll-lecture script``: print every beat's id, text and silent duration.

    A VoiceError (an unknown scene) is printed as ``error: ...`` with exit status 2, a scene
    that fails to construct with status 1; a bad data file raises ``mathcore.DataError``
    for the CLI to report (status 2)."""
    try:
        beats = collect_beats(args.lang, args.data, getattr(args, "scenes", None))
        sys.stdout.write(format_script(beats, args.format, args.lang, _questions(args.lang, args.data, beats)))
    except VoiceError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RuntimeError as err:  # a scene raised while being constructed
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILED
    return 0
