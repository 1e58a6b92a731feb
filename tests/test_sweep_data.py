"""The accepted range of every numeric key, through `nll-lecture compute` (issue 8, section 1).

Each case is a data file at an edge of what the README's table allows (and a few just past
it): `load_data` + `lecture_results` must either refuse it with one DataError line naming the
key and the value, or give finite, honest numbers, quickly and in bounded memory. The same
cases drive the scene sweep (tests/test_sweep_scenes.py), which constructs every scene that
reads the case's keys.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from mathcore import DataError, lecture_results, load_data

HEIGHT_SCENES = ("likelihood-continuous", "comparing-likelihoods", "height-samples", "maximum-likelihood",
                 "log-likelihood", "negative-log-likelihood")
SIGMA_SCENES = HEIGHT_SCENES[2:]  # the scenes that use the data's sigma (2 and 4 use the MLE's)
BINARY_SCENES = ("likelihood-discrete", "phone-os", "gradient-descent")
DESCENT_SCENES = ("gradient-descent",)

KOREAN_UNIT = "센티미터센티미터센티미터"                 # 12 characters, the most allowed
LATIN_UNIT = "metres (SI)!"                           # 12 characters
KOREAN_LABEL = "갤럭시 스마트폰을 쓰는 사람 " * 3             # 45 characters: cut to 40 below
LATIN_LABEL = "Apple iPhone users in the sample today"  # 38 characters


def _toml_value(value) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(float(value))
    return str(value)


def toml_text(sections: dict[str, dict]) -> str:
    lines = []
    for section, body in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in body.items()]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Case:
    """A data file at an edge of the accepted range, and what to run with it."""

    name: str
    sections: dict
    scenes: tuple[str, ...] = ()                # scenes that read the keys this case pushes
    langs: tuple[str, ...] = ("en",)            # both where its text (unit, labels) matters
    refused: str | None = None                  # the key the one-line error must name
    slow: bool = False
    checks: dict = field(default_factory=dict)  # compute results this case pins down

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.name}.toml"
        path.write_text(toml_text(self.sections), encoding="utf-8")
        return path


_rng = np.random.default_rng(8)
CASES = [
    # [heights] -----------------------------------------------------------------------------
    Case("negative-korean-unit", {"heights": {"unit": KOREAN_UNIT, "samples": [-164.95, -165.35, -165.76, -166.16,
         -167.78, -168.99, -169.8, -170.2, -171.82, -172.63]}}, HEIGHT_SCENES, ("ko", "en")),
    Case("tiny-values-latin-unit", {"heights": {"unit": LATIN_UNIT, "samples": [1.2e-11, 1.5e-11]}},
         HEIGHT_SCENES, ("en", "ko"), checks={"mle_sigma": 1.5e-12}),
    Case("values-1e12", {"heights": {"samples": [1.1e12, 3.4e12, 2.5e12, 1.7e12], "sigma": 4e12,
         "candidates": [-2e12, 2.2e12, 9e12]}}, HEIGHT_SCENES, ("ko",)),
    Case("values-minus-1e15", {"heights": {"samples": (-1e15 + _rng.normal(0, 3e13, 50)).tolist()}},
         HEIGHT_SCENES),
    # Two samples 2e-12 apart at 1.0: the narrowest spread accepted (see datafile.MIN_WIDTH_ULPS).
    Case("spread-1e-12-relative", {"heights": {"samples": [1.0, 1.000000000002]}}, HEIGHT_SCENES,
         checks={"mle_sigma": 1e-12}),
    Case("samples-100000", {"heights": {"unit": "kg", "samples": _rng.normal(70.0, 12.0, 100_000).round(3).tolist()}},
         HEIGHT_SCENES, ("ko",), slow=True),
    Case("candidates-far", {"heights": {"samples": [160.0, 170.0, 180.0], "candidates": [-1e6, 170.0, 1e6]}},
         ("height-samples", "maximum-likelihood"), ("ko",)),
    Case("sigma-1e150", {"heights": {"samples": [160.0, 170.0, 180.0], "sigma": 1e150}}, SIGMA_SCENES),
    Case("sigma-1e200", {"heights": {"samples": [160.0, 170.0, 180.0], "sigma": 1e200}}, refused="heights.sigma"),
    Case("sigma-likelihood-too-small", {"heights": {"samples": [160.0, 170.0, 180.0], "sigma": 1e-6}},
         refused="heights.sigma"),
    Case("candidate-1e150", {"heights": {"samples": [160.0, 170.0, 180.0], "candidates": [-1e150, 170.0, 1e150]}},
         refused="heights.candidates[0]"),
    Case("spread-1e-15-relative", {"heights": {"samples": [170.0, 170.000000000001]}}, refused="heights.samples"),
    Case("spread-1e-12-of-1e5-samples", {"heights": {"samples": (1.0 + 1e-12 * _rng.normal(0, 1, 1000)).tolist()}},
         refused="heights.samples"),
    Case("sigma-too-narrow", {"heights": {"samples": [170.0, 171.0], "sigma": 1e-12}}, refused="heights.sigma"),
    # [binary] ------------------------------------------------------------------------------
    Case("counts-0-1", {"binary": {"counts": [0, 1]}}, BINARY_SCENES),
    Case("counts-1-0", {"binary": {"counts": [1, 0]}}, BINARY_SCENES, ("ko",)),
    Case("counts-1e15-3-korean-labels", {"binary": {"labels": [KOREAN_LABEL[:40], "아이폰"],
         "counts": [10**15, 3]}}, BINARY_SCENES, ("ko", "en"),
         checks={"binomial_coefficient": 166666666666667666666666666668500000000000001}),
    Case("counts-3-1e15-latin-labels", {"binary": {"labels": ["Android phones of every make and model", LATIN_LABEL],
         "counts": [3, 10**15]}}, BINARY_SCENES, ("en",)),
    Case("counts-half-1e15", {"binary": {"counts": [5 * 10**14, 5 * 10**14]}}, ("likelihood-discrete", "phone-os")),
    Case("counts-too-large", {"binary": {"counts": [10**15 + 1, 3]}}, refused="binary.counts[0]"),
    # [descent] -----------------------------------------------------------------------------
    Case("rate-1e300-steps-1000", {"descent": {"start": 0.2, "learning_rate": 1e300, "steps": 1000}}, DESCENT_SCENES,
         ("ko",), checks={"diverged": True}),
    Case("rate-1e-12-steps-1", {"descent": {"start": 0.2, "learning_rate": 1e-12, "steps": 1}}, DESCENT_SCENES,
         checks={"diverged": False, "converged": False}),
    Case("steps-1000-converging", {"descent": {"start": 0.999, "learning_rate": 1e-5, "steps": 1000}}, DESCENT_SCENES),
    Case("steps-1001", {"descent": {"start": 0.2, "learning_rate": 0.01, "steps": 1001}}, refused="descent.steps"),
]
CASES_BY_NAME = {case.name: case for case in CASES}


def _compute(path: Path) -> tuple[str, object]:
    """compute in a child bounded to 20 s and 2 GiB: ("ok", results) or ("refused", message)."""
    code = f"""
import json, resource, signal, sys
resource.setrlimit(resource.RLIMIT_AS, ({2 << 30}, {2 << 30}))
signal.alarm(20)
from mathcore import DataError, lecture_results, load_data
try:
    data = load_data({str(path)!r})
except DataError as err:
    print(json.dumps(["refused", str(err)])); sys.exit(0)
print(json.dumps(["ok", lecture_results(data)], allow_nan=False))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    return tuple(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_compute_accepts_or_refuses_each_edge_in_bounded_time(case, tmp_path) -> None:
    status, value = _compute(case.write(tmp_path))
    if case.refused:
        assert status == "refused", f"{case.name} was accepted"
        assert "\n" not in value and f": {case.refused}: " in value, value
        return
    assert status == "ok", value
    heights, binary, descent = value["heights"], value["binary"], value["descent"]
    assert heights["mle_sigma"] > 0 and math.isfinite(heights["nll_at_mle"])
    for key, want in case.checks.items():
        got = {**heights, **binary, **descent}[key]
        if isinstance(want, float):
            assert got == pytest.approx(want, rel=1e-6), key
        else:
            assert got == want, key


def test_compute_reports_a_tiny_sigma_in_full(tmp_path) -> None:
    """mle_sigma was rounded to 10 decimals: 1.5e-12 was reported as 0.0."""
    results = lecture_results(load_data(CASES_BY_NAME["tiny-values-latin-unit"].write(tmp_path)))
    assert results["heights"]["mle_sigma"] == pytest.approx(1.5e-12, rel=1e-9)
    assert results["heights"]["mle_mu"] == pytest.approx(1.35e-11, rel=1e-12)


def test_the_narrowest_spread_error_names_key_and_values(tmp_path) -> None:
    with pytest.raises(DataError) as err:
        load_data(CASES_BY_NAME["spread-1e-15-relative"].write(tmp_path))
    message = str(err.value)
    assert "heights.samples" in message and "170" in message and "4.98e-13" in message
