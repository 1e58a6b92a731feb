"""A published OUT as the packages read it: its manifest, checked to hold the full lecture."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..errors import EXIT_BAD_INPUT, LectureError
from ..publish.assemble import MANIFEST, STATE_FILE, files_intact


class PackageError(LectureError):
    """Bad input to ``nll-lecture package`` (exit status 2)."""

    exit_status = EXIT_BAD_INPUT


@dataclass(frozen=True)
class Published:
    """A published OUT with the full lecture."""

    root: Path
    manifest: dict[str, Any]

    @property
    def lecture(self) -> dict[str, Any]:
        return self.manifest["lecture"]

    @property
    def lang(self) -> str:
        return self.lecture["lang"]

    @property
    def title(self) -> str:
        return self.lecture["title"]

    @property
    def questions(self) -> list[dict[str, Any]]:
        return [q for q in self.manifest.get("questions") or [] if q.get("time_s") is not None]

    def path(self, rel: str) -> Path:
        return self.root / rel

    def text(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def identifier(self) -> str:
        """A stable identifier of this lecture (the same OUT, the same identifier): from the
        manifest's scene keys, language and quality."""
        keys = [s.get("inputs_sha256", "") for s in self.manifest["scenes"]]
        blob = json.dumps([keys, self.lang, self.lecture.get("quality")], sort_keys=True).encode()
        return "nll-lecture-" + hashlib.sha256(blob).hexdigest()[:16]

    def handout(self) -> str | None:
        rel = self.lecture.get("handout")
        return rel if rel and (self.root / rel).is_file() else None

    def explore(self) -> str | None:
        """The companion page (explore.html: self-contained, so it travels alone), if published."""
        rel = self.lecture.get("explore")
        return rel if rel and (self.root / rel).is_file() else None


def asset(name: str) -> str:
    """A page file of this package (lecture/package/assets/)."""
    return files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def schema_files(kind: str) -> dict[str, bytes]:
    """The schema files shipped with a SCORM package (lecture/package/schemas/KIND/), unmodified."""
    folder = files(__package__).joinpath("schemas", kind)
    return {entry.name: entry.read_bytes() for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.is_file() and not entry.name.startswith(".")}


def read_published(out: Path) -> Published:
    """OUT's manifest, if OUT is a published folder whose full lecture is all there."""
    out = out.expanduser()
    if not out.is_dir():
        raise PackageError(f"OUT: {out} is not a folder (publish one with nll-lecture render)")
    manifest_path, state_path = out / MANIFEST, out / STATE_FILE
    if not manifest_path.is_file() or not state_path.is_file():
        raise PackageError(f"OUT: {out} is not a published folder (no {MANIFEST} and {STATE_FILE}; run nll-lecture render)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        state = json.loads(state_path.read_text(encoding="utf-8"))
        lecture = manifest["lecture"]
        scenes = manifest["scenes"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise PackageError(f"OUT: {manifest_path} cannot be read ({err}); render again") from None
    from scenes import SCENES_IN_ORDER

    missing = [spec.id for spec in SCENES_IN_ORDER if spec.id not in {s.get("id") for s in scenes}]
    stale = [s["id"] for s in scenes if not s.get("current", False)]
    if not lecture.get("complete") or not lecture.get("video") or missing or stale:
        what = (f"scenes missing: {', '.join(missing)}" if missing else
                f"scenes not current: {', '.join(stale)}" if stale else "no full lecture video")
        raise PackageError(f"OUT: {out} holds a partial render ({what}); render every scene (nll-lecture render without --scene)")
    if not files_intact(out, state.get("files")):
        raise PackageError(f"OUT: {out} has files missing or changed since it was published; render again")
    for key in ("video", "webm", "captions", "chapters"):
        if not (out / lecture[key]).is_file():
            raise PackageError(f"OUT: {out} lacks {lecture[key]}; render again")
    return Published(out, manifest)
