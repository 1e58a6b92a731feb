"""Stillness measured on a scene's play timeline (every data file and language, no render)
agrees with the gate's measure on a render's frames (lecture/check/stillness.py).

The dry runs of tests/test_scenes.py record each play call (scene_checks.record_timeline)
and gate_problems reports a still stretch longer than MAX_STILL_S less
TIMELINE_STILL_MARGIN_S. Here: the timeline rule itself; a test scene with a 7 s hold
caught by both measures (dry run, and a small real render); and the two measures side by
side on every clip of the deck's Korean preview render.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lecture.check import thresholds
from lecture.check.stillness import recorded_still_stretches, still_stretches, timeline_still_stretches
from scene_checks import FAST_CONFIG, TIMELINE_STILL_MARGIN_S, record_timeline, run_scene, still_problems, use_lecture
from test_render_support import full_lecture  # noqa: F401 (fixture)


# The rule on a timeline ---------------------------------------------------------------------
def test_consecutive_still_plays_make_one_stretch() -> None:
    segments = [(0.0, 1.0, False), (1.0, 3.0, True), (3.0, 7.5, True), (7.5, 8.0, False), (8.0, 10.0, True)]
    assert timeline_still_stretches(segments, 6.0) == [(1.0, 7.5)]
    assert timeline_still_stretches(segments, 6.5) == []
    assert timeline_still_stretches(segments, 1.5, end_s=10.0) == [(1.0, 7.5), (8.0, 10.0)]


def test_time_with_no_play_and_the_scene_end_count_as_still() -> None:
    # nothing played between 2 and 9 s; the scene runs on 7 s after its last play
    assert timeline_still_stretches([(0.0, 2.0, False), (9.0, 10.0, False)], 6.0) == [(2.0, 9.0)]
    assert timeline_still_stretches([(0.0, 1.0, False)], 6.0, end_s=8.0) == [(1.0, 8.0)]
    assert timeline_still_stretches([(0.0, 1.0, True), (1.0, 7.0, True)], 6.0) == [(0.0, 7.0)]


# A scene that holds still -------------------------------------------------------------------
def hold_scene(hold_s: float):
    """A square that moves, holds still ``hold_s`` s, moves again, holds 1 s."""
    from manim import DOWN, RIGHT, Circle, FadeIn, Scene, Square

    class Hold(Scene):
        def construct(self) -> None:
            square = Square(color="#FF8C42", fill_opacity=1).shift(3 * DOWN)
            self.play(FadeIn(square), run_time=1.0)
            self.play(square.animate.shift(4 * RIGHT), run_time=1.0)
            self.wait(2.0)
            self.wait(hold_s - 2.0)  # two waits in a row: one still stretch
            self.play(FadeIn(Circle(color="#58C4DD")), run_time=1.0)
            self.wait(1.0)

    return Hold


@pytest.mark.parametrize(("hold_s", "caught"), [(7.0, True), (4.5, False)])
def test_the_timeline_catches_a_long_hold(hold_s, caught, manim_config) -> None:
    from manim import tempconfig

    with tempconfig(FAST_CONFIG):
        scene = record_timeline(hold_scene(hold_s)(skip_animations=True))
        scene.render()
    problems = still_problems(scene)
    assert bool(problems) == caught, problems
    if caught:
        assert problems == [f"nothing on screen changes for {hold_s:.1f} s (2.0-{2 + hold_s:.1f} s; "
                            f"at most {thresholds.MAX_STILL_S - TIMELINE_STILL_MARGIN_S:g})"]


def _matched(stretch: tuple[float, float], others: list[tuple[float, float]], margin: float,
             slack: float = 1.0) -> bool:
    """Some stretch of ``others`` overlaps ``stretch`` (within ``slack`` s) and is at most
    ``margin`` shorter."""
    start, end = stretch
    return any(b > start - slack and a < end + slack and (b - a) >= (end - start) - margin for a, b in others)


@pytest.mark.slow
def test_a_rendered_long_hold_is_found_by_both_measures(manim_config) -> None:
    """A real (tiny) render of the 7 s hold: the frames show it, the timeline shows it."""
    from manim import tempconfig

    small = {"pixel_width": 192, "pixel_height": 108, "frame_rate": 15, "disable_caching": True,
             "progress_bar": "none", "verbosity": "WARNING"}
    with tempconfig(small):
        scene = record_timeline(hold_scene(7.0)())
        scene.render()
        clip = Path(scene.renderer.file_writer.movie_file_path)
    frames = still_stretches(clip)
    timeline = timeline_still_stretches(scene.play_timeline, thresholds.MAX_STILL_S - TIMELINE_STILL_MARGIN_S,
                                        float(scene.time))
    assert len(frames) == 1 and len(timeline) == 1, (frames, timeline)
    assert 7.0 - 0.2 <= frames[0][1] - frames[0][0] <= 7.0 + TIMELINE_STILL_MARGIN_S, frames  # the move's slow end
    assert _matched(frames[0], timeline, TIMELINE_STILL_MARGIN_S) and _matched(timeline[0], frames, 0.5)


# The two measures on a real render ----------------------------------------------------------
COMPARE_FROM_S = 3.0  # stretches this long or longer are compared (the deck's preview has about ten)


@pytest.mark.slow
def test_the_timeline_agrees_with_the_frames_of_a_real_render(full_lecture, monkeypatch, manim_config) -> None:
    """Every scene of the deck's Korean preview render: each still stretch the frames show
    (over COMPARE_FROM_S; as the worker measured them while it rendered, what the gate reads)
    is on the dry run's timeline too, at most TIMELINE_STILL_MARGIN_S shorter, and each long
    one on the timeline is in the frames (no false alarm). The worker's measure and the old
    one on the decoded clip give the gate the same number of findings, and every still
    stretch the decoded frames show is in one the worker measured, give or take one sample
    at its ends: coding noise makes a static picture look changed for a while after a move
    (splitting or shortening a run) and can hide a change at the edge of the threshold."""
    from scenes import SCENES_BY_ID

    manifest = json.loads((full_lecture / "manifest.json").read_text(encoding="utf-8"))
    state = json.loads((full_lecture / ".nll-lecture-state.json").read_text(encoding="utf-8"))
    use_lecture(monkeypatch, "ko", None)
    compared, problems = 0, []
    for entry in manifest["scenes"]:
        scene = run_scene(SCENES_BY_ID[entry["id"]], frame_rate=15)  # the preview's frame rate
        clip = full_lecture / entry["clip"]
        record = state["scenes"][entry["id"]]["check"]["stillness"]
        frames = recorded_still_stretches(record, COMPARE_FROM_S, entry["frames"])
        assert frames is not None, entry["id"]
        slack = 1 / thresholds.STILL_SAMPLES_PER_S + 0.5 / 15  # a sample, and half a frame of timestamp rounding
        recorded, decoded = (recorded_still_stretches(record, thresholds.MAX_STILL_S, entry["frames"]),
                             still_stretches(clip))
        if len(recorded) != len(decoded) or any(abs(a - c) > slack or abs(b - d) > slack
                                                for (a, b), (c, d) in zip(recorded, decoded)):
            problems.append(f"{entry['id']}: the gate's findings differ: recorded {recorded}, decoded {decoded}")
        for start, end in still_stretches(clip, COMPARE_FROM_S):
            if not any(a - slack <= start and end <= b + slack for a, b in frames):
                problems.append(f"{entry['id']}: decoded still {(start, end)} in no recorded one {frames}")
        timeline = timeline_still_stretches(scene.play_timeline, COMPARE_FROM_S - TIMELINE_STILL_MARGIN_S,
                                            float(scene.time))
        compared += len(frames)
        for stretch in frames:
            if not _matched(stretch, timeline, TIMELINE_STILL_MARGIN_S):
                problems.append(f"{entry['id']}: frames still {stretch}, timeline {timeline}")
        for stretch in timeline:
            if stretch[1] - stretch[0] > COMPARE_FROM_S + TIMELINE_STILL_MARGIN_S and not _matched(
                    stretch, frames, TIMELINE_STILL_MARGIN_S):
                problems.append(f"{entry['id']}: timeline still {stretch}, frames {frames}")
    assert compared >= 5, f"only {compared} still stretches over {COMPARE_FROM_S} s to compare"
    assert not problems, "\n".join(problems)
