"""Checks of understanding computed from the data: one multiple-choice question per scene
that teaches a result, its right answer and its distractors (plausible mistakes) computed
here, never written by hand. Pure Python/numpy; the wording lives in each language's string
table (``scenes/strings_*.py``, block ``questions``), keyed by the ``key`` fields below.

Every question is a JSON-ready dict::

    {"id": "best-candidate", "scene": "height-samples", "key": "best_candidate",
     "fields": {...}, "explanation": "best_candidate" | "best_candidate_tie",
     "choices": [{"key": "candidate", "fields": {...}, "value": 168.3, "correct": True}, ...]}

``fields`` hold numbers already written at the precision the lecture writes them
(:mod:`mathcore.precision`), so two choices never read the same: a distractor that would read
like the answer (or like another distractor) is dropped. Ties have no single right candidate:
when several candidates share the highest likelihood the right choice is "they tie".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .binary import binary_likelihood, p_hat
from .crossentropy import next_token_results
from .datafile import LectureData
from .normal import log_likelihood
from .precision import LOSS_DECIMALS, heights_decimals, p_hat_decimals
from .story import story_words

__all__ = ["lecture_questions", "shown_number", "QUESTION_SCENES"]

# question id -> the scene (catalog id) whose end asks it
QUESTION_SCENES = {
    "best-candidate": "height-samples",
    "likelihood-peak": "maximum-likelihood",
    "p-hat": "phone-os",
    "gradient-start": "gradient-descent",
    "correct-token-loss": "nll-in-nlp",
}

_TIE_RTOL = 1e-9  # log likelihoods this close are equal (symmetric candidates differ in the last bits)


def shown_number(value: float, decimals: int) -> str:
    """``value`` written with ``decimals`` places, never as ``-0``.

    >>> shown_number(-0.00001, 2), shown_number(0.7, 1), shown_number(168.344, 2), shown_number(-1.5, 1)
    ('0.00', '0.7', '168.34', '−1.5')
    """
    text = f"{float(value):.{decimals}f}"
    if float(text) == 0:
        return text.lstrip("-")
    return text.replace("-", "\u2212")  # the minus sign the lecture writes


def _choice(key: str, value: float | None, correct: bool, **fields: Any) -> dict[str, Any]:
    choice: dict[str, Any] = {"key": key, "fields": fields, "correct": bool(correct)}
    if value is not None:
        choice["value"] = float(value)
    return choice


def _distinct(correct: dict[str, Any], pool: list[dict[str, Any]], keep: int = 3) -> list[dict[str, Any]]:
    """``correct`` and up to ``keep`` distractors of ``pool`` that read differently from it
    and from each other (compared by their written number ``fields["x"]``), in ascending
    order of value (numbers read in order; the right answer is not always first)."""
    seen = {correct["fields"]["x"]}
    chosen = [correct]
    for choice in pool:
        if choice["fields"]["x"] in seen or len(chosen) > keep:
            continue
        seen.add(choice["fields"]["x"])
        chosen.append(choice)
    return sorted(chosen, key=lambda c: (c["value"], c["fields"]["x"]))


def best_candidate(data: LectureData) -> dict[str, Any]:
    """Scene 5: which candidate mean θ has the highest likelihood (σ fixed as the scene draws)."""
    heights = data.heights
    decimals = heights_decimals(heights.samples, heights.sigma)
    logs = [log_likelihood(heights.samples, c, heights.sigma) for c in heights.candidates]
    top = max(logs)
    best = [i for i, ll in enumerate(logs) if math.isclose(ll, top, rel_tol=_TIE_RTOL, abs_tol=1e-300)]
    tie = len(best) > 1
    choices = [
        _choice("candidate", c, (not tie) and i == best[0], index=i + 1, x=_plain(c, decimals), unit=heights.unit)
        for i, c in enumerate(heights.candidates)
    ]
    if tie:
        choices.append(_choice("tie", None, True, indices=[i + 1 for i in best]))
    mean = float(np.mean(heights.samples))
    return {
        "id": "best-candidate", "scene": QUESTION_SCENES["best-candidate"], "key": "best_candidate",
        "fields": {"n": len(heights.samples), "unit": heights.unit, "count": len(heights.candidates)},
        "explanation": "best_candidate_tie" if tie else "best_candidate",
        "explanation_fields": {"best": [i + 1 for i in best], "x": _plain(heights.candidates[best[0]], decimals),
                               "mean": shown_number(mean, decimals), "unit": heights.unit},
        "choices": choices,
    }


def likelihood_peak(data: LectureData) -> dict[str, Any]:
    """Scene 6: where the likelihood peaks (and the NLL bottoms out): at μ̂, the sample mean.
    Distractors: the median, the middle of the range, the best of the candidates, μ̂ ± σ."""
    heights = data.heights
    decimals = heights_decimals(heights.samples, heights.sigma)
    samples = np.asarray(heights.samples, dtype=float)
    mu = heights.mle_mu
    logs = [log_likelihood(heights.samples, c, heights.sigma) for c in heights.candidates]
    best = heights.candidates[int(np.argmax(logs))]

    def option(key: str, value: float) -> dict[str, Any]:
        return _choice(key, value, False, x=shown_number(value, decimals), unit=heights.unit)

    correct = _choice("mean", mu, True, x=shown_number(mu, decimals), unit=heights.unit)
    pool = [option("median", float(np.median(samples))), option("midrange", float((samples.min() + samples.max()) / 2)),
            _choice("candidate_best", best, False, x=_plain(best, decimals), unit=heights.unit), option("mean_minus_sigma", mu - heights.sigma),
            option("mean_plus_sigma", mu + heights.sigma)]
    return {
        "id": "likelihood-peak", "scene": QUESTION_SCENES["likelihood-peak"], "key": "likelihood_peak",
        "fields": {"n": len(heights.samples), "unit": heights.unit},
        "explanation": "likelihood_peak", "explanation_fields": {"x": correct["fields"]["x"], "unit": heights.unit},
        "choices": _distinct(correct, pool),
    }


def estimate_p_hat(data: LectureData, lang: str = "ko") -> dict[str, Any]:
    """Scene 9: the estimate p̂ = k / n of the first label's proportion. Distractors, the first
    three that read differently: 1 − p̂ (the other label), L(p̂) (the likelihood's value, not
    where it peaks), one half, the odds k / (n − k). The counts are written in the data's story
    (``n_count``: "10명", "100 candidates", "20 observations")."""
    binary = data.binary
    k, n = binary.k, binary.n
    m = n - k
    estimate = p_hat(k, n)
    decimals = max(p_hat_decimals(k, n), 1)

    places = max(decimals, 4)

    def option(key: str, value: float) -> dict[str, Any]:  # "1.0" and "1" compare equal: one way to write them
        return _choice(key, value, False, x=_plain(value, places))

    correct = _choice("p_hat", estimate, True, x=_plain(estimate, places))
    pool = [option("one_minus", 1.0 - estimate), option("likelihood_value", float(binary_likelihood(estimate, k, n))),
            option("half", 0.5)]
    if m > 0:  # the odds k / (n - k): a number, but no share
        pool.append(option("odds", k / m))
    story = story_words(data, lang)
    fields = {"label": binary.labels[0], "other": binary.labels[1], "k": k, "m": m, "n": n,
              "n_count": story.count(n), "k_count": story.count(k), "m_count": story.count(m)}
    return {
        "id": "p-hat", "scene": QUESTION_SCENES["p-hat"], "key": "p_hat", "fields": fields,
        "explanation": "p_hat", "explanation_fields": {**fields, "x": correct["fields"]["x"]},
        "choices": _distinct(correct, pool),
    }


def _plain(value: float, places: int) -> str:
    """At most ``places`` decimals, trailing zeros dropped (0.7, 0.4286, 1, 0).

    >>> _plain(0.7, 4), _plain(3 / 7, 4), _plain(1.0, 4), _plain(-1e-9, 4)
    ('0.7', '0.4286', '1', '0')
    """
    text = shown_number(value, places)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def gradient_start(data: LectureData) -> dict[str, Any]:
    """Scene 10: the sign of dNLL/dp at the start, and so which way the first step moves p."""
    binary, settings = data.binary, data.descent
    k, n = binary.k, binary.n
    m = n - k
    p = settings.start
    pull_up, pull_down = k / p, m / (1.0 - p)
    gradient = -pull_up + pull_down
    if math.isclose(pull_up, pull_down, rel_tol=_TIE_RTOL):
        sign = "zero"
    else:
        sign = "negative" if gradient < 0 else "positive"
    choices = [_choice(name, None, name == sign) for name in ("negative", "positive", "zero")]
    fields = {"start": _plain(p, 4), "k": k, "m": m, "n": n}
    return {
        "id": "gradient-start", "scene": QUESTION_SCENES["gradient-start"], "key": "gradient_start", "fields": fields,
        "explanation": f"gradient_{sign}",
        "explanation_fields": {**fields, "gradient": shown_number(0.0 if sign == "zero" else gradient, LOSS_DECIMALS),
                               "p_hat": _plain(p_hat(k, n), 4)},
        "choices": choices,
        "value": 0.0 if sign == "zero" else float(gradient),
    }


def correct_token_loss(data: LectureData, lang: str) -> dict[str, Any]:
    """Scene 11: the loss for the correct token, −ln p. Distractors: ln p (the log instead of
    the NLL), p itself, 1 − p, and −log₁₀ p (the wrong logarithm)."""
    results = next_token_results(data.nlp.example(lang))
    p = float(results["probabilities"][results["correct_index"]])
    loss = float(results["loss"])

    def option(key: str, value: float) -> dict[str, Any]:
        return _choice(key, value, False, x=shown_number(value, LOSS_DECIMALS))

    correct = _choice("nll", loss, True, x=shown_number(loss, LOSS_DECIMALS))
    pool = [option("log", -loss), option("probability", p), option("one_minus", 1.0 - p),
            option("log10", loss / math.log(10))]
    fields = {"word": results["correct"], "p": shown_number(p, LOSS_DECIMALS)}
    return {
        "id": "correct-token-loss", "scene": QUESTION_SCENES["correct-token-loss"], "key": "correct_token_loss",
        "fields": fields, "explanation": "correct_token_loss",
        "explanation_fields": {**fields, "x": correct["fields"]["x"]},
        "choices": _distinct(correct, pool),
    }


def lecture_questions(data: LectureData, lang: str = "ko") -> list[dict[str, Any]]:
    """Every question, in lecture order.

    >>> from mathcore.datafile import load_data
    >>> qs = lecture_questions(load_data(None), "en")
    >>> [q["id"] for q in qs]
    ['best-candidate', 'likelihood-peak', 'p-hat', 'gradient-start', 'correct-token-loss']
    >>> [c["fields"]["x"] for c in qs[2]["choices"] if c["correct"]]
    ['0.7']
    """
    return [best_candidate(data), likelihood_peak(data), estimate_p_hat(data, lang), gradient_start(data),
            correct_token_loss(data, lang)]
