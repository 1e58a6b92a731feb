"""mathcore.heights_view against scipy and against the data files the scenes must handle."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from mathcore import load_data
from mathcore.heights_view import (
    axis_window,
    comparison_signs,
    decimals_to_show,
    density_peak,
    display_subsample,
    likelihood_width,
    log_densities,
    relative_likelihood_curve,
    sweep_grid,
    view_interval,
)

DATA = Path(__file__).parent / "data"
DATA_FILES = [None, DATA / "metres_1000.toml", DATA / "csv_inches.toml", DATA / "tiny_lopsided.toml"]
WINDOW_FILES = [*DATA_FILES, DATA / "metres_25.toml"]


@pytest.mark.parametrize("sigma", [0.07, 1.5, 2.62, 40.0])
def test_density_peak_matches_scipy(sigma):
    assert density_peak(sigma) == pytest.approx(stats.norm.pdf(3.0, loc=3.0, scale=sigma), rel=1e-12)


@pytest.mark.parametrize("path", DATA_FILES, ids=str)
def test_log_densities_match_scipy(path):
    h = load_data(path).heights
    x = np.asarray(h.samples)
    for mu in h.candidates:
        expected = stats.norm.logpdf(x, loc=mu, scale=h.sigma)
        np.testing.assert_allclose(log_densities(x, mu, h.sigma), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("path", DATA_FILES, ids=str)
def test_relative_likelihood_matches_scipy(path):
    h = load_data(path).heights
    x = np.asarray(h.samples)
    low, high = view_interval(x, h.candidates, h.sigma)
    mus = sweep_grid(low, high, x.size, h.sigma)
    mu_hat = x.mean()
    expected_log = np.array([stats.norm.logpdf(x, loc=m, scale=h.sigma).sum() for m in mus[::37]])
    expected = np.exp(expected_log - stats.norm.logpdf(x, loc=mu_hat, scale=h.sigma).sum())
    np.testing.assert_allclose(relative_likelihood_curve(x, mus[::37], h.sigma), expected, rtol=1e-6, atol=1e-300)
    curve = relative_likelihood_curve(x, mus, h.sigma)
    assert curve.max() <= 1.0
    assert relative_likelihood_curve(x, [mu_hat], h.sigma)[0] == pytest.approx(1.0)


@pytest.mark.parametrize("path", DATA_FILES, ids=str)
def test_sweep_grid_resolves_the_peak(path):
    h = load_data(path).heights
    n = len(h.samples)
    low, high = view_interval(h.samples, h.candidates, h.sigma)
    grid = sweep_grid(low, high, n, h.sigma)
    assert grid[0] == low and grid[-1] == high
    assert 200 <= grid.size <= 4000
    step = grid[1] - grid[0]
    assert step <= likelihood_width(n, h.sigma) / 4
    # the grid's best point is within one step of the sample mean
    best = grid[np.argmax(relative_likelihood_curve(h.samples, grid, h.sigma))]
    assert abs(best - np.mean(h.samples)) <= step


def test_likelihood_width_is_the_curvature_of_log_l():
    # log L(mu) is a parabola whose second derivative is -n / sigma^2
    x = np.array([1.0, 2.5, 4.0, 3.0])
    sigma, h = 1.3, 1e-3
    f = lambda m: stats.norm.logpdf(x, loc=m, scale=sigma).sum()  # noqa: E731
    second = (f(2.0 + h) - 2 * f(2.0) + f(2.0 - h)) / h**2
    assert likelihood_width(x.size, sigma) == pytest.approx((-1.0 / second) ** 0.5, rel=1e-5)


@pytest.mark.parametrize("path", DATA_FILES, ids=str)
def test_view_interval_holds_samples_and_curves(path):
    h = load_data(path).heights
    low, high = view_interval(h.samples, h.candidates, h.sigma)
    assert low <= min(h.samples) and high >= max(h.samples)
    assert stats.norm.cdf(low, loc=min(h.candidates), scale=h.sigma) <= 0.0015
    assert stats.norm.sf(high, loc=max(h.candidates), scale=h.sigma) <= 0.0015


def test_decimals():
    assert decimals_to_show([163.0, 168.3, 173.6]) == 1
    assert decimals_to_show([1.572, 1.714, 1.856]) == 3
    assert decimals_to_show([55.0, 59.75, 64.0]) == 2
    assert decimals_to_show([2.0, 3.0]) == 0
    assert decimals_to_show([np.pi], 5) == 5


def test_display_subsample():
    x = np.random.default_rng(1).normal(170, 7, size=1000)
    sub = display_subsample(x, 60)
    assert sub.size == 60
    assert sub[0] == x.min() and sub[-1] == x.max()
    assert np.all(np.diff(sub) >= 0)
    assert set(sub) <= set(x)
    # order statistics: the subsample's median tracks the data's
    assert abs(np.median(sub) - np.median(x)) < 1.0
    assert display_subsample(x[:7], 60).size == 7


def test_comparison_signs():
    results = [c["log_likelihood"] for c in _candidates(None)]
    assert comparison_signs(results) == ("<", ">")
    assert comparison_signs([1.0, 1.0, 0.5]) == ("=", ">")
    assert comparison_signs([-3.0, -2.0, -1.0]) == ("<", "<")


def _candidates(path):
    from mathcore import lecture_results

    return lecture_results(load_data(path))["heights"]["candidates"]


@pytest.mark.parametrize("path", WINDOW_FILES, ids=str)
def test_axis_window_is_the_data_window_with_round_ticks_inside(path):
    """The heights axis runs over exactly what it must show (samples and curves), not out to
    the next round numbers: the review's metres file had its samples on 36% of 1.2..2.2 m."""
    h = load_data(path).heights
    low, high = view_interval(h.samples, h.candidates, h.sigma)
    ticks = axis_window(low, high)
    assert (ticks.start, ticks.end) == (low, high)
    assert 4 <= ticks.count <= 12
    assert all(low <= v <= high for v in ticks.values)
    assert [ticks.reading(i) for i in range(ticks.count)] == pytest.approx(list(ticks.values))
    spread = max(h.samples) - min(h.samples)
    assert spread / (ticks.end - ticks.start) >= (0.45 if "metres_25" in str(path) else 0.1)


def test_axis_window_on_every_scale():
    for low, high in [(1.2e-11, 1.5e-11), (-1.1e15, -0.9e15), (170 - 1e-11, 170 + 1e-11), (-1e6, 1e6), (50.5, 68.5)]:
        ticks = axis_window(low, high)
        assert (ticks.start, ticks.end) == (low, high) and ticks.count >= 4
        assert all(low <= v <= high for v in ticks.values)
    # a span floats cannot subdivide: axis_ticks' widened window, ticks and all
    tiny = axis_window(1.0, 1.0 + 1e-15)
    assert tiny.start <= 1.0 and tiny.end >= 1.0 + 1e-15 and tiny.count >= 2


