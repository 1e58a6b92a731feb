"""index.html as a reviewer sees it: what loads (``?format=webm`` fetches no clip until it is
played), embed snippets that fit the page, labelled controls, a header that names the picture,
chapters that start at their first frame, and axe-core finding no violation with every
section open. The browser tests use the session's full preview render (test_render_support)."""

from __future__ import annotations

import json
import re
import shutil
from fractions import Fraction
from pathlib import Path

import av
import pytest

from test_render_support import REPO, full_lecture  # noqa: F401 (fixture)
from browser_support import chromium
from test_webpage import _manifest, _texts

from lecture import captions
from lecture.publish import webpage

AXE = REPO / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ((1280, 720), (1920, 1080))


# The page as built (no browser) -----------------------------------------------------------------
def test_embed_snippets_fill_their_container_at_the_clips_aspect_ratio():
    scene = _manifest()["scenes"][0] | {"width": 1920, "height": 1080}
    snippet = webpage.embed_snippet(scene, "en")
    video = re.search(r"<video [^>]*>", snippet).group(0)
    assert 'width="1920" height="1080"' in video  # the ratio before the video loads
    assert 'style="width:100%;height:auto"' in video


def test_every_textarea_has_a_label_and_the_header_names_the_picture_not_the_preset():
    manifest = _manifest()
    page = webpage.build(manifest, _texts(manifest))
    areas = re.findall(r'<textarea id="([^"]+)"', page)
    assert len(areas) == 2
    for area in areas:
        assert re.search(rf'<label for="{area}">[^<]+</label>', page), area
    header = re.search(r"<header>.*?</header>", page, re.S).group(0)
    assert "480p15" in header and "preview" not in header


def test_no_video_loads_before_its_source_is_settled():
    manifest = _manifest()
    page = webpage.build(manifest, _texts(manifest))
    assert re.findall(r'<video [^>]*preload="(\w+)"', page) == ["none"] * 3
    assert ".load()" not in page  # load() makes Chromium fetch a preload="none" video


# Chapters against the decoded frames ------------------------------------------------------------
def _frame_times(path: Path) -> list[Fraction]:
    """Presentation time of every frame of a file, in order, as decoded."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return sorted(Fraction(frame.pts) * stream.time_base for frame in container.decode(stream))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["lecture.mp4", "lecture.webm"])
def test_every_chapter_starts_at_or_after_its_first_frame(full_lecture, name):
    manifest = json.loads((full_lecture / "manifest.json").read_text(encoding="utf-8"))
    chapters = captions.parse((full_lecture / "chapters.vtt").read_text(encoding="utf-8"))
    times = _frame_times(full_lecture / name)
    fps = Fraction(manifest["lecture"]["fps"]).limit_denominator(1001)
    assert len(chapters) == len(manifest["scenes"]) == 12
    first = 0
    for scene, chapter in zip(manifest["scenes"], chapters):
        shown = times[first]  # the chapter's first frame, as the file has it
        start = Fraction(chapter.start_ms, 1000)
        # at or after the first frame, and before the next one: seeking there shows this chapter
        assert shown <= start < shown + 1 / fps, (scene["id"], float(shown), chapter.start_ms)
        first += scene["frames"]
    assert first == len(times)
    assert all(a.end_ms == b.start_ms for a, b in zip(chapters, chapters[1:]))


# In Chromium -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site(full_lecture, tmp_path_factory) -> Path:
    """This module's copy of the full lecture, with an English page built from its manifest."""
    out = tmp_path_factory.mktemp("page") / "site"
    shutil.copytree(full_lecture, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["lecture"]["lang"] = "en"
    for scene in manifest["scenes"]:
        scene["lang"] = "en"
    texts = {rel: (out / rel).read_text(encoding="utf-8")
             for rel in [s["captions"] for s in manifest["scenes"]] + ["lecture.vtt", "chapters.vtt"]}
    (out / "index-en.html").write_text(webpage.build(manifest, texts), encoding="utf-8")
    return out


def _media_files(requests: list[str]) -> set[str]:
    """The video files requested (a file may be requested more than once: byte ranges)."""
    return {"/".join(url.split("?")[0].split("/")[-2:]) for url in requests if re.search(r"\.(mp4|webm)$", url)}


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("query, ext", [("?format=webm", ".webm"), ("", ".mp4")])
def test_only_the_lecture_loads_and_a_clip_loads_when_played(browser, site, query, ext):
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto((site / "index.html").as_uri() + query)
        page.wait_for_function("document.getElementById('lecture-video').readyState >= 2", timeout=30_000)
        page.wait_for_timeout(1500)  # anything else that would load has started by now
        sources = page.evaluate("""() => Array.from(document.querySelectorAll('video')).map(v => ({
            src: v.currentSrc.split('/').slice(-2).join('/'), ready: v.readyState}))""")
        assert sources[0]["src"] == "site/lecture" + ext, sources[0]
        assert all(s["src"].endswith(ext) and s["ready"] == 0 for s in sources[1:]), sources  # chosen, not loaded
        assert _media_files(requests) == {"site/lecture" + ext}
        # playing a clip loads that clip, in the same format, and nothing else
        page.evaluate("document.querySelectorAll('.clip video')[2].play()")
        page.wait_for_function("document.querySelectorAll('.clip video')[2].readyState >= 2", timeout=30_000)
        clip = page.evaluate("document.querySelectorAll('.clip video')[2].currentSrc")
        assert clip.endswith(ext), clip
        assert _media_files(requests) == {"site/lecture" + ext, "clips/" + clip.rsplit("/", 1)[-1]}
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("width, height", SHOTS)
def test_the_page_and_an_embedded_clip_fit_the_window(browser, site, width, height, tmp_path_factory):
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto((site / "index.html").as_uri())
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow} px wider than a {width} px window"
        shots = tmp_path_factory.getbasetemp() / "page-shots"
        shots.mkdir(exist_ok=True)
        page.screenshot(path=str(shots / f"index-{width}x{height}.png"))
        page.locator(".clip").first.screenshot(path=str(shots / f"clip-{width}x{height}.png"))
        # course pages that paste a snippet as it is: the page's own (this render's clip, in a
        # 640 px column, narrower than the clip) and a 1080p clip's in the whole window
        manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
        hd = webpage.embed_snippet(manifest["scenes"][0] | {"width": 1920, "height": 1080}, "ko")
        snippet = page.evaluate("document.querySelector('.clip textarea').value")
        assert manifest["scenes"][0]["width"] > 640
        for name, column, html in (("own", 640, snippet), ("1080p", width - 64, hd)):
            (site / f"embed-{name}.html").write_text(
                f'<!doctype html><html lang="ko"><title>embed</title><body style="margin:2rem">'
                f'<div style="max-width:{column}px">{html}</div></body></html>', encoding="utf-8")
            page.goto((site / f"embed-{name}.html").as_uri())
            box = page.evaluate("""() => { const r = document.querySelector('video').getBoundingClientRect();
                                           return {w: r.width, h: r.height, right: r.right}; }""")
            assert box["w"] == pytest.approx(column, abs=1) and box["right"] <= width, (name, box)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            assert box["w"] / box["h"] == pytest.approx(16 / 9, rel=0.01), (name, box)
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("name", ["index.html", "index-en.html"])
def test_axe_core_finds_no_violation_with_every_section_open(browser, site, name):
    assert AXE.is_file(), f"{AXE} is missing: run `make setup` (npm ci in tests/axe)"
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto((site / name).as_uri())
        page.wait_for_function("document.getElementById('lecture-video').readyState >= 2", timeout=30_000)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return {version: axe.version, passes: r.passes.length,
                    violations: r.violations.map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))};
        }""")
        assert result["version"].startswith("4.")
        assert result["violations"] == [], json.dumps(result["violations"], ensure_ascii=False, indent=1)
    finally:
        page.close()
