"""``nll-lecture record``: the server's checks (unit) and recording in Chromium with a fake mic (browser)."""

from __future__ import annotations

import http.client
import json
import math
import os
import struct
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

from lecture.cli import build_parser
from lecture.voice.record import MAX_TAKE_BYTES, WEBM_MAGIC, RecordServer, record_main
from lecture.voice.script import Beat
from test_voice_support import serving

ROOT = Path(__file__).resolve().parents[1]
SHOTS = os.environ.get("NLL_RECORD_SCREENSHOT")  # a path: keep the page's screenshot there

BEATS = [
    Beat("01-title/intro_say", "title", 1, "intro_say", "강의를 시작합니다.", 4.0),
    Beat("01-title/outline_say", "title", 2, "outline_say", "차례로 살펴봅니다.", 4.7),
    Beat("12-closing/thanks_say", "closing", 1, "thanks_say", "감사합니다.", 1.5),
]
FAKE_WEBM = WEBM_MAGIC + b"\x9f\x42\x86\x81\x01" + b"\0" * 64


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture()
def server(tmp_path):
    posters = tmp_path / "out"
    (posters / "posters").mkdir(parents=True)
    (posters / "posters" / "01-title.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with serving(RecordServer(tmp_path / "rec", "ko", BEATS, posters)) as srv:
        yield srv


def _request(srv, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_a_take_is_saved_where_recorded_dir_reads_it_and_listed_as_done(server):
    status, body = _request(server, "POST", "/take/01-title/outline_say", FAKE_WEBM)
    assert status == 200, body
    path = server.root / "ko" / "01-title" / "outline_say.webm"
    assert path.read_bytes() == FAKE_WEBM and json.loads(body)["saved"] == str(path)
    assert _files(server.root) == ["ko/01-title/outline_say.webm"]  # no temporary file left
    listing = json.loads(_request(server, "GET", "/api/beats")[1])
    assert [b["done"] for b in listing["beats"]] == [False, True, False]
    assert [b["poster"] for b in listing["beats"]] == ["poster/01-title.png"] * 2 + [None]
    assert _request(server, "GET", "/take/01-title/outline_say")[1] == FAKE_WEBM
    assert _request(server, "GET", "/poster/01-title.png")[0] == 200
    assert _request(server, "GET", "/poster/12-closing.png")[0] == 404
    # a re-take replaces the file in place
    assert _request(server, "POST", "/take/01-title/outline_say.webm", FAKE_WEBM + b"2")[0] == 200
    assert path.read_bytes() == FAKE_WEBM + b"2" and _files(server.root) == ["ko/01-title/outline_say.webm"]


def test_a_take_replaces_a_recording_in_another_format_which_is_kept_hidden(server):
    folder = server.root / "ko" / "12-closing"
    folder.mkdir(parents=True)
    (folder / "thanks_say.wav").write_bytes(b"RIFF")
    assert json.loads(_request(server, "GET", "/api/beats")[1])["beats"][2]["file"] == "thanks_say.wav"
    assert _request(server, "POST", "/take/12-closing/thanks_say", FAKE_WEBM)[0] == 200
    assert _files(server.root) == ["ko/12-closing/.thanks_say.wav.replaced", "ko/12-closing/thanks_say.webm"]


@pytest.mark.parametrize("path", [
    "/take/01-title/no_such_say",          # a typo in a beat name
    "/take/03-nothing/intro_say",          # no such scene
    "/take/01-title/intro_say/extra",
    "/take/../../escape",                  # path traversal, raw
    "/take/01-title/..%2F..%2Fescape",     # ... and percent-encoded
    "/take/..%2F01-title/intro_say",
    "/take/01-title/%2E%2E",
    "/api/beats",
])
def test_a_take_for_no_beat_of_the_list_is_refused_and_nothing_is_written(server, tmp_path, path):
    before = _files(tmp_path)
    status, body = _request(server, "POST", path, FAKE_WEBM)
    assert status == 400, body
    assert _files(tmp_path) == before


def test_an_oversize_take_is_refused_before_it_is_read(server, tmp_path):
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.putrequest("POST", "/take/01-title/intro_say")
    conn.putheader("Content-Length", str(MAX_TAKE_BYTES + 1))
    conn.endheaders()
    conn.send(WEBM_MAGIC)  # the rest never comes: the server must answer without waiting for it
    response = conn.getresponse()
    assert response.status == 413
    conn.close()
    assert not (server.root / "ko").exists()


def test_a_take_that_is_not_webm_or_has_no_length_is_refused(server):
    assert _request(server, "POST", "/take/01-title/intro_say", b"RIFF....WAVEfmt ")[0] == 415
    assert _request(server, "POST", "/take/01-title/intro_say", b"")[0] == 415
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.putrequest("POST", "/take/01-title/intro_say")
    conn.endheaders()
    assert conn.getresponse().status == 411
    conn.close()
    assert not (server.root / "ko").exists()


def test_requests_for_another_host_or_from_another_origin_are_refused(server):
    assert _request(server, "GET", "/api/beats", headers={"Host": "evil.example:80"})[0] == 403
    assert _request(server, "POST", "/take/01-title/intro_say", FAKE_WEBM,
                    headers={"Origin": "http://evil.example"})[0] == 403
    assert _request(server, "POST", "/take/01-title/intro_say", FAKE_WEBM, headers={"Origin": server.url[:-1]})[0] == 200


def test_the_page_is_self_contained():
    from lecture.voice.record_page import PAGE

    assert "http://" not in PAGE and "https://" not in PAGE and "<link" not in PAGE and "src=\"" not in PAGE
    for label in ('id="rec"', 'id="play"', 'aria-keyshortcuts="Space"', 'aria-live="polite"', "<nav aria-label="):
        assert label in PAGE


def test_the_command_line_wires_record(tmp_path):
    args = build_parser().parse_args(["record", str(tmp_path), "--lang", "en", "--scene", "title",
                                      "--scene", "closing", "--port", "0"])
    assert args.run is record_main and args.scenes == ["title", "closing"] and args.lang == "en"
    (tmp_path / "file").write_text("x")
    args = build_parser().parse_args(["record", str(tmp_path / "file")])
    assert record_main(args) == 2


# In the browser -------------------------------------------------------------------------------
def _tone_wav(path: Path, seconds: float = 10.0, rate: int = 48_000) -> None:
    frames = b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * i / rate)))
                      for i in range(int(seconds * rate)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)


def _poster(path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (854, 480), (24, 28, 40))
    ImageDraw.Draw(image).rectangle((100, 150, 754, 330), outline=(230, 200, 80), width=6)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def _decoded(path: Path) -> tuple[float, float]:
    """(seconds, RMS) of the audio in a file, decoded with PyAV."""
    import av
    import numpy as np

    with av.open(str(path)) as container:
        chunks = [frame.to_ndarray().astype(np.float64).reshape(-1, frame.samples)[0]
                  for frame in container.decode(audio=0)]
        rate = container.streams.audio[0].rate
    samples = np.concatenate(chunks)
    return len(samples) / rate, float(np.sqrt(np.mean(samples ** 2)))


@pytest.fixture()
def record_server(tmp_path):
    """``nll-lecture record --scene title`` as a child process; yields (url, DIR)."""
    rec = tmp_path / "rec"
    out = tmp_path / "out"
    _poster(out / "posters" / "01-title.png")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    child = subprocess.Popen([sys.executable, "-m", "lecture.cli", "record", "--lang", "ko", "--scene", "title",
                              "--posters", str(out), "--port", "0", str(rec)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            if line.startswith("open "):
                url = line.split()[1]
        assert url and url.startswith("http://127.0.0.1:"), (url, child.poll(), child.stderr.read() if child.poll() is not None else "")
        yield url, rec
    finally:
        child.terminate()
        child.wait(timeout=10)


@pytest.mark.browser
def test_chromium_records_two_beats_with_a_fake_microphone(record_server, tmp_path):
    from browser_support import AUTOPLAY, chromium

    url, rec = record_server
    tone = tmp_path / "tone.wav"
    _tone_wav(tone)
    args = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={tone}", AUTOPLAY]
    listing = json.loads(_get_json(url + "api/beats"))
    beats = listing["beats"]
    assert len(beats) >= 2 and beats[0]["id"] == "01-title/intro_say" and not any(b["done"] for b in beats)
    with chromium(*args) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800}, bypass_csp=True)  # for the test's string predicates
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url)
        page.wait_for_function("document.getElementById('text').textContent === %s" % json.dumps(beats[0]["text"]))
        for number, beat in enumerate(beats[:2]):
            if number:
                page.keyboard.press("ArrowRight")
                page.wait_for_function("document.getElementById('where').textContent.startsWith(%s)"
                                       % json.dumps(beat["id"]))
                assert page.inner_text("#text") == beat["text"]
            page.keyboard.press("Space")
            page.wait_for_function("document.getElementById('badge').className === 'recording'")
            page.wait_for_timeout(1500)
            page.keyboard.press("Space")
            page.wait_for_function("document.getElementById('status').textContent.includes(%s)"
                                   % json.dumps(f"{beat['name']}.webm"), timeout=15_000)
            page.wait_for_function("""() => { const a = document.getElementById('take');
                return a.getAttribute('src') && isFinite(a.duration) && a.duration > 0.5; }""", timeout=15_000)
            duration = page.evaluate("document.getElementById('take').duration")
            assert 1.0 < duration < 3.0, duration
            page.keyboard.press("p")  # plays back from the start
            page.wait_for_function("() => { const a = document.getElementById('take'); "
                                   "return !a.paused && a.currentTime > 0.1; }", timeout=10_000)
        assert page.evaluate("document.getElementById('poster').naturalWidth") == 854
        if SHOTS:
            page.screenshot(path=SHOTS, full_page=True)
        # the done marks come from the server's listing after a reload
        page.reload()
        page.wait_for_function("document.querySelectorAll('#list li.done').length > 0")
        done = page.evaluate("Array.from(document.querySelectorAll('#list li.done')).map(li => li.dataset.id)")
        assert done == [beats[0]["id"], beats[1]["id"]]
        assert page.inner_text("#progress").startswith(f"2 / {len(beats)}")
        assert page.inner_text("#where").startswith(beats[1]["id"])  # a reload stays on its beat (#id)
        page.goto(url)
        page.wait_for_function("document.querySelectorAll('#list li.done').length > 0")
        if len(beats) > 2:  # opened afresh, the page goes to the first beat still to record
            assert page.inner_text("#where").startswith(beats[2]["id"])
        assert all(u.startswith((url, "blob:", "data:")) for u in requests), requests
    for beat in beats[:2]:
        path = rec / "ko" / beat["stem"] / f"{beat['name']}.webm"
        assert path.read_bytes()[:4] == WEBM_MAGIC
        seconds, rms = _decoded(path)
        assert seconds >= 1.0 and rms > 0.01, (path, seconds, rms)
    assert sorted(p.name for p in (rec / "ko" / "01-title").iterdir()) == sorted(f"{b['name']}.webm" for b in beats[:2])
    # ... and --voice recorded:DIR takes them as they are
    from lecture.voice.audio import decode_audio
    from lecture.voice.recorded import check_recordings

    as_beats = [Beat(b["id"], b["scene"], b["index"], b["name"], b["text"], b["silent_duration_s"]) for b in beats]
    found = check_recordings(rec, "ko", as_beats)
    assert sorted(found) == [beats[0]["id"], beats[1]["id"]]
    assert len(decode_audio(found[beats[0]["id"]])) > 48_000


def _get_json(url: str) -> str:
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")
