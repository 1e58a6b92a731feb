"""present.html: built offline (units), then driven in headless Debian Chromium with real key
presses on a rendered subset (title and closing, Korean, preview quality)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from test_render_support import render, title_and_closing  # noqa: F401 (fixture)

from lecture.present import page as present_page

from browser_support import AUTOPLAY, chromium  # noqa: E402
SHOTS_ENV = "NLL_PRESENT_SCREENSHOTS"  # a folder: keep the screenshots of both windows there


def _manifest(scenes=2, title="NLL </script><b>") -> dict:
    out = []
    for position in range(scenes):
        index = (1, 12, 5)[position]
        stem = f"{index:02d}-s{index}"
        beats = [{"id": f"{stem}/k{n}_say", "key": f"k{n}_say", "text": f"beat {index}.{n} </script>",
                  "start_frame": 10 + 30 * n, "end_frame": 40 + 30 * n, "still": f"frames/{stem}/k{n}_say.png"}
                 for n in range(3)]
        out.append({"index": index, "id": f"s{index}", "title": f"Scene {index}", "clip": f"clips/{stem}.mp4",
                    "webm": f"clips/{stem}.webm", "poster": f"posters/{stem}.png", "codecs": "avc1.64001e",
                    "fps": 15.0, "frames": 120, "beats": beats})
    return {"lecture": {"title": title, "lang": "en", "fps": 15, "has_audio": False}, "scenes": out}


# Units ---------------------------------------------------------------------------------------
def test_steps_cover_each_scene_from_its_first_frame_to_its_last_beat() -> None:
    deck = present_page.deck(_manifest())
    assert [(s["scene"], s["start"], s["end"]) for s in deck["steps"]] == [
        (0, 0, 40), (0, 40, 70), (0, 70, 100), (1, 0, 40), (1, 40, 70), (1, 70, 100)]
    assert [s["first_step"] for s in deck["scenes"]] == [0, 3]
    # a scene without beats (published before beats were noted) is one step: its whole clip
    manifest = _manifest(1)
    manifest["scenes"][0]["beats"] = []
    assert [(s["start"], s["end"]) for s in present_page.deck(manifest)["steps"]] == [(0, 120)]


def test_the_page_is_self_contained_and_its_data_cannot_close_the_script() -> None:
    html = present_page.build(_manifest())
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html) and "<link" not in html
    assert html.count("</script>") == 3  # the two JSON blocks and the script, nothing from the data
    deck = json.loads(re.search(r'<script type="application/json" id="deck">(.*?)</script>', html, re.S)
                      .group(1).replace("<\\/", "</"))
    assert deck["title"] == "NLL </script><b>" and deck["steps"][0]["text"] == "beat 1.0 </script>"
    assert "<title>NLL &lt;/script&gt;&lt;b&gt;</title>" in html
    assert '<html lang="en">' in html and "Speaker view" in html


def test_korean_words_for_a_korean_deck() -> None:
    manifest = _manifest()
    manifest["lecture"]["lang"] = "ko"
    html = present_page.build(manifest)
    assert '<html lang="ko">' in html and "발표자 보기" in html


# In the browser ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def subset(title_and_closing) -> Path:
    return title_and_closing


@pytest.fixture(scope="module")
def browser():
    with chromium(AUTOPLAY) as launched:
        yield launched


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _state(page) -> dict:
    return page.evaluate("window.present.state()")


def _wait_phase(page, phase: str, step: int | None = None, timeout: float = 30_000) -> dict:
    condition = f"window.present.state().phase === '{phase}'"
    if step is not None:
        condition += f" && window.present.state().step === {step}"
    page.wait_for_function(condition, timeout=timeout)
    return _state(page)


def _beats(out: Path) -> list[dict]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [dict(beat, fps=scene["fps"], scene_position=position, clip=scene["clip"], webm=scene["webm"])
            for position, scene in enumerate(manifest["scenes"]) for beat in scene["beats"]]


@pytest.mark.slow
@pytest.mark.browser
def test_presenting_with_keys_pauses_on_each_beats_last_frame(browser, subset: Path, tmp_path: Path) -> None:
    beats = _beats(subset)
    assert (subset / "present.html").is_file()
    assert json.loads((subset / "manifest.json").read_text(encoding="utf-8"))["lecture"]["present"] == "present.html"
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((subset / "present.html").as_uri() + "?format=webm")
    state = _wait_phase(page, "ready", 0)
    assert state["src"].endswith(beats[0]["webm"]) and state["paused"] and not state["muted"]
    assert abs(state["time"] - beats[0]["start_s"]) < 1 / beats[0]["fps"]

    # Right plays one beat and pauses within a frame of its end, across the scene boundary
    title_beats = sum(1 for b in beats if b["scene_position"] == 0)
    for number in range(title_beats + 1):
        page.keyboard.press("ArrowRight" if number % 2 == 0 else "PageDown")
        state = _wait_phase(page, "done", number)
        beat = beats[number]
        assert state["paused"] and abs(state["time"] - beat["end_s"]) <= 1 / beat["fps"], (number, state, beat)
        assert state["src"].endswith(beat["webm"])
    # Space, pressed again while a beat plays, finishes it at once
    page.keyboard.press(" ")
    page.wait_for_function(f"window.present.state().step === {title_beats + 1}")
    page.keyboard.press(" ")
    state = _wait_phase(page, "done", title_beats + 1, timeout=3_000)
    assert abs(state["time"] - beats[title_beats + 1]["end_s"]) <= 1 / beats[0]["fps"]

    # Left: back to the start of the beat just played; again: the one before (across scenes too)
    for expected in (title_beats + 1, title_beats, title_beats - 1):
        page.keyboard.press("ArrowLeft")
        state = _wait_phase(page, "ready", expected)
        beat = beats[expected]
        start = 0.0 if expected == title_beats else beat["start_s"]  # a scene's first step starts with its clip
        assert state["paused"] and abs(state["time"] - start) <= 1 / beat["fps"], (expected, state)
        assert state["src"].endswith(beat["webm"])

    # a scene number and Enter jumps to that scene's first beat
    page.keyboard.press("1")
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    state = _wait_phase(page, "ready", title_beats)
    assert state["src"].endswith(beats[title_beats]["webm"]) and state["time"] < 1 / beats[0]["fps"]
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    state = _wait_phase(page, "ready", 0)
    assert state["src"].endswith(beats[0]["webm"])

    # End and Home; B blanks; C shows the beat's narration as a caption
    page.keyboard.press("End")
    state = _wait_phase(page, "done", len(beats) - 1)
    assert abs(state["time"] - beats[-1]["end_s"]) <= 1 / beats[-1]["fps"]
    page.keyboard.press("Home")
    _wait_phase(page, "ready", 0)
    page.keyboard.press("b")
    assert page.evaluate("getComputedStyle(document.getElementById('blank')).display") == "block"
    page.keyboard.press("b")
    assert page.evaluate("getComputedStyle(document.getElementById('blank')).display") == "none"
    assert page.evaluate("getComputedStyle(document.getElementById('caption')).display") == "none"
    page.keyboard.press("c")
    assert page.evaluate("getComputedStyle(document.getElementById('caption')).display") == "block"
    assert page.evaluate("document.getElementById('caption').textContent") == beats[0]["text"]
    page.mouse.click(480, 270)  # a click is "next"
    _wait_phase(page, "done", 0)
    page.screenshot(path=str(_shots(tmp_path) / "main-captions.png"))
    assert not errors, errors
    assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file://")]
    context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_the_speaker_view_shows_the_notes_and_follows(browser, subset: Path, tmp_path: Path) -> None:
    beats = _beats(subset)
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = context.new_page()
    page.goto((subset / "present.html").as_uri() + "?mute")
    state = _wait_phase(page, "ready", 0)
    assert state["muted"]
    with context.expect_page() as opened:
        page.keyboard.press("s")
    speaker = opened.value
    speaker.set_viewport_size({"width": 1100, "height": 700})
    speaker.wait_for_function("window.present && window.present.state().notes !== ''")
    view = speaker.evaluate("window.present.state()")
    assert view["notes"] == beats[0]["text"] and view["next"] == beats[1]["text"]
    assert view["current"] == 0 and re.fullmatch(r"\d\d:\d\d", view["clock"]) and view["elapsed"] == "0:00"

    page.keyboard.press("ArrowRight")  # the speaker view follows the main window
    _wait_phase(page, "done", 0)
    speaker.wait_for_function("document.body.dataset.phase === 'done' && document.body.dataset.step === '0'")
    page.keyboard.press("ArrowRight")
    speaker.wait_for_function("document.body.dataset.step === '1'")
    view = speaker.evaluate("window.present.state()")
    assert view["notes"] == beats[1]["text"] and view["next"] == beats[2]["text"] and view["current"] == 1
    _wait_phase(page, "done", 1)

    speaker.keyboard.press("ArrowRight")  # keys in the speaker view drive the main window
    _wait_phase(page, "done", 2)
    speaker.wait_for_function("document.body.dataset.step === '2' && document.body.dataset.phase === 'done'")
    speaker.wait_for_timeout(1100)
    view = speaker.evaluate("window.present.state()")
    assert view["elapsed"] != "0:00"
    assert speaker.evaluate("document.getElementById('next-still').getAttribute('src')") == beats[3]["still"]
    speaker.click("#bar button:nth-child(5)")  # a beat in the bar: the main window goes there
    state = _wait_phase(page, "ready", 4)
    assert abs(state["time"] - beats[4]["start_s"]) <= 1 / beats[4]["fps"]
    speaker.wait_for_function("document.body.dataset.step === '4'")
    view = speaker.evaluate("window.present.state()")
    assert view["notes"] == beats[4]["text"] and view["where"].startswith("장면 12.")

    page.screenshot(path=str(_shots(tmp_path) / "main.png"))
    speaker.screenshot(path=str(_shots(tmp_path) / "speaker.png"))
    assert (_shots(tmp_path) / "speaker.png").stat().st_size > 10_000

    # a speaker view opened on its own (no window.opener): the BroadcastChannel alone keeps it in step
    alone = context.new_page()
    alone.goto((subset / "present.html").as_uri() + "?speaker")
    alone.wait_for_function("document.body.dataset.step === '4'")  # it asked, the main window answered
    assert alone.evaluate("window.opener") is None
    page.keyboard.press("End")
    alone.wait_for_function(f"document.body.dataset.step === '{len(beats) - 1}'")
    assert alone.evaluate("window.present.state()")["notes"] == beats[-1]["text"]
    context.close()


# A key press at the exact instant of a state change, made by a listener on the video's own
# event (a real keydown event through the page's handler, dispatched from that event's task).
_PRESS_ON = """([eventName, phase]) => {
  window.__pressedIn = null;
  document.querySelectorAll('video').forEach(function (v) {
    v.addEventListener(eventName, function once() {
      if (window.__pressedIn !== null || window.present.state().phase !== phase) { return; }
      window.__pressedIn = window.present.state().phase;
      document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true, cancelable: true}));
    });
  });
}"""


@pytest.mark.slow
@pytest.mark.browser
def test_a_key_pressed_as_a_beat_ends_or_during_a_seek_is_acted_on(browser, subset: Path) -> None:
    beats = _beats(subset)
    page = browser.new_page()
    page.goto((subset / "present.html").as_uri() + "?format=webm&mute")
    _wait_phase(page, "ready", 0)
    # Right at the instant the beat pauses at its end (the page is seeking to its last frame)
    page.evaluate(_PRESS_ON, ["pause", "done-pending"])
    page.keyboard.press("ArrowRight")
    page.wait_for_function("window.__pressedIn !== null", timeout=30_000)
    assert page.evaluate("window.__pressedIn") == "done-pending"
    state = _wait_phase(page, "done", 1)  # the press played the next beat
    assert abs(state["time"] - beats[1]["end_s"]) <= 1 / beats[1]["fps"] and state["queued"] == 0

    # Right while Left's seek back to the beat's start is under way
    page.evaluate(_PRESS_ON, ["seeking", "ready-pending"])
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("window.__pressedIn !== null", timeout=30_000)
    assert page.evaluate("window.__pressedIn") == "ready-pending"
    state = _wait_phase(page, "done", 1)  # beat 1 played again, from its start to its end
    assert abs(state["time"] - beats[1]["end_s"]) <= 1 / beats[1]["fps"] and state["queued"] == 0

    # two presses while the next scene's clip loads and seeks: both acted on, in order
    title_beats = sum(1 for b in beats if b["scene_position"] == 0)
    page.keyboard.press("End")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    state = _wait_phase(page, "done", 0)
    assert state["queued"] == 0 and title_beats >= 1
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_the_page_picks_a_clip_this_browser_plays(browser, subset: Path) -> None:
    beats = _beats(subset)
    page = browser.new_page()
    page.goto((subset / "present.html").as_uri())
    state = _wait_phase(page, "ready", 0)
    h264 = page.evaluate("document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.64001e\"')")
    assert state["src"].endswith(beats[0]["clip"] if h264 else beats[0]["webm"])
    page.keyboard.press("ArrowRight")
    state = _wait_phase(page, "done", 0)
    assert abs(state["time"] - beats[0]["end_s"]) <= 1 / beats[0]["fps"]
    page.close()


@pytest.fixture(scope="module")
def voiced(tmp_path_factory) -> Path:
    import shutil

    assert shutil.which("espeak-ng"), "espeak-ng is not installed (make setup installs it)"
    out = tmp_path_factory.mktemp("present-voiced") / "out"
    result = render(["--quality", "preview", "--lang", "en", "--scene", "title", "--voice", "espeak", "--out", str(out)])
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("query", ["", "?mute"])
def test_a_voiced_render_plays_each_beats_voice_unless_muted(browser, voiced: Path, query: str) -> None:
    beats = _beats(voiced)
    assert beats[0]["source"] == "espeak"
    page = browser.new_page()
    page.goto((voiced / "present.html").as_uri() + query + ("&" if query else "?") + "format=webm")
    _wait_phase(page, "ready", 0)
    page.keyboard.press("ArrowRight")
    state = _wait_phase(page, "done", 0)
    assert abs(state["time"] - beats[0]["end_s"]) <= 1 / beats[0]["fps"]
    audio = page.evaluate("""() => { const v = document.querySelector('#stage video.shown');
        return {muted: v.muted, volume: v.volume, bytes: v.webkitAudioDecodedByteCount}; }""")
    assert audio["bytes"] > 0  # the clip's voice track was decoded while the beat played
    assert audio["muted"] is (query == "?mute") and audio["volume"] == 1
    page.close()


def test_the_page_code_is_package_data_the_page_carries() -> None:
    import tomllib
    from importlib import resources

    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert "assets/*" in pyproject["tool"]["setuptools"]["package-data"]["lecture.present"]
    script = resources.files("lecture.present").joinpath("assets", "present.js").read_text(encoding="utf-8")
    html = present_page.build(_manifest())
    assert script in html and "queued.push" in script


# axe-core on the page built from a stub deck: the main window and the speaker view ---------
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_axe_core_finds_no_violation_in_the_main_window_or_the_speaker_view(browser, tmp_path: Path, lang) -> None:
    """The speaker view is one main landmark with a level-one heading (the scene it is at);
    in the main window it is hidden (its [hidden] wins over its grid display), so no panel
    sits outside a landmark. No clips are needed: axe reads the page, not the video."""
    assert AXE.is_file(), f"{AXE} is missing: run make setup (npm ci in tests/axe)"
    manifest = _manifest()
    manifest["lecture"]["lang"] = lang
    (tmp_path / "present.html").write_text(present_page.build(manifest), encoding="utf-8")
    for query in ("", "?speaker"):
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        try:
            page.goto((tmp_path / "present.html").as_uri() + query)
            page.wait_for_function("window.present !== undefined")
            if query:
                page.wait_for_function("document.getElementById('where').textContent !== ''")
            assert page.evaluate("getComputedStyle(document.getElementById('speaker')).display") == (
                "grid" if query else "none")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("""async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return {version: axe.version, violations: r.violations.map(v => ({id: v.id,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))};
            }""")
            assert result["version"].startswith("4.")
            assert result["violations"] == [], (query, json.dumps(result["violations"], ensure_ascii=False, indent=1))
        finally:
            page.close()
