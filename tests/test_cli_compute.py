"""`nll-lecture template` and `nll-lecture compute`, run as the real console script.

Bad data files are generated into tmp_path; each must be refused with exit status 2 and exactly
one line on stderr, `error: <file>: <key path>: <message>`, naming the bad value.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats

from mathcore import DataError, default_data_text, load_data

DATA_DIR = Path(__file__).parent / "data"
SCRIPT = Path(sys.executable).with_name("nll-lecture")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    if SCRIPT.exists():
        command = [str(SCRIPT), *args]
    else:  # pragma: no cover - an install without the console script
        command = [sys.executable, "-c", "import sys; from lecture.cli import main; sys.exit(main())", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def _strict_json(text: str):
    def refuse(name):
        raise ValueError(f"non-finite number {name} in JSON")
    return json.loads(text, parse_constant=refuse)


# --- bad data files ---------------------------------------------------------------------------
# (id, data file text, extra files {name: text}, key path or None, substrings of the message)

LONG_LABEL = "L" * 41
MANY = "[heights]\nsamples = [" + ", ".join(f"{150 + (i % 50) * 0.5}" for i in range(100_001)) + "]\n"

BAD_CASES = [
    ("unknown-section", "[heights]\nunit = \"cm\"\n[colours]\nred = 1\n", {}, "colours", ["unknown section"]),
    ("unknown-key", "[heights]\nsample = [1.0, 2.0]\n", {}, "heights.sample", ["unknown key"]),
    ("section-not-table", "heights = 3\n", {}, "heights", ["expected a table", "3"]),
    ("samples-not-array", "[heights]\nsamples = 170.0\n", {}, "heights.samples", ["expected an array", "170.0"]),
    ("samples-string", '[heights]\nsamples = [160.0, 165.0, 170.0, "175"]\n', {}, "heights.samples[3]", ['"175"']),
    ("samples-nan", "[heights]\nsamples = [160.0, 165.0, 170.0, nan]\n", {}, "heights.samples[3]", ["nan"]),
    ("samples-inf", "[heights]\nsamples = [160.0, inf, 170.0]\n", {}, "heights.samples[1]", ["inf"]),
    ("samples-minus-inf", "[heights]\nsamples = [-inf, 160.0, 170.0]\n", {}, "heights.samples[0]", ["-inf"]),
    ("samples-bool", "[heights]\nsamples = [160.0, true]\n", {}, "heights.samples[1]", ["true"]),
    ("one-sample", "[heights]\nsamples = [170.0]\n", {}, "heights.samples", ["got 1"]),
    ("no-samples", "[heights]\nsamples = []\n", {}, "heights.samples", ["got 0"]),
    ("all-equal", "[heights]\nsamples = [170.5, 170.5, 170.5]\n", {}, "heights.samples", ["not all equal", "170.5"]),
    ("100001-samples", MANY, {}, "heights.samples", ["100001"]),
    ("samples-overflow", "[heights]\nsamples = [1e308, 1.5e308, 0.0]\n", {}, "heights.samples", ["inf"]),
    ("samples-underflow", "[heights]\nsamples = [0.0, 5e-324]\n", {}, "heights.samples", ["5e-324"]),
    ("sigma-zero", "[heights]\nsigma = 0\n", {}, "heights.sigma", ["> 0", "got 0"]),
    ("sigma-negative", "[heights]\nsigma = -2.5\n", {}, "heights.sigma", ["-2.5"]),
    ("sigma-string", '[heights]\nsigma = "2.6"\n', {}, "heights.sigma", ['"2.6"']),
    ("sigma-too-small", "[heights]\nsigma = 1e-300\n", {}, "heights.sigma", ["1e-300"]),
    ("candidates-two", "[heights]\ncandidates = [160.0, 170.0]\n", {}, "heights.candidates", ["three", "[160.0, 170.0]"]),
    ("candidates-four", "[heights]\ncandidates = [160, 165, 170, 175]\n", {}, "heights.candidates", ["[160, 165, 170, 175]"]),
    ("candidates-string", '[heights]\ncandidates = [160.0, "mid", 175.0]\n', {}, "heights.candidates[1]", ['"mid"']),
    ("candidates-far", "[heights]\ncandidates = [160.0, 168.0, 1e300]\n", {}, "heights.candidates[2]", ["1e+300"]),
    ("unit-empty", '[heights]\nunit = ""\n', {}, "heights.unit", ['""']),
    ("counts-negative", "[binary]\ncounts = [7, -3]\n", {}, "binary.counts[1]", ["-3"]),
    ("counts-float", "[binary]\ncounts = [7.0, 3]\n", {}, "binary.counts[0]", ["7.0"]),
    ("counts-three", "[binary]\ncounts = [7, 3, 1]\n", {}, "binary.counts", ["[7, 3, 1]"]),
    ("counts-zero-sum", "[binary]\ncounts = [0, 0]\n", {}, "binary.counts", ["at least 1", "[0, 0]"]),
    ("counts-too-large", "[binary]\ncounts = [7, 1000000000000001]\n", {}, "binary.counts[1]", ["10^15", "1000000000000001"]),
    ("counts-string", '[binary]\ncounts = ["7", 3]\n', {}, "binary.counts[0]", ['"7"']),
    ("labels-empty-list", "[binary]\nlabels = []\n", {}, "binary.labels", ["[]"]),
    ("label-empty", '[binary]\nlabels = ["", "iOS"]\n', {}, "binary.labels[0]", ['""']),
    ("label-blank", '[binary]\nlabels = ["Android", "   "]\n', {}, "binary.labels[1]", ['"   "']),
    ("label-41-chars", f'[binary]\nlabels = ["Android", "{LONG_LABEL}"]\n', {}, "binary.labels[1]", ["40", "41", LONG_LABEL]),
    ("labels-not-strings", "[binary]\nlabels = [1, 2]\n", {}, "binary.labels[0]", ["expected text", "1"]),
    ("labels-same", '[binary]\nlabels = ["iOS", "iOS"]\n', {}, "binary.labels", ['["iOS", "iOS"]']),
    ("labels-three", '[binary]\nlabels = ["a", "b", "c"]\n', {}, "binary.labels", ['["a", "b", "c"]']),
    ("label-newline", '[binary]\nlabels = ["a\\nb", "c"]\n', {}, "binary.labels[0]", ["one line"]),
    ("start-zero", "[descent]\nstart = 0\n", {}, "descent.start", ["(0, 1)", "got 0"]),
    ("start-one", "[descent]\nstart = 1\n", {}, "descent.start", ["got 1"]),
    ("start-1.5", "[descent]\nstart = 1.5\n", {}, "descent.start", ["1.5"]),
    ("start-nan", "[descent]\nstart = nan\n", {}, "descent.start", ["nan"]),
    ("rate-zero", "[descent]\nlearning_rate = 0\n", {}, "descent.learning_rate", ["> 0", "got 0"]),
    ("rate-negative", "[descent]\nlearning_rate = -0.01\n", {}, "descent.learning_rate", ["-0.01"]),
    ("steps-zero", "[descent]\nsteps = 0\n", {}, "descent.steps", ["1 to 1000", "got 0"]),
    ("steps-1001", "[descent]\nsteps = 1001\n", {}, "descent.steps", ["1001"]),
    ("steps-2.5", "[descent]\nsteps = 2.5\n", {}, "descent.steps", ["integer", "2.5"]),
    ("steps-bool", "[descent]\nsteps = true\n", {}, "descent.steps", ["true"]),
    ("csv-missing", '[heights]\nsamples_csv = "nowhere.csv"\n', {}, "heights.samples_csv", ["not found", "nowhere.csv"]),
    ("csv-non-number", '[heights]\nsamples_csv = "h.csv"\n', {"h.csv": "height\n170\n171\nabc\n172\n"},
     "heights.samples_csv", ["line 4", '"abc"']),
    ("csv-inf", '[heights]\nsamples_csv = "h.csv"\n', {"h.csv": "170\ninf\n"}, "heights.samples_csv", ["line 2", '"inf"']),
    ("csv-two-columns", '[heights]\nsamples_csv = "h.csv"\n', {"h.csv": "170,171\n172,173\n"}, "heights.samples_csv", ["line 1", "got 2"]),
    ("csv-empty", '[heights]\nsamples_csv = "h.csv"\n', {"h.csv": "height\n"}, "heights.samples_csv", ["got 0"]),
    ("samples-and-csv", '[heights]\nsamples = [1.0, 2.0]\nsamples_csv = "h.csv"\n', {"h.csv": "1\n2\n"},
     "heights.samples_csv", ["either samples or samples_csv"]),
    ("title-empty", '[lecture]\ntitle = ""\n', {}, "lecture.title", ['""']),
    ("title-number", "[lecture]\ntitle = 42\n", {}, "lecture.title", ["expected text", "42"]),
    ("title-too-long", "[lecture]\ntitle = \"" + "T" * 121 + "\"\n", {}, "lecture.title", ["120", "121", "TTTT"]),
    ("invalid-toml", "[heights]\nsamples = [160.0, 170.0\nunit = \"cm\"\n", {}, None, ["not valid TOML", "line"]),
    ("duplicate-key", "[binary]\ncounts = [1, 2]\ncounts = [3, 4]\n", {}, None, ["not valid TOML"]),
    # [nlp] (scene 11's next-token example)
    ("nlp-not-table", "nlp = 1\n", {}, "nlp", ["expected a table", "1"]),
    ("nlp-unknown-key", '[nlp]\nanswer = "mat"\n', {}, "nlp.answer", ["unknown key", "context, correct, logits, tokens"]),
    ("nlp-context-number", "[nlp]\ncontext = 3\n", {}, "nlp.context", ["expected text", "3"]),
    ("nlp-context-newline", '[nlp]\ncontext = "The cat\\nsat"\n', {}, "nlp.context", ["LINE FEED", "\\n"]),
    ("nlp-context-too-wide", '[nlp]\ncontext = "' + "가" * 21 + '"\n', {}, "nlp.context", ["40 columns", "got 42"]),
    ("nlp-context-rtl", '[nlp]\ncontext = "שלום"\n', {}, "nlp.context", ["right-to-left"]),
    ("nlp-tokens-string", '[nlp]\ntokens = "mat sofa"\n', {}, "nlp.tokens", ["expected an array", '"mat sofa"']),
    ("nlp-one-token", '[nlp]\ntokens = ["mat"]\nlogits = [1.0]\ncorrect = "mat"\n', {}, "nlp.tokens",
     ["2 to 8 tokens", "got 1", '["mat"]']),
    ("nlp-nine-tokens", "[nlp]\ntokens = [" + ", ".join(f'"t{i}"' for i in range(9)) + "]\n", {}, "nlp.tokens",
     ["2 to 8 tokens", "got 9"]),
    ("nlp-token-number", '[nlp]\ntokens = ["mat", 7]\n', {}, "nlp.tokens[1]", ["expected text", "7"]),
    ("nlp-token-empty", '[nlp]\ntokens = ["mat", " "]\n', {}, "nlp.tokens[1]", ["non-empty", '" "']),
    ("nlp-token-emoji", '[nlp]\ntokens = ["mat", "\U0001F431"]\n', {}, "nlp.tokens[1]", ["emoji", "U+1F431"]),
    ("nlp-token-too-wide", '[nlp]\ntokens = ["mat", "extraordinary"]\n', {}, "nlp.tokens[1]",
     ["12 columns", "got 13", '"extraordinary"']),
    ("nlp-duplicate-tokens", '[nlp]\ntokens = ["mat", "sofa", "mat"]\nlogits = [1, 2, 3]\ncorrect = "mat"\n', {},
     "nlp.tokens[2]", ["distinct", '"mat"', "nlp.tokens[0]"]),
    ("nlp-duplicate-after-nfc", '[nlp]\ntokens = ["caf\u00e9", "cafe\u0301"]\nlogits = [1, 2]\ncorrect = "caf\u00e9"\n',
     {}, "nlp.tokens[1]", ["distinct"]),
    ("nlp-tokens-without-logits", '[nlp]\ntokens = ["a", "b", "c"]\ncorrect = "a"\n', {}, "nlp.logits",
     ["missing", "one number per token, 3"]),
    ("nlp-tokens-without-correct", '[nlp]\ntokens = ["a", "b"]\nlogits = [1, 2]\n', {}, "nlp.correct", ["missing"]),
    ("nlp-logits-count", '[nlp]\ntokens = ["a", "b", "c"]\nlogits = [1.0, 2.0]\ncorrect = "a"\n', {}, "nlp.logits",
     ["expected 3 numbers", "got 2", "[1.0, 2.0]"]),
    ("nlp-logits-alone-count", "[nlp]\nlogits = [1.0, 2.0, 3.0]\n", {}, "nlp.logits",
     ["expected 4 numbers", "example", "got 3"]),
    ("nlp-logits-not-array", "[nlp]\nlogits = 1.5\n", {}, "nlp.logits", ["expected an array", "1.5"]),
    ("nlp-logit-string", '[nlp]\nlogits = [1.0, "2", 0.4, -0.6]\n', {}, "nlp.logits[1]", ["finite number", '"2"']),
    ("nlp-logit-bool", "[nlp]\nlogits = [1.0, true, 0.4, -0.6]\n", {}, "nlp.logits[1]", ["finite number", "true"]),
    ("nlp-logit-nan", "[nlp]\nlogits = [1.0, nan, 0.4, -0.6]\n", {}, "nlp.logits[1]", ["finite number", "nan"]),
    ("nlp-logit-inf", "[nlp]\nlogits = [1.0, 2.0, -inf, -0.6]\n", {}, "nlp.logits[2]", ["finite number", "-inf"]),
    ("nlp-logit-too-large", "[nlp]\nlogits = [1.0, 2.0, 0.4, 1e3]\n", {}, "nlp.logits[3]", ["from -30 to 30", "1000.0"]),
    ("nlp-correct-not-a-token", '[nlp]\ntokens = ["a", "b"]\nlogits = [1, 2]\ncorrect = "c"\n', {}, "nlp.correct",
     ["one of the tokens", '["a", "b"]', '"c"']),
    ("nlp-correct-without-tokens", '[nlp]\ncorrect = "sofa"\n', {}, "nlp.correct", ["expected tokens", '"sofa"']),
    ("nlp-correct-number", '[nlp]\ntokens = ["a", "b"]\nlogits = [1, 2]\ncorrect = 1\n', {}, "nlp.correct",
     ["expected text", "1"]),
]


def _make_bad_file(tmp_path: Path, text: str, extra: dict[str, str]) -> Path:
    for name, body in extra.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_at_least_twenty_bad_cases():
    assert len(BAD_CASES) >= 20 and len({c[0] for c in BAD_CASES}) == len(BAD_CASES)


@pytest.mark.parametrize("case_id, text, extra, key, shown", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_file_is_refused_in_process(tmp_path, case_id, text, extra, key, shown):
    path = _make_bad_file(tmp_path, text, extra)
    with pytest.raises(DataError) as info:
        load_data(path)
    assert info.value.file == str(path)
    assert info.value.key == (key or "")
    for piece in shown:
        assert piece in info.value.message


@pytest.mark.parametrize("case_id, text, extra, key, shown", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_file_is_refused_by_the_cli(tmp_path, case_id, text, extra, key, shown):
    path = _make_bad_file(tmp_path, text, extra)
    result = run_cli("compute", "--json", "--data", str(path))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    prefix = f"error: {path}: {key}: " if key else f"error: {path}: "
    assert lines[0].startswith(prefix), lines[0]
    message = lines[0][len(prefix):]
    assert message
    for piece in shown:
        assert piece in message, (piece, message)


@pytest.mark.parametrize("make_path", [
    lambda tmp: tmp / "does-not-exist.toml",
    lambda tmp: tmp / "no-such-dir" / "data.toml",
])
def test_missing_data_path_is_one_line(tmp_path, make_path):
    path = make_path(tmp_path)
    result = run_cli("compute", "--data", str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"error: {path}: file not found\n"


def test_directory_as_data_path_is_one_line(tmp_path):
    result = run_cli("compute", "--data", str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {tmp_path}: cannot read")


# --- template ---------------------------------------------------------------------------------

def test_template_is_a_valid_data_file_loading_to_the_defaults(tmp_path):
    result = run_cli("template")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == default_data_text()
    path = tmp_path / "template.toml"
    path.write_text(result.stdout, encoding="utf-8")
    loaded, builtin = load_data(path), load_data(None)
    assert (loaded.lecture, loaded.heights, loaded.binary, loaded.descent, loaded.nlp) == \
        (builtin.lecture, builtin.heights, builtin.binary, builtin.descent, builtin.nlp)
    from_file = run_cli("compute", "--json", "--data", str(path))
    default = run_cli("compute", "--json")
    assert from_file.returncode == default.returncode == 0
    assert _strict_json(from_file.stdout) == _strict_json(default.stdout)


# --- compute --json against scipy -------------------------------------------------------------

def _read_csv_column(path: Path) -> list[float]:
    values = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for i, row in enumerate(csv.reader(handle)):
            cells = [c.strip() for c in row if c.strip()]
            if not cells:
                continue
            try:
                values.append(float(cells[0]))
            except ValueError:
                assert i == 0, "only a header may be non-numeric"
    return values


def _log10_comb(n: int, k: int) -> float:
    if min(k, n - k) <= 5000:  # exact integer, then its log
        return math.log10(special.comb(n, min(k, n - k), exact=True))
    return float((special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)) / np.log(10))


def _expected(path: Path | None) -> dict:
    """The lecture's numbers recomputed from the file with scipy.stats, independent of mathcore."""
    builtin = tomllib.loads(default_data_text())
    raw = {} if path is None else tomllib.loads(path.read_text(encoding="utf-8"))
    h = raw.get("heights", {})
    if "samples_csv" in h:
        samples = np.array(_read_csv_column(path.parent / h["samples_csv"]))
    else:
        samples = np.array(h.get("samples", builtin["heights"]["samples"]), dtype=float)
    mu, sigma_hat = stats.norm.fit(samples)
    sigma_used = float(h.get("sigma", sigma_hat))
    b = raw.get("binary", {})
    k, other = b.get("counts", builtin["binary"]["counts"])
    n = k + other
    p = k / n
    loglik_p = k * stats.bernoulli.logpmf(1, p) + other * stats.bernoulli.logpmf(0, p) if 0 < p < 1 else 0.0
    return {
        "samples": samples, "sigma_used": sigma_used, "candidates": h.get("candidates"),
        "heights": {
            "n": len(samples), "unit": h.get("unit", builtin["heights"]["unit"]),
            "mle_mu": mu, "mle_sigma": sigma_hat, "sigma_used": sigma_used,
            "log_likelihood_at_mle": float(np.sum(stats.norm.logpdf(samples, mu, sigma_hat))),
            "nll_at_mle": -float(np.sum(stats.norm.logpdf(samples, mu, sigma_hat))),
        },
        "binary": {
            "labels": b.get("labels", builtin["binary"]["labels"]), "counts": [k, other], "n": n, "p_hat": p,
            "log_likelihood_at_p_hat": loglik_p, "nll_at_p_hat": -loglik_p,
            "binomial_coefficient_log10": _log10_comb(n, k),
            "sampling_probability_at_p_hat": float(stats.binom.pmf(k, n, p)),
        },
        "descent": raw.get("descent") if path is not None else builtin["descent"],
    }


def _check_against_scipy(results: dict, expected: dict):
    h, eh = results["heights"], expected["heights"]
    assert h["n"] == eh["n"] and h["unit"] == eh["unit"]
    for key in ("mle_mu", "mle_sigma", "sigma_used", "log_likelihood_at_mle", "nll_at_mle"):
        assert h[key] == pytest.approx(eh[key], rel=1e-9, abs=1e-9), key
    assert len(h["candidates"]) == 3
    mus = [c["mu"] for c in h["candidates"]]
    if expected["candidates"] is not None:
        assert mus == expected["candidates"]
    else:  # derived: about two sigma either side of the mean, theta2 best
        assert mus[0] < mus[1] < mus[2]
        assert mus[1] == pytest.approx(eh["mle_mu"], abs=0.06 * eh["mle_sigma"] + 1e-9)
        assert 2 * eh["mle_sigma"] <= mus[2] - mus[1] <= 2.5 * eh["mle_sigma"]
        assert max(h["candidates"], key=lambda c: c["log_likelihood"]) is h["candidates"][1]
    for c in h["candidates"]:
        want = float(np.sum(stats.norm.logpdf(expected["samples"], c["mu"], expected["sigma_used"])))
        assert c["log_likelihood"] == pytest.approx(want, rel=1e-9, abs=1e-9)

    b, eb = results["binary"], expected["binary"]
    k, n = eb["counts"][0], eb["n"]
    assert b["labels"] == eb["labels"] and b["counts"] == eb["counts"] and b["n"] == eb["n"]
    assert b["binomial_coefficient_log10"] == pytest.approx(eb["binomial_coefficient_log10"], rel=1e-9, abs=1e-9)
    if eb["binomial_coefficient_log10"] < 290:  # exact while it has at most ~300 digits
        assert b["binomial_coefficient"] == special.comb(n, k, exact=True)
        assert isinstance(b["binomial_coefficient"], int)
    elif eb["binomial_coefficient_log10"] > 310:
        assert b["binomial_coefficient"] is None
    for key in ("p_hat", "log_likelihood_at_p_hat", "nll_at_p_hat", "sampling_probability_at_p_hat"):
        assert b[key] == pytest.approx(eb[key], rel=1e-9, abs=1e-12), key

    d = results["descent"]
    if expected["descent"] is not None:
        for key in ("start", "learning_rate", "steps"):
            if key in expected["descent"]:
                assert d[key] == expected["descent"][key], key
    else:  # chosen from the counts: converges visibly within 40 steps
        assert 1 <= d["steps"] <= 40 and d["converged"]
    path = d["path"]
    assert path[0] == d["start"] and len(path) == d["steps"] + 1 and path[-1] == d["final_p"]
    nlls = []
    for before, after in zip(path, path[1:]):
        assert 0.0 < after < 1.0
        full = d["learning_rate"] * (-k / before + (n - k) / (1 - before))
        taken = before - after
        if 0.0 < before - full < 1.0:
            assert taken == pytest.approx(full, rel=1e-12, abs=1e-15)
        else:  # shrunk by halving until inside
            ratio = full / taken
            assert ratio > 1 and math.log2(ratio) == pytest.approx(round(math.log2(ratio)), abs=1e-6)
    for p in path:
        nlls.append(-(k * math.log(p) + (n - k) * math.log1p(-p)))
    increased = any(b_ > a_ + 1e-12 * max(1.0, abs(a_)) for a_, b_ in zip(nlls, nlls[1:]))
    close = abs(path[-1] - k / n) <= 0.01 * abs(path[0] - k / n) + 1e-12
    assert d["converged"] == (close and not increased)


def test_compute_json_default_has_the_documented_shape_and_deck_figures():
    result = run_cli("compute", "--json")
    assert result.returncode == 0 and result.stderr == ""
    results = _strict_json(result.stdout)
    assert {"heights", "binary", "descent"} <= set(results)
    h, b, d = results["heights"], results["binary"], results["descent"]
    assert {"n", "unit", "mle_mu", "mle_sigma", "sigma_used", "log_likelihood_at_mle", "nll_at_mle", "candidates"} <= set(h)
    assert all(set(c) == {"mu", "log_likelihood"} for c in h["candidates"]) and len(h["candidates"]) == 3
    assert {"labels", "counts", "n", "p_hat", "log_likelihood_at_p_hat", "nll_at_p_hat", "binomial_coefficient",
            "sampling_probability_at_p_hat"} <= set(b)
    assert {"start", "learning_rate", "steps", "final_p", "converged", "path"} <= set(d)
    assert (h["n"], h["unit"], round(h["mle_mu"], 3), round(h["mle_sigma"], 4), round(h["sigma_used"], 4)) == \
        (10, "cm", 168.344, 2.6207, 2.6207)
    assert (round(h["log_likelihood_at_mle"], 2), round(h["nll_at_mle"], 2)) == (-23.82, 23.82)
    assert [c["mu"] for c in h["candidates"]] == [163.0, 168.3, 173.6]
    assert (b["labels"], b["counts"], b["n"], b["p_hat"]) == (["Android", "iOS"], [7, 3], 10, 0.7)
    assert (round(b["log_likelihood_at_p_hat"], 4), round(b["nll_at_p_hat"], 4)) == (-6.1086, 6.1086)
    assert b["binomial_coefficient"] == 120 and isinstance(b["binomial_coefficient"], int)
    assert round(b["sampling_probability_at_p_hat"], 4) == 0.2668
    assert (d["start"], d["learning_rate"], d["steps"], round(d["final_p"], 4), d["converged"]) == (0.2, 0.005, 19, 0.696, True)
    assert d["converged_at"] == 19 and round(d["tolerance"], 9) == 0.005  # converges at its last step
    assert len(d["path"]) == 20 and d["path"][0] == 0.2
    assert isinstance(h["n"], int) and isinstance(d["steps"], int) and isinstance(d["converged"], bool)
    _check_against_scipy(results, _expected(None))


DATA_FILES = sorted(DATA_DIR.glob("*.toml"))


def _quiet_but_the_story_hint(stderr: str, path) -> bool:
    """Nothing on stderr but, for data that differ from the deck's and name no story, the one
    hint line naming the story keys (issue 17; tests/test_story.py)."""
    from mathcore import load_data, story_hint

    hint = story_hint(load_data(path))
    return stderr == ("" if hint is None else hint + "\n")


@pytest.mark.parametrize("path", DATA_FILES, ids=[p.name for p in DATA_FILES])
def test_compute_json_agrees_with_scipy_on_test_data(path, tmp_path):
    result = run_cli("compute", "--json", "--data", str(path), cwd=tmp_path)  # cwd must not matter
    assert result.returncode == 0, result.stderr
    assert _quiet_but_the_story_hint(result.stderr, path)
    _check_against_scipy(_strict_json(result.stdout), _expected(path))


def test_test_data_exists():
    assert len(DATA_FILES) >= 3


def test_compute_json_on_boundary_and_lopsided_counts(tmp_path):
    for counts in ([0, 10], [10, 0], [1, 999_999], [1_000_000, 0]):
        path = tmp_path / f"c{counts[0]}_{counts[1]}.toml"
        path.write_text(f"[binary]\ncounts = {counts}\n", encoding="utf-8")
        result = run_cli("compute", "--json", "--data", str(path))
        assert result.returncode == 0, result.stderr
        results = _strict_json(result.stdout)  # no NaN / Infinity anywhere
        _check_against_scipy(results, _expected(path))


@pytest.mark.parametrize("path", [None, *DATA_FILES], ids=["default", *(p.name for p in DATA_FILES)])
def test_compute_text_report(path):
    args = ["compute"] if path is None else ["compute", "--data", str(path)]
    result = run_cli(*args)
    assert result.returncode == 0 and _quiet_but_the_story_hint(result.stderr, path)
    data = load_data(path)
    out = result.stdout
    assert out.startswith(f"data: {data.source}\n")
    assert f"heights: n={len(data.heights.samples)} {data.heights.unit}" in out
    assert f"C(n, k)         {special.comb(data.binary.n, data.binary.k, exact=True)}" in out
    assert data.binary.labels[0] in out and data.binary.labels[1] in out
    assert "nan" not in out.lower() and "inf" not in out.lower().replace("info", "")
    if path is None:
        assert "MLE mu          168.344 cm" in out
        assert "p_hat           0.7\n" in out
        assert "P(k of n)       0.266828" in out
        assert "converged at step" in out


@pytest.mark.parametrize("counts, exact", [([300, 300], True), ([10_000, 10_000], False), ([1_000_000, 1_000_000], False)])
def test_compute_with_a_huge_binomial_coefficient(tmp_path, counts, exact):
    # C(20000, 10000) has 6018 digits: neither JSON nor the text report may choke on it (or
    # spend minutes computing C(2e6, 1e6) exactly).
    path = tmp_path / "big.toml"
    path.write_text(f"[binary]\ncounts = {counts}\n", encoding="utf-8")
    result = run_cli("compute", "--json", "--data", str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    results = _strict_json(result.stdout)
    _check_against_scipy(results, _expected(path))
    assert (results["binary"]["binomial_coefficient"] is not None) == exact
    text = run_cli("compute", "--data", str(path))
    assert text.returncode == 0, text.stderr[-2000:]
    log10 = results["binary"]["binomial_coefficient_log10"]
    line = next(line for line in text.stdout.splitlines() if line.startswith("  C(n, k)"))
    if exact:
        assert line.split()[-1] == str(special.comb(sum(counts), counts[0], exact=True))
    else:
        mantissa, exponent = line.split()[-3], line.split()[-1]
        assert exponent == f"10^{math.floor(log10)}"
        assert float(mantissa) == pytest.approx(10 ** (log10 - math.floor(log10)), rel=1e-3)


def test_compute_text_report_flags_a_diverged_descent(tmp_path):
    path = tmp_path / "diverge.toml"
    path.write_text("[binary]\ncounts = [130, 70]\n[descent]\nstart = 0.2\nlearning_rate = 0.01\nsteps = 30\n",
                    encoding="utf-8")
    result = run_cli("compute", "--data", str(path))
    assert result.returncode == 0 and "DIVERGED" in result.stdout
    data = _strict_json(run_cli("compute", "--json", "--data", str(path)).stdout)["descent"]
    assert data["diverged"] is True and data["converged"] is False
    assert all(0.0 < p < 1.0 for p in data["path"])


# --- precision --------------------------------------------------------------------------------

TINY_SPREAD = "[heights]\nsamples = [1.0, 1.000000000002]\n"  # mean 1.000000000001, sigma ~1e-12


def test_text_report_shows_a_tiny_spread_in_full(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_SPREAD, encoding="utf-8")
    result = run_cli("compute", "--data", str(path))
    assert result.returncode == 0, result.stderr
    data = load_data(path)
    assert f"  MLE sigma       {data.heights.mle_sigma:.6g} cm (ddof=0)\n" in result.stdout  # not 0
    assert "  MLE mu          1.000000000001 cm\n" in result.stdout  # not 1
    mus = [line.split("mu=")[1].split()[0] for line in result.stdout.splitlines() if line.startswith("  theta")]
    assert len(set(mus)) == 3 and [float(m) for m in mus] == list(data.heights.candidates)


def test_compute_json_keeps_a_tiny_spread(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_SPREAD, encoding="utf-8")
    h = _strict_json(run_cli("compute", "--json", "--data", str(path)).stdout)["heights"]
    data = load_data(path)
    assert (h["mle_mu"], h["mle_sigma"]) == (data.heights.mle_mu, data.heights.mle_sigma)


# --- which sigma each line uses (issue 24) ------------------------------------------------------

FIXED_SIGMA = "[heights]\nsamples = [160.0, 165.0, 170.0, 172.0]\nsigma = 3.5\n"


def test_compute_labels_each_likelihood_by_its_sigma(tmp_path):
    """With [heights] sigma set, the text names the sigma of every likelihood line and the
    JSON says which sigma each likelihood uses; the candidates' sigma is the fixed one."""
    path = tmp_path / "fixed.toml"
    path.write_text(FIXED_SIGMA, encoding="utf-8")
    data = load_data(path)
    samples, mu, sigma_hat = np.array(data.heights.samples), data.heights.mle_mu, data.heights.mle_sigma
    text = run_cli("compute", "--data", str(path))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    at_mle = [line for line in lines if line.startswith("  log L at MLE ")]
    assert at_mle and f"(MLE sigma {sigma_hat:.6g})" in at_mle[0]
    fixed = [line for line in lines if line.startswith("  log L at MLE mu")]
    want = float(np.sum(stats.norm.logpdf(samples, mu, 3.5)))
    assert fixed and fixed[0].split()[5] == f"{want:.6g}" and "(fixed sigma 3.5)" in fixed[0]
    assert "  candidates, fixed sigma 3.5:" in lines
    assert "  sigma used      3.5 cm (fixed by [heights] sigma)" in lines

    h = _strict_json(run_cli("compute", "--json", "--data", str(path)).stdout)["heights"]
    assert h["sigma_source"] == "fixed" and h["sigma_used"] == 3.5
    assert h["sigma_of"]["log_likelihood_at_mle"] == "mle_sigma" and h["sigma_of"]["candidates"] == "sigma_used"
    assert h["log_likelihood_at_mle_mu_sigma_used"] == pytest.approx(want, rel=1e-12)
    assert h["log_likelihood_at_mle"] == pytest.approx(float(np.sum(stats.norm.logpdf(samples, mu, sigma_hat))), rel=1e-12)


def test_compute_without_fixed_sigma_says_the_mle_sigma_is_used():
    text = run_cli("compute")
    assert text.returncode == 0, text.stderr
    data = load_data(None)
    label = f"(MLE sigma {data.heights.mle_sigma:.6g})"
    assert f"  candidates, MLE sigma {data.heights.mle_sigma:.6g}:" in text.stdout.splitlines()
    assert all(label in line for line in text.stdout.splitlines() if line.startswith(("  log L at", "  NLL at")))
    assert "log L at MLE mu" not in text.stdout
    h = _strict_json(run_cli("compute", "--json").stdout)["heights"]
    assert h["sigma_source"] == "mle"
