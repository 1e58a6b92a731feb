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
from scipy.special import gammaln, ndtr, xlog1py, xlogy

from .normal import normal_pdf


def binomial_pmf(k: ArrayLike, n: int, p: float) -> NDArray[np.float64] | float:
    """P(K = k) for K ~ Binomial(n, p), computed through logs; 0 outside 0..n.

    Holds at the boundary: with p = 1 all mass sits on k = n, with p = 0 on k = 0.

    >>> round(float(binomial_pmf(7, 10, 0.7)), 4)
    0.2668
    >>> float(binomial_pmf(10, 10, 1.0)), float(binomial_pmf(9, 10, 1.0))
    (1.0, 0.0)
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"the binomial pmf needs 0 <= p <= 1, got {p!r}")
    k_arr = np.asarray(k, dtype=float)
    inside = (k_arr >= 0) & (k_arr <= n) & (k_arr == np.floor(k_arr))
    kk = np.where(inside, k_arr, 0.0)
    log_c = gammaln(n + 1.0) - gammaln(kk + 1.0) - gammaln(n - kk + 1.0)
    log_p = log_c + xlogy(kk, p) + xlog1py(n - kk, -p)
    value = np.where(inside, np.exp(log_p), 0.0)
    return float(value) if value.ndim == 0 else value


def binomial_window(n: int, ps: ArrayLike, tail: float = 1e-3, min_bars: int = 11) -> tuple[int, int]:
    """(lo, hi): the outcomes 0..n worth drawing as bars for every p in ``ps``.

    Keeps every k whose mass is at least ``tail`` times the tallest bar (for any of the
    ``ps``), then widens the window evenly to ``min_bars`` outcomes where n allows.

    >>> binomial_window(10, [0.7])
    (0, 10)
    >>> lo, hi = binomial_window(200, [0.65]); lo <= 130 <= hi and hi - lo < 80
    True
    """
    ks = np.arange(n + 1)
    keep = np.zeros(n + 1, dtype=bool)
    for p in np.atleast_1d(np.asarray(ps, dtype=float)):
        mass = np.asarray(binomial_pmf(ks, n, float(p)))
        keep |= mass >= tail * mass.max()
    where = np.flatnonzero(keep)
    lo, hi = int(where[0]), int(where[-1])
    while hi - lo + 1 < min(min_bars, n + 1):
        if lo > 0:
            lo -= 1
        if hi - lo + 1 < min(min_bars, n + 1) and hi < n:
            hi += 1
    return lo, hi


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
