"""The frame's reserved areas (lecture/check/reserved.py): ink in the caption band (bottom
15 %) or in the 5 % action-safe margins, measured on every frame by the render worker's
InkMeter, on the poster and on the beats' stills, and the gate's findings from them.
Each rule has a crafted picture or clip that breaks it and a clean one that does not."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from lecture.check import CheckOptions, check_folder
from lecture.check import thresholds as T
from lecture.check.reserved import (InkMeter, area_boxes, clip_ink_runs, image_ink, ink_findings,
                                    recorded_ink_runs)

W, H, FPS = 320, 180, 10
BG = (0x10, 0x14, 0x18)  # the theme's background


def picture(*boxes, colour=(236, 239, 244)) -> np.ndarray:
    """The background with filled boxes (x0, y0, x1, y1) in pixels, y down."""
    image = np.empty((H, W, 3), np.uint8)
    image[:] = BG
    for x0, y0, x1, y1 in boxes:
        image[y0:y1, x0:x1] = colour
    return image


def yuv(image: np.ndarray) -> av.VideoFrame:
    """As the render converts its frames (scenes/manim_patches.py): BT.709, limited range."""
    return av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuv420p", dst_colorspace="ITU709",
                                                                      dst_color_range="MPEG")


# The areas of a 320 x 180 frame: band from y 153, margins 16 px (x) and 9 px (y).
BAND_TOP = H - round(H * T.CAPTION_BAND)
CENTRE = (100, 60, 220, 110)


def test_the_areas_follow_the_theme() -> None:
    from scenes import theme

    assert T.CAPTION_BAND == pytest.approx(theme.CAPTION_BAND / theme.FRAME_HEIGHT)
    assert T.SAFE_MARGIN == pytest.approx(theme.SAFE_MARGIN_X / theme.FRAME_WIDTH)
    assert T.SAFE_MARGIN == pytest.approx(theme.SAFE_MARGIN_Y / theme.FRAME_HEIGHT)
    assert area_boxes(W, H) == {"band": (0, BAND_TOP, W, H), "top": (0, 0, W, 9), "left": (0, 9, 16, BAND_TOP),
                                "right": (W - 16, 9, W, BAND_TOP)}
    # at 854 x 480 the side margins are 42.7 px: the pixels that content set on the edge
    # partly covers (42 and 811) are not in them
    assert area_boxes(854, 480) == {"band": (0, 408, 854, 480), "top": (0, 0, 854, 24), "left": (0, 24, 42, 408),
                                    "right": (812, 24, 854, 408)}


@pytest.mark.parametrize("box, area", [((40, BAND_TOP + 4, 120, BAND_TOP + 10), "band"),
                                       ((60, 2, 90, 8), "top"), ((4, 50, 12, 80), "left"),
                                       ((W - 10, 50, W - 2, 80), "right"),
                                       ((150, H - 6, 160, H - 2), "band")])
def test_ink_in_each_area_is_found_in_a_png_and_in_an_encoded_frame(tmp_path, box, area) -> None:
    image = picture(CENTRE, box)
    Image.fromarray(image).save(tmp_path / "p.png")
    found = image_ink(tmp_path / "p.png")
    assert list(found) == [area]
    assert found[area][1] == list(box)  # where: the ink's own box
    from lecture.check.reserved import frame_ink

    encoded = frame_ink(yuv(image))
    assert list(encoded) == [area]
    x0, y0, x1, y1 = encoded[area][1]
    assert abs(x0 - box[0]) <= 2 and abs(y0 - box[1]) <= 2 and abs(x1 - box[2]) <= 2 and abs(y1 - box[3]) <= 2


def test_a_clean_picture_has_no_ink_even_touching_the_areas(tmp_path) -> None:
    """Content up to the band's top edge and the margins' inner edges, in a saturated colour
    (whose half-size chroma straddles the edge when it is not on an even pixel): no ink."""
    image = picture(CENTRE, (16, 9, W - 16, 30), (16, BAND_TOP - 7, W - 16, BAND_TOP),
                    colour=(239, 71, 111))
    Image.fromarray(image).save(tmp_path / "p.png")
    assert image_ink(tmp_path / "p.png") == {}
    from lecture.check.reserved import frame_ink

    assert frame_ink(yuv(image)) == {}
    assert frame_ink(yuv(picture(CENTRE, (17, 9, W - 17, 31), (17, BAND_TOP - 7, W - 17, BAND_TOP - 1),
                                 colour=(6, 214, 160)))) == {}


def test_faint_ink_below_the_level_and_a_stray_pixel_are_not_ink() -> None:
    from lecture.check.reserved import frame_ink

    faint = tuple(c + T.INK_LEVEL // 2 for c in BG)
    assert frame_ink(yuv(picture(CENTRE, (40, H - 20, 200, H - 5), colour=faint))) == {}
    image = picture(CENTRE)
    image[H - 10, 50] = 255  # one pixel (and its chroma): under INK_MIN_PIXELS
    assert frame_ink(av.VideoFrame.from_ndarray(image, format="rgb24")) == {}


def test_the_meter_times_every_frame_with_ink_held_frames_included() -> None:
    """A box that dips into the band mid-move (frames 12-14, one of them held 3 frames) and
    a label at the left edge from frame 30 to the end: both runs, to the frame."""
    meter = InkMeter(FPS, W, H)
    script = [(picture(CENTRE), 12), (picture(CENTRE, (40, BAND_TOP + 3, 80, BAND_TOP + 12)), 1),
              (picture(CENTRE, (44, BAND_TOP + 1, 84, BAND_TOP + 10)), 3), (picture(CENTRE), 14),
              (picture(CENTRE, (2, 80, 30, 90)), 10)]
    for image, repeat in script:
        meter.add(yuv(image), repeat)
    assert meter.failed is None and meter.frames == 40
    runs = [(r["area"], r["start"], r["end"]) for r in meter.runs()]
    assert runs == [("band", 12, 16), ("left", 30, 40)]
    record = json.loads(json.dumps(meter.record()))
    assert [m.split(", x")[0] for _, m in ink_findings(record)] == [
        "ink in the caption band (bottom 15%) for 0.4 s (1.2-1.6 s)",
        "ink in the 5% safe margin (left) for 1.0 s (3.0-4.0 s)"]
    assert ink_findings(record)[0][1].endswith("x 160-336, y 616-660 px at 720p")
    assert recorded_ink_runs(record, 40) == record
    assert recorded_ink_runs(record, 41) is None  # not the clip's number of frames
    assert recorded_ink_runs({**record, "level": T.INK_LEVEL + 1}) is None  # measured with another rule
    assert recorded_ink_runs(None) is None


def test_a_flicker_is_one_finding() -> None:
    meter = InkMeter(FPS, W, H)
    for _ in range(3):
        meter.add(yuv(picture(CENTRE)), 2)
        meter.add(yuv(picture(CENTRE, (40, H - 10, 80, H - 4))), 1)
    assert len(meter.runs()) == 3
    assert [at for at, _ in ink_findings(meter.record())] == [0.2]


def test_a_frame_the_meter_cannot_measure_leaves_no_record() -> None:
    meter = InkMeter(FPS, W, H)
    meter.add(yuv(picture(CENTRE)), 2)
    meter.add("not a frame", 1)
    assert meter.failed is not None


# The gate ----------------------------------------------------------------------------------
def _clip(path: Path, frames: list[np.ndarray]) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS, options={"qp": "0"})
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        for image in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def _reserved(out: Path, scene_id: str, record: dict) -> None:
    state_path = out / ".nll-lecture-state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    state["scenes"][scene_id]["check"]["reserved"] = record
    state_path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")


def test_the_gate_finds_ink_from_the_record_the_clip_the_poster_and_the_stills(tmp_path) -> None:
    from test_check import make_out

    out = make_out(tmp_path)
    assert [f.line() for f in check_folder(out, CheckOptions(video=False, stillness=False))] == []  # clean
    # scene 1: the worker's record says a label sat in the band from 2.0 to 3.5 s
    meter = InkMeter(FPS, W, H)
    meter.add(yuv(picture(CENTRE)), 20)
    meter.add(yuv(picture(CENTRE, (100, H - 20, 200, H - 8))), 15)
    meter.add(yuv(picture(CENTRE)), 65)
    _reserved(out, "title", meter.record())
    # scene 2: no record; its clip (decoded) has a shape in the top margin for its last second
    _clip(out / "clips/02-closing.mp4", [picture(CENTRE)] * 90 + [picture(CENTRE, (100, 0, 140, 6))] * 10)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["scenes"][1]["poster"] = "posters/02-closing.png"
    (out / "posters").mkdir()
    Image.fromarray(picture(CENTRE, (W - 12, 40, W - 4, 60))).save(out / "posters/02-closing.png")
    (out / "frames/02-closing").mkdir(parents=True)
    Image.fromarray(picture(CENTRE)).save(out / "frames/02-closing/a_say.png")
    Image.fromarray(picture(CENTRE, (0, H - 5, W, H))).save(out / "frames/02-closing/b_show.png")
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    found = [f.line() for f in check_folder(out, CheckOptions(video=False, stillness=False))]
    assert found == [
        "scene 01 title 2.0 s: ink in the caption band (bottom 15%) for 1.5 s (2.0-3.5 s), x 400-800, y 640-688 px at 720p",
        "scene 02 closing: poster: ink in the 5% safe margin (right), x 1232-1264, y 160-240 px at 720p",
        "scene 02 closing: 1 of 2 beat stills (b_show.png) have ink in the caption band (bottom 15%), "
        "x 0-1280, y 700-720 px at 720p",
        "scene 02 closing 9.0 s: ink in the 5% safe margin (top) for 1.0 s (9.0-10.0 s), x 400-560, y 0-24 px at 720p"]
    assert clip_ink_runs(out / "clips/01-title.mp4")["runs"] == []  # the clean synthetic clip
    assert [f.line() for f in check_folder(out, CheckOptions(video=False, stillness=False, reserved=False))] == []


# A real scene through the worker's path ---------------------------------------------------
@pytest.mark.slow
def test_a_scene_that_sweeps_through_the_band_between_beats_is_found(tmp_path, manim_config) -> None:
    """A dot that moves down into the caption band and back up within one animation: at the
    end of every beat the frame is clean (the beat-end layout record sees nothing), the
    worker's meter sees the frames in between."""
    from manim import DOWN, UP, Dot, Scene, config

    from lecture import media
    from lecture.render import worker
    from scenes import hooks, manim_patches

    w, h, fps = 192, 108, 15
    worker.configure(w, h, fps, tmp_path / "media")
    meter = InkMeter(fps, w, h)
    webm = media.WebmWriter(tmp_path / "clip.webm", w, h, fps, watchers=[meter])

    class Sweep(Scene):
        def construct(self) -> None:
            dot = Dot(radius=0.2)
            self.add(dot)
            self.wait(0.5)
            self.play(dot.animate.shift(DOWN * 3.6), run_time=1)
            self.play(dot.animate.shift(UP * 3.6), run_time=1)
            self.wait(0.5)

    hooks.install(hooks.Hooks(frame_sink=webm))
    try:
        scene = Sweep()
        scene.render()
    finally:
        hooks.reset()
        manim_patches.uninstall_held_frames()
        manim_patches.uninstall_frame_encoding()
    webm.close()
    assert config.frame_height == 8
    found = ink_findings(meter.record())
    assert len(found) == 1 and "caption band" in found[0][1], found
    assert 0.5 < found[0][0] < 1.5  # entered the band during the move down


# The content box keeps its ink out of the areas at every quality --------------------------
@pytest.mark.parametrize("width, height", [(854, 480), (1280, 720), (1920, 1080), (3840, 2160)])
def test_content_set_on_the_content_box_edges_leaves_the_areas_clear(width, height, manim_config) -> None:
    """Text and a stroked box set exactly on each edge of theme.CONTENT_* and drawn by manim's
    camera at each quality: no ink in the margins or the caption band. Without the theme's
    INK_INSET the edges fall on a pixel boundary at 720p and 1080p, and the antialiasing (and
    half a stroke) crossed it by 1-3 px (the gate's findings in scenes 2, 3, 6 and 12 at 1080p)."""
    from manim import DOWN, LEFT, RIGHT, UP, Camera, Rectangle, Text, VGroup

    from lecture.check.reserved import frame_ink
    from scenes import theme

    assert theme.INK_INSET > 0
    word = Text("Wg|", font=theme.FONT, font_size=60)
    box = Rectangle(width=2.0, height=1.0, stroke_width=4)
    placed = VGroup(
        word.copy().next_to([theme.CONTENT_RIGHT, 0.5, 0], LEFT, buff=0),
        word.copy().next_to([theme.CONTENT_LEFT, 0.5, 0], RIGHT, buff=0),
        word.copy().next_to([0, theme.CONTENT_TOP, 0], DOWN, buff=0),
        word.copy().next_to([0, theme.CONTENT_BOTTOM, 0], UP, buff=0),
        # a stroked box whose outline's centre lies on the edges (its points: a layout's box)
        box.copy().move_to([theme.CONTENT_RIGHT - 1.0, theme.CONTENT_BOTTOM + 0.5, 0]),
        box.copy().move_to([theme.CONTENT_LEFT + 1.0, theme.CONTENT_TOP - 0.5, 0]),
    )
    camera = Camera(pixel_width=width, pixel_height=height, frame_width=theme.FRAME_WIDTH,
                    frame_height=theme.FRAME_HEIGHT, background_color=theme.BACKGROUND)
    camera.capture_mobjects(placed)
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(camera.get_image().convert("RGB")), format="rgb24")
    assert frame_ink(frame) == {}
    # the edges are tight: a hair further out and the same picture has ink in every area
    camera.reset()
    camera.capture_mobjects(placed.copy().scale(1.0 + 3 * theme.INK_INSET / theme.FRAME_HEIGHT))
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(camera.get_image().convert("RGB")), format="rgb24")
    assert set(frame_ink(frame)) == {"band", "top", "left", "right"}
