"""lecture/media.py WebmWriter: the WebM encoded from a scene's frames as they are rendered,
segments coming from two threads at once as manim's segment encoders send them."""

from __future__ import annotations

import threading
from fractions import Fraction

import av
import numpy as np
import pytest
from PIL import Image

from lecture import media

W, H, FPS = 64, 48, 10


def _frame(grey: int, box: int = 0) -> av.VideoFrame:
    """A grey picture (a white box of ``box`` pixels a side inside it), as YUV the way
    the render converts it (BT.709, full range: the WebM's tags)."""
    pixels = np.full((H, W, 3), grey, np.uint8)
    pixels[8:8 + box, 16:16 + box] = 255
    return av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(format="yuv420p", dst_colorspace="ITU709",
                                                                          dst_color_range="JPEG")


def _decoded(path):
    with av.open(str(path)) as container:
        frames, keys = [], []
        for packet in container.demux(video=0):
            if packet.size:
                keys.append(packet.is_keyframe)
            for frame in packet.decode():
                frames.append(int(frame.to_ndarray(format="rgb24")[H - 1, W - 1].mean().round()))
    return frames, keys


def _write(path, keyframes=(), late_segment_first=True, abort=False):
    """Three segments: 0 (greys 10, 20 held 3), 1 (30, 40) and 2 (50 held 2, with a box);
    segment 1's frames are sent from another thread before segment 0 is finished."""
    writer = media.WebmWriter(path, W, H, FPS)
    for index in keyframes:
        writer.keyframe(index)
    s0, s1 = writer.open_segment(), writer.open_segment()
    writer.put(s0, _frame(10), 1)
    sent = threading.Thread(target=lambda: ([writer.put(s1, _frame(g), 1) for g in (30, 40)], writer.close_segment(s1)))
    if late_segment_first:
        sent.start()
        sent.join(timeout=0.5)  # its frames wait: segment 0 is not finished yet
    writer.put(s0, _frame(20), 3)
    if abort:
        writer.abort_segment(s0)
    else:
        writer.close_segment(s0)
    if not late_segment_first:
        sent.start()
    sent.join()
    s2 = writer.open_segment()
    writer.put(s2, _frame(50, box=30), 2)
    writer.close_segment(s2)
    return writer


def test_frames_come_out_in_segment_order_with_forced_keyframes(tmp_path):
    writer = _write(tmp_path / "a.webm", keyframes=(4, 6))
    writer.close()
    frames, keys = _decoded(tmp_path / "a.webm")
    assert writer.frames == 8
    assert np.abs(np.array(frames) - [10, 20, 20, 20, 30, 40, 50, 50]).max() <= 2, frames
    assert [i for i, key in enumerate(keys) if key] == [0, 4, 6]
    assert media.probe(tmp_path / "a.webm").frames == 8


def test_the_same_frames_give_the_same_bytes_however_the_threads_ran(tmp_path):
    _write(tmp_path / "a.webm", late_segment_first=True).close()
    _write(tmp_path / "b.webm", late_segment_first=False).close()
    assert (tmp_path / "a.webm").read_bytes() == (tmp_path / "b.webm").read_bytes()


def test_the_poster_is_the_frame_with_most_content(tmp_path):
    writer = _write(tmp_path / "a.webm")  # frames 0, 5 (two a second at 10 fps) and 7 (the last) scored
    writer.close()
    assert writer.poster_index == 7  # the plain grey frames score 0
    assert 0.25 < writer.poster_score < 0.5  # the box's share of the (downscaled) picture


@pytest.mark.parametrize(("held_box", "poster"), [(36, 10), (16, 5)])
def test_the_poster_is_a_still_picture_unless_the_stills_show_much_less(tmp_path, held_box, poster):
    """Frame 5 is caught mid-animation (a 40 px box, sent on its own); frames 6-11 hold a
    picture (one frame repeated). The poster is the held picture when it shows at least
    POSTER_STILL_SHARE of the busiest moment (36 px: 81 %), else the busiest frame (16 px)."""
    writer = media.WebmWriter(tmp_path / "a.webm", W, H, FPS)
    segment = writer.open_segment()
    for _ in range(5):
        writer.put(segment, _frame(10), 1)
    writer.put(segment, _frame(10, box=40), 1)  # index 5: scored, not still
    writer.put(segment, _frame(10, box=held_box), 6)  # 6-11 held: index 10 scored as a still
    writer.put(segment, _frame(10), 1)  # 12, the last: plain
    writer.close_segment(segment)
    writer.close()
    assert writer.poster_index == poster


def _h264(path, greys, keyint=5):
    """A clip with B-frames and a keyframe every ``keyint`` frames, each frame its own grey."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=FPS, options={"g": str(keyint), "bf": "2", "crf": "30"})
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        for i, grey in enumerate(greys):
            frame = _frame(grey, box=i % 7)
            frame.pts, frame.time_base = i, Fraction(1, FPS)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def test_stills_and_poster_are_the_clips_own_frames(tmp_path):
    clip = tmp_path / "clip.mp4"
    _h264(clip, [10 + 7 * i for i in range(23)])
    media.remux(clip, tmp_path / "remuxed.mp4")  # as the worker publishes it
    stills = {0: tmp_path / "0.png", 4: tmp_path / "4.png", 13: tmp_path / "13.png", 22: tmp_path / "22.png"}
    media.save_frames(tmp_path / "remuxed.mp4", stills, (13, tmp_path / "poster.png"))
    for index in (*stills, "poster"):
        saved = np.asarray(Image.open(tmp_path / f"{index}.png").convert("RGB"))
        expected = media.frame_at(tmp_path / "remuxed.mp4", 13 if index == "poster" else index)
        assert np.array_equal(saved, expected), index
    with pytest.raises(media.MediaError, match="no frames"):
        media.save_frames(tmp_path / "remuxed.mp4", {23: tmp_path / "x.png"})


def test_an_abandoned_segment_fails_the_file(tmp_path):
    writer = _write(tmp_path / "a.webm", abort=True)
    with pytest.raises(media.MediaError, match="abandoned"):
        writer.close()
    assert not (tmp_path / "a.webm").exists()


def test_a_render_that_fails_leaves_no_file(tmp_path):
    writer = media.WebmWriter(tmp_path / "a.webm", W, H, Fraction(FPS))
    key = writer.open_segment()
    writer.put(key, _frame(10), 2)
    writer.abandon()
    assert not (tmp_path / "a.webm").exists()


# A held frame's repeats (lecture/encoding.py VP9_REPEATS_SHOWN, lecture/vp9.py) ----------------
TW, TH = 96, 64


def _picture(seed: int) -> av.VideoFrame:
    """A textured picture (sharp-edged blocks of many colours), as YUV the way the render converts it."""
    rng = np.random.default_rng(seed)
    pixels = np.repeat(np.repeat(rng.integers(0, 255, (TH // 8, TW // 8, 3), dtype=np.uint8), 8, 0), 8, 1)
    pixels[seed % 40:seed % 40 + 20, 10:60] = (250, 130, 60)  # a box that moves from picture to picture
    return av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(format="yuv420p", dst_colorspace="ITU709",
                                                                          dst_color_range="JPEG")


# (picture, repeat): two holds of a picture after animation frames, one of them crossing a forced keyframe
PUTS = [(1, 1), (2, 1), (3, 6), (4, 1), (5, 1), (6, 9), (7, 1), (8, 3)]
FORCED = (0, 14, 19)  # 14: the 5th frame of picture 6's hold (frames 10-18); 19: picture 7


def _webm_of(path, puts, keyframes, **kwargs):
    writer = media.WebmWriter(path, TW, TH, FPS, **kwargs)
    for index in keyframes:
        writer.keyframe(index)
    key = writer.open_segment()
    for seed, repeat in puts:
        writer.put(key, _picture(seed), repeat)
    writer.close_segment(key)
    writer.close()
    return writer


def _yuv(path, decoder=None):
    """Pts and YUV planes of every frame (PyAV: FFmpeg's own VP9 decoder, or ``decoder``)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if decoder is None:
            frames = list(container.decode(stream))
        else:
            context = av.CodecContext.create(decoder, "r")
            frames = [f for p in container.demux(stream) for f in context.decode(p)]
        return [f.pts for f in frames], [f.to_ndarray() for f in frames]


def _video_packets(path):
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [(round(p.pts * stream.time_base * FPS), bytes(p), p.is_keyframe) for p in container.demux(stream) if p.size]


@pytest.mark.parametrize("encoded", [0, 2])
def test_a_holds_repeats_are_one_byte_frames_showing_the_picture_before(tmp_path, encoded):
    """``encoded``: the first repeats of a hold libvpx still encodes (lecture/encoding.py
    VP9_REPEATS_ENCODED)."""
    from lecture import vp9

    writer = _webm_of(tmp_path / "held.webm", PUTS, FORCED, repeats_encoded=encoded)
    frames = sum(repeat for _seed, repeat in PUTS)
    packets = _video_packets(tmp_path / "held.webm")
    assert writer.frames == frames == len(packets) == media.probe(tmp_path / "held.webm").frames
    assert [i for i, _data, _key in packets] == list(range(frames))  # one packet a frame, at its own time
    assert [i for i, _data, key in packets if key] == list(FORCED)
    repeats = [i for i, data, _key in packets if len(data) == 1]
    expected, index = [], 0
    for _seed, repeat in PUTS:
        expected += [i for i in range(index + 1 + encoded, index + repeat) if i not in FORCED]
        index += repeat
    assert repeats == expected and writer.shown_again == len(expected) == (14 if encoded == 0 else 8)
    for i in repeats:
        assert vp9.parse_header(packets[i][1]).show_existing_frame

    # The frames libvpx encoded are byte for byte those of a stream without the repeats (the
    # hold's frame once, and again where a keyframe is forced): the repeats leave it as it was.
    given, forced, mapped = [], [], []  # the frames libvpx gets; frame -> its picture in that stream
    index = 0
    for seed, repeat in PUTS:
        for n in range(repeat):
            if n <= encoded or index in FORCED:
                if index in FORCED:
                    forced.append(len(given))
                given.append((seed, 1))
            mapped.append(len(given) - 1)
            index += 1
    reference = _webm_of(tmp_path / "reference.webm", given, forced, repeats_shown=False)
    assert reference.shown_again == 0
    encoded = [data for _i, data, _key in packets if len(data) > 1]
    assert encoded == [data for _i, data, _key in _video_packets(tmp_path / "reference.webm")]

    # Every frame decodes to the reference's picture there (a repeat: the picture before it),
    # with FFmpeg's VP9 decoder and with libvpx's, at the same times.
    pts, pictures = _yuv(tmp_path / "held.webm")
    _, reference_pictures = _yuv(tmp_path / "reference.webm")
    assert len(pictures) == frames and pts == sorted(pts)
    for i in range(frames):
        assert np.array_equal(pictures[i], reference_pictures[mapped[i]]), i
    libvpx_pts, libvpx_pictures = _yuv(tmp_path / "held.webm", "libvpx-vp9")
    assert libvpx_pts == pts
    assert all(np.array_equal(a, b) for a, b in zip(libvpx_pictures, pictures, strict=True))


def test_ffmpegs_command_line_decodes_the_same_pictures_with_libvpx(tmp_path):
    import shutil
    import subprocess

    if shutil.which("ffmpeg") is None:
        pytest.fail("ffmpeg is not on the PATH (apt-get install ffmpeg)")
    _webm_of(tmp_path / "held.webm", PUTS, FORCED)
    _, pictures = _yuv(tmp_path / "held.webm")
    result = subprocess.run(["ffmpeg", "-v", "error", "-c:v", "libvpx-vp9", "-i", str(tmp_path / "held.webm"),
                             "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"], capture_output=True, timeout=120)
    assert result.returncode == 0 and not result.stderr, result.stderr
    decoded = np.frombuffer(result.stdout, np.uint8).reshape(-1, TH * 3 // 2, TW)
    assert len(decoded) == len(pictures)
    assert all(np.array_equal(a, b) for a, b in zip(decoded, pictures, strict=True))


def test_without_repeats_shown_libvpx_encodes_every_repeat(tmp_path):
    writer = _webm_of(tmp_path / "encoded.webm", PUTS, FORCED, repeats_shown=False)
    packets = _video_packets(tmp_path / "encoded.webm")
    assert writer.shown_again == 0 and len(packets) == writer.frames and min(len(d) for _i, d, _k in packets) > 1
