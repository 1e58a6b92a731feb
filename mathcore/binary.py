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


def sampling_probability(p: float, k: int, n: int) -> float:
    """C(n, k) p^k (1-p)^(n-k): the probability of seeing k of n, computed through logs.

    >>> round(sampling_probability(0.7, 7, 10), 4)
    0.2668
    """
    log_c = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    return float(np.exp(log_c + binary_log_likelihood(p, k, n)))
