"""Page code lives in asset files, not in Python strings: no string constant in lecture/
is longer than 3,000 characters, and every asset folder under lecture/ is package data
(so an installed nll-lecture finds its pages)."""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LECTURE = ROOT / "lecture"
LIMIT = 3000


def long_strings(source: str, limit: int = LIMIT) -> list[tuple[int, int]]:
    """(line, length) of each string constant (f-strings: their literal parts together)
    longer than ``limit``."""
    found = []
    tree = ast.parse(source)
    parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    for node in ast.walk(tree):
        if id(node) in parts:  # counted with its f-string
            continue
        if isinstance(node, ast.JoinedStr):
            size = sum(len(v.value) for v in node.values if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            size = len(node.value)
        else:
            continue
        if size > limit:
            found.append((node.lineno, size))
    return found


def test_the_rule_sees_a_long_string_and_a_long_f_string():
    assert long_strings(f"PAGE = '''{'x' * 3001}'''\n") == [(1, 3001)]
    assert long_strings(f"PAGE = f'''{{a}}{'x' * 3001}'''\n") == [(1, 3001)]
    assert long_strings(f"PAGE = '''{'x' * 3000}'''\n") == []


def test_no_string_constant_in_lecture_is_longer_than_3000_characters():
    offenders = {
        path.relative_to(ROOT).as_posix(): found
        for path in sorted(LECTURE.rglob("*.py"))
        if (found := long_strings(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_every_asset_under_lecture_is_package_data():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    missing = []
    for folder in sorted(LECTURE.rglob("assets")):
        package = ".".join(folder.parent.relative_to(ROOT).parts)
        patterns = declared.get(package, [])
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder.parent).as_posix()
            if not any(fnmatch.fnmatch(rel, pattern) for pattern in patterns):
                missing.append(f"{package}: {rel}")
    assert missing == []


def test_the_recording_page_is_its_assets_inlined():
    from lecture.voice.record_page import PAGE

    assets = LECTURE / "voice" / "assets"
    assert (assets / "record.js").read_text(encoding="utf-8") in PAGE
    assert (assets / "record.css").read_text(encoding="utf-8") in PAGE
    assert "/* record.js */" not in PAGE and "/* record.css */" not in PAGE
    assert PAGE.startswith("<!DOCTYPE html>") and PAGE.endswith("</html>\n")


# One source per piece of page code: the player's styles and the chapter list were copied
# between index.html's and the course package's assets (launch.css ~ index.css, player.js ~
# index.js); a fix made in one copy would miss the other.
RUN = 5  # consecutive lines of code two asset files may not share


def _code_lines(path: Path) -> list[str]:
    """The file's lines with white space folded, without blank lines, comments and lone
    punctuation (``});``), as a reader compares them."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = " ".join(line.split())
        if not line or line.startswith(("/*", "*", "//", "<!--")) or not any(ch.isalnum() for ch in line):
            continue
        lines.append(line)
    return lines


def shared_runs(files: list[Path], run: int = RUN) -> list[str]:
    """Pairs of files that share ``run`` consecutive code lines: "a ~ b" (names), once a pair."""
    seen: dict[tuple[str, ...], Path] = {}
    found = []
    for path in files:
        lines = _code_lines(path)
        for start in range(len(lines) - run + 1):
            window = tuple(lines[start:start + run])
            other = seen.setdefault(window, path)
            if other != path and f"{other.name} ~ {path.name}" not in found:
                found.append(f"{other.name} ~ {path.name}")
    return found


def test_the_rule_sees_a_copied_run(tmp_path):
    code = "\n".join(f"rule{i} {{ color: red; }}" for i in range(RUN)) + "\n"
    (tmp_path / "a.css").write_text("/* a */\n" + code, encoding="utf-8")
    (tmp_path / "b.css").write_text("\n" + code.replace("; }", ";  }") + "}\n", encoding="utf-8")  # spaced otherwise
    (tmp_path / "c.css").write_text(code.replace("rule0", "other"), encoding="utf-8")  # one line differs
    assert shared_runs(sorted(tmp_path.glob("*.css"))) == ["a.css ~ b.css"]


def test_no_two_asset_files_share_a_run_of_code():
    files = sorted(p for p in LECTURE.rglob("assets/*") if p.suffix in (".css", ".js", ".html"))
    assert len(files) > 10
    assert shared_runs(files) == []
