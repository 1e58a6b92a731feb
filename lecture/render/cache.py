"""Content-hash cache keys: a scene is re-rendered only when something that affects its
frames changed.

A scene's key hashes
  - code: every shared module of scenes/ (base, numbers, axes, readouts, the plots shared by
    two scenes, theme, text, strings_*, catalog, ...), the scene's own sNN file (scene files
    import no other scene file: what two scenes share is a shared module), all of
    mathcore/*.py, and the
    lecture/ modules that turn manim's output into published files (all but the
    orchestration modules listed below);
  - data: the resolved data sections the scene reads (``spec.reads``, via
    ``LectureData.section_digest``), so e.g. a change to [binary].counts re-renders only
    the scenes that read "binary" or "descent";
  - the language, the quality preset, the encoder settings (lecture/encoding.py);
  - the versions of python, manim, numpy, scipy, av, manimpango and pillow.

Importing this module imports neither manim nor mathcore (nor numpy): the no-change path of
``nll-lecture render`` uses it to decide there is nothing to do in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from .. import encoding
from ..hashing import (  # noqa: F401  (the key's hashes; re-exported for the cache's callers)
    PROJECT_ROOT, VERSIONED_PACKAGES, library_versions, sha256_bytes, sha256_file, sha256_json,
)

SCHEMA = "nll-lecture-render-cache-v1"
# Modules of lecture/ (paths relative to it) that only orchestrate (decide what to render,
# assemble and publish the folder, the page): not hashed into scene keys. Every other
# lecture/**/*.py (the worker, media, captions, encoding, voice, and any module added later)
# shapes a scene's published files and is hashed.
ORCHESTRATION_MODULES = frozenset({
    "__init__.py", "cli.py", "report.py",
    "render/__init__.py", "render/cache.py", "render/command.py", "render/options.py", "render/pipeline.py",
    "render/progress.py",
    # voice: the script, the recording page and the lecture's joining/manifest only orchestrate
    "voice/_collect.py", "voice/script.py", "voice/record.py", "voice/record_page.py", "voice/publish.py",
    # present: the page, the handout and the slide export are made at publish time or after
    # (present/beats.py shapes the worker's output and is hashed)
    "present/__init__.py", "present/page.py", "present/handout.py", "present/publish.py", "present/slides.py",
    # the gate reads published folders (check/numbers.py, stillness.py and video.py also run in
    # the workers, whose measures the scene's check record caches: hashed; thresholds.py is
    # not: a stillness record names the thresholds it was measured with)
    "check/__init__.py", "check/command.py", "check/gate.py", "check/layout.py",
    "check/thresholds.py",
})
ORCHESTRATION_PACKAGES = ("publish/", "cluster/", "batch/")  # cluster, batch: where jobs run, not what they make
_SCENE_FILE = re.compile(r"^s\d\d_.*\.py$")


@dataclass(frozen=True)
class SourceSet:
    """Hashes of the project files that can affect frames, keyed by path relative to the root."""

    root: Path
    files: Mapping[str, str]

    def shared(self) -> dict[str, str]:
        """scenes/ modules other than sNN scene files, and all of mathcore/*.py."""
        return {
            path: digest for path, digest in self.files.items()
            if (path.startswith("scenes/") and not _SCENE_FILE.match(path.removeprefix("scenes/")))
            or (path.startswith("mathcore/") and path.endswith(".py"))
        }

    def pipeline(self) -> dict[str, str]:
        """lecture/ modules that shape a scene's published files."""
        return {
            path: digest for path, digest in self.files.items()
            if path.startswith("lecture/") and _shapes_output(path.removeprefix("lecture/"))
        }

    def scene_file(self, relative: str) -> str:
        return self.files.get(relative, "missing")


def _shapes_output(relative: str) -> bool:
    return relative not in ORCHESTRATION_MODULES and not relative.startswith(ORCHESTRATION_PACKAGES)


def collect_sources(root: Path = PROJECT_ROOT) -> SourceSet:
    """Hash scenes/*.py, mathcore/*.py and *.toml, and lecture/**/*.py under ``root``."""
    files: dict[str, str] = {}
    for folder, patterns in (("scenes", ("*.py",)), ("mathcore", ("*.py", "*.toml")), ("lecture", ("**/*.py",))):
        for pattern in patterns:
            for path in sorted((root / folder).glob(pattern)):
                files[path.relative_to(root).as_posix()] = sha256_file(path)
    return SourceSet(root, files)


def scene_key_parts(
    spec: Any,
    *,
    sources: SourceSet,
    sections: Mapping[str, str],
    lang: str,
    quality: str,
    preset: tuple[int, int, int],
) -> dict[str, Any]:
    """Everything that affects one scene's published files, as a JSON-ready dict."""
    return {
        "schema": SCHEMA,
        "scene": {"index": spec.index, "id": spec.id, "module": spec.module, "class": spec.scene_class},
        "scene_file": sources.scene_file(spec.file),
        "shared_code": sha256_json(sources.shared()),
        "pipeline_code": sha256_json(sources.pipeline()),
        "data": {section: sections[section] for section in spec.reads},
        "lang": lang,
        "quality": [quality, *preset],
        "encoder": encoding.fingerprint(),
        "versions": library_versions(),
    }


def key_of(parts: Mapping[str, Any]) -> str:
    return sha256_json(parts)


def explain_change(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> str:
    """Why a scene must be rendered again, in a few words.

    >>> explain_change({"lang": "ko", "data": {"binary": "1"}}, {"lang": "en", "data": {"binary": "2"}})
    'lang, data[binary]'
    """
    if not old:
        return "not rendered yet"
    reasons = []
    for name, value in new.items():
        if name == "data":
            old_data = old.get("data") or {}
            reasons += [f"data[{s}]" for s in value if old_data.get(s) != value[s]]
            if set(old_data) - set(value):
                reasons.append("data sections")
        elif old.get(name) != value:
            reasons.append(name.replace("_", " "))
    return ", ".join(reasons) or "output files changed"


def data_input_files(data_path: str | None) -> list[str]:
    """Absolute paths of the files ``load_data(data_path)`` reads besides the built-in data:
    the data file and, if it names one, its samples CSV (relative to the data file).

    Asks mathcore's own loader (``LectureData.input_files``), so the file is read one way
    everywhere (a byte-order mark, say, cannot hide the CSV from the cache). Imports
    mathcore: not for the no-change path, which hashes the inputs the last render recorded
    (:func:`recorded_data_digest`)."""
    if data_path is None:
        return []
    from mathcore import DataError, load_data

    try:
        return list(load_data(data_path).input_files)
    except DataError:
        return [str(Path(data_path).resolve())]  # the loader will report it; the bytes still count


def data_digest(files: Iterable[str | Path]) -> str:
    """The hash mathcore gives the data it read (``LectureData.sha256``): the data file's
    bytes, then ``b"\\0"`` and the bytes of each further file (the samples CSV)."""
    digest = hashlib.sha256()
    for index, name in enumerate(files):
        if index:
            digest.update(b"\0")
        with open(name, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def data_inputs_record(data_path: str | None, input_files: Iterable[str]) -> list[str]:
    """The files a render read, relative to the data file's folder (for the cache state:
    no absolute paths in OUT). The first is the data file itself."""
    if data_path is None:
        return []
    folder = Path(data_path).resolve().parent
    return [os.path.relpath(name, folder) for name in input_files]


def recorded_data_digest(data_path: str | None, recorded: Iterable[str] | None) -> str | None:
    """The no-change path's hash of the data, from the files the last render recorded
    (:func:`data_inputs_record`): equal to that render's ``LectureData.sha256`` if and only if
    those files still hold the bytes it read. None if there is no usable record or a file
    cannot be read (then only a real render can tell)."""
    if data_path is None:
        return None
    recorded = list(recorded or [])
    path = Path(data_path).resolve()
    if not recorded or recorded[0] != os.path.relpath(path, path.parent):
        return None  # the same bytes in the data file name the same CSV, at the same place
    files = [path] + [path.parent / name for name in recorded[1:]]
    import stat

    try:  # (the list comes from OUT's state: only regular files are read, never a FIFO or device)
        if not all(stat.S_ISREG(os.stat(name).st_mode) for name in files):
            return None
        return data_digest(files)
    except OSError:
        return None


def invocation_signature(
    *,
    sources: SourceSet,
    data_path: str | None,
    lang: str,
    quality: str,
    scene_ids: Iterable[str],
    data_sha256: str | None = None,
    data_source: str | None = None,
) -> str:
    """A hash of one render invocation and every input file it depends on.

    ``data_sha256`` is the hash of the data bytes the render uses (``LectureData.sha256``,
    or :func:`recorded_data_digest` on the no-change path); without it the data files are
    read and hashed here (through mathcore's loader). The built-in data is covered by the
    sources (mathcore/*.toml).

    If the last successful render into OUT had this signature and OUT still holds the files
    it published, running it again would change nothing (the no-change fast path).
    """
    if data_path is not None and data_sha256 is None:
        files = data_input_files(data_path)
        try:
            data_sha256 = data_digest(files)
        except OSError:
            data_sha256 = "unreadable"
    return sha256_json({
        "schema": SCHEMA,
        "sources": dict(sources.files),
        "data_path": str(Path(data_path).resolve()) if data_path else None,
        "data_source": data_source,
        "data_sha256": data_sha256 if data_path else None,
        "lang": lang,
        "quality": quality,
        "scenes": list(scene_ids),
        "encoder": encoding.fingerprint(),
        "versions": library_versions(),
    })
