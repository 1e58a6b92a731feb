"""The questions at the scenes' ends (mathcore/questions.py, worded by lecture/questions.py):
every right answer checked against scipy, one right choice each, choices that never read
alike, ties and degenerate counts handled."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats

from lecture.questions import script_lines, worded
from mathcore import load_data, load_data_text
from mathcore.questions import lecture_questions

DECK = load_data(None)


def _data(heights: str = "", binary: str = "", descent: str = "") -> object:
    text = ""
    if heights:
        text += f"[heights]\n{heights}\n"
    if binary:
        text += f"[binary]\n{binary}\n"
    if descent:
        text += f"[descent]\n{descent}\n"
    return load_data_text(text, "test.toml")


def _by_id(data, lang="en"):
    return {q["id"]: q for q in lecture_questions(data, lang)}


def _right(question):
    return [c for c in question["choices"] if c["correct"]]


VARIANTS = {
    "deck": DECK,
    "tiny-lopsided": _data("unit = \"kg\"\nsamples = [58.5, 61.0]\nsigma = 1.5\ncandidates = [55.0, 59.75, 64.0]",
                           "labels = [\"yes\", \"no\"]\ncounts = [1, 199]", "start = 0.3\nlearning_rate = 0.00004\nsteps = 40"),
    "counts-1-0": _data(binary="labels = [\"a\", \"b\"]\ncounts = [1, 0]"),
    "counts-0-1": _data(binary="labels = [\"a\", \"b\"]\ncounts = [0, 1]"),
    "even-split": _data(binary="labels = [\"a\", \"b\"]\ncounts = [5, 5]"),
    "tie": _data("unit = \"cm\"\nsamples = [160.0, 170.0]\nsigma = 3.0\ncandidates = [160.0, 170.0, 180.0]"),
    "start-at-estimate": _data(binary="labels = [\"a\", \"b\"]\ncounts = [1, 1]", descent="start = 0.5"),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_one_right_choice_and_no_two_choices_read_alike(name, lang):
    questions = worded(lecture_questions(VARIANTS[name], lang), lang)
    assert [q["id"] for q in questions] == ["best-candidate", "likelihood-peak", "p-hat", "gradient-start", "correct-token-loss"]
    for q in questions:
        assert sum(c["correct"] for c in q["choices"]) == 1, (name, q)
        texts = [c["text"] for c in q["choices"]]
        assert len(texts) >= 2 and len(set(texts)) == len(texts), (name, q["id"], texts)
        assert q["prompt"] and q["explanation"] and "{" not in q["prompt"] + q["explanation"] + "".join(texts)


def test_the_deck_answers_agree_with_scipy():
    qs = _by_id(DECK)
    heights, binary = DECK.heights, DECK.binary
    loglik = [stats.norm(c, heights.sigma).logpdf(heights.samples).sum() for c in heights.candidates]
    assert _right(qs["best-candidate"])[0]["value"] == heights.candidates[int(np.argmax(loglik))]
    # the likelihood peaks at the mean: a bounded search over mu with scipy finds the same
    peak = _right(qs["likelihood-peak"])[0]["value"]
    from scipy.optimize import minimize_scalar
    found = minimize_scalar(lambda mu: -stats.norm(mu, heights.sigma).logpdf(heights.samples).sum(),
                            bounds=(min(heights.samples), max(heights.samples)), method="bounded", options={"xatol": 1e-9})
    assert peak == pytest.approx(found.x, abs=1e-6)
    # p-hat maximises the binomial likelihood
    p = _right(qs["p-hat"])[0]["value"]
    grid = np.linspace(0.001, 0.999, 999)
    assert p == pytest.approx(grid[np.argmax(stats.binom.logpmf(binary.k, binary.n, grid))], abs=1e-3)
    assert any(c["value"] == pytest.approx(1 - p) and not c["correct"] for c in qs["p-hat"]["choices"])  # 1 - p-hat offered
    # the gradient's sign at the start: a central difference of scipy's NLL
    start, h = DECK.descent.start, 1e-6
    slope = (-stats.binom.logpmf(binary.k, binary.n, start + h) + stats.binom.logpmf(binary.k, binary.n, start - h)) / (2 * h)
    assert _right(qs["gradient-start"])[0]["key"] == ("negative" if slope < 0 else "positive")
    assert qs["gradient-start"]["value"] == pytest.approx(slope, rel=1e-5)
    # the loss of the correct token: -ln softmax
    from mathcore import EXAMPLES
    example = EXAMPLES["en"]
    tokens = list(example.tokens)
    loss = -math.log(special.softmax(np.asarray(example.logits))[tokens.index(example.correct)])
    assert _right(qs["correct-token-loss"])[0]["value"] == pytest.approx(loss, rel=1e-12)
    assert any(c["value"] == pytest.approx(-loss) for c in qs["correct-token-loss"]["choices"])  # the log, not the NLL


def test_a_tie_has_no_single_right_candidate():
    q = _by_id(VARIANTS["tie"])["best-candidate"]
    assert [c["key"] for c in _right(q)] == ["tie"]
    assert _right(q)[0]["fields"]["indices"] == [1, 2]
    assert q["explanation"] == "best_candidate_tie"
    text = worded([q], "en")[0]
    assert "θ₁, θ₂" in text["explanation"] and "θ₁, θ₂" in [c for c in text["choices"] if c["correct"]][0]["text"]


@pytest.mark.parametrize("counts, answer", [((1, 0), 1.0), ((0, 1), 0.0)])
def test_degenerate_counts_still_ask_a_question(counts, answer):
    data = VARIANTS["counts-1-0" if counts == (1, 0) else "counts-0-1"]
    q = _by_id(data)["p-hat"]
    assert _right(q)[0]["value"] == answer
    assert len(q["choices"]) >= 3
    assert all(math.isfinite(c["value"]) for c in q["choices"])


def test_a_start_at_the_estimate_has_zero_gradient():
    q = _by_id(VARIANTS["start-at-estimate"])["gradient-start"]
    assert _right(q)[0]["key"] == "zero" and q["explanation"] == "gradient_zero"


def test_the_script_marks_the_right_choice():
    lines = script_lines(worded(lecture_questions(DECK, "en"), "en"))
    starred = [line for line in lines if line.startswith("    * ")]
    assert len(starred) == 5 and "p̂ = 0.7" in "\n".join(starred)


def test_questions_are_timed_just_before_their_scene_ends():
    scenes = [{"id": "height-samples", "start_s": 10.0, "duration_s": 5.0}, {"id": "phone-os", "start_s": 20.0, "duration_s": 4.0}]
    qs = worded(lecture_questions(DECK, "ko"), "ko", scenes)
    assert [(q["id"], q["time_s"]) for q in qs] == [("best-candidate", 14.9), ("p-hat", 23.9)]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_p_hat_question_counts_in_the_datas_story(lang):
    from lecture.questions import worded
    from mathcore.datafile import load_data_text

    story = load_data(Path(__file__).parent / "data" / "story_exam.toml")
    prompt = worded(lecture_questions(story, lang), lang)[2]["prompt"]
    assert ("100명 가운데 ‘합격’ 55명" if lang == "ko" else "Of 100 candidates: “합격” 55") in prompt
    coins = load_data_text('[binary]\nlabels = ["H", "T"]\ncounts = [3, 4]\n', "coins.toml")
    prompt = worded(lecture_questions(coins, lang), lang)[2]["prompt"]
    assert ("7번 가운데 ‘H’ 3번" if lang == "ko" else "Of 7 observations: “H” 3") in prompt
    for deck_word in ("명", "people", "use", "사용자", "share", "점유율"):
        assert deck_word not in prompt, deck_word
