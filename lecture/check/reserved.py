"""The frame's reserved areas, measured on every frame: ink (pixels unlike the background)
in the caption band (the bottom ``CAPTION_BAND`` of the frame, where a player draws the
captions) or in the action-safe margins (``SAFE_MARGIN`` of any other edge).

The layout records (layout.py) see the objects at the end of each beat only; this measure
sees every frame, so a curve that sweeps through the band mid-animation or a label that
flies in from the edge is caught too. Like stillness (stillness.py):
- :class:`InkMeter` in the render worker, fed the frames it encodes as they are rendered
  (lecture/media.py WebmWriter, a held frame once), writes :meth:`InkMeter.record` into the
  scene's check record under ``reserved`` (cached with the scene's key); the gate reads it
  (:func:`recorded_ink_runs`) and decodes the clip (:func:`clip_ink_runs`) only for a scene
  rendered without one;
- :func:`image_ink` measures one picture (a poster, a beat's still).

A pixel is ink where some plane (Y, U, V of the encoder's frames; R, G, B of a PNG) differs
from the background's value (the most common one in the picture) by more than ``INK_LEVEL``.
Chroma samples (half size) count only where they lie wholly inside an area, so the colour
of a thing just outside an area does not leak into it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from . import thresholds as T

__all__ = ["AREAS", "InkMeter", "area_boxes", "clip_ink_runs", "frame_ink", "image_ink", "ink_findings", "merge_runs",
           "picture_findings", "recorded_ink_runs"]

AREAS = ("band", "top", "left", "right")  # the bottom margin lies inside the band


def area_boxes(width: int, height: int) -> dict[str, tuple[int, int, int, int]]:
    """Each reserved area as (x0, y0, x1, y1) pixel bounds (x1, y1 excluded) of a frame of
    ``width`` x ``height``, y down from the top: the pixels wholly inside it (at 854 x 480 the
    margin is 42.7 px; pixel 42, which content set on the margin's edge partly covers, is
    not in it)."""
    import math

    band_top = math.ceil(height * (1 - T.CAPTION_BAND) - 1e-9)
    mx0, mx1 = math.floor(width * T.SAFE_MARGIN + 1e-9), math.ceil(width * (1 - T.SAFE_MARGIN) - 1e-9)
    my = math.floor(height * T.SAFE_MARGIN + 1e-9)
    return {"band": (0, band_top, width, height), "top": (0, 0, width, my),
            "left": (0, my, mx0, band_top), "right": (mx1, my, width, band_top)}


def _background(plane) -> int:
    import numpy as np

    sample = plane[:: max(1, plane.shape[0] // 90), :: max(1, plane.shape[1] // 160)]
    return int(np.bincount(sample.ravel(), minlength=256).argmax())


def _planes_ink(planes: list[tuple[Any, int]], width: int, height: int) -> dict[str, tuple[int, list[int]]]:
    """{area: (ink pixels, [x0, y0, x1, y1] of them in full-size pixels)} of the areas with
    ink; ``planes``: (uint8 2-D array, subsampling 1 or 2)."""
    import numpy as np

    found: dict[str, tuple[int, list[int]]] = {}
    for plane, sub in planes:
        bg = _background(plane)
        lo, hi = bg - T.INK_LEVEL, bg + T.INK_LEVEL
        for area, (x0, y0, x1, y1) in area_boxes(width, height).items():
            # whole samples only: a chroma sample over the area's edge carries what is outside
            cx0, cy0, cx1, cy1 = -(-x0 // sub), -(-y0 // sub), x1 // sub, y1 // sub
            part = plane[cy0:cy1, cx0:cx1]
            if part.size == 0:
                continue
            ink = (part < lo) | (part > hi) if lo >= 0 else part > hi
            count = int(np.count_nonzero(ink))
            if not count:
                continue
            rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
            box = [(cx0 + int(cols[0])) * sub, (cy0 + int(rows[0])) * sub,
                   (cx0 + int(cols[-1]) + 1) * sub, (cy0 + int(rows[-1]) + 1) * sub]
            if area in found:
                old_count, old = found[area]
                count = max(count * sub * sub, old_count)
                box = [min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3])]
            else:
                count *= sub * sub
            found[area] = (count, box)
    return {area: value for area, value in found.items() if value[0] >= T.INK_MIN_PIXELS}


def frame_ink(frame) -> dict[str, tuple[int, list[int]]]:
    """:func:`_planes_ink` of an ``av.VideoFrame`` (yuv420p read in place; other formats as RGB)."""
    import numpy as np

    width, height = frame.width, frame.height
    if frame.format.name == "yuv420p":
        planes = []
        for i, sub in enumerate((1, 2, 2)):
            plane = frame.planes[i]
            w, h = -(-width // sub), -(-height // sub)
            data = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[:h, :w]
            planes.append((data, sub))
        return _planes_ink(planes, width, height)
    rgb = frame.to_ndarray(format="rgb24")
    return _planes_ink([(rgb[:, :, i], 1) for i in range(3)], width, height)


def image_ink(path: Path) -> dict[str, tuple[int, list[int]]]:
    """The reserved areas with ink in a picture file (a poster, a still)."""
    import numpy as np
    from PIL import Image

    with Image.open(path) as image:
        rgb = np.asarray(image.convert("RGB"))
    return _planes_ink([(rgb[:, :, i], 1) for i in range(3)], rgb.shape[1], rgb.shape[0])


def _parameters() -> dict[str, float]:
    """The rule a record was measured with: a record measured otherwise is not used."""
    return {"level": T.INK_LEVEL, "min_pixels": T.INK_MIN_PIXELS, "band": T.CAPTION_BAND, "margin": T.SAFE_MARGIN}


class InkMeter:
    """:func:`frame_ink` on every frame handed over as it is made, in presentation order (a
    held frame once, with its repeat count: frame ``i`` is at ``i / fps``): the runs of
    frames with ink in each reserved area. A frame it cannot measure leaves it without a
    result (``failed``: the gate then decodes the clip) rather than failing the render."""

    RECORD_KEY = "reserved"

    def __init__(self, fps: float, width: int, height: int) -> None:
        self.fps = float(fps)
        self.width, self.height = int(width), int(height)
        self.frames = 0
        self.failed: Exception | None = None
        self._open: dict[str, dict[str, Any]] = {}  # area -> the run going on
        self._runs: list[dict[str, Any]] = []

    def add(self, frame, repeat: int = 1) -> None:
        if self.failed is None:
            try:
                self._add(frame_ink(frame), repeat)
            except Exception as error:  # noqa: BLE001 - the gate measures the clip instead
                self.failed = error

    def _add(self, ink: dict[str, tuple[int, list[int]]], repeat: int) -> None:
        first = self.frames
        self.frames += repeat
        for area in AREAS:
            run = self._open.get(area)
            if area not in ink:
                if run is not None:
                    self._close(area, first)
                continue
            count, box = ink[area]
            if run is None:
                self._open[area] = {"area": area, "start": first, "pixels": count, "box": list(box)}
            else:
                old = run["box"]
                run["box"] = [min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3])]
                run["pixels"] = max(run["pixels"], count)

    def _close(self, area: str, end: int) -> None:
        run = self._open.pop(area)
        self._runs.append({**run, "end": end})

    def runs(self) -> list[dict[str, Any]]:
        """Every run: area, start and end frame (end excluded), most ink pixels in a frame,
        the box of all its ink (pixels at this frame size), in order of start."""
        runs = self._runs + [{**run, "end": self.frames} for run in self._open.values()]
        return sorted(runs, key=lambda r: (r["start"], AREAS.index(r["area"])))

    def record(self) -> dict[str, Any]:
        """What the worker writes into the scene's check record (JSON)."""
        return {**_parameters(), "fps": self.fps, "frames": self.frames, "width": self.width, "height": self.height,
                "runs": self.runs()}


def recorded_ink_runs(record: object, frames: int | None = None) -> dict[str, Any] | None:
    """A worker's record (:meth:`InkMeter.record`) if it answers: measured with today's rule
    on the clip's number of ``frames``; else None."""
    if not isinstance(record, dict) or any(record.get(k) != v for k, v in _parameters().items()):
        return None
    if frames is not None and record.get("frames") != frames:
        return None
    if not isinstance(record.get("runs"), list):
        return None
    return record


def clip_ink_runs(clip: Path) -> dict[str, Any]:
    """:class:`InkMeter`'s record of a published clip, decoded frame by frame."""
    import av

    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        cc = stream.codec_context
        meter = InkMeter(float(stream.average_rate or 30), cc.width, cc.height)
        for frame in container.decode(stream):
            meter.add(frame)
    if meter.failed is not None:
        raise meter.failed
    return meter.record()


def merge_runs(runs: Iterable[dict[str, Any]], fps: float, gap_s: float = 0.5) -> list[dict[str, Any]]:
    """Runs of one area less than ``gap_s`` apart as one (a flicker is one problem)."""
    merged: list[dict[str, Any]] = []
    last: dict[str, dict[str, Any]] = {}
    for run in sorted(runs, key=lambda r: (r["start"], AREAS.index(r["area"]))):
        before = last.get(run["area"])
        if before is not None and (run["start"] - before["end"]) / fps < gap_s:
            b, r = before["box"], run["box"]
            before.update(end=max(before["end"], run["end"]), pixels=max(before["pixels"], run["pixels"]),
                          box=[min(b[0], r[0]), min(b[1], r[1]), max(b[2], r[2]), max(b[3], r[3])])
            continue
        copy = {**run, "box": list(run["box"])}
        merged.append(copy)
        last[run["area"]] = copy
    return merged


def _area_name(area: str) -> str:
    if area == "band":
        return f"the caption band (bottom {T.CAPTION_BAND:.0%})"
    return f"the {T.SAFE_MARGIN:.0%} safe margin ({area})"


def _where(box: list[int], height: int) -> str:
    s = 720 / height  # pixels at 720p, as the layout findings give them
    x0, y0, x1, y1 = (round(v * s) for v in box)
    return f"x {x0}-{x1}, y {y0}-{y1} px at 720p"


def ink_findings(record: dict[str, Any]) -> list[tuple[float, str]]:
    """(time_s, message) for each stretch of a clip with ink in a reserved area."""
    fps, height = float(record["fps"]), int(record["height"])
    found = []
    for run in merge_runs(record["runs"], fps):
        start, end = run["start"] / fps, run["end"] / fps
        found.append((start, f"ink in {_area_name(run['area'])} for {end - start:.1f} s ({start:.1f}-{end:.1f} s), "
                             f"{_where(run['box'], height)}"))
    return found


def picture_findings(path: Path) -> list[str]:
    """A message for each reserved area with ink in a picture file (a poster, a still)."""
    from PIL import Image

    with Image.open(path) as image:
        height = image.height
    ink = image_ink(path)
    return [f"ink in {_area_name(area)}, {_where(ink[area][1], height)}" for area in AREAS if area in ink]
