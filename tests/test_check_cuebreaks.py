"""The gate's cue-break rule (lecture/check/cuebreaks.py): a published caption file whose
cue ends between a number and its unit, or inside a formula, is a finding naming the cue
and the rule; the splitter's own cues of the same lines are clean."""

from __future__ import annotations

import pytest

import test_check
from test_check import lines, make_out

from lecture import captions
from lecture.check.cuebreaks import cue_break_problems

UNIT_BEAT = "모델은 정규분포입니다. 표준편차 σ는 2.62 cm에 고정하고 평균 μ만 바꿔 봅니다."
FORMULA_BEAT = "기울기가 0이 되는 곳은 p = 7/10 = 0.7. 앞에서 구한 추정값 p̂과 같습니다."


def _gate(tmp_path, monkeypatch, beat: str, cues: list[captions.Cue] | None) -> list[str]:
    monkeypatch.setattr(test_check, "BEAT_KO", beat)  # make_out's narration line
    out = make_out(tmp_path, cues=cues)
    return lines(out, stillness=False, video=False)


@pytest.mark.parametrize("beat", [UNIT_BEAT, FORMULA_BEAT])
def test_the_splitters_cues_pass_the_gate(tmp_path, monkeypatch, beat) -> None:
    assert _gate(tmp_path, monkeypatch, beat, None) == []


def test_a_cue_ending_between_a_number_and_its_unit_is_a_finding(tmp_path, monkeypatch) -> None:
    """The cues main's splitter made of scene 5's line ("… σ는 2.62" | "cm에 …")."""
    bad = [captions.Cue(0, 5000, "모델은 정규분포입니다.\n표준편차 σ는 2.62"),
           captions.Cue(5000, 10_000, "cm에 고정하고 평균\nμ만 바꿔 봅니다.")]
    found = _gate(tmp_path, monkeypatch, UNIT_BEAT, bad)
    expected = ('scene 01 title 0.0 s: caption "모델은 정규분포입니다. / 표준편차 σ는 2.62" ends '
                'between a number and its unit or counter: "2.62" | "cm에"')
    assert expected in found, found


def test_a_cue_ending_inside_a_formula_is_a_finding(tmp_path, monkeypatch) -> None:
    """The cues main's splitter made of scene 10's line ("p = 7/10 =" | "0.7. …")."""
    bad = [captions.Cue(0, 5000, "기울기가 0이 되는\n곳은 p = 7/10 ="),
           captions.Cue(5000, 10_000, "0.7. 앞에서 구한\n추정값 p̂과 같습니다.")]
    found = _gate(tmp_path, monkeypatch, FORMULA_BEAT, bad)
    assert ('scene 01 title 0.0 s: caption "기울기가 0이 되는 / 곳은 p = 7/10 =" ends inside a formula '
            '(after an operator): "=" | "0.7."') in found, found


def test_each_rule_is_named() -> None:
    def problems(beat: str, *texts: str, units=()) -> list[str]:
        cues, at = [], 0
        for text in texts:
            cues.append(captions.Cue(at, at + 2000, text))
            at += 2000
        return [message for _, message in cue_break_problems(cues, [captions.Cue(0, at, beat)], 16, units)]

    assert problems("최저점은 모두 p̂ = 0.7에 있습니다.", "최저점은 모두 p̂", "= 0.7에 있습니다.") == [
        'caption "최저점은 모두 p̂" ends inside a formula (before an operator): "p̂" | "="']
    assert problems("그것이 θ̂ = arg max L(θ)입니다.", "그것이 θ̂ = arg", "max L(θ)입니다.") == [
        'caption "그것이 θ̂ = arg" ends between a function name and its argument: "arg" | "max"']
    assert problems("높이 f(x; θ)입니다.", "높이 f(x;", "θ)입니다.") == [
        'caption "높이 f(x;" ends inside a formula (inside parentheses): "f(x;" | "θ)입니다."']
    assert problems("응시자 55 명이 합격했습니다.", "응시자 55", "명이 합격했습니다.") == [
        'caption "응시자 55" ends between a number and its unit or counter: "55" | "명이"']
    # the data's own unit (not one of the splitter's own)
    assert problems("길이는 3 furlongs 입니다.", "길이는 3", "furlongs 입니다.") != []
    assert problems("무게는 3 근입니다.", "무게는 3", "근입니다.") == []
    assert problems("무게는 3 근입니다.", "무게는 3", "근입니다.", units=["근"]) == [
        'caption "무게는 3" ends between a number and its unit or counter: "3" | "근입니다."']
    # a line break inside a glued run that fits one line
    assert problems("표준편차 σ는 2.62 cm에 고정", "표준편차 σ는 2.62\ncm에 고정") == [
        'caption "표준편차 σ는 2.62 / cm에 고정" breaks a line between a number and its unit or counter: '
        '"2.62 / cm에"']
    # free breaks: no finding
    assert problems("p = 0.7. 앞에서 구한 값", "p = 0.7.", "앞에서 구한 값") == []


@pytest.mark.parametrize(("data", "units"), [(None, ["cm", "명"]), ("story_exam.toml", ["kg", "명"]),
                                             ("story_coin.toml", ["ms", "번"]), ("story_none.toml", ["kg", "번"])])
def test_the_worker_records_the_datas_unit_and_counter(data, units) -> None:
    """What the worker's splitter and the gate take as the data's own units."""
    from pathlib import Path

    from mathcore import load_data

    from lecture.check.story import story_record

    path = str(Path(__file__).parent / "data" / data) if data else None
    assert story_record(load_data(path), "ko")["units"] == units
