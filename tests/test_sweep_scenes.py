"""Every accepted data file renders every scene in bounded time and memory (issue 8, section 1).

For each case of tests/test_sweep_data.py that compute accepts, the scenes that read its keys
are constructed (the fast dry run of tests/scene_checks.py) in a child process limited to
3 GiB of address space and 120 s a scene, in both languages where its text matters; then
the usual checks: nothing off-frame at the end, the narration is the scene's, shown numbers
equal mathcore's, and no number is written out in 20 or more digits.

Before the fixes of issue 8: a spread of 1e-12 or values around 1e-11 built millions of
axis ticks (no end, memory growing), sigma above 2e11 divided by a zero tick step, counts of
10^15 allocated arrays over every outcome, 1e300 was narrated with 301 digits.
"""

from __future__ import annotations

import pytest

from scene_checks import sweep_scenes
from test_sweep_data import CASES

RUNS = [
    pytest.param(case, lang, id=f"{case.name}-{lang}", marks=[pytest.mark.slow] if case.slow else [])
    for case in CASES if not case.refused
    for lang in case.langs
]


@pytest.mark.parametrize(("case", "lang"), RUNS)
def test_scenes_render_each_accepted_edge(case, lang, tmp_path, manim_media_dir) -> None:
    reports = sweep_scenes(case.write(tmp_path), lang, list(case.scenes), manim_media_dir)
    problems = [f"{scene}: {problem}" for scene, report in reports.items() for problem in report["problems"]]
    assert not problems, f"{case.name} ({lang}):\n  " + "\n  ".join(problems)
