"""Batch plan files (lecture/batch/plan.py): a good plan's variants and defaults, and one
line naming the file, the key and the value for every bad one (exit 2, nothing rendered)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from mathcore import DataError
from test_render_support import PYTHON, REPO

from lecture.batch import Outcome, format_table, load_plan
from lecture.voice.base import VoiceSpec


def _plan(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_plan_with_defaults_and_paths_relative_to_the_plan(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.toml").write_text("[binary]\ncounts = [1, 2]\n")
    (tmp_path / "rec").mkdir()
    plan = load_plan(_plan(tmp_path, """
[[variant]]
name = "cohort-a"
data = "data/a.toml"

[[variant]]
name = "en_720"
lang = "en"
quality = "medium"
voice = "recorded:rec"
scenes = ["title", "closing"]
"""))
    first, second = plan.variants
    assert (first.name, first.data, first.lang, first.quality, first.voice, first.scenes) == (
        "cohort-a", tmp_path / "data" / "a.toml", "ko", "high", VoiceSpec("none"), ())
    assert (second.name, second.data, second.lang, second.quality, second.scenes) == (
        "en_720", None, "en", "medium", ("title", "closing"))
    assert second.voice == VoiceSpec("recorded", str(tmp_path / "rec"))  # parsed once, here


def test_a_variants_parsed_voice_is_taken_as_it_is(tmp_path) -> None:
    """The batch hands the plan's VoiceSpec to RenderOptions.parse: not parsed again (a
    recordings folder stays the one the plan named, relative to the plan file)."""
    from lecture.render.options import RenderOptions

    spec = VoiceSpec("recorded", str(tmp_path / "rec"))
    assert RenderOptions.parse(out=tmp_path / "out", voice=spec).voice is spec
    assert RenderOptions.parse(out=tmp_path / "out", voice="espeak").voice == VoiceSpec("espeak")


BAD_PLANS = [
    ('title = "x"\n', 'plan.toml: title: unknown key (a plan holds [[variant]] tables only)'),
    ("", "plan.toml: variant: expected at least one [[variant]] table"),
    ("variant = [1, 2]\n", "plan.toml: variant[0]: expected a table, got 1"),
    ("[[variant]\n", "plan.toml: not valid TOML: "),
    ('[[variant]]\nname = "a"\nlanguage = "en"\n', "plan.toml: variant[0].language: unknown key (known: name, data, lang, quality, voice, scenes)"),
    ('[[variant]]\nlang = "en"\n', "plan.toml: variant[0].name: missing: every variant needs a name"),
    ('[[variant]]\nname = 3\n', "plan.toml: variant[0].name: expected a string, got 3"),
    ('[[variant]]\nname = "../up"\n', 'plan.toml: variant[0].name: expected a folder name of letters, digits, '),
    ('[[variant]]\nname = "a/b"\n', 'got "a/b"'),
    ('[[variant]]\nname = ".hidden"\n', 'got ".hidden"'),
    ('[[variant]]\nname = ".."\n', 'got ".."'),
    ('[[variant]]\nname = "-rf"\n', 'got "-rf"'),
    ('[[variant]]\nname = ""\n', 'got ""'),
    ('[[variant]]\nname = "' + "x" * 65 + '"\n', "at most 64 characters"),
    ('[[variant]]\nname = "코호트"\n', 'got "코호트"'),
    ('[[variant]]\nname = "a"\n[[variant]]\nname = "b"\n[[variant]]\nname = "A"\n',
     'plan.toml: variant[2].name: "A" is already the name of variant[0] (names must differ, also in letter case)'),
    ('[[variant]]\nname = "a"\nlang = "fr"\n', 'plan.toml: variant[0].lang: expected one of ko, en, got "fr"'),
    ('[[variant]]\nname = "a"\nquality = "ultra"\n', 'plan.toml: variant[0].quality: expected one of preview, medium, high, 4k, got "ultra"'),
    ('[[variant]]\nname = "a"\ndata = "missing.toml"\n', 'plan.toml: variant[0].data: file not found: "missing.toml" (relative to the plan file)'),
    ('[[variant]]\nname = "a"\ndata = "."\n', 'plan.toml: variant[0].data: not a regular file: "."'),
    ('[[variant]]\nname = "a"\nvoice = "piper"\n', "plan.toml: variant[0].voice: expected none, espeak, recorded:DIR or command:TEMPLATE, got 'piper'"),
    ('[[variant]]\nname = "a"\nscenes = "title"\n', 'plan.toml: variant[0].scenes: expected a list of scene ids, got "title"'),
    ('[[variant]]\nname = "a"\nscenes = []\n', "plan.toml: variant[0].scenes: expected at least one scene id"),
    ('[[variant]]\nname = "a"\nscenes = ["title", "outro"]\n', 'plan.toml: variant[0].scenes[1]: unknown scene "outro"'),
    ('[[variant]]\nname = "a"\nscenes = ["title", "title"]\n', 'plan.toml: variant[0].scenes[1]: "title" is listed twice'),
]


@pytest.mark.parametrize("text, message", BAD_PLANS)
def test_a_bad_plan_is_one_line_naming_the_key_and_value(tmp_path, text, message):
    path = _plan(tmp_path, text)
    with pytest.raises(DataError) as info:
        load_plan(path)
    shown = str(info.value)
    assert "\n" not in shown
    assert shown.startswith(str(tmp_path) + os.sep)
    assert message.removeprefix("plan.toml") in shown, shown


def test_a_recorded_voice_is_refused_for_a_cluster(tmp_path):
    (tmp_path / "rec").mkdir()
    path = _plan(tmp_path, '[[variant]]\nname = "a"\nvoice = "recorded:rec"\n')
    load_plan(path)  # fine on this machine
    with pytest.raises(DataError, match=r"variant\[0\]\.voice: --cluster renders with voice none or espeak"):
        load_plan(path, cluster=True)


def test_plan_files_are_read_like_data_files(tmp_path):
    os.mkfifo(tmp_path / "fifo.toml")
    with pytest.raises(DataError, match="not a regular file"):
        load_plan(tmp_path / "fifo.toml")
    with pytest.raises(DataError, match="file not found"):
        load_plan(tmp_path / "none.toml")
    (tmp_path / "bom.toml").write_bytes(b'\xef\xbb\xbf[[variant]]\nname = "a"\n')
    assert load_plan(tmp_path / "bom.toml").variants[0].name == "a"


def test_the_cli_refuses_a_bad_plan_with_exit_2_and_renders_nothing(tmp_path):
    path = _plan(tmp_path, '[[variant]]\nname = "a"\nquality = "ultra"\n')
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([PYTHON, "-m", "lecture.cli", "batch", str(path), "--out", str(out)], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == f'error: {path}: variant[0].quality: expected one of preview, medium, high, 4k, got "ultra"\n'
    assert not out.exists() and not (tmp_path / ".out.render").exists()


def test_the_table_shows_counts_of_published_variants_and_why_others_failed():
    table = format_table([Outcome("cohort-a", 12, 0, 75.0, 3, 9), Outcome("b", 12, 2, 0.4, 0, 0, "b.toml: x: bad")])
    assert table.splitlines() == [
        "variant   scenes  rendered  reused  time  status",
        "cohort-a      12         3       9  1:15  published",
        "b             12         -       -  0:00  failed (exit 2): b.toml: x: bad",
    ]
