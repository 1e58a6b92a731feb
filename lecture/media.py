"""Video files through PyAV (no ffmpeg binary): probe, remux, transcode, join, poster frames,
and the WebM written from a scene's frames as they are rendered (:class:`WebmWriter`).

Every function takes paths and writes a new file; none edits a file in place (published
files may be hard links shared with the previous output folder).
"""

from __future__ import annotations

import os
import threading
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Collection, Iterable, Mapping

import av
import numpy as np
from av.video.frame import PictureType

from . import encoding, vp9
from .errors import LectureError


class MediaError(LectureError, RuntimeError):
    """A video file is missing, empty or cannot be joined as asked."""


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds, measured from the file itself."""

    codec: str
    width: int
    height: int
    fps: Fraction
    frames: int
    pix_fmt: str

    @property
    def duration(self) -> Fraction:
        """Exact duration in seconds: frames / fps."""
        return Fraction(self.frames) / self.fps

    def as_dict(self) -> dict[str, object]:
        return {
            "codec": self.codec,
            "width": self.width,
            "height": self.height,
            "fps": float(self.fps),
            "fps_fraction": f"{self.fps.numerator}/{self.fps.denominator}",
            "frames": self.frames,
            "pix_fmt": self.pix_fmt,
            "duration_s": round(float(self.duration), 6),
        }


def _open_output(path: Path, options: dict[str, str] | None = None, **kwargs) -> av.container.OutputContainer:
    """A new output container with the pipeline's muxer options (bit-exact) and ``options``."""
    merged = dict(encoding.CONTAINER_OPTIONS)
    merged.update(options or {})
    return av.open(str(path), mode="w", options=merged, **kwargs)


def _unlink(path: Path) -> None:
    """Remove ``path`` first, so writing never goes through a hard link to an old file."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def probe(path: str | Path) -> VideoInfo:
    """Codec, size, frame rate and frame count of a file's first video stream."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise MediaError(f"{path}: missing or empty")
    with av.open(str(path)) as container:
        if not container.streams.video:
            raise MediaError(f"{path}: no video stream")
        stream = container.streams.video[0]
        rate = _nominal_rate(stream)
        if not rate:
            raise MediaError(f"{path}: unknown frame rate")
        frames = stream.frames
        if not frames:
            frames = sum(1 for packet in container.demux(stream) if packet.size)
        ctx = stream.codec_context
        return VideoInfo(ctx.name, ctx.width, ctx.height, rate, int(frames), str(ctx.pix_fmt))


def _nominal_rate(stream) -> Fraction | None:
    """A video stream's nominal frame rate. average_rate is frames / stream duration, which
    a container may round (e.g. 2698240/179881 for 15 fps): snapped to a rate with a small
    denominator. None when the stream has none."""
    rate = stream.base_rate or stream.guessed_rate or stream.average_rate
    return Fraction(rate).limit_denominator(1001) if rate else None


def h264_codecs_string(path: str | Path) -> str:
    """The RFC 6381 codecs string of an MP4's H.264 stream (e.g. ``avc1.64001f``), for HTML."""
    with av.open(str(path)) as container:
        extradata = container.streams.video[0].codec_context.extradata or b""
    if len(extradata) >= 4 and extradata[0] == 1:  # avcC: version, profile, compat, level
        return "avc1." + extradata[1:4].hex()
    return "avc1.640028"


def remux(src: str | Path, dst: str | Path, options: dict[str, str] | None = None) -> None:
    """Copy the video packets of ``src`` into a new container ``dst`` (no re-encoding)."""
    concat([src], dst, options)


def concat(inputs: Iterable[str | Path], dst: str | Path, options: dict[str, str] | None = None) -> None:
    """Join videos end to end by copying packets (no re-encoding).

    Every input must have the same codec, size, frame rate and codec parameters; each
    input's timestamps are shifted by the frame-exact duration of the ones before it, so the
    joined duration is the sum of the inputs'.
    """
    inputs = [Path(p) for p in inputs]
    if not inputs:
        raise MediaError("nothing to join")
    dst = Path(dst)
    _unlink(dst)
    first = probe(inputs[0])
    out = _open_output(dst, options)
    try:
        out_stream = None
        reference_extradata = None
        offset = Fraction(0)  # seconds of video already written
        for path in inputs:
            info = probe(path)
            if (info.codec, info.width, info.height, info.fps) != (first.codec, first.width, first.height, first.fps):
                raise MediaError(
                    f"cannot join {path.name} to {inputs[0].name} without re-encoding: "
                    f"{info.codec} {info.width}x{info.height}@{info.fps} vs "
                    f"{first.codec} {first.width}x{first.height}@{first.fps}"
                )
            with av.open(str(path)) as container:
                stream = container.streams.video[0]
                extradata = stream.codec_context.extradata
                if out_stream is None:
                    out_stream = out.add_stream_from_template(template=stream)
                    out_stream.time_base = stream.time_base
                    reference_extradata = extradata
                elif extradata != reference_extradata:
                    raise MediaError(
                        f"cannot join {path.name} to {inputs[0].name} without re-encoding: "
                        "different codec parameters (rendered with other encoder settings?)"
                    )
                in_tb = stream.time_base
                out_tb = out_stream.time_base or in_tb
                frame_ticks = int(round(1 / (first.fps * out_tb)))  # constant frame rate throughout
                for packet in container.demux(stream):
                    if packet.dts is None and packet.pts is None:
                        continue  # the demuxer's flush packet
                    if packet.pts is not None:
                        packet.pts = _shift(packet.pts, in_tb, out_tb, offset)
                    if packet.dts is not None:
                        packet.dts = _shift(packet.dts, in_tb, out_tb, offset)
                    packet.duration = frame_ticks
                    packet.time_base = out_tb
                    packet.stream = out_stream
                    out.mux(packet)
            offset += info.duration
    except BaseException:
        out.close()
        _unlink(dst)
        raise
    out.close()


def _shift(ts: int, in_tb: Fraction, out_tb: Fraction, offset_s: Fraction) -> int:
    return int(round((ts * in_tb + offset_s) / out_tb))


def _vp9_stream(out: av.container.OutputContainer, width: int, height: int, fps: Fraction):
    """The VP9 stream of a WebM: lecture/encoding.py's settings, a keyframe at least every
    VP9_KEYFRAME_SECONDS, tagged with the colour the frames are converted with."""
    options = dict(encoding.VP9_OPTIONS)
    options.update(encoding.COLOUR_OPTIONS)  # the H.264's BT.709 YUV, passed through and tagged so
    options["g"] = str(max(1, int(round(fps * encoding.VP9_KEYFRAME_SECONDS))))
    stream = out.add_stream(encoding.VP9_CODEC, rate=fps, options=options)
    stream.width, stream.height = width, height
    stream.pix_fmt = encoding.VP9_PIXEL_FORMAT
    if encoding.VP9_THREADS:
        stream.codec_context.thread_count = encoding.VP9_THREADS
    return stream


# The poster is a still picture (a held frame or the last), the best-scoring one, unless the
# stills all show less than this share of the busiest sampled moment: a poster caught
# mid-animation showed a Flash ring or an Indicated formula (issue 18).
POSTER_STILL_SHARE = 0.75


def _content_score(frame: av.VideoFrame) -> float:
    """Share of a downscaled frame's pixels that differ from its corner (background) colour."""
    small = frame.reformat(width=max(16, frame.width // 4), height=max(16, frame.height // 4), format="rgb24")
    pixels = small.to_ndarray().astype(np.int16)
    background = pixels[1, 1]
    differs = np.abs(pixels - background).max(axis=2) > 24
    return float(differs.mean())


def transcode_vp9_with_poster(src: str | Path, webm: str | Path, poster: str | Path,
                              keyframes: Collection[int] = frozenset({0}),
                              stills: Mapping[int, str | Path] | None = None) -> dict[str, float]:
    """Transcode an H.264 clip to VP9 WebM and save its most representative frame as PNG.

    The poster is the sampled frame (about two a second) with the most non-background
    pixels: never the empty first frame of a scene that fades in, nor a faded-out end.
    Frames numbered in ``keyframes`` are forced to be keyframes (beat starts: exact seeking);
    frames numbered in ``stills`` are also saved as PNG files there.
    Returns the poster's time and content score.
    """
    src, webm, poster = Path(src), Path(webm), Path(poster)
    _unlink(webm)
    _unlink(poster)
    info = probe(src)
    step = max(1, int(round(info.fps / 2)))
    best: tuple[float, int, av.VideoFrame | None] = (-1.0, -1, None)
    out = _open_output(webm, format="webm")
    try:
        stream = _vp9_stream(out, info.width, info.height, info.fps)
        time_base = Fraction(info.fps.denominator, info.fps.numerator)
        with av.open(str(src)) as container:
            index = 0
            for frame in container.decode(video=0):
                if index % step == 0 or index == info.frames - 1:
                    score = _content_score(frame)
                    if score >= best[0]:
                        best = (score, index, frame)
                if stills and index in stills:
                    frame.to_image().save(stills[index], format="PNG")
                if frame.format.name != encoding.VP9_PIXEL_FORMAT:
                    frame = frame.reformat(format=encoding.VP9_PIXEL_FORMAT)
                frame.pts = index
                frame.time_base = time_base
                # a decoded frame keeps its H.264 type: only the frames asked for are forced
                frame.pict_type = PictureType.I if index in keyframes else PictureType.NONE
                for packet in stream.encode(frame):
                    out.mux(packet)
                index += 1
        for packet in stream.encode():
            out.mux(packet)
    except BaseException:
        out.close()
        _unlink(webm)
        raise
    out.close()
    score, index, frame = best
    if frame is None:
        raise MediaError(f"{src}: no frames to take a poster from")
    frame.to_image().save(poster, format="PNG", optimize=True)
    return {"poster_time_s": round(index / float(info.fps), 3), "poster_score": round(score, 4)}


class WebmWriter:
    """A scene's VP9 WebM, encoded from the frames the render converts for its H.264 segments
    (scenes/manim_patches.py; the writer is scenes/hooks.py's ``frame_sink``), instead of
    decoding the finished clip again.

    manim encodes a scene as one segment per animation, two at a time on their own threads;
    segments are numbered in the order they are opened (the order they play) and one
    encoder thread here takes their frames in that order, a held frame once with its repeat
    count. It does what :func:`transcode_vp9_with_poster` does while it encodes: it forces a
    keyframe at the frames it is told (:meth:`keyframe`: beat starts, told before they are
    rendered) and scores the frames the poster is chosen from (about two a second and the
    last): ``poster_index``, ``poster_score``. The poster and the beat stills are then taken
    from the H.264 clip itself (:func:`save_frames`), so that they are its very pictures.
    ``watchers`` (e.g. lecture/check/stillness.py StillnessMeter) get ``add(frame, repeat)``
    for every frame in presentation order, a held frame once, on the encoder thread.

    A held frame's repeats are not encoded by libvpx (``repeats_shown``, by default
    lecture/encoding.py VP9_REPEATS_SHOWN): each is a one-byte frame showing the reference
    slot that holds the picture before it (lecture/vp9.py), one packet a frame at its own
    time; a repeat that is a forced keyframe is encoded. libvpx numbers the frames it is
    given without gaps, so the frames it encodes are those of the stream without the repeats.
    ``shown_again`` counts the repeats so written. Frames are handed over for good.
    """

    QUEUE = 8  # frames a segment may have waiting (a held frame counts once)

    def __init__(self, path: str | Path, width: int, height: int, fps: Fraction | int, watchers=(),
                 repeats_shown: bool | None = None, repeats_encoded: int | None = None) -> None:
        self.path = Path(path)
        self.watchers = list(watchers)
        _unlink(self.path)
        self.fps = Fraction(fps)
        self.frames = 0
        # a held picture's repeats as show_existing_frame packets (lecture/encoding.py)
        self._repeats_shown = encoding.VP9_REPEATS_SHOWN if repeats_shown is None else bool(repeats_shown)
        self.shown_again = 0  # frames written so, not encoded by libvpx
        # the first repeats of a hold that libvpx still encodes (it refines the picture)
        self._repeats_encoded = encoding.VP9_REPEATS_ENCODED if repeats_encoded is None else int(repeats_encoded)
        self._slots: vp9.ReferenceSlots | None = vp9.ReferenceSlots()
        self._encoded = 0  # frames given to libvpx (its own timestamps: 0, 1, 2, ...)
        self._index_of: dict[int, int] = {}  # libvpx timestamp -> frame index
        self._written = -1  # the frame whose packet was muxed last
        self._scored: tuple[av.VideoFrame | None, float] = (None, 0.0)  # the frame scored last, its score
        self._time_base = Fraction(self.fps.denominator, self.fps.numerator)
        self._step = max(1, int(round(self.fps / 2)))
        self._cond = threading.Condition()
        self._waiting: dict[int, deque] = {}  # segment -> (frame, repeat) not yet encoded
        self._finished: set[int] = set()
        self._opened = 0
        self._ended = False
        self._error: BaseException | None = None
        self._keyframes = {0}
        self.poster_score, self.poster_index = -1.0, -1
        self._held_best = (-1.0, -1)  # the best-scoring still frame: (score, index)
        self._last: tuple[int, av.VideoFrame | None] = (-1, None)
        self._out = _open_output(self.path, format="webm")
        try:
            self._stream = _vp9_stream(self._out, width, height, self.fps)
        except BaseException:
            self._out.close()
            _unlink(self.path)
            raise
        self._thread = threading.Thread(target=self._run, name="webm-encoder", daemon=True)
        self._thread.start()

    # the frame sink (segment encoders) -------------------------------------------------
    def open_segment(self) -> int:
        with self._cond:
            key = self._opened
            self._opened += 1
            self._waiting[key] = deque()
            return key

    def put(self, key: int, frame: av.VideoFrame, repeat: int) -> None:
        with self._cond:
            queue = self._waiting.get(key)
            while queue is not None and len(queue) >= self.QUEUE and self._error is None:
                self._cond.wait()
            if queue is None or self._error is not None:
                return  # failed: close() reports it
            queue.append((frame, repeat))
            self._cond.notify_all()

    def close_segment(self, key: int) -> None:
        with self._cond:
            self._finished.add(key)
            self._cond.notify_all()

    def abort_segment(self, key: int) -> None:
        self._fail(RuntimeError(f"segment {key} of the WebM was abandoned"))

    # what the render tells it ------------------------------------------------------------
    def keyframe(self, index: int) -> None:
        """Make frame ``index`` a keyframe (before that frame is rendered)."""
        with self._cond:
            self._keyframes.add(int(index))

    @property
    def forced_keyframes(self) -> frozenset[int]:
        with self._cond:
            return frozenset(self._keyframes)

    # the encoder thread -------------------------------------------------------------------
    def _fail(self, error: BaseException) -> None:
        with self._cond:
            if self._error is None:
                self._error = error
            self._cond.notify_all()

    def _next(self, key: int):
        """The next (frame, repeat) of segment ``key``; None when it is finished; raises
        StopIteration when the render ended without opening it."""
        with self._cond:
            while True:
                if self._error is not None:
                    raise StopIteration
                queue = self._waiting.get(key)
                if queue:
                    item = queue.popleft()
                    self._cond.notify_all()
                    return item
                if key in self._finished and queue is not None:
                    del self._waiting[key]
                    return None
                if self._ended and key >= self._opened:
                    raise StopIteration
                self._cond.wait()

    def _run(self) -> None:
        try:
            key = 0
            while True:
                try:
                    item = self._next(key)
                except StopIteration:
                    break
                if item is None:  # the segment is finished: on to the next
                    key += 1
                    continue
                frame, repeat = item
                for watcher in self.watchers:
                    watcher.add(frame, repeat)
                for n in range(repeat):
                    self._encode(frame, repeat=n)
            if self._error is None:
                for packet in self._stream.encode():
                    self._mux(packet)
        except BaseException as error:  # noqa: BLE001 - reported by close()
            self._fail(error)

    def _encode(self, frame: av.VideoFrame, repeat: int = 0) -> None:
        """The next frame, the ``repeat``-th repeat of a held frame (0: not a repeat):
        libvpx encodes it, or, when it is a repeat past the first ``repeats_encoded``, no
        forced keyframe, and the decoder holds the picture before it in a reference slot,
        a one-byte frame shows that slot again (lecture/vp9.py)."""
        index = self.frames
        if index % self._step == 0:
            self._score(index, frame, again=repeat > 0)
        with self._cond:
            key = index in self._keyframes
        slot = None
        if (repeat > self._repeats_encoded and not key and self._repeats_shown and self._slots is not None
                and self._written == index - 1):
            slot = self._slots.slot_of_shown()
        if slot is not None:
            data = vp9.show_existing_frame(self._slots.profile, slot)
            self._slots.add(data)
            packet = av.Packet(data)
            packet.stream = self._stream
            packet.time_base = self._time_base
            packet.pts = packet.dts = index
            self._out.mux(packet)
            self._written = index
            self.shown_again += 1
        else:
            # libvpx numbers the frames it is given without gaps (its state is that of a
            # stream without the repeats written above); packets get their frame's time back
            frame.pts = self._encoded
            frame.time_base = self._time_base
            frame.pict_type = PictureType.I if key else PictureType.NONE
            self._index_of[self._encoded] = index
            self._encoded += 1
            for packet in self._stream.encode(frame):
                self._mux(packet)
        self._last = (index, frame)
        self.frames += 1

    def _mux(self, packet: av.Packet) -> None:
        """A libvpx packet into the file at its frame's time; the reference slots followed."""
        index = self._index_of.pop(packet.pts)
        if self._slots is not None:
            try:
                self._slots.add(bytes(packet))
            except vp9.Vp9Error:
                self._slots = None  # a header not read here: libvpx encodes every repeat from now on
        packet.pts = packet.dts = index
        self._out.mux(packet)
        self._written = index

    def _score(self, index: int, frame: av.VideoFrame, again: bool = False, held: bool = False) -> None:
        """Score a poster candidate; ``again``: a repeat of a held picture (``held``: a
        still one otherwise known, the last frame)."""
        if again and self._scored[0] is frame:  # a repeat of the frame scored last
            score = self._scored[1]
        else:
            score = _content_score(frame)
            self._scored = (frame, score)
        if score >= self.poster_score:
            self.poster_score, self.poster_index = score, index
        if (again or held) and score >= self._held_best[0]:
            self._held_best = (score, index)

    # after the render ----------------------------------------------------------------------
    def close(self) -> None:
        """Wait for every frame, finish the file; raise what went wrong (the file is then
        removed)."""
        with self._cond:
            self._ended = True
            self._cond.notify_all()
        self._thread.join()
        self._out.close()
        if self._error is None:
            index, frame = self._last
            if frame is not None:
                self._score(index, frame, held=True)  # the last frame (held: the scene has ended) is a candidate too
            # a still picture, not one caught mid-animation (a Flash, an Indicate), unless
            # the stills all show much less than the busiest moment
            if self._held_best[1] >= 0 and self._held_best[0] >= POSTER_STILL_SHARE * self.poster_score:
                self.poster_score, self.poster_index = self._held_best
            self._last, self._scored = (-1, None), (None, 0.0)
            return
        _unlink(self.path)
        raise MediaError(f"{self.path}: VP9 encoding failed: {self._error}") from self._error

    def abandon(self) -> None:
        """Stop after a failed render and remove the file."""
        self._fail(RuntimeError("render failed"))
        self._thread.join()
        self._out.close()
        _unlink(self.path)


def save_frames(src: str | Path, stills: Mapping[int, str | Path], poster: tuple[int, str | Path] | None = None) -> None:
    """Save frames of ``src`` as PNG: ``stills`` (frame number -> file) and the ``poster``
    (frame number, file; saved optimized), the same pictures as decoding ``src`` from its
    start gives (:func:`transcode_vp9_with_poster`), but decoding only from the keyframe
    before each (a beat's last frame ends a segment, whose first frame is a keyframe)."""
    saves = [(int(i), Path(p), False) for i, p in stills.items()]
    if poster is not None:
        saves.append((int(poster[0]), Path(poster[1]), True))
    for _index, path, _optimize in saves:
        _unlink(path)
    frames = _frames_from_keyframes(src, {index for index, _path, _optimize in saves})
    for index, path, optimize in saves:
        frames[index].to_image().save(path, format="PNG", optimize=optimize)


def _frames_from_keyframes(src: str | Path, indices: set[int]) -> dict[int, av.VideoFrame]:
    """Frames ``indices`` of ``src`` (numbered from 0 in presentation order), each decoded
    from the keyframe at or before it."""
    found: dict[int, av.VideoFrame] = {}
    with av.open(str(src)) as container:
        stream = container.streams.video[0]
        rate = _nominal_rate(stream)
        if not rate:
            raise MediaError(f"{src}: unknown frame rate")
        frames = container.decode(stream)
        first = next(frames, None)
        if first is None:
            raise MediaError(f"{src}: no frames")
        tick = Fraction(stream.time_base) * rate  # frames per time-base unit
        if 0 in indices:
            found[0] = first
        for target in sorted(indices):
            if target in found:
                continue
            container.seek(first.pts + int(Fraction(target) / tick), stream=stream, backward=True)
            for frame in container.decode(stream):
                index = int(round((frame.pts - first.pts) * tick))
                if index in indices and index not in found:
                    found[index] = frame
                if index >= target:
                    break
    missing = indices - set(found)
    if missing:
        raise MediaError(f"{src}: no frames {sorted(missing)[:5]}")
    return found


def frame_at(path: str | Path, index: int) -> np.ndarray:
    """Frame ``index`` of a video as an RGB array (decodes from the start: for tests)."""
    with av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i == index:
                return frame.to_ndarray(format="rgb24")
    raise MediaError(f"{path}: no frame {index}")
