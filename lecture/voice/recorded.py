"""``--voice recorded:DIR``: the lecturer's own recordings, one file per beat.

Layout: ``DIR/<lang>/<NN-scene-id>/<name>.<ext>`` with ``name`` the beat's name (its key,
e.g. ``observe_say``) and ``ext`` one of wav, flac, mp3, ogg, m4a, webm (any rate,
channels or codec PyAV decodes). Hidden files and files with other extensions are ignored.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import VoiceError
from .script import all_scene_stems
from .base import BeatLike, VoiceCache, VoiceSource, file_sha256, voice_key

if TYPE_CHECKING:
    import numpy as np

AUDIO_EXTENSIONS = ("wav", "flac", "mp3", "ogg", "m4a", "webm")


def _closest(name: str, choices: Sequence[str]) -> str:
    match = difflib.get_close_matches(name, choices, n=1, cutoff=0.0)
    return match[0] if match else ""


def _audio_files(folder: Path) -> dict[str, list[Path]]:
    """Audio files of one scene folder by name (without extension)."""
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower().lstrip(".") in AUDIO_EXTENSIONS:
            found.setdefault(path.stem, []).append(path)
    return found


def _check_root(root: Path, lang: str) -> Path | None:
    """``DIR/<lang>`` if it exists; errors for a DIR (or DIR/lang) that is not a folder."""
    if not root.exists():
        raise VoiceError(f"recorded:{root}: no such folder")
    if not root.is_dir():
        raise VoiceError(f"recorded:{root}: not a folder")
    lang_dir = root / lang
    if not lang_dir.exists():
        return None
    if not lang_dir.is_dir():
        raise VoiceError(f"{lang_dir}: not a folder (expected {root}/{lang}/<NN-scene-id>/<key>.wav ...)")
    return lang_dir


def scene_files(root: Path, lang: str, scene_stem: str) -> dict[str, Path]:
    """The recordings of one scene by beat name (empty if there are none). Two files for
    one beat are an error."""
    lang_dir = _check_root(root, lang)
    folder = None if lang_dir is None else lang_dir / scene_stem
    if folder is None or not folder.is_dir():
        return {}
    files: dict[str, Path] = {}
    for name, paths in _audio_files(folder).items():
        if len(paths) > 1:
            raise VoiceError(f"{folder}: two recordings for beat {scene_stem}/{name}: "
                             f"{', '.join(p.name for p in paths)} (keep one)")
        files[name] = paths[0]
    return files


def check_recordings(root: Path, lang: str, beats: Sequence[BeatLike]) -> dict[str, Path]:
    """The recording of every beat that has one, by beat id.

    Errors (one line each, the first found): DIR not a folder; a folder in ``DIR/<lang>/``
    that is no scene (named with the closest scene folder); an audio file directly in
    ``DIR/<lang>/``; in the folder of a scene being voiced, an audio file that is no beat of
    it (named with the closest beat id); two files for one beat. Folders of scenes not in
    ``beats`` (not rendered now) are not looked into.
    """
    lang_dir = _check_root(root, lang)
    if lang_dir is None:
        return {}
    stems = all_scene_stems()
    by_scene: dict[str, dict[str, str]] = {}
    for beat in beats:
        stem, name = beat.id.split("/", 1)
        by_scene.setdefault(stem, {})[name] = beat.id
    found: dict[str, Path] = {}
    for entry in sorted(lang_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_file():
            if entry.suffix.lower().lstrip(".") in AUDIO_EXTENSIONS:
                raise VoiceError(f"{entry}: a recording outside a scene folder "
                                 f"(expected {lang_dir}/<NN-scene-id>/{entry.name})")
            continue
        if entry.name not in stems:
            raise VoiceError(f"{entry}: no scene {entry.name!r} (closest: {_closest(entry.name, stems)})")
        names = by_scene.get(entry.name)
        if names is None:
            continue
        for name, path in scene_files(root, lang, entry.name).items():
            if name not in names:
                closest = _closest(f"{entry.name}/{name}", [f"{entry.name}/{n}" for n in names])
                raise VoiceError(f"{path}: no beat {entry.name}/{name} (closest: {closest})")
            found[names[name]] = path
    return found


class RecordedSource(VoiceSource):
    """A beat's recording, decoded with PyAV, trimmed and loudness-normalised."""

    kind = "recorded"

    def __init__(self, cache: VoiceCache, root: str | Path) -> None:
        super().__init__(cache)
        self.root = Path(root)
        self._hashes: dict[tuple[str, int, int], str] = {}

    def path(self, beat_id: str, lang: str) -> Path:
        stem, name = beat_id.split("/", 1)
        path = scene_files(self.root, lang, stem).get(name)
        if path is None:
            raise VoiceError(f"beat {beat_id}: no recording in {self.root / lang / stem}")
        return path

    def _sha(self, path: Path) -> str:
        stat = path.stat()
        memo = (str(path), stat.st_size, stat.st_mtime_ns)
        if memo not in self._hashes:
            self._hashes[memo] = file_sha256(path)
        return self._hashes[memo]

    def key(self, beat_id: str, lang: str, text: str) -> str:
        # The recording decides, not the text: a re-worded line keeps its recording's voice.
        return voice_key(None, lang, self.kind, "pyav", {}, self._sha(self.path(beat_id, lang)))

    def produce(self, beat_id: str, lang: str, text: str, workdir: Path) -> tuple[np.ndarray, str, str]:
        path = self.path(beat_id, lang)
        from .audio import decode_audio

        return decode_audio(path), str(path), str(path)
