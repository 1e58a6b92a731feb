"""Running a lecture scene fast, and the checks every scene must pass.

``run_scene`` builds the scene the way ``manim render`` would, but with
``skip_animations=True`` and ``dry_run=True``: every ``construct`` line runs, every
animation is begun, interpolated to its end and finished (updaters included), the scene
clock advances by each animation's run time, subcaptions are collected, yet no frame is
encoded and nothing is written. Measured on scene 11 (720p30 render ~20 s): all frames in
a dry run at 240p ~26 s; skip + dry run ~4 s; a 64x36 frame or a no-op camera saves nothing
more (the time goes into building mobjects and copying them for animations).
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lecture import texcache
from scenes import DATA_ENV, LANG_ENV, SceneSpec, strings
from scenes.number_format import minus_signs

DATA_DIR = Path(__file__).parent / "data"

# TeX SVGs shared by the in-process scene runs, scene_checks' children and the renders: the
# user's cache the render worker fills (lecture/texcache.py). A formula costs LuaLaTeX ~3
# CPU-s; each xdist worker, each child and each frames_comparison test (its own tex_dir)
# compiled every formula again. An SVG's name is a hash of its whole TeX source (template
# included): a cached SVG is the one a compile would write. Fixed when the tests start (a
# test that points XDG_CACHE_HOME elsewhere does not move it).
TEX_CACHE = texcache.user_cache()


@contextmanager
def shared_tex(tex_dir: Path) -> Iterator[Path]:
    """``tex_dir`` starts with the cached SVGs, and its new ones go to the cache afterwards:
    atomic per file (texcache.seed hard-links; texcache.share writes a temp file and renames
    it), so xdist workers adding the same SVG never leave a half-written one. Only SVGs with
    their .tex beside them are shared (frames_comparison's tex_dir holds Pango's SVGs too).
    Formulas are drawn as renders draw them (manim patch 7: glyphs as paths, the form the
    cache holds), for the rest of this process."""
    from scenes import manim_patches

    manim_patches.install_path_glyphs()
    seeded = texcache.seed(TEX_CACHE, tex_dir)
    try:
        yield tex_dir
    finally:
        not_tex = {svg.name for svg in tex_dir.glob("*.svg") if not svg.with_suffix(".tex").exists()}
        texcache.share(TEX_CACHE, tex_dir, seeded | not_tex)


# Fast mode: see the module docstring. Low resolution and 30 fps (waits shorter than one
# frame are stretched by manim, so the scene clock stays close to a real render's).
FAST_CONFIG: dict[str, Any] = {
    "dry_run": True,
    "disable_caching": True,
    "pixel_width": 427,
    "pixel_height": 240,
    "frame_rate": 30,
    "progress_bar": "none",
    "verbosity": "WARNING",
}

# The timeline's still stretches are shorter than the frames' by up to this much (an
# animation's last frames change by less than the frame test's level; frames are sampled
# 5 times a second): 0.57 s at most on the 12 scenes of a preview render, checked against a
# real render in tests/test_stillness_timeline.py. The dry runs allow MAX_STILL_S less this.
TIMELINE_STILL_MARGIN_S = 0.75

# How far (scene units) a visible point may stick out of the frame: 0.02 is ~1 px at 480p.
FRAME_TOLERANCE = 0.02
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def scene_class(spec: SceneSpec) -> type:
    """The scene's class, imported by module path (fails clearly if it does not exist yet),
    with the scene patches a render has (scenes/manim_patches.py: same frames, faster)."""
    from scenes import manim_patches

    manim_patches.install_digit_copy()
    manim_patches.install_vectorized_subpaths()
    manim_patches.install_path_glyphs()  # a formula's SVG the same bytes alone or in a batch
    manim_patches.install_path_drawing()  # cairo paths set from Python floats: the same calls
    module = importlib.import_module(spec.import_path)
    return getattr(module, spec.scene_class)


def use_data_text(monkeypatch: Any, lang: str, text: str | None, folder: Path, name: str = "data.toml") -> None:
    """The language and ``text`` written as the data file (None: the deck's data), through
    the environment as the CLI sets them."""
    monkeypatch.setenv(LANG_ENV, lang)
    if text is None:
        monkeypatch.delenv(DATA_ENV, raising=False)
    else:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(DATA_ENV, str(path))


def use_lecture(monkeypatch: Any, lang: str, data_file: str | None) -> None:
    """Choose language and data file the way the CLI does: through the environment."""
    monkeypatch.setenv(LANG_ENV, lang)
    if data_file is None:
        monkeypatch.delenv(DATA_ENV, raising=False)
    else:
        monkeypatch.setenv(DATA_ENV, str(DATA_DIR / data_file))


def run_scene(spec: SceneSpec, **config_overrides: Any) -> Any:
    """Construct the scene completely in fast mode; return the finished scene, with its play
    timeline in ``scene.play_timeline`` (see :func:`record_timeline`)."""
    from manim import tempconfig

    cls = scene_class(spec)
    with tempconfig({**FAST_CONFIG, **config_overrides}):
        prefetch_formulas(cls)
        scene = cls(skip_animations=True)
        record_timeline(scene)
        scene.render()
    return scene


_PREFETCHED: set[tuple[str, str | None, str | None, str]] = set()


def prefetch_formulas(cls: type, tex_dir: Path | None = None, media_dir: Path | None = None) -> None:
    """The render worker's first pass (lecture/texbatch.py) for scene class ``cls``: the
    formulas the tex folder lacks in one LuaLaTeX run, not one run each (on a fresh machine,
    most of a scene's first fast run); once per scene, data, language and tex folder in this
    process. The tex folder is manim's current one, or ``tex_dir`` (frames_comparison's: the
    pass then runs with ``media_dir`` for its media). The one way tests batch formulas;
    sharing the SVGs between processes is :func:`shared_tex`."""
    from manim import config, tempconfig

    if tex_dir is not None:
        with tempconfig({"tex_dir": str(tex_dir), "media_dir": str(media_dir or tex_dir), "progress_bar": "none",
                         "verbosity": "WARNING"}):
            prefetch_formulas(cls)
        return
    key = (f"{cls.__module__}.{cls.__qualname__}", os.environ.get(DATA_ENV), os.environ.get(LANG_ENV),
           str(config.get_dir("tex_dir")))
    if key in _PREFETCHED:
        return
    _PREFETCHED.add(key)
    from lecture.texbatch import prefetch

    prefetch(cls)


# The last finished run, for tests that only read it (tests/test_scenes.py and
# tests/test_scene_content_box.py check the same (scene, language, data file) runs: one
# xdist_group each, see :func:`run_group`, so under ``--dist loadgroup`` the second test
# finds the first one's scene). One kept: a finished scene holds all its mobjects.
_LAST_RUN: dict[tuple[str, str, str | None], Any] = {}


def run_scene_once(spec: SceneSpec, lang: str, data_file: str | None, monkeypatch: Any) -> Any:
    """:func:`use_lecture` and :func:`run_scene` with the default fast config, or the scene
    the previous caller of this function built for the same scene, language and data file.
    Only for tests that read the finished scene and change nothing in it."""
    use_lecture(monkeypatch, lang, data_file)
    key = (spec.id, lang, data_file)
    if key not in _LAST_RUN:
        _LAST_RUN.clear()
        _LAST_RUN[key] = run_scene(spec)
    return _LAST_RUN[key]


def run_group(scene_id: str, lang: str, data_file: str | None) -> Any:
    """The xdist_group mark of the tests that share one :func:`run_scene_once` run."""
    import pytest

    return pytest.mark.xdist_group(f"run-{scene_id}-{lang}-{data_file or 'deck'}")


def record_timeline(scene: Any) -> Any:
    """Note every ``play`` call of ``scene`` (``wait`` included) in ``scene.play_timeline``
    as (start_s, end_s, still): ``still`` when manim draws one frozen frame throughout (a
    wait with nothing time-based on screen, the renderer's own test). The stillness rule
    on this timeline: :func:`lecture.check.stillness.timeline_still_stretches`."""
    scene.play_timeline = []
    play = scene.play

    def timed_play(*args: Any, **kwargs: Any) -> None:
        start = float(scene.time)
        play(*args, **kwargs)
        still = bool(scene.animations) and scene.is_current_animation_frozen_frame()
        scene.play_timeline.append((start, float(scene.time), still))

    scene.play = timed_play
    return scene


def still_problems(scene: Any, max_still_s: float | None = None) -> list[str]:
    """Stretches of the scene's play timeline with nothing changing on screen, longer than
    the gate allows (the gate measures the same on a render's frames)."""
    from lecture.check import thresholds
    from lecture.check.stillness import timeline_still_stretches

    limit = thresholds.MAX_STILL_S - TIMELINE_STILL_MARGIN_S if max_still_s is None else max_still_s
    return [f"nothing on screen changes for {end - start:.1f} s ({start:.1f}-{end:.1f} s; at most {limit:g})"
            for start, end in timeline_still_stretches(scene.play_timeline, limit, float(scene.time))]


# Off-frame -------------------------------------------------------------------------------
@dataclass(frozen=True)
class OffFrame:
    mobject: str
    text: str
    box: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max

    def __str__(self) -> str:
        x0, x1, y0, y1 = self.box
        label = f" {self.text!r}" if self.text else ""
        return f"{self.mobject}{label} spans x [{x0:.2f}, {x1:.2f}], y [{y0:.2f}, {y1:.2f}]"


def _is_visible(mob: Any) -> bool:
    """A mobject that draws something: some opacity in its fill or (non-zero width) stroke."""
    from manim import VMobject

    if not isinstance(mob, VMobject):
        return getattr(mob, "opacity", 1.0) != 0  # images, point clouds
    fill = mob.get_fill_opacities()
    stroke = mob.get_stroke_opacities()
    has_fill = len(fill) and float(max(fill)) > 0
    has_stroke = len(stroke) and float(max(stroke)) > 0 and mob.get_stroke_width() > 0
    return bool(has_fill or has_stroke)


def _describe(top: Any) -> tuple[str, str]:
    text = getattr(top, "text", None) or getattr(top, "tex_string", None) or ""
    return type(top).__name__, str(text)[:60]


def iter_drawn(scene: Any) -> Iterator[tuple[Any, Any]]:
    """(top-level mobject, family member with points) for everything the camera would draw."""
    from manim import ValueTracker

    for top in [*scene.mobjects, *scene.foreground_mobjects]:
        for mob in top.get_family():
            if isinstance(mob, ValueTracker) or len(mob.points) == 0:
                continue  # trackers keep their number in .points; groups have no points
            if _is_visible(mob):
                yield top, mob


def off_frame(scene: Any, tolerance: float = FRAME_TOLERANCE) -> list[OffFrame]:
    """Every top-level mobject with a visible part outside the camera's frame."""
    camera = scene.camera
    cx, cy = float(camera.frame_center[0]), float(camera.frame_center[1])
    half_w, half_h = camera.frame_width / 2 + tolerance, camera.frame_height / 2 + tolerance
    found: dict[int, OffFrame] = {}
    for top, mob in iter_drawn(scene):
        points = mob.points
        x0, x1 = float(points[:, 0].min()), float(points[:, 0].max())
        y0, y1 = float(points[:, 1].min()), float(points[:, 1].max())
        if x0 < cx - half_w or x1 > cx + half_w or y0 < cy - half_h or y1 > cy + half_h:
            name, text = _describe(top)
            previous = found.get(id(top))
            if previous is not None:  # widen to the union of the offending parts
                px0, px1, py0, py1 = previous.box
                x0, x1, y0, y1 = min(x0, px0), max(x1, px1), min(y0, py0), max(y1, py1)
            found[id(top)] = OffFrame(name, text, (x0, x1, y0, y1))
    return list(found.values())


# Narration -------------------------------------------------------------------------------
def _template_pattern(template: str) -> re.Pattern[str]:
    """A narration template as a regex: literal text, any {field} matches some text."""
    parts = re.split(r"\{[^{}]*\}", template)
    return re.compile("(?s)" + ".+?".join(re.escape(p) for p in parts) + r"\Z")


def data_strings(data: Any) -> list[str]:
    """Text a user's data file puts into narration (labels, unit, title...): any language."""
    from mathcore.story import own_words

    return own_words(data)  # the title, unit, labels, story words, the NLP example


def narration_problems(scene: Any, lang: str) -> list[str]:
    """Captions: at least one; each one of this scene's *_say lines in ``lang`` (so all in
    that language; Korean ones contain Hangul, English ones none outside the user's data);
    each cue inside the scene's duration, in order, not overlapping the previous one."""
    problems: list[str] = []
    subtitles = list(scene.renderer.file_writer.subcaptions)
    if not subtitles:
        return ["no subcaption at all"]
    table = strings(scene.scene_id, lang)
    # a line is spoken and captioned with its numbers' signs as the screen writes them
    patterns = {key: _template_pattern(minus_signs(value)) for key, value in table.items() if key.endswith("_say")}
    duration = scene.time
    previous_end = 0.0
    for sub in subtitles:
        content, start, end = sub.content, sub.start.total_seconds(), sub.end.total_seconds()
        where = f"caption {content[:50]!r} [{start:.2f}-{end:.2f}s]"
        if not any(p.match(content) for p in patterns.values()):
            problems.append(f"{where}: not one of the scene's {lang} narration lines")
        if lang == "ko" and not HANGUL.search(content):
            problems.append(f"{where}: Korean caption without Hangul")
        if lang == "en":
            stripped = content
            for value in data_strings(scene.data):
                stripped = stripped.replace(value, "")
            if HANGUL.search(stripped):
                problems.append(f"{where}: English caption contains Hangul")
        if not content.strip():
            problems.append(f"{where}: empty caption")
        if start < -1e-6 or end > duration + 1e-6 or end <= start:
            problems.append(f"{where}: outside the scene's 0-{duration:.2f}s or empty")
        if start < previous_end - 1e-6:
            problems.append(f"{where}: starts before the previous caption ends ({previous_end:.2f}s)")
        previous_end = max(previous_end, end)
    return problems


# Shown numbers: the rules live in the pre-publish gate (lecture/check/numbers.py) ---------
from lecture.check.numbers import Expected, Within, compare_numbers, digits_tolerance  # noqa: E402,F401


# Sweep: a scene run in its own process, bounded in time and memory ------------------------
# CPU seconds, not wall time (a loaded CI machine must not fail it): a dry run takes 3-40 CPU-s
# (100 000 samples the most); a runaway (a million ticks) never ends.
SWEEP_SECONDS_PER_SCENE = 120
SWEEP_MEMORY_BYTES = 3 << 30         # address space of the child (RLIMIT_AS): 3 GiB
LONG_DIGITS = re.compile(r"\d{20,}")  # counts have at most 16 digits; 1e300 must not be 301


TEX_DECIMAL = re.compile(r"\d\.\d")


def tex_number_problems(scene: Any) -> list[str]:
    """Numbers set in TeX on screen at the end: the lecture writes every number with a
    decimal point in its sans number style (readouts, labels, theta = (mu, sigma) = ...)."""
    from manim import SingleStringMathTex

    found = []
    for top, _ in iter_drawn(scene):
        for mob in top.get_family():
            tex = getattr(mob, "tex_string", None)
            if isinstance(mob, SingleStringMathTex) and tex and TEX_DECIMAL.search(tex) and tex not in found:
                found.append(tex)
    return [f"number set in TeX: {tex[:60]!r}" for tex in found]


def digit_run_problems(scene: Any) -> list[str]:
    """Numbers written out in full where they should be scientific: any caption or text on
    screen at the end with a run of 20 or more digits."""
    texts = [sub.content for sub in scene.renderer.file_writer.subcaptions]
    for top, _ in iter_drawn(scene):
        texts.append(str(getattr(top, "text", None) or getattr(top, "tex_string", None) or ""))
    return [f"{found.group(0)[:30]}... ({len(found.group(0))} digits) in {text[:60]!r}"
            for text in texts for found in [LONG_DIGITS.search(text)] if found]


def _sweep_child(data: str, lang: str, scene_ids: list[str], media_dir: str, seconds: int, memory: int) -> int:
    """The child of :func:`sweep_scenes`: one JSON line per scene on stdout."""
    import json
    import os
    import resource
    import signal
    import time

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    os.environ[LANG_ENV] = lang
    os.environ[DATA_ENV] = data

    def alarm(*_: Any) -> None:
        raise TimeoutError(f"no end after {seconds} CPU-s")

    signal.signal(signal.SIGPROF, alarm)  # ITIMER_PROF counts this process's CPU time
    from scenes import SCENES_BY_ID
    from test_scenes import number_problems

    for scene_id in scene_ids:
        started = time.monotonic()
        cpu_started = time.process_time()
        signal.setitimer(signal.ITIMER_PROF, seconds)
        try:
            scene = run_scene(SCENES_BY_ID[scene_id], media_dir=media_dir)
            problems = [f"off-frame at the end: {item}" for item in off_frame(scene)]
            problems += [f"narration: {item}" for item in narration_problems(scene, lang)]
            problems += [f"shown number: {item}" for item in number_problems(scene)]
            problems += [f"digits: {item}" for item in digit_run_problems(scene)]
        except BaseException as err:  # noqa: BLE001 (MemoryError and the alarm included)
            problems = [f"{type(err).__name__}: {str(err)[:300]}"]
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(json.dumps({"scene": scene_id, "seconds": round(time.monotonic() - started, 1),
                          "cpu_seconds": round(time.process_time() - cpu_started, 1), "peak_mib": peak,
                          "problems": problems}), flush=True)
    return 0


def sweep_scenes(data: Path, lang: str, scene_ids: list[str], media_dir: Path,
                 seconds: int = SWEEP_SECONDS_PER_SCENE, memory: int = SWEEP_MEMORY_BYTES) -> dict[str, dict]:
    """Construct each scene (fast dry run) with this data file and language in a child
    process limited to ``memory`` bytes of address space and ``seconds`` per scene; return
    {scene id: {"seconds", "peak_mib", "problems"}} (a scene the child never reported on
    has the child's exit as its problem)."""
    import json
    import subprocess
    import sys

    here = Path(__file__).parent
    command = [sys.executable, str(Path(__file__)), "sweep", str(data), lang, str(media_dir), str(seconds), str(memory),
               *scene_ids]
    env = {**__import__("os").environ, "PYTHONPATH": f"{here.parent}{__import__('os').pathsep}{here}"}
    try:
        with shared_tex(media_dir / "Tex"):  # manim's tex_dir in the child
            done = subprocess.run(command, capture_output=True, text=True, timeout=4 * seconds * len(scene_ids) + 120,
                                  cwd=here.parent, env=env)
        out, tail = done.stdout, f"exit status {done.returncode}: {done.stderr[-600:]}"
    except subprocess.TimeoutExpired as err:
        out = err.stdout.decode() if isinstance(err.stdout, bytes) else (err.stdout or "")
        tail = f"the child did not end in {err.timeout} s"
    reports = {}
    for line in out.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
            reports[report["scene"]] = report
    for scene_id in scene_ids:
        reports.setdefault(scene_id, {"seconds": None, "peak_mib": None, "problems": [f"no report: {tail}"]})
    return reports


# Frames that must not depend on PYTHONHASHSEED ------------------------------------------
FRAME_DIGEST_CONFIG: dict[str, Any] = {**FAST_CONFIG, "pixel_width": 320, "pixel_height": 180, "frame_rate": 6}


def _frames_child(scene_id: str, media_dir: str) -> int:
    """Every frame of the scene (dry run, 320x180 at 6 fps, animations played): one digest
    per frame on stdout. Draw order, z-order and every pixel count."""
    import hashlib

    from manim import tempconfig
    from manim.renderer.cairo_renderer import CairoRenderer

    from scenes import SCENES_BY_ID

    digests: list[str] = []

    def add_frame(self, frame, num_frames: int = 1) -> None:  # noqa: ARG001 (nothing is written)
        digests.append(hashlib.sha256(frame.tobytes()).hexdigest()[:16])

    CairoRenderer.add_frame = add_frame
    cls = scene_class(SCENES_BY_ID[scene_id])
    with tempconfig({**FRAME_DIGEST_CONFIG, "media_dir": media_dir}):
        cls().render()
    print(" ".join(digests))
    return 0


def frame_digests(scene_id: str, lang: str, hash_seed: str, media_dir: Path, data: Path | None = None) -> list[str]:
    """The frame digests of one scene rendered in a child with this PYTHONHASHSEED."""
    import os
    import subprocess
    import sys

    here = Path(__file__).parent
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, LANG_ENV: lang,
           "PYTHONPATH": f"{here.parent}{os.pathsep}{here}"}
    env.pop(DATA_ENV, None)
    if data is not None:
        env[DATA_ENV] = str(data)
    with shared_tex(media_dir / "Tex"):  # manim's tex_dir in the child
        done = subprocess.run([sys.executable, str(Path(__file__)), "frames", scene_id, str(media_dir)],
                              capture_output=True, text=True, timeout=900, cwd=here.parent, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 4 and sys.argv[1] == "frames":
        raise SystemExit(_frames_child(sys.argv[2], sys.argv[3]))
    if len(sys.argv) > 6 and sys.argv[1] == "sweep":
        _, _, data_arg, lang_arg, media_arg, seconds_arg, memory_arg, *ids = sys.argv
        raise SystemExit(_sweep_child(data_arg, lang_arg, ids, media_arg, int(seconds_arg), int(memory_arg)))
    raise SystemExit("usage: scene_checks.py sweep DATA LANG MEDIA_DIR SECONDS MEMORY_BYTES SCENE_ID...")


# The pre-publish gate's rules on a constructed scene (lecture/check) --------------------
def gate_problems(scene: Any, lang: str) -> list[str]:
    """What ``nll-lecture check`` would report for this scene's layout, captions and
    stillness (the same functions it runs on a render): overlapping texts, the 5% safe
    margin and the caption band (bottom 15%), x-height at 720p at the end of every beat; the
    narration split into cues by the subtitle rules, with the data's unit and counter, and no
    cue ending between a number and its unit or inside a formula; no still stretch longer than the gate allows, measured on the play
    timeline (:func:`still_problems`, with TIMELINE_STILL_MARGIN_S to spare)."""
    from lecture import captions
    from lecture.check.cuebreaks import cue_break_problems
    from lecture.check.layout import layout_problems
    from lecture.check.story import story_record
    from scenes.data import current_data

    problems = [f"layout {at:.1f} s: {message}"
                for at, message in layout_problems(list(getattr(scene, "layout_beats", [])), 1280, 720)]
    beats = captions.clamp_cues([(sub.start.total_seconds(), sub.end.total_seconds(), sub.content)
                                 for sub in scene.renderer.file_writer.subcaptions], float(scene.time))
    rules = captions.rules_for(lang)
    units = story_record(current_data()[0], lang)["units"]  # the data's unit and counter, as the worker splits
    cues = captions.split_beats(beats, rules, units)
    problems += [f"caption: {problem}" for problem in captions.cue_problems(cues, beats, rules, units=units)]
    problems += [f"caption {at:.1f} s: {message}"  # the gate's cue-break rule (lecture/check/cuebreaks.py)
                 for at, message in cue_break_problems(cues, beats, rules.max_line_chars, units)]
    if hasattr(scene, "play_timeline"):  # run_scene records it
        problems += [f"stillness: {problem}" for problem in still_problems(scene)]
    return problems



# Narration equals screen: a number read out is written as it is shown ----------------------
DECIMAL_NUMBER = re.compile(r"-?\d+\.\d+(?:×10(?:\^)?-?\d+)?")
_SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def decimal_numbers(text: str) -> list[str]:
    """The decimal numbers in a caption, a text or a formula, each written one way: a real
    minus or a hyphen as "-", "1.25 × 10¹⁵" / "1.25 \\times 10^{15}" as "1.25×10^15"."""
    plain = (text.replace("−", "-").replace("\\times", "×").replace("{", "").replace("}", "")
             .replace(" ", "").replace("\u00a0", "").translate(_SUPERSCRIPTS))
    return DECIMAL_NUMBER.findall(plain.replace("×10^", "×10").replace("×10", "×10^"))


def _value(number: str) -> tuple[float, float]:
    """(value, half a unit of its last digit) of a :func:`decimal_numbers` number."""
    mantissa, _, exponent = number.partition("×10^")
    scale = 10.0 ** int(exponent or 0)
    decimals = len(mantissa.split(".")[1])
    return float(mantissa) * scale, 0.5 * 10.0**-decimals * scale


def _significant(number: str) -> int:
    return len(number.partition("×")[0].replace("-", "").replace(".", "").lstrip("0"))


def narrated_number_problems(scene: Any) -> list[str]:
    """A number the narration reads that the screen shows too is written the same: no
    "-0.9368" read while "-0.937" is shown and "-0.9368" nowhere. A narrated number and a
    shown one (each of 3 or more significant digits: 0.7 and 0.6960 are p-hat and a p) are
    the same quantity when they agree within the coarser one's rounding."""
    shown: dict[str, tuple[float, float]] = {}
    for beat in getattr(scene, "layout_beats", []):
        for text in beat["texts"]:
            for number in decimal_numbers(text["text"]):
                if _significant(number) >= 3:
                    shown[number] = _value(number)
    problems = []
    for sub in scene.renderer.file_writer.subcaptions:
        for number in decimal_numbers(sub.content):
            if _significant(number) < 3 or number in shown:  # shown as read (a tick near it is no matter)
                continue
            value, half = _value(number)
            for other, (shown_value, shown_half) in shown.items():
                if other != number and abs(value - shown_value) <= max(half, shown_half) * (1 + 1e-9):
                    problems.append(f"narration reads {number} where the screen shows {other}: {sub.content[:60]!r}")
    return problems
