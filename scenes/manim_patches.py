"""Every patch of manim's internals, in one place, each with a test in
tests/test_manim_patches.py that fails if manim's behaviour under it changes (re-check them
on any manim upgrade; manim is pinned to 0.22.x for this reason).

Nothing is patched on import (of this module or of any scene): what renders calls
:func:`install` once (the render worker's ``configure``, lecture/render/worker.py; the
narration collector, lecture/voice/_collect.py). Each patch has its own install/uninstall
for the tests.

1. ``install_digit_copy``: DecimalNumber copies its cached digit glyphs without
   ``copy.deepcopy`` (a live readout rebuilds every character on every frame, and deepcopy
   made that the largest cost of the number-heavy scenes).
2. ``install_frame_encoding``: every frame is converted from RGB to YUV with the colour
   matrix and range the stream is tagged with (lecture/encoding.py COLOUR_OPTIONS: BT.709),
   and a held frame is converted once, not once per repeated frame. manim 0.22's
   ``VideoSegmentEncoder.write_frame`` hands PyAV RGBA frames and PyAV converts them with
   swscale's default matrix (BT.601) whatever the stream says, so a BT.709-tagged video
   would play with shifted colours. A lecture scene also holds its picture still for much of
   its length (manim's ``wait`` with nothing moving writes one RGBA frame with
   ``repeat=N``), and manim builds and converts a new ``av.VideoFrame`` for each of the N
   frames. On a stream without colour tags the conversion is PyAV's own (same pictures as
   manim's). The RGBA frame wraps manim's array (no copy) and each encoder keeps one swscale
   context (PyAV's ``VideoFrame.reformat`` builds a new one, with a thread pool, per frame).
   With a frame sink (scenes/hooks.py ``frame_sink``) the converted frames also go, in
   presentation order, to the worker's VP9 WebM encoder (instead of decoding the finished
   H.264 clip again).
3. ``install_vectorized_subpaths``: ``VMobject.get_subpaths_from_points`` finds where a path
   breaks with manim's own vectorized ``get_subpath_split_indices_from_points`` (what the
   cairo camera already uses) instead of one ``np.allclose`` call per curve. It runs each
   time a path is made smooth (``set_points_smoothly``: a density curve redrawn on every
   frame) and when two paths are aligned for a transform; the per-curve calls were about a
   tenth of scene 5's render.
4. ``install_concat_quoting``: the list of a scene's video segments that manim 0.22 hands
   PyAV's ``concat`` demuxer (``SceneFileWriter._concat_manifest_bytes``) names each file
   as ``file 'file:PATH'`` with PATH unescaped, so a path with an apostrophe
   (``/home/o'brien/lecture``) or a newline could not be read and every scene failed. The
   patch names each segment relative to the working folder when it lies below it (the
   worker's cwd is the scene's work folder, so the output folder's own name never appears)
   and quotes it per ffmpeg's concat syntax (``'`` written ``'\\''``); a newline that is
   still in a path is refused in one line (the list is line-based).
5. ``install_frame_buffers``: the RGBA copy of the camera's picture that manim hands the
   segment encoder for each frame (``CairoRenderer.get_frame``: ``pixel_array.copy()``, a
   new 8 MB array at 1080p, its pages faulted in and freed again every frame) is copied into
   a buffer from a small pool instead, which the patched ``write_frame`` (patch 2) gives
   back once it has converted the frame to YUV. Same pixels, so the same bytes; manim's
   bounded frame queues (``encoder_queue_size`` per segment, ``max_inflight_encoders``
   segments) bound the pool. Only the renderer's per-frame path (``render``) and held
   frames (``freeze_current_frame``) take pooled buffers; ``get_frame`` itself (the static
   background manim keeps, saved images) still returns a fresh copy. Needs patch 2.
6. ``install_held_frames``: a held picture (manim's ``wait`` with nothing moving: a segment of
   its own whose one ``write_frame`` call has ``repeat=N``) is not encoded N times by
   libx264. Its first frame is (the segment's IDR, as before); each repeat is a ready-made P
   frame whose macroblocks are all skipped, renumbered for its place (scenes/h264_skip.py),
   which every decoder shows as exactly the picture before it. The stream keeps one sample
   per frame at the constant rate, so frame counts, times, beat keyframes and the joins are
   untouched. A hold that more frames follow in the same segment is given to libx264 frame
   by frame as before (its frames after the hold depend on what libx264 saw). The hold's own
   encoder opens with extra options (the worker's: lecture/encoding.py H264_HOLD_OPTIONS, a
   lower QP for the IDR that is shown for the whole hold) that leave the parameter sets as
   they are. Needs patch 2; applied by the render worker.
7. ``install_path_glyphs``: manim's ``convert_to_svg`` runs dvisvgm with ``--no-fonts``
   (variant 0: each glyph outline defined once and placed with ``<use>``, and an outline
   shared between a font's sizes as a scaled ``<use>``), so a formula's SVG depended on the
   other formulas in the same DVI. With ``--no-fonts=1`` every glyph is its own ``<path>`` at
   its place: a formula's SVG is the same bytes compiled alone or as one page of many, which
   lets the worker compile a scene's formulas in one LuaLaTeX run (lecture/texbatch.py).
8. ``deferred_tex`` (a context manager, not installed): ``MathTex``/``Tex`` take their SVG
   from ``tex_mobject.tex_to_svg_file``; inside the context a formula whose SVG is not in
   manim's tex folder yet is noted (its .tex file written as manim writes it) and drawn from a
   placeholder instead of being compiled: the worker's first, dry pass over a scene learns
   every formula the scene sets, then compiles them all at once (lecture/texbatch.py). On
   leaving, what manim cached meanwhile (DecimalNumber's glyphs by string, parsed
   placeholder SVGs) is dropped, so nothing drawn from a placeholder outlives the pass.
9. ``install_path_drawing``: the cairo camera sets each VMobject's path on every frame it is
   drawn (``Camera.set_cairo_context_path``) with a NumPy call per step: the finite check,
   ``get_subpath_split_indices_from_points`` (about ten small-array NumPy calls) and one
   NumPy scalar per coordinate handed to cairo. For a scene's hundreds of glyphs a frame that
   Python was about a quarter of the render thread. The patch reads the points into one
   Python list and finds the subpaths and emits the same cairo calls with the same numbers
   (the same comparisons, in the same order of float operations), so the pictures are the
   same bytes. A camera or VMobject class that overrides a step it inlines keeps manim's own.
"""

from __future__ import annotations

import copy
import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import VideoReformatter
from manim import DecimalNumber, Mobject, VMobject
from manim.camera.camera import Camera
from manim.mobject.text import numbers as _manim_numbers
from manim.renderer.cairo_renderer import CairoRenderer
from manim.mobject.text import tex_mobject as _tex_mobject
from manim.scene import video_segment_encoder as _vse
from manim.utils import tex_file_writing as _tex_file_writing

from . import hooks

__all__ = ["concat_manifest_bytes", "converted_frame", "deferred_tex", "dvisvgm_command", "frame_conversion",
           "glyph_copy", "install", "install_concat_quoting", "install_digit_copy",
           "install_frame_buffers", "install_frame_encoding", "install_held_frames", "install_path_drawing",
           "install_path_glyphs",
           "install_vectorized_subpaths", "placeholder_svg", "tex_deferred",
           "uninstall_concat_quoting", "uninstall_digit_copy", "uninstall_frame_buffers", "uninstall_frame_encoding",
           "uninstall_held_frames", "uninstall_path_drawing", "uninstall_path_glyphs", "uninstall_vectorized_subpaths"]

# 1. DecimalNumber digits ------------------------------------------------------------------
_ORIGINAL_STRING_TO_MOB = DecimalNumber._string_to_mob


def _glyph_copy(mob: Mobject) -> Mobject:
    """A copy of a cached digit glyph, without ``copy.deepcopy``.

    Arrays (points, colours) are copied and lists/dicts rebuilt, family member by family
    member; what a glyph only reads (its parsed SVG path, TeX template, colour objects) is
    shared. The result has the same class, points and style as ``mob.copy()``.
    """
    new = copy.copy(mob)
    attrs = new.__dict__
    for name, value in attrs.items():
        if isinstance(value, np.ndarray):
            attrs[name] = value.copy()
        elif isinstance(value, list):
            attrs[name] = list(value)
        elif isinstance(value, dict):
            attrs[name] = dict(value)
    new.submobjects = [_glyph_copy(sub) for sub in mob.submobjects]
    return new


glyph_copy = _glyph_copy  # for scenes/readouts.py's SansDecimal (its own glyph cache)


def _string_to_mob(self, string, mob_class=None, **kwargs):
    # manim's DecimalNumber._string_to_mob with _glyph_copy for Mobject.copy: a live readout
    # rebuilds every character on every frame, and deepcopy made that the largest cost of
    # the number-heavy scenes (about 2 ms a character at 1080p60, 60 times a second).
    if mob_class is None:
        mob_class = self.mob_class
    cache = _manim_numbers.string_to_mob_map
    if string not in cache:
        cache[string] = mob_class(string, **kwargs)
    mob = _glyph_copy(cache[string])
    mob.font_size = self._font_size
    return mob


def install_digit_copy() -> None:
    """Patch DecimalNumber (idempotent)."""
    DecimalNumber._string_to_mob = _string_to_mob


def uninstall_digit_copy() -> None:
    DecimalNumber._string_to_mob = _ORIGINAL_STRING_TO_MOB


# 2. Frame encoding: the tagged colour matrix, held frames converted once ------------------
_ORIGINAL_WRITE_FRAME = _vse.VideoSegmentEncoder.write_frame
_AVCOL_SPC_BT709 = 1  # AVColorSpace, as codec_context.colorspace reports it once set
_RANGES = {"tv": "MPEG", "mpeg": "MPEG", "limited": "MPEG", "pc": "JPEG", "jpeg": "JPEG", "full": "JPEG"}
_AVCOL_RANGES = {1: "MPEG", 2: "JPEG"}  # AVColorRange


def frame_conversion(codec_context) -> dict[str, str]:
    """``VideoFrame.reformat`` arguments that turn an RGB frame into what ``codec_context``
    encodes: its pixel format, and the YUV matrix and range its stream will be tagged with.

    The tags come from the encoder options (manim passes ``[video_encoder]`` options, applied
    only when the encoder opens at the first frame) or from the context itself. Only BT.709
    and the two ranges are mapped; anything else keeps PyAV's default conversion.
    """
    options = codec_context.options or {}
    kwargs = {"format": codec_context.pix_fmt}
    if options.get("colorspace", "").lower() == "bt709" or codec_context.colorspace == _AVCOL_SPC_BT709:
        kwargs["dst_colorspace"] = "ITU709"
    colour_range = _RANGES.get(options.get("color_range", "").lower()) or _AVCOL_RANGES.get(codec_context.color_range)
    if colour_range:
        kwargs["dst_color_range"] = colour_range
    return kwargs


def converted_frame(encoder, pixels) -> av.VideoFrame:
    """``pixels`` (RGBA) as the frame ``encoder``'s stream encodes (see :func:`frame_conversion`).

    The RGBA frame wraps the array without a copy (manim hands the array over for good), and
    one reformatter per encoder keeps its swscale context: ``VideoFrame.reformat`` makes a new
    context (with its slice-thread pool) for every frame, which cost about three times the
    conversion itself at 1080p. One thread: the same pictures whatever the machine's CPUs.
    """
    reformatter = encoder.__dict__.get("_nll_reformatter")
    if reformatter is None:
        reformatter = encoder._nll_reformatter = VideoReformatter()
    rgba = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
    return reformatter.reformat(rgba, threads=1, **frame_conversion(encoder._stream.codec_context))


def _write_frame(self, pixels, *, repeat: int = 1) -> None:
    self._validate_frame(pixels, repeat)
    rate = self.spec.frame_rate
    time_base = Fraction(rate.denominator, rate.numerator)
    try:
        stream = self._stream
        frame = converted_frame(self, pixels)
        if frame.format.name != "rgba":  # converted into frames of its own: the RGBA buffer is free again
            _release_buffer(pixels)
        for _ in range(repeat):
            frame.pts = self._next_pts
            frame.time_base = time_base
            self._next_pts += 1
            for packet in stream.encode(frame):
                self._container.mux(packet)
        _to_sink(self, frame, repeat)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


# A frame sink (scenes/hooks.py ``frame_sink``: the render worker's WebM writer,
# lecture/media.py WebmWriter, with ``open_segment() -> key``, ``put(key, frame, repeat)``,
# ``close_segment(key)``, ``abort_segment(key)``) gets every converted frame of the segment
# encoders made while it is set: segments are numbered as manim creates their encoders (in
# the main thread, in the order they play), each segment's frames come in order from its
# encoder thread, and its end (finish) or failure (abort) is reported, so the sink can put
# the frames of concurrently encoded segments in presentation order.
_ORIGINAL_INIT = _vse.VideoSegmentEncoder.__init__
_ORIGINAL_FINISH = _vse.VideoSegmentEncoder.finish
_ORIGINAL_ABORT = _vse.VideoSegmentEncoder.abort


def _init(self, *, target, spec) -> None:
    _ORIGINAL_INIT(self, target=target, spec=spec)
    sink = hooks.current().frame_sink
    self._nll_segment = (sink, sink.open_segment()) if sink is not None else None


def _to_sink(encoder, frame, repeat: int) -> None:
    segment = encoder.__dict__.get("_nll_segment")
    if segment is not None:
        segment[0].put(segment[1], frame, repeat)


def _finish(self) -> None:
    segment, done = self.__dict__.get("_nll_segment"), self._closed
    try:
        _ORIGINAL_FINISH(self)
    except BaseException:
        if segment is not None and not done:
            segment[0].abort_segment(segment[1])
        raise
    if segment is not None and not done:
        segment[0].close_segment(segment[1])


def _abort(self) -> None:
    segment = self.__dict__.get("_nll_segment")
    try:
        _ORIGINAL_ABORT(self)
    finally:
        if segment is not None:
            segment[0].abort_segment(segment[1])


def install_frame_encoding() -> None:
    """Patch manim's segment encoder (idempotent)."""
    _vse.VideoSegmentEncoder.write_frame = _write_frame
    _vse.VideoSegmentEncoder.__init__ = _init
    _vse.VideoSegmentEncoder.finish = _finish
    _vse.VideoSegmentEncoder.abort = _abort


def uninstall_frame_encoding() -> None:
    _vse.VideoSegmentEncoder.write_frame = _ORIGINAL_WRITE_FRAME
    _vse.VideoSegmentEncoder.__init__ = _ORIGINAL_INIT
    _vse.VideoSegmentEncoder.finish = _ORIGINAL_FINISH
    _vse.VideoSegmentEncoder.abort = _ORIGINAL_ABORT


# 3. Subpaths: split indices found in one vectorized pass ---------------------------------
_ORIGINAL_GET_SUBPATHS_FROM_POINTS = VMobject.get_subpaths_from_points


def _get_subpaths_from_points(self, points):
    # manim's _gen_subpaths_from_points splits where consider_points_equals (np.allclose of
    # a curve's end and the next one's start) is false and drops pieces shorter than one
    # curve; get_subpath_split_indices_from_points makes the same comparison for all
    # curves at once.
    nppcc = self.n_points_per_cubic_curve
    return [points[start:end] for start, end in self.get_subpath_split_indices_from_points(points)
            if end - start >= nppcc]


def install_vectorized_subpaths() -> None:
    """Patch VMobject (idempotent)."""
    VMobject.get_subpaths_from_points = _get_subpaths_from_points


def uninstall_vectorized_subpaths() -> None:
    VMobject.get_subpaths_from_points = _ORIGINAL_GET_SUBPATHS_FROM_POINTS


# 4. The segment list for PyAV's concat demuxer ---------------------------------------------
from manim.scene.scene_file_writer import SceneFileWriter as _SceneFileWriter  # noqa: E402

_ORIGINAL_CONCAT_MANIFEST = _SceneFileWriter.__dict__["_concat_manifest_bytes"]


def concat_quote(path: str) -> str:
    """``path`` as one quoted token of ffmpeg's concat list (``'`` ends the quote, is
    escaped, and the quote starts again).

    >>> concat_quote("a'b")
    "'a'\\\\''b'"
    """
    if "\n" in path or "\r" in path:
        raise ValueError(f"a video segment's path holds a line break, which ffmpeg's concat list cannot name: {path!r}")
    return "'" + path.replace("'", "'\\''") + "'"


def concat_manifest_bytes(input_files: list[str]) -> bytes:
    """manim's segment list with each file below the working folder named relative to it
    and every name quoted (see 4. above)."""
    import os

    cwd = os.getcwd()
    lines = ["# This file records the segment order used by Manim.\n"]
    for file_path in input_files:
        path = os.path.abspath(file_path)
        relative = os.path.relpath(path, cwd)
        shown = relative if not relative.startswith("..") else path
        lines.append(f"file {concat_quote('file:' + Path(shown).as_posix())}\n")
    return "".join(lines).encode("utf-8")


def install_concat_quoting() -> None:
    _SceneFileWriter._concat_manifest_bytes = staticmethod(concat_manifest_bytes)


def uninstall_concat_quoting() -> None:
    _SceneFileWriter._concat_manifest_bytes = _ORIGINAL_CONCAT_MANIFEST


# 5. Frame buffers: the per-frame RGBA copy reuses pooled buffers ----------------------------
_ORIGINAL_RENDER = CairoRenderer.render
_ORIGINAL_FREEZE_CURRENT_FRAME = CairoRenderer.freeze_current_frame


class _PooledFrame(np.ndarray):
    """A frame buffer of the pool (a view of its array): what ``write_frame`` gives back."""


class _FramePool:
    """Free RGBA buffers of one frame size, taken by the render thread and given back by
    the encoder threads."""

    KEEP = 32  # at most this many free buffers are kept (manim's queues hold fewer)

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._free: list[_PooledFrame] = []
        self.made = 0  # buffers allocated (for tests)

    def copy(self, pixels: np.ndarray) -> np.ndarray:
        """A copy of ``pixels`` in a free buffer of the pool (a new one if none is free)."""
        with self._lock:
            buffer = self._free.pop() if self._free else None
        if buffer is None or buffer.shape != pixels.shape or buffer.dtype != pixels.dtype:
            buffer = np.empty(pixels.shape, pixels.dtype).view(_PooledFrame)
            self.made += 1
        np.copyto(buffer, pixels)
        return buffer

    def give_back(self, buffer: np.ndarray) -> None:
        with self._lock:
            if len(self._free) < self.KEEP:
                self._free.append(buffer)


_POOL = _FramePool()


def _release_buffer(pixels) -> None:
    if type(pixels) is _PooledFrame:
        _POOL.give_back(pixels)


def _render(self, scene, time, moving_mobjects=None) -> None:
    # CairoRenderer.render with a pooled copy for get_frame's pixel_array.copy()
    self.update_frame(scene, moving_mobjects)
    self.add_frame(_POOL.copy(self.camera.pixel_array))


def _freeze_current_frame(self, duration: float) -> None:
    # CairoRenderer.freeze_current_frame with a pooled copy for get_frame's
    dt = 1 / self.camera.frame_rate
    self.add_frame(_POOL.copy(self.camera.pixel_array), num_frames=int(duration / dt))


def install_frame_buffers() -> None:
    """Patch CairoRenderer's per-frame copy (idempotent); needs patch 2 to give buffers back."""
    CairoRenderer.render = _render
    CairoRenderer.freeze_current_frame = _freeze_current_frame


def uninstall_frame_buffers() -> None:
    CairoRenderer.render = _ORIGINAL_RENDER
    CairoRenderer.freeze_current_frame = _ORIGINAL_FREEZE_CURRENT_FRAME


# 6. Held frames: a hold's repeats as all-skip P frames, not libx264 encodes ----------------
class _Flushed:
    """Stands in for a segment's stream once its encoder is flushed (patch 6): manim's
    ``finish`` flushes again, which libx264 refuses after the end of the stream."""

    @staticmethod
    def encode(frame=None):
        return []


def _held_write_frame(self, pixels, *, repeat: int = 1) -> None:
    held = self.__dict__.get("_nll_held")
    if held is not None:  # more frames after the hold: libx264 gets its repeats after all
        self._nll_held = None
        try:
            _encode_repeats(self, *held)
        except BaseException as error:
            raise self._operation_error("encode", error) from error
    if repeat < 2 or self._next_pts != 0 or self._stream.codec_context.name != "libx264":
        _write_frame(self, pixels, repeat=repeat)
        return
    # the segment starts with a hold: its first frame now, the repeats when the segment ends
    self._validate_frame(pixels, repeat)
    rate = self.spec.frame_rate
    try:
        if _HOLD_OPTIONS:  # the hold's own encoder opens at this first frame: with the hold's options
            context = self._stream.codec_context
            context.options = {**dict(self.spec.options), **_HOLD_OPTIONS}
        frame = converted_frame(self, pixels)
        if frame.format.name != "rgba":
            _release_buffer(pixels)
        frame.pts = 0
        frame.time_base = Fraction(rate.denominator, rate.numerator)
        self._next_pts = 1
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        # libx264 may still need the picture (more frames follow, or no skip frame): a frame
        # object of its own, as the sink (the WebM writer's thread) sets the pts and picture type
        # of the one it gets
        self._nll_held = (_frame_copy(frame), repeat - 1)
        _to_sink(self, frame, repeat)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def _frame_copy(frame: av.VideoFrame) -> av.VideoFrame:
    copy = av.VideoFrame.from_ndarray(frame.to_ndarray(), format=frame.format.name)
    copy.colorspace, copy.color_range = frame.colorspace, frame.color_range
    copy.time_base = frame.time_base
    return copy


def _encode_repeats(encoder, frame, count: int) -> None:
    for _ in range(count):
        frame.pts = encoder._next_pts
        encoder._next_pts += 1
        for packet in encoder._stream.encode(frame):
            encoder._container.mux(packet)


def _write_hold(encoder, frame, count: int) -> None:
    """The end of a segment that is one hold: the first frame flushed out of libx264, then
    ``count`` all-skip P frames at the following times (libx264's repeats, when its
    parameter sets cannot be matched)."""
    from . import h264_skip

    stream = encoder._stream
    skip = h264_skip.skip_frames(stream.codec_context, {**dict(encoder.spec.options), **_HOLD_OPTIONS})
    if skip is None:
        _encode_repeats(encoder, frame, count)
        return
    packets = list(stream.encode(None))
    if len(packets) != 1 or not packets[0].is_keyframe:
        raise RuntimeError(f"libx264 gave {len(packets)} packets for a held frame, not one keyframe")
    first = packets[0]
    time_base = first.time_base
    step = Fraction(1, 1) / encoder.spec.frame_rate / time_base
    if step.denominator != 1:
        raise RuntimeError(f"a frame is not a whole number of ticks of {time_base}")
    pts, dts, step = first.pts, first.dts, int(step)
    encoder._container.mux(first)
    encoder._stream = _Flushed()
    for index in range(1, count + 1):
        packet = av.Packet(skip.frame(index))
        packet.stream = stream
        packet.time_base = time_base
        packet.pts, packet.dts, packet.duration = pts + index * step, dts + index * step, step
        encoder._container.mux(packet)
    encoder._next_pts = count + 1


def _held_finish(self) -> None:
    held = self.__dict__.get("_nll_held")
    if held is not None and not self._closed:
        self._nll_held = None
        try:
            _write_hold(self, *held)
        except BaseException as error:
            self.abort()
            raise self._operation_error("finish", error) from error
    _finish(self)


_HOLD_OPTIONS: dict[str, str] = {}


def install_held_frames(hold_options: dict[str, str] | None = None) -> None:
    """Patch manim's segment encoder for holds (idempotent); installs patch 2 first.
    ``hold_options``: encoder options (over the segment's own) for a segment that is one
    hold; they must not change libx264's parameter sets (else the repeats are encoded by
    libx264 as before): lecture/encoding.py H264_HOLD_OPTIONS."""
    install_frame_encoding()
    _HOLD_OPTIONS.clear()
    _HOLD_OPTIONS.update(hold_options or {})
    _vse.VideoSegmentEncoder.write_frame = _held_write_frame
    _vse.VideoSegmentEncoder.finish = _held_finish


def uninstall_held_frames() -> None:
    """Back to patch 2 alone."""
    _HOLD_OPTIONS.clear()
    _vse.VideoSegmentEncoder.write_frame = _write_frame
    _vse.VideoSegmentEncoder.finish = _finish


# 7. TeX glyphs as paths --------------------------------------------------------------------
_ORIGINAL_CONVERT_TO_SVG = _tex_file_writing.convert_to_svg


def dvisvgm_command(dvi_file: Path, extension: str, page: int | str, output: Path | str) -> list[str]:
    """The dvisvgm call for one page (or ``"1-"`` with ``output`` holding ``%p``): manim's own
    arguments but ``--no-fonts=1``, every glyph a ``<path>`` of its own."""
    return ["dvisvgm", *(["--pdf"] if extension == ".pdf" else []), f"--page={page}", "--no-fonts=1",
            "--verbosity=0", f"--output={Path(output).as_posix()}", Path(dvi_file).as_posix()]


def _convert_to_svg(dvi_file: Path, extension: str, page: int = 1) -> Path:
    result = dvi_file.with_suffix(".svg")
    if not result.exists():
        subprocess.run(dvisvgm_command(dvi_file, extension, page, result), stdout=subprocess.DEVNULL)
    if not result.exists():
        return _ORIGINAL_CONVERT_TO_SVG(dvi_file, extension, page)  # manim's own error message
    return result


def install_path_glyphs() -> None:
    _tex_file_writing.convert_to_svg = _convert_to_svg


def uninstall_path_glyphs() -> None:
    _tex_file_writing.convert_to_svg = _ORIGINAL_CONVERT_TO_SVG


# 8. Formulas noted, not compiled (the worker's first pass) ---------------------------------
_SPECIAL = re.compile(r"\\special\{dvisvgm:raw <g id='([^']*)'>\}|\\special\{dvisvgm:raw </g>\}")


def placeholder_svg(expression: str) -> str:
    """An SVG that stands in for ``expression``'s until it is compiled: the same named groups
    (``unique000``...) as dvisvgm would write, nested as the expression's specials are, each
    holding a small square per character of its own text, so a scene that picks parts or
    glyphs of a formula runs on."""
    out: list[str] = []
    x = 0

    def squares(text: str) -> None:
        nonlocal x
        for char in re.sub(r"\\[A-Za-z]+|[{}\\^_&\s]", "", text):
            out.append(f"<path d='M{x} 0h5v-5h-5z'/>")
            x += 6

    last = 0
    for match in _SPECIAL.finditer(expression):
        squares(expression[last:match.start()])
        out.append(f"<g id='{match.group(1)}'>" if match.group(1) is not None else "</g>")
        last = match.end()
    squares(expression[last:])
    if x == 0:
        out.append("<path d='M0 0h5v-5h-5z'/>")
    width = max(x, 6)
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}pt' height='5pt' viewBox='0 -5 {width} 5'>"
            f"<g id='page1'>{''.join(out)}</g></svg>")


_DEFERRING = [0]  # deferred_tex contexts open now


def tex_deferred() -> bool:
    """Formulas are placeholders now (inside :func:`deferred_tex`): what is measured from
    one must not be kept."""
    return _DEFERRING[0] > 0


@contextmanager
def deferred_tex(noted: dict[Path, tuple[str, str]]) -> Iterator[dict[Path, tuple[str, str]]]:
    """Inside: a MathTex/Tex whose SVG is not in manim's tex folder is noted in ``noted``
    (its .tex file, written as manim writes it -> the template's compiler and output
    format) and drawn from :func:`placeholder_svg`; one already compiled is read as usual.
    Nothing is compiled."""
    from manim import config

    original = _tex_mobject.tex_to_svg_file
    scratch = Path(tempfile.mkdtemp(prefix="nll-tex-placeholders-"))

    def noting(expression, environment=None, tex_template=None):
        template = tex_template if tex_template is not None else config["tex_template"]
        tex_file = _tex_file_writing.generate_tex_file(expression, environment, template)
        svg = tex_file.with_suffix(".svg")
        if svg.exists():
            return svg
        noted.setdefault(tex_file, (template.tex_compiler, template.output_format))
        stand_in = scratch / svg.name
        stand_in.write_text(placeholder_svg(expression), encoding="utf-8")
        return stand_in

    from manim.mobject.svg import svg_mobject as _svg_mobject

    digits_before = set(_manim_numbers.string_to_mob_map)
    _tex_mobject.tex_to_svg_file = noting
    _DEFERRING[0] += 1
    try:
        yield noted
    finally:
        _DEFERRING[0] -= 1
        _tex_mobject.tex_to_svg_file = original
        # manim keeps what it built: DecimalNumber's glyphs by string (module-level
        # string_to_mob_map) and every parsed SVG by file; those made inside may be
        # placeholders, and a real render after the pass must not reuse them
        for key in set(_manim_numbers.string_to_mob_map) - digits_before:
            del _manim_numbers.string_to_mob_map[key]
        for key, mob in list(_svg_mobject.SVG_HASH_TO_MOB_MAP.items()):
            if str(getattr(mob, "file_name", "")).startswith(str(scratch)):
                del _svg_mobject.SVG_HASH_TO_MOB_MAP[key]
        for path in scratch.glob("*"):
            path.unlink()
        scratch.rmdir()


# 9. Path drawing: a VMobject's cairo path set from one list of floats -----------------------
_ORIGINAL_SET_CAIRO_CONTEXT_PATH = Camera.set_cairo_context_path
_MANIM_PATH_STEPS = (Camera.transform_points_pre_display, VMobject.get_subpath_split_indices_from_points,
                     VMobject.consider_points_equals_2d)


def _subpath_starts(flat: list[float], n_points: int, nppcc: int, atol: float) -> list[int]:
    """Where each subpath of a finite path starts, and its end: manim's
    ``get_subpath_split_indices_from_points(points, n_dims=2)`` (np.isclose per coordinate of
    a curve's end and the next curve's start), for finite points, on Python floats."""
    rtol = 1.0e-5  # np.isclose's, as manim's
    starts = [0]
    for i in range(nppcc, n_points, nppcc):
        ex, ey, sx, sy = flat[2 * i - 2:2 * i + 2]
        if not (abs(ex - sx) <= atol + rtol * abs(sx) and abs(ey - sy) <= atol + rtol * abs(sy)):
            starts.append(i)
    starts.append(n_points)
    return starts


def _set_cairo_context_path(self, ctx, vmobject):
    # manim's Camera.set_cairo_context_path, the same cairo calls with the same numbers
    cls = type(vmobject)
    if (type(self).transform_points_pre_display, cls.get_subpath_split_indices_from_points,
            cls.consider_points_equals_2d) != _MANIM_PATH_STEPS:
        return _ORIGINAL_SET_CAIRO_CONTEXT_PATH(self, ctx, vmobject)
    points = vmobject.points
    if points.dtype != np.float64:  # the comparisons below are float64's
        return _ORIGINAL_SET_CAIRO_CONTEXT_PATH(self, ctx, vmobject)
    if not np.isfinite(points).all():  # transform_points_pre_display: one point at the origin instead
        points = np.zeros((1, 3))
    n_points = len(points)
    if n_points == 0:
        return self
    ctx.new_path()
    nppcc = vmobject.n_points_per_cubic_curve
    if n_points < nppcc:
        return self
    flat = points[:, :2].ravel().tolist()  # x0, y0, x1, y1, ... as Python floats (the same doubles)
    starts = _subpath_starts(flat, n_points, nppcc, vmobject.tolerance_for_point_equality)
    move_to, curve_to, new_sub_path, close_path = ctx.move_to, ctx.curve_to, ctx.new_sub_path, ctx.close_path
    for start, end in zip(starts, starts[1:]):
        if end - start < nppcc:
            continue
        new_sub_path()
        move_to(flat[2 * start], flat[2 * start + 1])
        for i in range(start, end - nppcc + 1, nppcc):
            b = 2 * i + 2  # the curve's first handle
            curve_to(*flat[b:b + 6])
        if vmobject.consider_points_equals_2d(flat[2 * start:2 * start + 2], flat[2 * end - 2:2 * end]):
            close_path()
    return self


def install_path_drawing() -> None:
    """Patch the cairo camera's path setting (idempotent)."""
    Camera.set_cairo_context_path = _set_cairo_context_path


def uninstall_path_drawing() -> None:
    Camera.set_cairo_context_path = _ORIGINAL_SET_CAIRO_CONTEXT_PATH


# All of them -----------------------------------------------------------------------------
def install(hold_options: dict[str, str] | None = None) -> None:
    """Install every patch above (idempotent): what a render of the lecture's scenes runs with.
    ``hold_options``: patch 6's encoder options for a segment that is one hold (the worker
    passes lecture/encoding.py's H264_HOLD_OPTIONS)."""
    install_digit_copy()  # live readouts: digits copied without deepcopy
    install_vectorized_subpaths()  # smooth curves redrawn per frame: subpaths found in one pass
    install_frame_encoding()  # BT.709 conversion; a held frame converted once, not once per frame
    install_concat_quoting()  # the segment list read whatever OUT's path holds (' or a newline)
    install_frame_buffers()  # the per-frame RGBA copy in reused buffers, not a new 8 MB array
    install_held_frames(hold_options)  # a hold's repeats: all-skip P frames (patch 6)
    install_path_glyphs()  # TeX SVGs the same bytes alone or in a batch (patch 7)
    install_path_drawing()  # each VMobject's cairo path set from Python floats, not NumPy scalars (patch 9)
