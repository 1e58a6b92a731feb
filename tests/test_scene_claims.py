"""Scenes 7-10 say only what is true for the data on screen: each claim that depends on the
data has a branch, and data that triggers each branch picks it (issue 10 §3).

Fast runs (tests/scene_checks.py: construct() runs completely, nothing is encoded) with the
deck's data, the review's metres_25.toml (25 heights in metres, counts 31/19, no [descent])
and small inline data files made to trigger one branch each. Besides the branch, each run
must pass the checks every scene passes (frame, narration, numbers, the gate's layout and
caption rules). What is on screen at the end of a beat comes from the scene's layout
snapshots (scenes/layout.py), the same record `nll-lecture check` reads.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from lecture import captions
from mathcore import load_data, underflow_demo
from mathcore.log_view import collapse_count
from scene_checks import DATA_DIR, gate_problems, narration_problems, off_frame, run_scene
from scenes import DATA_ENV, LANG_ENV, SCENES_BY_ID
from scenes.text import ko_particle, subscript_digits
from test_scenes import number_problems

# Inline data files, each made to reach one branch.
SURVIVE = '[heights]\nunit = "m"\nsamples = [1.0, 1.483942]\n'  # sigma = 1/sqrt(2 pi e): densities near 1
TWO_OF_TEN = "[binary]\ncounts = [2, 8]\n"                          # C(10, 2): "는" after 2
VANISHED = "[descent]\nstart = 0.2\nlearning_rate = 0.01\nsteps = 30\n"  # 30 steps: gradient -1e-7
EDGE = "[binary]\ncounts = [10, 0]\n"                                # p_hat = 1: the gradient never 0
SHORT = "[descent]\nstart = 0.2\nlearning_rate = 0.0001\nsteps = 3\n"   # stops far from p_hat
TOO_FAST = "[binary]\ncounts = [130, 70]\n[descent]\nstart = 0.2\nlearning_rate = 0.01\nsteps = 30\n"


def _run(scene_id: str, lang: str, data: str | None, tmp_path, monkeypatch) -> Any:
    """Construct scene ``scene_id``; ``data`` is None (the deck), a tests/data file name, or
    the text of a data file. Fails on anything any scene must not do."""
    monkeypatch.setenv(LANG_ENV, lang)
    if data is None:
        monkeypatch.delenv(DATA_ENV, raising=False)
    elif data.endswith(".toml"):
        monkeypatch.setenv(DATA_ENV, str(DATA_DIR / data))
    else:
        path = tmp_path / "data.toml"
        path.write_text(data, encoding="utf-8")
        monkeypatch.setenv(DATA_ENV, str(path))
    scene = run_scene(SCENES_BY_ID[scene_id])
    problems = [f"off-frame: {item}" for item in off_frame(scene)]
    problems += narration_problems(scene, lang) + number_problems(scene) + gate_problems(scene, lang)
    assert not problems, "\n".join(problems)
    return scene


def _keys(scene: Any) -> list[str]:
    return [beat["key"] for beat in scene.layout_beats]


def _texts_at_end_of(scene: Any, key: str) -> list[str]:
    beat = next(b for b in scene.layout_beats if b["key"] == key)
    return [t["text"] for t in beat["texts"]]


def _captions(scene: Any) -> list[str]:
    return [sub.content for sub in scene.renderer.file_writer.subcaptions]


# Scene 7: the float product underflows, overflows, or survives ------------------------
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(("data", "kind"), [(None, "underflow"), ("metres_25.toml", "overflow"), (SURVIVE, "survive")])
def test_scene_7_says_how_the_product_collapsed(data, kind, lang, tmp_path, monkeypatch, manim_config) -> None:
    scene = _run("log-likelihood", lang, data, tmp_path, monkeypatch)
    keys = _keys(scene)
    h = scene.data.heights
    demo = underflow_demo(h.samples, h.mle_mu, h.sigma, count=collapse_count(h.samples, h.mle_mu, h.sigma))
    assert (demo.collapse or "survive") == kind
    others = {"underflow", "overflow", "survive"} - {kind}
    assert f"run_{kind}_say" in keys and f"why_{kind}_say" in keys
    assert not any(key.startswith(tuple(f"{p}{o}" for o in others for p in ("run_", "why_", "after_"))) for key in keys)
    if kind == "survive":
        assert "survive_say" in keys and "logsum_say" not in keys
        return
    # The collapse is narrated in its own beat, after the run, while the screen shows it:
    # the counter at the collapsing factor and the product as 0.0 (or inf).
    shown = "0.0" if kind == "underflow" else "inf"
    assert keys.index(f"run_{kind}_say") < keys.index(f"{kind}_say") < keys.index(f"after_{kind}_say") \
        < keys.index("logsum_say")
    assert shown not in _texts_at_end_of(scene, f"run_{kind}_say")
    at_collapse = _texts_at_end_of(scene, f"{kind}_say")
    assert shown in at_collapse and str(demo.first_collapse) in at_collapse
    line = next(c for c in _captions(scene) if str(demo.first_collapse) in c)
    assert shown in line
    # The log-sum is named once the counter has reached the last factor.
    at_sum = _texts_at_end_of(scene, "logsum_say")
    assert str(demo.count) in at_sum and f"{demo.log_sum:.2f}".replace("-", "−") in [t.replace("-", "−") for t in at_sum]


# Scene 8: a negative NLL is explained ---------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(("data", "negative"), [(None, False), ("metres_25.toml", True)])
def test_scene_8_explains_a_negative_nll(data, negative, lang, tmp_path, monkeypatch, manim_config) -> None:
    scene = _run("negative-log-likelihood", lang, data, tmp_path, monkeypatch)
    keys = _keys(scene)
    assert (scene.nll_hat < 0) == negative
    assert ("negative_say" in keys and "negative_why_say" in keys) == negative
    assert keys[-1] == "estimate_say"
    # mu_hat's value is on screen from the first beat on, with its unit
    assert any(text.startswith("μ̂ = ") and scene.mu_text in text and scene.unit in text
               for text in _texts_at_end_of(scene, "peak_say"))
    if negative:
        assert scene.nll_hat == pytest.approx(-29.825, abs=5e-3)  # the review's figure
        on_screen = _texts_at_end_of(scene, "negative_why_say")
        assert scene.word("density_note") in on_screen and scene.word("sign_note") in on_screen


# Scene 9: the values at p_hat, the Korean particle, NLL kept on one caption line -------
@pytest.mark.slow
@pytest.mark.parametrize(("data", "nck"), [(None, "₁₀C₇은 120"), ("metres_25.toml", "₅₀C₃₁은"), (TWO_OF_TEN, "₁₀C₂는 45")])
def test_scene_9_korean_particle_and_values(data, nck, tmp_path, monkeypatch, manim_config) -> None:
    scene = _run("phone-os", "ko", data, tmp_path, monkeypatch)
    lines = _captions(scene)
    assert any(nck in line for line in lines), lines
    # the three values at p_hat are on screen at the end
    shown = scene.shown_numbers
    binary = scene.results["binary"]
    assert shown["binary_nll_at_p_hat"] == pytest.approx(binary["nll_at_p_hat"], abs=5e-3 * max(1, binary["nll_at_p_hat"]))
    if data is None:
        assert "6.1086" in _texts_at_end_of(scene, "conclusion_say")  # LOSS_DECIMALS, as LECTURE.md writes it
    # "음의 로그 가능도 (NLL)" stays on one subtitle line
    beats = captions.clamp_cues([(s.start.total_seconds(), s.end.total_seconds(), s.content)
                                 for s in scene.renderer.file_writer.subcaptions], float(scene.time))
    cues = captions.split_beats(beats, captions.rules_for("ko"))
    assert any(line.startswith("음의\u00a0로그\u00a0가능도\u00a0(NLL)") for cue in cues for line in cue.text.split("\n"))


def test_korean_particle_follows_the_spoken_number() -> None:
    # 일 삼 육 칠 팔, 십 백 천 만 억 end in a consonant (은); 이 사 오 구 and 조 do not (는)
    assert [ko_particle(k, "은", "는") for k in (1, 3, 6, 7, 8, 10, 100, 1000, 10**4, 10**8)] == ["은"] * 10
    assert [ko_particle(k, "은", "는") for k in (2, 4, 5, 9, 12, 10**12, 3 * 10**12)] == ["는"] * 7
    assert ko_particle(0, "이", "가") == "이" and ko_particle(25, "이", "가") == "가"
    assert subscript_digits(10) + "C" + subscript_digits(7) == "₁₀C₇"


# Scene 10: converged only by the stated criterion; gradient ≈ 0 only when it is -----------
@pytest.mark.slow
@pytest.mark.parametrize(("data", "lang", "outcome"), [
    (None, "ko", "converged_shrunk"),
    (None, "en", "converged_shrunk"),
    ("metres_25.toml", "ko", "converged_shrunk"),
    ("metres_25.toml", "en", "converged_shrunk"),
    (VANISHED, "ko", "converged"),
    (EDGE, "en", "converged_edge"),
    (SHORT, "ko", "not_converged"),
    (TOO_FAST, "en", "diverged"),
    ("tiny_lopsided.toml", "ko", "converged_shrunk"),  # -0.239: under 0.1% of 281, still not "≈ 0"
])
def test_scene_10_claims_convergence_by_its_criterion(data, lang, outcome, tmp_path, monkeypatch, manim_config) -> None:
    scene = _run("gradient-descent", lang, data, tmp_path, monkeypatch)
    keys = _keys(scene)
    descent = scene.results["descent"]
    assert keys[-2:] == [f"{outcome}_say", f"{outcome}_next_say"], keys
    tol = descent["tolerance"]
    assert descent["converged"] == outcome.startswith("converged")
    # the criterion is on screen before the descent, and its outcome at the end
    criterion = scene.word("criterion_label", tol=f"{tol:.4g}".rstrip("0"))
    assert criterion in _texts_at_end_of(scene, "criterion_say")
    final = _texts_at_end_of(scene, keys[-1])
    label = scene.word(f"{outcome}_label", tol=f"{tol:.4g}".rstrip("0"))
    assert label in final
    # "≈ 0" is claimed only when the gradient fell below 0.1% of the start's and below 0.005
    said = " ".join(_captions(scene)[-3:])
    claims_zero = "≈ 0" in label or "거의 0" in said or "almost zero" in said
    assert claims_zero == (outcome == "converged")
    last, first = abs(descent["gradient_path"][-1]), abs(descent["gradient_path"][0])
    assert claims_zero == (last <= 1e-3 * first and last < 0.005)
    # the review's 31/19: the descent uses its steps (converges at the last one)
    if data == "metres_25.toml":
        assert descent["converged_at"] == descent["steps"] and "≈ 0" not in label


def test_scene_10_outcome_for_every_case() -> None:
    """outcome_key's branches, including the steep one that real runs hardly reach."""
    from scenes.s10_descent import GradientDescent

    def outcome(diverged=False, converged=True, vanished=False, edge=False, gradients=(-30.0, -0.2)):
        stub = SimpleNamespace(results={"descent": {"diverged": diverged, "converged": converged,
                                                    "gradient_vanished": vanished}},
                               edge=edge, gradients=list(gradients))
        return GradientDescent.outcome_key(stub)

    assert outcome(diverged=True, converged=False) == "diverged"
    assert outcome(converged=False) == "not_converged"
    assert outcome(edge=True, gradients=(-20.0, -10.0)) == "converged_edge"
    assert outcome(vanished=True, gradients=(-30.0, -1e-7)) == "converged"
    assert outcome(gradients=(-31.25, -0.187)) == "converged_shrunk"
    assert outcome(gradients=(-3.0, 5.0)) == "converged_steep"


def test_metres_data_is_the_reviewers() -> None:
    data = load_data(DATA_DIR / "metres_25.toml")
    assert data.binary.counts == (31, 19) and len(data.heights.samples) == 25 and data.heights.unit == "m"


# Scene 10, issue 17 §3: the steps as they were ------------------------------------------
DIVERGING = ('[binary]\nlabels = ["합격", "불합격"]\ncounts = [55, 45]\n'
             '[descent]\nstart = 0.9\nlearning_rate = 0.05\nsteps = 12\n')       # p jumps 0.13 <-> 0.94
EDGE_START = "[descent]\nstart = 1e-300\nlearning_rate = 0.005\nsteps = 19\n"    # no step can be taken
NEAR_ONE = "[descent]\nstart = 0.9999999999999999\n"                              # shown as 0.9999999999999999
LONG_RUN = "[descent]\nstart = 0.2\nlearning_rate = 0.0005\nsteps = 200\n"      # first steps, then skipped
BOTH = "[descent]\nstart = 1e-300\nlearning_rate = 1.0\nsteps = 10\n"           # neither change alone helps


@pytest.mark.slow
@pytest.mark.parametrize("data, lang, descent_key, outcome", [
    (DIVERGING, "ko", "descent_jump_say", "diverged"),
    (DIVERGING, "en", "descent_jump_say", "diverged"),
    (None, "ko", "descent_say", "converged_shrunk"),
    (EDGE_START, "en", "descent_blocked_say", "diverged_start"),
    (BOTH, "ko", "descent_blocked_say", "diverged_both"),
    (LONG_RUN, "en", "descent_say", "not_converged"),
])
def test_scene_10_shows_only_visited_iterates(data, lang, descent_key, outcome, tmp_path, monkeypatch,
                                              manim_config) -> None:
    """Every landing's readouts are mathcore's iterate (p_k, NLL(p_k), gradient at p_k), the
    descent beat says what the steps did, and the ending names the cause."""
    scene = _run("gradient-descent", lang, data, tmp_path, monkeypatch)
    descent = scene.results["descent"]
    keys = _keys(scene)
    assert descent_key in keys and keys[-2:] == [f"{outcome}_say", f"{outcome}_next_say"], keys
    assert scene.landings, "no step landed"
    for stop, counter, p, nll_value, gradient in scene.landings:
        assert counter == stop
        assert p == descent["path"][stop]
        assert nll_value == descent["nll_path"][stop] and gradient == descent["gradient_path"][stop]
    total = descent["steps"]
    assert [s for s, *_ in scene.landings][-1] == total
    if total > 20:  # a long run: its first steps one by one, then it says what it skips
        assert [s for s, *_ in scene.landings][:10] == list(range(1, 11))
        assert "descent_skip_say" in keys
        skip = scene.word("skip_label", first=11, last=total, moves=len(scene.landings) - 10)
        assert skip in _texts_at_end_of(scene, "descent_skip_say")
    else:
        assert [s for s, *_ in scene.landings] == list(range(1, total + 1)) and "descent_skip_say" not in keys
    said = " ".join(_captions(scene))
    shrink_claims = ("걸음도 작아집니다", "smaller gradient makes a smaller step", "jumps get smaller", "폭은 점점 줄어듭니다")
    assert any(c in said for c in shrink_claims) == descent["steps_shrink"]
    if data == DIVERGING:
        assert descent["rises"] == 6 and descent["cause"] == "rate"
        assert max(descent["path"]) > 0.94 and min(descent["path"]) < 0.13
        assert ("12단계 중 6단계" if lang == "ko" else "rose on 6 of 12 steps") in said
    if outcome == "diverged_start":
        assert "learning rate too large" not in " ".join(_texts_at_end_of(scene, keys[-1]))


def test_divergence_cause_and_start_digits() -> None:
    from mathcore.descent import descent_path, divergence_cause, start_digits

    assert divergence_cause(55, 100, 0.9, 0.05, 12) == "rate"
    assert divergence_cause(7, 10, 1e-300, 0.005, 19) == "start"
    assert divergence_cause(7, 10, 1e-300, 1.0, 10) == "both"
    assert divergence_cause(7, 10, 0.2, 0.005, 19) is None
    path = descent_path(55, 100, 0.9, 0.05, 12)
    assert path.oscillating and not path.steps_shrink and path.rises == 6
    assert descent_path(7, 10, 0.2, 0.005, 19).steps_shrink
    assert start_digits(0.9999999999999999) == 16 and start_digits(0.2) == 4


@pytest.mark.slow
def test_scene_10_start_next_to_one_is_not_shown_as_one(tmp_path, monkeypatch, manim_config) -> None:
    scene = _run("gradient-descent", "en", NEAR_ONE, tmp_path, monkeypatch)
    texts = " ".join(_texts_at_end_of(scene, "rule_say"))
    assert "0.9999999999999999" in texts and "p = 0.9999999999999999" in _captions(scene)[3]


# Scene 12: the closing summary follows what scene 10 showed ------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("data, lang, key", [
    (None, "ko", "gradient_say"),
    (DIVERGING, "en", "gradient_diverged_rate_say"),
    (DIVERGING, "ko", "gradient_diverged_rate_say"),
    (EDGE_START, "ko", "gradient_diverged_start_say"),
    (BOTH, "en", "gradient_diverged_both_say"),
    (SHORT, "en", "gradient_short_say"),
])
def test_scene_12_summary_follows_the_descent(data, lang, key, tmp_path, monkeypatch, manim_config) -> None:
    scene = _run("closing", lang, data, tmp_path, monkeypatch)
    keys = _keys(scene)
    assert key in keys and ("gradient_say" in keys) == (key == "gradient_say"), keys
    said = " ".join(_captions(scene))
    reached = ("최적의 파라미터에 도달합니다" in said) or ("leads to the best parameters." in said)
    assert reached == scene.results["descent"]["converged"]


# Scene 5: equal candidates are narrated as equal, no "best" among ties -------------------
ALL_EQUAL = '[heights]\nunit = "m"\nsamples = [0.7, 0.8, 0.75, 0.72]\ncandidates = [0.75, 0.75, 0.75]\n'
TWO_TIED = '[heights]\nunit = "kg"\nsamples = [1.0, 2.0, 3.0]\ncandidates = [1.0, 3.0, 0.0]\n'  # mean 2: θ₁ = θ₂ > θ₃


@pytest.mark.slow
@pytest.mark.parametrize("data, lang, moves, compare", [
    (ALL_EQUAL, "ko", ["move_same_say", "move_same_say"], "compare_all_equal_say"),
    (ALL_EQUAL, "en", ["move_same_say", "move_same_say"], "compare_all_equal_say"),
    (TWO_TIED, "en", ["move_equal_say", "move_down_first_say"], "compare_tie_say"),
    (TWO_TIED, "ko", ["move_equal_say", "move_down_first_say"], "compare_tie_say"),
    (None, "en", ["move_up_say", "move_down_say"], "compare_say"),
])
def test_scene_5_ties_are_equal(data, lang, moves, compare, tmp_path, monkeypatch, manim_config) -> None:
    scene = _run("height-samples", lang, data, tmp_path, monkeypatch)
    keys = _keys(scene)
    assert [k for k in keys if k.startswith("move_")] == moves and compare in keys, keys
    said = " ".join(_captions(scene))
    assert ("best" in said or "가장 잘 설명하는" in said) == (compare == "compare_say")
    assert ("again" in said or "다시" in said) == ("move_down_say" in moves)


# Scene 2: P of the interval always matches the shaded width --------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("data, lang", [(None, "ko"), ("metres_25.toml", "en")])
def test_scene_2_probability_matches_the_shading(data, lang, tmp_path, monkeypatch, manim_config) -> None:
    scene = _run("likelihood-continuous", lang, data, tmp_path, monkeypatch)
    sigma = scene.data.heights.mle_sigma
    widths = [w for w, _, _ in scene.interval_checks]
    # before it fades in, once in, and opened: narrow, narrow, 0.3 sigma
    assert widths == pytest.approx([0.02 * sigma, 0.02 * sigma, 0.3 * sigma])
    for _, shown, shaded in scene.interval_checks:
        assert shown == pytest.approx(shaded, rel=1e-6, abs=1e-12)


# Scene 9: counts 1/0 put p_hat on the edge; the values at p_hat stay off the curves --------
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_scene_9_values_at_an_edge_estimate_are_clear_of_the_curves(lang, tmp_path, monkeypatch, manim_config) -> None:
    """The gate's curve rule (run by _run) found the NLL's "0.0000" on its curve for 1/0."""
    scene = _run("phone-os", lang, '[binary]\nlabels = ["heads", "tails"]\ncounts = [1, 0]\n', tmp_path, monkeypatch)
    assert scene.results["binary"]["p_hat"] == 1.0


# Scene 9: a person icon only where the data count people -----------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(("data", "people"), [
    (None, True),  # the deck's passers-by (명)
    ("[binary]\nlabels = [\"heads\", \"tails\"]\ncounts = [1, 0]\n", False),  # unnamed observations (번)
    ("[binary]\nlabels = [\"H\", \"T\"]\ncounts = [3, 4]\nmeasure = \"toss\"\nsubjects = \"tosses\"\ncounter = \"번\"\n", False),
    ("[binary]\nlabels = [\"합격\", \"불합격\"]\ncounts = [5, 3]\nsubjects = { ko = \"응시자\", en = \"candidates\" }\ncounter = \"명\"\n", True),
])
def test_scene_9_draws_people_only_for_data_that_count_people(data, people, tmp_path, monkeypatch, manim_config) -> None:
    from manim import RoundedRectangle

    scene = _run("phone-os", "en", data, tmp_path, monkeypatch)
    tokens = scene.get_people()
    assert len(tokens) == scene.n
    has_body = any(isinstance(part, RoundedRectangle) for token in tokens for part in token)
    assert has_body == people
