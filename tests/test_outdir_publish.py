"""The published folder keeps itself (issue 8 §4) and every failure is one line (§5).

Real console script (``.venv/bin/nll-lecture``) on the stub project (tests/test_render_support.py):
OUT keeps its inode, mode, group and setgid bit, the user's files and empty folders; OUT as a
mount point publishes; read-only, immutable, below-a-file, disk-full, closed or full stderr and
stdout, an ASCII terminal and a killed worker each end in one ``error:`` line (where stderr
works), the documented exit status, no traceback, OUT unchanged.
"""

from __future__ import annotations

import grp
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_render_support import copy_out, stub_lecture, worker_pids  # noqa: F401 (fixture)

from lecture.publish import outdir
from lecture.publish.outdir import STAGING, work_area

pytestmark = pytest.mark.slow

CLI = Path(sys.executable).parent / "nll-lecture"
ONE_SCENE = ["--quality", "preview", "--scene", "title", "--lang", "en", "--jobs", "1"]


def cli(args: list[str], project: Path, env: dict[str, str] | None = None, shell_redirect: str = "",
        timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the console script from the stub project; ``shell_redirect`` e.g. ``2>/dev/full``."""
    full_env = dict(os.environ, PYTHONPATH=str(project))
    full_env.pop("NLL_LECTURE_FAIL_SCENE", None)
    full_env.update(env or {})
    command = " ".join(_quote(a) for a in [str(CLI), *args]) + (" " + shell_redirect if shell_redirect else "")
    return subprocess.run(["bash", "-c", command], cwd=project, env=full_env, capture_output=True, timeout=timeout)


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def listing(folder: Path) -> dict[str, tuple]:
    """Every path under ``folder`` (folders too, hidden too): path -> (kind, size, sha256, mode)."""
    found = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs:
            path = Path(root) / name
            found[str(path.relative_to(folder)) + "/"] = ("dir", stat.S_IMODE(path.lstat().st_mode))
        for name in names:
            path = Path(root) / name
            data = path.read_bytes()
            found[str(path.relative_to(folder))] = ("file", len(data), hashlib.sha256(data).hexdigest())
    return found


def folder_id(path: Path) -> tuple:
    st = os.stat(path)
    return st.st_ino, stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid


def error_lines(stderr: bytes) -> list[str]:
    return [line for line in stderr.decode("utf-8", "replace").splitlines() if line.startswith("error:")]


def assert_one_error(result, status: int, starts: str = "error:") -> str:
    text = result.stderr.decode("utf-8", "replace")
    assert result.returncode == status, text
    assert "Traceback" not in text, text
    errors = error_lines(result.stderr)
    assert len(errors) == 1 and errors[0].startswith(starts), text
    return errors[0]


def a_group() -> int:
    for name in ("staff", "users"):
        try:
            return grp.getgrnam(name).gr_gid
        except KeyError:
            pass
    pytest.skip("no group 'staff' or 'users' on this system")


@pytest.fixture
def mounted(tmp_path):
    """mount(folder, options) mounts a tmpfs there (skips if mounting is not permitted)."""
    mounts: list[Path] = []

    def mount(folder: Path, options: str = "") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        args = ["mount", "-t", "tmpfs"] + (["-o", options] if options else []) + ["tmpfs", str(folder)]
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): needs root and CAP_SYS_ADMIN")
        mounts.append(folder)
        return folder

    yield mount
    for folder in reversed(mounts):
        subprocess.run(["chattr", "-R", "-i", str(folder)], capture_output=True)
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def chattr(flag: str, path: Path) -> None:
    done = subprocess.run(["chattr", flag, str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"chattr {flag} not supported here: {done.stderr.strip()}")


def _fill(path: Path, leave: int) -> None:
    """Fill the file system holding ``path`` until about ``leave`` bytes are free."""
    free = os.statvfs(path).f_bavail * os.statvfs(path).f_frsize
    with open(path / "user-filler.bin", "wb") as handle:
        handle.write(b"\0" * max(0, free - leave))


# 4. The published folder keeps itself --------------------------------------------------------
def test_out_keeps_inode_mode_group_setgid_and_the_users_files_and_folders(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    gid = a_group()
    os.chown(out, 0, gid)
    os.chmod(out, 0o2775)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "empty").mkdir()
    (out / "clips" / "my-extra.txt").write_text("also mine", encoding="utf-8")
    (out / "clips" / "empty-inside").mkdir()
    before = folder_id(out)

    result = cli(["render", *ONE_SCENE, "--out", str(out)], project)
    assert result.returncode == 0, result.stderr.decode()
    assert folder_id(out) == before  # same inode, 2775, root:staff
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "empty").is_dir() and not any((out / "empty").iterdir())
    assert (out / "clips" / "my-extra.txt").read_text(encoding="utf-8") == "also mine"
    assert (out / "clips" / "empty-inside").is_dir()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenes"][0]["lang"] == "en"
    assert not (out / STAGING).exists()
    # new files: 0644 (umask 022), the group of their folder (OUT's for manifest.json: setgid)
    for rel in ("clips/01-title.mp4", "manifest.json", "logs/01-title.log"):
        st = (out / rel).stat()
        assert stat.S_IMODE(st.st_mode) == 0o666 & ~_umask(), rel
    assert (out / "manifest.json").stat().st_gid == gid


def test_a_first_render_into_an_empty_setgid_folder_gives_everything_its_group(stub_lecture, tmp_path):
    project, _shared = stub_lecture
    out = tmp_path / "web"
    out.mkdir()
    gid = a_group()
    os.chown(out, 0, gid)
    os.chmod(out, 0o2775)
    before = folder_id(out)
    result = cli(["render", "--quality", "preview", "--scene", "title", "--jobs", "1", "--out", str(out)], project)
    assert result.returncode == 0, result.stderr.decode()
    assert folder_id(out) == before
    for rel in ("clips", "posters", "captions", "logs"):
        st = (out / rel).stat()
        assert st.st_gid == gid and st.st_mode & stat.S_ISGID and stat.S_IMODE(st.st_mode) & 0o777 == 0o777 & ~_umask()
    for rel in ("clips/01-title.mp4", "clips/01-title.webm", "posters/01-title.png", "manifest.json", "index.html"):
        st = (out / rel).stat()
        assert st.st_gid == gid and stat.S_IMODE(st.st_mode) == 0o666 & ~_umask(), rel


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_out_as_a_mount_point_publishes(stub_lecture, tmp_path, mounted):
    project, shared = stub_lecture
    out = mounted(tmp_path / "out", "size=64m")
    for entry in shared.iterdir():
        (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, out / entry.name)
    (out / "user.txt").write_text("kept", encoding="utf-8")
    before = folder_id(out)
    result = cli(["render", *ONE_SCENE, "--out", str(out)], project)
    assert result.returncode == 0, result.stderr.decode()
    assert folder_id(out) == before and os.path.ismount(out)
    assert (out / "user.txt").read_text(encoding="utf-8") == "kept"
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenes"][0]["lang"] == "en"
    assert not (out / STAGING).exists()


def test_a_swap_that_died_midway_is_rolled_forward(tmp_path):
    out = tmp_path / "out"
    (out / "clips").mkdir(parents=True)
    (out / "clips" / "a.mp4").write_text("old clip")
    (out / "manifest.json").write_text("old")
    (out / "lecture.mp4").write_text("old lecture")  # not in the new tree: taken out
    (out / "mine.txt").write_text("user")
    run = outdir.new_run(out)
    stage = outdir.new_stage(out, run)
    (stage.tree / "clips").mkdir()
    (stage.tree / "clips" / "a.mp4").write_text("new clip")
    (stage.tree / "manifest.json").write_text("new")
    # the journal, then only the first step done, then death
    names = outdir.owned_names(stage.tree, out)
    steps = [{"name": n, "new": outdir.inode(stage.tree / n), "old": outdir.inode(out / n)} for n in names]
    outdir.write_journal(stage.path / outdir.JOURNAL, steps)
    outdir.swap_entry(stage.tree, out, names[0])
    outdir.clean_stale_runs(out)
    assert (out / "clips" / "a.mp4").read_text() == "new clip" and (out / "manifest.json").read_text() == "new"
    assert not (out / "lecture.mp4").exists() and (out / "mine.txt").read_text() == "user"
    assert not (out / STAGING).exists()


def test_a_failing_swap_step_is_undone(tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / "clips").mkdir(parents=True)
    (out / "clips" / "a.mp4").write_text("old clip")
    (out / "manifest.json").write_text("old")
    before = listing(out)
    stage = outdir.new_stage(out, outdir.new_run(out))
    (stage.tree / "clips").mkdir()
    (stage.tree / "clips" / "a.mp4").write_text("new clip")
    (stage.tree / "manifest.json").write_text("new")
    real = outdir.swap_entry

    def failing(tree, dest, name):
        if name == "manifest.json":
            raise OSError(5, "Input/output error", str(dest / name))
        real(tree, dest, name)

    monkeypatch.setattr(outdir, "swap_entry", failing)
    with pytest.raises(OSError):
        outdir.swap_into_place(stage.tree, out)
    stage.drop()
    assert listing(out) == before


# 5. One line for every failure ---------------------------------------------------------------
def test_read_only_out_is_one_line(stub_lecture, tmp_path, mounted):
    project, shared = stub_lecture
    out = mounted(tmp_path / "out", "size=64m")
    for entry in shared.iterdir():
        (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, out / entry.name)
    subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
    before = listing(out)
    result = cli(["render", *ONE_SCENE, "--out", str(out)], project)
    line = assert_one_error(result, 2)
    assert "read-only file system" in line
    assert listing(out) == before


@pytest.mark.parametrize("which", ["out", "parent"])
def test_immutable_out_or_parent_is_one_line(stub_lecture, tmp_path, which):
    project, shared = stub_lecture
    parent = tmp_path / "p"
    parent.mkdir()
    out = copy_out(shared, parent / "out")
    target = out if which == "out" else parent
    chattr("+i", target)
    try:
        before = listing(out)
        result = cli(["render", *ONE_SCENE, "--out", str(out)], project)
        assert_one_error(result, 2)
        assert listing(out) == before
    finally:
        subprocess.run(["chattr", "-i", str(target)])


def test_out_below_a_regular_file_is_one_line(stub_lecture, tmp_path):
    project, _shared = stub_lecture
    (tmp_path / "somefile").write_text("a file", encoding="utf-8")
    result = cli(["render", *ONE_SCENE, "--out", str(tmp_path / "somefile" / "out")], project)
    line = assert_one_error(result, 2)
    assert "not a folder" in line and (tmp_path / "somefile").read_text(encoding="utf-8") == "a file"


def test_disk_full_while_publishing_is_one_line(stub_lecture, tmp_path, mounted):
    project, shared = stub_lecture
    out = mounted(tmp_path / "out", "size=64m")
    for entry in shared.iterdir():
        (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, out / entry.name)
    _fill(out, leave=8 * 1024)  # the user's big file: room for nothing new
    before = listing(out)
    result = cli(["render", *ONE_SCENE, "--out", str(out)], project)
    line = assert_one_error(result, 1, "error: publishing into")
    assert "No space left on device" in line
    assert listing(out) == before


def test_disk_full_for_the_work_area_too_is_one_line(stub_lecture, tmp_path, mounted):
    """The work area beside OUT (worker media, logs) full as well: the error handler's own log
    write fails and the line still comes."""
    project, shared = stub_lecture
    place = mounted(tmp_path / "small", "size=64m")
    out = copy_out(shared, place / "out")
    _fill(place, leave=8 * 1024)
    before = listing(out)
    result = cli(["render", *ONE_SCENE, "--out", str(out)], project)
    assert_one_error(result, 1)
    assert listing(out) == before


@pytest.mark.parametrize("redirect", ["2>/dev/full", "2>&-", ">/dev/full", ">&-"])
def test_a_full_or_closed_stdout_or_stderr_never_prints_a_traceback(stub_lecture, tmp_path, redirect):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    before = listing(out)
    # a failing render: its error line cannot be written where stderr is gone; the status tells
    result = cli(["render", *ONE_SCENE, "--out", str(out)], project, env={"NLL_LECTURE_FAIL_SCENE": "title"},
                 shell_redirect=redirect)
    assert result.returncode == 1, result.stderr.decode()
    assert listing(out) == before
    assert b"Traceback" not in result.stderr and b"Exception ignored" not in result.stderr
    if redirect.startswith(">"):
        assert len(error_lines(result.stderr)) == 1
    # and a successful one: status 0 (progress on stderr is best effort)
    result = cli(["render", *ONE_SCENE, "--out", str(out)], project, shell_redirect=redirect)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenes"][0]["lang"] == "en"


@pytest.mark.parametrize("redirect", [">/dev/full", ">&-"])
def test_a_full_or_closed_stdout_for_a_printing_command_is_one_line(stub_lecture, redirect):
    project, _shared = stub_lecture
    result = cli(["scenes"], project, shell_redirect=redirect)
    line = assert_one_error(result, 1)
    assert "standard output" in line


def test_an_ascii_terminal_shows_korean_text_escaped(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "출력")
    before = listing(out)
    env = {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}
    result = cli(["scenes", "--lang", "ko"], project, env=env)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b"\\u" in result.stdout  # Korean titles, escaped
    result = cli(["render", *ONE_SCENE, "--out", str(out)], project, env={**env, "NLL_LECTURE_FAIL_SCENE": "title"})
    line = assert_one_error(result, 1, "error: scene 01 title failed")
    assert "\\ucd9c\\ub825" in line  # the folder's name, escaped
    assert listing(out) == before


def test_a_killed_worker_is_named_with_its_signal(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    before = listing(out)
    env = dict(os.environ, PYTHONPATH=str(project), NLL_TEST_STUB_SLEEP="30")
    env.pop("NLL_LECTURE_FAIL_SCENE", None)
    process = subprocess.Popen([str(CLI), "render", *ONE_SCENE, "--out", str(out)], cwd=project, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not worker_pids(out, b"lecture.render.worker") and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = worker_pids(out, b"lecture.render.worker")
    assert workers, "no worker started"
    time.sleep(1.0)
    os.kill(workers[0], signal.SIGKILL)
    _stdout, stderr = process.communicate(timeout=60)
    result = subprocess.CompletedProcess(process.args, process.returncode, _stdout, stderr)
    line = assert_one_error(result, 1, "error: scene 01 title: worker killed by signal SIGKILL")
    assert "; log: " in line
    assert listing(out) == before


def test_the_publish_error_handler_survives_its_own_log_write_failing(tmp_path):
    """Disk full for the log too: the one line still comes (naming no log), nothing raises."""
    from lecture.render import pipeline
    from lecture.render.publishing import publish_failure

    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "logs").write_text("not a folder: the log cannot be written")
    err = OSError(28, "No space left on device", str(tmp_path / "out" / STAGING / "x"))
    try:
        raise err
    except OSError:
        failure = publish_failure(err, tmp_path / "out", run_dir)
    assert str(failure) == (f"publishing into {tmp_path / 'out'} failed: No space left on device: {err.filename}; "
                            "the output folder was left as it was")
    assert failure.status == pipeline.EXIT_FAILED


def test_an_owned_folder_that_is_a_symlink_is_never_written_through(tmp_path):
    from lecture.publish import files
    from lecture.publish.assemble import seed_tree

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "01-title.mp4").write_bytes(b"old clip")
    out = tmp_path / "out"
    out.mkdir()
    (out / "clips").symlink_to(elsewhere)
    (out / "manifest.json").write_text("{}")
    stage = outdir.new_stage(out, outdir.new_run(out))
    seed_tree(out, stage.tree)
    assert not (stage.tree / "clips").is_symlink()
    files.write_text(stage.tree / "clips" / "01-title.mp4", "new clip")
    assert (elsewhere / "01-title.mp4").read_bytes() == b"old clip"
    stage.drop()
