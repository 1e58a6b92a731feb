"""Layout findings from what the worker recorded at the end of every beat (scenes/layout.py):
texts or formulas that overlap, anything outside the safe margin or in the caption band (named;
reserved.py measures the same areas on every frame), texts too small to read,
texts drawn over a plotted curve or across the edge of a box."""

from __future__ import annotations

from typing import Any, Iterator

from . import thresholds as T

__all__ = ["layout_problems"]


def _name(item: dict[str, Any]) -> str:
    """'text "…"' or 'formula "…"' for a text; 'VGroup with "…"' for any other object."""
    text = " ".join(str(item.get("text") or "").split())
    text = text if len(text) <= 40 else text[:39] + "…"
    if "kind" not in item:  # an object (a shape, a group)
        name = str(item.get("name") or "shape")
        if name in ("Text", "MarkupText", "MathTex", "Tex", "DecimalNumber"):
            return f'{"text" if "Text" in name else "formula"} "{text}"'
        return f'{name} with "{text}"' if text else name
    return f'{"formula" if item.get("kind") == "math" else "text"} "{text}"'


def _overlap(a: list[float], b: list[float]) -> bool:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx > T.OVERLAP_TOLERANCE and dy > T.OVERLAP_TOLERANCE


def _segment_hits(box: list[float], a: list[float], b: list[float]) -> bool:
    """Whether the segment a-b passes through the rectangle ``box`` (Liang-Barsky clipping)."""
    x0, y0, x1, y1 = box
    if x0 >= x1 or y0 >= y1:
        return False
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return True


def _crossed_by(text_box: list[float], line: dict[str, Any]) -> bool:
    """A plotted curve or a box's outline runs through the text (its box less the tolerance)."""
    tol = T.OVERLAP_TOLERANCE
    inner = [text_box[0] + tol, text_box[1] + tol, text_box[2] - tol, text_box[3] - tol]
    if line.get("kind") == "box":
        x0, y0, x1, y1 = line["box"]
        corners = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        return any(_segment_hits(inner, a, b) for a, b in zip(corners, corners[1:]))
    points = line.get("points") or []
    return any(_segment_hits(inner, a, b) for a, b in zip(points, points[1:]))


def layout_problems(beats: list[dict[str, Any]], width: int, height: int) -> Iterator[tuple[float, str]]:
    """(time_s, message) for each problem, once per scene at the first beat it shows in."""
    frame_h = T.FRAME_HEIGHT_UNITS
    frame_w = frame_h * width / height
    left, right = -frame_w / 2 + T.SAFE_MARGIN * frame_w, frame_w / 2 - T.SAFE_MARGIN * frame_w
    top = frame_h / 2 - T.SAFE_MARGIN * frame_h
    band = -frame_h / 2 + T.CAPTION_BAND * frame_h  # the caption band's top edge
    px = 720 / frame_h  # frame units to pixels at 720p
    seen: set[tuple[str, ...]] = set()

    def once(key: tuple[str, ...]) -> bool:
        if key in seen:
            return False
        seen.add(key)
        return True

    for beat in beats:
        at = float(beat.get("time_s", 0.0))
        texts = beat.get("texts", [])
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if a["box"] == b["box"] and a.get("text") == b.get("text"):
                    continue  # drawn twice in the same place: one text to the eye
                if _overlap(a["box"], b["box"]) and once(("overlap", _name(a), _name(b))):
                    yield at, f"{_name(a)} overlaps {_name(b).split(' ', 1)[-1]}"
            if float(a.get("x_height_px", 99)) < T.MIN_X_HEIGHT_PX and once(("small", _name(a))):
                yield at, (f"{_name(a)} is too small: x-height {float(a['x_height_px']):.1f} px at 720p "
                           f"(at least {T.MIN_X_HEIGHT_PX:g})")
        for a in texts:  # a text over a plotted curve or across a box's edge cannot be read cleanly
            for line in beat.get("lines", []):
                what = "a plotted curve" if line.get("kind") == "curve" else "the edge of a box"
                if _crossed_by(a["box"], line) and once(("over", _name(a), what)):
                    yield at, f"{_name(a)} is drawn over {what}"
        for item in beat.get("objects", []):
            x0, y0, x1, y1 = item["box"]
            sides = [(side, by) for side, by in (("left", left - x0), ("right", x1 - right), ("top", y1 - top))
                     if by > T.EDGE_TOLERANCE]
            if sides and once(("margin", _name(item), *(side for side, _ in sides))):
                where = ", ".join(f"{side} by {by * px:.0f} px" for side, by in sides)
                yield at, f"{_name(item)} crosses the {T.SAFE_MARGIN:.0%} safe margin ({where} at 720p)"
            if band - y0 > T.EDGE_TOLERANCE and once(("band", _name(item))):
                yield at, (f"{_name(item)} enters the caption band (bottom {T.CAPTION_BAND:.0%}) by "
                           f"{(band - y0) * px:.0f} px at 720p")
