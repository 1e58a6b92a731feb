"""Held frames are converted to the encoder's pixel format once, not once per frame.

A lecture scene holds its picture still for much of its length (narration padding: manim's
``wait`` without anything moving writes the same RGBA frame with ``repeat=N``). manim 0.22's
``VideoSegmentEncoder.write_frame`` builds a new ``av.VideoFrame`` from the 1080p RGBA array
for every one of the N frames, and PyAV converts each to yuv420p again before encoding.
:func:`install` makes a repeated frame be converted once and that one converted frame
encoded N times (same pixels, same timestamps: the encoder sees the same input).

Used by the render worker (lecture/render/worker.py); importing this module imports manim and PyAV.
"""

from __future__ import annotations

from fractions import Fraction

import av
from manim.scene import video_segment_encoder as _vse

_ORIGINAL = _vse.VideoSegmentEncoder.write_frame


def _write_frame(self, pixels, *, repeat: int = 1) -> None:
    if repeat == 1 or isinstance(repeat, bool) or not isinstance(repeat, int):
        return _ORIGINAL(self, pixels, repeat=repeat)  # (the original also validates)
    self._validate_frame(pixels, repeat)
    rate = self.spec.frame_rate
    time_base = Fraction(rate.denominator, rate.numerator)
    try:
        frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
        stream = self._stream
        if frame.format.name != stream.codec_context.pix_fmt:
            frame = frame.reformat(format=stream.codec_context.pix_fmt)
        for _ in range(repeat):
            frame.pts = self._next_pts
            frame.time_base = time_base
            self._next_pts += 1
            for packet in stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def install() -> None:
    """Patch manim's segment encoder (idempotent)."""
    _vse.VideoSegmentEncoder.write_frame = _write_frame


def uninstall() -> None:
    _vse.VideoSegmentEncoder.write_frame = _ORIGINAL
