"""Content hashes shared by the render cache, the voices and the publisher: sha256 of
bytes, of a file, of a JSON value, and the versions of the rendering libraries.

It imports nothing of the project, so that ``voice`` and ``publish`` hash without
reaching into ``render/`` (lecture/render/cache.py builds the scene keys from these).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VERSIONED_PACKAGES = ("manim", "numpy", "scipy", "av", "manimpango", "pillow")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_json(value: Any) -> str:
    return sha256_bytes(json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    """Versions of python and the rendering libraries, read from dist-info folder names
    (fast: no imports, no importlib.metadata scan)."""
    wanted = {name: None for name in VERSIONED_PACKAGES}
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        try:
            names = os.listdir(entry)
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            project, _, version = name[: -len(".dist-info")].partition("-")
            key = project.lower().replace("_", "-")
            if key in wanted and wanted[key] is None:
                wanted[key] = version
        if all(wanted.values()):
            break
    versions = {"python": sys.version.split()[0]}
    for name, version in wanted.items():
        if version is None:
            try:
                from importlib.metadata import version as metadata_version

                version = metadata_version(name)
            except Exception:
                version = "absent"
        versions[name] = version
    return versions
