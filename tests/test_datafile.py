"""mathcore.datafile: the deck's defaults, the template round trip, and the validation rules."""

from __future__ import annotations

import dataclasses
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats

from mathcore import (
    BUILTIN_SOURCE,
    DataError,
    binary_nll,
    default_candidates,
    default_data_text,
    lecture_results,
    load_data,
    log_likelihood,
    sampling_probability,
)

DATA_DIR = Path(__file__).parent / "data"
DECK_SAMPLES = (164.95, 165.35, 165.76, 166.16, 167.78, 168.99, 169.80, 170.20, 171.82, 172.63)


def _write(tmp_path: Path, text: str, name: str = "data.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load_data(path)
    return info.value


# --- the deck --------------------------------------------------------------------------------

def test_default_data_reproduces_the_deck():
    data = load_data(None)
    h, b = data.heights, data.binary
    assert data.source == BUILTIN_SOURCE
    assert h.samples == DECK_SAMPLES and h.unit == "cm"
    assert round(h.mle_mu, 3) == 168.344 == round(float(np.mean(DECK_SAMPLES)), 3)
    assert round(h.mle_sigma, 4) == 2.6207 == round(float(stats.norm.fit(DECK_SAMPLES)[1]), 4)
    assert h.sigma == h.mle_sigma
    assert h.candidates == (163.0, 168.3, 173.6)
    logliks = [log_likelihood(h.samples, c, h.sigma) for c in h.candidates]
    assert int(np.argmax(logliks)) == 1  # theta2 is best
    assert logliks == pytest.approx([np.sum(stats.norm.logpdf(DECK_SAMPLES, c, h.sigma)) for c in h.candidates])
    assert b.labels == ("Android", "iOS") and b.counts == (7, 3) and (b.k, b.n) == (7, 10)
    assert b.k / b.n == 0.7
    assert round(binary_nll(0.7, 7, 10), 4) == 6.1086
    assert special.comb(10, 7, exact=True) == 120
    assert round(sampling_probability(0.7, 7, 10), 4) == 0.2668 == round(float(stats.binom.pmf(7, 10, 0.7)), 4)
    assert (data.descent.start, data.descent.learning_rate, data.descent.steps) == (0.2, 0.005, 19)
    assert data.lecture.date == "2021-04-19" and data.lecture.title


def test_default_candidates():
    assert default_candidates(168.344, 2.6207) == (163.0, 168.3, 173.6)
    lo, mid, hi = default_candidates(1.7012, 0.0654)
    assert lo < mid < hi and mid == pytest.approx(1.701, abs=1e-9)
    assert hi - mid >= 2 * 0.0654 and mid - lo >= 2 * 0.0654
    # a spread so small that 10**decimals would overflow must not crash
    assert all(math.isfinite(c) for c in default_candidates(1.0, 1e-310))


def test_template_text_is_a_data_file_that_loads_to_the_defaults(tmp_path):
    path = _write(tmp_path, default_data_text())
    loaded, builtin = load_data(path), load_data(None)
    for field in ("lecture", "heights", "binary", "descent"):
        assert getattr(loaded, field) == getattr(builtin, field), field
    assert loaded.source == str(path) and loaded.sha256 == builtin.sha256
    assert all(loaded.section_digest(s) == builtin.section_digest(s) for s in ("lecture", "heights", "binary", "descent"))


def test_empty_file_means_the_deck_data_but_a_data_chosen_descent(tmp_path):
    data = load_data(_write(tmp_path, "# nothing\n"))
    builtin = load_data(None)
    assert (data.lecture, data.heights, data.binary) == (builtin.lecture, builtin.heights, builtin.binary)
    assert 1 <= data.descent.steps <= 40  # [descent] left out: chosen from the counts


def test_partial_descent_section_keeps_the_others_chosen(tmp_path):
    data = load_data(_write(tmp_path, "[descent]\nsteps = 100\n"))
    assert data.descent.steps == 100 and 0 < data.descent.start < 1 and data.descent.learning_rate > 0


def test_section_digest_changes_only_for_the_changed_section(tmp_path):
    a = load_data(None)
    b = load_data(_write(tmp_path, default_data_text().replace('unit = "cm"', 'unit = "mm"')))
    assert a.section_digest("heights") != b.section_digest("heights")
    assert a.section_digest("binary") == b.section_digest("binary")


# --- the files in tests/data -------------------------------------------------------------------

def test_csv_inches_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the CSV path is relative to the data file, not the cwd
    data = load_data(DATA_DIR / "csv_inches.toml")
    column = [float(line) for line in (DATA_DIR / "csv_heights.csv").read_text().split()[1:]]
    assert data.heights.samples == tuple(column) and len(column) == 12
    assert data.heights.unit == "in"
    assert data.lecture.date == "2024-03-01"  # a TOML date becomes text
    assert data.binary.counts == (10, 0)
    assert lecture_results(data)["binary"]["nll_at_p_hat"] == 0.0


def test_metres_file_and_tiny_file():
    metres = load_data(DATA_DIR / "metres_1000.toml")
    assert len(metres.heights.samples) == 1000 and metres.heights.unit == "m"
    assert metres.binary.labels == ("Samsung Galaxy", "Apple iPhone")
    tiny = load_data(DATA_DIR / "tiny_lopsided.toml")
    assert tiny.heights.sigma == 1.5 and tiny.heights.candidates == (55.0, 59.75, 64.0)
    assert (tiny.descent.start, tiny.descent.learning_rate, tiny.descent.steps) == (0.3, 0.00004, 40)


def test_every_file_in_tests_data_loads():
    files = sorted(DATA_DIR.glob("*.toml"))
    assert len(files) >= 3
    for path in files:
        data = load_data(path)
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        if "samples" in raw.get("heights", {}):
            assert data.heights.samples == tuple(float(v) for v in raw["heights"]["samples"])


# --- CSV details ------------------------------------------------------------------------------

def test_csv_with_and_without_header_and_blank_lines(tmp_path):
    (tmp_path / "a.csv").write_text("height\n170\n\n171.5\n  172  \n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("170\n171.5\n172\n", encoding="utf-8")
    a = load_data(_write(tmp_path, '[heights]\nsamples_csv = "a.csv"\n'))
    b = load_data(_write(tmp_path, '[heights]\nsamples_csv = "b.csv"\n', "b.toml"))
    assert a.heights.samples == b.heights.samples == (170.0, 171.5, 172.0)


def test_csv_with_byte_order_mark_keeps_its_first_value(tmp_path):
    # Excel / Notepad write a UTF-8 BOM; it must not turn the first number into a "header".
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf170\n171.5\n172\n")
    data = load_data(_write(tmp_path, '[heights]\nsamples_csv = "bom.csv"\n'))
    assert data.heights.samples == (170.0, 171.5, 172.0)


def test_data_file_with_byte_order_mark_loads(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf[binary]\ncounts = [4, 6]\n")
    assert load_data(path).binary.counts == (4, 6)


def test_100000_samples_are_accepted(tmp_path):
    (tmp_path / "many.csv").write_text("\n".join(str(150 + i % 41) for i in range(100_000)), encoding="utf-8")
    data = load_data(_write(tmp_path, '[heights]\nsamples_csv = "many.csv"\n'))
    assert len(data.heights.samples) == 100_000


# --- errors carry file, key path and value ----------------------------------------------------

@pytest.mark.parametrize("text, key, shown", [
    ('[heights]\nsamples = [1.0, 2.0, "x"]\n', "heights.samples[2]", '"x"'),
    ("[heights]\nsigma = -2\n", "heights.sigma", "-2"),
    ("[binary]\ncounts = [3, 1.5]\n", "binary.counts[1]", "1.5"),
    ('[binary]\nlabels = ["a", "' + "b" * 41 + '"]\n', "binary.labels[1]", "b" * 41),
    ("[descent]\nsteps = 1001\n", "descent.steps", "1001"),
    ("[heights]\nsamples = [1e308, 1e308, 0.0]\n", "heights.samples", "inf"),
    ("[heights]\nsamples = [0.0, 5e-324]\n", "heights.samples", "5e-324"),
    ("[heights]\nsigma = 1e-300\n", "heights.sigma", "1e-300"),
    ("[heights]\ncandidates = [1e300, 168.0, 170.0]\n", "heights.candidates[0]", "1e+300"),
])
def test_data_error_attributes(tmp_path, text, key, shown):
    path = _write(tmp_path, text)
    err = _error(path)
    assert err.file == str(path) and err.key == key
    assert str(err).startswith(f"{path}: {key}: ")
    assert shown in err.message
    assert "\n" not in str(err)


def test_valid_extremes_are_accepted_and_give_finite_numbers(tmp_path):
    text = ("[heights]\nsamples = [1e-3, 2e-3]\nsigma = 1e-4\n"
            '[binary]\nlabels = ["' + "x" * 40 + '", "y"]\ncounts = [0, 1000000]\n'
            "[descent]\nstart = 1e-9\nlearning_rate = 1e6\nsteps = 1000\n")
    data = load_data(_write(tmp_path, text))
    results = lecture_results(data)
    flat = [results["heights"]["log_likelihood_at_mle"]] + [c["log_likelihood"] for c in results["heights"]["candidates"]]
    flat += results["descent"]["path"] + results["descent"]["nll_path"] + results["descent"]["gradient_path"]
    assert all(math.isfinite(v) for v in flat)


def test_lecture_results_keeps_the_samples_untouched(tmp_path):
    data = load_data(None)
    before = dataclasses.astuple(data.heights)
    lecture_results(data)
    assert dataclasses.astuple(data.heights) == before
