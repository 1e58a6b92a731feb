"""What is on screen at the end of a narration beat, for the pre-publish gate (lecture/check).

:func:`snapshot` lists every visible text, formula and number (its text, its box in frame
units, an estimate of its x-height in pixels at 720p) and the box of every visible
top-level mobject, where the camera draws them (a zoomed camera's view mapped onto the full
frame: scenes/focus.py). ``LectureScene.narrate`` notes one snapshot per beat in
``scene.layout_beats``; the render worker publishes them in the scene's record.
"""

from __future__ import annotations

import html
import re
from typing import Any

from manim import DecimalNumber, MarkupText, SingleStringMathTex, Text, ValueTracker, VMobject, config

from . import manim_patches, theme
from .focus import to_screen

__all__ = ["snapshot", "x_height_per_font_size"]

REFERENCE_HEIGHT_PX = 720  # x-heights are given as if the frame were 720 px high
_DIGITS = 4  # frame units rounded to 1e-4 (~0.01 px at 720p): same inputs, same record


def _visible(mob: Any) -> bool:
    """Some of ``mob``'s own points are drawn (fill or stroke with opacity)."""
    if isinstance(mob, ValueTracker) or len(mob.points) == 0:
        return False
    if not isinstance(mob, VMobject):
        return getattr(mob, "opacity", 1.0) != 0
    fill, stroke = mob.get_fill_opacities(), mob.get_stroke_opacities()
    return bool((len(fill) and float(max(fill)) > 0)
                or (len(stroke) and float(max(stroke)) > 0 and mob.get_stroke_width() > 0))


def _scene_box(parts: list[Any]) -> list[float] | None:
    """[x_min, y_min, x_max, y_max] of the visible points of ``parts``, or None."""
    drawn = [m.points for m in parts if _visible(m)]
    if not drawn:
        return None
    xs = [float(p[:, 0].min()) for p in drawn] + [float(p[:, 0].max()) for p in drawn]
    ys = [float(p[:, 1].min()) for p in drawn] + [float(p[:, 1].max()) for p in drawn]
    return [round(min(xs), _DIGITS), round(min(ys), _DIGITS), round(max(xs), _DIGITS), round(max(ys), _DIGITS)]


_X_HEIGHTS: dict[str, float] = {}


def x_height_per_font_size(kind: str) -> float:
    """Frame units of x-height per font_size unit: the height of an "x" set in the
    lecture's font (``kind`` "text") or in TeX ("math", also for DecimalNumber digits).
    Measured once; not kept while formulas are placeholders (the render worker's first
    pass, scenes/manim_patches.py ``deferred_tex``)."""
    if kind in _X_HEIGHTS:
        return _X_HEIGHTS[kind]
    probe = (Text("x", font=theme.FONT, font_size=100) if kind == "text"
             else SingleStringMathTex("x", font_size=100, tex_template=theme.TEX_TEMPLATE))
    value = float(probe.height) / 100
    if kind == "text" or not manim_patches.tex_deferred():
        _X_HEIGHTS[kind] = value
    return value


def _kind(mob: Any) -> str | None:
    if isinstance(mob, (Text, MarkupText)):
        return "text"
    if isinstance(mob, DecimalNumber):
        return "number"
    if isinstance(mob, SingleStringMathTex):  # MathTex, Tex
        return "math"
    return None


def _sans(mob: Any) -> bool:
    """A DecimalNumber whose characters are Text (scenes.readouts.SansDecimal)."""
    mob_class = getattr(mob, "mob_class", None)
    return isinstance(mob_class, type) and issubclass(mob_class, (Text, MarkupText))


def _label(mob: Any, kind: str) -> str:
    if kind == "number":
        value = mob.get_value()
        return f"{value:.{getattr(mob, 'num_decimal_places', 2)}f}"
    label = str(getattr(mob, "original_text", None) or getattr(mob, "tex_string", None) or getattr(mob, "text", None) or "")
    if isinstance(mob, MarkupText):  # as read: "×10−30" for "×10<sup>−30</sup>" (scenes/typography.py)
        label = html.unescape(re.sub(r"<[^>]+>", "", label))
    return label


def _first_text(mob: Any) -> str:
    """The first text or formula in ``mob``'s family (how a group is named in a finding)."""
    for part in mob.get_family():
        kind = _kind(part)
        if kind is not None:
            return _label(part, kind)
    return ""


# Plotted curves and drawn boxes, for the gate's "text over a curve or a box" rule.
CURVE_TYPES = ("ParametricFunction", "FunctionGraph", "ImplicitFunction")
BOX_TYPES = ("SurroundingRectangle", "Rectangle", "RoundedRectangle")
MIN_CURVE_ANCHORS = 12        # a plain VMobject with this many corners is a plotted curve
MAX_CURVE_POINTS = 240        # a curve is recorded as at most this many points


def _curve_points(mob: Any) -> list[list[float]] | None:
    """The anchors of a visible stroked curve (decimated), or None if ``mob`` is not one."""
    name = type(mob).__name__
    if not isinstance(mob, VMobject) or not _visible(mob) or mob.get_stroke_width() <= 0:
        return None
    if float(max(mob.get_stroke_opacities(), default=0.0)) <= 0:
        return None
    anchors = mob.get_anchors() if len(mob.points) else []
    if not (name in CURVE_TYPES or (name == "VMobject" and len(anchors) >= MIN_CURVE_ANCHORS)):
        return None
    step = max(1, len(anchors) // MAX_CURVE_POINTS)
    picked = list(anchors[::step]) + ([anchors[-1]] if len(anchors) else [])
    return [[round(float(p[0]), _DIGITS), round(float(p[1]), _DIGITS)] for p in picked]


def snapshot(scene: Any) -> dict[str, Any]:
    """Texts (text, kind, box, x-height at 720p), top-level boxes, and the plotted curves and
    drawn boxes (outlines) on screen now."""
    texts: list[dict[str, Any]] = []
    objects: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    px_per_unit = REFERENCE_HEIGHT_PX / config.frame_height
    # where things are drawn: a moved camera (scenes/focus.py) maps scene units to the screen
    cx, cy, zoom = to_screen(scene)

    def _box(parts: list[Any]) -> list[float] | None:
        box = _scene_box(parts)
        if box is None or (cx, cy, zoom) == (0.0, 0.0, 1.0):
            return box
        return [round((box[0] - cx) * zoom, _DIGITS), round((box[1] - cy) * zoom, _DIGITS),
                round((box[2] - cx) * zoom, _DIGITS), round((box[3] - cy) * zoom, _DIGITS)]

    def _curve_on_screen(mob: Any) -> list[list[float]] | None:
        points = _curve_points(mob)
        if points is None or (cx, cy, zoom) == (0.0, 0.0, 1.0):
            return points
        return [[round((x - cx) * zoom, _DIGITS), round((y - cy) * zoom, _DIGITS)] for x, y in points]

    def walk(mob: Any) -> None:
        name = type(mob).__name__
        if name in BOX_TYPES and _visible(mob) and mob.get_stroke_width() > 0 \
                and float(max(mob.get_stroke_opacities(), default=0.0)) > 0:
            box = _box([mob])
            if box is not None:
                lines.append({"kind": "box", "box": box})
        else:
            points = _curve_on_screen(mob)
            if points is not None:
                lines.append({"kind": "curve", "points": points})
        kind = _kind(mob)
        if kind is not None:
            box = _box(mob.get_family())
            if box is not None:
                ratio = x_height_per_font_size("text" if kind == "text" or _sans(mob) else "math")
                texts.append({"text": _label(mob, kind)[:80], "kind": kind, "box": box,
                              "x_height_px": round(float(mob.font_size) * ratio * px_per_unit * zoom, 2)})
            return
        for sub in mob.submobjects:
            walk(sub)

    for top in [*scene.mobjects, *scene.foreground_mobjects]:
        walk(top)
        box = _box(top.get_family())
        if box is not None:
            objects.append({"name": type(top).__name__, "text": _first_text(top)[:80], "box": box})
    return {"texts": texts, "objects": objects, "lines": lines}
