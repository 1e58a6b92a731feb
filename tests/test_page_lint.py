"""The page code under lecture/ (every ``lecture/**/assets/*.js``) passes ESLint, pinned by
tests/eslint/package-lock.json and configured in tests/eslint/eslint.config.js."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ESLINT = ROOT / "tests" / "eslint" / "node_modules" / ".bin" / "eslint"
CONFIG = ROOT / "tests" / "eslint" / "eslint.config.js"


def _eslint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    assert ESLINT.is_file(), f"{ESLINT} is missing: run `make setup` (npm ci in tests/eslint)"
    return subprocess.run([str(ESLINT), "-c", str(CONFIG), "--no-warn-ignored", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_the_page_code_passes_eslint():
    scripts = sorted(ROOT.glob("lecture/**/assets/*.js"))
    assert len(scripts) >= 8
    result = _eslint(*(p.relative_to(ROOT).as_posix() for p in scripts))
    assert result.returncode == 0, result.stdout + result.stderr


def test_eslint_sees_a_mistake_in_an_asset():
    result = _eslint("--stdin", "--stdin-filename", "lecture/voice/assets/mistake.js",
                     stdin="function f() { return undefinedName + 1; }\nf();\n")
    assert result.returncode == 1
    assert "'undefinedName' is not defined" in result.stdout
