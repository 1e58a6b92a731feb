"""Failures leave the previous output folder exactly as it was (stub project, real pipeline):
bad data, a scene that raises, Ctrl-C, SIGTERM, a render killed with SIGKILL; and the lock."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from test_render_support import (
    copy_out, render, rendered_ids, signal_state, snapshot, start_render, stub_lecture, worker_pids,  # noqa: F401 (fixture)
)

from lecture.publish.outdir import work_area
from mathcore import default_data_text

pytestmark = pytest.mark.slow


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def _runs(out: Path) -> list[Path]:
    return sorted(work_area(out).glob("run-*"))


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_bad_data_exits_2_and_leaves_out_unchanged(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    before = snapshot(out)
    data = tmp_path / "bad.toml"
    data.write_text(default_data_text().replace("counts = [7, 3]", "counts = [7, -3]"), encoding="utf-8")
    result = render(["--quality", "preview", "--out", str(out), "--data", str(data)], project=project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: {data}: binary.counts[1]: expected a non-negative integer, got -3"]
    assert snapshot(out) == before
    assert _runs(out) == []


def test_a_scene_that_raises_exits_1_names_scene_and_log_and_leaves_out_unchanged(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    before = snapshot(out)
    data = tmp_path / "data.toml"
    data.write_text(default_data_text().replace("counts = [7, 3]", "counts = [5, 5]"), encoding="utf-8")
    result = render(["--quality", "preview", "--out", str(out), "--data", str(data)], project=project,
                    env={"NLL_LECTURE_FAIL_SCENE": "phone-os"})
    assert result.returncode == 1, result.stderr
    errors = _error_lines(result.stderr)
    assert len(errors) == 1 and errors[0].startswith("error: scene 09 phone-os failed"), result.stderr
    assert "this scene was made to fail (test hook)" in errors[0]
    log = Path(errors[0].rsplit("log: ", 1)[1])
    assert log.is_file() and "NLL_LECTURE_FAIL_SCENE=phone-os" in log.read_text(encoding="utf-8")
    assert snapshot(out) == before
    assert [p.name for p in _runs(out)[0].iterdir()] == ["logs"]  # staging gone, the log kept

    # the next run clears that run's leftovers and succeeds
    again = render(["--quality", "preview", "--out", str(out), "--data", str(data)], project=project)
    assert again.returncode == 0, again.stderr
    assert _runs(out) == []


# The stubs sleep this long in construct: far longer than a stop may take (below), so a
# render that waited for its workers instead of stopping them fails, however slow the machine.
STUB_SLEEP_S = 180
STOP_WITHIN_S = 60


def _start_slow_render(project, out, **env):
    # a language change makes every scene render; the stubs sleep in construct
    process = start_render(["--quality", "preview", "--out", str(out), "--lang", "en", "--jobs", "2"], project=project,
                           env={"NLL_TEST_STUB_SLEEP": str(STUB_SLEEP_S), **env})
    _wait_for(lambda: len(worker_pids(out)) == 2, 30, "two workers to start")
    return process


@pytest.mark.parametrize("how", ["sigint", "sigterm"])
def test_ctrl_c_and_sigterm_stop_workers_clean_staging_and_leave_out_unchanged(stub_lecture, tmp_path, how):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    before = snapshot(out)
    process = _start_slow_render(project, out)
    process.send_signal(signal.SIGINT if how == "sigint" else signal.SIGTERM)
    try:
        _stdout, stderr = process.communicate(timeout=STOP_WITHIN_S)
    except subprocess.TimeoutExpired as late:
        state = signal_state(process.pid)
        process.kill()
        process.communicate()
        raise AssertionError(f"the render did not stop within {STOP_WITHIN_S} s of {how} ({state}); "
                             f"stderr: {late.stderr!r}") from late
    assert process.returncode == (130 if how == "sigint" else 143), stderr
    assert _error_lines(stderr) == [f"error: {'interrupted' if how == 'sigint' else 'terminated'}; "
                                    "the output folder was left as it was"]
    assert worker_pids(out) == []
    assert snapshot(out) == before
    assert _runs(out) == []


def test_a_render_killed_midway_leaves_out_unchanged_and_a_rerun_succeeds(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    before = snapshot(out)
    process = _start_slow_render(project, out)
    workers = worker_pids(out)
    process.kill()  # SIGKILL: no cleanup at all
    process.communicate(timeout=30)
    _wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), 10, "workers to die with their parent")
    assert snapshot(out) == before
    assert len(_runs(out)) == 1  # the dead run's staging, cleared by the next run

    again = render(["--quality", "preview", "--out", str(out), "--lang", "en"], project=project)
    assert again.returncode == 0, again.stderr
    assert _runs(out) == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["lecture"]["complete"] and manifest["lecture"]["lang"] == "en"


def test_a_second_render_into_the_same_out_waits_for_the_first(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    before = snapshot(out)
    area = work_area(out)
    area.mkdir(exist_ok=True)
    with open(area / "lock", "a+") as held:  # stands in for a render in progress
        fcntl.flock(held, fcntl.LOCK_EX)
        held.seek(0)
        held.truncate()
        held.write("4242\n")
        held.flush()
        process = start_render(["--quality", "preview", "--out", str(out), "--scene", "title", "--lang", "en"],
                               project=project)
        line = process.stderr.readline()
        assert f"another nll-lecture render is writing into {out} (pid 4242); waiting for it to finish" in line
        time.sleep(1.0)
        assert process.poll() is None  # still waiting
        assert snapshot(out) == before
        fcntl.flock(held, fcntl.LOCK_UN)
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert rendered_ids(stderr) == {"title"}


def test_two_renders_at_once_both_succeed_one_after_the_other(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    args = ["--quality", "preview", "--out", str(out), "--scene", "closing", "--lang", "en"]
    first = start_render(args, project=project)
    _wait_for(lambda: len(worker_pids(out)) == 1, 30, "the first render's worker")
    second = start_render(args, project=project)
    _o1, err1 = first.communicate(timeout=120)
    _o2, err2 = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, (err1, err2)
    assert "waiting for it to finish" in err2
    assert rendered_ids(err1) == {"closing"} and rendered_ids(err2) == set()  # the second found it done
    assert "nothing to do" in err2
    assert os.environ.get("NLL_LECTURE_FAIL_SCENE") is None
