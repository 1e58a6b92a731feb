"""mathcore.binary against scipy.stats.binom / bernoulli and finite differences."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats

from mathcore import (
    Binary,
    LectureData,
    binary_likelihood,
    binary_log_likelihood,
    binary_nll,
    binary_nll_gradient,
    binomial_coefficient,
    lecture_results,
    load_data,
    p_hat,
    sampling_probability,
)
from mathcore.binary import log_binomial_coefficient

inner_p = st.floats(min_value=1e-6, max_value=1 - 1e-6)


@st.composite
def counts(draw, max_n=10_000):
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(0, n))
    return k, n


def _bernoulli_loglik(p, k, n):
    """Independent: sum of Bernoulli log-pmfs of k ones and n-k zeros."""
    return k * stats.bernoulli.logpmf(1, p) + (n - k) * stats.bernoulli.logpmf(0, p)


@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(kn=counts(), p=inner_p)
def test_log_likelihood_matches_scipy(kn, p):
    k, n = kn
    expected = _bernoulli_loglik(p, k, n)
    # and equivalently log binom.pmf minus log C(n, k): the deck drops the constant
    via_binom = stats.binom.logpmf(k, n, p) - special.gammaln(n + 1) + special.gammaln(k + 1) + special.gammaln(n - k + 1)
    got = binary_log_likelihood(p, k, n)
    assert got == pytest.approx(expected, rel=1e-10, abs=1e-10)
    assert got == pytest.approx(via_binom, rel=1e-7, abs=1e-7)
    assert binary_nll(p, k, n) == pytest.approx(-expected, rel=1e-10, abs=1e-10)


@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(kn=counts(max_n=60), p=inner_p)
def test_likelihood_is_binom_pmf_over_the_coefficient(kn, p):
    k, n = kn
    expected = stats.binom.pmf(k, n, p) / special.comb(n, k, exact=True)
    assert binary_likelihood(p, k, n) == pytest.approx(expected, rel=1e-8, abs=1e-300)


@settings(deadline=None)  # the machine may be busy; no timing assertions
# (scipy's binom.pmf itself raises OverflowError for subnormal p, so p stays above 1e-200)
@given(kn=counts(max_n=100_000), p=st.one_of(st.sampled_from([0.0, 1.0]), st.floats(1e-200, 1.0)))
def test_sampling_probability_is_binom_pmf(kn, p):
    k, n = kn
    assert sampling_probability(p, k, n) == pytest.approx(stats.binom.pmf(k, n, p), rel=1e-8, abs=1e-300)


@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(kn=counts(max_n=2000))
def test_binomial_coefficient_is_exact(kn):
    k, n = kn
    assert binomial_coefficient(n, k) == special.comb(n, k, exact=True)


@st.composite
def lopsided_counts(draw):
    n = draw(st.integers(1, 10**15))
    small = draw(st.integers(0, min(n, 2000)))
    return (small, n) if draw(st.booleans()) else (n - small, n)


@settings(deadline=None)
@given(kn=st.one_of(counts(max_n=3000), lopsided_counts()))
def test_log_binomial_coefficient_matches_the_exact_integer(kn):
    k, n = kn
    exact = math.log(special.comb(n, min(k, n - k), exact=True))  # log of a Python int: no overflow
    assert log_binomial_coefficient(n, k) == pytest.approx(exact, rel=1e-13, abs=1e-13)
    assert log_binomial_coefficient(n, n - k) == pytest.approx(exact, rel=1e-13, abs=1e-13)


@pytest.mark.parametrize("k, n", [(0, 1), (0, 10**15), (10**15, 10**15)])
def test_log_binomial_coefficient_is_exactly_zero_at_the_ends(k, n):
    assert log_binomial_coefficient(n, k) == 0.0


def test_sampling_probability_of_lopsided_huge_counts_is_poisson():
    # n = 10^15, p = 3/n: Binomial(n, p) at 3 is Poisson(3) at 3 to ~1e-14.
    poisson = 3.0**3 * math.exp(-3.0) / 6.0
    assert sampling_probability(3 / 10**15, 3, 10**15) == pytest.approx(poisson, rel=1e-9)
    assert sampling_probability(1 - 3 / 10**15, 10**15 - 3, 10**15) == pytest.approx(poisson, rel=1e-6)
    assert sampling_probability(1e-9, 1, 10**9) == pytest.approx(math.exp(-1.0), rel=1e-8)


@settings(deadline=None, max_examples=200)
@given(kn=st.one_of(counts(max_n=10**15), lopsided_counts()),
       p=st.one_of(st.floats(0.0, 1.0), st.floats(0.0, 1e-300), st.floats(1 - 1e-12, 1.0)))
def test_sampling_probability_never_raises_and_is_a_probability(kn, p):
    k, n = kn
    value = sampling_probability(p, k, n)
    assert math.isfinite(value) and 0.0 <= value <= 1.0 + 1e-12


@settings(deadline=None, max_examples=40)
@given(n=st.integers(1, 120), p=st.floats(0.0, 1.0))
def test_sampling_probabilities_sum_to_one(n, p):
    total = math.fsum(sampling_probability(p, k, n) for k in range(n + 1))
    assert total == pytest.approx(1.0, abs=1e-9)


def test_deck_values():
    assert p_hat(7, 10) == 0.7
    assert binomial_coefficient(10, 7) == 120
    assert round(binary_nll(0.7, 7, 10), 4) == 6.1086
    assert round(sampling_probability(0.7, 7, 10), 4) == 0.2668
    assert sampling_probability(0.7, 7, 10) == pytest.approx(stats.binom.pmf(7, 10, 0.7), rel=1e-12)


def test_vectorised_over_p():
    ps = np.linspace(0.05, 0.95, 19)
    np.testing.assert_allclose(binary_log_likelihood(ps, 7, 10), _bernoulli_loglik(ps, 7, 10), rtol=1e-12)
    np.testing.assert_allclose(binary_nll(ps, 7, 10), -_bernoulli_loglik(ps, 7, 10), rtol=1e-12)
    np.testing.assert_allclose(binary_likelihood(ps, 7, 10), ps**7 * (1 - ps) ** 3, rtol=1e-12)
    np.testing.assert_allclose(binary_nll_gradient(ps, 7, 10), -7 / ps + 3 / (1 - ps), rtol=1e-12)
    assert isinstance(binary_nll(0.5, 7, 10), float)


# --- gradient ---------------------------------------------------------------------------------

@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(kn=counts(), p=st.floats(0.02, 0.98))
def test_gradient_matches_central_differences(kn, p):
    k, n = kn
    h = 1e-6
    numeric = (binary_nll(p + h, k, n) - binary_nll(p - h, k, n)) / (2 * h)
    assert binary_nll_gradient(p, k, n) == pytest.approx(numeric, rel=1e-5, abs=1e-6 * n)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5])
def test_gradient_refuses_p_outside_the_open_interval(p):
    with pytest.raises(ValueError):
        binary_nll_gradient(p, 7, 10)
    with pytest.raises(ValueError):
        binary_nll_gradient(np.array([0.5, p]), 7, 10)


# --- the NLL is minimised at k/n --------------------------------------------------------------

@settings(deadline=None, max_examples=80)
@given(kn=counts(max_n=1_000_000), p=st.floats(1e-9, 1 - 1e-9))
def test_nll_is_minimised_at_k_over_n(kn, p):
    k, n = kn
    best = binary_nll(p_hat(k, n), k, n)
    assert math.isfinite(best)
    assert best <= binary_nll(p, k, n) + 1e-9 * max(1.0, abs(best))


@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(kn=counts(max_n=5000).filter(lambda kn: 0 < kn[0] < kn[1]))
def test_numerical_minimiser_finds_k_over_n(kn):
    k, n = kn
    found = optimize.minimize_scalar(lambda p: binary_nll(p, k, n), bounds=(1e-12, 1 - 1e-12), method="bounded",
                                     options={"xatol": 1e-12})
    assert found.x == pytest.approx(k / n, abs=1e-5)
    assert binary_nll_gradient(k / n, k, n) == pytest.approx(0.0, abs=1e-6 * n)


# --- p_hat at the boundary: no nan or inf -----------------------------------------------------

@pytest.mark.parametrize("k, n", [(0, 1), (1, 1), (0, 10), (10, 10), (0, 10**6), (10**6, 10**6)])
def test_boundary_p_hat_is_finite(k, n):
    estimate = p_hat(k, n)
    assert estimate in (0.0, 1.0)
    assert binary_log_likelihood(estimate, k, n) == 0.0
    assert binary_nll(estimate, k, n) == 0.0
    assert binary_likelihood(estimate, k, n) == 1.0
    assert sampling_probability(estimate, k, n) == 1.0 == stats.binom.pmf(k, n, estimate)
    # the impossible other end is honestly -inf, never nan
    other = 1.0 - estimate
    assert binary_log_likelihood(other, k, n) == -math.inf
    assert binary_likelihood(other, k, n) == 0.0


@pytest.mark.parametrize("counts_", [(0, 10), (10, 0), (0, 1), (1, 0), (0, 1000), (1000, 0)])
def test_summary_at_boundary_p_hat_is_finite_json(counts_):
    base = load_data(None)
    data = LectureData(base.lecture, base.heights, Binary(("a", "b"), counts_), base.descent, "t", "x")
    results = lecture_results(data)
    text = json.dumps(results, allow_nan=False)  # raises on nan / inf
    b = json.loads(text)["binary"]
    assert b["p_hat"] == counts_[0] / sum(counts_)
    assert b["log_likelihood_at_p_hat"] == 0.0 and b["nll_at_p_hat"] == 0.0
    assert math.copysign(1.0, b["nll_at_p_hat"]) == 1.0  # printed as 0.0, not -0.0
    assert b["sampling_probability_at_p_hat"] == 1.0
    assert b["binomial_coefficient"] == 1
