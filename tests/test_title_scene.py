"""Scene 1 (title) and the closing card with the data file's [lecture] lines, both languages.

Fast runs (tests/scene_checks.py: construct() runs completely, nothing is encoded). The
narration names the data's title when the file sets one (it named the deck's lecture
whatever the file said); the English cards romanise the deck's author only, a data file's
author is shown as given; the outline and both datasets are on screen at the end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scene_checks import narration_problems, off_frame, run_scene, use_data_text
from scenes import SCENES_BY_ID
from test_scenes import number_problems

pytestmark = pytest.mark.usefixtures("manim_config")  # a media folder per worker
TITLE, CLOSING = SCENES_BY_ID["title"], SCENES_BY_ID["closing"]
DECK_TITLE_KO = "자연어처리를 위한 Negative Log Likelihood"
METRES = (Path(__file__).parent / "data" / "metres_25.toml").read_text(encoding="utf-8")


def _run(spec, lang: str, data_text: str | None, tmp_path: Path, monkeypatch) -> Any:
    use_data_text(monkeypatch, lang, data_text, tmp_path)
    scene = run_scene(spec)
    problems = [f"off-frame: {item}" for item in off_frame(scene)]
    problems += [f"narration: {item}" for item in narration_problems(scene, lang)]
    problems += [f"number: {item}" for item in number_problems(scene)]
    assert not problems, "\n".join(problems)
    return scene


def _captions(scene: Any) -> list[str]:
    return [sub.content for sub in scene.renderer.file_writer.subcaptions]


def _screen_texts(scene: Any) -> list[str]:
    from manim import Text

    return [mob.original_text for top in scene.mobjects for mob in top.get_family() if isinstance(mob, Text)]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_narration_names_the_data_files_title(lang, tmp_path, monkeypatch) -> None:
    scene = _run(TITLE, lang, '[lecture]\ntitle = "Likelihood in metres"\n' + METRES, tmp_path, monkeypatch)
    first = _captions(scene)[0]
    assert "Likelihood in metres" in first and DECK_TITLE_KO not in first
    assert "natural language processing" not in first
    assert "Likelihood in metres" in _screen_texts(scene)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_deck_keeps_its_own_welcome_and_shows_outline_and_datasets(lang, tmp_path, monkeypatch) -> None:
    scene = _run(TITLE, lang, None, tmp_path, monkeypatch)
    welcome = {"ko": "자연어처리를 위한 Negative Log Likelihood 강의를 시작합니다.",
               "en": "Welcome to this lecture on negative log likelihood for natural language processing."}[lang]
    assert _captions(scene)[0] == welcome
    texts = _screen_texts(scene)
    outline = {"ko": ["가능도", "로그 가능도", "음의 로그 가능도", "경사 하강법"],
               "en": ["Likelihood", "Log likelihood", "Negative log likelihood", "Gradient descent"]}[lang]
    assert all(name in texts for name in outline)
    assert {"164.95", "172.63", "Android 7", "iOS 3"} <= set(texts)  # the samples' ends, the counts
    assert scene.shown_numbers["sample_count"] == 10 and scene.shown_numbers["count_first"] == 7


@pytest.mark.slow
@pytest.mark.parametrize(("spec", "data_text", "lang", "author"), [
    (TITLE, None, "en", "Hyeon Cheongcheon"),         # the deck's author, romanised in English
    (TITLE, None, "ko", "현청천"),
    (CLOSING, None, "en", "Hyeon Cheongcheon"),
    (TITLE, '[lecture]\nauthor = "현청천"\ntitle = "Other"\n', "en", "Hyeon Cheongcheon"),  # the same name
    (TITLE, '[lecture]\nauthor = "김민지"\n', "en", "김민지"),  # a data file's author: as given
    (CLOSING, '[lecture]\nauthor = "Test Lecturer"\n', "ko", "Test Lecturer"),
], ids=["deck-en", "deck-ko", "closing-en", "same-author-en", "other-author-en", "closing-other-ko"])
def test_the_author_is_romanised_only_when_it_is_the_decks(spec, data_text, lang, author, tmp_path, monkeypatch) -> None:
    scene = _run(spec, lang, data_text, tmp_path, monkeypatch)
    texts = _screen_texts(scene)
    assert author in texts
    if author != "현청천":
        assert "현청천" not in texts


EXTREMES = ("negative-korean-unit", "tiny-values-latin-unit", "values-minus-1e15", "samples-100000",
            "counts-0-1", "counts-1e15-3-korean-labels", "counts-3-1e15-latin-labels")


@pytest.mark.slow
@pytest.mark.parametrize("case_name", EXTREMES)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_datasets_fit_for_data_at_the_edges(case_name, lang, tmp_path, monkeypatch) -> None:
    """Scene 1 now draws both datasets: the gate's layout rules hold for extreme data too
    (no two texts overlap, everything inside the 3% margin, every text at least 10 px high)."""
    from lecture.check.layout import layout_problems
    from test_sweep_data import CASES, toml_text

    case = next(c for c in CASES if c.name == case_name)
    scene = _run(TITLE, lang, toml_text(case.sections), tmp_path, monkeypatch)
    problems = [message for _, message in layout_problems(scene.layout_beats, 1920, 1080)]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_a_label_too_long_to_read_leaves_its_count_alone(tmp_path, monkeypatch) -> None:
    from test_sweep_data import CASES, toml_text

    case = next(c for c in CASES if c.name == "counts-3-1e15-latin-labels")
    texts = _screen_texts(_run(TITLE, "en", toml_text(case.sections), tmp_path, monkeypatch))
    assert "3" in texts and str(10**15) in texts
    assert not any(t.startswith("Android phones") or t.startswith("Apple iPhone") for t in texts)
