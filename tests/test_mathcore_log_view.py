"""mathcore.log_view against scipy and plain Python floats."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from mathcore import load_data, log_likelihood_grid, underflow_demo
from mathcore.log_view import collapse_count, mu_window, running_log_sums, scientific_parts

DATA = Path(__file__).parent / "data"
DATA_FILES = [None, DATA / "metres_1000.toml", DATA / "csv_inches.toml", DATA / "tiny_lopsided.toml"]


def _heights(path):
    return load_data(None if path is None else str(path)).heights


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: "default" if p is None else p.name)
def test_mu_window_is_centred_and_scaled_by_standard_error(path):
    h = _heights(path)
    low, high = mu_window(h.samples, h.sigma)
    se = h.sigma / math.sqrt(len(h.samples))
    assert (low + high) / 2 == pytest.approx(np.mean(h.samples))
    assert (high - low) / 2 == pytest.approx(4 * se)
    # The relative likelihood at the window's edges is exp(-8): the whole bell is inside.
    log_l = log_likelihood_grid(h.samples, [low, np.mean(h.samples)], h.sigma)
    assert log_l[0] - log_l[1] == pytest.approx(-8.0, rel=1e-6)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: "default" if p is None else p.name)
def test_running_log_sums_match_scipy(path):
    h = _heights(path)
    count = 257
    got = running_log_sums(h.samples, h.mle_mu, h.sigma, count)
    x = np.resize(np.asarray(h.samples), count)
    want = np.cumsum(stats.norm.logpdf(x, loc=h.mle_mu, scale=h.sigma))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)
    assert len(got) == count


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: "default" if p is None else p.name)
def test_collapse_count_makes_the_demo_collapse(path):
    h = _heights(path)
    count = collapse_count(h.samples, h.mle_mu, h.sigma)
    assert 300 <= count <= 3000 and count % 100 == 0
    demo = underflow_demo(h.samples, h.mle_mu, h.sigma, count=count)
    assert demo.first_collapse is not None and demo.first_collapse <= count
    assert demo.naive_product in (0.0, math.inf)
    # The log-sum of the same factors is finite and equals scipy's.
    x = np.resize(np.asarray(h.samples), count)
    assert demo.log_sum == pytest.approx(float(np.sum(stats.norm.logpdf(x, h.mle_mu, h.sigma))))


def test_collapse_count_underflow_and_overflow_directions():
    # Densities below 1 underflow to 0.0; densities above 1 (tiny sigma) overflow to inf.
    small = underflow_demo([0.0, 1.0], 0.0, 1.0, count=collapse_count([0.0, 1.0], 0.0, 1.0))
    big = underflow_demo([0.0, 0.01], 0.0, 0.05, count=collapse_count([0.0, 0.01], 0.0, 0.05))
    assert small.naive_product == 0.0
    assert big.naive_product == math.inf


def test_collapse_count_gives_up_at_the_limit_when_densities_are_one():
    sigma = 1.0 / math.sqrt(2.0 * math.pi)  # the density at the mean is exactly 1
    assert collapse_count([5.0], 5.0, sigma, limit=1200) == 1200


def test_scientific_parts_round_trip_including_subnormals():
    values = np.array([1.0, 9.999999e-3, 2.5e-4, 1e-310, 5e-324, 1.7e308, 123456.0])
    mantissa, exponent = scientific_parts(values)
    assert np.all((mantissa >= 1.0) & (mantissa < 10.0))
    # Compare on the log scale: mantissa * 10**-324 would itself underflow.
    np.testing.assert_allclose(np.log10(mantissa) + exponent, np.log10(values), rtol=0, atol=1e-9)
    assert list(exponent) == [0, -3, -4, -310, -324, 308, 5]


def test_scientific_parts_has_no_form_for_zero_or_inf():
    mantissa, exponent = scientific_parts([0.0, math.inf, -1.0])
    assert np.all(np.isnan(mantissa))
    assert list(exponent) == [0, 0, 0]
