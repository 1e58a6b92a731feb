"""Which systems `make setup` supports, and what it says elsewhere (issue 24).

`make setup` supports Debian 12 (Python 3.11) and Debian 13 (Python 3.13, where pydub's
`audioop` comes from the audioop-lts backport). On any other system it stops with one
`error:` line that lists what to install by hand.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

DEBIAN_12 = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'
DEBIAN_13 = 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\nVERSION_ID="13"\n'
DEBIAN_11 = 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nID=debian\nVERSION_ID="11"\n'
UBUNTU = 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n'
FEDORA = 'PRETTY_NAME="Fedora Linux 41 (Workstation Edition)"\nID=fedora\nVERSION_ID=41\n'


def _apt_packages() -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^APT_PACKAGES := ((?:.*\\\n)*.*)$", text, re.MULTILINE).group(1)
    return block.replace("\\\n", " ").split()


def _fake_python(tmp_path: Path, version: str) -> Path:
    path = tmp_path / f"python{version}"
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


def _check(tmp_path: Path, os_release: str, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    """The system check, then (if it passed) the Python check, as `make setup` runs them."""
    release = tmp_path / "os-release"
    release.write_text(os_release)
    script = str(ROOT / ".ci" / "check-system")
    env = {**os.environ, "NLL_OS_RELEASE": str(release)}
    # from an empty folder: no .venv there, so the Python given is the one checked
    result = subprocess.run(["bash", script, "os", *_apt_packages()], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return result
    return subprocess.run(["bash", script, "python", python], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("release,version", [(DEBIAN_12, "3.11"), (DEBIAN_13, "3.13")])
def test_the_supported_systems_pass_silently(tmp_path, release, version):
    result = _check(tmp_path, release, str(_fake_python(tmp_path, version)))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("release,name", [(UBUNTU, "Ubuntu 24.04.1 LTS"), (FEDORA, "Fedora Linux 41"),
                                          (DEBIAN_11, "Debian GNU/Linux 11"), ("", "an unknown system")])
def test_another_system_gets_one_line_of_what_to_install_by_hand(tmp_path, release, name):
    result = _check(tmp_path, release)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: make setup supports Debian 12 and 13") and name in lines[0]
    assert all(package in lines[0] for package in _apt_packages()) and "make setup SYSTEM=any" in lines[0]


@pytest.mark.parametrize("version", ["3.9", "3.10", "3.14"])
def test_an_unsupported_python_stops_setup_with_one_line(tmp_path, version):
    result = _check(tmp_path, DEBIAN_12, str(_fake_python(tmp_path, version)))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and f"is {version}" in result.stderr and "3.11 to 3.13" in result.stderr


def test_make_setup_runs_the_check_before_installing(tmp_path):
    """`make system-packages` (the first step of `make setup`) on an unsupported system stops
    with the check's line before apt is asked for anything."""
    release = tmp_path / "os-release"
    release.write_text(UBUNTU)
    result = subprocess.run(["make", "-s", "system-packages"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "NLL_OS_RELEASE": str(release)})
    assert result.returncode != 0
    assert result.stderr.startswith("error: make setup supports Debian 12 and 13, not Ubuntu 24.04.1 LTS")
    assert "installing Debian packages" not in result.stdout


def test_the_python_check_comes_after_apt_which_may_bring_python3():
    """texlive-latex-extra depends on python3: on a fresh Debian, python3 may come with apt."""
    recipe = re.search(r"^system-packages:\n((?:\t.*\n|ifeq.*\n|else\n|endif\n)+)", (ROOT / "Makefile").read_text(),
                       re.MULTILINE).group(1)
    order = [line.split()[2] for line in recipe.splitlines() if line.startswith("\t@bash .ci/")]
    assert order == ["os", "$(APT_PACKAGES)", "python"], order


def test_python_3_13_gets_the_audioop_backport():
    """pydub (manim's audio) imports audioop, gone from the standard library in 3.13."""
    from packaging.requirements import Requirement

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    backports = [Requirement(d) for d in dependencies if Requirement(d).name == "audioop-lts"]
    assert len(backports) == 1 and backports[0].marker is not None
    marker = backports[0].marker
    assert marker.evaluate({"python_version": "3.13"}) and marker.evaluate({"python_version": "3.14"})
    assert not marker.evaluate({"python_version": "3.11"}) and not marker.evaluate({"python_version": "3.12"})


def test_readme_names_the_supported_systems():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Two commands"):readme.index("## What the lecture shows")]
    assert "Debian 12" in setup and "Debian 13" in setup and "audioop-lts" in setup
    assert "SYSTEM=any" in setup and "Debian or Ubuntu" not in setup
