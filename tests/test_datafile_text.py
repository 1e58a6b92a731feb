"""Text the scenes draw (lecture.*, heights.unit, binary.labels): one line of left-to-right
text the installed fonts can draw, else one line `error: FILE: KEY: <reason>, got "<value>"`.

The data files are written with TOML escapes (``\\u200b``) so this file stays plain text; every
refusal goes through the real console script as well as through load_data.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mathcore import DataError, char_name, load_data, load_data_text

SCRIPT = Path(sys.executable).with_name("nll-lecture")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT), *args] if SCRIPT.exists() else \
        [sys.executable, "-c", "import sys; from lecture.cli import main; sys.exit(main())", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


# (id, section, key, TOML value as written in the file, key path in the error, substrings, shown value)
REFUSED = [
    ("zwsp-only", "lecture", "title", r'"\u200b"', "lecture.title",
     ["non-empty", "invisible", "U+200B ZERO WIDTH SPACE"], r'"\u200b"'),
    ("format-chars-only", "lecture", "course", r'"\u200d\ufeff\u2060"', "lecture.course",
     ["non-empty", "U+200D ZERO WIDTH JOINER"], r'"\u200d\ufeff\u2060"'),
    ("spaces-and-zwsp", "lecture", "author", r'"  \u200b \u2060 "', "lecture.author",
     ["non-empty"], r'"  \u200b \u2060 "'),
    ("hangul-filler-only", "binary", "labels", r'["\u3164", "iOS"]', "binary.labels[0]",
     ["non-empty", "U+3164 HANGUL FILLER"], r'"\u3164"'),
    ("line-separator", "lecture", "title", r'"a\u2028b"', "lecture.title",
     ["one line", "U+2028 LINE SEPARATOR"], r'"a\u2028b"'),
    ("paragraph-separator-at-end", "lecture", "author", r'"Kim\u2029"', "lecture.author",
     ["one line", "U+2029 PARAGRAPH SEPARATOR"], r'"Kim\u2029"'),
    ("next-line", "heights", "unit", r'"cm\u0085"', "heights.unit",
     ["one line", "U+0085 NEXT LINE"], r'"cm\u0085"'),
    ("trailing-newline", "lecture", "course", r'"course\n"', "lecture.course",
     ["one line", "U+000A LINE FEED"], r'"course\n"'),
    ("delete-control", "binary", "labels", r'["a\u007fb", "c"]', "binary.labels[0]",
     ["one line", "U+007F DELETE", "control character"], r'"a\u007fb"'),
    ("c1-control", "lecture", "title", r'"x\u0090y"', "lecture.title",
     ["U+0090", "control character"], r'"x\u0090y"'),
    ("hebrew", "binary", "labels", '["שלום", "iOS"]', "binary.labels[0]",
     ["right-to-left", "U+05E9 HEBREW LETTER SHIN"], '"שלום"'),
    ("arabic", "lecture", "title", '"NLL مرحبا"', "lecture.title",
     ["right-to-left", "U+0645 ARABIC LETTER MEEM"], '"NLL مرحبا"'),
    ("rtl-override", "lecture", "author", r'"x\u202eabc"', "lecture.author",
     ["right-to-left", "U+202E RIGHT-TO-LEFT OVERRIDE"], r'"x\u202eabc"'),
    ("rtl-mark", "binary", "labels", r'["iOS\u200f", "Android"]', "binary.labels[0]",
     ["right-to-left", "U+200F RIGHT-TO-LEFT MARK"], r'"iOS\u200f"'),
    ("rtl-isolate", "heights", "unit", r'"\u2067cm"', "heights.unit",
     ["right-to-left", "U+2067 RIGHT-TO-LEFT ISOLATE"], r'"\u2067cm"'),
    ("emoji", "binary", "labels", r'["Android \U0001F600", "iOS"]', "binary.labels[0]",
     ["emoji", "U+1F600 GRINNING FACE"], '"Android \U0001F600"'),
    ("flag", "lecture", "title", r'"NLL \U0001F1F0\U0001F1F7"', "lecture.title",
     ["emoji", "U+1F1F0 REGIONAL INDICATOR SYMBOL LETTER K"], '"NLL \U0001F1F0\U0001F1F7"'),
    ("heart-symbol", "lecture", "course", r'"I \u2764 NLP"', "lecture.course",
     ["U+2764 HEAVY BLACK HEART"], '"I \u2764 NLP"'),
    ("star-symbol", "binary", "labels", r'["\u2605 fans", "others"]', "binary.labels[0]",
     ["U+2605 BLACK STAR"], '"\u2605 fans"'),
    ("emoji-presentation-selector", "lecture", "title", r'"wow\u203c\ufe0f"', "lecture.title",
     ["U+FE0F VARIATION SELECTOR-16"], '"wow\u203c\\ufe0f"'),
    ("skin-tone", "lecture", "author", r'"Kim \U0001F3FD"', "lecture.author",
     ["U+1F3FD EMOJI MODIFIER FITZPATRICK TYPE-4"], '"Kim \U0001F3FD"'),
    ("private-use", "heights", "unit", r'"\ue000"', "heights.unit",
     ["U+E000", "private-use"], r'"\ue000"'),
    ("unassigned", "heights", "unit", r'"c\u0378m"', "heights.unit",
     ["U+0378", "unassigned"], r'"c\u0378m"'),
]


def _file(tmp_path: Path, section: str, key: str, value: str) -> Path:
    path = tmp_path / "data.toml"
    path.write_text(f"[{section}]\n{key} = {value}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case_id, section, key, value, where, pieces, shown", REFUSED, ids=[c[0] for c in REFUSED])
def test_text_refused_in_process(tmp_path, case_id, section, key, value, where, pieces, shown):
    path = _file(tmp_path, section, key, value)
    with pytest.raises(DataError) as info:
        load_data(path)
    err = info.value
    assert (err.file, err.key) == (str(path), where)
    for piece in pieces:
        assert piece in err.message, (piece, err.message)
    assert str(err).endswith(f", got {shown}"), str(err)
    assert str(err).isprintable()


@pytest.mark.parametrize("case_id, section, key, value, where, pieces, shown", REFUSED, ids=[c[0] for c in REFUSED])
def test_text_refused_by_the_cli_in_one_line(tmp_path, case_id, section, key, value, where, pieces, shown):
    path = _file(tmp_path, section, key, value)
    result = run_cli("compute", "--data", str(path))
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.endswith("\n")
    line = result.stderr[:-1]
    assert len(result.stderr.splitlines()) == 1 and "\n" not in line and line.isprintable(), repr(result.stderr)
    assert line.startswith(f"error: {path}: {where}: "), line
    assert line.endswith(f", got {shown}"), line
    for piece in pieces:
        assert piece in line


@pytest.mark.parametrize("section, key, value, expected", [
    ("heights", "unit", '"㎝"', "㎝"),
    ("binary", "labels", '["㈜삼성 갤럭시", "iPhone™"]', ("㈜삼성 갤럭시", "iPhone™")),
    ("lecture", "author", '"© 2021 현청천"', "© 2021 현청천"),
    ("lecture", "course", '"μ ± σ × 2 · 3 → 25 °C, 5 µm, № 7"', "μ ± σ × 2 · 3 → 25 °C, 5 µm, № 7"),
    ("lecture", "title", r'"NLL\u200b강의"', "NLL\u200b강의"),  # a format character inside visible text
    ("lecture", "date", '"2021년 4월 19일"', "2021년 4월 19일"),
    ("lecture", "title", '"  spaced  "', "spaced"),
])
def test_drawable_text_is_accepted(tmp_path, section, key, value, expected):
    data = load_data(_file(tmp_path, section, key, value))
    got = getattr(getattr(data, section), key)
    assert got == expected


def test_lone_surrogate_is_refused():
    # TOML cannot write one (tomllib refuses \ud800), but text handed to load_data_text can hold one.
    with pytest.raises(DataError) as info:
        load_data_text('[heights]\nunit = "c\ud800"\n', "inline.toml")
    assert info.value.key == "heights.unit" and "U+D800" in info.value.message and "surrogate" in info.value.message
    assert str(info.value).isprintable()


def test_samples_csv_path_is_not_held_to_the_drawing_rules(tmp_path):
    # A file name may hold right-to-left letters or emoji: it is opened, never drawn.
    (tmp_path / "קובץ-\U0001F600.csv").write_text("170\n171\n", encoding="utf-8")
    data = load_data(_file(tmp_path, "heights", "samples_csv", '"קובץ-\U0001F600.csv"'))
    assert data.heights.samples == (170.0, 171.0)


def test_char_name():
    assert char_name("\u2028") == "U+2028 LINE SEPARATOR"
    assert char_name("\x85") == "U+0085 NEXT LINE"
    assert char_name("\U0001F600") == "U+1F600 GRINNING FACE"
    assert char_name("\ue000") == "U+E000 (a private-use character)"


def test_error_line_is_one_printable_line_whatever_the_path(tmp_path):
    directory = tmp_path / "odd\nname\u2028dir"
    directory.mkdir()
    path = directory / "data.toml"
    path.write_text("[descent]\nsteps = 0\n", encoding="utf-8")
    result = run_cli("compute", "--data", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, repr(result.stderr)
    assert result.stderr.startswith("error: ") and "odd\\nname\\u2028dir" in result.stderr
