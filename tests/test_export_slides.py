"""nll-lecture export slides: manim-slides' own format, read back by manim-slides, converted by
its own PPTX and HTML converters, the PPTX opened with python-pptx and the HTML in Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from test_render_support import PYTHON, REPO, title_and_closing_en  # noqa: F401 (fixture)

from lecture.present import slides as present_slides

from browser_support import chromium  # noqa: E402
MANIM_SLIDES = Path(sys.executable).parent / "manim-slides"


def export(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([PYTHON, "-m", "lecture.cli", "export", "slides", *args], capture_output=True, text=True,
                          env=env, timeout=600)


def manim_slides(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(MANIM_SLIDES), *args], capture_output=True, text=True, timeout=600)


def _frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


# Bad input: one line, exit status 2, nothing written ---------------------------------------------
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    not_out = tmp_path / "plain"
    not_out.mkdir()
    (tmp_path / "file").write_text("x")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep me")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json")
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "manifest.json").write_text('{"lecture": {}, "scenes": [{"id": "x"}]}')
    cases = [
        ([str(odd), str(tmp_path / "d0")], "not a manifest of nll-lecture render"),
        ([str(tmp_path / "missing"), str(tmp_path / "d1")], "not a folder"),
        ([str(not_out), str(tmp_path / "d2")], "no manifest.json"),
        ([str(broken), str(tmp_path / "d3")], "cannot be read"),
        ([str(tmp_path / "file"), str(tmp_path / "d4")], "not a folder"),
    ]
    for args, message in cases:
        result = export(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("error: ") and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert not Path(args[1]).exists()
    result = export(str(odd), str(foreign))
    assert result.returncode == 2 and (foreign / "mine.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "file", "foreign", "odd", "plain"]


# A subset, rendered and exported once -------------------------------------------------------------
@pytest.fixture(scope="module")
def exported(tmp_path_factory, title_and_closing_en) -> tuple[Path, Path, dict]:
    import manim_slides  # noqa: F401 (the slides extra, installed by make setup)
    root = tmp_path_factory.mktemp("slides")
    out = title_and_closing_en  # title and closing, English, preview (shared, read only: the export writes beside DIR)
    dest = root / "deck"
    result = export(str(out), str(dest))
    assert result.returncode == 0, result.stderr
    assert "manim-slides convert --folder" in result.stdout
    return out, dest, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_manim_slides_reads_one_slide_per_beat_with_the_narration_as_notes(exported) -> None:
    from manim_slides.config import PresentationConfig

    out, dest, manifest = exported
    config = PresentationConfig.from_file(dest / f"{present_slides.DEFAULT_NAME}.json")
    beats = [(scene, beat) for scene in manifest["scenes"] for beat in scene["beats"]]
    assert len(config.slides) == len(beats)
    assert tuple(config.resolution) == (manifest["lecture"]["width"], manifest["lecture"]["height"])
    for slide, (scene, beat) in zip(config.slides, beats):
        assert slide.notes == beat["text"] and slide.file.is_file() and slide.file.parent.parent.parent == dest
        assert not slide.loop and not slide.auto_next
    # each slide's video is its beat, cut without re-encoding: the clip's own frames
    for scene in manifest["scenes"]:
        clip = _frames(out / scene["clip"])
        spans = present_slides.slide_spans(scene)
        assert spans[-1]["end"] == scene["frames"] and spans[0]["start"] == 0
        for slide, span in zip([s for s, (sc, _b) in zip(config.slides, beats) if sc is scene], spans):
            frames = _frames(slide.file)
            assert len(frames) == span["end"] - span["start"]
            assert np.array_equal(frames[0], clip[span["start"]]) and np.array_equal(frames[-1], clip[span["end"] - 1])


@pytest.mark.slow
def test_a_second_export_replaces_the_first(exported, tmp_path: Path) -> None:
    out, _dest, _manifest = exported
    dest = tmp_path / "again"
    assert export(str(out), str(dest), "--name", "Talk").returncode == 0
    assert export(str(out), str(dest), "--name", "Talk2").returncode == 0
    assert sorted(p.name for p in dest.iterdir() if p.suffix == ".json") == ["Talk2.json"]
    result = export(str(out), str(dest), "--name", "bad name")
    assert result.returncode == 2 and "--name" in result.stderr and (dest / "Talk2.json").is_file()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    result = export(str(out), str(foreign))
    assert result.returncode == 2 and "other files" in result.stderr and len(result.stderr.splitlines()) == 1
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no stage left behind


@pytest.mark.slow
def test_exporting_again_into_dir_replaces_only_what_the_export_wrote(exported, tmp_path: Path) -> None:
    """Issue 21: the PPTX the printed convert command writes into DIR, and any other file
    of the user's there, survive the next export into DIR."""
    out, _dest, _manifest = exported
    dest = tmp_path / "deck"
    assert export(str(out), str(dest), "--name", "Talk").returncode == 0
    (dest / "Talk.pptx").write_bytes(b"the converted deck")
    (dest / "notes.txt").write_text("mine")
    (dest / "files" / "mine.txt").write_text("mine too")
    before = sorted(p.name for p in (dest / "files" / "Talk").iterdir())
    result = export(str(out), str(dest), "--name", "Talk")
    assert result.returncode == 0, result.stderr
    assert (dest / "Talk.pptx").read_bytes() == b"the converted deck" and (dest / "notes.txt").read_text() == "mine"
    assert (dest / "files" / "mine.txt").read_text() == "mine too"
    assert sorted(p.name for p in (dest / "files" / "Talk").iterdir()) == before and (dest / "Talk.json").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no stage or old copy left behind


@pytest.mark.slow
def test_manim_slides_presents_every_slide_with_its_qt_player(exported) -> None:
    """`manim-slides present --skip-all` (Qt, offscreen) loads the presentation and plays
    through every slide to the end; a slide whose video is gone makes it fail (exit 2)."""
    _out, dest, _manifest = exported
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def present() -> subprocess.CompletedProcess:
        return subprocess.run([str(MANIM_SLIDES), "present", "--folder", str(dest), "--skip-all",
                               present_slides.DEFAULT_NAME], capture_output=True, text=True, timeout=300,
                              env=env, cwd=dest)

    done = present()
    assert done.returncode == 0, done.stderr[-2000:]
    video = sorted((dest / "files").rglob("*.mp4"))[1]
    moved = video.with_suffix(".away")
    video.rename(moved)
    try:
        broken = present()
    finally:
        moved.rename(video)
    said = broken.stderr + broken.stdout
    assert broken.returncode != 0 and "slides.1.file" in said and "path_not_file" in said, said


@pytest.mark.slow
def test_manim_slides_converts_it_to_pptx_with_movies_and_notes(exported) -> None:
    import pptx
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    _out, dest, manifest = exported
    target = dest / "deck.pptx"
    result = manim_slides("convert", "--folder", str(dest), present_slides.DEFAULT_NAME, str(target), "--to", "pptx")
    assert result.returncode == 0, result.stderr
    config = json.loads((dest / f"{present_slides.DEFAULT_NAME}.json").read_text(encoding="utf-8"))
    beats = [beat for scene in manifest["scenes"] for beat in scene["beats"]]
    deck = pptx.Presentation(str(target))
    assert len(deck.slides) == len(beats)
    for slide, beat, entry in zip(deck.slides, beats, config["slides"]):
        movies = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.MEDIA]
        assert len(movies) == 1
        media = [rel.target_part for rel in slide.part.rels.values()
                 if not rel.is_external and rel.reltype.endswith("/media")]
        assert media and media[0].blob == (dest.parent / entry["file"]).read_bytes()  # the beat's own video
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text == beat["text"]


@pytest.mark.slow
@pytest.mark.browser
def test_manim_slides_html_runs_offline_on_the_local_revealjs(exported, tmp_path: Path) -> None:
    _out, dest, manifest = exported
    assert (dest / "revealjs" / "dist" / "reveal.js").is_file(), \
        "no local reveal.js (make setup installs it into .venv/share/reveal.js)"
    target = dest / "deck.html"
    result = manim_slides("convert", "--folder", str(dest), present_slides.DEFAULT_NAME, str(target), "--to", "html",
                          "-c", "cdn_url=revealjs")
    assert result.returncode == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert 'src="revealjs/dist/reveal.js"' in html
    beats = [beat for scene in manifest["scenes"] for beat in scene["beats"]]
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 960, "height": 540})
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(target.as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady && Reveal.isReady()", timeout=20_000)
        assert page.evaluate("Reveal.getTotalSlides()") == len(beats)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("Reveal.getIndices().h === 1")
        notes = page.evaluate("""() => { const d = document.createElement('div');
            d.innerHTML = Reveal.getSlideNotes(); return d.textContent.trim(); }""")  # notes are Markdown there
        assert notes == beats[1]["text"]
        page.screenshot(path=str(Path(os.environ.get("NLL_PRESENT_SCREENSHOTS") or tmp_path) / "manim-slides-html.png"))
    assert all(url.startswith(("file://", "data:", "blob:")) for url in requests), \
        [u for u in requests if not u.startswith(("file://", "data:", "blob:"))]
