"""Two-label counts (the deck's phone-OS example): Bernoulli likelihood, NLL, gradient, MLE.

k is the count of the first label, n the total. The likelihood drops the binomial constant,
as the deck does: L(p) = p^k (1-p)^(n-k).

At the boundary the convention 0 * log 0 = 0 holds, so when p_hat is 0 or 1 the
log-likelihood at p_hat is 0.0 and the NLL is 0.0, never nan. The gradient is only defined
for p strictly inside (0, 1); at p = 0 or 1 it raises ValueError instead of leaking inf.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, xlog1py, xlogy


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


# C(n, k) is kept exactly up to this many digits (it then still fits a float); beyond, only its
# log10: the exact integer of C(20000, 10000) has 6000 digits, more than int -> str allows.
MAX_EXACT_COEFFICIENT_DIGITS = 300


@dataclass(frozen=True)
class Coefficient:
    """C(n, k) as the lecture reports and shows it: the exact integer when it has at most
    MAX_EXACT_COEFFICIENT_DIGITS digits (else None), its log10, and mantissa x 10^exponent
    (from the exact digits when known, so 1.6667 x 10^44 for C(10^15 + 3, 3) is right to
    the last digit; from the log otherwise).

    >>> c = binomial_coefficient_value(10**15 + 3, 3)
    >>> c.exact, round(c.mantissa, 4), c.exponent
    (166666666666667666666666666668500000000000001, 1.6667, 44)
    """

    exact: int | None
    log10: float
    mantissa: float
    exponent: int

    def mantissa_digits(self, decimals: int) -> tuple[str, int]:
        """The mantissa rounded to ``decimals`` places as text, and the exponent (9.9996
        becomes "1.000" and one power more)."""
        text = f"{self.mantissa:.{decimals}f}"
        if float(text) >= 10.0:
            return f"{self.mantissa / 10:.{decimals}f}", self.exponent + 1
        return text, self.exponent


def binomial_coefficient_value(n: int, k: int) -> Coefficient:
    """C(n, k) for `nll-lecture compute` and for the scenes: one function for both.

    >>> c = binomial_coefficient_value(10, 7); c.exact, c.mantissa, c.exponent
    (120, 1.2, 2)
    >>> c = binomial_coefficient_value(20000, 10000); c.exact is None, c.exponent
    (True, 6018)
    """
    log10 = log_binomial_coefficient(n, k) / math.log(10.0)
    if log10 < MAX_EXACT_COEFFICIENT_DIGITS - 1:  # margin for the log's rounding
        exact = math.comb(n, k)
        digits = str(exact)
        return Coefficient(exact, log10, float(f"{digits[0]}.{digits[1:17] or '0'}"), len(digits) - 1)
    exponent = math.floor(log10)
    mantissa = 10.0 ** (log10 - exponent)
    if mantissa >= 10.0:
        mantissa, exponent = mantissa / 10.0, exponent + 1
    return Coefficient(None, log10, mantissa, exponent)


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


def _stirling_errors(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """:func:`_stirling_error` of an array of whole numbers >= 1."""
    small = x < 30
    out = np.empty_like(x)
    xs = x[small]
    out[small] = gammaln(xs + 1.0) - (xs + 0.5) * np.log(xs) + xs - _HALF_LOG_2PI
    xl = x[~small]
    x2 = xl * xl
    out[~small] = (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * x2)) / x2) / x2) / xl
    return out


def _deviances(x: NDArray[np.float64], mean: NDArray[np.float64]) -> NDArray[np.float64]:
    """:func:`_deviance` elementwise (x > 0, mean > 0)."""
    near = np.abs(x - mean) < 0.1 * (x + mean)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = x * np.log(x / mean) + mean - x
    xn, mn = x[near], mean[near]
    v = (xn - mn) / (xn + mn)  # |v| < 0.1: the series gains two digits a term
    total = (xn - mn) * v
    term = 2.0 * xn * v
    for j in range(1, 12):
        term = term * v * v
        total = total + term / (2 * j + 1)
    out[near] = total
    return out


def log_binomial_pmf(k: ArrayLike, n: int, p: float) -> NDArray[np.float64] | float:
    """log P(K = k) for K ~ Binomial(n, p), for any k (an array too), -inf outside 0..n.

    Loader's saddle-point form, as in :func:`sampling_probability`: accurate for n up to
    10^15, where lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) loses whole units to
    cancellation (lgamma(10^15) is 3.4e16, so one rounding step of it is 4).

    >>> round(float(np.exp(log_binomial_pmf(7, 10, 0.7))), 4)
    0.2668
    """
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"the binomial pmf needs 0 <= p <= 1, got {p!r}")
    q = 1.0 - p
    k_arr = np.asarray(k, dtype=float)
    kk = np.atleast_1d(k_arr).astype(float)
    nf = float(n)
    inside = (kk >= 0) & (kk <= nf) & (kk == np.floor(kk))
    out = np.full(kk.shape, -np.inf)
    m = nf - kk
    # C(n, k) = 1 or a factor 0: the plain form is exact.
    simple = inside & ((kk == 0) | (m == 0) | (p == 0.0) | (q == 0.0))
    with np.errstate(divide="ignore"):
        out[simple] = xlogy(kk[simple], p) + xlog1py(m[simple], -p)
    general = inside & ~simple
    if np.any(general):
        kg, mg = kk[general], m[general]
        out[general] = (_stirling_errors(np.array([nf]))[0] - _stirling_errors(kg) - _stirling_errors(mg)
                        - _deviances(kg, np.full_like(kg, nf * p)) - _deviances(mg, np.full_like(mg, nf * q))
                        + 0.5 * np.log(nf / (2.0 * math.pi * kg * mg)))
    return float(out[0]) if k_arr.ndim == 0 else out.reshape(k_arr.shape)


def sampling_probability(p: float, k: int, n: int) -> float:
    """C(n, k) p^k (1-p)^(n-k): the probability of seeing k of n.

    Computed in Loader's saddle-point form (as R's dbinom and boost do), so it stays
    accurate where C(n, k) and p^k (1-p)^(n-k) are astronomically large and small
    (n up to 10^15), instead of multiplying the two through logs.

    >>> round(sampling_probability(0.7, 7, 10), 4)
    0.2668
    """
    return math.exp(log_binomial_pmf(k, n, p))
