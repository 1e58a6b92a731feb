"""Plain-text report of the lecture's numbers (`nll-lecture compute` without --json)."""

from __future__ import annotations

import math
from typing import Any

from mathcore import LectureData
from mathcore.datafile import text_columns
from mathcore.descent import start_digits

# Why a descent diverged (mathcore.descent.divergence_cause) and what to change.
_DIVERGED = {
    "rate": "DIVERGED: lower learning_rate",
    "start": "DIVERGED: move start away from 0 and 1",
    "both": "DIVERGED: lower learning_rate and move start away from 0 and 1",
}


def location_digits(centre: float, spread: float) -> int:
    """Significant digits that show a location to a thousandth of the spread (at least 6).

    ``.6g`` prints 1.000000000001 with a spread of 1e-12 as plain 1: the samples' mean and
    the candidates would all read the same.

    >>> location_digits(168.344, 2.62), location_digits(1.000000000001, 1e-12)
    (6, 16)
    """
    if not (math.isfinite(centre) and math.isfinite(spread)) or centre == 0.0 or spread <= 0.0:
        return 6
    return min(17, max(6, 3 + math.ceil(math.log10(abs(centre) / spread))))


def format_results(data: LectureData, results: dict[str, Any]) -> str:
    h, b, d = results["heights"], results["binary"], results["descent"]
    unit = h["unit"]
    # From the data, not from results: those are rounded for JSON (mathcore/summary.py) and
    # would show a tiny spread as 0.
    mu, sigma_hat = data.heights.mle_mu + 0.0, data.heights.mle_sigma + 0.0  # (+ 0.0: never "-0")
    digits = location_digits(mu, min(sigma_hat, h["sigma_used"]))
    lines = [
        f"data: {data.source}",
        "",
        f"heights: n={h['n']} {unit}",
        f"  MLE mu          {mu:.{digits}g} {unit}",
        f"  MLE sigma       {sigma_hat:.6g} {unit} (ddof=0)",
    ]
    # Each likelihood says which sigma it uses: the MLE sigma, or the one [heights] sigma fixes.
    fixed = h.get("sigma_source") == "fixed"
    mle_label = f"MLE sigma {sigma_hat:.6g}"
    used_label = f"fixed sigma {h['sigma_used']:.6g}" if fixed else mle_label
    lines += [
        f"  sigma used      {h['sigma_used']:.6g} {unit} ({'fixed by [heights] sigma' if fixed else 'the MLE sigma'})",
        f"  log L at MLE    {h['log_likelihood_at_mle']:.6g}  ({mle_label})",
        f"  NLL at MLE      {h['nll_at_mle']:.6g}  ({mle_label})",
    ]
    if fixed:
        lines += [
            f"  log L at MLE mu {h['log_likelihood_at_mle_mu_sigma_used']:.6g}  ({used_label})",
            f"  NLL at MLE mu   {h['nll_at_mle_mu_sigma_used']:.6g}  ({used_label})",
        ]
    lines.append(f"  candidates, {used_label}:")
    for i, c in enumerate(h["candidates"], start=1):
        lines.append(f"  theta{i}: mu={c['mu']:.{digits}g}  log L={c['log_likelihood']:.6g}")
    first, second = b["labels"]
    if b["binomial_coefficient"] is not None:
        coefficient = str(b["binomial_coefficient"])
    else:  # too many digits to print: mantissa x 10^exponent from its log10
        exponent = math.floor(b["binomial_coefficient_log10"])
        coefficient = f"{10.0 ** (b['binomial_coefficient_log10'] - exponent):.4f} x 10^{exponent}"
    lines += [
        "",
        f"binary: {first} {b['counts'][0]}, {second} {b['counts'][1]} (n={b['n']})",
        f"  p_hat           {b['p_hat']:.6g}",
        f"  log L(p_hat)    {b['log_likelihood_at_p_hat']:.6g}",
        f"  NLL(p_hat)      {b['nll_at_p_hat']:.6g}",
        f"  C(n, k)         {coefficient}",
        f"  P(k of n)       {b['sampling_probability_at_p_hat']:.6g}",
        "",
        f"descent: start={d['start']:.{max(6, start_digits(d['start']))}g} learning_rate={d['learning_rate']:.6g} steps={d['steps']}",
        f"  final p         {d['final_p']:.6g}",
        f"  final gradient  {d['final_gradient']:.6g}",
        "  " + ("converged at step %d" % d["converged_at"] if d["converged"] else (_DIVERGED.get(d.get("cause"), _DIVERGED["rate"]) if d["diverged"] else "not converged: raise steps or learning_rate"))
        + f" (|p - p_hat| <= {d['tolerance']:.3g})",
    ]
    nlp = results["nlp"]
    width = max(text_columns(t) for t in nlp["tokens"])  # Hangul is two columns wide
    lines += ["", f"nlp: {nlp['context']} ___"]
    for token, logit, p in zip(nlp["tokens"], nlp["logits"], nlp["probabilities"]):
        mark = "  <- correct" if token == nlp["correct"] else ""
        lines.append(f"  {token}{' ' * (width - text_columns(token))}  logit {logit:<8.6g} p {p:.6g}{mark}")
    descent = nlp["descent"]
    lines += [
        f"  loss -log p({nlp['correct']})  {nlp['loss']:.6g}",
        f"  after {descent['steps']} steps (rate {descent['learning_rate']:g}): "
        f"p({nlp['correct']}) {descent['final_probabilities'][nlp['correct_index']]:.6g}, loss {descent['final_loss']:.6g}",
    ]
    return "\n".join(lines)


def without_negative_zero(value: Any) -> Any:
    """``value`` (the results, nested dicts and lists) with every -0.0 made 0.0: neither the
    table nor the JSON of ``compute`` ever shows "-0" (a loss of zero is 0).

    >>> without_negative_zero({"loss": -0.0, "xs": [-0.0, -1.5]})
    {'loss': 0.0, 'xs': [0.0, -1.5]}
    """
    if isinstance(value, float):
        return value + 0.0  # (-0.0 + 0.0 is 0.0; any other float is itself)
    if isinstance(value, dict):
        return {key: without_negative_zero(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(without_negative_zero(item) for item in value)
    return value
