"""The narration script: beats of cheap scenes collected in both languages (a child process
constructs them with animations skipped), their ids, texts and silent durations, and the
text / csv / json formats."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lecture.voice import VoiceError
from lecture.voice.script import (
    Beat,
    beats_from_records,
    collect_beats,
    format_script,
)
from scenes import strings

SCENES = ["closing", "title"]  # asked out of order: the beats come in lecture order


@pytest.fixture(scope="module", params=["ko", "en"])
def collected(request: pytest.FixtureRequest) -> tuple[str, list[Beat]]:
    return request.param, collect_beats(request.param, None, SCENES)


def test_beats_of_two_scenes(collected: tuple[str, list[Beat]]) -> None:
    lang, beats = collected
    assert [b.scene for b in beats] == sorted((b.scene for b in beats), key=lambda s: s != "title")
    assert beats[0].id == "01-title/intro_say" and beats[-1].id == "12-closing/thanks_say"
    assert len({b.id for b in beats}) == len(beats)
    for beat in beats:
        stem = "01-title" if beat.scene == "title" else "12-closing"
        assert beat.id == f"{stem}/{beat.key}" and beat.scene_stem == stem and beat.name == beat.key
        assert beat.key.endswith("_say") and beat.key in strings(beat.scene, lang)
        assert beat.text.strip() and "{" not in beat.text
        assert beat.silent_duration_s > 0
    title = [b for b in beats if b.scene == "title"]
    assert [b.index for b in title] == list(range(1, len(title) + 1))
    hangul = any("\uac00" <= ch <= "\ud7a3" for b in beats for ch in b.text)
    assert hangul == (lang == "ko")


def test_filled_numbers_come_from_the_data(collected: tuple[str, list[Beat]]) -> None:
    lang, beats = collected
    examples = next(b for b in beats if b.key == "examples_say")
    assert "10" in examples.text  # the deck's 10 heights and 10 passers-by


def test_formats(collected: tuple[str, list[Beat]]) -> None:
    lang, beats = collected
    data = json.loads(format_script(beats, "json", lang))
    assert data["lang"] == lang
    assert [b["id"] for b in data["beats"]] == [b.id for b in beats]
    assert set(data["beats"][0]) == {"id", "scene", "key", "text", "silent_duration_s"}
    rows = list(csv.DictReader(io.StringIO(format_script(beats, "csv", lang))))
    assert [r["text"] for r in rows] == [b.text for b in beats]
    text = format_script(beats, "text", lang)
    assert "== 01-title ==" in text and "== 12-closing ==" in text
    assert all(b.id in text and b.text in text for b in beats)
    with pytest.raises(VoiceError):
        format_script(beats, "xml", lang)


def test_repeated_key_gets_a_numbered_name() -> None:
    records = [{"scene": "phone-os", "key": "a_say", "text": "x", "duration_s": 1.0},
               {"scene": "phone-os", "key": "a_say", "text": "y", "duration_s": 2.0}]
    beats = beats_from_records(records)
    assert [b.id for b in beats] == ["09-phone-os/a_say", "09-phone-os/a_say-2"]
    assert [b.key for b in beats] == ["a_say", "a_say"] and [b.index for b in beats] == [1, 2]


def test_unknown_scene_and_bad_data(tmp_path) -> None:
    from mathcore.datafile import DataError

    with pytest.raises(VoiceError, match="unknown scene 'nope'"):
        collect_beats("ko", None, ["nope"])
    bad = tmp_path / "bad.toml"
    bad.write_text("[binary]\ncounts = [1]\n")
    with pytest.raises(DataError):
        collect_beats("ko", str(bad), ["title"])


def test_cli_script_command(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    from lecture.cli import main

    assert main(["script", "--lang", "en", "--scene", "title", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lang"] == "en" and data["beats"][0]["id"] == "01-title/intro_say"
    assert main(["script", "--scene", "nope"]) == 2
    assert capsys.readouterr().err.startswith("error: unknown scene 'nope'")
    bad = tmp_path / "bad.toml"
    bad.write_text("[binary]\ncounts = [1]\n")
    assert main(["script", "--data", str(bad)]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_script_shows_the_questions_of_its_scenes(capsys: pytest.CaptureFixture[str]) -> None:
    """The check of understanding follows its scene's lines (lecture/questions.py), the right
    choice marked; JSON carries the manifest's question fields."""
    from lecture.cli import main

    assert main(["script", "--lang", "ko", "--scene", "phone-os"]) == 0
    text = capsys.readouterr().out
    block = text[text.index("? p-hat [phone-os]"):]
    assert "    * " in block and "p̂ = 0.7" in block.split("    * ", 1)[1].splitlines()[0]
    assert text.index("== 09-phone-os ==") < text.index("? p-hat")
    assert main(["script", "--lang", "en", "--scene", "phone-os", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (question,) = data["questions"]
    assert question["id"] == "p-hat" and {"prompt", "choices", "explanation", "time_s"} <= set(question)
    assert [c["correct"] for c in question["choices"]].count(True) == 1
