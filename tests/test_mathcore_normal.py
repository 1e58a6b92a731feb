"""mathcore.normal against scipy.stats.norm, plus package-level checks (doctests, no manim)."""

from __future__ import annotations

import doctest
import importlib
import math
import pkgutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import mathcore
from mathcore import (
    Scientific,
    likelihood,
    likelihood_scientific,
    load_data,
    log_likelihood,
    log_likelihood_grid,
    mle_mu,
    mle_sigma,
    nll,
    normal_logpdf,
    normal_pdf,
    relative_likelihood_grid,
    underflow_demo,
)

DATA_DIR = Path(__file__).parent / "data"
DECK = (164.95, 165.35, 165.76, 166.16, 167.78, 168.99, 169.80, 170.20, 171.82, 172.63)

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-2, max_value=1e2)
sample_lists = st.lists(finite, min_size=2, max_size=30).filter(lambda xs: max(xs) - min(xs) > 1e-3)


# --- densities ------------------------------------------------------------------------------

@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(x=finite, mu=finite, sigma=positive)
def test_logpdf_and_pdf_match_scipy(x, mu, sigma):
    assert normal_logpdf(x, mu, sigma) == pytest.approx(stats.norm.logpdf(x, mu, sigma), rel=1e-12, abs=1e-12)
    assert normal_pdf(x, mu, sigma) == pytest.approx(stats.norm.pdf(x, mu, sigma), rel=1e-12, abs=1e-300)


def test_densities_vectorise_like_scipy():
    x = np.linspace(150.0, 190.0, 41)
    np.testing.assert_allclose(normal_logpdf(x, 168.344, 2.6207), stats.norm.logpdf(x, 168.344, 2.6207), rtol=1e-13)
    np.testing.assert_allclose(normal_pdf(x, 168.344, 2.6207), stats.norm.pdf(x, 168.344, 2.6207), rtol=1e-12)
    mus = np.array([160.0, 170.0])
    np.testing.assert_allclose(normal_pdf(165.0, mus, 3.0), stats.norm.pdf(165.0, mus, 3.0), rtol=1e-12)


# --- likelihoods of samples ------------------------------------------------------------------

@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(samples=sample_lists, mu=finite, sigma=positive)
def test_log_likelihood_and_nll_are_scipy_logpdf_sums(samples, mu, sigma):
    expected = float(np.sum(stats.norm.logpdf(samples, mu, sigma)))
    assert log_likelihood(samples, mu, sigma) == pytest.approx(expected, rel=1e-10, abs=1e-9)
    assert nll(samples, mu, sigma) == pytest.approx(-expected, rel=1e-10, abs=1e-9)


def test_likelihood_is_product_of_scipy_pdfs():
    expected = float(np.prod(stats.norm.pdf(DECK, 168.3, 2.62)))
    assert expected > 0.0
    assert likelihood(DECK, 168.3, 2.62) == pytest.approx(expected, rel=1e-10)


@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(samples=sample_lists)
def test_mle_matches_scipy_norm_fit(samples):
    loc, scale = stats.norm.fit(samples)  # maximum likelihood: ddof=0
    assert mle_mu(samples) == pytest.approx(loc, rel=1e-12, abs=1e-9)
    assert mle_sigma(samples) == pytest.approx(scale, rel=1e-9, abs=1e-9)


@settings(deadline=None, max_examples=60)
@given(samples=sample_lists, dmu=st.floats(-5.0, 5.0), factor=st.floats(0.2, 5.0))
def test_nll_is_minimised_at_the_mle(samples, dmu, factor):
    mu, sigma = mle_mu(samples), mle_sigma(samples)
    best = nll(samples, mu, sigma)
    assert best <= nll(samples, mu + dmu * sigma, sigma * factor) + 1e-9 * max(1.0, abs(best))


@settings(deadline=None, max_examples=60)
@given(samples=st.lists(st.floats(-50.0, 50.0), min_size=2, max_size=12).filter(lambda xs: max(xs) - min(xs) > 0.5))
def test_likelihood_and_log_likelihood_peak_at_the_same_mu(samples):
    sigma = mle_sigma(samples)
    mus = np.linspace(min(samples), max(samples), 201)
    lik = np.array([likelihood(samples, m, sigma) for m in mus])
    loglik = np.array([log_likelihood(samples, m, sigma) for m in mus])
    assert lik.max() > 0.0  # few samples: the product has not underflowed
    assert int(np.argmax(lik)) == int(np.argmax(loglik))
    # and that grid point is the one nearest the sample mean
    assert abs(mus[np.argmax(loglik)] - mle_mu(samples)) <= (mus[1] - mus[0]) / 2 + 1e-9


@settings(deadline=None, max_examples=40)
@given(samples=sample_lists, offset=st.sampled_from([0.0, 1e6, -1e7]), sigma=positive)
def test_log_likelihood_grid_equals_pointwise_sums(samples, offset, sigma):
    xs = np.asarray(samples) + offset
    mus = np.linspace(xs.min() - 3 * sigma, xs.max() + 3 * sigma, 17)
    expected = np.array([np.sum(stats.norm.logpdf(xs, m, sigma)) for m in mus])
    got = log_likelihood_grid(xs, mus, sigma)
    np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-6 * max(1.0, float(np.max(np.abs(expected)))))


def test_log_likelihood_grid_handles_100000_samples():
    rng = np.random.default_rng(1)
    xs = rng.normal(170.0, 6.0, 100_000)
    mus = np.array([165.0, 170.0, 175.0])
    expected = [np.sum(stats.norm.logpdf(xs, m, 6.0)) for m in mus]
    np.testing.assert_allclose(log_likelihood_grid(xs, mus, 6.0), expected, rtol=1e-10)


def test_relative_likelihood_grid_peaks_at_one_and_never_underflows_to_all_zero():
    xs = np.resize(np.asarray(DECK), 5000)  # the plain likelihood is 0.0 here
    assert likelihood(xs, 168.344, 2.6207) == 0.0
    mus = np.linspace(160.0, 176.0, 161)
    rel = relative_likelihood_grid(xs, mus, 2.6207)
    assert rel.max() == 1.0
    assert np.all((rel >= 0.0) & (rel <= 1.0))
    assert mus[np.argmax(rel)] == pytest.approx(168.3, abs=0.05)


# --- scientific notation and the underflow demo ---------------------------------------------

@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(st.floats(min_value=-5000.0, max_value=700.0))
def test_scientific_from_log_represents_the_number(log_value):
    s = Scientific.from_log(log_value)
    assert 1.0 <= s.mantissa < 10.0
    assert math.log(s.mantissa) + s.exponent * math.log(10.0) == pytest.approx(log_value, abs=1e-8)


def test_likelihood_scientific_agrees_with_scipy_where_representable():
    value = float(np.prod(stats.norm.pdf(DECK, 168.344, 2.6207)))
    s = likelihood_scientific(DECK, 168.344, 2.6207)
    assert s.mantissa * 10.0**s.exponent == pytest.approx(value, rel=1e-9)
    deep = likelihood_scientific(np.resize(np.asarray(DECK), 1000), 168.344, 2.6207)
    expected_log10 = np.sum(stats.norm.logpdf(np.resize(np.asarray(DECK), 1000), 168.344, 2.6207)) / np.log(10)
    assert deep.exponent == math.floor(expected_log10)


def test_underflow_demo_deck_at_mle():
    data = load_data(None)
    mu, sigma = data.heights.mle_mu, data.heights.mle_sigma
    demo = underflow_demo(data.heights.samples, mu, sigma, count=400)
    xs = np.resize(np.asarray(data.heights.samples), 400)
    assert demo.count == 400 and len(demo.densities) == 400 and len(demo.running_products) == 400
    assert demo.naive_product == 0.0
    assert math.isfinite(demo.log_sum)
    assert demo.log_sum == pytest.approx(float(np.sum(stats.norm.logpdf(xs, mu, sigma))), rel=1e-12)
    np.testing.assert_allclose(demo.densities, stats.norm.pdf(xs, mu, sigma), rtol=1e-12)
    # the running product is the naive float product, and first_collapse is where it hit 0.0
    assert demo.first_collapse is not None and 1 < demo.first_collapse <= 400
    assert demo.running_products[demo.first_collapse - 1] == 0.0
    assert demo.running_products[demo.first_collapse - 2] > 0.0
    prod = 1.0
    for i in range(demo.first_collapse - 1):
        prod *= demo.densities[i]
    assert demo.running_products[demo.first_collapse - 2] == pytest.approx(prod, rel=1e-9)


def test_underflow_demo_overflows_for_tiny_sigma_and_never_collapses_for_few_factors():
    demo = underflow_demo([1.70, 1.71, 1.69], 1.70, 0.01, count=300)  # densities ~ 24-40
    assert demo.naive_product == math.inf and demo.first_collapse is not None
    assert math.isfinite(demo.log_sum)
    small = underflow_demo(DECK, 168.344, 2.6207, count=10)
    assert small.first_collapse is None and small.naive_product > 0.0
    assert small.collapse is None


def test_underflow_demo_says_which_collapse_for_the_test_data():
    """Densities below 1 (the deck, cm) underflow; above 1 (heights in metres, sigma about
    0.07: the peak density 1/(sigma sqrt(2 pi)) is about 5.4) overflow. Checked against
    scipy's densities and exact float products."""
    deck = load_data(None).heights
    metres = load_data(DATA_DIR / "metres_25.toml").heights
    for heights, kind in ((deck, "underflow"), (metres, "overflow")):
        demo = underflow_demo(heights.samples, heights.mle_mu, heights.sigma, count=800)
        xs = np.resize(np.asarray(heights.samples), 800)
        densities = stats.norm.pdf(xs, heights.mle_mu, heights.sigma)
        assert (np.mean(np.log(densities)) < 0) == (kind == "underflow")
        product, first = 1.0, None
        for i, density in enumerate(densities, 1):
            product *= float(density)
            if first is None and (product == 0.0 or math.isinf(product)):
                first = i
        assert demo.first_collapse == first and demo.collapse == kind
        assert demo.running_products[first - 1] == (0.0 if kind == "underflow" else math.inf)
    assert 1 / (metres.sigma * math.sqrt(2 * math.pi)) > 1 > 1 / (deck.sigma * math.sqrt(2 * math.pi))


# --- package hygiene ------------------------------------------------------------------------

def _mathcore_modules() -> list[str]:
    return ["mathcore"] + sorted(f"mathcore.{m.name}" for m in pkgutil.iter_modules(mathcore.__path__))


@pytest.mark.parametrize("module_name", _mathcore_modules())
def test_doctests_pass(module_name):
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_core_modules_actually_have_doctests():
    for name in ("normal", "binary", "descent", "crossentropy", "datafile", "summary"):
        module = importlib.import_module(f"mathcore.{name}")
        tests = doctest.DocTestFinder().find(module)
        assert sum(len(t.examples) for t in tests) > 0, name


def test_import_mathcore_does_not_import_manim():
    code = (
        "import sys, mathcore, importlib, pkgutil\n"
        "for m in pkgutil.iter_modules(mathcore.__path__):\n"
        "    importlib.import_module('mathcore.' + m.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'manim' or m.startswith('manim.'))\n"
        "print(repr(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
