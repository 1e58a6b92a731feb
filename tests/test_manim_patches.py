"""Each patch in scenes/manim_patches.py against manim's own behaviour: these fail if
manim 0.22's internals under a patch change (then re-check the patch)."""

from __future__ import annotations

import hashlib
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from manim import DecimalNumber, Integer
from manim._config.video_encoder import VideoEncoderSpec
from manim.scene import video_segment_encoder as vse

from scenes import hooks, manim_patches


@pytest.fixture(autouse=True, scope="module")
def _own_media_dir(tmp_path_factory):
    """manim writes these tests' formulas under config.media_dir ("media" in the working
    directory by default): two xdist workers compiling the same formula there at once read
    each other's half-written .dvi (dvisvgm then writes no SVG). A folder per worker."""
    from manim import config

    before = config.media_dir
    config.media_dir = str(tmp_path_factory.mktemp("manim-patches-media"))
    yield
    config.media_dir = before


def _family_signature(mob):
    return [(type(m).__name__, m.points.round(9).tobytes(), tuple(np.asarray(m.get_fill_color().to_rgb()).round(6)))
            for m in mob.get_family()]


@pytest.mark.parametrize("cls, values", [(DecimalNumber, [0.0, 3.14159, -12.5, 168.34, 9.999]), (Integer, [0, 7, -42, 1000])])
def test_digit_copy_gives_what_manims_own_copy_gives(cls, values):
    manim_patches.uninstall_digit_copy()
    try:
        original = [_family_signature(cls(v, font_size=40)) for v in values]
    finally:
        manim_patches.install_digit_copy()
    patched = [_family_signature(cls(v, font_size=40)) for v in values]
    assert patched == original


def test_digit_copy_shares_no_arrays_with_the_cached_glyph():
    number = DecimalNumber(1.25)
    number.set_value(2.5)
    cached = DecimalNumber(0.0)  # the cache now holds "2", ".", "5" glyphs
    for mob in number.get_family():
        for other in cached.get_family():
            assert mob.points is not other.points or mob.points.size == 0


def test_manims_segment_encoder_still_has_what_the_held_frame_patch_uses():
    encoder = vse.VideoSegmentEncoder
    for name in ("_validate_frame", "_operation_error", "write_frame"):
        assert hasattr(encoder, name), name
    assert manim_patches._ORIGINAL_WRITE_FRAME.__qualname__ == "VideoSegmentEncoder.write_frame"


def _encode(path: Path, frames, install: bool, options=(("crf", "20"),)) -> str:
    """Frames (array, repeat) through manim's own segment encoder, with its original or the
    patched write_frame; returns the sha256 of the decoded pictures."""
    spec = VideoEncoderSpec(container_format="mp4", codec="libx264", pixel_format="yuv420p", width=64, height=48,
                            frame_rate=Fraction(30), options=tuple(options))
    if install:
        manim_patches.install_frame_encoding()
    try:
        encoder = vse.VideoSegmentEncoder(target=path, spec=spec)
        for pixels, repeat in frames:
            encoder.write_frame(pixels, repeat=repeat)
        encoder.finish()
    finally:
        manim_patches.uninstall_frame_encoding()
    digest = hashlib.sha256()
    count = 0
    with av.open(str(path)) as inp:
        for frame in inp.decode(video=0):
            digest.update(frame.to_ndarray(format="rgb24").tobytes())
            count += 1
    assert count == sum(r for _p, r in frames)
    return digest.hexdigest()


def test_held_frames_decode_the_same_with_and_without_the_patch(tmp_path):
    rng = np.random.default_rng(1)
    frames = [(rng.integers(0, 255, (48, 64, 4), dtype=np.uint8), r) for r in (1, 5, 1, 12)]
    for pixels, _ in frames:
        pixels[..., 3] = 255
    assert _encode(tmp_path / "a.mp4", frames, install=False) == _encode(tmp_path / "b.mp4", frames, install=True)


def _decoded_colour(path: Path) -> tuple[np.ndarray, av.VideoFrame]:
    """The middle pixel of the first frame, decoded as PyAV does (it honours the stream's tags)."""
    with av.open(str(path)) as inp:
        frame = next(inp.decode(video=0))
        return frame.to_ndarray(format="rgb24")[24, 32].astype(int), frame


# The theme's colours and the orange: a flat frame of each, held (repeat) and not.
FLAT = [(243, 134, 64), (0xFF, 0x8C, 0x42), (0x58, 0xC4, 0xDD), (0x06, 0xD6, 0xA0), (0xEF, 0x47, 0x6F),
        (0xB3, 0x88, 0xEB), (0x10, 0x14, 0x18), (0xEC, 0xEF, 0xF4)]


@pytest.mark.parametrize("repeat", [1, 4])
@pytest.mark.parametrize("colour_range, tag", [("pc", 2), ("tv", 1)])  # the project's (encoding.py), and limited
def test_frames_are_converted_with_the_bt709_matrix_the_stream_is_tagged_with(tmp_path, repeat, colour_range, tag):
    from lecture import encoding

    options = (("crf", "20"), *{**encoding.COLOUR_OPTIONS, "color_range": colour_range}.items())
    for colour in FLAT:
        pixels = np.empty((48, 64, 4), np.uint8)
        pixels[..., :3], pixels[..., 3] = colour, 255
        patched, original = tmp_path / "patched.mp4", tmp_path / "original.mp4"
        _encode(patched, [(pixels, repeat)], install=True, options=options)
        got, frame = _decoded_colour(patched)
        assert (frame.colorspace, frame.color_range) == (1, tag)  # BT.709 and the range, from the stream's tags
        assert np.abs(got - colour).max() <= 3, (colour, got)
        if colour == (243, 134, 64):  # manim alone converts as BT.601 under BT.709 tags: visibly off
            _encode(original, [(pixels, repeat)], install=False, options=options)
            wrong, _ = _decoded_colour(original)
            assert np.abs(wrong - colour).max() > 6, wrong



def test_frames_are_converted_as_a_fresh_reformat_of_each_frame_would_convert_them(tmp_path):
    """The patch wraps manim's array without a copy and keeps one swscale context per encoder:
    frame after frame (different pictures through one context) the planes are those of
    PyAV's ``VideoFrame.from_ndarray(...).reformat(...)``, which makes a new context each time."""
    from lecture import encoding

    spec = VideoEncoderSpec(container_format="mp4", codec="libx264", pixel_format="yuv420p", width=64, height=48,
                            frame_rate=Fraction(30), options=tuple({"crf": "20", **encoding.COLOUR_OPTIONS}.items()))
    encoder = vse.VideoSegmentEncoder(target=tmp_path / "x.mp4", spec=spec)  # manim's own: it has the _stream used
    try:
        conversion = manim_patches.frame_conversion(encoder._stream.codec_context)
        assert conversion == {"format": "yuv420p", "dst_colorspace": "ITU709", "dst_color_range": "JPEG"}
        rng = np.random.default_rng(7)
        for _ in range(4):
            pixels = rng.integers(0, 255, (48, 64, 4), dtype=np.uint8)
            pixels[..., 3] = 255
            expected = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(**conversion)
            got = manim_patches.converted_frame(encoder, pixels)
            assert got.format.name == "yuv420p"
            for a, b in zip(got.planes, expected.planes, strict=True):
                assert bytes(a) == bytes(b)
    finally:
        encoder.abort()


def _paths_for_subpaths():
    """Point arrays with breaks, near-breaks within manim's tolerance, NaN/inf and leftovers."""
    rng = np.random.default_rng(3)
    paths = []
    for n_curves, extra in ((0, 0), (0, 3), (1, 0), (1, 2), (5, 0), (40, 1), (200, 0)):
        curves = rng.normal(size=(n_curves, 4, 3))
        for i in range(1, n_curves):
            if rng.random() < 0.6:  # joined to the previous curve, exactly or within tolerance
                curves[i, 0] = curves[i - 1, 3] + (rng.random() < 0.5) * 1e-9
        points = np.concatenate([curves.reshape(-1, 3), rng.normal(size=(extra, 3))])
        paths.append(points)
    special = paths[4][:8]  # two curves
    for value in (np.nan, np.inf, -np.inf):
        joined = special.copy()
        joined[3, 0] = joined[4, 0] = value  # NaN never equal, infinities equal to themselves
        paths.append(joined)
    return paths


def test_vectorized_subpaths_give_manims_own_subpaths():
    from manim import MathTex, VMobject

    mob = VMobject()
    manim_patches.uninstall_vectorized_subpaths()
    try:
        original = [mob.get_subpaths_from_points(p) for p in _paths_for_subpaths()]
        smooth_original = VMobject().set_points_smoothly(np.random.default_rng(5).normal(size=(160, 3))).points
        tex_original = [m.get_subpaths() for m in MathTex(r"\mathcal{L}(\theta)=8").family_members_with_points()]
    finally:
        manim_patches.install_vectorized_subpaths()
    patched = [mob.get_subpaths_from_points(p) for p in _paths_for_subpaths()]
    assert [len(o) for o in original] == [len(p) for p in patched]
    assert any(len(o) > 1 for o in original) and any(len(o) == 0 for o in original)
    for o, p in zip(original, patched):
        for a, b in zip(o, p, strict=True):
            np.testing.assert_array_equal(a, b)
    smooth = VMobject().set_points_smoothly(np.random.default_rng(5).normal(size=(160, 3))).points
    np.testing.assert_array_equal(smooth, smooth_original)
    tex = [m.get_subpaths() for m in MathTex(r"\mathcal{L}(\theta)=8").family_members_with_points()]
    assert [[s.tobytes() for s in t] for t in tex] == [[s.tobytes() for s in t] for t in tex_original]
    assert VMobject.get_subpaths_from_points is manim_patches._get_subpaths_from_points



class _CairoCalls:
    """A cairo context that notes the path calls made on it (name, numbers as floats)."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, tuple(float(a) for a in args)))


def _drawn_vmobjects():
    """VMobjects as scenes draw them (glyphs, a formula, curves, closed shapes) and odd points:
    empty, shorter than a curve, breaks within and beyond manim's tolerance, NaN and inf."""
    from manim import Axes, Circle, MathTex, Square, Text, VMobject

    axes = Axes(x_range=(0, 6), y_range=(0, 1))
    mobs = [*Text("Likelihood, 우도 0.42").family_members_with_points(),
            *MathTex(r"\mathcal{L}(\theta)=\prod_i p(x_i)").family_members_with_points(),
            Circle(), Square().shift((0.3, 1e-7, 0)), axes.plot(lambda x: np.exp(-x) * x, x_range=(0, 6)),
            *axes.family_members_with_points()]
    for points in _paths_for_subpaths():
        mob = VMobject()
        mob.points = points
        mobs.append(mob)
    far = np.random.default_rng(4).normal(size=(30, 4, 3)) + (400.0, -300.0, 0.0)
    far[1:, 0] = far[:-1, 3] + np.where(np.arange(29) % 3 == 0, 1e-3, 1e-2)[:, None]  # within rtol, then beyond
    far_off = VMobject()
    far_off.points = far.reshape(-1, 3)
    mobs.append(far_off)
    joined = _paths_for_subpaths()[5].copy()
    joined[-1] = joined[0] + (1e-9, 0, 0)  # closed within tolerance
    closing = VMobject()
    closing.points = joined
    return [*mobs, closing]


def test_path_drawing_makes_manims_own_cairo_calls_and_pixels():
    from manim import config
    from manim.camera.camera import Camera

    mobs = _drawn_vmobjects()
    camera = Camera(pixel_width=320, pixel_height=180)

    def draw():
        calls = []
        for mob in mobs:
            ctx = _CairoCalls()
            camera.set_cairo_context_path(ctx, mob)
            calls.append(ctx.calls)
        camera.reset()
        camera.capture_mobjects(mobs)
        return calls, camera.pixel_array.tobytes()

    manim_patches.uninstall_path_drawing()
    try:
        original = draw()
    finally:
        manim_patches.install_path_drawing()
    assert Camera.set_cairo_context_path is manim_patches._set_cairo_context_path
    patched = draw()
    assert sum(len(c) for c in original[0]) > 1000 and any(("close_path", ()) in c for c in original[0])
    assert any(c == [("new_path", ())] for c in original[0])  # a path with no whole curve
    assert patched[0] == original[0]
    assert patched[1] == original[1] and len(set(original[1])) > 2  # something was drawn
    assert config.pixel_width  # manim's config untouched by a camera of its own size


class _Sink:
    """Notes what the frame sink is told, as lecture/media.py's WebmWriter is."""

    def __init__(self):
        self.opened, self.frames, self.closed, self.aborted = 0, [], [], []

    def open_segment(self):
        self.opened += 1
        return self.opened - 1

    def put(self, key, frame, repeat):
        self.frames.append((key, frame.to_ndarray(format="rgb24")[0, 0].tolist(), repeat))

    def close_segment(self, key):
        self.closed.append(key)

    def abort_segment(self, key):
        self.aborted.append(key)


def test_the_frame_sink_gets_each_segments_converted_frames_and_its_end(tmp_path):
    """Through manim's own segment encoder: numbered as created, every frame once with its
    repeat count (as converted for the stream), then finish (once) or abort."""
    spec = VideoEncoderSpec(container_format="mp4", codec="libx264", pixel_format="yuv420p", width=64, height=48,
                            frame_rate=Fraction(30), options=(("crf", "20"),))
    sink = _Sink()
    manim_patches.install_frame_encoding()
    hooks.install(hooks.Hooks(frame_sink=sink))
    try:
        first = vse.VideoSegmentEncoder(target=tmp_path / "a.mp4", spec=spec)
        second = vse.VideoSegmentEncoder(target=tmp_path / "b.mp4", spec=spec)
        hooks.reset()
        third = vse.VideoSegmentEncoder(target=tmp_path / "c.mp4", spec=spec)  # made without a sink
        for encoder, grey, repeat in ((second, 40, 3), (first, 200, 1), (first, 100, 5), (third, 9, 1)):
            pixels = np.full((48, 64, 4), grey, np.uint8)
            pixels[..., 3] = 255
            encoder.write_frame(pixels, repeat=repeat)
        first.finish()
        first.finish()  # manim's finish is idempotent: the sink hears of it once
        second.abort()
        third.finish()
    finally:
        hooks.reset()
        manim_patches.uninstall_frame_encoding()
    assert sink.opened == 2
    assert [(key, repeat) for key, _rgb, repeat in sink.frames] == [(1, 3), (0, 1), (0, 5)]
    greys = [rgb for _key, rgb, _repeat in sink.frames]  # YUV and back: within a level
    assert np.abs(np.array(greys) - np.array([[40] * 3, [200] * 3, [100] * 3])).max() <= 1, greys
    assert sink.closed == [0] and sink.aborted == [1]
    assert (tmp_path / "a.mp4").is_file() and not (tmp_path / "b.mp4").exists()


# 4. The segment list for PyAV's concat demuxer (issue 21 item 4) -------------------------------
def _segments(folder: Path, count: int = 2) -> list[str]:
    """Tiny MP4 segments of 3 frames each, as manim's partial movie files."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for index in range(count):
        path = folder / f"seg{index}.mp4"
        with av.open(str(path), mode="w") as out:
            stream = out.add_stream("libx264", rate=15)
            stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
            for _ in range(3):
                frame = av.VideoFrame.from_ndarray(np.full((32, 32, 3), 60 * index, np.uint8), format="rgb24")
                for packet in stream.encode(frame):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        names.append(str(path))
    return names


def _frames_through_concat(manifest: bytes) -> int:
    import io

    with av.open(io.BytesIO(manifest), format="concat", options={"safe": "0"}) as inp:
        return sum(1 for _ in inp.decode(video=0))


@pytest.mark.parametrize("name", ["o'brien", "bob's lecture", "two\nlines", "it's\na mess"])
def test_segments_below_a_folder_with_an_apostrophe_or_newline_concatenate(tmp_path, monkeypatch, name):
    work = tmp_path / name / ".out.render" / "run-1" / "work" / "01-title"
    files = _segments(work / "media" / "partial_movie_files")
    monkeypatch.chdir(work)  # the worker's cwd: the scene's work folder
    from manim.scene.scene_file_writer import SceneFileWriter

    manim_patches.install_concat_quoting()
    try:
        assert _frames_through_concat(SceneFileWriter._concat_manifest_bytes(files)) == 6
    finally:
        manim_patches.uninstall_concat_quoting()


def test_an_apostrophe_outside_the_working_folder_is_quoted(tmp_path, monkeypatch):
    files = _segments(tmp_path / "o'brien" / "segs")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # not below: the absolute path, quoted
    manifest = manim_patches.concat_manifest_bytes(files)
    assert b"o'\\''brien" in manifest and _frames_through_concat(manifest) == 6


def test_manims_own_segment_list_still_writes_paths_unquoted(tmp_path):
    """The patch replaces manim 0.22's list; if manim starts quoting (or renames the method),
    this fails: re-check install_concat_quoting."""
    from manim.scene.scene_file_writer import SceneFileWriter

    original = manim_patches._ORIGINAL_CONCAT_MANIFEST.__func__
    assert SceneFileWriter.__dict__["_concat_manifest_bytes"] is manim_patches._ORIGINAL_CONCAT_MANIFEST
    listed = original([str(tmp_path / "o'brien" / "a.mp4")]).decode()
    assert f"file 'file:{tmp_path}/o'brien/a.mp4'" in listed


# 5. Frame buffers --------------------------------------------------------------------------
def test_manims_renderer_still_copies_each_frame_where_the_buffer_patch_pools_it():
    """The patch replaces CairoRenderer.render and freeze_current_frame whole: they must
    still be update_frame + add_frame(get_frame()) and get_frame a copy of the camera's array."""
    import inspect

    from manim.renderer.cairo_renderer import CairoRenderer

    def body(function):
        """The statements of a function, docstring left out, as ast.unparse writes them."""
        import ast
        import textwrap

        tree = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
        statements = [node for node in tree.body
                      if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
        return [ast.unparse(node) for node in statements]

    assert body(manim_patches._ORIGINAL_RENDER) == ["self.update_frame(scene, moving_mobjects)",
                                                     "self.add_frame(self.get_frame())"]
    assert body(manim_patches._ORIGINAL_FREEZE_CURRENT_FRAME) == [
        "dt = 1 / self.camera.frame_rate", "self.add_frame(self.get_frame(), num_frames=int(duration / dt))"]
    assert body(CairoRenderer.get_frame) == ["return self.camera.pixel_array.copy()"]


def _render_small(tmp_path: Path, pooled: bool) -> bytes:
    """A small scene (moves, a hold, a fade) rendered with patch 2 and with or without patch 5;
    returns the movie's bytes."""
    from manim import DOWN, RIGHT, Circle, FadeIn, Scene, Square, tempconfig

    from lecture import encoding

    class Small(Scene):
        def construct(self) -> None:
            square = Square(color="#FF8C42", fill_opacity=1).shift(2 * DOWN)
            self.play(FadeIn(square), run_time=0.5)
            self.play(square.animate.shift(3 * RIGHT), run_time=1.0)
            self.wait(1.0)
            self.play(FadeIn(Circle(color="#58C4DD")), run_time=0.5)

    config = {"media_dir": str(tmp_path / ("pooled" if pooled else "plain")), "pixel_width": 160,
              "pixel_height": 90, "frame_rate": 15, "disable_caching": True, "progress_bar": "none",
              "verbosity": "WARNING", "video_encoder_options": {**encoding.H264_OPTIONS, **encoding.COLOUR_OPTIONS}}
    manim_patches.install_frame_encoding()
    if pooled:
        manim_patches.install_frame_buffers()
    made = manim_patches._POOL.made
    try:
        with tempconfig(config):
            scene = Small()
            scene.render()
            path = Path(scene.renderer.file_writer.movie_file_path)
    finally:
        manim_patches.uninstall_frame_buffers()
        manim_patches.uninstall_frame_encoding()
    if pooled:  # 45 frames through a few buffers (manim's queues bound them), not one each
        assert 0 < manim_patches._POOL.made - made <= 20
    else:
        assert manim_patches._POOL.made == made
    return path.read_bytes()


def test_pooled_frame_buffers_give_the_same_bytes(tmp_path):
    assert _render_small(tmp_path, pooled=True) == _render_small(tmp_path, pooled=False)


def test_importing_the_scenes_patches_nothing_and_install_patches_everything():
    """Importing a scene (or any scenes module) leaves manim as it is; the render's entry
    points call ``manim_patches.install()``, which applies every patch (a fresh process:
    the other tests install patches)."""
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    probe = """
import importlib, json, pkgutil
from manim import DecimalNumber, VMobject
from manim.camera.camera import Camera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene import video_segment_encoder as vse
from manim.scene.scene_file_writer import SceneFileWriter
import scenes

def state():
    return {"digits": DecimalNumber._string_to_mob, "subpaths": VMobject.get_subpaths_from_points,
            "write_frame": vse.VideoSegmentEncoder.write_frame, "init": vse.VideoSegmentEncoder.__init__,
            "concat": SceneFileWriter.__dict__["_concat_manifest_bytes"], "render": CairoRenderer.render,
            "freeze": CairoRenderer.freeze_current_frame, "path": Camera.set_cairo_context_path}

before = state()
for info in pkgutil.iter_modules(scenes.__path__):
    importlib.import_module("scenes." + info.name)
after_import = state()
from scenes import manim_patches
manim_patches.install()
installed = state()
print(json.dumps({"changed_by_import": sorted(k for k in before if after_import[k] is not before[k]),
                  "left_by_install": sorted(k for k in before if installed[k] is before[k])}))
"""
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(root)}, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"changed_by_import": [], "left_by_install": []}
