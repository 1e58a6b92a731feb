"""The published pages are valid HTML in the Nu HTML checker (vnu.jar, the W3C validator's
engine; make setup installs it with npm into tests/nu and Java with apt). Issue 18: present.html
had two errors (an img without src)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from test_present_page import _manifest as present_manifest
from test_webpage import _manifest as index_manifest, _texts

from lecture.present import page as present_page
from lecture.publish import webpage

VNU = Path(__file__).parent / "nu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(*pages: Path) -> list[dict]:
    """The checker's errors (and fatal errors) for ``pages``; warnings and info are not counted."""
    assert VNU.is_file(), f"{VNU} is missing: run `make setup` (npm ci in tests/nu)"
    java = shutil.which("java")
    assert java, "java is missing: run `make setup` (apt: default-jre-headless)"
    result = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--stdout", *map(str, pages)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stdout)["messages"]
    return [m for m in messages if m.get("type") in ("error", "non-document-error") or m.get("subType") == "fatal"]


def test_present_and_index_pages_have_no_nu_errors(tmp_path: Path) -> None:
    present = tmp_path / "present.html"
    present.write_text(present_page.build(present_manifest()), encoding="utf-8")
    manifest = index_manifest()
    manifest["lecture"].update({"handout": "handout.pdf", "present": "present.html", "captions_srt": "lecture.srt",
                                "chapters_txt": "chapters.txt", "has_audio": False})
    manifest["lecture"]["embed"] = webpage.lecture_embed_snippet(manifest["lecture"], "posters/01-title.png")
    for scene in manifest["scenes"]:
        scene["captions_srt"] = scene["captions"].replace(".vtt", ".srt")
    index = tmp_path / "index.html"
    index.write_text(webpage.build(manifest, _texts(manifest)), encoding="utf-8")
    errors = nu_errors(present, index)
    assert errors == [], [(Path(e.get("url", "")).name, e.get("lastLine"), e["message"]) for e in errors]


def test_the_checker_finds_an_img_without_src(tmp_path: Path) -> None:
    """The check can fail: the error present.html had."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
                   '<body><img id="x" alt=""></body></html>', encoding="utf-8")
    assert any("src" in e["message"] for e in nu_errors(bad))
