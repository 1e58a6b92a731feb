"""Two-label counts (the deck's phone-OS example): Bernoulli likelihood, NLL, gradient, MLE.

k is the count of the first label, n the total. The likelihood drops the binomial constant,
as the deck does: L(p) = p^k (1-p)^(n-k).

At the boundary the convention 0 * log 0 = 0 holds, so when p_hat is 0 or 1 the
log-likelihood at p_hat is 0.0 and the NLL is 0.0, never nan. The gradient is only defined
for p strictly inside (0, 1); at p = 0 or 1 it raises ValueError instead of leaking inf.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import xlog1py, xlogy


def p_hat(k: int, n: int) -> float:
    """The maximum-likelihood estimate k / n.

    >>> p_hat(7, 10)
    0.7
    """
    return k / n


def binary_log_likelihood(p: ArrayLike, k: int, n: int) -> NDArray[np.float64] | float:
    """log L(p) = k log p + (n-k) log(1-p), with 0 log 0 = 0.

    >>> round(float(binary_log_likelihood(0.7, 7, 10)), 4)
    -6.1086
    """
    p = np.asarray(p, dtype=float)
    value = xlogy(k, p) + xlog1py(n - k, -p)
    return float(value) if value.ndim == 0 else value


def binary_likelihood(p: ArrayLike, k: int, n: int) -> NDArray[np.float64] | float:
    """L(p) = p^k (1-p)^(n-k), the deck's likelihood without the C(n, k) constant.

    >>> round(float(binary_likelihood(0.7, 7, 10)), 6)
    0.002224
    """
    value = np.exp(binary_log_likelihood(p, k, n))
    return float(value) if np.ndim(value) == 0 else value


def binary_nll(p: ArrayLike, k: int, n: int) -> NDArray[np.float64] | float:
    """NLL(p) = -k log p - (n-k) log(1-p).

    >>> round(float(binary_nll(0.7, 7, 10)), 4)
    6.1086
    """
    value = -np.asarray(binary_log_likelihood(p, k, n))
    return float(value) if value.ndim == 0 else value


def binary_nll_gradient(p: ArrayLike, k: int, n: int) -> NDArray[np.float64] | float:
    """dNLL/dp = -k/p + (n-k)/(1-p), for p strictly inside (0, 1).

    >>> round(float(binary_nll_gradient(0.2, 7, 10)), 4)
    -31.25
    """
    p = np.asarray(p, dtype=float)
    if np.any((p <= 0.0) | (p >= 1.0)):
        raise ValueError(f"the NLL gradient needs 0 < p < 1, got {p!r}")
    value = -k / p + (n - k) / (1.0 - p)
    return float(value) if value.ndim == 0 else value


def binomial_coefficient(n: int, k: int) -> int:
    """C(n, k), exact.

    >>> binomial_coefficient(10, 7)
    120
    """
    return math.comb(n, k)


_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def _stirling_error(x: int) -> float:
    """log(x!) - [(x + 1/2) log x - x + log(2 pi) / 2], for x >= 1 (small, no cancellation)."""
    if x < 30:
        return math.lgamma(x + 1) - (x + 0.5) * math.log(x) + x - _HALF_LOG_2PI
    x2 = float(x) * x
    return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * x2)) / x2) / x2) / x


def log_binomial_coefficient(n: int, k: int) -> float:
    """log C(n, k), accurate and cheap for any counts, where the exact C(n, k) of
    :func:`binomial_coefficient` can have millions of digits (C(2 000 000, 1 000 000)).

    Not lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1): for lopsided large counts that difference
    of huge numbers cancels (off by 1.8 for C(10^15, 3)). Stirling's form with its error terms
    (Loader's) sums positive terms only.

    >>> round(log_binomial_coefficient(10, 7), 12) == round(math.log(120), 12)
    True
    """
    m = n - k
    if k == 0 or m == 0:
        return 0.0
    return (_stirling_error(n) - _stirling_error(k) - _stirling_error(m)
            + 0.5 * math.log(n / (2.0 * math.pi * k * m))
            + _x_log_n_over_x(k, m, n) + _x_log_n_over_x(m, k, n))


def _x_log_n_over_x(x: int, rest: int, n: int) -> float:
    """x log(n / x) with n = x + rest; through log1p(-rest/n) when n / x is close to 1."""
    return x * math.log(n / x) if 2 * x < n else -x * math.log1p(-rest / n)


def _deviance(x: float, mean: float) -> float:
    """x log(x / mean) + mean - x, with no cancellation when x is close to mean (Loader's bd0)."""
    if abs(x - mean) < 0.1 * (x + mean):
        v = (x - mean) / (x + mean)
        total = (x - mean) * v
        term = 2.0 * x * v
        for j in range(1, 1000):
            term *= v * v
            bigger = total + term / (2 * j + 1)
            if bigger == total:
                break
            total = bigger
        return total
    return x * math.log(x / mean) + mean - x


def sampling_probability(p: float, k: int, n: int) -> float:
    """C(n, k) p^k (1-p)^(n-k): the probability of seeing k of n.

    Computed in Loader's saddle-point form (as R's dbinom and boost do), so it stays
    accurate where C(n, k) and p^k (1-p)^(n-k) are astronomically large and small
    (n up to 10^15), instead of multiplying the two through logs.

    >>> round(sampling_probability(0.7, 7, 10), 4)
    0.2668
    """
    p = float(p)
    q = 1.0 - p
    m = n - k
    if p <= 0.0 or q <= 0.0 or k == 0 or m == 0:
        return float(np.exp(binary_log_likelihood(p, k, n)))  # C(n, k) is 1, or a factor is 0
    log_pmf = (_stirling_error(n) - _stirling_error(k) - _stirling_error(m)
               - _deviance(k, n * p) - _deviance(m, n * q)
               + 0.5 * math.log(n / (2.0 * math.pi * k * m)))
    return math.exp(log_pmf)
