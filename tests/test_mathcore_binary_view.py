"""mathcore.binary_view against scipy, on the deck's counts and every test data file."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats

from mathcore import binary_nll, lecture_results, load_data
from mathcore.binary_view import (
    binomial_scientific,
    curve_samples,
    descent_window,
    likelihood_exponent,
    nll_clip,
    nll_window,
    scaled_likelihood,
)

DATA = Path(__file__).parent / "data"
DATA_FILES = [None, *sorted(str(p) for p in DATA.glob("*.toml"))]
COUNTS = [(7, 10), (130, 200), (10, 10), (0, 10), (1, 200), (199, 200), (5000, 10000), (1, 1)]


def scipy_log_likelihood(p, k, n):
    """log p^k (1-p)^(n-k), from scipy's binomial log-pmf minus the log coefficient."""
    return stats.binom.logpmf(k, n, p) - (special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1))


@pytest.mark.parametrize("k, n", COUNTS)
def test_scaled_likelihood_matches_scipy(k, n):
    exponent = likelihood_exponent(k, n)
    ps = np.linspace(0.01, 0.99, 99)
    expected = np.exp(scipy_log_likelihood(ps, k, n) - exponent * np.log(10.0))
    np.testing.assert_allclose(scaled_likelihood(ps, k, n, exponent), expected, rtol=1e-9, atol=1e-300)


@pytest.mark.parametrize("k, n", COUNTS)
def test_likelihood_exponent_puts_the_peak_between_1_and_10(k, n):
    exponent = likelihood_exponent(k, n)
    peak = scaled_likelihood(k / n, k, n, exponent)
    assert 1.0 <= peak < 10.0
    assert np.isfinite(scaled_likelihood(np.array([0.0, 1.0]), k, n, exponent)).all()


@pytest.mark.parametrize("n, k", [(10, 7), (200, 130), (200, 1), (10, 10), (1000, 400)])
def test_binomial_scientific_matches_scipy(n, k):
    value = binomial_scientific(n, k)
    exact = special.comb(n, k, exact=True)
    assert 1.0 <= value.mantissa < 10.0
    assert value.mantissa * 10.0**value.exponent == pytest.approx(float(exact), rel=1e-9)
    assert value.exponent == len(str(exact)) - 1


@pytest.mark.parametrize("k, n", COUNTS)
def test_nll_window_ends_sit_on_the_clip(k, n):
    top = nll_clip(k, n)
    low, high = nll_window(k, n, top)
    assert 0.0 <= low <= k / n <= high <= 1.0
    for end in (low, high):
        if 0.0 < end < 1.0 - 1e-12:
            assert -scipy_log_likelihood(end, k, n) == pytest.approx(top, rel=1e-9)
        elif 0.0 < end < 1.0:
            # The clip is reached closer to the edge than a drawing can tell (1-p below 1e-16).
            assert min(end, 1.0 - end) < 1e-12
        else:
            assert float(binary_nll(end, k, n)) <= top
    inside = np.linspace(low, high, 501)[1:-1]
    assert np.all(-scipy_log_likelihood(inside, k, n) <= top * (1 + 1e-9))


def test_nll_window_respects_a_narrower_range():
    low, high = nll_window(7, 10, 8.0, low=0.6, high=0.8)
    assert (low, high) == (0.6, 0.8)
    low, high = nll_window(7, 10, 6.5, low=0.3, high=0.9)
    assert 0.3 < low < 0.7 < high < 0.9


def test_curve_samples_are_sorted_finite_and_cover_the_ends():
    xs = curve_samples(0.2, 0.9, 100, extra=[0.7, 5.0])
    assert xs[0] == 0.2 and xs[-1] == 0.9 and 0.7 in xs and 5.0 not in xs
    assert np.all(np.diff(xs) > 0)
    ys = binary_nll(curve_samples(0.0, 1.0, 200), 10, 10)
    assert np.isfinite(ys[1:]).all() and ys[-1] == 0.0


@pytest.mark.parametrize("path", DATA_FILES)
def test_descent_window_frames_every_data_files_path(path):
    data = load_data(path)
    results = lecture_results(data)
    k, n = data.binary.k, data.binary.n
    descent = results["descent"]
    window = descent_window(descent["path"], descent["nll_path"], k, n)
    assert 0.0 <= window.p_low < window.p_high <= 1.0
    assert window.p_low <= min(descent["path"]) and max(descent["path"]) <= window.p_high
    assert window.p_low <= k / n <= window.p_high
    assert window.nll_low <= results["binary"]["nll_at_p_hat"] <= max(descent["nll_path"]) <= window.nll_high
    assert math.isfinite(window.nll_high)


def test_binomial_scientific_of_lopsided_huge_counts_is_the_exact_value():
    """lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1) cancelled: C(10^15 + 3, 3) came out as
    1.336e46, where the exact value (the one `nll-lecture compute` reports) is 1.667e44."""
    from mathcore.binary import binomial_coefficient_value

    n, k = 10**15 + 3, 10**15
    exact = math.comb(n, k)
    value = binomial_scientific(n, k)
    assert value.exponent == len(str(exact)) - 1 == 44
    assert value.mantissa == pytest.approx(exact / 10**44, rel=1e-10)
    assert binomial_coefficient_value(n, k).exact == exact
