"""Stillness measured by the render worker from the frames it encodes
(lecture/check/stillness.py StillnessMeter, fed by lecture/media.py WebmWriter) against the
gate's older measure, which decodes the published clip again (``still_stretches``); and the
gate reading the worker's record (cached with the scene) instead of decoding.

On a lossless clip the decoded frames are the rendered ones, and the two measures must be
equal to the float. On a lossy one (the render's CRF 26) the decoder's pictures carry coding
noise: a static picture is refined over the frames after a move and at a keyframe, which
the decoded measure can take for a change (shortening or splitting a still run), and a
change just over the threshold can be smoothed under it (a run one sample longer). So on
a lossy clip every decoded still run lies in one the worker measured, give or take one
sample at its ends, and the gate's findings agree (checked on a real render below, and on
every scene of the deck in tests/test_stillness_timeline.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest

from lecture.check import CheckOptions, check_folder
from lecture.check import thresholds as T
from lecture.check.stillness import RECORD_MIN_S, StillnessMeter, recorded_still_stretches, still_stretches

W, H, FPS = 96, 64, 10


def _yuv(x: int) -> av.VideoFrame:
    """A picture with a white box at ``x``, converted the way the render converts its frames
    (scenes/manim_patches.py: BT.709, limited range)."""
    pixels = np.zeros((H, W, 3), np.uint8)
    pixels[20:40, x:x + 16] = 255
    return av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(format="yuv420p", dst_colorspace="ITU709",
                                                                          dst_color_range="MPEG")


# (box position, repeat): moves, holds that start between samples, one held 7.3 s, a short last hold
SCRIPT = [(x, 1) for x in range(0, 14, 2)] + [(14, 23)] + [(x, 1) for x in range(16, 30, 3)] + [(30, 73)] + \
         [(32, 1), (34, 1)] + [(36, 9)] + [(40, 1)] * 2 + [(44, 17)]


def _lossless_clip(path: Path, meter: StillnessMeter) -> None:
    """Encode SCRIPT losslessly (decoded frames = these frames), feeding the meter as the
    worker's WebM writer does (a held frame once, with its repeat count)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS, options={"qp": "0", "colorspace": "bt709",
                                                                    "color_range": "tv", "color_primaries": "bt709",
                                                                    "color_trc": "bt709"})
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        index = 0
        for x, repeat in SCRIPT:
            frame = _yuv(x)
            meter.add(frame, repeat)
            for _ in range(repeat):
                frame.pts = index
                index += 1
                for packet in stream.encode(frame):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def test_the_meter_equals_the_decoded_measure_on_a_lossless_clip(tmp_path) -> None:
    meter = StillnessMeter(FPS, W, H)
    _lossless_clip(tmp_path / "clip.mp4", meter)
    assert meter.frames == sum(r for _x, r in SCRIPT)
    decoded = still_stretches(tmp_path / "clip.mp4", 0.0)
    assert meter.still_runs() == decoded  # every run, to the float
    assert any(end - start > T.MAX_STILL_S for start, end in decoded)  # the 7.3 s hold is there to find
    for limit in (RECORD_MIN_S, 2.0, T.MAX_STILL_S):
        assert recorded_still_stretches(json.loads(json.dumps(meter.record())), limit, meter.frames) == \
            still_stretches(tmp_path / "clip.mp4", limit)


def test_a_record_measured_otherwise_is_not_used() -> None:
    meter = StillnessMeter(FPS, W, H)
    meter.add(_yuv(0), 100)
    record = meter.record()
    assert recorded_still_stretches(record, 6.0, 100) == [(0.0, 10.0)]
    assert recorded_still_stretches(record, 6.0, 101) is None  # not the clip's number of frames
    assert recorded_still_stretches({**record, "level": T.STILL_LEVEL + 1}, 6.0) is None  # other thresholds
    assert recorded_still_stretches(record, RECORD_MIN_S / 2) is None  # shorter runs were not kept
    assert recorded_still_stretches(None) is None


def test_a_frame_the_meter_cannot_measure_leaves_no_record_and_no_error() -> None:
    meter = StillnessMeter(FPS, W, H)
    meter.add(_yuv(0), 3)
    meter.add("not a frame", 2)
    meter.add(_yuv(4), 1)
    assert meter.failed is not None and meter.frames != 6  # the worker then writes no record


# The gate on a folder: the record is what it reads ------------------------------------------
def _with_record(out: Path, scene_id: str, **check) -> None:
    state_path = out / ".nll-lecture-state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    state["scenes"][scene_id]["check"].update(check)
    state_path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")


def _still_record(runs, frames=100, **changes) -> dict:
    return {"samples_per_s": T.STILL_SAMPLES_PER_S, "scale": T.STILL_SCALE, "level": T.STILL_LEVEL, "fps": 10.0,
            "frames": frames, "min_s": RECORD_MIN_S, "runs": runs, **changes}


def test_the_gate_reads_the_workers_stillness_and_decodes_only_without_it(tmp_path, monkeypatch) -> None:
    from test_check import make_out

    out = make_out(tmp_path)  # both clips move throughout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for scene in manifest["scenes"]:
        scene["frames"] = 100
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    _with_record(out, "title", stillness=_still_record([[1.0, 2.0], [2.4, 9.6]]))
    _with_record(out, "closing", stillness=_still_record([[1.0, 9.0]], level=T.STILL_LEVEL + 1))
    decoded = []
    import lecture.check.stillness as stillness

    original = stillness.still_stretches
    monkeypatch.setattr(stillness, "still_stretches", lambda clip, limit: decoded.append(Path(clip).name) or
                        original(clip, limit))
    found = [f.line() for f in check_folder(out, CheckOptions(video=False))]
    assert found == ["scene 01 title 2.4 s: nothing on screen changes for 7.2 s (2.4-9.6 s; at most 6)"]
    assert decoded == ["02-closing.mp4"]  # its record was measured with another level: decoded


def test_the_gate_reads_the_workers_colour_tags(tmp_path) -> None:
    from test_check import make_out

    out = make_out(tmp_path)
    _with_record(out, "closing", video={"clip.mp4": [2, 2, 2], "clip.webm": [1, 1, 1]})
    found = [f.line() for f in check_folder(out, CheckOptions(stillness=False))]
    assert found == ["clips/02-closing.mp4: colour tags missing (primaries, transfer, matrix unspecified)"]


# A real render through the worker's path --------------------------------------------------
def _render_hold(tmp_path: Path, lossless: bool):
    """The 7 s hold scene of tests/test_stillness_timeline.py rendered small the way the
    worker renders (its config and frame patches, the WebM writer feeding the meter)."""
    from manim import config

    from lecture import media
    from lecture.render import worker
    from scenes import hooks, manim_patches
    from test_stillness_timeline import hold_scene

    w, h, fps = 192, 108, 15
    worker.configure(w, h, fps, tmp_path / "media")
    if lossless:
        config.video_encoder_options = {**config.video_encoder_options, "qp": "0"}
        config.video_encoder_options.pop("crf", None)
    meter = StillnessMeter(fps, w, h)
    webm = media.WebmWriter(tmp_path / "clip.webm", w, h, fps, watchers=[meter])
    hooks.install(hooks.Hooks(frame_sink=webm))
    try:
        scene = hold_scene(7.0)()
        scene.render()
    finally:
        hooks.reset()
        manim_patches.uninstall_frame_encoding()
    webm.close()
    return meter, Path(scene.renderer.file_writer.movie_file_path)


@pytest.mark.slow
def test_the_worker_measure_equals_the_decoded_measure_on_a_rendered_clip(tmp_path, manim_config) -> None:
    meter, clip = _render_hold(tmp_path, lossless=True)
    assert meter.frames == media_frames(clip)
    runs = still_stretches(clip, 0.0)
    assert meter.still_runs() == runs
    assert len([run for run in runs if run[1] - run[0] > T.MAX_STILL_S]) == 1  # the hold (and the move's slow end)


@pytest.mark.slow
def test_on_a_lossy_clip_the_worker_finds_what_the_decoder_finds(tmp_path, manim_config) -> None:
    meter, clip = _render_hold(tmp_path, lossless=False)
    assert meter.frames == media_frames(clip)
    worker_runs = meter.still_runs()
    found = recorded_still_stretches(meter.record(), T.MAX_STILL_S, meter.frames)
    assert len(found) == len(still_stretches(clip)) == 1  # the 7 s hold, found both ways
    slack = 1 / T.STILL_SAMPLES_PER_S + 0.5 / 15  # a sample, and half a frame of timestamp rounding
    for start, end in still_stretches(clip, RECORD_MIN_S):  # coding noise: see the module's docstring
        assert any(a - slack <= start and end <= b + slack for a, b in worker_runs), (start, end, worker_runs)


def media_frames(clip: Path) -> int:
    from lecture import media

    return media.probe(clip).frames
