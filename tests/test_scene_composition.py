"""Scenes 2, 4 and 9 composed for the eye (issue 18, item 5), on fast dry runs
(tests/scene_checks.py) with the deck's data and data far from it, in both languages:

- scenes 2 and 4 put keywords, formulas and numbers on screen, not the sentences the voice
  says ("가능도: 관측된 사건이 얼마나 그럴듯한가", "같은 모델 θ, 두 관측값 a와 b"): no text
  but the heading has more than three words; the keyword stands by the thing it names;
  every beat keeps the margins and the caption band free;
- scene 9's early beats fill the room under the heading (the people stood in one thin row
  with empty bands above and below), and the sampling formula and L(p) stand beside the
  survey, not in a stack under it.
"""

from __future__ import annotations

from typing import Any

import pytest

from scene_checks import run_scene, use_lecture
from scenes import SCENES_BY_ID, theme
from test_scene_content_box import outside_content

MAX_WORDS = 3  # a keyword label: "넓이 = 확률 ≠ 가능도", "x (cm)", "fixed"


def words(text: str) -> int:
    """Tokens with a letter: "area = probability ≠ likelihood" is 3, "= 0.1185" is 0."""
    return sum(1 for token in text.split() if any(ch.isalpha() for ch in token))


def test_words_counts_words_not_symbols_or_numbers() -> None:
    assert words("넓이 = 확률 ≠ 가능도") == 3 and words("P(x) = 0.18") == 1 and words("168.34 ×10⁻³") == 0
    assert words("가능도: 관측된 사건이 얼마나 그럴듯한가") == 5  # the sentence the screen showed


def _data_id(data_file: str | None) -> str:
    return "deck" if data_file is None else data_file.removesuffix(".toml")


DATA_FILES = (None, "story_exam.toml", "tiny_lopsided.toml")


def _runs(scene_ids: tuple[str, ...]) -> list[Any]:
    return [pytest.param(scene_id, lang, data_file, id=f"{scene_id}-{lang}-{_data_id(data_file)}",
                         marks=[] if data_file is None else [pytest.mark.slow])
            for scene_id in scene_ids for lang in ("ko", "en") for data_file in DATA_FILES]


def _run(scene_id: str, lang: str, data_file: str | None, monkeypatch: Any) -> Any:
    use_lecture(monkeypatch, lang, data_file)
    return run_scene(SCENES_BY_ID[scene_id])


def _beat(scene: Any, key: str) -> dict[str, Any]:
    return next(beat for beat in scene.layout_beats if beat["key"] == key)


def _shown(beat: dict[str, Any]) -> list[str]:
    return [item["text"] for item in beat["texts"]]


@pytest.mark.parametrize(("scene_id", "lang", "data_file"), _runs(("likelihood-continuous", "comparing-likelihoods")))
def test_keywords_on_screen_not_the_voices_sentences(scene_id, lang, data_file, monkeypatch, manim_config) -> None:
    scene = _run(scene_id, lang, data_file, monkeypatch)
    heading = scene.word("title")
    long = sorted({f"{beat['key']}: {item['text']!r}" for beat in scene.layout_beats for item in beat["texts"]
                   if item["kind"] == "text" and item["text"] != heading and words(item["text"]) > MAX_WORDS})
    assert not long, "sentences on screen:\n  " + "\n  ".join(long)
    assert not outside_content(scene.layout_beats)
    if scene_id == "likelihood-continuous":
        # the term by its symbol, then the same line completed: likelihood  L(theta | x) = f(x; theta)
        define = _shown(_beat(scene, "define_say"))
        assert scene.word("definition") in define and r"\mathcal{L}(\theta \mid x)" in define, define
        assert scene.word("area_note") in _shown(_beat(scene, "area_say"))
        end = _beat(scene, "conclude_say")
        term = next(item["box"] for item in end["texts"] if item["text"] == scene.word("definition"))
        law = next(item["box"] for item in end["texts"] if item["text"] == r"\mathcal{L}(\theta \mid x) = f(x;\theta)")
        assert abs((term[1] + term[3]) / 2 - (law[1] + law[3]) / 2) < 0.15  # one line
    else:
        # "fixed" by the model's theta (not a subtitle under the heading)
        model = _beat(scene, "model_say")
        tag = next(item["box"] for item in model["texts"] if item["text"] == scene.word("fixed_tag"))
        theta = next(item["box"] for item in model["texts"] if item["text"].startswith(r"\theta = (\mu, \sigma)"))
        assert 0 <= tag[0] - theta[2] < 4.0 and tag[1] < theta[3] and tag[3] > theta[1], (tag, theta)
        assert not any(scene.word("fixed_tag") in text for text in _shown(_beat(scene, "model_say"))
                       if text != scene.word("fixed_tag"))  # no subtitle sentence carries it


# Scene 9 ---------------------------------------------------------------------------------
EARLY_BEATS = ("survey_say", "counts_say", "model_say", "sampling_say", "drop_say")
MIN_FILL = 0.45  # the early beats' content spans nearly half the room under the heading (one thin row: 20 %)


def _content_box(beat: dict[str, Any], heading: str) -> list[float]:
    boxes = [item["box"] for item in beat["objects"] if item.get("text") != heading]
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


@pytest.mark.parametrize(("scene_id", "lang", "data_file"), _runs(("phone-os",)))
def test_scene_9_early_beats_fill_the_room_and_keep_two_columns(scene_id, lang, data_file, monkeypatch,
                                                              manim_config) -> None:
    scene = _run(scene_id, lang, data_file, monkeypatch)
    heading = scene.get_heading()
    room = heading.get_bottom()[1] - theme.HEADING_BUFF - theme.CONTENT_BOTTOM
    for key in EARLY_BEATS:
        box = _content_box(_beat(scene, key), scene.word("title"))
        assert (box[3] - box[1]) / room >= MIN_FILL, f"{key}: content spans {(box[3] - box[1]) / room:.0%} of the room"
    # the formulas beside the survey (right column), level with it, both inside the content box
    survey, maths = scene.columns
    assert survey.get_right()[0] < maths.get_left()[0], (survey.get_right(), maths.get_left())
    assert survey.get_bottom()[1] < maths.get_center()[1] < survey.get_top()[1]
    assert not outside_content(scene.layout_beats)
