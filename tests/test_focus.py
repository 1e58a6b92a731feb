"""The camera's focus (scenes/focus.py) and scene 10's zoom onto the valley (issue 18, "move
the camera or zoom where a detail matters").

The helper: a focus frames its points inside the theme's content area, never zooms on what is
not small, and keeps the zoomed content area inside the full view's (so the move itself keeps
the reserved areas free). Scene 10 (dry runs, tests/scene_checks.py): with the deck's data
the camera zooms onto the last steps and p-hat's dot, and is back to the full view before the
outcome is said and at the end; no zoom where it makes no sense (a diverged run, a run that
stops short, a run of one visible step); no beat ends (a still, the poster's candidates)
during a camera move; every beat's layout, zoomed or not, passes the gate's rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from scenes import SCENES_BY_ID, theme

DIVERGING = "[binary]\ncounts = [55, 45]\n[descent]\nstart = 0.9\nlearning_rate = 0.05\nsteps = 12\n"
SHORT = "[descent]\nstart = 0.2\nlearning_rate = 0.0001\nsteps = 3\n"      # stops far from p_hat
ONE_STEP = "[descent]\nstart = 0.6\nlearning_rate = 0.024\nsteps = 1\n"    # lands on p_hat at once
VANISHED = "[descent]\nstart = 0.2\nlearning_rate = 0.01\nsteps = 30\n"    # skipped moves while zoomed


# The helper --------------------------------------------------------------------------------
def _inside(inner, outer, tolerance: float = 1e-9) -> bool:
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


FULL = (theme.CONTENT_LEFT, theme.CONTENT_BOTTOM, theme.CONTENT_RIGHT, theme.CONTENT_TOP)


@pytest.mark.parametrize("points", [
    [(0.0, 0.0), (0.3, 0.05)],
    [(6.0, -2.7), (6.2, -2.6)],       # in the content area's bottom-right corner
    [(-6.3, -2.5), (-6.25, -2.4)],    # its bottom-left corner
    [(1.0, 1.0), (1.0, 1.0)],          # one point: the largest zoom
])
def test_a_focus_frames_its_points_inside_the_content_area(points) -> None:
    from scenes.focus import MAX_ZOOM, MIN_ZOOM, fit_focus

    focus = fit_focus(points, reserve_top=0.8)
    assert focus is not None and MIN_ZOOM <= focus.zoom <= MAX_ZOOM
    assert all(focus.contains(p) for p in points)
    # below the reserved strip
    strip = focus.to_scene(0.0, theme.CONTENT_TOP - 0.8)[1]
    assert max(p[1] for p in points) <= strip + 1e-9
    # the zoomed content area inside the full view's: the move keeps the margins free
    assert _inside(focus.content_box(), FULL)


@pytest.mark.parametrize("points", [
    [(-3.0, 0.0), (3.0, 0.5)],       # wide: already large in the full view
    [(0.0, -2.0), (0.1, 2.5)],        # tall
    [(0.0, 0.0), (7.0, 0.0)],         # outside the content area
    [(0.0, float("nan"))],
    [(-6.3, 3.5), (-6.25, 3.4)],      # in the content area's top-left corner: under the readout's strip
    [],
])
def test_no_focus_on_what_is_not_small(points) -> None:
    from scenes.focus import fit_focus

    assert fit_focus(points, reserve_top=0.8) is None


def test_the_helper_examples_are_true() -> None:
    import doctest

    from scenes import focus

    result = doctest.testmod(focus)
    assert result.attempted >= 3 and result.failed == 0


def test_clip_keeps_only_runs_inside() -> None:
    from scenes.focus import clip_polyline

    xs = np.linspace(-2, 2, 81)
    runs = clip_polyline(np.stack([xs, xs ** 2], axis=1), (-1.0, 0.0, 1.0, 0.5))
    assert len(runs) == 1 and np.all(np.abs(runs[0][:, 0]) <= 1) and np.all(runs[0][:, 1] <= 0.5)


# Scene 10 ----------------------------------------------------------------------------------
def _descent(lang: str, data: str | None, tmp_path, monkeypatch, gate: bool = True) -> Any:
    from scene_checks import gate_problems, off_frame, run_scene, use_data_text

    use_data_text(monkeypatch, lang, data, tmp_path)
    scene = run_scene(SCENES_BY_ID["gradient-descent"])
    problems = [f"off-frame: {item}" for item in off_frame(scene)] + (gate_problems(scene, lang) if gate else [])
    assert not problems, "\n".join(problems)
    return scene


def _outside_content(scene: Any) -> list[str]:
    found = []
    for beat in scene.layout_beats:
        for item in [*beat["objects"], *beat["texts"]]:
            if not _inside(item["box"], FULL, 0.01):
                found.append(f"{beat['key']}: {item.get('name') or item.get('kind')} {item.get('text')!r} {item['box']}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang, data", [("ko", None), ("en", None), ("en", VANISHED)])
def test_scene_10_zooms_onto_the_valley_and_back(lang, data, tmp_path, monkeypatch, manim_config) -> None:
    from scenes.focus import is_full_view

    scene = _descent(lang, data, tmp_path, monkeypatch)
    focus = scene.focus
    assert focus is not None and [kind for kind, *_ in scene.camera_moves] == ["in", "out"]
    # the zoom frames the minimum and the steps it is there for
    axes = scene.plot_axes
    assert focus.contains(scene.valley_dot.get_center())
    shown = [scene.iterate_point(axes, stop) for stop, *_ in scene.landings if stop >= scene.focus_step]
    assert shown and all(focus.contains(point) for point in shown)
    assert focus.zoom >= 2
    # back to the full view before the outcome is said, and at the end
    keys = [beat["key"] for beat in scene.layout_beats]
    outcome = keys.index(f"{scene.outcome_key()}_say")
    back_at = scene.camera_moves[-1][2]
    lines = scene.renderer.file_writer.subcaptions  # one per beat, in order: the beats' starts
    assert len(lines) == len(scene.layout_beats)
    assert back_at <= lines[outcome].start.total_seconds() + 1e-6
    assert is_full_view(scene)
    # no beat ends (a still) during a move
    for _, start, end in scene.camera_moves:
        assert not any(start - 1e-6 < beat["time_s"] < end + 1e-6 for beat in scene.layout_beats)
    assert not _outside_content(scene)


@pytest.mark.slow
@pytest.mark.parametrize("lang, data", [("ko", DIVERGING), ("en", SHORT), ("en", ONE_STEP)])
def test_scene_10_does_not_zoom_where_nothing_is_small(lang, data, tmp_path, monkeypatch, manim_config) -> None:
    from scenes.focus import is_full_view

    # one step: the scene's beat around it holds still too long (the gate's stillness rule,
    # not the camera's business); the other rules are checked
    scene = _descent(lang, data, tmp_path, monkeypatch, gate=data != ONE_STEP)
    assert scene.focus is None and scene.camera_moves == [] and is_full_view(scene)
    assert not _outside_content(scene)


@pytest.mark.parametrize("converged, diverged, steps, zoom", [
    (True, False, 5, True),      # five tiny last steps: zoom
    (False, False, 5, False),    # stopped short: nothing converged to look at
    (False, True, 5, False),     # diverged
    (True, False, 1, False),     # one tiny step is not a run of them
])
def test_scene_10_plans_a_zoom_only_for_tiny_last_steps_of_a_converged_run(converged, diverged, steps, zoom) -> None:
    from types import SimpleNamespace

    from manim import Dot

    from scenes.s10_descent import GradientDescent

    points = [np.array([-1.0, 0.0, 0.0])] + [np.array([0.05 * i, 0.0, 0.0]) for i in range(1, steps + 1)]
    stub = SimpleNamespace(results={"descent": {"converged": converged, "diverged": diverged}},
                           iterate_point=lambda axes, i: points[i])
    GradientDescent.plan_focus(stub, None, list(range(1, steps + 1)), Dot([0.3, 0.0, 0.0]))
    assert (stub.focus is not None) == zoom and (stub.focus_step is not None) == zoom
    if zoom:  # from the first tiny jump on: the big first jump is not in it
        assert stub.focus_step == 2 and stub.focus.contains(points[1]) and stub.focus.contains((0.3, 0.0))
