"""Korean wording rules that can be stated (issue 18): the particle after a symbol or a
number follows how it is read (θ̂ 세타햇 -> θ̂을, θ 세타 -> θ를, 7 칠 -> 7을), in every
Korean string; the count on scene 3's axis reads as Korean for every story."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mathcore import load_data
from mathcore.korean import PARTICLES, josa
from scenes import story
from scenes.strings_ko import STRINGS

DATA = Path(__file__).parent / "data"
# a hatted letter, a Greek letter (with a subscript), or a number written out, then a
# particle of the pairs (은/는, 이/가, 을/를, 과/와, 으로/로) that ends the word
SYMBOL = r"(?:[A-Za-zα-ωΑ-Ω]\u0302|[α-ωΑ-Ω][₀-₉]*|(?<![\w.])-?\d+(?:\.\d+)?)"
PAIRS = "으로|은|는|이|가|을|를|과|와|로"
FOLLOWED = re.compile(rf"({SYMBOL})({PAIRS})(?![\uac00-\ud7a3])")


def _particles(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FOLLOWED.finditer(text)]


def test_the_particle_after_a_symbol_follows_its_reading() -> None:
    assert [josa(w, "을") for w in ("θ̂", "p̂", "μ̂", "σ̂")] == ["을"] * 4  # 세타햇, 피햇, 뮤햇, 시그마햇
    assert [josa(w, "을") for w in ("θ", "μ", "σ", "p")] == ["를"] * 4  # 세타, 뮤, 시그마, 피
    assert josa("θ₃", "으로") == "으로" and josa("θ₂", "으로") == "로" and josa("γ", "은") == "은"


def test_the_checker_sees_a_wrong_particle() -> None:
    assert _particles("같은 θ̂를 얻습니다. p̂과 같고, θ를 고정하고, -1을 곱해 1보다") == [
        ("θ̂", "를"), ("p̂", "과"), ("θ", "를"), ("-1", "을")]
    assert [(w, p) for w, p in _particles("같은 θ̂를 얻습니다.") if josa(w, p) != p] == [("θ̂", "를")]


def test_every_korean_string_puts_the_right_particle_after_symbols_and_numbers() -> None:
    wrong = []
    seen = 0
    for scene, table in STRINGS.items():
        for key, text in table.items():
            for word, particle in _particles(text):
                seen += 1
                assert particle in PARTICLES
                if josa(word, particle) != particle:
                    wrong.append(f"{scene}/{key}: {word}{particle} (should be {word}{josa(word, particle)})")
    assert seen > 20  # the rule looked at something
    assert wrong == []


@pytest.mark.parametrize(("data", "axis"), [
    (None, "k = Android 사용자 수"),
    ("story_exam.toml", "k = 합격인 응시자 수"),  # was "k = 합격의 수"
    ("story_coin.toml", "k = 앞면인 동전 던지기 수"),
    ("story_none.toml", "k = Yes인 관측 수"),
])
def test_scene_3s_axis_counts_the_subjects(data, axis) -> None:
    loaded = load_data(str(DATA / data) if data else None)
    text = story.fill(STRINGS["likelihood-discrete"], "likelihood-discrete", "x_axis", loaded, "ko",
                      {"label": loaded.binary.labels[0]})
    assert text == axis


def test_no_mixed_language_or_verbless_line_the_review_named() -> None:
    everything = "\n".join(text for table in STRINGS.values() for text in table.values())
    for phrase in ("0.0이나 inf로", "θ̂를", "{label}의 수", "다른 것입니다"):
        assert phrase not in everything, phrase


def test_the_english_scene_5_title_is_not_a_literal_translation() -> None:
    from scenes.strings_en import STRINGS as EN

    table = EN["height-samples"]
    assert table["title"] == "Finding the distribution behind the samples"
    assert not any("from these events" in text.lower() or "from the events" in text.lower() for text in table.values())
