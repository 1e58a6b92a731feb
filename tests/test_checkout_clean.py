"""What the README's commands leave in the checkout is git-ignored (issue 24).

`make lecture` runs the Makefile's `lecture` recipe: a render into out/, which also keeps its
work folder (.out.render/) beside out/. The recipe is read from the Makefile and run in a
copy of the checkout (its tracked and not-ignored files, committed into a fresh repository)
at the lowest quality and one scene; then `git status --porcelain` must be empty.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def lecture_recipe() -> list[str]:
    """The command of the Makefile's `lecture` target, as arguments after the program."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^lecture:.*\n\t(.+)$", text, re.MULTILINE)
    assert match, "the Makefile has no lecture target"
    words = shlex.split(match.group(1))
    assert words[0] == "$(BIN)/nll-lecture", words
    return words[1:]


def test_lecture_recipe_is_a_render_into_out():
    args = lecture_recipe()
    assert args[0] == "render" and args[args.index("--out") + 1] == "out"


def _copy_checkout(dst: Path) -> None:
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_symlink() or not src.is_file():
            continue
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst / rel)
    _git("init", "-q", cwd=dst)
    _git("add", "-A", cwd=dst)
    _git("commit", "-qm", "copy", cwd=dst)


@pytest.mark.slow
def test_make_lecture_leaves_the_checkout_clean(tmp_path):
    copy = tmp_path / "checkout"
    _copy_checkout(copy)
    assert _git("status", "--porcelain", cwd=copy) == ""
    args = lecture_recipe()
    args[args.index("--quality") + 1] = "preview"  # the lowest quality, one scene: the same folders
    args += ["--scene", "title", "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(copy)}
    result = subprocess.run([sys.executable, "-m", "lecture.cli", *args], cwd=copy, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (copy / "out" / "manifest.json").is_file()
    assert [p.name for p in copy.iterdir() if p.name.endswith(".render")] == [".out.render"]
    assert _git("status", "--porcelain", "--untracked-files=all", cwd=copy) == ""


def test_a_venv_or_node_modules_that_is_a_symlink_is_ignored_too(tmp_path):
    """A worktree that links a shared .venv (or tests/axe/node_modules) must not commit the
    link with `git add -A`: checked out over the real folder, it would replace it."""
    repo = tmp_path / "repo"
    (repo / "tests" / "axe").mkdir(parents=True)
    shutil.copy2(ROOT / ".gitignore", repo / ".gitignore")
    _git("init", "-q", cwd=repo)
    _git("add", ".gitignore", cwd=repo)
    _git("commit", "-qm", "ignore", cwd=repo)
    (tmp_path / "shared").mkdir()
    (repo / ".venv").symlink_to(tmp_path / "shared")
    (repo / "tests" / "axe" / "node_modules").symlink_to(tmp_path / "shared")
    assert _git("status", "--porcelain", "--untracked-files=all", cwd=repo) == ""
