"""Every lecture scene, in both languages, with the deck's data and the test data files.

One fast run per (scene, language, data file) — construct() runs completely, nothing is
encoded (see tests/scene_checks.py) — then three checks on the finished scene:
  - nothing visible lies outside the frame at the end;
  - the narration: captions exist, are the scene's lines in the chosen language, and lie
    inside the scene's duration;
  - every number the scene recorded with ``record_shown`` equals mathcore's, and a number
    the narration reads is written as the screen shows it;
  - what the pre-publish gate checks: layout, caption cues, and stillness (on the dry
    run's play timeline: tests/test_stillness_timeline.py shows it agrees with frames).
Plus key frames compared with committed control data (tests/control_data/scenes/;
regenerate with ``pytest tests/test_scenes.py -k frame --set_test``).
"""

from __future__ import annotations

from typing import Any

import pytest

from scenes import LANGUAGES, SCENES_IN_ORDER, strings
from lecture.check.numbers import expected_for
from scene_checks import (
    compare_numbers,
    gate_problems,
    digits_tolerance,
    narrated_number_problems,
    narration_problems,
    off_frame,
    prefetch_formulas,
    run_group,
    run_scene_once,
    scene_class,
    shared_tex,
    use_lecture,
)

# The deck's data (None) and the test data files: other units, 1 000 samples, CSV input,
# a label seen 10/0 times, counts 1/199, two samples, long Korean labels and title; the
# review's 25 heights in metres with counts 31/19 and no [descent]; a data file with its own story.
DATA_FILES = (None, "metres_1000.toml", "csv_inches.toml", "tiny_lopsided.toml", "metres_25.toml",
              "story_exam.toml")  # issue 17: a named story (body weights; exam results of candidates)


def number_problems(scene: Any) -> list[str]:
    return compare_numbers(scene.shown_numbers, expected_for(scene.scene_id), scene.data, scene.results,
                           tolerances=getattr(scene, "shown_tolerances", {}))


# The scene runs ----------------------------------------------------------------------
def _data_id(data_file: str | None) -> str:
    return "deck" if data_file is None else data_file.removesuffix(".toml")


SCENE_RUNS = [
    pytest.param(spec, lang, data_file, id=f"{spec.index:02d}-{spec.id}-{lang}-{_data_id(data_file)}",
                 marks=run_group(spec.id, lang, data_file))  # tests/test_scene_content_box.py reads the same run
    for spec in SCENES_IN_ORDER
    for lang in LANGUAGES
    for data_file in DATA_FILES
]


@pytest.mark.slow
@pytest.mark.parametrize(("spec", "lang", "data_file"), SCENE_RUNS)
def test_scene(spec, lang, data_file, monkeypatch, manim_config) -> None:
    """Construct the scene fully; then nothing off-frame, narration right, numbers right."""
    scene = run_scene_once(spec, lang, data_file, monkeypatch)

    problems = [f"off-frame at the end: {item}" for item in off_frame(scene)]
    problems += [f"narration: {item}" for item in narration_problems(scene, lang)]
    problems += [f"shown number: {item}" for item in number_problems(scene)]
    problems += [f"narrated number: {item}" for item in narrated_number_problems(scene)]
    problems += gate_problems(scene, lang)  # what `nll-lecture check` would say of it (stillness included)
    assert not problems, f"{spec.file} ({lang}, {_data_id(data_file)}):\n  " + "\n  ".join(problems)


# Fast checks of the scene files and their strings (no rendering) ------------------------
@pytest.mark.parametrize("spec", SCENES_IN_ORDER, ids=[s.id for s in SCENES_IN_ORDER])
def test_scene_class_matches_catalog(spec) -> None:
    cls = scene_class(spec)
    assert cls.scene_id == spec.id


@pytest.mark.parametrize("spec", SCENES_IN_ORDER, ids=[s.id for s in SCENES_IN_ORDER])
def test_strings_have_the_same_keys_in_both_languages(spec) -> None:
    ko, en = strings(spec.id, "ko"), strings(spec.id, "en")
    assert set(ko) == set(en), f"only in ko: {set(ko) - set(en)}; only in en: {set(en) - set(ko)}"
    assert "title" in ko


def test_the_number_checks_catch_a_wrong_value_and_an_unknown_name() -> None:
    """The number check itself: a wrong value and an unlisted name both fail."""
    from mathcore import lecture_results, load_data

    data = load_data(None)
    results = lecture_results(data)
    expected = expected_for("phone-os")
    assert compare_numbers({"p_hat": 0.7}, expected, data, results) == []
    assert compare_numbers({"p_hat": 0.7 + 1e-6}, expected, data, results)
    assert compare_numbers({"no_such_number": 1.0}, expected, data, results)
    # A display-rounded value passes to its digits; a wrong digit does not.
    assert compare_numbers({"mle_mu": 168.34}, expected, data, results) == []
    assert compare_numbers({"mle_mu": 168.35}, expected, data, results)
    assert digits_tolerance(0.26040522098706587) == 0.0


def test_the_frame_check_sees_what_sticks_out() -> None:
    """off_frame flags a visible mobject past the edge, not an invisible one or a tracker."""
    from manim import Circle, Square, ValueTracker, tempconfig
    from manim import Scene

    with tempconfig({"dry_run": True, "progress_bar": "none"}):
        scene = Scene(skip_animations=True)
    inside, outside = Square(side_length=1), Circle(radius=0.5).move_to([7.5, 0, 0])
    hidden = Square().move_to([0, 5, 0]).set_opacity(0)
    scene.add(inside, hidden, ValueTracker(168.3))
    assert off_frame(scene) == []
    scene.add(outside)
    assert [item.mobject for item in off_frame(scene)] == ["Circle"]


def test_the_narration_check_catches_wrong_language_and_late_cues() -> None:
    """narration_problems: a caption from the other language or past the end is reported."""
    import datetime
    from types import SimpleNamespace

    import srt

    from mathcore import load_data

    def fake_scene(lines: list[tuple[str, float, float]], duration: float):
        subs = [srt.Subtitle(i, datetime.timedelta(seconds=a), datetime.timedelta(seconds=b), text)
                for i, (text, a, b) in enumerate(lines)]
        writer = SimpleNamespace(subcaptions=subs)
        return SimpleNamespace(renderer=SimpleNamespace(file_writer=writer), scene_id="title",
                               time=duration, data=load_data(None))

    ko, en = strings("title", "ko"), strings("title", "en")
    good = fake_scene([(ko["intro_say"], 0.0, 4.0), (ko["outline_say"], 4.0, 9.0)], 9.5)
    assert narration_problems(good, "ko") == []
    assert narration_problems(good, "en")  # Korean lines in an English scene
    late = fake_scene([(en["intro_say"], 0.0, 4.0), (en["outline_say"], 3.0, 12.0)], 9.5)
    problems = narration_problems(late, "en")
    assert any("outside" in p for p in problems) and any("before the previous" in p for p in problems)
    assert narration_problems(fake_scene([], 3.0), "ko") == ["no subcaption at all"]


# Axes and numbers at any scale (issue 8) ------------------------------------------------
def test_axes_have_a_bounded_tick_count_at_any_scale() -> None:
    """manim's NumberLine lays ticks over x_max + 1e-6: a y axis from 0 to 5e-13 by 1e-13
    got ten million ticks (the render of values around 1e-11 never ended)."""
    from scenes.axes import CornerAxes, SafeAxes

    for axes_class in (SafeAxes, CornerAxes):
        axes = axes_class(x_range=[170 - 3e-12, 170 + 3e-12, 1e-12], y_range=[0.0, 5e-13, 1e-13],
                          x_length=4, y_length=3, tips=False)
        assert len(axes.x_axis.ticks) == 7 and len(axes.y_axis.ticks) == 6


def test_the_y_axis_sits_at_the_left_end_for_negative_data() -> None:
    """manim puts the y axis at the end of the x range nearest 0: the far right for negative
    samples."""
    from scenes.axes import CornerAxes

    axes = CornerAxes(x_range=[-16, -8, 2], y_range=[0.0, 0.3, 0.1], x_length=8, y_length=3, tips=False)
    assert axes.y_axis.get_center()[0] == pytest.approx(axes.x_axis.get_left()[0], abs=1e-6)
    assert axes.c2p(-16, 0)[0] == pytest.approx(axes.x_axis.get_left()[0], abs=1e-6)
    assert axes.x_axis.get_center()[1] == pytest.approx(axes.y_axis.get_bottom()[1], abs=1e-6)


def test_huge_and_tiny_numbers_are_written_in_scientific_form() -> None:
    """learning_rate 1e300 was narrated and shown with 301 digits."""
    from scenes.number_format import number_text, sci_words
    from scenes.s10_descent import plain_number, tex_number

    assert plain_number(1e300) == "1 × 10³⁰⁰" and tex_number(1e300) == r"1 \times 10^{300}"
    assert plain_number(1e-12) == "1 × 10⁻¹²" and plain_number(0.01) == "0.01"
    assert tex_number(-2.5e-12) == r"-2.5 \times 10^{-12}"
    assert sci_words(2.05e12) == "2.05 × 10¹²"
    assert number_text(2.05e12, 1e10) == "2.05×10¹²"


def test_an_indicate_at_the_columns_edge_stays_in_the_content_area() -> None:
    """Scene 8's readout at the right edge went 5 px into the safe margin while Indicate
    scaled it by 1.15 (1000 heights in metres): inside_scale lowers the factor to what fits."""
    from manim import Square

    from scenes import theme
    from scenes.draw import inside_scale

    at_edge = Square(1).move_to([theme.CONTENT_RIGHT - 0.55, 0, 0])
    assert inside_scale(at_edge, 1.2) == pytest.approx(1.1)
    assert at_edge.copy().scale(inside_scale(at_edge, 1.2)).get_right()[0] <= theme.CONTENT_RIGHT + 1e-9
    assert inside_scale(Square(1), 1.15) == pytest.approx(1.15)  # room all round: as asked
    assert inside_scale(Square(1).move_to([theme.CONTENT_RIGHT, 0, 0]), 1.15) == 1.0  # never shrinks it


def test_long_descents_are_shown_in_bounded_moves() -> None:
    from scenes.s10_descent import step_targets

    targets = step_targets(1000)
    assert targets == sorted(set(targets)) and targets[-1] == 1000 and len(targets) <= 20
    assert targets[:10] == list(range(1, 11))  # the first steps one by one
    assert step_targets(20) == list(range(1, 21)) and step_targets(30)[:11] == [*range(1, 11), 12]


# Key frames ----------------------------------------------------------------------------
from manim import MovingCamera  # noqa: E402
from manim.renderer.cairo_renderer import CairoRenderer  # noqa: E402
from manim.utils.testing.frames_comparison import frames_comparison  # noqa: E402

from scenes.s01_title import TitleScene
from scenes.s11_nlp import NextTokenLoss  # noqa: E402
from scenes.s12_closing import Closing  # noqa: E402

__module_test__ = "scenes"


@pytest.fixture
def frames_here(monkeypatch, tmp_path):
    """frames_comparison skips on cairo < 1.18 because manim's own control data was drawn
    with 1.18. Ours is drawn by this project's setup (tests/control_data/scenes/README.md
    names the versions), so the comparison is meaningful on any cairo: lift the guard.
    Its tex_dir is the test's tmp_path: seeded with the shared TeX SVGs (scene_checks.shared_tex)."""
    import manim.utils.testing.frames_comparison as frames_module

    monkeypatch.setattr(frames_module, "MIN_CAIRO_VERSION", 0)
    with shared_tex(tmp_path):
        yield


FRAME_SCENES = {"test_frame_title_card_ko": TitleScene, "test_frame_nlp_last_en": NextTokenLoss,
                "test_frame_closing_last_ko": Closing}


@pytest.fixture
def formulas_batched(tmp_path, tmp_path_factory, request):
    """The scene's formulas compiled in one LuaLaTeX run (the render worker's first pass,
    lecture/texbatch.py) into the tex folder frames_comparison gives the test (its
    tmp_path), before the scene is built: not one run per formula."""
    prefetch_formulas(FRAME_SCENES[request.node.name], tmp_path, tmp_path_factory.mktemp("first-pass"))


@pytest.fixture
def korean(monkeypatch, frames_here):
    use_lecture(monkeypatch, "ko", None)


@pytest.fixture
def english(monkeypatch, frames_here):
    use_lecture(monkeypatch, "en", None)


@pytest.mark.slow
@pytest.mark.usefixtures("korean", "formulas_batched")
@frames_comparison(base_scene=TitleScene)
def test_frame_title_card_ko(scene) -> None:
    """Scene 1's last frame: the deck's course, title, author and date at the top, the
    outline and the two datasets under them."""
    TitleScene.construct(scene)


class MovingCameraRenderer(CairoRenderer):
    """frames_comparison hands the scene a renderer of its own, whose camera is manim's plain
    Camera whatever the scene's class says; scene 11 is a MovingCameraScene (its zoom)."""

    def __init__(self, *args, camera_class=MovingCamera, **kwargs) -> None:
        super().__init__(*args, camera_class=camera_class, **kwargs)


@pytest.mark.slow
@pytest.mark.usefixtures("english", "formulas_batched")
@frames_comparison(base_scene=NextTokenLoss, renderer_class=MovingCameraRenderer)
def test_frame_nlp_last_en(scene) -> None:
    """Scene 11's last frame: the bars after descent, readouts, cross-entropy, conclusion."""
    NextTokenLoss.construct(scene)


@pytest.mark.slow
@pytest.mark.usefixtures("korean", "formulas_batched")
@frames_comparison(base_scene=Closing)
def test_frame_closing_last_ko(scene) -> None:
    """The closing scene's last frame: the lit chain, formulas, 감사합니다 and the author."""
    Closing.construct(scene)
