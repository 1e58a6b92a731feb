"""One snapshot of the data per render: the data file (and its CSV) is read once by the
render process, hashed as read, and every worker reads the run's snapshot, so a file edited
during a render cannot publish a mix of versions (issue 8, section 3).

End-to-end tests run the real pipeline on a stub project (tiny scenes, see
test_render_support.py); the others are fast.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from test_render_support import render, rendered_ids, stub_project

from lecture.render import preflight
from lecture.publish import outdir
from lecture.publish.assemble import scene_paths
from lecture.render import cache, pipeline
from lecture.render.protocol import SceneRequest, write_snapshot
from scenes import SCENES_BY_ID
from mathcore import load_data, load_data_text
from scenes import SCENES_BY_ID

OLD = '[lecture]\ntitle = "Old title"\n\n[binary]\ncounts = [7, 3]\n'
NEW = '[lecture]\ntitle = "New title"\n\n[binary]\ncounts = [6, 4]\n'
BOM_DATA = '\ufeff[heights]\nsamples_csv = "s.csv"\n'
CSV = "height\n158.5\n162\n165.5\n170\n171.5\n176\n181\n"
SOURCES = cache.collect_sources()


def _state(out: Path) -> dict:
    return json.loads((out / ".nll-lecture-state.json").read_text(encoding="utf-8"))


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


# Fast ---------------------------------------------------------------------------------
def test_workers_read_the_runs_snapshot_not_the_users_file(tmp_path):
    data_file = tmp_path / "data.toml"
    data_file.write_text(OLD, encoding="utf-8")
    options = pipeline.RenderOptions.parse(out=tmp_path / "out", data=str(data_file), quality="preview")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    snapshot = write_snapshot(run_dir, load_data(str(data_file)))
    env = preflight.scene_request(SCENES_BY_ID["title"], options, run_dir).env()
    assert env["NLL_LECTURE_DATA"] == str(snapshot) != str(data_file.resolve())
    data_file.write_text(NEW, encoding="utf-8")  # edited after the snapshot: workers do not see it
    seen = load_data(env["NLL_LECTURE_DATA"])
    old = load_data_text(OLD, "old.toml")
    assert seen.lecture == old.lecture and seen.binary == old.binary
    assert all(seen.section_digest(s) == old.section_digest(s) for s in ("lecture", "heights", "binary", "descent"))


def test_the_manifest_names_the_data_file_without_local_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert pipeline.shown_data_source(None) == "built-in"
    assert pipeline.shown_data_source("sub/d.toml") == "sub/d.toml"
    assert pipeline.shown_data_source(str(tmp_path / "sub" / "d.toml")) == "sub/d.toml"
    assert pipeline.shown_data_source("/somewhere/else/d.toml") == "d.toml"


def test_a_bom_data_file_keeps_its_csv_in_the_signature_and_the_no_change_hash(tmp_path):
    (tmp_path / "s.csv").write_text(CSV, encoding="utf-8")
    data_file = tmp_path / "d.toml"
    data_file.write_bytes(BOM_DATA.encode("utf-8"))
    data = load_data(str(data_file))
    assert data.input_files == (str(data_file.resolve()), str((tmp_path / "s.csv").resolve()))
    assert cache.data_input_files(str(data_file)) == list(data.input_files)
    recorded = cache.data_inputs_record(str(data_file), data.input_files)
    assert recorded == ["d.toml", "s.csv"]  # no absolute paths in the state
    assert cache.recorded_data_digest(str(data_file), recorded) == data.sha256

    def signature(**extra):
        return cache.invocation_signature(sources=SOURCES, data_path=str(data_file), lang="ko", quality="preview",
                                          scene_ids=["height-samples"], **extra)

    first = signature()
    assert signature(data_sha256=data.sha256) == first  # the loader's hash is the signature's
    (tmp_path / "s.csv").write_text(CSV.replace("171.5", "172.5"), encoding="utf-8")
    assert signature() != first
    assert cache.recorded_data_digest(str(data_file), recorded) != data.sha256
    edited = load_data(str(data_file))
    assert edited.section_digest("heights") != data.section_digest("heights")  # so the heights keys change


# End to end (stub project) ----------------------------------------------------------
@pytest.fixture
def project(tmp_path):
    return stub_project(tmp_path / "project")


@pytest.mark.slow
def test_editing_the_data_file_during_a_render_publishes_one_version(project, tmp_path):
    data_file = tmp_path / "data.toml"
    data_file.write_text(OLD, encoding="utf-8")
    out = tmp_path / "out"
    args = ["--quality", "preview", "--jobs", "1", "--scene", "title", "--scene", "likelihood-discrete",
            "--data", str(data_file)]
    edited = threading.Event()

    def edit_when_the_first_worker_starts():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if any(outdir.work_area(out).glob("run-*/logs/*.log")):
                data_file.write_text(NEW, encoding="utf-8")
                edited.set()
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=edit_when_the_first_worker_starts, daemon=True)
    watcher.start()
    result = render(args + ["--out", str(out)], project=project, env={"NLL_TEST_STUB_SLEEP": "1.5"})
    watcher.join()
    assert result.returncode == 0, result.stderr
    assert edited.is_set(), "the data file was not edited while the render ran"

    old = load_data_text(OLD, "old.toml")
    manifest, state = _manifest(out), _state(out)
    assert manifest["results"]["binary"]["counts"] == [7, 3]
    assert manifest["lecture"]["title"] == "Old title"
    assert manifest["data"]["sha256"] == old.sha256  # the bytes used, not the file now
    for scene_id in ("title", "likelihood-discrete"):
        for section, digest in state["scenes"][scene_id]["parts"]["data"].items():
            assert digest == old.section_digest(section), (scene_id, section)

    # Every scene shows the old data: the same bytes as a render of the old data alone.
    clean_data = tmp_path / "clean.toml"
    clean_data.write_text(OLD, encoding="utf-8")
    clean = tmp_path / "clean"
    reference = render(args[:-1] + [str(clean_data), "--out", str(clean)], project=project)
    assert reference.returncode == 0, reference.stderr
    for scene_id in ("title", "likelihood-discrete"):
        clip = scene_paths(SCENES_BY_ID[scene_id])["clip"]
        assert (out / clip).read_bytes() == (clean / clip).read_bytes(), scene_id

    # The next render with the edited file is not "up to date": it renders what changed.
    again = render(args + ["--out", str(out)], project=project)
    assert again.returncode == 0, again.stderr
    assert rendered_ids(again.stderr) == {"title", "likelihood-discrete"}
    manifest = _manifest(out)
    assert manifest["results"]["binary"]["counts"] == [6, 4] and manifest["lecture"]["title"] == "New title"
    assert manifest["data"]["sha256"] == load_data_text(NEW, "new.toml").sha256


@pytest.mark.slow
def test_editing_the_csv_of_a_bom_data_file_rerenders_the_heights_scene(project, tmp_path):
    (tmp_path / "s.csv").write_text(CSV, encoding="utf-8")
    data_file = tmp_path / "d.toml"
    data_file.write_bytes(BOM_DATA.encode("utf-8"))
    out = tmp_path / "out"
    args = ["--quality", "preview", "--scene", "height-samples", "--data", str(data_file), "--out", str(out)]
    first = render(args, project=project)
    assert first.returncode == 0, first.stderr
    assert rendered_ids(first.stderr) == {"height-samples"}
    same = render(args, project=project)
    assert same.returncode == 0 and "nothing to do" in same.stderr, same.stderr
    key_before = _state(out)["scenes"]["height-samples"]["key"]

    (tmp_path / "s.csv").write_text(CSV.replace("171.5", "172.5"), encoding="utf-8")
    edited = render(args, project=project)
    assert edited.returncode == 0, edited.stderr
    assert "nothing to do" not in edited.stderr
    assert rendered_ids(edited.stderr) == {"height-samples"}
    assert _state(out)["scenes"]["height-samples"]["key"] != key_before
    assert _manifest(out)["data"]["sha256"] == load_data(str(data_file)).sha256
