"""Numbers: every number a scene shows (``LectureScene.record_shown``) equals mathcore's.

The tables give, for each name a scene records, how mathcore computes it from the data file
and the lecture's results alone. The render worker records each shown number with its
expected value and tolerance (:func:`number_records`, into the scene's check record);
:func:`number_problems` turns a record into findings. tests/test_scenes.py checks the same
tables on every scene, language and test data file.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mathcore import (
    Scientific,
    binomial_coefficient,
    likelihood_scientific,
    log_likelihood,
    next_token_results,
    nll,
    normal_pdf,
    underflow_demo,
)
from mathcore.log_view import collapse_count
from mathcore.pmf import contrasting_observations, nearest_sample, normal_interval_probability

__all__ = [
    "EXPECTED", "EXPECTED_BY_SCENE", "REL_TOL", "AtShown", "Expected", "Within", "compare_numbers", "digits_tolerance",
    "expected_for", "number_problems", "number_records", "shown_scientific",
]

REL_TOL = 1e-9  # a shown number equals mathcore's to this, or to the digits it shows

Expected = Callable[[Any, dict[str, Any]], float]


@dataclass(frozen=True)
class Within:
    """An expected value with its own absolute tolerance (a number rebuilt from rounded parts)."""

    value: Expected
    abs_tol: float


@dataclass(frozen=True)
class AtShown:
    """An expected value computed at another number *as the screen shows it* (issue 17: a
    number next to a rounded value is the value of the rounded one): ``value(d, r, shown)``
    gets the shown value of ``given``, itself checked against mathcore by its own rule."""

    given: str
    value: Callable[[Any, dict[str, Any], float], float]
    abs_tol: float = 0.0


def _resolve(rule: "Expected | Within | AtShown", shown: dict[str, float], data: Any,
             results: dict[str, Any]) -> tuple[float, float]:
    """(mathcore's value, the rule's own tolerance) for one rule; an AtShown rule whose given
    number was not recorded falls back to nan (reported as a difference)."""
    if isinstance(rule, AtShown):
        given = shown.get(rule.given)
        return (float("nan") if given is None else float(rule.value(data, results, float(given)))), rule.abs_tol
    if isinstance(rule, Within):
        return float(rule.value(data, results)), rule.abs_tol
    return float(rule(data, results)), 0.0


def digits_tolerance(value: float) -> float:
    """Half a unit in the last decimal of a short (display-rounded) number, else 0.

    >>> [round(digits_tolerance(v), 6) for v in (168.34, 5.0, 0.26040522098706587)]
    [0.005, 0.5, 0.0]
    """
    text = repr(float(value))
    if "e" in text or "inf" in text or "nan" in text:
        return 0.0
    decimals = len(text.split(".")[1].rstrip("0"))
    return 0.5 * 10.0 ** -decimals * (1 + 1e-9) if decimals <= 8 else 0.0


# Expected values of recorded numbers, by name -------------------------------------------
# Each is computed from mathcore (and the data file) alone. A shown number equals it to
# 1e-9 relative, or to the digits it carries when a scene recorded a display-rounded value.
def _heights(d):
    h = d.heights
    return h.samples, h.mle_mu, h.mle_sigma, h.sigma


def shown_scientific(log_value: float, decimals: int = 2) -> tuple[float, int]:
    """mantissa x 10^exponent as a 2-decimal display shows it (9.996 -> 1.00 x 10 more)."""
    sci = Scientific.from_log(log_value)
    mantissa, exponent = round(sci.mantissa, decimals), sci.exponent
    if mantissa >= 10.0:
        mantissa, exponent = round(mantissa / 10.0, decimals), exponent + 1
    return mantissa, exponent


# A natural log rebuilt from a 2-decimal mantissa is off by at most log(1 + 0.005).
SHOWN_LOG_TOL = math.log1p(0.005) * 1.001


def _scientific_checks(log_name: str, mantissa_name: str, exponent_name: str,
                       log_value: Expected) -> dict[str, Expected | Within]:
    """A likelihood shown as mantissa x 10^exponent, and the log rebuilt from those parts."""
    return {
        log_name: Within(log_value, SHOWN_LOG_TOL),
        mantissa_name: lambda d, r: shown_scientific(log_value(d, r))[0],
        exponent_name: lambda d, r: shown_scientific(log_value(d, r))[1],
    }


def _log_l_hat(d, r) -> float:
    samples, mu, _, sigma = _heights(d)
    return log_likelihood(samples, mu, sigma)


def _log_l_at(d, mu: float) -> float:
    return log_likelihood(d.heights.samples, mu, d.heights.sigma)


def _underflow(d):
    samples, mu, _, sigma = _heights(d)
    return underflow_demo(samples, mu, sigma, count=collapse_count(samples, mu, sigma))


def _observation(d) -> float:
    samples, mu, sigma, _ = _heights(d)
    return nearest_sample(samples, mu + sigma)


def _contrast(d) -> tuple[float, float]:
    samples, mu, sigma, _ = _heights(d)
    return contrasting_observations(samples, mu, sigma)


def _nlp(d) -> dict:
    """Scene 11's numbers: the same in both languages (mathcore.NlpSection), so either will do."""
    return next_token_results(d.nlp.example("en"))


def _nlp_expected() -> dict[str, Expected]:
    def target(d):
        return _nlp(d)["correct_index"]

    expected: dict[str, Expected] = {
        "nlp_start_loss": lambda d, r: _nlp(d)["loss"],
        "nlp_start_p_correct": lambda d, r: _nlp(d)["probabilities"][target(d)],
        "nlp_final_p_correct": lambda d, r: _nlp(d)["descent"]["final_probabilities"][target(d)],
        "nlp_final_loss": lambda d, r: _nlp(d)["descent"]["final_loss"],
        "nlp_steps": lambda d, r: _nlp(d)["descent"]["steps"],
    }
    for i in range(8):  # up to 8 tokens
        expected[f"nlp_start_p_{i + 1}"] = lambda d, r, i=i: _nlp(d)["probabilities"][i]
        expected[f"nlp_final_p_{i + 1}"] = lambda d, r, i=i: _nlp(d)["descent"]["final_probabilities"][i]
    return expected


# Names with one meaning in every scene that records them.
EXPECTED: dict[str, Expected | Within] = {
    "mle_mu": lambda d, r: r["heights"]["mle_mu"],
    "log_likelihood_at_mu_hat": _log_l_hat,
    "nll_at_mu_hat": lambda d, r: nll(d.heights.samples, d.heights.mle_mu, d.heights.sigma),
    "likelihood_at_mu_hat_exponent": lambda d, r: likelihood_scientific(
        d.heights.samples, d.heights.mle_mu, d.heights.sigma).exponent,
    "underflow_count": lambda d, r: _underflow(d).count,
    "underflow_log_sum": lambda d, r: _underflow(d).log_sum,
    "underflow_first_collapse": lambda d, r: -1 if _underflow(d).first_collapse is None else _underflow(d).first_collapse,
    "underflow_naive_product": lambda d, r: _underflow(d).naive_product,
    "p_hat": lambda d, r: r["binary"]["p_hat"],
    "binomial_coefficient": lambda d, r: binomial_coefficient(d.binary.n, d.binary.k),
    # Shown as m.mmm x 10^e: its log10 within half a unit of the mantissa's third decimal.
    "binomial_coefficient_log10": Within(lambda d, r: r["binary"]["binomial_coefficient_log10"], math.log10(1.0005)),
    "descent_final_p": lambda d, r: r["descent"]["final_p"],
    "descent_final_gradient": lambda d, r: r["descent"]["final_gradient"],
    "descent_steps": lambda d, r: r["descent"]["steps"],
    "descent_final_nll": lambda d, r: r["descent"]["nll_path"][-1],
    "descent_tolerance": lambda d, r: r["descent"]["tolerance"],
    **_nlp_expected(),
}

# Names whose meaning belongs to one scene.
EXPECTED_BY_SCENE: dict[str, dict[str, Expected | Within]] = {
    "title": {
        "sample_count": lambda d, r: len(d.heights.samples),
        "sample_min": lambda d, r: min(d.heights.samples),
        "sample_max": lambda d, r: max(d.heights.samples),
        "count_first": lambda d, r: d.binary.counts[0],
        "count_second": lambda d, r: d.binary.counts[1],
    },
    "likelihood-continuous": {
        "mu": lambda d, r: d.heights.mle_mu,
        "sigma": lambda d, r: d.heights.mle_sigma,
        "observation": lambda d, r: _observation(d),
        "density_at_observation": lambda d, r: normal_pdf(_observation(d), d.heights.mle_mu, d.heights.mle_sigma),
        # The scene's interval is x +- 0.3 sigma when the probability is first shown.
        "interval_probability": lambda d, r: normal_interval_probability(
            _observation(d) - 0.3 * d.heights.mle_sigma, _observation(d) + 0.3 * d.heights.mle_sigma,
            d.heights.mle_mu, d.heights.mle_sigma),
    },
    "likelihood-discrete": {
        "likelihood_at_p_hat": lambda d, r: r["binary"]["sampling_probability_at_p_hat"],
    },
    "comparing-likelihoods": {
        "observation_a": lambda d, r: _contrast(d)[0],
        "observation_b": lambda d, r: _contrast(d)[1],
        "likelihood_a": lambda d, r: normal_pdf(_contrast(d)[0], d.heights.mle_mu, d.heights.mle_sigma),
        "likelihood_b": lambda d, r: normal_pdf(_contrast(d)[1], d.heights.mle_mu, d.heights.mle_sigma),
    },
    "height-samples": {
        **{key: rule
           for k in (1, 2, 3)
           for key, rule in _scientific_checks(
               f"candidate_log_likelihood_{k}", f"candidate_mantissa_{k}", f"candidate_exponent_{k}",
               lambda d, r, k=k: r["heights"]["candidates"][k - 1]["log_likelihood"]).items()},
        # The data beside the plot: up to 12 samples in ascending order, else n, mean and sd.
        **{f"sample_{i}": (lambda d, r, i=i: sorted(d.heights.samples)[i - 1]) for i in range(1, 13)},
        "sample_count": lambda d, r: len(d.heights.samples),
        "sample_mean": lambda d, r: d.heights.mle_mu,
        "sample_sd": lambda d, r: d.heights.mle_sigma,
    },
    "maximum-likelihood": {
        "theta_hat": lambda d, r: r["heights"]["mle_mu"],  # recorded as shown, with half its last digit
        # L(theta_hat|x) as the screen shows it: at the theta_hat on screen (rounded)
        "theta_hat_log_likelihood": AtShown("theta_hat", lambda d, r, mu: _log_l_at(d, mu), SHOWN_LOG_TOL),
        "theta_hat_mantissa": AtShown("theta_hat", lambda d, r, mu: shown_scientific(_log_l_at(d, mu))[0]),
        "theta_hat_exponent": AtShown("theta_hat", lambda d, r, mu: shown_scientific(_log_l_at(d, mu))[1]),
    },
    "phone-os": {  # the three curves' values at p_hat (L without C(n, k))
        "binary_likelihood_at_p_hat_log10": lambda d, r: r["binary"]["log_likelihood_at_p_hat"] / math.log(10.0),
        "binary_log_likelihood_at_p_hat": lambda d, r: r["binary"]["log_likelihood_at_p_hat"],
        "binary_nll_at_p_hat": lambda d, r: r["binary"]["nll_at_p_hat"],
    },
}


def expected_for(scene_id: str) -> dict[str, Expected | Within]:
    """The expected value of every name scene ``scene_id`` may record."""
    return {**EXPECTED, **EXPECTED_BY_SCENE.get(scene_id, {})}


def number_records(scene_id: str, shown: dict[str, float], tolerances: dict[str, float] | None,
                   data: Any, results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each shown number with mathcore's value (None: no rule for that name) and the
    absolute tolerance it is held to, in name order (JSON-ready; inf/nan as strings)."""
    expected = expected_for(scene_id)
    records = []
    for name, value in sorted(shown.items()):
        rule = expected.get(name)
        if rule is None:
            records.append({"name": name, "shown": _json_number(value), "expected": None, "tolerance": None})
            continue
        want, own_tol = _resolve(rule, shown, data, results)
        tol = max(1e-12, own_tol, digits_tolerance(value), (tolerances or {}).get(name, 0.0))
        records.append({"name": name, "shown": _json_number(value), "expected": _json_number(want), "tolerance": tol})
    return records


def _json_number(value: float) -> float | str:
    value = float(value)
    return value if math.isfinite(value) else repr(value)


def number_problems(records: list[dict[str, Any]], rel_tol: float = REL_TOL) -> list[str]:
    """One line for each recorded number that is unknown or differs from mathcore's."""
    problems = []
    for record in records:
        name, value = record["name"], float(record["shown"])
        if record.get("expected") is None:
            problems.append(f"{name} = {value!r}: no expected value known for this name")
            continue
        want = float(record["expected"])
        same = math.isclose(value, want, rel_tol=rel_tol, abs_tol=float(record["tolerance"])) or value == want
        if not (same or (math.isnan(value) and math.isnan(want))):
            problems.append(f"{name}: shown {value!r}, mathcore says {want!r}")
    return problems


def compare_numbers(shown: dict[str, float], expected: dict[str, Expected | Within], data: Any,
                    results: dict[str, Any], rel_tol: float = REL_TOL,
                    tolerances: dict[str, float] | None = None) -> list[str]:
    """Every recorded name must be known and equal mathcore's value: to ``rel_tol``, or to
    the digits the shown value carries (a value parsed from displayed text is rounded), or
    within the name's own tolerance, or within the tolerance the scene recorded with it
    (half a unit of the last digit it shows, e.g. of 2.17 x 10^12)."""
    problems = []
    for name, value in sorted(shown.items()):
        if name not in expected:
            problems.append(f"{name} = {value!r}: no expected value known for this name (add it to the test)")
            continue
        rule = expected[name]
        want, own_tol = _resolve(rule, shown, data, results)
        tol = max(1e-12, own_tol, digits_tolerance(value), (tolerances or {}).get(name, 0.0))
        same = math.isclose(value, want, rel_tol=rel_tol, abs_tol=tol) or value == want  # inf == inf
        if not (same or (math.isnan(value) and math.isnan(want))):
            problems.append(f"{name}: shown {value!r}, mathcore says {want!r}")
    return problems
