"""Scenes 2-6 (likelihood, continuous and discrete, comparing, height samples, maximum
likelihood) against the review's findings (issue 10, section 3), on fast runs
(tests/scene_checks.py: construct() runs completely, nothing is encoded):

- the gate's layout rules hold at every beat's end (no overlaps, inside the 3% safe margin,
  x-height at least 10 px at 720p), with the deck's data and the review's metres file;
- every scene's result stays fully on screen at least 3 s;
- scene 5 lists the samples (up to 12) or gives n, mean and sd, and says so;
- scene 3 writes the binomial coefficient (letters when the counts are too long to write);
- scenes 5 and 6: the heights axes fit the data; scene 6 zooms the likelihood to its peak.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lecture.check.layout import layout_problems
from scene_checks import DATA_DIR, run_scene, use_lecture
from scenes import SCENES_BY_ID
from test_scenes import number_problems

SCENES = ("likelihood-continuous", "likelihood-discrete", "comparing-likelihoods", "height-samples",
          "maximum-likelihood")
RUNS = [(scene, lang, data) for scene in SCENES for lang, data in (("ko", None), ("en", "metres_25.toml"))]


def _run(monkeypatch: Any, scene_id: str, lang: str, data: str | Path | None) -> Any:
    use_lecture(monkeypatch, lang, None)
    if data is not None:
        monkeypatch.setenv("NLL_LECTURE_DATA", str(data if Path(str(data)).is_absolute() else DATA_DIR / data))
    return run_scene(SCENES_BY_ID[scene_id])


def _keys(scene: Any) -> list[str]:
    return [beat["key"] for beat in scene.layout_beats]


def _texts(scene: Any) -> list[str]:
    return [t["text"] for beat in scene.layout_beats for t in beat["texts"]]


@pytest.mark.slow
@pytest.mark.parametrize(("scene_id", "lang", "data"), RUNS, ids=[f"{s}-{l}-{d or 'deck'}" for s, l, d in RUNS])
def test_layout_clean_and_result_held(scene_id, lang, data, monkeypatch, manim_config) -> None:
    scene = _run(monkeypatch, scene_id, lang, data)
    problems = [f"{t:.1f} s: {message}" for t, message in layout_problems(scene.layout_beats, 1280, 720)]
    assert not problems, "\n".join(problems)
    assert scene.time - scene.result_shown_at >= 3.0 - 1e-6  # the result is held at least 3 s
    assert not number_problems(scene)


@pytest.mark.slow
def test_height_samples_lists_up_to_twelve_samples(monkeypatch, manim_config) -> None:
    scene = _run(monkeypatch, "height-samples", "ko", None)
    samples = sorted(scene.data.heights.samples)
    assert [scene.shown_numbers[f"sample_{i}"] for i in range(1, 11)] == samples
    assert "sample_count" not in scene.shown_numbers
    assert "samples_say" in _keys(scene) and "samples_summary_say" not in _keys(scene)
    assert "164.95" in _texts(scene) and "172.63" in _texts(scene)
    assert any(t.startswith("θ = μ (σ = ") and "고정" in t for t in _texts(scene))  # theta is mu, sigma fixed


@pytest.mark.slow
def test_height_samples_summarises_more_samples(monkeypatch, manim_config) -> None:
    scene = _run(monkeypatch, "height-samples", "en", "metres_25.toml")
    h = scene.data.heights
    assert scene.shown_numbers["sample_count"] == 25
    assert scene.shown_numbers["sample_mean"] == pytest.approx(h.mle_mu, abs=1e-4)
    assert scene.shown_numbers["sample_sd"] == pytest.approx(h.mle_sigma, abs=1e-4)
    assert not any(re.fullmatch(r"sample_\d+", name) for name in scene.shown_numbers)
    assert "samples_summary_say" in _keys(scene) and "samples_say" not in _keys(scene)
    texts = _texts(scene)
    assert "n = 25" in texts and any(t.startswith("mean 1.71") for t in texts) and any(t.startswith("sd 0.07") for t in texts)
    # the samples fill half the axis (1.2 to 2.2 m before: 36%)
    low, high = scene.get_x_ticks().start, scene.get_x_ticks().end
    assert (max(h.samples) - min(h.samples)) / (high - low) >= 0.5


@pytest.mark.slow
@pytest.mark.parametrize("data", [None, "metres_25.toml", "metres_1000.toml", "tiny_lopsided.toml"])
def test_mle_zooms_the_likelihood_to_its_peak(data, monkeypatch, manim_config) -> None:
    from mathcore.heights_view import relative_likelihood_curve, view_interval

    scene = _run(monkeypatch, "maximum-likelihood", "ko", data)
    h = scene.data.heights
    x_window, mu_window = scene.get_windows()
    width = h.sigma / math.sqrt(len(h.samples))
    assert mu_window.start == pytest.approx(h.mle_mu - 4 * width) and mu_window.end == pytest.approx(h.mle_mu + 4 * width)
    ends = relative_likelihood_curve(h.samples, [mu_window.start, mu_window.end], h.sigma)
    assert np.all(ends < 1e-3)  # the whole peak is inside, and it fills the panel (half height over 29%)
    assert 2 * math.sqrt(2 * math.log(2)) * width / (mu_window.end - mu_window.start) > 0.29
    # the samples' panel: the samples and the curve to 2.5 sigma at both ends of the sweep, no more
    assert (x_window.start, x_window.end) == view_interval(h.samples, [mu_window.start, mu_window.end], h.sigma, 2.5)
    if data in (None, "metres_25.toml"):
        assert (max(h.samples) - min(h.samples)) / (x_window.end - x_window.start) >= 0.35
    assert "zoom_say" in _keys(scene)


@pytest.mark.slow
@pytest.mark.parametrize(("data", "binom"), [(None, r"\binom{10}{7}"), ("counts-1e15", r"\binom{n}{k}")])
def test_discrete_writes_the_constant(data, binom, monkeypatch, manim_config, tmp_path) -> None:
    if data == "counts-1e15":
        data = tmp_path / "counts.toml"
        data.write_text("[binary]\ncounts = [1000000000000000, 3]\n", encoding="utf-8")
    scene = _run(monkeypatch, "likelihood-discrete", "en", data)
    assert any(binom in t for t in _texts(scene))
    # on screen the keyword note; the sentence "defined up to a constant factor" is the voice's (issue 18)
    assert any(t.endswith(": no p in it") for t in _texts(scene)), _texts(scene)
    assert "constant_say" in _keys(scene)
