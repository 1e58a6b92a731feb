"""Numbers that decide how the heights scenes look: view ranges, decimals, subsamples, grids.

Pure numpy, no manim: the scenes "height-samples" and "maximum-likelihood" call these so
their axes, readouts and curve sampling adapt to any data file (cm, m, in, kg; 2 to 100 000
samples).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .axis import MAX_TICKS, Ticks, axis_ticks
from .normal import log_likelihood_grid, normal_logpdf

_SQRT_2PI = math.sqrt(2.0 * math.pi)


def density_peak(sigma: float) -> float:
    """The height of the normal curve at its mean, 1 / (sigma sqrt(2 pi)).

    >>> round(density_peak(1.0), 4)
    0.3989
    """
    return 1.0 / (sigma * _SQRT_2PI)


def view_interval(samples: ArrayLike, centres: ArrayLike, sigma: float, spread: float = 3.0) -> tuple[float, float]:
    """The data interval a heights axis must show: every sample and every curve centred at
    ``centres`` out to ``spread`` standard deviations.

    >>> view_interval([1.0, 2.0], [1.5], 1.0)
    (-1.5, 4.5)
    """
    x = np.asarray(samples, dtype=float)
    c = np.asarray(centres, dtype=float)
    low = min(float(x.min()), float(c.min()) - spread * sigma)
    high = max(float(x.max()), float(c.max()) + spread * sigma)
    return low, high


def axis_window(low: float, high: float, target_ticks: int = 6, min_ticks: int = 4) -> Ticks:
    """Ticks for an axis that runs from ``low`` to ``high`` exactly, not out to the round
    numbers beyond them: the round ticks of :func:`mathcore.axis.axis_ticks` that fall inside
    (at least ``min_ticks``; more ticks are tried when too few fall inside). ``start`` and
    ``end`` are the window's ends, so the data fill the axis (1.35 to 2.08 m stays that,
    instead of 1.2 to 2.2). A span too small for floats falls back to the widened ticks.

    >>> t = axis_window(1.3488, 2.0832)
    >>> t.start, t.end, t.labels
    (1.3488, 2.0832, ('1.4', '1.6', '1.8', '2.0'))
    >>> axis_window(155.14, 181.46).labels
    ('160', '165', '170', '175', '180')
    """
    low, high = float(min(low, high)), float(max(low, high))
    ticks = axis_ticks(low, high, target_ticks)
    if not ticks.start < ticks.end or ticks.start < low - (high - low) or ticks.end > high + (high - low):
        return ticks  # the span was widened (too small to subdivide): keep axis_ticks' own
    slack = 1e-9 * (high - low)
    for target in range(max(1, target_ticks), MAX_TICKS - 1):
        ticks = axis_ticks(low, high, target)
        inside = [i for i, v in enumerate(ticks.values) if low - slack <= v <= high + slack]
        if len(inside) >= min_ticks:
            return replace(ticks, start=low, end=high, values=tuple(ticks.values[i] for i in inside),
                           labels=tuple(ticks.labels[i] for i in inside))
    return ticks


def decimals_to_show(values: ArrayLike, max_decimals: int = 6) -> int:
    """The fewest decimal places (at most ``max_decimals``) that write every value exactly.

    >>> decimals_to_show([163.0, 168.3]), decimals_to_show([59.75]), decimals_to_show([1 / 3], 4)
    (1, 2, 4)
    """
    x = np.asarray(values, dtype=float).ravel()
    for decimals in range(max_decimals + 1):
        rounded = np.round(x, decimals)
        if np.all(np.abs(rounded - x) <= 1e-9 * np.maximum(1.0, np.abs(x))):
            return decimals
    return max_decimals


def display_subsample(samples: ArrayLike, limit: int = 60) -> NDArray[np.float64]:
    """At most ``limit`` samples to draw, sorted: all of them if there are few, else evenly
    spaced order statistics (the minimum and maximum included), so the drawing keeps the
    data's shape.

    >>> display_subsample([3.0, 1.0, 2.0]).tolist()
    [1.0, 2.0, 3.0]
    >>> display_subsample(range(100), limit=5).tolist()
    [0.0, 25.0, 50.0, 74.0, 99.0]
    """
    x = np.sort(np.asarray(samples, dtype=float))
    if x.size <= limit:
        return x
    picks = np.round(np.linspace(0, x.size - 1, limit)).astype(int)
    return x[picks]


def comparison_signs(values: ArrayLike, rel_tol: float = 1e-12) -> tuple[str, ...]:
    """The signs between neighbours: "<", ">" or "=" (equal within ``rel_tol``).

    Works on log-likelihoods just as on likelihoods, since log is increasing.

    >>> comparison_signs([-44.6, -23.8, -43.9])
    ('<', '>')
    """
    v = [float(a) for a in np.asarray(values, dtype=float).ravel()]
    signs = []
    for left, right in zip(v, v[1:]):
        if math.isclose(left, right, rel_tol=rel_tol, abs_tol=0.0):
            signs.append("=")
        else:
            signs.append("<" if left < right else ">")
    return tuple(signs)


def likelihood_width(n: int, sigma: float) -> float:
    """Standard deviation of the (Gaussian-shaped) likelihood of mu: sigma / sqrt(n).

    >>> likelihood_width(100, 2.0)
    0.2
    """
    return sigma / math.sqrt(n)


def sweep_grid(low: float, high: float, n: int, sigma: float, points_per_width: int = 6, min_points: int = 200,
               max_points: int = 4000, centre: float | None = None) -> NDArray[np.float64]:
    """An evenly spaced grid of mu over [low, high], fine enough that the likelihood curve's
    peak (width sigma / sqrt(n)) gets ``points_per_width`` points per standard deviation.

    When ``max_points`` cannot do that (a peak a millionth of the range wide) and the peak's
    ``centre`` is given, points_per_width points per width within 5 widths of it are added,
    so the peak is drawn rather than stepped over.

    >>> g = sweep_grid(0.0, 10.0, 4, 1.0)
    >>> g.size, float(g[0]), float(g[-1])
    (200, 0.0, 10.0)
    >>> g = sweep_grid(-1e6, 1e6, 3, 8.0, centre=170.0)
    >>> bool(np.all(np.diff(g) > 0)), int(np.sum(np.abs(g - 170.0) < 4.62))
    (True, 13)
    """
    width = likelihood_width(n, sigma)
    count = math.ceil((high - low) / width * points_per_width) + 1
    grid = np.linspace(low, high, int(min(max(count, min_points), max_points)))
    if count > max_points and centre is not None:
        near = centre + width * np.linspace(-5.0, 5.0, 10 * points_per_width + 1)
        grid = np.unique(np.concatenate([grid, near[(near > low) & (near < high)]]))
    return grid


def relative_likelihood_curve(samples: ArrayLike, mus: ArrayLike, sigma: float) -> NDArray[np.float64]:
    """L(mu) / L(mu_hat) for a grid of mu, where mu_hat is the sample mean (the true maximum,
    not the best grid point), so the curve peaks at 1 exactly at the sample mean.

    >>> [round(float(v), 4) for v in relative_likelihood_curve([0.0, 1.0], [0.5, 1.5], 1.0)]
    [1.0, 0.3679]
    """
    x = np.asarray(samples, dtype=float)
    mu_hat = float(np.mean(x))
    log_l = log_likelihood_grid(x, mus, sigma)
    log_max = float(log_likelihood_grid(x, [mu_hat], sigma)[0])
    return np.exp(np.minimum(log_l - log_max, 0.0))


def log_densities(samples: ArrayLike, mu: float, sigma: float) -> NDArray[np.float64]:
    """log f(x_i; mu, sigma) for each sample (the log-heights of the segments).

    >>> [round(float(v), 4) for v in log_densities([0.0, 1.0], 0.0, 1.0)]
    [-0.9189, -1.4189]
    """
    return normal_logpdf(samples, mu, sigma)
