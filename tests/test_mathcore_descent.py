"""mathcore.descent: the step rule, divergence flags, and the data-chosen default descent."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mathcore import DescentPath, binary_nll, default_descent, descent_path
from mathcore.descent import CONVERGENCE_FRACTION, GRADIENT_ZERO_FRACTION, convergence_tolerance
from scipy import optimize


def _independent_nll(p, k, n):
    # 0 * log 0 = 0 written out by hand, not through mathcore
    a = k * math.log(p) if k else 0.0
    b = (n - k) * math.log1p(-p) if n - k else 0.0
    return -(a + b)


def _assert_path_sane(path: DescentPath, k: int, n: int):
    assert len(path.ps) == len(path.nlls) == len(path.gradients) == path.steps + 1
    for p, value, grad in zip(path.ps, path.nlls, path.gradients):
        assert 0.0 < p < 1.0
        assert math.isfinite(value) and math.isfinite(grad)
        assert value == pytest.approx(_independent_nll(p, k, n), rel=1e-9, abs=1e-9)
        assert grad == pytest.approx(-k / p + (n - k) / (1 - p), rel=1e-9, abs=1e-9)


def test_deck_descent_follows_the_update_rule():
    path = descent_path(7, 10, start=0.2, learning_rate=0.01, steps=30)
    _assert_path_sane(path, 7, 10)
    assert path.ps[0] == 0.2
    for before, after in zip(path.ps, path.ps[1:]):
        expected = before - 0.01 * (-7 / before + 3 / (1 - before))
        assert 0.0 < expected < 1.0  # this run never needs to shrink a step
        assert after == pytest.approx(expected, rel=1e-12)
    assert path.converged and not path.diverged
    assert path.final_p == pytest.approx(0.7, abs=1e-6)
    assert np.all(np.diff(path.nlls) <= 1e-12)
    assert abs(path.ps[path.converged_at] - 0.7) <= CONVERGENCE_FRACTION * 0.5 + 1e-12
    assert abs(path.ps[path.converged_at - 1] - 0.7) > CONVERGENCE_FRACTION * 0.5


def test_too_large_learning_rate_is_flagged_diverged():
    path = descent_path(130, 200, start=0.2, learning_rate=0.01, steps=30)
    _assert_path_sane(path, 130, 200)
    assert path.diverged
    assert not path.converged and path.converged_at is None
    assert any(b > a for a, b in zip(path.nlls, path.nlls[1:]))


def test_overshooting_step_is_shrunk_inside_the_interval():
    # From 0.9 with counts 1/9 the first plain step lands far below 0.
    plain = 0.9 - 1.0 * (-1 / 0.9 + 9 / 0.1)
    assert plain < 0.0
    path = descent_path(1, 10, start=0.9, learning_rate=1.0, steps=5)
    _assert_path_sane(path, 1, 10)
    assert 0.0 < path.ps[1] < 0.9


def test_too_few_steps_is_neither_converged_nor_diverged():
    path = descent_path(7, 10, start=0.2, learning_rate=0.0001, steps=5)
    assert not path.converged and not path.diverged and path.converged_at is None


@pytest.mark.parametrize("start", [0.0, 1.0, -0.5, 1.5, math.nan])
def test_bad_start_raises(start):
    with pytest.raises(ValueError):
        descent_path(7, 10, start=start, learning_rate=0.01, steps=3)


@pytest.mark.parametrize("rate", [0.0, -0.01, math.nan])
def test_bad_learning_rate_raises(rate):
    with pytest.raises(ValueError):
        descent_path(7, 10, start=0.2, learning_rate=rate, steps=3)


@st.composite
def counts(draw, max_count=10**6):
    a = draw(st.integers(0, max_count))
    b = draw(st.integers(0, max_count))
    if a + b == 0:
        a = 1
    return a, b


@settings(max_examples=150, deadline=None)
@given(ab=counts(), start=st.floats(1e-6, 1 - 1e-6),
       rate=st.floats(-10.0, 1.0).map(lambda e: 10.0**e), steps=st.integers(1, 60))
@example(ab=(130, 70), start=0.2, rate=0.01, steps=30)
@example(ab=(0, 10), start=0.5, rate=10.0, steps=30)
@example(ab=(10**6, 0), start=1e-6, rate=10.0, steps=60)
@example(ab=(1, 10**6), start=1 - 1e-6, rate=10.0, steps=60)
def test_any_descent_stays_inside_and_finite(ab, start, rate, steps):
    k, n = ab[0], ab[0] + ab[1]
    path = descent_path(k, n, start=start, learning_rate=rate, steps=steps)
    assert len(path.ps) == steps + 1 and path.ps[0] == start
    assert all(0.0 < p < 1.0 for p in path.ps)
    assert all(math.isfinite(v) for v in path.nlls + path.gradients)
    if not path.diverged:
        assert all(b <= a + 1e-12 * max(1.0, abs(a)) for a, b in zip(path.nlls, path.nlls[1:]))
    else:
        assert not path.converged
    if path.converged:
        assert path.converged_at is not None
        assert abs(path.final_p - k / n) <= CONVERGENCE_FRACTION * abs(start - k / n) + 1e-12


# --- defaults chosen from the data -----------------------------------------------------------

def _check_default(k: int, n: int):
    settings_ = default_descent(k, n)
    assert 0.0 < settings_.start < 1.0 and settings_.start != k / n
    assert settings_.learning_rate > 0.0 and math.isfinite(settings_.learning_rate)
    assert isinstance(settings_.steps, int) and 1 <= settings_.steps <= 40
    path = descent_path(k, n, settings_.start, settings_.learning_rate, settings_.steps)
    assert path.converged and not path.diverged
    # visibly converging: neither a jump to the answer nor more steps than the scene shows
    assert 15 <= path.converged_at <= 40
    assert all(0.0 < p < 1.0 for p in path.ps)
    assert path.final_p == pytest.approx(k / n, abs=CONVERGENCE_FRACTION * abs(settings_.start - k / n) + 1e-12)
    # it uses its steps: converged exactly at the last one, and every step still moves p
    # (at least 0.1% of the way from the start; the deck's 30 steps at rate 0.01 stood
    # still for 21 of them)
    assert path.converged_at == settings_.steps
    distance = abs(settings_.start - k / n)
    assert min(abs(b - a) for a, b in zip(path.ps, path.ps[1:])) >= 1e-3 * distance


def test_deck_default_start():
    assert default_descent(7, 10).start == 0.2


def test_deck_descent_converges_at_its_last_step():
    """The deck's [descent] (0.2, 0.005, 19 steps): converged by the stated criterion
    |p - p_hat| <= 0.005 at step 19 exactly, not before; p_hat = 0.7 is scipy's minimiser."""
    from mathcore import load_data

    d = load_data(None).descent
    path = descent_path(7, 10, d.start, d.learning_rate, d.steps)
    found = optimize.minimize_scalar(lambda p: _independent_nll(p, 7, 10), bounds=(1e-9, 1 - 1e-9),
                                     method="bounded", options={"xatol": 1e-10})
    assert found.x == pytest.approx(0.7, abs=1e-7)
    assert path.tolerance == pytest.approx(0.005, abs=1e-11)
    assert path.converged and path.converged_at == d.steps == 19
    assert abs(path.ps[-1] - found.x) <= 0.005 < abs(path.ps[-2] - found.x)
    # the gradient shrank but has not vanished (|g| > 0.1% of the start's): the scene
    # must not call it 0
    assert path.gradients[0] == pytest.approx(-7 / 0.2 + 3 / 0.8, rel=1e-12)
    assert not path.gradient_vanished
    assert abs(path.gradients[-1]) > GRADIENT_ZERO_FRACTION * abs(path.gradients[0])


def test_gradient_vanished_against_exact_gradients():
    # 30 steps at rate 0.01: the last gradient is about -1e-7, well under 0.1% of -31.25
    long_run = descent_path(7, 10, 0.2, 0.01, 30)
    assert long_run.gradients[-1] == pytest.approx(-7 / long_run.ps[-1] + 3 / (1 - long_run.ps[-1]), rel=1e-9)
    assert long_run.gradient_vanished and abs(long_run.gradients[-1]) < 1e-6
    # the review's 31/19 with the old 30-step default: p within tolerance, gradient -0.426
    review = descent_path(31, 50, 0.12, 0.000769, 30)
    assert review.converged and review.gradients[-1] == pytest.approx(-0.426, abs=5e-4)
    assert not review.gradient_vanished


def test_convergence_tolerance_is_one_percent_of_the_start_distance():
    assert convergence_tolerance(0.2, 0.7) == pytest.approx(0.005, abs=1e-11)
    assert convergence_tolerance(0.12, 0.62) == pytest.approx(0.005, abs=1e-11)
    assert convergence_tolerance(0.5, 0.5) == pytest.approx(0.0, abs=1e-11)  # a start at p_hat has converged
    assert descent_path(31, 50, 0.12, 0.001, 5).tolerance == convergence_tolerance(0.12, 31 / 50)


@pytest.mark.parametrize("ab", [(7, 3), (0, 1), (1, 0), (0, 10), (10, 0), (0, 10**6), (10**6, 0), (1, 10**6),
                                (10**6, 1), (130, 70), (1, 199), (50, 50), (10**6, 10**6), (3, 999_997)])
def test_default_descent_converges_for_named_counts(ab):
    _check_default(ab[0], ab[0] + ab[1])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ab=st.one_of(counts(max_count=100), counts()))
def test_default_descent_converges_for_any_counts(ab):
    _check_default(ab[0], ab[0] + ab[1])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small=st.integers(0, 20), large=st.integers(10**4, 10**6), flip=st.booleans())
def test_default_descent_converges_for_lopsided_counts(small, large, flip):
    a, b = (large, small) if flip else (small, large)
    _check_default(a, a + b)


def test_binary_nll_used_by_descent_is_the_module_one():
    # the path's NLL column is mathcore's binary_nll, value for value
    path = descent_path(13, 20, 0.4, 0.005, 10)
    assert list(path.nlls) == [binary_nll(p, 13, 20) for p in path.ps]


def test_a_rate_whose_steps_cannot_stay_inside_is_diverged():
    """learning_rate 1e300: every step is ~1e301 long; 200 halvings leave it outside (0, 1),
    so p never moved, no NLL rose, and the run was reported "not converged" (README: a rate
    too large for the data is reported as diverged)."""
    path = descent_path(7, 10, start=0.2, learning_rate=1e300, steps=30)
    assert path.diverged and not path.converged
    assert set(path.ps) == {0.2}  # the untakeable steps are not taken: p stays inside


def test_a_tiny_rate_is_not_converged_and_not_diverged():
    path = descent_path(7, 10, start=0.2, learning_rate=1e-12, steps=1000)
    assert not path.diverged and not path.converged and path.ps[-1] > 0.2
