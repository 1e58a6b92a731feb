"""Stillness: stretches of a clip in which nothing on screen changes.

Two measures of the same rule (no stretch longer than ``MAX_STILL_S`` with nothing changing):
- on a clip's frames, compared a few times a second, small and gray: :class:`StillnessMeter`
  in the render worker, fed the frames it encodes as they are rendered (lecture/media.py
  WebmWriter), which writes :meth:`StillnessMeter.record` into the scene's check record
  (cached with the scene's key); the gate reads it (:func:`recorded_still_stretches`) and
  decodes the clip again (:func:`still_stretches`, the same rule on the decoded frames) only
  for a scene rendered without one;
- :func:`timeline_still_stretches`, on a scene's play timeline (each ``play`` call's start,
  end and whether it is a still wait), which a scene run without frames (the test suite's
  dry runs, tests/scene_checks.py) records: every data file and language, no render.
"""

from __future__ import annotations

from pathlib import Path

from . import thresholds as T

__all__ = ["Segment", "StillnessMeter", "recorded_still_stretches", "still_stretches", "timeline_still_stretches"]

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


# What a worker's record keeps: every still run at least this long (the gate's limit can be
# lowered to it without decoding again).
RECORD_MIN_S = 1.0


def _parameters() -> dict[str, int]:
    """The sampling a record was measured with: a record measured otherwise is not used."""
    return {"samples_per_s": T.STILL_SAMPLES_PER_S, "scale": T.STILL_SCALE, "level": T.STILL_LEVEL}


class StillnessMeter:
    """:func:`still_stretches`'s rule on frames handed over as they are made, in
    presentation order (a held frame once, with its repeat count): frame ``i`` is at
    ``i / fps``; every ``fps / STILL_SAMPLES_PER_S``-th frame is compared, small and gray, with
    the one sampled before. A held frame is made small once, however many samples fall in it
    (they are the same picture: no change between them)."""

    RECORD_KEY = "stillness"  # where the worker writes :meth:`record` in the scene's check record

    def __init__(self, fps: float, width: int, height: int) -> None:
        from av.video.reformatter import VideoReformatter

        self.fps = float(fps)
        self.step = max(1, round(self.fps / T.STILL_SAMPLES_PER_S))
        self.width = max(16, width // T.STILL_SCALE)
        self.height = max(16, height // T.STILL_SCALE)
        self.frames = 0
        self.failed: Exception | None = None
        self._reformatter = VideoReformatter()
        self._last = None
        self._still_since: float | None = None
        self._runs: list[tuple[float, float]] = []

    def add(self, frame, repeat: int = 1) -> None:
        """``frame`` (an ``av.VideoFrame``) shown ``repeat`` times from the next frame on.
        A frame it cannot measure leaves it without a result (``failed``: the gate then
        decodes the clip) rather than failing the render."""
        if self.failed is None:
            try:
                self._add(frame, repeat)
            except Exception as error:  # noqa: BLE001 - the gate measures the clip instead
                self.failed = error

    def _add(self, frame, repeat: int) -> None:
        import numpy as np

        first = self.frames
        self.frames += repeat
        sample = first + (-first) % self.step  # the first sampled frame of the run
        if sample >= self.frames:
            return
        image = self._reformatter.reformat(frame, width=self.width, height=self.height, format="gray",
                                           threads=1).to_ndarray().astype(np.int16)
        t = sample / self.fps
        if self._last is None or int(np.abs(image - self._last).max()) > T.STILL_LEVEL:
            if self._still_since is not None and t - self._still_since > 0:
                self._runs.append((self._still_since, t))
            self._still_since = t
        self._last = image  # later samples of this run: the same picture, no change

    def still_runs(self) -> list[tuple[float, float]]:
        """(start_s, end_s) of every stretch with no change (the last one to the end)."""
        end = (self.frames - 1) / self.fps + 1 / self.fps if self.frames else 0.0  # as still_stretches sums it
        runs = list(self._runs)
        if self._still_since is not None and end - self._still_since > 0:
            runs.append((self._still_since, end))
        return runs

    def record(self) -> dict:
        """What the worker writes into the scene's check record (JSON)."""
        return {**_parameters(), "fps": self.fps, "frames": self.frames, "min_s": RECORD_MIN_S,
                "runs": [[start, end] for start, end in self.still_runs() if end - start >= RECORD_MIN_S]}


def recorded_still_stretches(record: object, max_still_s: float = T.MAX_STILL_S,
                             frames: int | None = None) -> list[tuple[float, float]] | None:
    """The still stretches longer than ``max_still_s`` in a worker's record
    (:meth:`StillnessMeter.record`); None when there is none that answers (no record,
    measured with other thresholds or on another number of ``frames`` than the clip has,
    or the runs kept too short for this limit)."""
    if not isinstance(record, dict) or any(record.get(k) != v for k, v in _parameters().items()):
        return None
    if frames is not None and record.get("frames") != frames:
        return None
    if not isinstance(record.get("runs"), list) or not max_still_s >= record.get("min_s", float("inf")):
        return None
    return [(float(start), float(end)) for start, end in record["runs"] if end - start > max_still_s]


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
