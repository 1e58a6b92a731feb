"""Stillness: stretches of a clip in which nothing on screen changes.

Two measures of the same rule (no stretch longer than ``MAX_STILL_S`` with nothing changing):
- :func:`still_stretches`, on a clip's frames (PyAV decodes the clip; frames are compared
  a few times a second, small and gray): what the gate runs on a render;
- :func:`timeline_still_stretches`, on a scene's play timeline (each ``play`` call's start,
  end and whether it is a still wait), which a scene run without frames (the test suite's
  dry runs, tests/scene_checks.py) records: every data file and language, no render.
"""

from __future__ import annotations

from pathlib import Path

from . import thresholds as T

__all__ = ["Segment", "still_stretches", "timeline_still_stretches"]

# (start_s, end_s, still): one play call of a scene; ``still`` when it draws the same frame
# throughout (a wait with nothing time-based on screen).
Segment = tuple[float, float, bool]


def still_stretches(clip: Path, max_still_s: float = T.MAX_STILL_S) -> list[tuple[float, float]]:
    """(start_s, end_s) of every stretch longer than ``max_still_s`` with no change of more
    than ``STILL_LEVEL`` in any pixel between frames ``1 / STILL_SAMPLES_PER_S`` s apart (the
    last one runs to the clip's end)."""
    import av
    import numpy as np

    stretches: list[tuple[float, float]] = []
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        fps = float(stream.average_rate or 30)
        step = max(1, round(fps / T.STILL_SAMPLES_PER_S))
        width = max(16, stream.codec_context.width // T.STILL_SCALE)
        height = max(16, stream.codec_context.height // T.STILL_SCALE)
        still_since = last = None
        end = 0.0
        for index, frame in enumerate(container.decode(stream)):
            t = float(frame.pts * frame.time_base) if frame.pts is not None else index / fps
            end = t + 1 / fps
            if index % step:
                continue
            image = frame.reformat(width=width, height=height, format="gray").to_ndarray().astype(np.int16)
            if last is None or int(np.abs(image - last).max()) > T.STILL_LEVEL:
                if still_since is not None and t - still_since > max_still_s:
                    stretches.append((still_since, t))
                still_since = t
            last = image
        if still_since is not None and end - still_since > max_still_s:
            stretches.append((still_since, end))
    return stretches


def timeline_still_stretches(segments: list[Segment], max_still_s: float = T.MAX_STILL_S,
                             end_s: float | None = None) -> list[tuple[float, float]]:
    """(start_s, end_s) of every run of consecutive still segments (play calls that draw one
    frame throughout) longer than ``max_still_s``; time not covered by any segment, up to
    ``end_s`` (the scene's end), counts as still too.

    >>> timeline_still_stretches([(0, 1, False), (1, 4, True), (4, 8, True), (8, 9, False)])
    [(1.0, 8.0)]
    >>> timeline_still_stretches([(0, 1, False), (1, 4, True), (4, 5, False), (5, 9, True)], end_s=9.5)
    []
    """
    stretches: list[tuple[float, float]] = []
    still_since: float | None = None
    last = 0.0
    for start, end, still in sorted(segments, key=lambda s: (s[0], s[1])):
        if start > last + 1e-9 and still_since is None:
            still_since = last  # a gap: nothing played, nothing changed
        if still:
            if still_since is None:
                still_since = float(start)
        elif still_since is not None:
            if start - still_since > max_still_s:
                stretches.append((float(still_since), float(start)))
            still_since = None
        last = max(last, float(end))
    if end_s is not None and end_s > last + 1e-9 and still_since is None:
        still_since = last
    final = max(last, end_s or 0.0)
    if still_since is not None and final - still_since > max_still_s:
        stretches.append((float(still_since), float(final)))
    return stretches
