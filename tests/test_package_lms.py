"""The SCORM packages in a real runtime: a parent page (tests/lms/parent.html) gives the LMS API
with scorm-again (npm, pinned by tests/lms/package-lock.json; its "no LMS" mode), the
package's launch page runs in an iframe, all served on 127.0.0.1 by a server that answers
Range requests (tests/range_server.py). The test answers the questions right and wrong as a
learner would (the video stops at each one), plays to the end, unloads the page, and reads
the data model scorm-again recorded. Also: resuming at the saved location, and the package
opened from disk with no LMS."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from browser_support import AUTOPLAY, chromium
from range_server import serve
from test_package import _make
from test_render_support import REPO, stub_lecture  # noqa: F401 (fixture)

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SCORM_AGAIN = REPO / "tests" / "lms" / "node_modules" / "scorm-again" / "dist"


@pytest.fixture(scope="module")
def browser():
    with chromium(AUTOPLAY) as launched:
        yield launched


def _site(stub_lecture, tmp_path: Path, fmt: str) -> Path:
    assert (SCORM_AGAIN / "scorm12.js").is_file(), f"{SCORM_AGAIN} is missing: run make setup (npm ci in tests/lms)"
    root = tmp_path / "site"
    (root / "scorm-again").mkdir(parents=True)
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, root / "scorm-again" / name)
    shutil.copy(REPO / "tests" / "lms" / "parent.html", root / "parent.html")
    with zipfile.ZipFile(_make(stub_lecture, tmp_path, fmt)) as archive:
        archive.extractall(root / "pkg")
    return root


def _launch(browser, base: str, version: str, data: dict):
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.goto(f"{base}parent.html?v={version}&launch=pkg/index.html&data={quote(json.dumps(data))}")
    page.wait_for_function("window.lmsLog && window.lmsLog.initialize === 1", timeout=20_000)
    sco = page.frame_locator("#sco")
    frame = next(f for f in page.frames if f.url.endswith("pkg/index.html"))
    frame.wait_for_function("document.getElementById('lecture-video').readyState >= 1", timeout=20_000)
    return page, sco, frame


def _answer_all(frame, wrong: set[int]) -> list[dict]:
    """Play up to each question, answer it (the right choice, or a wrong one for the indices
    in ``wrong``) with the keyboard where a learner would, and continue."""
    questions = frame.evaluate("JSON.parse(document.getElementById('lecture-questions').textContent).questions")
    for i, q in enumerate(questions):
        frame.evaluate(f"(() => {{ const v = document.getElementById('lecture-video'); v.muted = true;"
                       f" v.currentTime = {q['time_s'] - 0.8}; v.play(); }})()")
        frame.wait_for_selector("#quiz:not([hidden])", timeout=15_000)
        assert frame.evaluate("document.getElementById('lecture-video').paused")  # the question stopped the video
        # ... on its scene's last frame, not in the next scene
        frame.wait_for_function("!document.getElementById('lecture-video').seeking")
        assert abs(frame.evaluate("document.getElementById('lecture-video').currentTime") - q["time_s"]) <= 0.06
        assert frame.evaluate("document.activeElement.id") == "quiz-prompt"
        assert frame.inner_text("#quiz-prompt") == q["prompt"]
        right = next(j for j, c in enumerate(q["choices"]) if c["correct"])
        pick = (right + 1) % len(q["choices"]) if i in wrong else right
        frame.check(f"#quiz input[value='{pick}']")
        frame.press(f"#quiz input[value='{pick}']", "Enter")  # Enter submits the form
        feedback = frame.inner_text("#quiz .feedback")
        assert q["explanation"] in feedback
        frame.click("#quiz button.continue")
        frame.wait_for_selector("#quiz", state="hidden")
    return questions


def _play_to_end_and_unload(page, frame):
    frame.evaluate("(() => { const v = document.getElementById('lecture-video'); v.currentTime = v.duration - 0.3; v.play(); })()")
    frame.wait_for_function("document.getElementById('lecture-video').ended", timeout=15_000)
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    page.wait_for_function("window.lmsLog.finish === 1", timeout=15_000)
    return page.evaluate("lmsLog"), page.evaluate("lmsData()")


@pytest.mark.parametrize("wrong, status, raw", [({2}, "passed", "80"), ({0, 3}, "failed", "60")])
def test_scorm12_reports_status_score_location_commit_and_finish(stub_lecture, tmp_path, browser, wrong, status, raw):
    root = _site(stub_lecture, tmp_path, "scorm12")
    with serve(root) as base:
        page, _sco, frame = _launch(browser, base, "1.2", {"student_data": {"mastery_score": "80"}})
        try:
            assert page.evaluate("lmsData()")["core"]["lesson_status"] == "incomplete"
            questions = _answer_all(frame, wrong)
            assert len(questions) == 5
            during = page.evaluate("lmsData()")
            assert during["core"]["lesson_status"] == "incomplete"  # not at the end yet
            assert during["core"]["score"]["raw"] == raw
            log, data = _play_to_end_and_unload(page, frame)
        finally:
            page.close()
    core = data["core"]
    assert core["lesson_status"] == status
    assert (core["score"]["raw"], core["score"]["min"], core["score"]["max"]) == (raw, "0", "100")
    duration = json.loads((stub_lecture[1] / "manifest.json").read_text(encoding="utf-8"))["lecture"]["duration_s"]
    assert int(duration) - 1 <= int(core["lesson_location"]) <= int(duration)
    assert core["exit"] == "" and re.fullmatch(r"\d\d:\d\d:\d\d", core["session_time"])
    assert log["initialize"] == 1 and log["finish"] == 1 and log["commit"] >= 2
    assert log["errors"] == []  # scorm-again accepted every value
    assert json.loads(data["suspend_data"])["e"] == 1
    # each answer an interaction: the question, the choice given, right or wrong
    recorded = [data["interactions"][str(n)] for n in range(len(questions))]
    assert [i["id"] for i in recorded] == [q["id"] for q in questions]
    assert [i["result"] for i in recorded] == ["wrong" if n in wrong else "correct" for n in range(len(questions))]
    assert all(i["type"] == "choice" and len(i["student_response"]) == 1 for i in recorded)


@pytest.mark.parametrize("wrong, success, scaled", [(set(), "passed", "1.0000"), ({1, 2, 4}, "failed", "0.4000")])
def test_scorm2004_reports_completion_success_progress_score_location(stub_lecture, tmp_path, browser, wrong, success, scaled):
    root = _site(stub_lecture, tmp_path, "scorm2004")
    with serve(root) as base:
        page, _sco, frame = _launch(browser, base, "2004", {"scaled_passing_score": "0.8"})
        try:
            first = page.evaluate("lmsData()")
            assert first["completion_status"] == "incomplete" and first["success_status"] == "unknown"
            _answer_all(frame, wrong)
            during = page.evaluate("lmsData()")
            assert 0 < float(during["progress_measure"]) < 1 and during["completion_status"] == "incomplete"
            log, data = _play_to_end_and_unload(page, frame)
        finally:
            page.close()
    assert data["completion_status"] == "completed" and data["success_status"] == success
    assert data["score"]["scaled"] == scaled and float(data["progress_measure"]) == 1.0
    assert int(data["location"]) > 0 and data["exit"] == "normal" and data["session_time"].startswith("PT")
    assert log["initialize"] == 1 and log["finish"] == 1 and log["commit"] >= 2 and log["errors"] == []
    results = [data["interactions"][str(n)]["result"] for n in range(5)]
    assert results == ["incorrect" if n in wrong else "correct" for n in range(5)]


def test_a_resumed_attempt_starts_where_the_learner_left(stub_lecture, tmp_path, browser):
    root = _site(stub_lecture, tmp_path, "scorm12")
    saved = {"core": {"lesson_location": "9", "entry": "resume"},
             "suspend_data": json.dumps({"e": 0, "f": 9, "a": {"best-candidate": 1}})}
    with serve(root) as base:
        page, _sco, frame = _launch(browser, base, "1.2", saved)
        try:
            frame.wait_for_function("Math.abs(document.getElementById('lecture-video').currentTime - 9) < 0.5", timeout=10_000)
            assert "0:09" in frame.inner_text("#lms-status")
            # the question answered in the earlier session is not asked again, and still counts
            assert frame.evaluate("window.lectureQuiz.results()")["right"] == 1
            page.evaluate("document.getElementById('sco').src = 'about:blank'")
            page.wait_for_function("window.lmsLog.finish === 1", timeout=15_000)
            data = page.evaluate("lmsData()")
        finally:
            page.close()
    assert data["core"]["exit"] == "suspend" and data["core"]["lesson_status"] == "incomplete"


def test_opened_from_disk_without_an_lms_it_plays_and_asks(stub_lecture, tmp_path, browser):
    root = _site(stub_lecture, tmp_path, "scorm2004")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto((root / "pkg" / "index.html").as_uri())
        page.wait_for_function("document.getElementById('lecture-video').readyState >= 1", timeout=20_000)
        words = json.loads(page.evaluate("document.getElementById('package-config').textContent"))["words"]
        assert page.inner_text("#lms-status") == words["no_lms"]
        questions = page.evaluate("JSON.parse(document.getElementById('lecture-questions').textContent).questions")
        page.evaluate(f"(() => {{ const v = document.getElementById('lecture-video'); v.muted = true;"
                      f" v.currentTime = {questions[0]['time_s'] - 0.8}; v.play(); }})()")
        page.wait_for_selector("#quiz:not([hidden])", timeout=15_000)
        page.keyboard.press("Escape")  # skipped
        page.wait_for_selector("#quiz button.continue")
        assert page.evaluate("window.lectureQuiz.results()")["answers"]["best-candidate"]["skipped"] is True
    finally:
        page.close()
