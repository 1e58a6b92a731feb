"""index.html asks the questions: manifest.json lists them timed at their scenes' ends, the
video stops there, the question takes the focus, a keyboard alone answers or skips, the
feedback is announced, and axe-core finds no violation with a question open. Uses the stub
project's full lecture (tests/test_render_support.py)."""

from __future__ import annotations

import json

import pytest

from browser_support import AUTOPLAY, chromium
from test_render_support import REPO, stub_lecture  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow
AXE = REPO / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def test_the_manifest_times_each_question_at_its_scenes_end(stub_lecture):
    manifest = json.loads((stub_lecture[1] / "manifest.json").read_text(encoding="utf-8"))
    scenes = {s["id"]: s for s in manifest["scenes"]}
    questions = manifest["questions"]
    assert [q["scene"] for q in questions] == ["height-samples", "maximum-likelihood", "phone-os", "gradient-descent", "nll-in-nlp"]
    for q in questions:
        scene = scenes[q["scene"]]
        end = scene["start_s"] + scene["duration_s"]
        assert scene["start_s"] < q["time_s"] < end and end - q["time_s"] <= 0.1 + 0.0005  # rounded to ms
        assert set(q) == {"id", "scene", "time_s", "prompt", "choices", "explanation"}
        assert all({"text", "correct"} <= set(c) for c in q["choices"])


@pytest.mark.browser
def test_index_html_asks_with_the_keyboard_and_axe_finds_no_violation(stub_lecture):
    assert AXE.is_file(), f"{AXE} is missing: run make setup (npm ci in tests/axe)"
    out = stub_lecture[1]
    questions = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["questions"]
    with chromium(AUTOPLAY) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((out / "index.html").as_uri())
        page.wait_for_function("document.getElementById('lecture-video').readyState >= 1", timeout=20_000)

        def reach(q):
            page.evaluate(f"(() => {{ const v = document.getElementById('lecture-video'); v.muted = true;"
                          f" v.currentTime = {q['time_s'] - 0.8}; v.play(); }})()")
            page.wait_for_selector("#quiz:not([hidden])", timeout=15_000)
            assert page.evaluate("document.getElementById('lecture-video').paused")
            assert page.evaluate("document.activeElement.id") == "quiz-prompt"

        # answered with the keyboard only: Tab to the choices, arrows to the right one, Enter
        q = questions[2]
        reach(q)
        right = next(i for i, c in enumerate(q["choices"]) if c["correct"])
        page.keyboard.press("Tab")  # the first choice
        for _ in range(right):
            page.keyboard.press("ArrowDown")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                               ".map(v => v.id + ': ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', '))")
        assert result == []
        page.keyboard.press("Enter")
        status = page.locator("#quiz [role=status]")
        assert q["explanation"] in status.inner_text()
        assert page.evaluate("document.activeElement.className") == "continue"
        page.keyboard.press("Enter")  # continue
        page.wait_for_selector("#quiz", state="hidden")
        assert not page.evaluate("document.getElementById('lecture-video').paused")
        # skipped with Escape
        reach(questions[3])
        page.keyboard.press("Escape")
        page.wait_for_selector("#quiz button.continue")
        results = page.evaluate("window.lectureQuiz.results()")
        assert results["answers"][q["id"]]["correct"] is True and results["answers"][questions[3]["id"]]["skipped"] is True
        page.keyboard.press("Enter")
        # switched off: the video plays through the next question's time
        page.uncheck("#quiz-enabled")
        page.evaluate(f"(() => {{ const v = document.getElementById('lecture-video'); v.currentTime = {questions[4]['time_s'] - 0.5}; v.play(); }})()")
        page.wait_for_function(f"document.getElementById('lecture-video').currentTime > {questions[4]['time_s'] + 0.3}", timeout=15_000)
        assert page.evaluate("document.getElementById('quiz').hidden")
        browser.close()
