"""mathcore.pmf against scipy.stats, and the observation pickers on every test data file."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from mathcore import load_data, normal_pdf, sampling_probability
from mathcore.pmf import (
    binomial_pmf,
    binomial_window,
    contrast_p,
    contrasting_observations,
    nearest_sample,
    normal_interval_probability,
)

DATA = Path(__file__).parent / "data"
DATA_FILES = [None, *sorted(str(p) for p in DATA.glob("*.toml"))]


@pytest.mark.parametrize("n, p", [(10, 0.7), (10, 0.3), (200, 0.65), (200, 0.005), (1, 0.5), (50, 0.999)])
def test_binomial_pmf_matches_scipy(n, p):
    ks = np.arange(n + 1)
    np.testing.assert_allclose(binomial_pmf(ks, n, p), stats.binom.pmf(ks, n, p), rtol=1e-10, atol=1e-300)
    assert float(np.sum(binomial_pmf(ks, n, p))) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("n, p", [(10, 1.0), (10, 0.0), (200, 1.0)])
def test_binomial_pmf_at_the_boundary(n, p):
    ks = np.arange(n + 1)
    values = binomial_pmf(ks, n, p)
    np.testing.assert_array_equal(values, stats.binom.pmf(ks, n, p))
    assert not np.any(np.isnan(values))


def test_binomial_pmf_outside_support_and_scalars():
    assert binomial_pmf(-1, 10, 0.5) == 0.0
    assert binomial_pmf(11, 10, 0.5) == 0.0
    assert binomial_pmf(2.5, 10, 0.5) == 0.0
    assert isinstance(binomial_pmf(3, 10, 0.5), float)
    with pytest.raises(ValueError):
        binomial_pmf(3, 10, 1.5)


@pytest.mark.parametrize("k, n", [(7, 10), (130, 200), (10, 10), (1, 200), (0, 10), (0, 1)])
def test_binomial_pmf_agrees_with_sampling_probability(k, n):
    assert binomial_pmf(k, n, k / n) == pytest.approx(sampling_probability(k / n, k, n), rel=1e-10)


@pytest.mark.parametrize("k, n", [(7, 10), (130, 200), (10, 10), (1, 200), (0, 10), (3, 3)])
def test_window_holds_the_observation_and_the_mass(k, n):
    p_alt = contrast_p(k, n)
    lo, hi = binomial_window(n, [k / n, p_alt])
    assert 0 <= lo <= k <= hi <= n
    assert hi - lo + 1 >= min(11, n + 1)
    for p in (k / n, p_alt):
        assert stats.binom.cdf(hi, n, p) - stats.binom.cdf(lo - 1, n, p) > 0.99


@pytest.mark.parametrize("k, n", [(7, 10), (130, 200), (10, 10), (1, 200), (0, 10), (1, 1)])
def test_contrast_p_is_a_different_valid_p_with_lower_likelihood(k, n):
    p_alt = contrast_p(k, n)
    assert 0.0 < p_alt < 1.0
    assert abs(p_alt - k / n) >= 0.05
    assert binomial_pmf(k, n, p_alt) < binomial_pmf(k, n, k / n)


@pytest.mark.parametrize("lo, hi, mu, sigma", [(-1, 1, 0, 1), (168, 169, 168.344, 2.62), (1.70, 1.72, 1.714, 0.0706), (5, 4, 0, 1)])
def test_interval_probability_matches_scipy(lo, hi, mu, sigma):
    expected = stats.norm.cdf(hi, mu, sigma) - stats.norm.cdf(lo, mu, sigma)
    assert normal_interval_probability(lo, hi, mu, sigma) == pytest.approx(expected, rel=1e-10, abs=1e-15)


def test_nearest_sample():
    assert nearest_sample([1.0, 2.0, 4.0], 2.9) == 2.0
    assert nearest_sample([1.0, 3.0], 2.0) == 1.0


@pytest.mark.parametrize("path", DATA_FILES)
def test_contrasting_observations_on_every_data_file(path):
    heights = load_data(path).heights
    mu, sigma = heights.mle_mu, heights.mle_sigma
    a, b = contrasting_observations(heights.samples, mu, sigma)
    assert a in heights.samples
    assert normal_pdf(b, mu, sigma) < 0.7 * normal_pdf(a, mu, sigma)
    assert abs(b - mu) < 3.5 * sigma  # still on a drawn curve of mu +- 3.5 sigma


def _bounded(code: str, memory: int = 1 << 30, seconds: int = 20) -> str:
    """Run ``code`` in a child limited to ``memory`` bytes of address space and ``seconds``."""
    import subprocess
    import sys
    from pathlib import Path

    prelude = (f"import resource, signal; resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory})); "
               f"signal.alarm({seconds})\n")
    done = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr[-1500:]
    return done.stdout


@pytest.mark.parametrize("counts", [(10**15, 3), (3, 10**15), (5 * 10**14, 5 * 10**14), (10**8, 10**8)])
def test_window_of_huge_counts_needs_no_array_over_every_outcome(counts):
    """binomial_window built arange(n + 1): 14 PiB for n = 10^15, 6.5 GB already at 10^8.
    Now a bisection: well under 1 GiB and a second."""
    k, m = counts
    out = _bounded(f"""
from mathcore.pmf import binomial_window, contrast_p, pmf_envelope, pmf_peak
n, k = {k + m}, {k}
lo, hi = binomial_window(n, [k / n, contrast_p(k, n)])
edges, heights = pmf_envelope(n, k / n, lo, hi)
print(lo, hi, len(edges), pmf_peak(n, k / n, lo, hi))
""")
    lo, hi, edges, peak = out.split()
    assert int(lo) <= k <= int(hi) and int(edges) <= 401 and 0 < float(peak) <= 1


def test_pmf_of_huge_counts_is_accurate():
    """The lgamma form lost whole units of log to cancellation at n = 10^15."""
    n = 10**15 + 3
    assert binomial_pmf(10**15, n, 10**15 / n) == pytest.approx(math.exp(-3) * 27 / 6, rel=1e-6)
    assert binomial_pmf(5 * 10**14, 10**15, 0.5) == pytest.approx(math.sqrt(2 / (math.pi * 10**15)), rel=1e-9)


def test_window_matches_the_brute_force_rule_for_small_counts():
    for n in (1, 2, 10, 57, 200):
        for p in (0.0, 0.01, 0.3, 0.5, 0.93, 1.0):
            ks = np.arange(n + 1)
            mass = stats.binom.pmf(ks, n, p)
            keep = np.flatnonzero(mass >= 1e-3 * mass.max())
            lo, hi = binomial_window(n, [p], min_bars=1)
            assert (lo, hi) == (keep[0], keep[-1]), (n, p)


def test_envelope_holds_the_tallest_bar_of_each_step():
    from mathcore.pmf import pmf_envelope

    edges, heights = pmf_envelope(200, 0.65, 84, 154, bins=7)
    ks = np.arange(84, 155)
    for left, right, h in zip(edges[:-1], edges[1:], heights):
        inside = ks[(ks > left) & (ks < right)]
        assert h == pytest.approx(float(np.max(stats.binom.pmf(inside, 200, 0.65))), rel=1e-9)
