"""Fast tests of the render pipeline's parts: captions, cache keys, lock and swap, options."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lecture.render import preflight
from lecture import captions, encoding
from lecture.publish import files
from lecture.publish import outdir as lock
from lecture.publish.assemble import seed_tree
from lecture.render import cache
from lecture.render.options import Quality, RenderFailure
from lecture.render.pipeline import QUALITY_PRESETS, RenderOptions, run
from lecture.voice.base import VoiceSpec
from mathcore import default_data_text, load_data
from scenes import SCENES_BY_ID, SCENES_IN_ORDER

ALL_IDS = {spec.id for spec in SCENES_IN_ORDER}


# Captions --------------------------------------------------------------------------------
def test_cues_are_clamped_to_the_clip_and_sorted():
    cues = captions.clamp_cues([(3.0, 12.5, "late"), (-0.2, 1.0, "early"), (10.0, 11.0, "after")], 10.0)
    assert cues == [captions.Cue(0, 1000, "early"), captions.Cue(3000, 10000, "late")]


def test_srt_and_vtt_round_trip_and_agree():
    cues = [captions.Cue(0, 1234, "가능도 <L> & log"), captions.Cue(3_600_000, 3_601_500, "two\nlines")]
    assert captions.parse(captions.to_srt(cues)) == cues
    assert captions.parse(captions.to_vtt(cues)) == cues
    vtt = captions.to_vtt(cues)
    assert vtt.startswith("WEBVTT\n") and "01:00:00.000 --> 01:00:01.500" in vtt and "&lt;L&gt; &amp;" in vtt
    assert "00:00:01,234" in captions.to_srt(cues)


def test_chapter_lines_as_video_sites_take_them():
    assert captions.chapters_txt([(0, "A"), (59_499, "B"), (59_500, "C"), (3_600_000, "D")]) == "0:00 A\n0:59 B\n1:00 C\n1:00:00 D\n"


# Cache keys ------------------------------------------------------------------------------
# One snapshot of the sources for the whole module: other people may be editing the tree.
SOURCES = cache.collect_sources()


def _keys(data_path=None, lang="ko", quality="preview", sources=None):
    data = load_data(data_path)
    sections = {name: data.section_digest(name) for spec in SCENES_IN_ORDER for name in spec.reads}
    sources = sources or SOURCES
    return {
        spec.id: cache.key_of(cache.scene_key_parts(spec, sources=sources, sections=sections, lang=lang,
                                                    quality=quality, preset=QUALITY_PRESETS[quality]))
        for spec in SCENES_IN_ORDER
    }


def _changed(a, b):
    return {scene_id for scene_id in a if a[scene_id] != b[scene_id]}


def test_keys_are_stable():
    assert _keys() == _keys()


def _deck_data_with(tmp_path, old: str, new: str) -> Path:
    """The deck's data file with one line changed (so every other section resolves as built-in)."""
    text = default_data_text()
    assert old in text
    path = tmp_path / "data.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_changing_only_binary_counts_changes_the_binary_and_descent_scenes(tmp_path):
    data = _deck_data_with(tmp_path, "counts = [7, 3]", "counts = [6, 4]")
    expected = {spec.id for spec in SCENES_IN_ORDER if {"binary", "descent"} & set(spec.reads)}
    assert expected  # the catalog has such scenes
    assert _changed(_keys(), _keys(str(data))) == expected


def test_changing_heights_changes_only_the_heights_scenes(tmp_path):
    data = _deck_data_with(tmp_path, "samples = [164.95,", "samples = [160.5, 164.95,")
    expected = {spec.id for spec in SCENES_IN_ORDER if "heights" in spec.reads}
    assert _changed(_keys(), _keys(str(data))) == expected


def test_a_data_file_equal_to_the_defaults_changes_nothing(tmp_path):
    data = _deck_data_with(tmp_path, "[binary]", "# a comment\n[binary]")
    assert _changed(_keys(), _keys(str(data))) == set()


def test_language_and_quality_change_every_scene():
    base = _keys()
    assert _changed(base, _keys(lang="en")) == ALL_IDS
    assert _changed(base, _keys(quality="medium")) == ALL_IDS


def _sources_with(path: str, digest: str) -> cache.SourceSet:
    return cache.SourceSet(SOURCES.root, {**SOURCES.files, path: digest})


@pytest.mark.parametrize("edited, changed", [
    ("scenes/s03_discrete.py", {"likelihood-discrete"}),
    # what two scenes share lives in a shared module (scene 4 draws with scenes/normal_plot.py,
    # as scene 2 does), so a scene file changes its own scene only
    ("scenes/s02_continuous.py", {"likelihood-continuous"}),
    ("scenes/s05_heights.py", {"height-samples"}),
    ("scenes/s07_log.py", {"log-likelihood"}),
    ("scenes/s01_title.py", {"title"}),
    ("scenes/s04_compare.py", {"comparing-likelihoods"}),
])
def test_a_scene_file_changes_its_scene(edited, changed):
    assert _changed(_keys(), _keys(sources=_sources_with(edited, "edited"))) == changed


@pytest.mark.parametrize("path", ["scenes/base.py", "scenes/number_format.py", "scenes/theme.py",
                                  "scenes/strings_en.py", "scenes/catalog.py", "scenes/manim_patches.py",
                                  "scenes/hooks.py", "mathcore/normal.py", "mathcore/default_data.toml",
                                  "lecture/media.py", "lecture/encoding.py", "lecture/render/worker.py",
                                  "lecture/voice/render_hook.py", "lecture/check/stillness.py"])
def test_what_every_scenes_worker_runs_changes_every_scene(path):
    assert _changed(_keys(), _keys(sources=_sources_with(path, "edited"))) == ALL_IDS


@pytest.mark.parametrize("edited, changed", [
    ("scenes/normal_plot.py", {"likelihood-continuous", "comparing-likelihoods"}),
    ("scenes/heights_plot.py", {"height-samples", "maximum-likelihood"}),
    ("scenes/log_grid.py", {"log-likelihood", "negative-log-likelihood"}),
])
def test_a_shared_plot_changes_the_scenes_that_draw_it(edited, changed):
    assert _changed(_keys(), _keys(sources=_sources_with(edited, "edited"))) == changed


def test_code_the_worker_does_not_run_changes_nothing():
    # these decide what to render and assemble the folder, not what a scene's files hold
    for path in ("lecture/cli.py", "lecture/render/pipeline.py", "lecture/cluster/job.py",
                 "lecture/publish/assemble.py", "lecture/publish/webpage.py", "lecture/publish/outdir.py",
                 "lecture/voice/record.py", "lecture/voice/publish.py", "lecture/check/gate.py",
                 "lecture/present/page.py", "lecture/a_module_nothing_imports.py"):
        assert _changed(_keys(), _keys(sources=_sources_with(path, "edited"))) == set(), path


def _project_copy(tmp_path: Path) -> Path:
    """The project's sources (lecture/, scenes/, mathcore/) copied under ``tmp_path``."""
    root = Path(cache.PROJECT_ROOT)
    for rel in SOURCES.files:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, tmp_path / rel)
    return tmp_path


def _keys_of(root: Path) -> dict[str, str]:
    return _keys(sources=cache.collect_sources(root))


@pytest.mark.parametrize("where", ["top", "function"])
def test_a_new_module_a_scene_imports_is_in_its_key_and_no_others(tmp_path, where):
    """The key is derived from the imports: a module added later is covered, with no list
    to update (here scene 3 imports a new scenes/extra_helper.py, at its head or inside a
    function), and only the scenes whose worker runs it re-render when it changes."""
    root = _project_copy(tmp_path)
    scene = root / "scenes" / "s03_discrete.py"
    text = scene.read_text(encoding="utf-8")
    if where == "top":
        text = text.replace("from scenes import theme\n", "from scenes import theme\nfrom scenes import extra_helper\n", 1)
    else:
        text += "\n\ndef _uses_extra():\n    from scenes.extra_helper import VALUE\n\n    return VALUE\n"
    scene.write_text(text, encoding="utf-8")
    (root / "scenes" / "extra_helper.py").write_text("VALUE = 1\n", encoding="utf-8")
    before = _keys_of(root)
    assert before == _keys_of(root)  # nothing changed: the same keys
    (root / "scenes" / "extra_helper.py").write_text("VALUE = 2\n", encoding="utf-8")
    assert _changed(before, _keys_of(root)) == {"likelihood-discrete"}


def test_every_project_module_the_worker_loads_is_in_the_scenes_key():
    """What the worker really imports (a fresh process: the worker module, then the scene's
    module as the worker imports it) is all inside what the key covers."""
    code = ("import importlib, json, sys\n"
            "import lecture.render.worker\n"
            "from scenes import SCENES_BY_ID\n"
            "spec = SCENES_BY_ID[sys.argv[1]]\n"
            "importlib.import_module(spec.import_path)\n"
            "print(json.dumps(sorted(m.__file__ for m in list(sys.modules.values()) if getattr(m, '__file__', None))))\n")
    root = Path(cache.PROJECT_ROOT)
    for scene_id in ("comparing-likelihoods", "maximum-likelihood", "negative-log-likelihood"):
        done = subprocess.run([sys.executable, "-c", code, scene_id], capture_output=True, text=True, check=True,
                              cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
        loaded = {Path(f).resolve() for f in json.loads(done.stdout.strip().splitlines()[-1])}
        ours = {p.relative_to(root).as_posix() for p in loaded if p.is_relative_to(root)
                and p.relative_to(root).parts[0] in ("lecture", "scenes", "mathcore")}
        covered = set(SOURCES.worker_code(SCENES_BY_ID[scene_id]))
        assert ours and ours <= covered, sorted(ours - covered)


def test_encoder_settings_and_library_versions_are_in_the_key(monkeypatch):
    base = _keys()
    monkeypatch.setitem(encoding.H264_OPTIONS, "crf", "30")
    assert _changed(base, _keys()) == ALL_IDS
    monkeypatch.undo()
    monkeypatch.setattr(cache, "library_versions", lambda: {"manim": "9.9"})
    assert _changed(base, _keys()) == ALL_IDS


def test_library_versions_are_found_without_importing_them():
    code = "import sys; from lecture.render import cache; v = cache.library_versions(); " \
           "print(sorted(v), 'manim' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['av', 'manim', 'manimpango', 'numpy', 'pillow', 'python', 'scipy'] False False"


def test_explain_change_names_what_changed():
    old = {"lang": "ko", "data": {"binary": "a", "descent": "b"}, "scene_file": "x"}
    new = {"lang": "ko", "data": {"binary": "c", "descent": "b"}, "scene_file": "y"}
    assert cache.explain_change(old, new) == "data[binary], scene file"


def test_signature_follows_the_data_files_bytes_including_a_samples_csv(tmp_path):
    (tmp_path / "s.csv").write_text("height\n160\n170\n", encoding="utf-8")
    data = tmp_path / "d.toml"
    data.write_text('[heights]\nsamples_csv = "s.csv"\n', encoding="utf-8")
    sources = cache.collect_sources()

    def signature():
        return cache.invocation_signature(sources=sources, data_path=str(data), lang="ko", quality="high", scene_ids=["title"])

    first = signature()
    assert signature() == first
    (tmp_path / "s.csv").write_text("height\n160\n171\n", encoding="utf-8")
    assert signature() != first


# Lock, staging and swap -----------------------------------------------------------------
def test_a_second_locker_waits_or_is_refused(tmp_path):
    out = tmp_path / "out"
    with lock.locked(out):
        with pytest.raises(lock.LockBusy, match="another nll-lecture render is writing into"):
            with lock.locked(out, wait=False):
                pass
    with lock.locked(out, wait=False):  # released when the block ends
        pass


def test_the_lock_dies_with_its_process(tmp_path):
    out = tmp_path / "out"
    code = textwrap.dedent(f"""
        import os, time
        from pathlib import Path
        from lecture.publish import outdir as lock
        with lock.locked(Path({str(out)!r})):
            print("locked", flush=True)
            time.sleep(60)
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(lock.LockBusy, match=f"pid {holder.pid}"):
            with lock.locked(out, wait=False):
                pass
    finally:
        holder.kill()
        holder.wait()
    with lock.locked(out, wait=False):
        pass


def test_swap_replaces_the_folder_and_keeps_the_old_one_aside(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a").write_text("old")
    run_dir = lock.new_run(out)
    (run_dir / "tree" / "a").write_text("new")
    lock.swap_into_place(run_dir / "tree", out)
    assert (out / "a").read_text() == "new"
    assert (run_dir / "old" / "a").read_text() == "old"
    lock.clean_stale_runs(out)
    assert not run_dir.exists() and (out / "a").read_text() == "new"


def test_a_run_that_died_mid_swap_is_undone_next_time(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a").write_text("old")
    run_dir = lock.new_run(out)
    os.rename(out, run_dir / "old")  # the fallback swap's first rename, then death
    lock.clean_stale_runs(out)
    assert (out / "a").read_text() == "old" and not run_dir.exists()


def test_staging_files_never_write_through_to_the_previous_output(tmp_path):
    out, tree = tmp_path / "out", tmp_path / "tree"
    (out / "clips").mkdir(parents=True)
    (out / "clips" / "x.mp4").write_bytes(b"old clip")
    (out / "manifest.json").write_text("{}")
    seed_tree(out, tree)
    assert (tree / "clips" / "x.mp4").stat().st_ino == (out / "clips" / "x.mp4").stat().st_ino
    files.write_text(tree / "manifest.json", '{"new": 1}')
    assert (out / "manifest.json").read_text() == "{}"


# Options and input errors (no rendering) -------------------------------------------------
def _run(tmp_path, capsys, **kwargs):
    status = run(RenderOptions.parse(out=tmp_path / "out", quality="preview", **{"jobs": 1, **kwargs}))
    return status, capsys.readouterr().err


def test_unknown_scene_is_bad_input(tmp_path, capsys):
    status, err = _run(tmp_path, capsys, scenes=("no-such-scene",))
    assert status == 2 and err.startswith("error: unknown scene 'no-such-scene'") and err.count("\n") == 1


def test_bad_data_is_bad_input_in_one_line(tmp_path, capsys):
    data = tmp_path / "bad.toml"
    data.write_text("[binary]\ncounts = [1]\n", encoding="utf-8")
    status, err = _run(tmp_path, capsys, data=str(data))
    assert status == 2
    assert err == f"error: {data}: binary.counts: expected two counts, got [1]\n"
    assert not (tmp_path / "out").exists()


def test_refuses_a_folder_that_is_not_an_output_folder(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "thesis.tex").write_text("precious")
    status, err = _run(tmp_path, capsys)
    assert status == 2 and "is a folder with other files" in err
    assert (tmp_path / "out" / "thesis.tex").read_text() == "precious"


def test_refuses_an_out_that_is_a_file(tmp_path, capsys):
    (tmp_path / "out").write_text("a file")
    status, err = _run(tmp_path, capsys)
    assert status == 2 and "is not a folder" in err and (tmp_path / "out").read_text() == "a file"


def test_jobs_must_be_positive(tmp_path, capsys):
    status, err = _run(tmp_path, capsys, jobs=0)
    assert status == 2 and "--jobs" in err


def test_render_arguments_parse_into_options():
    from lecture.cli import build_parser
    from lecture.render.command import options_from_args

    args = build_parser().parse_args(["render", "--scene", "title", "--scene", "closing", "--scene", "title",
                                      "--lang", "en", "--quality", "4k", "--jobs", "3", "--out", "x"])
    assert options_from_args(args) == RenderOptions(out=Path("x").resolve(), data=None, lang="en",
                                                    quality=Quality("4k", (3840, 2160, 60)), voice=VoiceSpec("none"),
                                                    scenes=("title", "closing"), jobs=3)
    defaults = options_from_args(build_parser().parse_args(["render"]))
    assert (defaults.quality.name, defaults.lang, defaults.out, defaults.jobs) == ("high", "ko", Path("out").resolve(), len(os.sched_getaffinity(0)))
    assert defaults.voice == VoiceSpec("none") and defaults.quality.preset == (1920, 1080, 60)
    assert QUALITY_PRESETS == {"preview": (854, 480, 15), "medium": (1280, 720, 30),
                               "high": (1920, 1080, 60), "4k": (3840, 2160, 60)}


def test_options_are_parsed_once_into_typed_values(tmp_path):
    (tmp_path / "link").symlink_to(tmp_path / "real")
    options = RenderOptions.parse(out=tmp_path / "link", quality="medium", voice="espeak")
    assert options.out == tmp_path / "real" and options.out.is_absolute()
    assert options.quality == Quality("medium", (1280, 720, 30)) and options.voice == VoiceSpec("espeak")
    for bad, line in ((dict(quality="low"), "unknown quality 'low' (one of preview, medium, high, 4k)"),
                      (dict(voice="bogus"), "--voice: expected none, espeak, recorded:DIR or command:TEMPLATE, "
                                            "got 'bogus'")):
        with pytest.raises(RenderFailure) as caught:
            RenderOptions.parse(out=tmp_path / "out", **bad)
        assert (str(caught.value), caught.value.status) == (line, 2)


def test_a_bad_voice_is_one_error_line_at_the_cli(tmp_path, capsys):
    from lecture.cli import main

    assert main(["render", "--voice", "bogus", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --voice: expected none, espeak") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


# The worker protocol and the scheduling loop (no rendering) ---------------------------------
def test_a_scene_request_reaches_the_worker_as_it_was_made(tmp_path):
    from scenes import SCENES_BY_ID

    from lecture.render.protocol import SceneRequest, write_snapshot

    options = RenderOptions.parse(out=tmp_path / "out", quality="preview", voice="espeak", lang="en")
    run_dir = tmp_path / "run"
    from mathcore import load_data

    snapshot = write_snapshot(run_dir, load_data(None))
    request = preflight.scene_request(SCENES_BY_ID["title"], options, run_dir, ("k" * 64, {"quality": ["preview"]}))
    assert (request.stem, request.label, request.preset, request.data_file) == ("01-title", "01 title", (854, 480, 15),
                                                                               snapshot)
    argv, env = request.argv(), request.env({"PATH": "/bin", "NLL_LECTURE_VOICE": "stale"})
    assert argv[1:3] == ["-m", "lecture.render.worker"] and env["PYTHONHASHSEED"] == "0"
    seen = SceneRequest.from_environ(argv[3:], env)
    assert seen == SceneRequest(scene="title", stem="01-title", preset=(854, 480, 15), work=request.work, lang="en",
                                data_file=snapshot, tex_cache=request.tex_cache, voice=VoiceSpec("espeak"),
                                voice_cache=request.voice_cache)
    silent = preflight.scene_request(SCENES_BY_ID["title"], RenderOptions.parse(out=tmp_path / "out"), run_dir)
    assert "NLL_LECTURE_VOICE" not in silent.env({"NLL_LECTURE_VOICE": "stale"})
    assert SceneRequest.from_environ(silent.argv()[3:], silent.env({})).voice is None


def test_a_scene_result_round_trips_through_its_file(tmp_path):
    from lecture.render.protocol import SceneResult

    result = SceneResult(video={"duration_s": 2.5, "frames": 38}, codecs="avc1.64001e", cues=[[0, 900, "안녕"]],
                         beats=[], check={"beats": []}, poster_time_s=1.0, poster_score=0.5)
    result.to_file(tmp_path / "result.json")
    assert SceneResult.from_file(tmp_path / "result.json") == result and result.duration_s == 2.5
    assert "voice" not in result.to_dict() and not (tmp_path / "result.json.tmp").exists()


def test_the_scheduling_loop_stops_every_worker_on_the_first_failure(tmp_path):
    import io
    from concurrent.futures import Future

    from scenes import SCENES_BY_ID

    from lecture.render.executors import SceneExecutor, run_requests
    from lecture.render.options import SceneFailed
    from lecture.render.progress import Progress
    from lecture.render.protocol import SceneRequest

    class Fake(SceneExecutor):
        def __init__(self):
            self.futures, self.shut = [], None

        def submit(self, request, priority=0):
            future = Future()
            future.set_running_or_notify_cancel()
            if request.scene == "title":
                future.set_exception(SceneFailed("scene 01 title failed (exit status 1); log: x"))
            self.futures.append((request.scene, priority, future))
            return future

        def shutdown(self, wait=True, *, cancel_futures=False):
            self.shut = cancel_futures

    options = RenderOptions.parse(out=tmp_path / "out")
    requests = [(SCENES_BY_ID[i], preflight.scene_request(SCENES_BY_ID[i], options, tmp_path)) for i in ("closing", "title")]
    executor, stream = Fake(), io.StringIO()
    with pytest.raises(SceneFailed, match="01 title failed"):
        run_requests(executor, requests, Progress(stream, tty=False))
    assert [(scene, priority) for scene, priority, _ in executor.futures] == [("closing", 2), ("title", 1)]
    assert executor.shut is True  # the other scene's worker stopped, not waited for
    assert "start 12 closing" in stream.getvalue() and "start 01 title" in stream.getvalue()


def test_a_render_worker_queues_few_frames_per_segment(tmp_path):
    # manim's default queue (8 frames of 8.3 MB at 1080p per in-flight segment) set a worker's
    # peak memory; the worker asks for lecture/encoding.py's bound
    from manim import config, tempconfig

    from lecture.render import worker

    with tempconfig({}):
        assert config.encoder_queue_size == 8  # manim's default, which the worker must not keep
        worker.configure(320, 180, 15, tmp_path / "media")
        assert config.encoder_queue_size == encoding.ENCODER_QUEUE_SIZE == 2
        assert config.max_inflight_encoders == encoding.MAX_INFLIGHT_ENCODERS
