"""``--cluster`` and ``batch --cluster`` on a real Dask cluster: a ``dask scheduler`` and two
``dask worker`` processes on 127.0.0.1 (free ports, the venv's entry points), started per
test and stopped in teardown whatever happens.

- a cluster render publishes the very files a local render does (same keys, same bytes);
- a worker SIGKILLed while it renders: the job runs again on the other worker, the render
  completes;
- an unreachable scheduler: one line, exit 1, in seconds, OUT untouched;
- a worker whose code differs refuses the job (its cache key would differ);
- a batch of variants sharing scenes renders each shared key once, and a variant with a bad
  data file fails alone.

The project is copied once per test (the workers and the client run the same copy).
Stub scenes (tests/test_render_support.py) where the frames do not matter: they render in
seconds and sleep on request (NLL_TEST_STUB_SLEEP), which makes a job slow enough to kill.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from test_render_determinism import _files, _project_copy
from test_render_support import PYTHON, differing_files, stub_project

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A scheduler and workers on 127.0.0.1, running ``project``'s code."""

    def __init__(self, project: Path, folder: Path, env: dict[str, str] | None = None, workers: int = 2):
        self.folder = folder
        self.env = dict(os.environ, PYTHONPATH=str(project))
        self.env.pop("NLL_LECTURE_FAIL_SCENE", None)
        self.env.update(env or {})
        self.processes: list[subprocess.Popen] = []
        self.workers: dict[str, subprocess.Popen] = {}  # address -> process
        port = _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self._spawn([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                    "scheduler", project)
        for n in range(workers):
            worker_port = _free_port()
            process = self._spawn(
                [str(BIN / "dask"), "worker", self.address, "--no-nanny", "--nthreads", "1", "--host", "127.0.0.1",
                 "--worker-port", str(worker_port), "--no-dashboard", "--local-directory", str(folder / f"dask-{n}")],
                f"worker-{n}", project, {"NLL_LECTURE_WORKER_AREA": str(folder / f"area-{n}")})
            self.workers[f"tcp://127.0.0.1:{worker_port}"] = process
        self._wait_for_workers(workers)

    def _spawn(self, argv, name, cwd, extra=None) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")
        process = subprocess.Popen(argv, cwd=cwd, env={**self.env, **(extra or {})}, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.processes.append(process)
        return process

    def _wait_for_workers(self, count: int, timeout: float = 90) -> None:
        from distributed import Client

        deadline = time.monotonic() + timeout
        while True:
            try:
                with Client(self.address, timeout="5s", set_as_default=False) as client:
                    client.wait_for_workers(count, timeout=max(1.0, deadline - time.monotonic()))
                    return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise AssertionError("the test cluster did not start:\n" + self.logs())
                time.sleep(0.5)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.folder.glob("*.log")))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for process in self.processes:
            process.wait(timeout=30)


@pytest.fixture
def make_cluster(tmp_path):
    made: list[Cluster] = []

    def make(project: Path, env: dict[str, str] | None = None) -> Cluster:
        folder = tmp_path / f"cluster-{len(made)}"
        folder.mkdir()
        cluster = Cluster(project, folder, env)
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        cluster.stop()


def _cli(project: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project))
    env.pop("NLL_LECTURE_FAIL_SCENE", None)
    return subprocess.run([PYTHON, "-m", "lecture.cli", *args], cwd=project, env=env, capture_output=True, text=True,
                          timeout=timeout)


def _state(out: Path) -> dict:
    return json.loads((out / ".nll-lecture-state.json").read_text(encoding="utf-8"))


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_a_cluster_render_publishes_the_files_a_local_render_does(tmp_path, make_cluster):
    project = _project_copy(tmp_path / "project")
    cluster = make_cluster(project)
    scenes = ["--quality", "preview", "--scene", "title", "--scene", "closing"]
    local = _cli(project, "render", *scenes, "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    remote = _cli(project, "render", *scenes, "--cluster", cluster.address, "--out", str(tmp_path / "remote"))
    assert remote.returncode == 0, remote.stderr + cluster.logs()

    for stem in ("01 title", "12 closing"):  # progress names the worker of each scene
        assert any(f"start {stem} on {address}" in remote.stderr for address in cluster.workers), remote.stderr
    local_state, remote_state = _state(tmp_path / "local"), _state(tmp_path / "remote")
    assert {s: r["key"] for s, r in remote_state["scenes"].items()} == {s: r["key"] for s, r in local_state["scenes"].items()}
    assert differing_files(tmp_path / "local", tmp_path / "remote") == []  # every byte, logs and manifest too
    assert (tmp_path / "remote" / "clips/12-closing.mp4").is_file()


@pytest.mark.slow
def test_a_worker_killed_mid_job_the_render_still_completes(tmp_path, make_cluster):
    project = stub_project(tmp_path / "project")
    cluster = make_cluster(project, {"NLL_TEST_STUB_SLEEP": "8"})  # each job: seconds to catch it running
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(project))
    process = subprocess.Popen([PYTHON, "-m", "lecture.cli", "render", "--quality", "preview", "--scene", "closing",
                                "--cluster", cluster.address, "--out", str(out)],
                               cwd=project, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines, killed = [], []
    timer = threading.Timer(300, process.kill)
    timer.start()
    try:
        for line in process.stderr:
            lines.append(line)
            if "start 12 closing on " in line and not killed:
                address = line.rsplit(" on ", 1)[1].strip()
                cluster.workers[address].send_signal(signal.SIGKILL)  # the worker that has the job, mid-job
                killed.append(address)
        status = process.wait()
    finally:
        timer.cancel()
    stderr = "".join(lines)
    assert status == 0, stderr + cluster.logs()
    assert killed, stderr
    survivor = next(a for a in cluster.workers if a != killed[0])
    assert f"12 closing: {killed[0]} was lost; retried on {survivor}" in stderr
    assert f"done  12 closing on {survivor}" in stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in manifest["scenes"]] == ["closing"] and manifest["scenes"][0]["current"]
    import av

    with av.open(str(out / "clips" / "12-closing.mp4")) as clip:
        assert sum(1 for _ in clip.decode(video=0)) == manifest["scenes"][0]["frames"]


def test_an_unreachable_scheduler_is_one_line_in_seconds_and_out_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    # an output folder (the render's own state file, its format version): the render may write into it
    (out / ".nll-lecture-state.json").write_text('{"schema": 1, "scenes": {}}')
    before = _tree(out)
    started = time.monotonic()
    result = _cli(Path(__file__).resolve().parent.parent, "render", "--quality", "preview", "--scene", "title",
                  "--cluster", f"tcp://127.0.0.1:{_free_port()}", "--out", str(out), timeout=60)
    took = time.monotonic() - started
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: cannot reach the Dask scheduler at "), result.stderr
    assert "the output folder was left as it was" in result.stderr
    assert took < 10, took
    assert _tree(out) == before


def test_a_bad_cluster_address_is_bad_input(tmp_path):
    result = _cli(Path(__file__).resolve().parent.parent, "render", "--cluster", "localhost", "--out",
                  str(tmp_path / "out"), timeout=60)
    assert result.returncode == 2
    assert result.stderr == "error: --cluster: expected a Dask scheduler address tcp://HOST:PORT, got 'localhost'\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_worker_whose_code_differs_refuses_the_job(tmp_path, make_cluster):
    workers_project = stub_project(tmp_path / "workers")
    cluster = make_cluster(workers_project)
    client_project = stub_project(tmp_path / "client")
    media = client_project / "lecture" / "media.py"  # shapes every scene's published files: in the keys
    media.write_text(media.read_text(encoding="utf-8") + "\n# another version\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _cli(client_project, "render", "--quality", "preview", "--scene", "closing", "--cluster", cluster.address,
                  "--out", str(out))
    assert result.returncode == 1, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: worker tcp://127.0.0.1:") and "refuses scene 12-closing" in last, result.stderr
    assert "(pipeline code)" in last and "install the same version" in last
    assert not out.exists()


PLAN = """
[[variant]]
name = "base"
quality = "preview"
scenes = ["title", "closing", "nll-in-nlp"]

[[variant]]
name = "other-counts"   # [binary] differs: the title card shows the counts; nll-in-nlp and closing do not read it
data = "counts.toml"
quality = "preview"
scenes = ["title", "closing", "nll-in-nlp"]

[[variant]]
name = "retitled"       # [lecture] differs: the title and closing cards change
data = "retitled.toml"
quality = "preview"
scenes = ["title", "closing", "nll-in-nlp"]

[[variant]]
name = "broken"
data = "broken.toml"
quality = "preview"
scenes = ["title", "closing", "nll-in-nlp"]
"""


def _write_plan(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "counts.toml").write_text("[binary]\ncounts = [13, 7]\n", encoding="utf-8")
    (folder / "retitled.toml").write_text('[lecture]\ntitle = "NLL, again"\n', encoding="utf-8")
    (folder / "broken.toml").write_text('[heights]\nsamples = [1.0, "abc"]\n', encoding="utf-8")
    (folder / "plan.toml").write_text(PLAN, encoding="utf-8")
    return folder / "plan.toml"


def _table(stderr: str) -> dict[str, list[str]]:
    rows = {}
    lines = stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("variant "))
    for line in lines[start + 1:]:
        if line.startswith("batch:"):
            break
        cells = line.split()
        rows[cells[0]] = cells[1:]
    return rows


def _check_batch(stderr: str, status: int, out: Path) -> None:
    assert status == 1, stderr  # one variant failed
    table = _table(stderr)
    # 3 good variants x 3 scenes = 9 published; unique keys: title x3 (it shows the title and both
    # datasets: all three differ), closing x2 (it shows the title), nll-in-nlp x1 = 6 renders
    assert {name: row[:3] for name, row in table.items() if name != "broken"} == {
        "base": ["3", table["base"][1], table["base"][2]],
        "other-counts": ["3", table["other-counts"][1], table["other-counts"][2]],
        "retitled": ["3", table["retitled"][1], table["retitled"][2]],
    }
    rendered = sum(int(table[name][1]) for name in ("base", "other-counts", "retitled"))
    reused = sum(int(table[name][2]) for name in ("base", "other-counts", "retitled"))
    assert (rendered, reused) == (6, 3), stderr
    assert int(table["retitled"][1]) >= 1  # its own title card
    assert table["broken"][1:3] == ["-", "-"] and "failed (exit 2)" in " ".join(table["broken"])
    assert "broken.toml: heights.samples[1]: expected a finite number" in stderr
    assert "6 scenes rendered, 3 reused; 1 failed" in stderr
    assert not (out / "broken").exists()
    for name in ("base", "other-counts", "retitled"):
        assert json.loads((out / name / "manifest.json").read_text(encoding="utf-8"))["scenes"], name
    base, counts, retitled = (_tree(out / name) for name in ("base", "other-counts", "retitled"))
    for rel in ("clips/11-nll-in-nlp.mp4", "clips/12-closing.mp4", "clips/12-closing.webm",
                "posters/12-closing.png", "captions/12-closing.vtt", "logs/12-closing.log"):
        assert base[rel] == counts[rel], rel  # one render, published in both
    assert base["clips/11-nll-in-nlp.mp4"] == retitled["clips/11-nll-in-nlp.mp4"]
    assert base["posters/01-title.png"] != counts["posters/01-title.png"]  # other counts on the card: apart
    assert base["posters/12-closing.png"] != retitled["posters/12-closing.png"]  # another title: apart


@pytest.mark.slow
def test_a_batch_on_the_cluster_renders_shared_scenes_once(tmp_path, make_cluster):
    project = stub_project(tmp_path / "project")
    cluster = make_cluster(project)
    plan = _write_plan(tmp_path / "plans")
    out = tmp_path / "batch"
    result = _cli(project, "batch", str(plan), "--out", str(out), "--cluster", cluster.address)
    _check_batch(result.stderr, result.returncode, out)
    assert f"on the cluster at {cluster.address}" in result.stderr

    again = _cli(project, "batch", str(plan), "--out", str(out), "--cluster", cluster.address)
    table = _table(again.stderr)
    assert again.returncode == 1
    assert [table[name][1:3] for name in ("base", "other-counts", "retitled")] == [["0", "3"]] * 3


@pytest.mark.slow
def test_a_batch_on_this_machine_renders_shared_scenes_once(tmp_path):
    project = stub_project(tmp_path / "project")
    plan = _write_plan(tmp_path / "plans")
    out = tmp_path / "batch"
    result = _cli(project, "batch", str(plan), "--out", str(out), "--jobs", "2")
    _check_batch(result.stderr, result.returncode, out)
    assert (tmp_path / ".batch.render" / "tex-cache").is_dir()  # one TeX cache for every variant


@pytest.mark.slow
def test_a_scene_failing_on_a_worker_is_one_line_naming_its_log(tmp_path, make_cluster):
    project = stub_project(tmp_path / "project")
    cluster = make_cluster(project, {"NLL_LECTURE_FAIL_SCENE": "closing"})  # the test hook, on the workers
    out = tmp_path / "out"
    result = _cli(project, "render", "--quality", "preview", "--scene", "closing", "--cluster", cluster.address,
                  "--out", str(out))
    assert result.returncode == 1, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: scene 12-closing failed on tcp://127.0.0.1:") and "(exit status 1)" in last, last
    assert "NLL_LECTURE_FAIL_SCENE=closing" in last
    log = Path(last.rsplit("; log: ", 1)[1])
    assert log.is_file() and "RuntimeError" in log.read_text(encoding="utf-8")
    assert not out.exists()
