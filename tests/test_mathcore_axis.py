"""mathcore.axis: bounded tick counts and short labels for any data range."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mathcore.axis import MAX_TICKS, axis_ticks, nice_step, sci_tex, sci_text

finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)


def _check(low: float, high: float, target: int = 5) -> None:
    ticks = axis_ticks(low, high, target)
    lo, hi = min(low, high), max(low, high)
    assert 2 <= ticks.count <= MAX_TICKS, (low, high, ticks)
    assert ticks.start <= lo and ticks.end >= hi, (low, high, ticks)
    assert ticks.step > 0 and math.isfinite(ticks.step)
    assert list(ticks.values) == sorted(set(ticks.values)), "ticks distinct and increasing"
    assert len(set(ticks.labels)) == ticks.count, ticks.labels
    assert max(len(label) for label in ticks.labels) <= 7, ticks.labels
    assert len(ticks.note) <= 40, ticks.note
    for i, value in enumerate(ticks.values):
        # The label and the note read back as the tick's value.
        assert math.isclose(ticks.reading(i), value, rel_tol=1e-9, abs_tol=1e-6 * ticks.step), (i, ticks)


@settings(max_examples=400, deadline=None)
@given(finite, finite, st.integers(1, 10))
def test_any_range_gets_few_ticks_and_short_labels(low, high, target) -> None:
    _check(low, high, target)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-1e15, max_value=1e15), st.floats(min_value=-18, max_value=3))
def test_spans_tiny_next_to_the_values(centre, log_relative_span) -> None:
    """A span down to 1e-18 of the values (below float resolution) still gets bounded ticks."""
    span = abs(centre) * 10.0**log_relative_span if centre else 10.0**log_relative_span
    _check(centre - span / 2, centre + span / 2)


@pytest.mark.parametrize(
    ("low", "high", "labels", "note"),
    [
        (163.1, 173.6, ("160", "165", "170", "175"), ""),
        (-13.3, -9.1, ("-14", "-13", "-12", "-11", "-10", "-9"), ""),
        (0.0, 0.17024, ("0.00", "0.05", "0.10", "0.15", "0.20"), ""),
        (1.1e12, 3.4e12, ("1.0", "1.5", "2.0", "2.5", "3.0", "3.5"), "×10¹²"),
        (1.1e-11, 1.9e-11, ("1.0", "1.2", "1.4", "1.6", "1.8", "2.0"), "×10⁻¹¹"),
        (170 - 1e-11, 170 + 1e-11, ("-10", "-5", "0", "5", "10"), "×10⁻¹² + 170"),
        (-12.50000005, -12.50000001, ("-2", "-1", "0", "1", "2"), "×10⁻⁸ − 12.50000003"),
        (999999999999990, 1000000000000010, ("-10", "-5", "0", "5", "10"), "+ 1000000000000000"),
        (0.0, 0.0, ("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"), ""),
    ],
)
def test_labels_and_notes(low, high, labels, note) -> None:
    ticks = axis_ticks(low, high)
    assert (ticks.labels, ticks.note) == (labels, note)


def test_the_tiny_spread_that_made_a_million_ticks() -> None:
    """samples [170.0, 170.000000000001]: ticks from their 3.5-sigma view stay few."""
    sigma = 5e-13
    ticks = axis_ticks(170.0 - 3.5 * sigma, 170.0 + 3.5 * sigma, 6)
    assert ticks.count <= MAX_TICKS


def test_steps_never_vanish() -> None:
    """The old step rounded to 12 decimals and became 0.0 below 1e-12 (ZeroDivisionError)."""
    for span in (1e-13, 2.1e-12 * 1.12, 5e-324, 1e-200, 1e300):
        assert nice_step(span, 4) > 0
    assert nice_step(10.0) == 2.0 and nice_step(0.07) == 0.02


def test_scientific_text() -> None:
    assert sci_text(1e300) == "1×10³⁰⁰"
    assert sci_text(-0.000123, 2) == "-1.2×10⁻⁴"
    assert sci_tex(1e-12) == r"1 \times 10^{-12}"
