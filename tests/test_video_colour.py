"""Video colour: a clip of flat theme colours encoded the way a scene is (manim with the
worker's config and the frame-encoding patch, the worker's VP9 WebM from the rendered frames,
then the worker's MP4 remux and poster), tagged BT.709 in both files and shown by Chromium
within 3 levels of the scene's colours, in the MP4 and in the WebM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from test_render_support import REPO

from lecture import media

from browser_support import video_page  # noqa: E402
TOLERANCE = 3  # levels of 255, per channel

# The orange (HIGHLIGHT as it looked), then the theme's roles and the background.
STRIPES = {"orange": (243, 134, 64), "HIGHLIGHT": "#FF8C42", "CURVE": "#58C4DD", "OPTIMUM": "#06D6A0",
           "LOSS": "#EF476F", "SECOND": "#B388EB", "SAMPLE": "#FFD166", "TEXT": "#ECEFF4"}

# Full-height stripes of flat colour; a small square moves in the bottom band during the first
# second (frames written one by one), then the picture is held (one frame repeated).
CLIP_SCRIPT = textwrap.dedent('''
    import json, sys
    from pathlib import Path
    from lecture.render import worker

    out, stripes = Path(sys.argv[1]), json.loads(sys.argv[2])
    worker.configure(854, 480, 15, out / "media")
    from manim import DOWN, LEFT, RIGHT, UP, ManimColor, Rectangle, Scene, Square, config
    from scenes import theme

    def colour(value):
        return ManimColor(value if isinstance(value, str) else tuple(c / 255 for c in value))

    class Flat(Scene):
        def construct(self):
            self.camera.background_color = theme.BACKGROUND
            width = config.frame_width / len(stripes)
            for i, value in enumerate(stripes.values()):
                bar = Rectangle(width=width, height=config.frame_height * 0.7, stroke_width=0)
                bar.set_fill(colour(value), opacity=1).move_to(LEFT * (config.frame_width / 2 - width * (i + 0.5)))
                bar.shift(UP * 0.1 * config.frame_height)  # centre at 40% of the height from the top
                self.add(bar)
            square = Square(0.4, color=theme.TEXT, fill_opacity=1).to_edge(DOWN).to_edge(LEFT)
            self.add(square)
            self.play(square.animate.shift(RIGHT * 8), run_time=1)
            self.wait(1)

    scene = Flat()
    webm = worker.start_webm(out / "media" / "clip.webm", 854, 480, 15, scene)  # as the worker's render does
    scene.render()
    webm.close()
    movie = Path(scene.renderer.file_writer.movie_file_path)
    print(json.dumps(worker.finish(movie, [], out / "clip", webm=webm)))
    assert not webm.path.exists()  # moved to clip/clip.webm: the frames went to VP9 as they were rendered
''')


def _hex_rgb(value) -> tuple[int, int, int]:
    if isinstance(value, str):
        return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(value)


EXPECTED = {name: _hex_rgb(value) for name, value in STRIPES.items()}


def _stripe_points(width: int, height: int) -> dict[str, tuple[int, int]]:
    """The centre of each stripe (x, y) in a width x height picture (stripes sit in the upper
    part; the moving square runs along the bottom edge)."""
    step = width / len(STRIPES)
    return {name: (int(step * (i + 0.5)), int(height * 0.4)) for i, name in enumerate(STRIPES)}


@pytest.fixture(scope="module")
def flat_clip(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("flat-colour")
    result = subprocess.run([sys.executable, "-c", CLIP_SCRIPT, str(out), json.dumps(STRIPES)], cwd=out,
                            capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr[-3000:]
    clip = out / "clip"
    assert (clip / "clip.mp4").is_file() and (clip / "clip.webm").is_file() and (clip / "poster.png").is_file()
    return clip


def _ffprobe_colour(path: Path) -> dict:
    result = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                             "stream=color_space,color_primaries,color_transfer,color_range", "-of", "json", str(path)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["streams"][0]


BT709 = {"color_space": "bt709", "color_primaries": "bt709", "color_transfer": "bt709", "color_range": "pc"}


@pytest.mark.slow
def test_both_files_and_a_join_of_them_carry_bt709_tags(flat_clip, tmp_path):
    assert _ffprobe_colour(flat_clip / "clip.mp4") == BT709
    assert _ffprobe_colour(flat_clip / "clip.webm") == BT709
    # the lecture is joined by packet copy: the tags survive it
    media.concat([flat_clip / "clip.mp4"] * 2, tmp_path / "joined.mp4")
    media.concat([flat_clip / "clip.webm"] * 2, tmp_path / "joined.webm")
    assert _ffprobe_colour(tmp_path / "joined.mp4") == BT709
    assert _ffprobe_colour(tmp_path / "joined.webm") == BT709


def _assert_close(pixels_at, where: str) -> None:
    wrong = {name: (got, EXPECTED[name]) for name, got in pixels_at.items()
             if np.abs(np.array(got[:3], int) - EXPECTED[name]).max() > TOLERANCE}
    assert not wrong, f"{where}: {wrong}"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["clip.mp4", "clip.webm"])
def test_decoded_frames_and_the_poster_show_the_scenes_colours(flat_clip, name):
    info = media.probe(flat_clip / name)
    points = _stripe_points(info.width, info.height)
    for index in (3, info.frames - 1):  # while the square moves; in the held picture
        frame = media.frame_at(flat_clip / name, index)
        _assert_close({k: frame[y, x] for k, (x, y) in points.items()}, f"{name} frame {index}")
    from PIL import Image

    poster = np.asarray(Image.open(flat_clip / "poster.png").convert("RGB"))
    _assert_close({k: poster[y, x] for k, (x, y) in points.items()}, "poster.png")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("name", ["clip.mp4", "clip.webm"])
def test_chromium_shows_the_scenes_colours(file_access_browser, flat_clip, name):
    with video_page(file_access_browser, flat_clip, name) as page:
        assert page.evaluate("document.querySelector('video').error") is None
        points = _stripe_points(*page.evaluate("[document.querySelector('video').videoWidth,"
                                               " document.querySelector('video').videoHeight]"))
        for at in (0.2, 1.8):  # while the square moves; in the held picture
            got = page.evaluate("""async ([at, points]) => {
                const v = document.querySelector('video');
                await new Promise(done => { v.addEventListener('seeked', done, {once: true}); v.currentTime = at; });
                const c = document.querySelector('canvas');
                c.width = v.videoWidth; c.height = v.videoHeight;
                const g = c.getContext('2d');
                g.drawImage(v, 0, 0);
                const out = {};
                for (const [name, [x, y]] of Object.entries(points)) out[name] = Array.from(g.getImageData(x, y, 1, 1).data);
                return out;
            }""", [at, points])
            _assert_close(got, f"Chromium {name} at {at} s")
