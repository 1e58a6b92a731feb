"""The data file's [nlp] section: defaults per language, keys that apply to both languages,
the numbers compute reports, the snapshot round trip and the template.

Bad [nlp] files (wrong types, 1 or 9 tokens, duplicates, count mismatches, non-finite logits,
correct not among the tokens, unknown keys, text rules) are cases of tests/test_cli_compute.py,
refused in-process and by the real console script.
"""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy import special

from mathcore import (
    EXAMPLES,
    NlpSection,
    default_data_text,
    lecture_results,
    load_data,
    load_data_text,
    snapshot_text,
)
from mathcore.datafile import MAX_TOKEN_COLUMNS, text_columns
from test_cli_compute import run_cli

EIGHT_LONG = ["extraordinar", "photographic", "thunderstorm", "neighbouring", "mathematical",
              "independence", "constitution", "refrigerator"]  # 12 columns each, the most allowed
KOREAN_LONG = ["가나다라마바", "사아자차카타"]  # 6 Hangul: 12 columns


def _load(tmp_path: Path, text: str):
    path = tmp_path / "data.toml"
    path.write_text(text, encoding="utf-8")
    return load_data(path)


def test_without_nlp_each_language_keeps_its_own_example():
    data = load_data(None)
    assert data.nlp == NlpSection()
    ko, en = data.nlp.example("ko"), data.nlp.example("en")
    assert (ko.context, ko.correct) == ("고양이가 매트 위에", "앉았다")
    assert (en.context, en.correct, en.tokens) == ("The cat sat on the", "mat", ("mat", "sofa", "floor", "moon"))
    # Korean is verb-final: the blank (the next token) ends the sentence, as in English.
    assert all(token.endswith("다") for token in ko.tokens)
    assert lecture_results(data, "ko")["nlp"]["tokens"] == list(ko.tokens)
    assert lecture_results(data, "en")["nlp"]["tokens"] == list(en.tokens)


def test_a_key_given_applies_to_both_languages_the_rest_keeps_each_example(tmp_path):
    data = _load(tmp_path, '[nlp]\ncontext = "Mon chat dort sur le"\nlogits = [3.0, 0.0, 0.0, -1.0]\n')
    ko, en = data.nlp.example("ko"), data.nlp.example("en")
    assert ko.context == en.context == "Mon chat dort sur le"
    assert ko.logits == en.logits == (3.0, 0.0, 0.0, -1.0)
    assert (ko.tokens, en.tokens) == (EXAMPLES["ko"].tokens, EXAMPLES["en"].tokens)


@pytest.mark.parametrize("text", [
    "",
    "[nlp]\n",
    '[nlp]\ncontext = "x"\n',
    "[nlp]\nlogits = [-30, 30, 0, 0.5]\n",
    '[nlp]\ntokens = ["a", "b"]\nlogits = [0.5, 2.0]\ncorrect = "b"\n',
])
def test_the_numbers_are_the_same_in_both_languages(tmp_path, text):
    """Only words differ by language: probabilities, loss and the descent never do."""
    data = _load(tmp_path, text)
    ko, en = (lecture_results(data, lang)["nlp"] for lang in ("ko", "en"))
    for key in ("probabilities", "loss", "correct_index", "correct_is_most_likely", "descent", "logits"):
        assert ko[key] == en[key], key


def test_compute_reports_softmax_and_loss_against_scipy(tmp_path):
    tokens = ["김치찌개", "비빔밥", "라면"]
    data = _load(tmp_path, '[nlp]\ncontext = "오늘 점심으로 먹은 것은"\ntokens = ["김치찌개", "비빔밥", "라면"]\n'
                           'logits = [0.5, 1.5, -1.0]\ncorrect = "비빔밥"\n')
    nlp = lecture_results(data, "en")["nlp"]  # the file's words in both languages
    assert (nlp["tokens"], nlp["correct"], nlp["correct_index"]) == (tokens, "비빔밥", 1)
    np.testing.assert_allclose(nlp["probabilities"], special.softmax([0.5, 1.5, -1.0]), rtol=1e-12)
    assert nlp["loss"] == pytest.approx(-special.log_softmax([0.5, 1.5, -1.0])[1], rel=1e-12)
    assert nlp["correct_is_most_likely"] is True
    descent = nlp["descent"]
    assert len(descent["losses"]) == descent["steps"] + 1 == len(descent["probabilities"])
    assert all(b < a for a, b in zip(descent["losses"], descent["losses"][1:]))  # every step lowers the loss
    assert descent["final_loss"] == pytest.approx(-math.log(descent["final_probabilities"][1]), rel=1e-12)


def test_extreme_logits_give_finite_numbers(tmp_path):
    data = _load(tmp_path, '[nlp]\ntokens = ["a", "b", "c", "d", "e", "f", "g", "h"]\n'
                           'logits = [-30, 30, 30, 30, 30, 30, 30, 30]\ncorrect = "a"\n')
    nlp = lecture_results(data)["nlp"]
    assert nlp["loss"] == pytest.approx(60 + math.log(7), rel=1e-12)
    assert 0 < nlp["probabilities"][0] < 1e-26 and all(map(math.isfinite, nlp["descent"]["losses"]))
    json.dumps(nlp, allow_nan=False)


def test_tokens_are_counted_in_columns_and_compared_as_they_look(tmp_path):
    assert [text_columns(t) for t in EIGHT_LONG] == [MAX_TOKEN_COLUMNS] * 8
    assert [text_columns(t) for t in KOREAN_LONG] == [MAX_TOKEN_COLUMNS] * 2
    data = _load(tmp_path, "[nlp]\ntokens = [" + ", ".join(f'"{t}"' for t in EIGHT_LONG) + "]\n"
                           "logits = [0, 1, 2, 3, 4, 5, 6, 7]\ncorrect = \"refrigerator\"\n")
    assert data.nlp.tokens == tuple(EIGHT_LONG)
    # correct written decomposed (e + U+0301) names the token written composed
    data = _load(tmp_path, '[nlp]\ntokens = ["caf\u00e9", "tea"]\nlogits = [1, 2]\ncorrect = "cafe\u0301"\n')
    assert data.nlp.correct == "caf\u00e9" and data.nlp.example("ko").target == 0


def test_snapshot_keeps_what_the_file_set_and_nothing_more(tmp_path):
    for text in ("", '[nlp]\ncontext = "x \\" y"\n', '[nlp]\ntokens = ["a", "b"]\nlogits = [0.1, 2e-3]\ncorrect = "b"\n'):
        data = _load(tmp_path, text)
        snap = snapshot_text(data)
        again = load_data_text(snap, "snapshot.toml")
        assert again.nlp == data.nlp and again.section_digest("nlp") == data.section_digest("nlp")
        assert ("[nlp]" in snap) == (data.nlp != NlpSection())


def test_the_section_digest_changes_with_the_example(tmp_path):
    base = load_data(None).section_digest("nlp")
    assert _load(tmp_path, "[nlp]\nlogits = [1.2, 2.0, 0.4, -0.5]\n").section_digest("nlp") != base
    assert _load(tmp_path, "[heights]\nunit = \"m\"\n").section_digest("nlp") == base


def test_the_template_documents_each_example_and_its_commented_keys_load(tmp_path):
    """The template's [nlp] keys are comments; uncommented they give the English example."""
    text = default_data_text()
    assert "[nlp]" in text and "고양이가 매트 위에" in text
    body = text.split("[nlp]", 1)[1]
    for key in ("context", "tokens", "logits", "correct"):
        assert f"\n# {key} = " in body, key
    uncommented = "\n".join(line[2:] if line.startswith("# ") and " = " in line else line for line in body.splitlines())
    section = tomllib.loads(uncommented)
    assert set(section) == {"context", "tokens", "logits", "correct"}
    data = _load(tmp_path, "[nlp]\n" + uncommented)
    assert data.nlp.example("ko") == data.nlp.example("en") == EXAMPLES["en"]


def test_compute_cli_reports_nlp_in_json_and_text(tmp_path):
    ko = run_cli("compute", "--json")
    en = run_cli("compute", "--json", "--lang", "en")
    assert ko.returncode == en.returncode == 0, ko.stderr + en.stderr
    nlp_ko, nlp_en = json.loads(ko.stdout)["nlp"], json.loads(en.stdout)["nlp"]
    assert {"tokens", "probabilities", "correct", "loss"} <= set(nlp_ko)
    assert (nlp_ko["tokens"], nlp_ko["correct"]) == (["앉았다", "누웠다", "섰다", "날았다"], "앉았다")
    assert (nlp_en["tokens"], nlp_en["correct"]) == (["mat", "sofa", "floor", "moon"], "mat")
    assert nlp_ko["probabilities"] == nlp_en["probabilities"] and round(nlp_en["loss"], 4) == 1.3455
    text = run_cli("compute", "--lang", "en")
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    start = lines.index("nlp: The cat sat on the ___")
    assert lines[start + 1].split()[:2] == ["mat", "logit"] and lines[start + 1].endswith("<- correct")
    assert "p 0.260405" in lines[start + 1] and "loss -log p(mat)  1.34552" in text.stdout
