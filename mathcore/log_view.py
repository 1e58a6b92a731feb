"""Numbers for the log-likelihood and NLL scenes: where to look along mu, and the float demo.

Pure numpy; nothing here knows about scenes or video.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .normal import normal_logpdf, underflow_demo


def mu_window(samples: ArrayLike, sigma: float, spread: float = 4.0) -> tuple[float, float]:
    """The mu interval where the likelihood curve lives: mu_hat +- spread * sigma / sqrt(n).

    With sigma fixed, log L(mu) is a parabola of curvature n / sigma^2, so L(mu) is a bell of
    width sigma / sqrt(n) around the sample mean; ``spread`` such widths show all of it.

    >>> [round(v, 4) for v in mu_window([1.0, 3.0], 2.0, spread=1.0)]
    [0.5858, 3.4142]
    """
    x = np.asarray(samples, dtype=float)
    centre = float(np.mean(x))
    half = spread * sigma / math.sqrt(x.size)
    return centre - half, centre + half


def running_log_sums(samples: ArrayLike, mu: float, sigma: float, count: int) -> NDArray[np.float64]:
    """sum_{i<=k} log f(x_i; mu, sigma) for k = 1..count, the samples repeated in turn.

    The log-side twin of :attr:`UnderflowDemo.running_products` (same order of factors).

    >>> [round(float(v), 4) for v in running_log_sums([0.0, 1.0], 0.0, 1.0, 3)]
    [-0.9189, -2.3379, -3.2568]
    """
    x = np.resize(np.asarray(samples, dtype=float), count)
    return np.cumsum(normal_logpdf(x, mu, sigma))


def collapse_count(
    samples: ArrayLike,
    mu: float,
    sigma: float,
    minimum: int = 300,
    limit: int = 3000,
    margin: float = 1.2,
    step: int = 100,
) -> int:
    """How many densities the float demo should multiply so the product visibly collapses.

    The first count at which the running float product becomes 0.0 or inf, times
    ``margin``, rounded up to a multiple of ``step``, at least ``minimum`` and at most
    ``limit``. If the product survives ``limit`` factors (densities close to 1), ``limit``.

    >>> collapse_count([0.0, 1.0], 0.0, 1.0)  # 0.0 after 638 factors; 638 * 1.2 -> 800
    800
    >>> collapse_count([0.0], 0.0, 1.0 / math.sqrt(2.0 * math.pi))  # every density is 1.0
    3000
    """
    demo = underflow_demo(samples, mu, sigma, count=limit)
    if demo.first_collapse is None:
        return limit
    wanted = math.ceil(demo.first_collapse * margin / step) * step
    return int(min(limit, max(minimum, wanted)))


def scientific_parts(values: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Mantissas in [1, 10) and base-10 exponents of positive floats, subnormals included.

    Zero, inf and nan have no such form: mantissa nan, exponent 0.

    >>> m, e = scientific_parts([2.5e-4, 5e-324, 0.0, 3.0e300])
    >>> [round(float(v), 4) for v in m], [int(v) for v in e]
    ([2.5, 4.9407, nan, 3.0], [-4, -324, 0, 300])
    """
    v = np.asarray(values, dtype=float)
    ok = np.isfinite(v) & (v > 0)
    log10 = np.where(ok, np.log10(np.where(ok, v, 1.0)), 0.0)
    exponent = np.floor(log10)
    mantissa = 10.0 ** (log10 - exponent)
    # Rounding can land exactly on 10.0: carry into the exponent.
    carry = mantissa >= 10.0 - 1e-12
    mantissa = np.where(carry, mantissa / 10.0, mantissa)
    exponent = np.where(carry, exponent + 1, exponent)
    mantissa = np.where(ok, mantissa, np.nan)
    return mantissa, np.where(ok, exponent, 0).astype(np.int64)
