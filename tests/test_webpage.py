"""index.html: built offline (unit) and played in headless Debian Chromium (browser)."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import pytest

from test_render_support import full_lecture  # noqa: F401 (fixture)

from lecture import captions
from lecture.publish import webpage

from browser_support import chromium  # noqa: E402


def _manifest(complete: bool = True) -> dict:
    scenes = []
    for index, (scene_id, title) in enumerate([("title", "Title <intro>"), ("closing", "Closing & thanks")], start=1):
        stem = f"{index:02d}-{scene_id}"
        scenes.append({
            "index": index, "id": scene_id, "scene_class": "X", "title": title,
            "start_s": (index - 1) * 10.0 if complete else None, "duration_s": 10.0,
            "clip": f"clips/{stem}.mp4", "webm": f"clips/{stem}.webm", "poster": f"posters/{stem}.png",
            "captions": f"captions/{stem}.vtt", "width": 854, "height": 480, "lang": "en", "codecs": "avc1.64001e",
        })
    lecture = {"title": "NLL <for> NLP", "lang": "en", "quality": "preview", "width": 854, "height": 480, "fps": 15,
               "duration_s": 20.0 if complete else None, "complete": complete, "codecs": "avc1.64001e",
               "video": "lecture.mp4" if complete else None, "webm": "lecture.webm" if complete else None,
               "captions": "lecture.vtt" if complete else None, "chapters": "chapters.vtt" if complete else None}
    return {"lecture": lecture, "scenes": scenes}


def _texts(manifest: dict) -> dict:
    cue = captions.to_vtt([captions.Cue(0, 1000, "hello")])
    texts = {s["captions"]: cue for s in manifest["scenes"]}
    if manifest["lecture"]["complete"]:
        texts["lecture.vtt"] = cue
        texts["chapters.vtt"] = captions.to_vtt([captions.Cue(0, 10000, "a"), captions.Cue(10000, 20000, "b")])
    return texts


def test_the_page_is_self_contained():
    manifest = _manifest()
    page = webpage.build(manifest, _texts(manifest))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "http://" not in page and "https://" not in page and "<link" not in page and "@import" not in page
    assert re.findall(r'<script(?: [^>]*)?>', page) == ["<script>"]  # inline only
    # captions travel inside the page as data: URLs, so it works straight from disk
    tracks = re.findall(r'<track[^>]*kind="captions"[^>]*src="data:text/vtt;charset=utf-8;base64,([^"]+)"', page)
    assert len(tracks) == 3 and base64.b64decode(tracks[0]).decode().startswith("WEBVTT")


def test_the_page_lists_chapters_that_seek_and_escapes_titles():
    manifest = _manifest()
    page = webpage.build(manifest, _texts(manifest))
    assert '<html lang="en">' in page and "<title>NLL &lt;for&gt; NLP</title>" in page
    assert re.findall(r'<li data-start="([\d.]+)" data-end="([\d.]+)"', page) == [("0.000", "10.000"), ("10.000", "20.000")]
    assert "Title &lt;intro&gt;" in page and "Closing &amp; thanks" in page
    assert "video.currentTime = parseFloat(li.dataset.start)" in page


def test_each_clip_has_its_poster_and_a_copyable_embed_snippet():
    manifest = _manifest()
    page = webpage.build(manifest, _texts(manifest))
    for scene in manifest["scenes"]:
        assert f'poster="{scene["poster"]}"' in page
        snippet = webpage.embed_snippet(scene, "en")
        assert f'src="{scene["captions"]}"' in snippet and f'src="{scene["clip"]}"' in snippet
        stem = f'{scene["index"]:02d}-{scene["id"]}'
        textarea = re.search(rf'<textarea id="embed-{stem}"[^>]*>(.*?)</textarea>', page, re.S).group(1)
        assert textarea.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&") == snippet
        assert f'data-target="embed-{stem}"' in page


def test_an_incomplete_set_has_no_lecture_player():
    manifest = _manifest(complete=False)
    page = webpage.build(manifest, _texts(manifest))
    assert 'id="lecture-video"' not in page and "nll-lecture render" in page
    assert page.count("<video ") == 2


# In the browser -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _open(browser, url: str):
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.wait_for_function("document.getElementById('lecture-video').readyState >= 2", timeout=30_000)
    return page, requests


@pytest.mark.slow
@pytest.mark.browser
def test_chromium_plays_the_webm_with_captions_and_chapters_seek(browser, full_lecture, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(full_lecture, out)  # only this test's copy is opened
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    lecture_cues = captions.parse((out / "lecture.vtt").read_text(encoding="utf-8"))
    page, requests = _open(browser, (out / "index.html").as_uri() + "?format=webm")
    state = page.evaluate("""() => {
        const v = document.getElementById('lecture-video');
        const track = Array.from(v.textTracks).find(t => t.kind === 'captions');
        return {src: v.currentSrc, ready: v.readyState, duration: v.duration, error: v.error && v.error.code,
                mode: track && track.mode, cues: track && track.cues ? track.cues.length : 0,
                first: track && track.cues && track.cues.length ? track.cues[0].text : null,
                chapters: document.querySelectorAll('#chapters li').length};
    }""")
    assert state["src"].endswith("/lecture.webm") and state["ready"] >= 2 and state["error"] is None, state
    assert state["duration"] == pytest.approx(manifest["lecture"]["duration_s"], abs=0.2)
    assert state["mode"] == "showing" and state["cues"] == len(lecture_cues) and state["first"] == lecture_cues[0].text
    assert state["chapters"] == len(manifest["scenes"])

    for position in (4, 9):
        scene = manifest["scenes"][position]
        page.click(f'#chapters li[data-scene="{scene["id"]}"] button')
        page.wait_for_function(
            f"Math.abs(document.getElementById('lecture-video').currentTime - {scene['start_s']}) < 1.5", timeout=10_000)
        now = page.evaluate("document.getElementById('lecture-video').currentTime")
        assert scene["start_s"] <= now + 0.05 < scene["start_s"] + 1.5

    # each clip shows its poster and offers its embed snippet
    clips = page.evaluate("""() => Array.from(document.querySelectorAll('.clip')).map(a => ({
        poster: a.querySelector('video').getAttribute('poster'),
        tracks: a.querySelector('video').textTracks.length,
        embed: a.querySelector('textarea').value}))""")
    assert [c["poster"] for c in clips] == [s["poster"] for s in manifest["scenes"]]
    assert all(c["tracks"] == 1 and s["clip"] in c["embed"] and s["captions"] in c["embed"]
               for c, s in zip(clips, manifest["scenes"]))
    assert all(url.startswith(("file://", "data:")) for url in requests), [u for u in requests if not u.startswith("file")]
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_chromium_plays_the_page_as_served_and_falls_back_to_webm_without_h264(browser, full_lecture):
    page, _requests = _open(browser, (full_lecture / "index.html").as_uri())
    state = page.evaluate("""() => {
        const v = document.getElementById('lecture-video');
        return {src: v.currentSrc, ready: v.readyState,
                h264: v.canPlayType(v.querySelector('source[type^="video/mp4"]').type)};
    }""")
    assert state["ready"] >= 2
    if state["h264"] == "":  # a Chromium without H.264 must have taken the WebM
        assert state["src"].endswith("/lecture.webm")
    else:
        assert state["src"].endswith("/lecture.mp4")
    page.close()
