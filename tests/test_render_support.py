"""Shared helpers and fixtures of the render tests (imported by tests/test_render_*.py).

Two kinds of project:
  - the real one (/work/main): end-to-end renders of the real scenes at preview quality;
  - a *stub project*: a copy of scenes/, mathcore/ and lecture/ in a temp folder whose scene
    files are replaced by tiny captioned scenes (same ids and classes as the catalog), so
    cache and failure tests run the real pipeline in seconds. The catalog, shared scene
    modules, mathcore and the pipeline are the real ones.

Renders shared by several tests live in a folder common to all xdist workers; the
pipeline's own lock makes the second worker wait and then find nothing to do.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

STUB_SCENE = '''"""Test stub of scene {id!r} (written by tests/test_render_support.py)."""

import os
import time

from manim import Circle, Create, FadeIn

from scenes import theme
from scenes.base import LectureScene
from scenes.draw import lecture_text


class {cls}(LectureScene):
    scene_id = {id!r}

    def construct(self) -> None:
        time.sleep(float(os.environ.get("NLL_TEST_STUB_SLEEP", "0") or 0))
        heading = self.get_heading()
        # shows only the data sections the catalog says the scene reads
        shown = " ".join(self.data.section_digest(name)[:6] for name in {reads!r})
        label = lecture_text("{index:02d} " + shown, size=theme.SMALL_SIZE)
        with self.narrate("title"):
            self.play(FadeIn(heading), run_time=0.4)
            self.play(Create(Circle(color=theme.CURVE)), FadeIn(label), run_time=0.6)
        self.wait(0.2)
'''


def stub_project(dest: Path) -> Path:
    """Copy the project's Python packages to ``dest`` with every scene file stubbed."""
    sys.path.insert(0, str(REPO))
    try:
        from scenes import SCENES_IN_ORDER
    finally:
        sys.path.pop(0)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("scenes", "mathcore", "lecture"):
        shutil.copytree(REPO / package, dest / package, ignore=ignore)
    for spec in SCENES_IN_ORDER:
        (dest / spec.file).write_text(STUB_SCENE.format(id=spec.id, cls=spec.scene_class, index=spec.index, reads=spec.reads), encoding="utf-8")
    return dest


def render(args: list[str], project: Path = REPO, env: dict[str, str] | None = None, timeout: float = 900,
           cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``nll-lecture render ARGS`` from ``project`` (its own packages first on the path)."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(project)
    full_env.pop("NLL_LECTURE_FAIL_SCENE", None)
    full_env.update(env or {})
    return subprocess.run(
        [PYTHON, "-m", "lecture.cli", "render", *args], cwd=cwd or project, env=full_env,
        capture_output=True, text=True, timeout=timeout,
    )


def _as_from_a_terminal() -> None:
    # in the child, before exec: Ctrl-C as a shell's foreground job gets it (SIGINT handled by
    # default and not blocked), whatever this test process inherited or a library set
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def start_render(args: list[str], project: Path = REPO, env: dict[str, str] | None = None) -> subprocess.Popen:
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(project)
    full_env.pop("NLL_LECTURE_FAIL_SCENE", None)
    full_env.update(env or {})
    return subprocess.Popen(
        [PYTHON, "-m", "lecture.cli", "render", *args], cwd=project, env=full_env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_as_from_a_terminal,
    )


def signal_state(pid: int) -> str:
    """The process's blocked, ignored and caught signal masks (/proc), for a failure message."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return "(gone)"
    return " ".join(line.replace("\t", " ") for line in lines if line.startswith(("SigBlk", "SigIgn", "SigCgt")))


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder`` (hidden ones too): relative path -> (sha256, inode)."""
    files = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            files[str(path.relative_to(folder))] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_ino)
    return files


def contents(snap: dict[str, tuple[str, int]]) -> dict[str, str]:
    return {rel: digest for rel, (digest, _ino) in snap.items()}


def rendered_ids(stderr: str) -> set[str]:
    """Scene ids the progress output reports as rendered ('done  NN id (...)')."""
    ids = set()
    for line in stderr.splitlines():
        marker = line.find("done  ")
        if marker >= 0:
            words = line[marker + 6:].split()
            if len(words) >= 2:
                ids.add(words[1])
    return ids


def worker_pids(out: Path, command: bytes = b"") -> list[int]:
    """Processes whose command line names this OUT's work area (the scene workers), and
    ``command`` too when given (b"lecture.render.worker": the workers only)."""
    from lecture.publish.outdir import work_area

    marker = str(work_area(out)).encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker in cmdline and command in cmdline:
                pids.append(int(entry.name))
    return pids


def copy_out(src: Path, dest: Path) -> Path:
    """A private copy of a published OUT (tests that change it must not touch the shared one)."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


@contextmanager
def shared_folder(tmp_path_factory, name: str):
    """A folder shared by all xdist workers of this test session, and a lock for setting it up."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    with open(base / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def stub_lecture(tmp_path_factory):
    """(project, OUT): the stub project rendered in full, Korean, preview quality."""
    with shared_folder(tmp_path_factory, "nll-stub-lecture") as folder:
        project, out = folder / "project", folder / "out"
        if not (folder / "done").exists():  # another xdist worker may have rendered it
            shutil.rmtree(project, ignore_errors=True)
            stub_project(project)
            result = render(["--quality", "preview", "--out", str(out)], project=project)
            assert result.returncode == 0, result.stderr
            (folder / "done").touch()
    return project, out


@pytest.fixture(scope="session")
def title_and_closing(tmp_path_factory):
    """OUT of the real project's title and closing scenes, Korean, preview quality (once per
    session, shared by the xdist workers; tests only read it)."""
    with shared_folder(tmp_path_factory, "nll-title-closing") as folder:
        out = folder / "out"
        if not (folder / "done").exists():
            result = render(["--quality", "preview", "--scene", "title", "--scene", "closing", "--out", str(out)])
            assert result.returncode == 0, result.stderr
            (folder / "done").touch()
    return out


@pytest.fixture(scope="session")
def title_and_closing_en(tmp_path_factory):
    """OUT of the real project's title and closing scenes, English, preview quality, asked for
    as ``--scene closing --scene title`` (the manifest keeps the catalog's order). Once per
    session, shared by the xdist workers (a subset test, the slides export and the English
    handout read it; each rendered its own before); tests only read it."""
    with shared_folder(tmp_path_factory, "nll-title-closing-en") as folder:
        out = folder / "out"
        if not (folder / "done").exists():
            result = render(["--quality", "preview", "--out", str(out), "--lang", "en", "--scene", "closing",
                             "--scene", "title"])
            assert result.returncode == 0, result.stderr
            (folder / "done").touch()
    return out


@pytest.fixture(scope="session")
def full_lecture(tmp_path_factory):
    """OUT of the real project rendered in full, Korean, preview quality (once per session)."""
    with shared_folder(tmp_path_factory, "nll-full-lecture") as folder:
        out = folder / "out"
        if not (folder / "done").exists():  # another xdist worker may have rendered it
            result = render(["--quality", "preview", "--out", str(out)], timeout=1800)
            assert result.returncode == 0, result.stderr
            (folder / "done").touch()
    return out


# Same inputs, same bytes -----------------------------------------------------------------
def differing_files(a: Path, b: Path) -> list[str]:
    """Files (relative paths) that are in only one of two published folders or differ in a byte."""
    files_a = {str(p.relative_to(a)): p for p in sorted(a.rglob("*")) if p.is_file()}
    files_b = {str(p.relative_to(b)): p for p in sorted(b.rglob("*")) if p.is_file()}
    differ = sorted(set(files_a) ^ set(files_b))
    differ += [rel for rel in sorted(set(files_a) & set(files_b))
               if files_a[rel].read_bytes() != files_b[rel].read_bytes()]
    return differ
