"""What the phone-OS and gradient-descent scenes need to *draw* the two-label NLL honestly.

Pure numpy/scipy (no manim): the likelihood on a power-of-ten scale (L(p_hat) can be
1e-57, which no axis shows as-is), the p-interval where the NLL stays under a clip value
(the NLL blows up at 0 and 1), curve samples that never hold nan or inf, and the padded
window around a descent path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

from .binary import binary_log_likelihood, binary_nll, binomial_coefficient_value, p_hat
from .normal import Scientific

# The NLL is clipped at the larger of its values at these two p: the curve then shows its
# whole valley and is cut only where it shoots up near the edges.
CLIP_PROBES = (0.05, 0.95)


def likelihood_exponent(k: int, n: int) -> int:
    """The power of ten of the largest likelihood L(p_hat): the L axis is drawn in 10**e units.

    >>> likelihood_exponent(7, 10), likelihood_exponent(130, 200), likelihood_exponent(10, 10)
    (-3, -57, 0)
    """
    return Scientific.from_log(float(binary_log_likelihood(p_hat(k, n), k, n))).exponent


def scaled_likelihood(p: ArrayLike, k: int, n: int, exponent: int) -> NDArray[np.float64] | float:
    """L(p) / 10**exponent, computed through logs, so it neither underflows nor overflows.

    >>> round(float(scaled_likelihood(0.7, 7, 10, -3)), 4)
    2.2236
    """
    value = np.exp(np.asarray(binary_log_likelihood(p, k, n)) - exponent * math.log(10.0))
    return float(value) if np.ndim(value) == 0 else value


def binomial_scientific(n: int, k: int) -> Scientific:
    """C(n, k) as mantissa x 10**exponent, for coefficients too long to print: the same
    number `nll-lecture compute` reports (:func:`mathcore.binary.binomial_coefficient_value`).

    >>> binomial_scientific(200, 130)
    Scientific(mantissa=1.0181000252, exponent=55)
    >>> binomial_scientific(10**15 + 3, 3)
    Scientific(mantissa=1.6666666667, exponent=44)
    """
    value = binomial_coefficient_value(n, k)
    return Scientific(mantissa=round(value.mantissa, 10), exponent=value.exponent)


def nll_clip(k: int, n: int) -> float:
    """A clip value for drawing the NLL over (0, 1): its larger value at p = 0.05 and 0.95.

    >>> round(nll_clip(7, 10), 2)
    21.12
    """
    return float(max(binary_nll(probe, k, n) for probe in CLIP_PROBES))


def nll_window(k: int, n: int, top: float, low: float = 0.0, high: float = 1.0) -> tuple[float, float]:
    """The p-interval inside [low, high] where NLL(p) <= top.

    The NLL is convex with its minimum at p_hat, so this set is one interval; its ends are
    found by root finding. An end at 0 or 1 with a finite NLL there (k = 0 or k = n) stays.

    >>> lo, hi = nll_window(7, 10, 20.0)
    >>> round(lo, 4), round(hi, 4)
    (0.0589, 0.9987)
    """
    centre = min(max(p_hat(k, n), low), high)
    if binary_nll(centre, k, n) > top:
        raise ValueError(f"NLL at {centre} is above the clip {top}")

    def excess(p: float) -> float:
        return float(binary_nll(p, k, n)) - top

    ends = []
    for edge in (low, high):
        with np.errstate(divide="ignore"):
            edge_value = binary_nll(edge, k, n)
        if edge == centre or edge_value <= top:
            ends.append(float(edge))
            continue
        # Bracket strictly inside (0, 1), where the NLL is finite.
        inner = float(np.nextafter(edge, centre)) if edge in (0.0, 1.0) else float(edge)
        if excess(inner) <= 0:
            ends.append(inner)
        elif edge == 0.0:
            # Near 0 the crossing can be at p ~ 1e-260: solve for log p, so it is exact.
            root = brentq(lambda u: excess(math.exp(u)), math.log(inner), math.log(centre), xtol=1e-12)
            ends.append(float(math.exp(root)))
        else:
            ends.append(float(brentq(excess, min(inner, centre), max(inner, centre), xtol=1e-15)))
    return ends[0], ends[1]


def curve_samples(low: float, high: float, count: int = 240, extra: ArrayLike = ()) -> NDArray[np.float64]:
    """Sample points over [low, high]: an even grid, denser near both ends, plus ``extra``.

    >>> xs = curve_samples(0.0, 1.0, 11, extra=[0.7])
    >>> float(xs[0]), float(xs[-1]), bool(np.all(np.diff(xs) > 0)), 0.7 in xs
    (0.0, 1.0, True, True)
    """
    span = high - low
    grid = np.linspace(low, high, count)
    near = np.geomspace(1e-4, 0.05, 12) * span
    points = np.concatenate([grid, low + near, high - near, np.asarray(extra, dtype=float)])
    points = points[(points >= low) & (points <= high)]
    return np.unique(points)


@dataclass(frozen=True)
class DescentWindow:
    """The p- and NLL-ranges that frame a descent path and p_hat, padded, inside [0, 1]."""

    p_low: float
    p_high: float
    nll_low: float
    nll_high: float


def descent_window(ps: ArrayLike, nlls: ArrayLike, k: int, n: int, pad: float = 0.12) -> DescentWindow:
    """Frame a descent path: its p-span and p_hat padded by ``pad`` of the span, clipped to
    [0, 1]; its NLL-span from NLL(p_hat) to the path's highest NLL, padded the same way.

    >>> w = descent_window([0.2, 0.5, 0.7], [11.9, 6.8, 6.1], 7, 10)
    >>> round(w.p_low, 2), round(w.p_high, 2), round(w.nll_high, 2)
    (0.14, 0.76, 12.59)
    """
    ps = np.asarray(ps, dtype=float)
    nlls = np.asarray(nlls, dtype=float)
    target = p_hat(k, n)
    p_low, p_high = min(float(ps.min()), target), max(float(ps.max()), target)
    p_span = max(p_high - p_low, 1e-6)
    p_low = max(0.0, p_low - pad * p_span)
    p_high = min(1.0, p_high + pad * p_span)
    finite = nlls[np.isfinite(nlls)]
    nll_low = float(binary_nll(target, k, n))
    nll_high = float(finite.max()) if finite.size else nll_low + 1.0
    nll_span = max(nll_high - nll_low, 1e-9)
    return DescentWindow(
        p_low=p_low,
        p_high=p_high,
        nll_low=max(0.0, nll_low - pad * nll_span),
        nll_high=nll_high + pad * nll_span,
    )
