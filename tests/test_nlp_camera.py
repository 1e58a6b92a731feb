"""Scene 11's camera move (issue 18 §5): while the voice says that the terms times 0 drop out,
the frame zooms onto the loss row and the cross-entropy, whose expanded line is too small to
read in the full frame, and comes back before the beat ends.

Dry runs (tests/scene_checks.py) of a scene that notes, after every ``play`` and ``wait``,
the camera's frame and the box of everything drawn: zoomed, everything drawn lies in the
zoomed frame's content box (its 5 % margins and 15 % caption band free) and the expanded
line is readable at 720p; at every beat's end (the beat stills, the layout records) and at
the scene's end the frame is the full frame; the conclusion is readable too. The deck's
example and far ones (8 tokens of 12 columns, 2 long Korean tokens), in both languages.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import pytest

from scene_checks import iter_drawn, run_scene
from scenes import SCENES_BY_ID, theme
from test_nlp_scene import CASES, use_case

SPEC = SCENES_BY_ID["nll-in-nlp"]
FULL_W, FULL_H = theme.FRAME_WIDTH, theme.FRAME_HEIGHT
TOLERANCE = 0.01  # scene units (~1 px at 720p zoomed twice)
MIN_EXPANDED_X_HEIGHT_PX = 14.0  # theme: font_size 22 (the floor) is about 14 px at 720p
MIN_CONCLUSION_X_HEIGHT_PX = 18.0  # main had 13.8 px (EN, shrunk to the chart's width) and 17.0 (KO)


def _frame(scene: Any) -> tuple[float, float, float]:
    frame = getattr(scene.camera, "frame", None)  # a plain Camera (no camera move): the full frame
    if frame is None:
        return 0.0, 0.0, FULL_W
    centre = frame.get_center()
    return float(centre[0]), float(centre[1]), float(frame.width)


def _content_box(cx: float, cy: float, width: float) -> tuple[float, float, float, float]:
    """The content box of a frame of ``width`` centred at (cx, cy): the same fractions of it as
    theme.CONTENT_* are of the full frame."""
    k = width / FULL_W
    return (cx + k * theme.CONTENT_LEFT, cy + k * theme.CONTENT_BOTTOM,
            cx + k * theme.CONTENT_RIGHT, cy + k * theme.CONTENT_TOP)


def _drawn_boxes(scene: Any) -> list[tuple[str, tuple[float, float, float, float]]]:
    boxes = []
    for top, mob in iter_drawn(scene):
        if mob is getattr(scene.camera, "frame", None):
            continue
        p = mob.points
        label = getattr(top, "text", None) or getattr(top, "tex_string", None) or type(top).__name__
        boxes.append((str(label)[:30], (float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()),
                                        float(p[:, 1].max()))))
    return boxes


def _watched_class():
    from scenes.s11_nlp import NextTokenLoss

    class Watched(NextTokenLoss):
        """Notes (beat key, frame, drawn boxes, on-screen x-height of the expanded line) after
        every play and wait, and the frame at every beat's end."""

        def setup(self) -> None:
            super().setup()
            self.beat_key, self.states, self.beat_ends = None, [], []

        @contextmanager
        def narrate(self, key, **fields):
            self.beat_key = key
            with super().narrate(key, **fields):
                yield
            self.beat_ends.append((key, _frame(self)))

        def note(self) -> None:
            from scenes.layout import x_height_per_font_size

            cross = getattr(self, "cross", None)
            # its parts: animating the terms times 0 (a group of some of them) splits the line
            # into top-level parts in the scene's list
            members = {id(m) for m in self.get_mobject_family_members()}
            shown = cross is not None and any(id(m) in members for m in cross[1].submobjects)
            x_height = (float(cross[1].font_size) * x_height_per_font_size("math") * 720 / (_frame(self)[2] * FULL_H / FULL_W)
                        if shown else None)
            self.states.append((self.beat_key, _frame(self), _drawn_boxes(self), x_height))

        def play(self, *args, **kwargs):
            super().play(*args, **kwargs)
            self.note()

        def wait(self, *args, **kwargs):
            super().wait(*args, **kwargs)
            self.note()

    return Watched


def _run(case: str, lang: str, tmp_path, monkeypatch) -> Any:
    use_case(case, lang, tmp_path, monkeypatch)
    import scene_checks

    monkeypatch.setattr(scene_checks, "scene_class", lambda spec: _watched_class())
    return run_scene(SPEC)


def camera_problems(scene: Any) -> list[str]:
    """What breaks the camera's rules in a watched run (empty: none)."""
    problems = []
    full = (0.0, 0.0, FULL_W)

    def is_full(frame: tuple[float, float, float]) -> bool:
        return all(abs(a - b) < 1e-6 for a, b in zip(frame, full))

    for key, frame, boxes, _x in scene.states:  # unzoomed: inside the full frame's content box
        if is_full(frame):
            problems += [f"{key}: {label!r} [{bx0:.2f}, {by0:.2f}, {bx1:.2f}, {by1:.2f}] is outside the content box"
                         for label, (bx0, by0, bx1, by1) in boxes
                         if bx0 < theme.CONTENT_LEFT - TOLERANCE or by0 < theme.CONTENT_BOTTOM - TOLERANCE
                         or bx1 > theme.CONTENT_RIGHT + TOLERANCE or by1 > theme.CONTENT_TOP + TOLERANCE]
    problems = list(dict.fromkeys(problems))
    zoomed = [s for s in scene.states if not is_full(s[1])]
    if not zoomed:
        return ["the camera never zooms"]
    keys = {key for key, *_ in zoomed}
    if keys != {"crossentropy_say"}:
        problems.append(f"zoomed during {sorted(keys)}, not only while the terms drop out (crossentropy_say)")
    widths = {round(s[1][2], 6) for s in zoomed}
    if max(widths) > 0.7 * FULL_W:
        problems.append(f"the zoom is slight: the frame is {max(widths) / FULL_W:.0%} of the full width")
    for key, frame, boxes, x_height in zoomed:
        x0, y0, x1, y1 = _content_box(*frame)
        for label, (bx0, by0, bx1, by1) in boxes:
            if bx0 < x0 - TOLERANCE or by0 < y0 - TOLERANCE or bx1 > x1 + TOLERANCE or by1 > y1 + TOLERANCE:
                problems.append(f"zoomed, {label!r} [{bx0:.2f}, {by0:.2f}, {bx1:.2f}, {by1:.2f}] is outside the "
                                f"content box [{x0:.2f}, {y0:.2f}, {x1:.2f}, {y1:.2f}]")
                break
    expanded = [x for _key, _frame, _boxes, x in zoomed if x is not None]
    if not expanded:
        problems.append("the expanded line is never shown while zoomed")
    elif min(expanded) < MIN_EXPANDED_X_HEIGHT_PX:
        problems.append(f"zoomed, the expanded line's x-height is {min(expanded):.1f} px at 720p "
                        f"(at least {MIN_EXPANDED_X_HEIGHT_PX:g})")
    # every line of the derivation and the loss row in view when the last of them is in
    last = [s for s in zoomed if s[3] is not None][-1:]
    for key, frame, boxes, _x in last:
        x0, y0, x1, y1 = _content_box(*frame)
        for line in [*scene.cross]:
            lx0, ly0 = line.get_corner([-1, -1, 0])[:2]
            lx1, ly1 = line.get_corner([1, 1, 0])[:2]
            if lx0 < x0 or ly0 < y0 or lx1 > x1 or ly1 > y1:
                problems.append(f"zoomed, the derivation's line {line!r} is not framed")
    for key, frame in scene.beat_ends:
        if not is_full(frame):
            problems.append(f"{key} ends zoomed (its still and layout record): frame {frame}")
    if not is_full(_frame(scene)):
        problems.append(f"the scene ends zoomed: frame {_frame(scene)}")
    if getattr(scene.camera, "frame", None) in scene.mobjects:
        problems.append("the camera's frame stays among the scene's mobjects")
    return problems


def conclusion_problems(scene: Any) -> list[str]:
    from scenes.layout import x_height_per_font_size

    conclusion = getattr(scene, "conclusion", None)
    if conclusion is None:  # a scene that does not name it: the last text it added
        from manim import Text

        conclusion = [m for m in scene.mobjects if isinstance(m, Text)][-1]
    x_height = float(conclusion.font_size) * x_height_per_font_size("text") * 720 / FULL_H
    return [] if x_height >= MIN_CONCLUSION_X_HEIGHT_PX else [
        f"the conclusion's x-height is {x_height:.1f} px at 720p (at least {MIN_CONCLUSION_X_HEIGHT_PX:g})"]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("case", ["deck", pytest.param("eight-long", marks=pytest.mark.slow),
                                  pytest.param("two-korean", marks=pytest.mark.slow),
                                  pytest.param("tiny-p", marks=pytest.mark.slow)])
def test_the_camera_zooms_onto_the_derivation_and_back(case, lang, tmp_path, monkeypatch, manim_config) -> None:
    scene = _run(case, lang, tmp_path, monkeypatch)
    problems = camera_problems(scene) + conclusion_problems(scene)
    assert not problems, f"{case} ({lang}):\n  " + "\n  ".join(problems)


def test_the_rules_see_a_scene_that_never_zooms_or_ends_zoomed() -> None:
    """camera_problems on made-up runs: no zoom; a zoom left on at a beat's end and the
    scene's end; something drawn in the zoomed frame's caption band."""
    from types import SimpleNamespace

    from manim import ScreenRectangle, VGroup

    frame = ScreenRectangle(height=FULL_H)
    scene = SimpleNamespace(camera=SimpleNamespace(frame=frame), mobjects=[], cross=VGroup(),
                            states=[("crossentropy_say", (0.0, 0.0, FULL_W), [], None)],
                            beat_ends=[("crossentropy_say", (0.0, 0.0, FULL_W))])
    assert camera_problems(scene) == ["the camera never zooms"]
    frame.scale_to_fit_width(FULL_W / 2)
    zoomed = (0.0, 0.0, FULL_W / 2)
    scene.states = [("crossentropy_say", zoomed, [("H", (-1.0, -1.9, 1.0, -1.0))], 20.0)]
    scene.beat_ends = [("crossentropy_say", zoomed)]
    found = camera_problems(scene)
    assert any("outside the content box" in p for p in found), found
    assert any("ends zoomed" in p for p in found) and any("scene ends zoomed" in p for p in found), found
    scene.states = [("crossentropy_say", zoomed, [("H", (-1.0, -1.0, 1.0, 1.0))], 9.0)]
    assert any("x-height is 9.0 px" in p for p in camera_problems(scene))
