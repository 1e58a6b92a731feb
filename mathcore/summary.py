"""Every number the lecture shows, as one JSON-ready dict (`nll-lecture compute --json`)."""

from __future__ import annotations

from typing import Any

from .binary import binary_log_likelihood, binomial_coefficient_value, p_hat, sampling_probability
from .crossentropy import next_token_results
from .datafile import LectureData
from .descent import descent_path, divergence_cause
from .normal import log_likelihood



def lecture_results(data: LectureData, lang: str = "ko") -> dict[str, Any]:
    """The numbers of the heights, phone-OS, descent and NLP parts of the lecture.

    ``lang`` picks the words of the NLP example where the data file leaves them to each
    language (its numbers are the same in both).

    >>> from mathcore.datafile import load_data
    >>> results = lecture_results(load_data(None))
    >>> round(results["heights"]["mle_mu"], 9), results["binary"]["binomial_coefficient"]
    (168.344, 120)
    """
    heights, binary, settings = data.heights, data.binary, data.descent
    mu, sigma_hat = heights.mle_mu, heights.mle_sigma
    estimate = p_hat(binary.k, binary.n)
    path = descent_path(binary.k, binary.n, settings.start, settings.learning_rate, settings.steps)
    log_l_hat = float(binary_log_likelihood(estimate, binary.k, binary.n))
    coefficient = binomial_coefficient_value(binary.n, binary.k)  # the same function scene 9 shows
    return {
        "heights": {
            "n": len(heights.samples),
            "unit": heights.unit,
            "mle_mu": mu,  # full precision: rounding to 10 decimals made a sigma of 1e-11 read 0.0
            "mle_sigma": sigma_hat,
            "sigma_used": heights.sigma,
            # where sigma_used comes from: "fixed" by the data file's [heights] sigma, or the "mle" sigma
            "sigma_source": "fixed" if data.given is not None and "heights.sigma" in data.given else "mle",
            "log_likelihood_at_mle": log_likelihood(heights.samples, mu, sigma_hat),
            "nll_at_mle": -log_likelihood(heights.samples, mu, sigma_hat),
            # at the MLE mu with the sigma the candidates use (the same as above unless sigma is fixed)
            "log_likelihood_at_mle_mu_sigma_used": log_likelihood(heights.samples, mu, heights.sigma),
            "nll_at_mle_mu_sigma_used": -log_likelihood(heights.samples, mu, heights.sigma),
            # which sigma each likelihood above and in "candidates" is computed with
            "sigma_of": {"log_likelihood_at_mle": "mle_sigma", "nll_at_mle": "mle_sigma",
                         "log_likelihood_at_mle_mu_sigma_used": "sigma_used", "nll_at_mle_mu_sigma_used": "sigma_used",
                         "candidates": "sigma_used"},
            "candidates": [
                {"mu": c, "log_likelihood": log_likelihood(heights.samples, c, heights.sigma)}
                for c in heights.candidates
            ],
        },
        "binary": {
            "labels": list(binary.labels),
            "counts": list(binary.counts),
            "n": binary.n,
            "p_hat": estimate,
            "log_likelihood_at_p_hat": log_l_hat,
            "nll_at_p_hat": -log_l_hat + 0.0,
            "binomial_coefficient": coefficient.exact,
            "binomial_coefficient_log10": coefficient.log10,
            "sampling_probability_at_p_hat": sampling_probability(estimate, binary.k, binary.n),
        },
        "descent": {
            "start": settings.start,
            "learning_rate": settings.learning_rate,
            "steps": settings.steps,
            "final_p": path.final_p,
            "final_gradient": path.gradients[-1],
            "converged": path.converged,
            "diverged": path.diverged,
            "converged_at": path.converged_at,
            "tolerance": path.tolerance,
            "gradient_vanished": path.gradient_vanished,
            "path": list(path.ps),
            "nll_path": list(path.nlls),
            "gradient_path": list(path.gradients),
            # how the run moved (issue 17): the scene's words and pictures follow these
            "rises": path.rises,
            "crossings": path.crossings,
            "oscillating": path.oscillating,
            "steps_shrink": path.steps_shrink,
            "blocked": list(path.blocked),
            "cause": divergence_cause(binary.k, binary.n, settings.start, settings.learning_rate, settings.steps)
            if path.diverged else None,
        },
        "nlp": next_token_results(data.nlp.example(lang)),
    }
