"""Gradient descent on the two-label NLL, and defaults chosen from the data.

The step rule is p <- p - learning_rate * dNLL/dp. A step that would leave (0, 1) is
*shrunk*: halved until the new p lies strictly inside, so the path never leaves the open
interval and every NLL on it is finite. A step that raises the NLL marks the run as
diverged (a learning rate too large for this data), and so does a step that still leaves
(0, 1) after 200 halvings (it is not taken); the path is still returned, flagged.

"Converged" means the final p lies within ``tolerance`` of p_hat (CONVERGENCE_FRACTION of
the start's distance from p_hat: |p - p_hat| <= tolerance), without any step having raised
the NLL. The gradient has "vanished" when it is at most GRADIENT_ZERO_FRACTION of the
start's and under GRADIENT_ZERO in size (it reads as 0.00 to two decimals; the NLL and p
have no units, so neither has the gradient): a converged run need not get there (the
gradient near p_hat is the NLL's curvature times |p - p_hat|, and that curvature grows
with the counts).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .binary import binary_nll, binary_nll_gradient, p_hat

CONVERGENCE_FRACTION = 0.01
GRADIENT_ZERO_FRACTION = 0.001
GRADIENT_ZERO = 0.005
_MAX_HALVINGS = 200
# Default paths converge at their last step, aiming for this many steps (a window a viewer
# can follow): every step still moves p, none is spent standing at p_hat.
_TARGET_STEPS = 20
_MIN_STEPS, _MAX_STEPS = 15, 30
_RISE_SLACK = 1e-12  # an NLL "rises" when it grows by more than this (relative)


@dataclass(frozen=True)
class DescentPath:
    """Every step of a gradient-descent run: p, NLL(p) and dNLL/dp, start included.

    >>> path = descent_path(7, 10, start=0.2, learning_rate=0.005, steps=19)
    >>> path.converged, path.converged_at, round(path.tolerance, 6), round(path.ps[-1], 4)
    (True, 19, 0.005, 0.696)
    """

    start: float
    learning_rate: float
    steps: int
    ps: tuple[float, ...]
    nlls: tuple[float, ...]
    gradients: tuple[float, ...]
    converged: bool
    diverged: bool
    converged_at: int | None
    tolerance: float
    blocked: tuple[int, ...] = ()  # steps that could not be taken (p stayed where it was)
    target: float = float("nan")   # p_hat, the minimum the run aims at

    @property
    def final_p(self) -> float:
        return self.ps[-1]

    @property
    def rises(self) -> int:
        """How many steps raised the NLL (a step that could not be taken leaves it as it was).

        >>> descent_path(55, 100, start=0.9, learning_rate=0.05, steps=12).rises
        6
        """
        return sum(1 for a, b in zip(self.nlls, self.nlls[1:]) if not b <= a + _RISE_SLACK * max(1.0, abs(a)))

    @property
    def crossings(self) -> int:
        """How many steps jumped p to the other side of p_hat (overshooting the minimum)."""
        target = self.target
        sides = [math.copysign(1.0, p - target) for p in self.ps if p != target]
        return sum(1 for a, b in zip(sides, sides[1:]) if a != b)

    @property
    def oscillating(self) -> bool:
        """p jumps from one side of p_hat to the other on at least two steps (a zigzag), whether
        or not the NLL still falls."""
        return self.crossings >= 2

    @property
    def step_sizes(self) -> tuple[float, ...]:
        """|p_k - p_(k-1)| for every step."""
        return tuple(abs(b - a) for a, b in zip(self.ps, self.ps[1:]))

    @property
    def steps_shrink(self) -> bool:
        """Every step is no longer than the one before it (what "the steps get smaller" claims).

        >>> descent_path(7, 10, start=0.2, learning_rate=0.005, steps=19).steps_shrink
        True
        >>> descent_path(55, 100, start=0.9, learning_rate=0.05, steps=12).steps_shrink
        False
        """
        sizes = self.step_sizes
        moved = bool(sizes) and max(sizes) > 0.0  # a run that never moved has no steps to shrink
        return moved and all(b <= a * (1 + 1e-9) for a, b in zip(sizes, sizes[1:]))


    @property
    def gradient_vanished(self) -> bool:
        """The last gradient is at most GRADIENT_ZERO_FRACTION of the first and under
        GRADIENT_ZERO (in size): it looks like 0, not just smaller."""
        last = abs(self.gradients[-1])
        return last <= GRADIENT_ZERO_FRACTION * abs(self.gradients[0]) and last < GRADIENT_ZERO


def _step(p: float, gradient: float, learning_rate: float) -> tuple[float, bool]:
    """(the next p, whether the step could be taken): a step that still leaves (0, 1) after
    _MAX_HALVINGS halvings (learning_rate 1e300: the step is 1e301 long, inf for steep
    gradients) is not taken, and the run counts as diverged."""
    step = learning_rate * gradient
    for _ in range(_MAX_HALVINGS):
        candidate = p - step
        if 0.0 < candidate < 1.0:
            return candidate, True
        step /= 2.0
    return p, False


def descent_path(k: int, n: int, start: float, learning_rate: float, steps: int) -> DescentPath:
    """Run gradient descent on NLL(p) = -k log p - (n-k) log(1-p) from ``start``."""
    if not 0.0 < start < 1.0:
        raise ValueError(f"start must lie in (0, 1), got {start}")
    if not learning_rate > 0.0:
        raise ValueError(f"learning_rate must be > 0, got {learning_rate}")
    target = p_hat(k, n)
    tolerance = convergence_tolerance(start, target)
    ps, nlls, grads = [start], [binary_nll(start, k, n)], [binary_nll_gradient(start, k, n)]
    blocked: list[int] = []
    diverged = False
    converged_at = 0 if abs(start - target) <= tolerance else None
    for step_index in range(1, steps + 1):
        p, taken = _step(ps[-1], grads[-1], learning_rate)
        value = binary_nll(p, k, n)
        if not taken:
            blocked.append(step_index)
        if not taken or not np.isfinite(value) or value > nlls[-1] + 1e-12 * max(1.0, abs(nlls[-1])):
            diverged = True
        ps.append(p)
        nlls.append(value)
        grads.append(binary_nll_gradient(p, k, n))
        if converged_at is None and abs(p - target) <= tolerance:
            converged_at = step_index
    converged = not diverged and abs(ps[-1] - target) <= tolerance
    return DescentPath(
        start=start,
        learning_rate=learning_rate,
        steps=steps,
        ps=tuple(ps),
        nlls=tuple(nlls),
        gradients=tuple(grads),
        converged=converged,
        diverged=diverged,
        converged_at=converged_at if converged else None,
        tolerance=tolerance,
        blocked=tuple(blocked),
        target=float(target),
    )


def convergence_tolerance(start: float, target: float) -> float:
    """How close to p_hat a run must end to count as converged: CONVERGENCE_FRACTION of the
    start's distance (plus 1e-12, so a start at p_hat has converged).

    >>> convergence_tolerance(0.2, 0.7)
    0.005000000001
    """
    return CONVERGENCE_FRACTION * abs(start - target) + 1e-12


@dataclass(frozen=True)
class DescentSettings:
    """Start, learning rate and step count of the lecture's descent.

    >>> default_descent(7, 10).start
    0.2
    """

    start: float
    learning_rate: float
    steps: int


def _default_start(target: float, distance: float) -> float:
    start = target + distance if target < 0.5 else target - distance
    return float(min(max(start, 0.1), 0.9)) if distance >= 0.45 else float(start)


def default_descent(k: int, n: int) -> DescentSettings:
    """Settings that converge visibly, in 15-30 steps, at the last step, for these counts.

    The start lies 0.5 from p_hat (0.2 for the deck's 7/3). Learning rates are tried on a
    geometric grid scaled by the NLL's curvature at p_hat; the one converging nearest
    _TARGET_STEPS steps wins, and the run stops at the step where it converges (no step
    is spent standing still at p_hat). Where no rate converges in time (very lopsided
    counts make the NLL ill-conditioned far from p_hat) the start moves halfway closer and
    the search repeats.
    """
    target = p_hat(k, n)
    distance = 0.5
    for _ in range(60):
        start = _default_start(target, distance)
        if 0.0 < start < 1.0 and start != target:
            best = None
            # Stable rates lie below 2 / curvature; curvature varies along the path, so the
            # grid spans the flattest to the steepest point between start and p_hat.
            lowest = 0.02 / _curvature(min(max(target, 1e-12), 1 - 1e-12), k, n)
            highest = 2.0 / _curvature(start, k, n)
            for rate in np.geomspace(min(lowest, highest), max(lowest, highest) * 4.0, 90):
                path = descent_path(k, n, start, float(rate), _MAX_STEPS + 5)
                if path.diverged or path.converged_at is None:
                    continue
                score = abs(path.converged_at - _TARGET_STEPS)
                if _MIN_STEPS <= path.converged_at <= _MAX_STEPS and (best is None or score < best[0]):
                    best = (score, float(rate), path.converged_at)
            if best is not None:
                start, rate = round(start, 6), _round_sig(best[1])
                path = descent_path(k, n, start, rate, _MAX_STEPS + 5)  # the rounded rate's own run
                if not path.diverged and path.converged_at is not None and path.converged_at >= 1:
                    return DescentSettings(start, rate, path.converged_at)
        distance /= 2.0
    raise RuntimeError(f"no converging descent found for counts {k}/{n - k}")  # pragma: no cover


def _curvature(p: float, k: int, n: int) -> float:
    return k / p**2 + (n - k) / (1.0 - p) ** 2


def _round_sig(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}")


def divergence_cause(k: int, n: int, start: float, learning_rate: float, steps: int) -> str | None:
    """Why a run diverges, found by trying the alternatives (None: it does not diverge).

    "start": the same learning rate descends from a start 0.5 from p_hat (the default
    start; a start next to 0 or 1 has a gradient so large that any step overshoots);
    "rate": from this start a rate 10, 100 or 1000 times smaller does not diverge;
    "both": neither change alone is enough.

    >>> divergence_cause(55, 100, 0.9, 0.05, 12), divergence_cause(7, 10, 1e-300, 0.005, 19)
    ('rate', 'start')
    >>> divergence_cause(7, 10, 0.2, 0.005, 19) is None
    True
    """
    if not descent_path(k, n, start, learning_rate, steps).diverged:
        return None
    target = p_hat(k, n)
    usual = _default_start(target, 0.5)
    if 0.0 < usual < 1.0 and not descent_path(k, n, usual, learning_rate, steps).diverged:
        return "start"
    for shrink in (10.0, 100.0, 1000.0):
        if not descent_path(k, n, start, learning_rate / shrink, steps).diverged:
            return "rate"
    return "both"


def start_digits(start: float) -> int:
    """Significant digits that show a start in (0, 1) truly: 4 unless that would round it
    onto 0 or 1 (or far from itself next to them), then as many as it needs.

    >>> start_digits(0.2), start_digits(0.9999999999999999), start_digits(0.99995), start_digits(1e-300)
    (4, 16, 5, 4)
    """
    room = min(start, 1.0 - start)
    for digits in range(4, 18):
        shown = float(f"{start:.{digits}g}")
        if 0.0 < shown < 1.0 and abs(shown - start) <= 0.01 * room:
            return digits
    return 17
