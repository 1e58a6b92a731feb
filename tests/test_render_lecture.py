"""End to end on the real scenes at preview quality: the whole lecture (rendered once per
session) and a subset, checked with PyAV against the manifest."""

from __future__ import annotations

import hashlib
import os
import json
import re
import struct
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from test_render_support import REPO, full_lecture, render, snapshot, title_and_closing_en  # noqa: F401 (fixture)

from lecture import captions, media
from lecture.publish.assemble import scene_paths
from scenes import SCENES_IN_ORDER, scene_title

pytestmark = pytest.mark.slow

LECTURE_KEYS = {"title", "lang", "quality", "width", "height", "fps", "duration_s", "video", "webm", "captions", "chapters"}
SCENE_KEYS = {"index", "id", "scene_class", "title", "start_s", "duration_s", "clip", "webm", "poster", "captions"}


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _top_level_boxes(path: Path) -> list[str]:
    boxes, data, at = [], path.read_bytes(), 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        if size == 1:
            size = struct.unpack(">Q", data[at + 8:at + 16])[0]
        boxes.append(kind.decode("latin-1"))
        if size < 8:
            break
        at += size
    return boxes


def _packet_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with av.open(str(path)) as container:
            for packet in container.demux(video=0):
                if packet.size:
                    digest.update(bytes(packet))
    return digest.hexdigest()


def _check_clip(out: Path, scene: dict, width: int, height: int, fps: int) -> None:
    mp4 = media.probe(out / scene["clip"])
    webm = media.probe(out / scene["webm"])
    # full-range BT.709 (lecture/encoding.py COLOUR_OPTIONS): libx264 reports it as yuvj420p
    assert (mp4.codec, mp4.pix_fmt) == ("h264", "yuvj420p")
    assert webm.codec == "vp9"
    for info in (mp4, webm):
        assert (info.width, info.height, info.fps) == (width, height, fps) == (scene["width"], scene["height"], scene["fps"])
        assert info.frames == mp4.frames == scene["frames"]
        assert float(info.duration) == pytest.approx(scene["duration_s"], abs=1e-5)
    with av.open(str(out / scene["clip"])) as container:  # what the container itself says
        assert container.duration / 1e6 == pytest.approx(scene["duration_s"], abs=1.5 / fps)
    assert _top_level_boxes(out / scene["clip"]).index("moov") < _top_level_boxes(out / scene["clip"]).index("mdat")


def _check_captions(out: Path, scene: dict) -> list[captions.Cue]:
    vtt = (out / scene["captions"]).read_text(encoding="utf-8")
    srt = (out / scene["captions_srt"]).read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n")
    cues = captions.parse(vtt)
    assert cues, f"{scene['id']}: no captions"
    assert captions.parse(srt) == cues
    assert len(cues) == vtt.count(" --> ") == srt.count(" --> ")
    end = scene["duration_s"] * 1000
    for cue in cues:
        assert 0 <= cue.start_ms < cue.end_ms <= end + 0.5, (scene["id"], cue)
        assert cue.text.strip()
    return cues


# The whole lecture -------------------------------------------------------------------------
def test_every_file_is_published(full_lecture):
    out = full_lecture
    for name in ("lecture.mp4", "lecture.webm", "lecture.vtt", "chapters.vtt", "chapters.txt", "manifest.json", "index.html"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    for spec in SCENES_IN_ORDER:
        for rel in scene_paths(spec).values():
            assert (out / rel).is_file() and (out / rel).stat().st_size > 0, rel


def test_the_manifest_has_every_key_and_relative_paths(full_lecture):
    out = full_lecture
    manifest = _manifest(out)
    assert LECTURE_KEYS <= set(manifest["lecture"])
    assert set(manifest["data"]) >= {"source", "sha256"}
    lecture = manifest["lecture"]
    assert (lecture["lang"], lecture["quality"], lecture["width"], lecture["height"], lecture["fps"]) == ("ko", "preview", 854, 480, 15)
    assert lecture["title"] == "자연어처리를 위한 Negative Log Likelihood" and lecture["complete"]
    assert manifest["data"]["source"] == "built-in" and re.fullmatch(r"[0-9a-f]{64}", manifest["data"]["sha256"])
    computed = subprocess.run([sys.executable, "-m", "lecture.cli", "compute", "--json"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout
    assert manifest["results"] == json.loads(computed)
    assert [s["id"] for s in manifest["scenes"]] == [spec.id for spec in SCENES_IN_ORDER]
    for scene, spec in zip(manifest["scenes"], SCENES_IN_ORDER):
        assert SCENE_KEYS <= set(scene)
        assert (scene["index"], scene["scene_class"], scene["title"]) == (spec.index, spec.scene_class, scene_title(spec.id, "ko"))
        for key in ("clip", "webm", "poster", "captions"):
            assert not Path(scene[key]).is_absolute() and (out / scene[key]).is_file()
    for key in ("video", "webm", "captions", "chapters"):
        assert not Path(lecture[key]).is_absolute() and (out / lecture[key]).is_file()


def test_every_clip_is_what_the_manifest_says(full_lecture):
    out = full_lecture
    for scene in _manifest(out)["scenes"]:
        _check_clip(out, scene, 854, 480, 15)


def test_the_lecture_is_the_clips_joined_without_reencoding(full_lecture):
    out = full_lecture
    manifest = _manifest(out)
    scenes = manifest["scenes"]
    total = sum(Fraction(media.probe(out / s["clip"]).frames, 15) for s in scenes)
    for name, clip_key, codec in (("lecture.mp4", "clip", "h264"), ("lecture.webm", "webm", "vp9")):
        info = media.probe(out / name)
        assert (info.codec, info.width, info.height, info.fps) == (codec, 854, 480, 15)
        assert abs(float(info.duration) - float(total)) <= len(scenes) / 15
        with av.open(str(out / name)) as container:
            assert abs(container.duration / 1e6 - float(total)) <= len(scenes) / 15
        assert info.frames == sum(s["frames"] for s in scenes)
        # the very same compressed packets, in order: nothing was re-encoded
        assert _packet_digest([out / name]) == _packet_digest([out / s[clip_key] for s in scenes])
    assert manifest["lecture"]["duration_s"] == pytest.approx(float(total), abs=1e-5)
    assert _top_level_boxes(out / "lecture.mp4").index("moov") < _top_level_boxes(out / "lecture.mp4").index("mdat")
    starts = [s["start_s"] for s in scenes]
    assert starts[0] == 0 and all(
        b == pytest.approx(a + s["duration_s"], abs=1e-5) for a, b, s in zip(starts, starts[1:], scenes))
    # every frame of the joined MP4 decodes
    with av.open(str(out / "lecture.mp4")) as container:
        assert sum(1 for _ in container.decode(video=0)) == sum(s["frames"] for s in scenes)


def test_posters_show_content_not_the_empty_first_frame(full_lecture):
    out = full_lecture
    for scene in _manifest(out)["scenes"]:
        with av.open(str(out / scene["poster"])) as image:
            poster = next(image.decode(video=0)).to_ndarray(format="rgb24").astype(int)
        assert poster.shape == (480, 854, 3)
        background = poster[1, 1]
        content = (np.abs(poster - background).max(axis=2) > 24).mean()
        assert content > 0.01, f"{scene['id']}: poster is (nearly) empty"
        assert poster.mean() > 12, f"{scene['id']}: poster is black"
        first = media.frame_at(out / scene["clip"], 0).astype(int)
        assert np.abs(poster - first).mean() > 1.0, f"{scene['id']}: poster is the first frame"


def test_captions_fit_their_clips_and_the_lecture_timeline(full_lecture):
    out = full_lecture
    manifest = _manifest(out)
    expected = []
    for scene in manifest["scenes"]:
        start_ms = round(scene["start_s"] * 1000)
        expected += [cue.shifted(start_ms) for cue in _check_captions(out, scene)]
    lecture_cues = captions.parse((out / "lecture.vtt").read_text(encoding="utf-8"))
    assert len(lecture_cues) == len(expected)
    for got, want in zip(lecture_cues, expected):
        assert got.text == want.text
        assert abs(got.start_ms - want.start_ms) <= 1 and abs(got.end_ms - want.end_ms) <= 1
    assert lecture_cues[-1].end_ms <= manifest["lecture"]["duration_s"] * 1000 + 0.5


def test_chapters_start_where_the_manifest_says(full_lecture):
    out = full_lecture
    scenes = _manifest(out)["scenes"]
    chapters = captions.parse((out / "chapters.vtt").read_text(encoding="utf-8"))
    assert [c.text for c in chapters] == [s["title"] for s in scenes]
    for chapter, scene in zip(chapters, scenes):
        assert abs(chapter.start_ms - scene["start_s"] * 1000) <= 1
        assert abs(chapter.end_ms - (scene["start_s"] + scene["duration_s"]) * 1000) <= 1
    lines = (out / "chapters.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(scenes) and lines[0].startswith("0:00 ")
    for line, scene in zip(lines, scenes):
        clock, title = line.split(" ", 1)
        minutes, seconds = clock.split(":")
        assert title == scene["title"]
        assert abs(int(minutes) * 60 + int(seconds) - scene["start_s"]) <= 0.5 + 1e-3  # the nearest second


def test_logs_are_kept_per_scene(full_lecture):
    for scene in _manifest(full_lecture)["scenes"]:
        log = (full_lecture / scene["log"]).read_text(encoding="utf-8", errors="replace")
        assert f"worker: scene {scene['index']:02d} {scene['id']}" in log and "Rendered" in log


def test_the_whole_lecture_passes_the_pre_publish_gate(full_lecture):
    """`nll-lecture check --strict` on the deck's Korean lecture: no finding at all (layout,
    captions, stillness on the real frames, numbers, colour tags, chapter keyframes)."""
    done = subprocess.run([sys.executable, "-m", "lecture.cli", "check", "--strict", str(full_lecture)], cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_a_rerun_with_nothing_changed_is_fast_and_changes_nothing(full_lecture):
    """(How fast it is, is make bench's "no change" case, not a timed test.)"""
    before = snapshot(full_lecture)
    result = render(["--quality", "preview", "--out", str(full_lecture)])
    assert result.returncode == 0 and "nothing to do" in result.stderr, result.stderr
    assert snapshot(full_lecture) == before


# A subset -----------------------------------------------------------------------------------
def test_a_subset_publishes_its_clips_manifest_and_page_only(title_and_closing_en):
    # OUT of `render --quality preview --lang en --scene closing --scene title` (shared, read only)
    out = title_and_closing_en
    manifest = _manifest(out)
    assert [s["id"] for s in manifest["scenes"]] == ["title", "closing"]
    assert not manifest["lecture"]["complete"] and manifest["lecture"]["video"] is None
    assert LECTURE_KEYS <= set(manifest["lecture"])
    assert not (out / "lecture.mp4").exists() and not (out / "chapters.vtt").exists()
    for scene in manifest["scenes"]:
        assert SCENE_KEYS <= set(scene) and scene["lang"] == "en"
        assert scene["title"] == scene_title(scene["id"], "en")
        _check_clip(out, scene, 854, 480, 15)
        _check_captions(out, scene)
    assert sorted(p.name for p in (out / "clips").iterdir()) == ["01-title.mp4", "01-title.webm", "12-closing.mp4", "12-closing.webm"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "clips/01-title.mp4" in page and "clips/12-closing.webm" in page and 'id="lecture-video"' not in page
