"""mathcore.crossentropy against scipy.special and finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from mathcore import (
    EXAMPLE_LOGITS,
    EXAMPLE_TARGET,
    categorical_nll,
    cross_entropy,
    cross_entropy_gradient,
    log_softmax,
    logit_descent,
    softmax,
)

logit_vectors = st.lists(st.floats(-30.0, 30.0), min_size=2, max_size=8)


@st.composite
def logits_and_target(draw):
    z = draw(logit_vectors)
    return z, draw(st.integers(0, len(z) - 1))


@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(z=logit_vectors)
def test_softmax_and_log_softmax_match_scipy(z):
    np.testing.assert_allclose(softmax(z), special.softmax(z), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(log_softmax(z), special.log_softmax(z), rtol=1e-12, atol=1e-12)
    assert softmax(z).sum() == pytest.approx(1.0, abs=1e-12)


def test_softmax_is_stable_for_huge_logits():
    z = [1000.0, 1001.0, 999.0]
    assert np.all(np.isfinite(softmax(z))) and np.all(np.isfinite(log_softmax(z)))
    np.testing.assert_allclose(softmax(z), special.softmax([1.0, 2.0, 0.0]), rtol=1e-12)
    assert cross_entropy([0.0, 800.0], 0) == pytest.approx(800.0)  # exp(-800) underflows; the log does not


@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(zt=logits_and_target())
def test_cross_entropy_is_minus_log_softmax_of_target(zt):
    z, t = zt
    expected = -special.log_softmax(z)[t]
    assert cross_entropy(z, t) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    probabilities = special.softmax(z)
    if probabilities[t] > 1e-300:
        assert categorical_nll(probabilities, t) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_categorical_nll_values():
    assert categorical_nll([0.25, 0.75], 1) == pytest.approx(-math.log(0.75))
    assert categorical_nll([1.0, 0.0], 0) == 0.0
    assert categorical_nll(np.array([0.2, 0.3, 0.5]), 2) == pytest.approx(math.log(2.0))


@settings(deadline=None, max_examples=80)
@given(zt=logits_and_target())
def test_gradient_matches_central_differences(zt):
    z, t = zt
    z = np.asarray(z, dtype=float)
    h = 1e-6
    numeric = np.empty_like(z)
    for i in range(z.size):
        up, down = z.copy(), z.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (cross_entropy(up, t) - cross_entropy(down, t)) / (2 * h)
    np.testing.assert_allclose(cross_entropy_gradient(z, t), numeric, atol=1e-6)


@settings(deadline=None)  # the machine may be busy; no timing assertions
@given(zt=logits_and_target())
def test_gradient_is_softmax_minus_onehot(zt):
    z, t = zt
    expected = special.softmax(z) - np.eye(len(z))[t]
    grad = cross_entropy_gradient(z, t)
    np.testing.assert_allclose(grad, expected, atol=1e-12)
    assert grad.sum() == pytest.approx(0.0, abs=1e-12)
    assert grad[t] <= 0.0


def test_gradient_does_not_modify_its_input():
    z = np.array([1.0, 2.0, 3.0])
    cross_entropy_gradient(z, 0)
    np.testing.assert_array_equal(z, [1.0, 2.0, 3.0])


def test_example_logits():
    assert len(EXAMPLE_LOGITS) == 4 and 0 <= EXAMPLE_TARGET < 4
    assert cross_entropy(EXAMPLE_LOGITS, EXAMPLE_TARGET) == pytest.approx(-special.log_softmax(EXAMPLE_LOGITS)[EXAMPLE_TARGET])


@settings(deadline=None, max_examples=40)
@given(zt=logits_and_target(), rate=st.floats(0.01, 2.0), steps=st.integers(1, 20))
def test_logit_descent_follows_the_gradient_and_lowers_the_loss(zt, rate, steps):
    z, t = zt
    run = logit_descent(z, t, learning_rate=rate, steps=steps)
    assert len(run.logits) == len(run.probabilities) == len(run.losses) == steps + 1
    np.testing.assert_allclose(run.logits[0], z)
    for before, after in zip(run.logits, run.logits[1:]):
        expected = np.asarray(before) - rate * (special.softmax(before) - np.eye(len(z))[t])
        np.testing.assert_allclose(after, expected, rtol=1e-12, atol=1e-12)
    for logits, probs, loss in zip(run.logits, run.probabilities, run.losses):
        np.testing.assert_allclose(probs, special.softmax(logits), rtol=1e-10, atol=1e-300)
        assert loss == pytest.approx(-special.log_softmax(logits)[t], rel=1e-10, abs=1e-12)
    # cross-entropy is convex with a 1/2-Lipschitz gradient: rates up to 2 never raise it
    assert all(b <= a + 1e-12 for a, b in zip(run.losses, run.losses[1:]))
    assert run.probabilities[-1][t] >= run.probabilities[0][t] - 1e-12
