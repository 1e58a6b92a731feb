"""Stillness: stretches of a clip in which nothing on screen changes, measured on its frames
(PyAV decodes the clip; frames are compared a few times a second, small and gray)."""

from __future__ import annotations

from pathlib import Path

from . import thresholds as T

__all__ = ["still_stretches"]


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
