"""Probability mass and interval probabilities for the likelihood scenes, and picking observations.

The binomial pmf is what the discrete-likelihood scene draws as bars; the normal interval
probability is the small shaded area the continuous scene contrasts with the likelihood (a
height); the observation pickers choose which samples those scenes point at, from the data.
Pure numpy/scipy: nothing here knows about scenes or video.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

from .binary import log_binomial_pmf

from .normal import normal_pdf


def binomial_pmf(k: ArrayLike, n: int, p: float) -> NDArray[np.float64] | float:
    """P(K = k) for K ~ Binomial(n, p) (accurate for n up to 10^15); 0 outside 0..n.

    Holds at the boundary: with p = 1 all mass sits on k = n, with p = 0 on k = 0.

    >>> round(float(binomial_pmf(7, 10, 0.7)), 4)
    0.2668
    >>> float(binomial_pmf(10, 10, 1.0)), float(binomial_pmf(9, 10, 1.0))
    (1.0, 0.0)
    """
    value = np.exp(log_binomial_pmf(k, n, p))
    return float(value) if np.ndim(value) == 0 else value


def binomial_mode(n: int, p: float) -> int:
    """The most likely outcome, floor((n + 1) p) kept inside 0..n (checked against its
    neighbours: near 10^15 the float product can be one off).

    >>> binomial_mode(10, 0.7), binomial_mode(10, 1.0), binomial_mode(10, 0.0)
    (7, 10, 0)
    """
    guess = int(min(max(math.floor((n + 1) * p), 0), n))
    near = [k for k in (guess - 1, guess, guess + 1) if 0 <= k <= n]
    return max(near, key=lambda k: (log_binomial_pmf(k, n, p), -abs(k - guess)))


def _edge(n: int, p: float, level: float, mode: int, step: int) -> int:
    """The farthest k from ``mode`` (towards 0 if ``step`` < 0, else towards n) whose log
    mass is at least ``level``: the pmf is unimodal, so a doubling then a bisection, a few
    dozen evaluations whatever n is."""
    end = 0 if step < 0 else n
    inside, reach = mode, 1
    while True:  # double until outside the level or at the end
        probe = mode + step * reach
        if (step < 0 and probe <= end) or (step > 0 and probe >= end):
            if log_binomial_pmf(end, n, p) >= level:
                return end
            outside = end
            break
        if log_binomial_pmf(probe, n, p) < level:
            outside = probe
            break
        inside, reach = probe, reach * 2
    while abs(outside - inside) > 1:
        middle = (inside + outside) // 2
        if log_binomial_pmf(middle, n, p) >= level:
            inside = middle
        else:
            outside = middle
    return inside


def binomial_window(n: int, ps: ArrayLike, tail: float = 1e-3, min_bars: int = 11) -> tuple[int, int]:
    """(lo, hi): the outcomes 0..n worth drawing as bars for every p in ``ps``.

    Keeps every k whose mass is at least ``tail`` times the tallest bar (for any of the
    ``ps``), then widens the window evenly to ``min_bars`` outcomes where n allows. Never
    builds an array over 0..n (n can be 10^15): the ends are found by bisection.

    >>> binomial_window(10, [0.7])
    (0, 10)
    >>> lo, hi = binomial_window(200, [0.65]); lo <= 130 <= hi and hi - lo < 80
    True
    >>> binomial_window(10**15 + 3, [1 - 3 / (10**15 + 3)])
    (999999999999993, 1000000000000003)
    """
    lo, hi = n, 0
    for p in np.atleast_1d(np.asarray(ps, dtype=float)):
        mode = binomial_mode(n, float(p))
        level = log_binomial_pmf(mode, n, float(p)) + math.log(tail)
        lo = min(lo, _edge(n, float(p), level, mode, -1))
        hi = max(hi, _edge(n, float(p), level, mode, +1))
    while hi - lo + 1 < min(min_bars, n + 1):
        if lo > 0:
            lo -= 1
        if hi - lo + 1 < min(min_bars, n + 1) and hi < n:
            hi += 1
    return lo, hi


def pmf_peak(n: int, p: float, lo: int, hi: int) -> float:
    """The tallest bar among outcomes lo..hi (the pmf is unimodal: the one nearest the mode).

    >>> round(pmf_peak(10, 0.7, 0, 10), 4), round(pmf_peak(10, 0.7, 0, 3), 4)
    (0.2668, 0.009)
    """
    return float(binomial_pmf(min(max(binomial_mode(n, p), lo), hi), n, p))


def pmf_envelope(n: int, p: float, lo: int, hi: int, bins: int = 400) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The pmf over lo..hi as at most ``bins`` flat steps, for windows with more outcomes
    than pixels: (edges, heights), ``edges[i]..edges[i + 1]`` (in outcome units, bars
    +-0.5 wide) at the tallest bar inside that step. Cost O(bins), whatever hi - lo.

    >>> edges, heights = pmf_envelope(10, 0.7, 0, 10, bins=4)
    >>> edges.tolist(), [round(float(h), 4) for h in heights]
    ([-0.5, 1.5, 4.5, 7.5, 10.5], [0.0001, 0.0368, 0.2668, 0.2335])
    """
    count = hi - lo + 1
    bins = int(max(1, min(bins, count)))
    cuts = lo + (np.arange(bins + 1) * count) // bins  # first outcome of each step, then hi + 1
    firsts, lasts = cuts[:-1], cuts[1:] - 1
    mode = binomial_mode(n, p)
    nearest = np.clip(mode, firsts, lasts)
    heights = np.asarray(binomial_pmf(nearest.astype(float), n, p), dtype=float).reshape(-1)
    return cuts.astype(float) - 0.5, heights


def contrast_p(k: int, n: int, shift: float = 0.1) -> float:
    """A second value of p to compare with p_hat = k/n: two standard errors towards 1/2, at
    least ``shift`` (or 2.5/sqrt(n) if smaller, so a large n keeps a narrow window of
    outcomes), kept inside (0.02, 0.98).

    >>> round(contrast_p(7, 10), 3), round(contrast_p(10, 10), 3), round(contrast_p(1, 200), 3)
    (0.41, 0.9, 0.105)
    >>> round(contrast_p(6500, 10000), 3)
    0.625
    """
    estimate = k / n
    step = max(2.0 * math.sqrt(estimate * (1.0 - estimate) / n), min(shift, 2.5 / math.sqrt(n)))
    direction = -1.0 if estimate > 0.5 else 1.0
    return float(min(max(estimate + direction * step, 0.02), 0.98))


def normal_interval_probability(lo: float, hi: float, mu: float, sigma: float) -> float:
    """P(lo <= X <= hi) for X ~ N(mu, sigma): the area under the density between lo and hi.

    >>> round(normal_interval_probability(-1.0, 1.0, 0.0, 1.0), 4)
    0.6827
    """
    return float(ndtr((hi - mu) / sigma) - ndtr((lo - mu) / sigma))


def nearest_sample(samples: ArrayLike, target: float) -> float:
    """The sample closest to ``target`` (the first of ties).

    >>> nearest_sample([164.95, 168.99, 172.63], 168.344)
    168.99
    """
    x = np.asarray(samples, dtype=float)
    return float(x[int(np.argmin(np.abs(x - target)))])


def tidy(value: float, sigma: float) -> float:
    """``value`` rounded to a precision that suits a spread of ``sigma`` (2 significant
    digits of sigma).

    >>> tidy(62.2512, 1.25), tidy(1.70213, 0.0711)
    (62.3, 1.702)
    """
    decimals = max(0, 1 - math.floor(math.log10(sigma)))
    return round(value, decimals)


def contrasting_observations(samples: ArrayLike, mu: float, sigma: float, tail_z: float = 1.8, max_ratio: float = 0.7) -> tuple[float, float]:
    """Two observations (a, b) with f(a) clearly above f(b) under N(mu, sigma).

    a is the sample nearest the mean; b the sample whose distance from the mean is nearest
    ``tail_z`` standard deviations. If the data hold no such contrast (f(b) / f(a) above
    ``max_ratio``, e.g. two samples either side of their mean), b is the tidy point
    ``tail_z`` + 0.2 standard deviations from the mean, on the side opposite a.

    >>> contrasting_observations([164.95, 165.35, 165.76, 166.16, 167.78, 168.99, 169.80, 170.20, 171.82, 172.63], 168.344, 2.6207)
    (167.78, 172.63)
    >>> contrasting_observations([58.5, 61.0], 59.75, 1.25)
    (58.5, 62.2)
    """
    x = np.asarray(samples, dtype=float)
    a = nearest_sample(x, mu)
    z = np.abs(x - mu) / sigma
    b = float(x[int(np.argmin(np.abs(z - tail_z)))])
    if normal_pdf(b, mu, sigma) > max_ratio * normal_pdf(a, mu, sigma):
        side = -1.0 if a > mu else 1.0
        b = tidy(mu + side * (tail_z + 0.2) * sigma, sigma)
    return a, b
