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
