"""Camera focus: zoom a scene's camera onto a small detail and back (issue 18, "move the
camera or zoom where a detail matters").

A scene that focuses is also a ``MovingCameraScene`` (``class X(LectureScene,
MovingCameraScene)``). A :class:`Focus` says where the camera looks and how far it zooms;
what stays on screen while focused must lie in :meth:`Focus.content_box`, the part of the
scene that lands in the theme's content area (scenes/theme.py ``CONTENT_*``: outside the 5 %
action-safe margins and above the caption band) when the camera looks there. The gate
measures the rendered pixels, so a focus goes like this:

1. ``focus = fit_focus(points, ...)``: the smallest-detail view that shows ``points`` (or
   None: the detail is not small, nothing to zoom on; the scene stays in the full view);
2. fade out what does not lie in ``focus.content_box()`` (in the full view), then
   ``self.play(focus_on(self, focus))``;
3. while focused, sizes meant to look as in the full view (strokes, dot radii, text) are
   multiplied by :func:`view_scale` (text built at its normal size and scaled by
   ``1 / focus.zoom``: the x-height on screen stays the lecture's);
4. ``self.play(focus_back(self))``, then fade the rest back in.

Why the move itself is safe: the camera frame's corners move linearly from the full view to
the focus, so the content area's edges (in scene units) do too; a point inside the content
box of the full view and of the focus is inside it at every frame of the move.
:func:`fit_focus` keeps the focus's content box inside the full view's.

:func:`to_screen` maps a scene point to where it is drawn, in the full view's units
(scenes/layout.py records what is on screen with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np
from manim import ORIGIN, config

from . import theme

__all__ = ["Focus", "clip_polyline", "fit_focus", "focus_back", "focus_on", "is_full_view", "to_screen",
           "view_scale"]

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in scene units

MIN_ZOOM = 2.0   # a detail that fits the content area at less zoom than this is not small
MAX_ZOOM = 6.0   # further in, a view loses its context (and a 0.1-unit dash is a pixel)
FILL = 0.6       # the detail's box spans at most this share of the focused content area


def _content() -> Box:
    return theme.CONTENT_LEFT, theme.CONTENT_BOTTOM, theme.CONTENT_RIGHT, theme.CONTENT_TOP


@dataclass(frozen=True)
class Focus:
    """Where the camera looks (``center``, scene units) and how far it zooms (``zoom``:
    full-view frame widths per focused frame width; 1 is the full view)."""

    center: tuple[float, float]
    zoom: float

    @property
    def width(self) -> float:
        return config.frame_width / self.zoom

    @property
    def height(self) -> float:
        return config.frame_height / self.zoom

    def to_scene(self, x: float, y: float) -> tuple[float, float]:
        """A point of the screen (full-view units: the frame's centre is 0, 0) in the scene."""
        return self.center[0] + x / self.zoom, self.center[1] + y / self.zoom

    def content_box(self, inset: float = 0.0) -> Box:
        """The scene's part drawn inside the theme's content area while focused; ``inset``
        (screen units, full view's) shrinks it on every side."""
        x0, y0, x1, y1 = _content()
        left, bottom = self.to_scene(x0 + inset, y0 + inset)
        right, top = self.to_scene(x1 - inset, y1 - inset)
        return left, bottom, right, top

    def contains(self, point: Sequence[float], inset: float = 0.0) -> bool:
        x0, y0, x1, y1 = self.content_box(inset)
        return x0 <= float(point[0]) <= x1 and y0 <= float(point[1]) <= y1


def fit_focus(points: Iterable[Sequence[float]], *, reserve_top: float = 0.0, fill: float = FILL,
              min_zoom: float = MIN_ZOOM, max_zoom: float = MAX_ZOOM) -> Focus | None:
    """The focus that shows ``points`` (scene units) as large as ``fill`` of the content
    area allows (at most ``max_zoom``), centred in it below a strip of ``reserve_top``
    screen units (kept for a readout). None when the points need less than ``min_zoom``
    (nothing small to show), are not finite, lie outside the full view's content box, or
    cannot be shown below the strip (too near the content area's top).

    >>> f = fit_focus([(0.0, 0.0), (0.5, 0.1)])
    >>> round(f.zoom, 3), f.contains((0.0, 0.0)) and f.contains((0.5, 0.1))
    (6.0, True)
    >>> fit_focus([(-4.0, 0.0), (4.0, 1.0)]) is None  # already large
    True
    """
    pts = np.array([[float(p[0]), float(p[1])] for p in points], dtype=float)
    if len(pts) == 0 or not np.isfinite(pts).all():
        return None
    x0, y0, x1, y1 = _content()
    if pts[:, 0].min() < x0 or pts[:, 0].max() > x1 or pts[:, 1].min() < y0 or pts[:, 1].max() > y1:
        return None
    room_w, room_h = x1 - x0, (y1 - reserve_top) - y0
    if room_w <= 0 or room_h <= 0:
        return None
    span_w = max(float(np.ptp(pts[:, 0])), 1e-9)
    span_h = max(float(np.ptp(pts[:, 1])), 1e-9)
    zoom = min(max_zoom, fill * room_w / span_w, fill * room_h / span_h)
    if zoom < min_zoom:
        return None
    # the points' centre on the centre of the room left under the reserved strip
    mid = (pts.min(axis=0) + pts.max(axis=0)) / 2
    room_mid = np.array([(x0 + x1) / 2, (y0 + y1 - reserve_top) / 2])
    center = mid - room_mid / zoom
    # the focused content box inside the full view's (the move stays safe: see the module)
    for axis, (low, high) in enumerate(((x0, x1), (y0, y1))):
        box_low = center[axis] + low / zoom
        box_high = center[axis] + high / zoom
        if box_low < low:
            center[axis] += low - box_low
        elif box_high > high:
            center[axis] -= box_high - high
    focus = Focus((float(center[0]), float(center[1])), float(zoom))
    strip = focus.to_scene(0.0, y1 - reserve_top)[1]  # a point pushed into the strip: no focus
    return focus if all(focus.contains(p) and p[1] <= strip + 1e-9 for p in pts) else None


def _frame(scene: Any) -> Any:
    frame = getattr(getattr(scene, "camera", None), "frame", None)
    if frame is None:
        raise TypeError(f"{type(scene).__name__} has no moving camera: make it a MovingCameraScene")
    return frame


def focus_on(scene: Any, focus: Focus) -> Any:
    """The animation that moves ``scene``'s camera to ``focus`` (play it)."""
    return _frame(scene).animate.set(width=focus.width).move_to([*focus.center, 0.0])


def focus_back(scene: Any) -> Any:
    """The animation that moves ``scene``'s camera back to the full view (play it)."""
    return _frame(scene).animate.set(width=config.frame_width).move_to(ORIGIN)


def view_scale(scene: Any) -> float:
    """Scene units per full-view unit now: 1 in the full view, 1 / zoom while focused.
    A size meant to look as in the full view is multiplied by it."""
    frame = getattr(getattr(scene, "camera", None), "frame", None)
    return 1.0 if frame is None else float(frame.width) / config.frame_width


def is_full_view(scene: Any, tolerance: float = 1e-6) -> bool:
    """The camera shows the full frame (as a scene without a moving camera does)."""
    frame = getattr(getattr(scene, "camera", None), "frame", None)
    if frame is None:
        return True
    centre = frame.get_center()
    return (abs(float(frame.width) - config.frame_width) <= tolerance
            and abs(float(centre[0])) <= tolerance and abs(float(centre[1])) <= tolerance)


def to_screen(scene: Any) -> tuple[float, float, float]:
    """(cx, cy, zoom) of ``scene``'s camera: a scene point (x, y) is drawn at
    ((x - cx) * zoom, (y - cy) * zoom) in full-view units; (0, 0, 1) in the full view."""
    frame = getattr(getattr(scene, "camera", None), "frame", None)
    if frame is None:
        return 0.0, 0.0, 1.0
    centre = frame.get_center()
    return float(centre[0]), float(centre[1]), config.frame_width / float(frame.width)


def clip_polyline(points: np.ndarray, box: Box) -> list[np.ndarray]:
    """The runs of consecutive ``points`` (N x 2 or N x 3) that lie inside ``box``: a curve
    sampled finely enough, cut to a focused view (each run has at least two points).

    >>> [len(r) for r in clip_polyline(np.array([[0, 0], [1, 0], [5, 0], [2, 0], [3, 0]]), (0, -1, 3, 1))]
    [2, 2]
    """
    x0, y0, x1, y1 = box
    pts = np.asarray(points, dtype=float)
    inside = (pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)
    runs: list[np.ndarray] = []
    start = None
    for i, flag in enumerate([*inside, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= 2:
                runs.append(pts[start:i])
            start = None
    return runs


def _holds(group: Any, keep: Sequence[Any]) -> bool:
    family = group.get_family()[1:]
    return any(any(member is kept for member in family) for kept in keep)


def split_groups(scene: Any, keep: Sequence[Any]) -> list[tuple[Any, list[Any]]]:
    """Replace on ``scene`` each top-level group that holds a mobject of ``keep`` (without
    being one) by its children, in its place (recursively), so that the rest of the group
    can be faded out while the kept part stays; returns what was split, for
    :func:`join_groups`."""
    split: list[tuple[Any, list[Any]]] = []
    changed = True
    while changed:
        changed = False
        for index, top in enumerate(scene.mobjects):
            if any(top is kept for kept in keep) or not _holds(top, keep):
                continue
            children = list(top.submobjects)
            scene.mobjects[index:index + 1] = children
            split.append((top, children))
            changed = True
            break
    return split


def join_groups(scene: Any, split: list[tuple[Any, list[Any]]]) -> None:
    """Undo :func:`split_groups`: each group back on ``scene`` where its first child is now."""
    for group, children in reversed(split):
        places = [i for i, mob in enumerate(scene.mobjects) if any(mob is child for child in children)]
        at = places[0] if places else len(scene.mobjects)
        scene.mobjects[:] = [m for m in scene.mobjects if not any(m is child for child in children)]
        scene.mobjects.insert(min(at, len(scene.mobjects)), group)


def outside_tops(scene: Any, keep: Sequence[Any]) -> list[Any]:
    """The top-level mobjects of ``scene`` to fade out before a focus: all but ``keep`` and
    the camera's frame and value trackers (call :func:`split_groups` first)."""
    from manim import ValueTracker

    frame = getattr(getattr(scene, "camera", None), "frame", None)
    return [m for m in scene.mobjects if m is not frame and not isinstance(m, ValueTracker)
            and not any(m is kept for kept in keep)]
