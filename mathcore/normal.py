"""The normal model: densities, likelihoods of samples, maximum-likelihood estimates.

Every function takes plain floats or numpy arrays and returns floats or arrays; nothing here
knows about scenes or video.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


def normal_logpdf(x: ArrayLike, mu: ArrayLike, sigma: float) -> NDArray[np.float64]:
    """log f(x; mu, sigma) of the normal density.

    >>> round(float(normal_logpdf(0.0, 0.0, 1.0)), 4)
    -0.9189
    """
    z = (np.asarray(x, dtype=float) - np.asarray(mu, dtype=float)) / sigma
    return -0.5 * z * z - np.log(sigma) - _LOG_SQRT_2PI


def normal_pdf(x: ArrayLike, mu: ArrayLike, sigma: float) -> NDArray[np.float64]:
    """f(x; mu, sigma): the height of the normal curve at x (a density, not a probability).

    >>> round(float(normal_pdf(0.0, 0.0, 1.0)), 4)
    0.3989
    """
    return np.exp(normal_logpdf(x, mu, sigma))


def log_likelihood(samples: ArrayLike, mu: float, sigma: float) -> float:
    """log L(mu, sigma | x) = sum_i log f(x_i; mu, sigma).

    >>> round(log_likelihood([0.0, 1.0], 0.5, 1.0), 4)
    -2.0879
    """
    return float(np.sum(normal_logpdf(samples, mu, sigma)))


def likelihood(samples: ArrayLike, mu: float, sigma: float) -> float:
    """L(mu, sigma | x) = prod_i f(x_i; mu, sigma), computed as exp of the log-sum.

    For many samples this is honestly 0.0 (or inf) in floating point; use
    :func:`log_likelihood` or :func:`likelihood_scientific` to show such values.

    >>> round(likelihood([0.0, 1.0], 0.5, 1.0), 4)
    0.1239
    """
    return float(np.exp(log_likelihood(samples, mu, sigma)))


def nll(samples: ArrayLike, mu: float, sigma: float) -> float:
    """Negative log-likelihood -log L(mu, sigma | x).

    >>> round(nll([0.0, 1.0], 0.5, 1.0), 4)
    2.0879
    """
    return -log_likelihood(samples, mu, sigma)


def mle_mu(samples: ArrayLike) -> float:
    """Maximum-likelihood mean: the sample mean.

    >>> mle_mu([1.0, 2.0, 6.0])
    3.0
    """
    return float(np.mean(np.asarray(samples, dtype=float)))


def mle_sigma(samples: ArrayLike) -> float:
    """Maximum-likelihood standard deviation (ddof=0, divides by n).

    >>> round(mle_sigma([1.0, 3.0]), 4)
    1.0
    """
    return float(np.std(np.asarray(samples, dtype=float), ddof=0))


def log_likelihood_grid(samples: ArrayLike, mus: ArrayLike, sigma: float) -> NDArray[np.float64]:
    """log L(mu | x) for every mu of a grid, sigma held fixed (vectorised).

    Uses sum (x_i - mu)^2 = S2 - 2 mu S1 + n mu^2, so memory stays O(len(mus)) even for
    100 000 samples.

    >>> [round(float(v), 4) for v in log_likelihood_grid([0.0, 1.0], [0.0, 0.5], 1.0)]
    [-2.3379, -2.0879]
    """
    x = np.asarray(samples, dtype=float)
    mu = np.asarray(mus, dtype=float)
    # Centre first so the expanded square loses no precision for data far from 0.
    centre = float(np.mean(x))
    xc = x - centre
    muc = mu - centre
    n = x.size
    squares = np.sum(xc * xc) - 2.0 * muc * np.sum(xc) + n * muc * muc
    return -0.5 * squares / sigma**2 - n * (np.log(sigma) + _LOG_SQRT_2PI)


def relative_likelihood_grid(samples: ArrayLike, mus: ArrayLike, sigma: float) -> NDArray[np.float64]:
    """L(mu) / max L over the grid, in [0, 1]: the likelihood curve's shape without underflow.

    >>> float(relative_likelihood_grid([0.0, 1.0], [0.5, 3.0], 1.0)[0])
    1.0
    """
    log_l = log_likelihood_grid(samples, mus, sigma)
    return np.exp(log_l - np.max(log_l))


@dataclass(frozen=True)
class Scientific:
    """A positive number as mantissa x 10**exponent, made from its natural log.

    >>> Scientific.from_log(np.log(0.00025))
    Scientific(mantissa=2.5, exponent=-4)
    """

    mantissa: float
    exponent: int

    @classmethod
    def from_log(cls, log_value: float) -> "Scientific":
        log10 = float(log_value) / np.log(10.0)
        exponent = int(np.floor(log10))
        mantissa = round(float(10.0 ** (log10 - exponent)), 10)
        if mantissa >= 10.0:
            mantissa, exponent = mantissa / 10.0, exponent + 1
        return cls(mantissa=mantissa, exponent=exponent)


def likelihood_scientific(samples: ArrayLike, mu: float, sigma: float) -> Scientific:
    """The likelihood of any number of samples as mantissa x 10**exponent (no underflow).

    >>> likelihood_scientific([0.0] * 1000, 0.0, 1.0).exponent
    -400
    """
    return Scientific.from_log(log_likelihood(samples, mu, sigma))


@dataclass(frozen=True)
class UnderflowDemo:
    """The naive float product of densities next to the log-sum, for the "why log" scene.

    ``running_products[i]`` is the float product of the first i+1 densities. Where the
    densities are below 1 the product collapses to 0.0; where they are above 1 (tiny
    sigma, e.g. heights in metres) it overflows to inf. ``first_collapse`` is the count of
    factors at which it first became 0.0 or inf (None if it never did).

    >>> demo = underflow_demo([0.0, 3.0], 0.0, 1.0, count=500)
    >>> demo.naive_product, demo.first_collapse is not None, round(demo.log_sum, 1), demo.collapse
    (0.0, True, -1584.5, 'underflow')
    >>> underflow_demo([1.70, 1.71], 1.70, 0.01, count=300).collapse  # densities near 40
    'overflow'
    """

    count: int
    densities: tuple[float, ...]
    running_products: tuple[float, ...]
    naive_product: float
    log_sum: float
    first_collapse: int | None

    @property
    def collapse(self) -> str | None:
        """How the product first collapsed: "underflow" (to 0.0), "overflow" (to inf), or
        None if it never did. Read at ``first_collapse`` itself (a later factor could turn
        an overflowed inf into nan, never back into a number)."""
        if self.first_collapse is None:
            return None
        return "underflow" if self.running_products[self.first_collapse - 1] == 0.0 else "overflow"


def underflow_demo(samples: ArrayLike, mu: float, sigma: float, count: int = 400) -> UnderflowDemo:
    """Multiply ``count`` densities (the samples repeated in turn) the naive way and via logs."""
    x = np.resize(np.asarray(samples, dtype=float), count)
    densities = normal_pdf(x, mu, sigma)
    with np.errstate(under="ignore", over="ignore"):
        running = np.cumprod(densities)
    collapsed = np.flatnonzero((running == 0.0) | ~np.isfinite(running))
    return UnderflowDemo(
        count=count,
        densities=tuple(float(d) for d in densities),
        running_products=tuple(float(p) for p in running),
        naive_product=float(running[-1]),
        log_sum=float(np.sum(normal_logpdf(x, mu, sigma))),
        first_collapse=int(collapsed[0]) + 1 if collapsed.size else None,
    )
