"""The content-hash cache, end to end on the stub project (tiny scenes, the real pipeline):
exactly the affected scenes are rendered again, and skipped scenes keep their files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from test_render_support import (
    copy_out, render, rendered_ids, snapshot, stub_lecture,  # noqa: F401 (fixture)
)

from lecture import media
from lecture.publish.assemble import scene_paths
from mathcore import default_data_text
from scenes import SCENES_IN_ORDER

pytestmark = pytest.mark.slow
ALL_IDS = {spec.id for spec in SCENES_IN_ORDER}


def _scene_files(snap, spec):
    paths = scene_paths(spec)
    return {rel: snap[rel] for rel in (paths["clip"], paths["webm"], paths["poster"], paths["captions"], paths["captions_srt"])}


def _check_kept(before, after, kept_ids):
    """Kept scenes' files are the very same files (same bytes, same inode: hard links)."""
    for spec in SCENES_IN_ORDER:
        if spec.id in kept_ids:
            assert _scene_files(after, spec) == _scene_files(before, spec), spec.id


def _manifest(out):
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_nothing_changed_renders_nothing_and_touches_nothing(stub_lecture):
    project, out = stub_lecture
    before = snapshot(out)
    result = render(["--quality", "preview", "--out", str(out)], project=project)
    assert result.returncode == 0, result.stderr
    assert "nothing to do" in result.stderr and rendered_ids(result.stderr) == set()
    assert snapshot(out) == before


def test_changing_binary_counts_rerenders_only_binary_and_descent_scenes(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    data = tmp_path / "data.toml"
    data.write_text(default_data_text().replace("counts = [7, 3]", "counts = [6, 4]"), encoding="utf-8")
    before = snapshot(out)

    result = render(["--quality", "preview", "--out", str(out), "--data", str(data)], project=project)
    assert result.returncode == 0, result.stderr
    expected = {spec.id for spec in SCENES_IN_ORDER if {"binary", "descent"} & set(spec.reads)}
    assert rendered_ids(result.stderr) == expected
    after = snapshot(out)
    _check_kept(before, after, ALL_IDS - expected)
    for spec in SCENES_IN_ORDER:
        if spec.id in expected:  # new files, showing the new counts
            assert after[scene_paths(spec)["clip"]] != before[scene_paths(spec)["clip"]]
    manifest = _manifest(out)
    assert manifest["lecture"]["complete"] and manifest["results"]["binary"]["counts"] == [6, 4]
    assert manifest["data"]["source"] == data.name  # an absolute path outside the cwd: its file name
    assert after["lecture.mp4"][0] != before["lecture.mp4"][0]  # rebuilt from the new set
    assert media.probe(out / "lecture.mp4").frames == sum(media.probe(out / s["clip"]).frames for s in manifest["scenes"])

    # and back: the original data needs the same scenes again, nothing else
    back = render(["--quality", "preview", "--out", str(out)], project=project)
    assert back.returncode == 0, back.stderr
    assert rendered_ids(back.stderr) == expected


def test_editing_one_scene_file_rerenders_only_that_scene(stub_lecture, tmp_path):
    project, shared = stub_lecture
    copy = tmp_path / "project"
    subprocess.run(["cp", "-a", str(project), str(copy)], check=True)
    out = copy_out(shared, tmp_path / "out")
    spec = SCENES_IN_ORDER[4]
    source = copy / spec.file
    source.write_text(source.read_text(encoding="utf-8").replace("self.wait(0.2)", "self.wait(0.4)"), encoding="utf-8")
    before = snapshot(out)

    result = render(["--quality", "preview", "--out", str(out)], project=copy)
    assert result.returncode == 0, result.stderr
    assert rendered_ids(result.stderr) == {spec.id}
    assert f"{spec.index:02d} {spec.id}: scene file" in result.stderr
    after = snapshot(out)
    _check_kept(before, after, ALL_IDS - {spec.id})
    clip = scene_paths(spec)["clip"]
    assert media.probe(out / clip).frames == media.probe(shared / clip).frames + 3  # 0.2 s more at 15 fps
    assert _manifest(out)["lecture"]["complete"]


def test_editing_code_no_worker_runs_rerenders_nothing(stub_lecture, tmp_path):
    """The scene keys cover what the worker runs (lecture/render/imports.py), derived again
    on every render: the same code gives the same keys, so a change elsewhere (the CLI)
    makes the invocation new but every scene up to date, its files kept."""
    project, shared = stub_lecture
    copy = tmp_path / "project"
    subprocess.run(["cp", "-a", str(project), str(copy)], check=True)
    out = copy_out(shared, tmp_path / "out")
    cli = copy / "lecture" / "cli.py"
    cli.write_text(cli.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    before = snapshot(out)

    result = render(["--quality", "preview", "--out", str(out)], project=copy)
    assert result.returncode == 0, result.stderr
    # a new invocation (its signature covers cli.py: not the fast path), so the scene keys
    # decided: all up to date, nothing rendered, nothing published anew
    assert rendered_ids(result.stderr) == set() and "nothing to do" in result.stderr, result.stderr
    _check_kept(before, snapshot(out), ALL_IDS)


def test_language_change_renders_the_selected_scenes_and_withholds_the_mixed_lecture(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    before = snapshot(out)

    subset = render(["--quality", "preview", "--out", str(out), "--lang", "en", "--scene", "closing", "--scene", "title"],
                    project=project)
    assert subset.returncode == 0, subset.stderr
    assert rendered_ids(subset.stderr) == {"title", "closing"}
    after = snapshot(out)
    _check_kept(before, after, ALL_IDS - {"title", "closing"})
    manifest = _manifest(out)
    assert not manifest["lecture"]["complete"] and manifest["lecture"]["video"] is None
    assert not any((out / name).exists() for name in ("lecture.mp4", "lecture.webm", "lecture.vtt", "chapters.vtt", "chapters.txt"))
    by_id = {s["id"]: s for s in manifest["scenes"]}
    assert len(by_id) == len(SCENES_IN_ORDER)  # the other clips are kept and listed
    assert {i for i, s in by_id.items() if s["lang"] == "en"} == {"title", "closing"}
    assert {i for i, s in by_id.items() if s["current"]} == {"title", "closing"}
    assert by_id["title"]["title"] == "Title"

    full = render(["--quality", "preview", "--out", str(out), "--lang", "en"], project=project)
    assert full.returncode == 0, full.stderr
    assert rendered_ids(full.stderr) == ALL_IDS - {"title", "closing"}
    manifest = _manifest(out)
    assert manifest["lecture"]["complete"] and manifest["lecture"]["lang"] == "en"
    assert {s["lang"] for s in manifest["scenes"]} == {"en"}
    assert (out / "lecture.mp4").is_file()


def test_quality_change_rerenders_at_the_new_size(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    before = snapshot(out)
    result = render(["--quality", "medium", "--out", str(out), "--scene", "nll-in-nlp"], project=project)
    assert result.returncode == 0, result.stderr
    assert rendered_ids(result.stderr) == {"nll-in-nlp"}
    _check_kept(before, snapshot(out), ALL_IDS - {"nll-in-nlp"})
    spec = next(s for s in SCENES_IN_ORDER if s.id == "nll-in-nlp")
    info = media.probe(out / scene_paths(spec)["clip"])
    assert (info.width, info.height, info.fps) == (1280, 720, 30)
    assert not _manifest(out)["lecture"]["complete"]


def test_a_deleted_published_file_is_rendered_again(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    spec = SCENES_IN_ORDER[1]
    (out / scene_paths(spec)["webm"]).unlink()
    result = render(["--quality", "preview", "--out", str(out)], project=project)
    assert result.returncode == 0, result.stderr
    assert rendered_ids(result.stderr) == {spec.id}
    assert "published files missing" in result.stderr
    assert (out / scene_paths(spec)["webm"]).is_file()


def test_the_no_change_path_does_not_import_manim_or_mathcore(stub_lecture):
    project, out = stub_lecture
    code = ("import json, sys; from lecture.cli import main; "
            f"rc = main(['render', '--quality', 'preview', '--out', {str(out)!r}]); "
            "print(json.dumps([rc, [m for m in ('manim', 'mathcore', 'numpy', 'scipy', 'av') if m in sys.modules]]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                            env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [0, []]  # the no-change path stays light (its time: make bench)
    assert "nothing to do" in result.stderr


def test_a_subset_that_is_already_up_to_date_changes_nothing(stub_lecture):
    project, out = stub_lecture
    before = snapshot(out)
    result = render(["--quality", "preview", "--out", str(out), "--scene", "phone-os"], project=project)
    assert result.returncode == 0, result.stderr
    assert rendered_ids(result.stderr) == set() and "nothing to do" in result.stderr
    assert snapshot(out) == before
