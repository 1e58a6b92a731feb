"""Held frames (scenes/manim_patches.py patch 6, scenes/h264_skip.py): a scene's hold is
written as libx264's first frame and ready-made all-skip P frames, and decodes to the same
pictures at the same times as libx264's own encoding of every repeat would show the hold's
first picture; players read, seek and join it as before.

The clip is encoded the way a scene is (lecture/render/worker.py configure, manim, the
worker's finish): once with patch 6 and once with libx264 encoding every repeat (the hold's
segment opened with the same options, lecture/encoding.py H264_HOLD_OPTIONS). The WebM alike:
once with a hold's repeats as one-byte show_existing_frame frames (lecture/media.py
WebmWriter, lecture/vp9.py) and once with libvpx encoding every repeat."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import av
import numpy as np
import pytest

from test_render_support import REPO

from lecture import media
from scenes import h264_skip

from browser_support import video_page  # noqa: E402

FPS = 15
# A textured picture (many small shapes with sharp edges, as text is) moves for a second,
# is held 2 s, moves again for a second and is held 1.5 s: 30 + 15 + 30 + 15 + 22 frames.
CLIP_SCRIPT = textwrap.dedent('''
    import json, sys
    from pathlib import Path
    import numpy as np
    from lecture.render import worker

    out, held = Path(sys.argv[1]), sys.argv[2] == "held"
    worker.configure(480, 270, %d, out / "media")
    from scenes import h264_skip, manim_patches
    if not held:  # libx264 encodes every repeat, in the hold's own encoder with the hold's options
        h264_skip.skip_frames = lambda context, options: None
        from lecture import encoding
        encoding.VP9_REPEATS_SHOWN = False  # ... and libvpx every repeat of the WebM
    from manim import DOWN, RIGHT, UP, ManimColor, Rectangle, Scene, Square, VGroup, Text

    class Held(Scene):
        def construct(self):
            rng = np.random.default_rng(3)
            shapes = VGroup(*[Rectangle(width=float(rng.uniform(0.1, 1.2)), height=float(rng.uniform(0.05, 0.6)),
                                        stroke_width=1).set_fill(ManimColor(tuple(rng.uniform(0.2, 1, 3))), 1)
                              .move_to([float(rng.uniform(-6.5, 6.5)), float(rng.uniform(-3.5, 3.5)), 0])
                              for _ in range(120)])
            self.add(shapes, Text("Held frames 123", font_size=40).to_edge(UP))
            square = Square(0.6, fill_opacity=1).to_edge(DOWN)
            self.add(square)
            self.play(square.animate.shift(RIGHT * 4), run_time=1)
            self.wait(2)
            self.play(square.animate.shift(RIGHT * 2), shapes.animate.shift(UP * 0.3), run_time=1)
            self.wait(1.5)

    scene = Held()
    webm = worker.start_webm(out / "media" / "clip.webm", 480, 270, %d, scene)
    scene.render()
    webm.close()
    movie = Path(scene.renderer.file_writer.movie_file_path)
    print(json.dumps(worker.finish(movie, [(0.5, 3.5, "one"), (3.5, 5.5, "two")], out / "clip", webm=webm)))
''' % (FPS, FPS))
HOLDS = [(15, 45), (60, 82)]  # [first, end) frames of each hold: 1 s moving, 2 s held, 1 s moving, 1.5 s held
FRAMES = 82


def _render(out: Path, mode: str) -> Path:
    result = subprocess.run([sys.executable, "-c", CLIP_SCRIPT, str(out), mode], cwd=out, capture_output=True,
                            text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr[-3000:]
    return out / "clip"


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    return {mode: _render(tmp_path_factory.mktemp(mode), mode) for mode in ("held", "libx264")}


def _decoded(path: Path) -> tuple[list[int], list[np.ndarray]]:
    with av.open(str(path)) as container:
        frames = list(container.decode(video=0))
        return [f.pts for f in frames], [f.to_ndarray(format="rgb24") for f in frames]


def _packets(path: Path) -> list[av.Packet]:
    with av.open(str(path)) as container:
        return [p for p in container.demux(video=0) if p.size]


def _keyframes(path: Path) -> list[int]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return sorted(round(p.pts * stream.time_base * FPS) for p in container.demux(stream) if p.size and p.is_keyframe)


def _ffprobe_frames(path: Path) -> int:
    result = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                             "stream=nb_read_frames", "-of", "json", str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return int(json.loads(result.stdout)["streams"][0]["nb_read_frames"])


@pytest.mark.slow
def test_held_frames_decode_to_libx264s_pictures_at_the_same_times(clips):
    pts, frames = _decoded(clips["held"] / "clip.mp4")
    own_pts, own = _decoded(clips["libx264"] / "clip.mp4")
    assert len(frames) == len(own) == FRAMES
    assert pts == own_pts
    in_hold = {i for first, end in HOLDS for i in range(first, end)}
    for i in range(FRAMES):
        if i not in in_hold:  # the animations: libx264 saw the same frames
            assert np.array_equal(frames[i], own[i]), i
    for first, end in HOLDS:
        assert np.array_equal(frames[first], own[first])  # libx264's picture of the hold
        for i in range(first + 1, end):  # ... shown unchanged to the end of the hold
            assert np.array_equal(frames[i], frames[first]), i


@pytest.mark.slow
def test_a_holds_repeats_are_renumbered_skip_frames_not_libx264_encodes(clips):
    packets = _packets(clips["held"] / "clip.mp4")
    own = _packets(clips["libx264"] / "clip.mp4")
    assert len(packets) == len(own) == FRAMES
    for first, end in HOLDS:
        repeats = [bytes(p) for p in sorted(packets, key=lambda p: p.pts)[first + 1:end]]
        assert len({len(r) for r in repeats}) == 1  # one P frame, renumbered
        # frame_num wraps at 16, pic_order_cnt_lsb (2 a frame) at 64: every repeat differs within 32 frames
        assert all(repeats[i] == repeats[i + 32] for i in range(len(repeats) - 32))
        assert len(set(repeats)) == min(len(repeats), 32)
    held_bytes = sum(p.size for p in packets)
    assert held_bytes < sum(p.size for p in own)


@pytest.mark.slow
def test_ffprobe_reads_the_same_frames_and_the_keyframes_stay_at_the_segment_starts(clips):
    for mode in ("held", "libx264"):
        assert _ffprobe_frames(clips[mode] / "clip.mp4") == FRAMES
        assert _ffprobe_frames(clips[mode] / "clip.webm") == FRAMES
    held = _keyframes(clips["held"] / "clip.mp4")
    assert held == _keyframes(clips["libx264"] / "clip.mp4")
    assert {0, 15, 45, 60} <= set(held)  # each animation and each hold starts on a keyframe
    assert media.probe(clips["held"] / "clip.mp4").as_dict() == media.probe(clips["libx264"] / "clip.mp4").as_dict()
    for name in ("captions.vtt", "captions.srt"):  # captions timed on the same clip length
        assert (clips["held"] / name).read_text(encoding="utf-8") == (clips["libx264"] / name).read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_join_of_held_clips_keeps_every_frame_and_a_keyframe_at_each_chapter(clips, tmp_path):
    clip = clips["held"] / "clip.mp4"
    joined = tmp_path / "joined.mp4"
    media.concat([clip, clip, clip], joined)
    assert _ffprobe_frames(joined) == 3 * FRAMES
    assert {0, FRAMES, 2 * FRAMES} <= set(_keyframes(joined))  # chapter starts
    pts, frames = _decoded(joined)
    _, one = _decoded(clip)
    assert len(frames) == 3 * FRAMES and pts == sorted(pts)
    for i in range(3 * FRAMES):
        assert np.array_equal(frames[i], one[i % FRAMES]), i


@pytest.mark.slow
def test_the_webms_repeats_are_one_byte_frames_showing_the_holds_picture(clips):
    """Each repeat of a hold in clip.webm past the first VP9_REPEATS_ENCODED is a frame that
    shows the picture before it again (not a libvpx encode); FFmpeg's VP9 decoder and libvpx's
    (the ffmpeg command) decode the same pictures; up to there the frames are those of libvpx
    encoding every repeat, at the same times."""
    from lecture import encoding, vp9

    webm = clips["held"] / "clip.webm"
    packets = sorted(_packets(webm), key=lambda p: p.pts)
    assert len(packets) == FRAMES
    # libvpx encodes the first VP9_REPEATS_ENCODED repeats (it refines the picture), not the rest
    in_repeats = {i for first, end in HOLDS for i in range(first + 1 + encoding.VP9_REPEATS_ENCODED, end)}
    for i, packet in enumerate(packets):
        if i in in_repeats:
            assert packet.size == 1 and vp9.parse_header(bytes(packet)).show_existing_frame, i
        else:
            assert packet.size > 1, i
    pts, frames = _decoded(webm)
    own_pts, own = _decoded(clips["libx264"] / "clip.webm")
    assert len(frames) == len(own) == FRAMES and pts == own_pts
    for i in range(HOLDS[0][0] + 1 + encoding.VP9_REPEATS_ENCODED):
        assert np.array_equal(frames[i], own[i]), i
    for first, end in HOLDS:
        for i in range(first + 1 + encoding.VP9_REPEATS_ENCODED, end):
            assert np.array_equal(frames[i], frames[first + encoding.VP9_REPEATS_ENCODED]), i
    assert _keyframes(webm)[0] == 0 and not in_repeats & set(_keyframes(webm))  # (forced ones: test_webm_writer.py)
    assert sum(p.size for p in packets) < sum(p.size for p in _packets(clips["libx264"] / "clip.webm"))
    with av.open(str(webm)) as container:
        yuv = [f.to_ndarray() for f in container.decode(video=0)]
    result = subprocess.run(["ffmpeg", "-v", "error", "-c:v", "libvpx-vp9", "-i", str(webm), "-f", "rawvideo",
                             "-pix_fmt", "yuv420p", "-"], capture_output=True, timeout=300)
    assert result.returncode == 0 and not result.stderr, result.stderr
    decoded = np.frombuffer(result.stdout, np.uint8).reshape(-1, *yuv[0].shape)
    assert len(decoded) == FRAMES
    assert all(np.array_equal(a, b) for a, b in zip(decoded, yuv, strict=True))


def test_skip_frames_renumber_libx264s_all_skip_p_frame():
    """The template: libx264's second frame of a flat picture, with only frame_num and
    pic_order_cnt_lsb changed (fixed-width fields: the packet keeps its length)."""
    from lecture import encoding

    container = av.open(os.devnull, "w", format="mp4")
    stream = container.add_stream("libx264", rate=30, options={**encoding.H264_OPTIONS, **encoding.COLOUR_OPTIONS})
    stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
    frame = av.VideoFrame.from_ndarray(np.zeros((180, 320, 3), np.uint8), format="rgb24").reformat(format="yuv420p")
    frame.pts = 0
    list(stream.encode(frame))
    skip = h264_skip.skip_frames(stream.codec_context, {**encoding.H264_OPTIONS, **encoding.COLOUR_OPTIONS})
    assert skip is not None and skip.sps.poc_type == 0 and skip.sps.log2_max_frame_num == 4
    assert skip.period == 32
    packets = [skip.frame(i) for i in range(1, 40)]
    assert len({len(p) for p in packets}) == 1 and len(set(packets)) == 32 and packets[0] == packets[32]
    for index, packet in enumerate(packets, start=1):
        for _start, nal in h264_skip.split_annexb(packet):
            bits = h264_skip._Bits(h264_skip.unescape(nal[1:]))
            bits.ue(), bits.ue(), bits.ue()
            assert bits.u(4) == index % 16 and bits.u(6) == (2 * index) % 64
    list(stream.encode(None))
    container.close()


def test_escaping_round_trips():
    rng = np.random.default_rng(0)
    for _ in range(200):
        data = bytes(rng.choice([0, 0, 0, 1, 2, 3, 4, 255], size=int(rng.integers(1, 40))).astype(np.uint8))
        escaped = h264_skip.escape(data)
        assert b"\x00\x00\x00" not in escaped and b"\x00\x00\x01" not in escaped and b"\x00\x00\x02" not in escaped
        assert h264_skip.unescape(escaped) == data


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("name", ["clip.mp4", "clip.webm"])
def test_chromium_plays_and_seeks_into_and_past_the_holds(file_access_browser, clips, name):
    """Chromium seeks to times in and after each hold and shows the frame PyAV decodes
    there (within a few levels: its YUV-to-RGB), and plays the clip to its end."""
    folder = clips["held"]
    _, frames = _decoded(folder / name)
    with video_page(file_access_browser, folder, name) as page:
        assert abs(page.evaluate("document.querySelector('video').duration") - FRAMES / FPS) < 1 / FPS
        for index in (20, 44, 16, 50, 70, 81, 61, 5):  # in a hold, its last frame, back, after, ...
            got = page.evaluate("""async (at) => {
                const v = document.querySelector('video');
                const seeked = new Promise(done => { v.addEventListener('seeked', () => done(true), {once: true}); });
                v.currentTime = at;
                if (!await Promise.race([seeked, new Promise(done => setTimeout(() => done(false), 20000))])) return null;
                const c = document.querySelector('canvas');
                c.width = v.videoWidth; c.height = v.videoHeight;
                const g = c.getContext('2d');
                g.drawImage(v, 0, 0);
                const data = g.getImageData(0, 0, c.width, c.height).data, out = [];
                for (let y = 0; y < c.height; y += 3) for (let x = 0; x < c.width; x += 3) {
                    const i = 4 * (y * c.width + x); out.push(data[i], data[i + 1], data[i + 2]);
                }
                return out;
            }""", (index + 0.5) / FPS)
            assert got is not None, (name, index, "no seeked event")
            got = np.array(got, np.uint8).reshape(90, 160, 3)
            difference = np.abs(got.astype(int) - frames[index][::3, ::3]).mean()
            assert difference < 2.0, (name, index, difference)
        assert page.evaluate("""async () => {
            const v = document.querySelector('video');
            v.currentTime = 0; v.playbackRate = 4;
            const ended = new Promise(done => v.addEventListener('ended', () => done(true), {once: true}));
            await v.play();
            return await Promise.race([ended, new Promise(done => setTimeout(() => done(false), 30000))])
                && v.ended && v.error === null;
        }""")


def _segment(path: Path, frames, held: bool) -> tuple[list[int], list[bytes]]:
    """Frames (array, repeat) through manim's segment encoder with the project's settings,
    with patch 6 or patch 2 alone; the decoded pictures' pts and bytes."""
    from fractions import Fraction

    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene import video_segment_encoder as vse

    from lecture import encoding
    from scenes import manim_patches

    spec = VideoEncoderSpec(container_format="mp4", codec="libx264", pixel_format="yuv420p", width=64, height=48,
                            frame_rate=Fraction(30),
                            options=tuple({**encoding.H264_OPTIONS, **encoding.COLOUR_OPTIONS}.items()))
    (manim_patches.install_held_frames if held else manim_patches.install_frame_encoding)()
    try:
        encoder = vse.VideoSegmentEncoder(target=path, spec=spec)
        for pixels, repeat in frames:
            encoder.write_frame(pixels.copy(), repeat=repeat)
        encoder.finish()
    finally:
        manim_patches.uninstall_held_frames()
        manim_patches.uninstall_frame_encoding()
    with av.open(str(path)) as container:
        decoded = list(container.decode(video=0))
        return [f.pts for f in decoded], [f.to_ndarray(format="rgb24").tobytes() for f in decoded]


def _pictures(n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(5)
    pictures = [rng.integers(0, 255, (48, 64, 4), dtype=np.uint8) for _ in range(n)]
    for p in pictures:
        p[..., 3] = 255
    return pictures


def test_a_hold_that_more_frames_follow_is_encoded_by_libx264_as_before(tmp_path):
    a, b, c = _pictures(3)
    frames = [(a, 12), (b, 1), (c, 5)]
    assert _segment(tmp_path / "held.mp4", frames, True) == _segment(tmp_path / "own.mp4", frames, False)


def test_a_segment_that_is_one_hold_decodes_to_its_first_picture(tmp_path):
    (a,) = _pictures(1)
    pts, held = _segment(tmp_path / "held.mp4", [(a, 40)], True)
    own_pts, own = _segment(tmp_path / "own.mp4", [(a, 40)], False)
    assert pts == own_pts and len(held) == 40
    assert held[0] == own[0] and all(picture == held[0] for picture in held)


def test_manims_finish_still_flushes_through_the_stream_the_patch_replaces():
    import inspect

    from manim.scene import video_segment_encoder as vse

    source = inspect.getsource(vse.VideoSegmentEncoder.finish)
    assert "self._stream.encode()" in source and "self._container.close()" in source
    assert "self._next_pts" in inspect.getsource(vse.VideoSegmentEncoder.write_frame)
