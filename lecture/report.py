"""Plain-text report of the lecture's numbers (`nll-lecture compute` without --json)."""

from __future__ import annotations

import math
from typing import Any

from mathcore import LectureData


def format_results(data: LectureData, results: dict[str, Any]) -> str:
    h, b, d = results["heights"], results["binary"], results["descent"]
    unit = h["unit"]
    lines = [
        f"data: {data.source}",
        "",
        f"heights: n={h['n']} {unit}",
        f"  MLE mu          {h['mle_mu']:.6g} {unit}",
        f"  MLE sigma       {h['mle_sigma']:.6g} {unit} (ddof=0)",
        f"  sigma used      {h['sigma_used']:.6g} {unit}",
        f"  log L at MLE    {h['log_likelihood_at_mle']:.6g}",
        f"  NLL at MLE      {h['nll_at_mle']:.6g}",
    ]
    for i, c in enumerate(h["candidates"], start=1):
        lines.append(f"  theta{i}: mu={c['mu']:.6g}  log L={c['log_likelihood']:.6g}")
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
        f"descent: start={d['start']:.6g} learning_rate={d['learning_rate']:.6g} steps={d['steps']}",
        f"  final p         {d['final_p']:.6g}",
        f"  final gradient  {d['final_gradient']:.6g}",
        "  " + ("converged at step %d" % d["converged_at"] if d["converged"] else ("DIVERGED: lower learning_rate" if d["diverged"] else "not converged: raise steps or learning_rate")),
    ]
    return "\n".join(lines)
