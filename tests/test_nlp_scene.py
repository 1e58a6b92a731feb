"""Scene 11 (nll-in-nlp) with the data's [nlp] example, in both languages.

Fast runs (tests/scene_checks.py: construct() runs completely, nothing is encoded) with the
deck's example and with [nlp] sections at the edges: 8 tokens of 12 columns and a 40-column
context, 2 tokens of 6 Hangul, the correct token already most likely, a correct token with
a probability of 10^-27. Each run must keep everything in the frame, caption only the
scene's lines, show mathcore's numbers, overlap no two texts or bars, and light up the
correct token only once the narration reveals it. One preview render goes through
`nll-lecture render --scene nll-in-nlp`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scene_checks import narration_problems, off_frame, run_scene, use_data_text
from scenes import SCENES_BY_ID
from test_datafile_nlp import EIGHT_LONG, KOREAN_LONG
from test_scenes import number_problems

SPEC = SCENES_BY_ID["nll-in-nlp"]

CASES = {
    "deck": "",
    "eight-long": ('[nlp]\ncontext = "After the long storm ended, we found the"\ntokens = ['
                   + ", ".join(f'"{t}"' for t in EIGHT_LONG) + ']\nlogits = [0.3, 1.1, 2.0, -0.4, 0.9, -1.5, 0.1, 1.6]\n'
                   'correct = "refrigerator"\n'),
    "two-korean": ('[nlp]\ncontext = "비가 와서 우리는 집에서 영화를 보기로"\ntokens = ['
                   + ", ".join(f'"{t}"' for t in KOREAN_LONG) + ']\nlogits = [-0.5, 0.8]\ncorrect = "가나다라마바"\n'),
    "already-best": '[nlp]\ntokens = ["yes", "no"]\nlogits = [2.5, -1.0]\ncorrect = "yes"\n',
    "tiny-p": ('[nlp]\ntokens = ["a", "b", "c", "d", "e", "f", "g", "h"]\n'
               'logits = [-30, 30, 30, 30, 30, 30, 30, 30]\ncorrect = "a"\n'),
}
EXPECTED_BEATS = {  # the narration line that reveals the answer, and the descent's
    "deck": ("correct_say", "descent_say"),
    "eight-long": ("correct_say", "descent_say"),
    "two-korean": ("correct_say", "descent_say"),
    "already-best": ("correct_top_say", "descent_say"),
    "tiny-p": ("correct_say", "descent_flat_say"),
}


def _boxes(scene: Any) -> list[tuple[str, int, tuple[float, float, float, float]]]:
    """(description, top-level id, box) of every text, formula and filled bar on screen."""
    from manim import MathTex, Rectangle, SingleStringMathTex, Text

    found = []
    for top in [*scene.mobjects, *scene.foreground_mobjects]:
        taken: set[int] = set()
        for mob in top.get_family():
            if any(id(m) in taken for m in mob.get_family()[1:]) or id(mob) in taken:
                continue
            text_like = isinstance(mob, (Text, MathTex, SingleStringMathTex))
            bar = isinstance(mob, Rectangle) and mob.get_fill_opacity() > 0
            if not (text_like or bar) or len(mob.get_all_points()) == 0:
                continue
            taken.update(id(m) for m in mob.get_family())
            x0, y0 = mob.get_corner([-1, -1, 0])[:2]
            x1, y1 = mob.get_corner([1, 1, 0])[:2]
            label = getattr(mob, "text", None) or getattr(mob, "tex_string", None) or type(mob).__name__
            found.append((str(label)[:30], id(top), (x0, x1, y0, y1)))
    return found


def overlaps(scene: Any, margin: float = 0.02) -> list[str]:
    """Pairs of texts/formulas/bars from different groups whose boxes intersect."""
    boxes = _boxes(scene)
    problems = []
    for i, (a, top_a, (ax0, ax1, ay0, ay1)) in enumerate(boxes):
        for b, top_b, (bx0, bx1, by0, by1) in boxes[i + 1:]:
            if top_a == top_b:
                continue
            if ax0 < bx1 - margin and bx0 < ax1 - margin and ay0 < by1 - margin and by0 < ay1 - margin:
                problems.append(f"{a!r} overlaps {b!r}")
    return problems


def _scene_class_watching_the_highlight():
    """Scene 11, noting at the start of every narration beat which bars are highlighted."""
    from manim import ManimColor

    from scenes import theme
    from scenes.s11_nlp import NextTokenLoss

    class Watched(NextTokenLoss):
        def narrate(self, key, **fields):
            bars = getattr(self, "bars", [])
            lit = [i for i, bar in enumerate(bars) if ManimColor(bar.get_fill_color()) == theme.HIGHLIGHT]
            words = [i for i, w in enumerate(getattr(self, "token_words", []))
                     if ManimColor(w.get_color()) == theme.HIGHLIGHT]
            self.beats_seen = [*getattr(self, "beats_seen", []), (key, lit, words)]
            return super().narrate(key, **fields)

    return Watched


def use_case(case: str, lang: str, tmp_path: Path, monkeypatch: Any) -> None:
    """The language and one of :data:`CASES` as the data file (None: the deck's), through
    the environment as the CLI sets them."""
    use_data_text(monkeypatch, lang, CASES[case], tmp_path, f"{case}.toml")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_scene_11_with_each_example(case, lang, tmp_path, monkeypatch, manim_config) -> None:
    use_case(case, lang, tmp_path, monkeypatch)
    import scene_checks

    monkeypatch.setattr(scene_checks, "scene_class", lambda spec: _scene_class_watching_the_highlight())
    scene = run_scene(SPEC)

    problems = [f"off-frame at the end: {item}" for item in off_frame(scene)]
    problems += [f"narration: {item}" for item in narration_problems(scene, lang)]
    problems += [f"shown number: {item}" for item in number_problems(scene)]
    problems += [f"overlap at the end: {item}" for item in overlaps(scene)]
    assert not problems, f"{case} ({lang}):\n  " + "\n  ".join(problems)

    # Every number the scene recorded, and all of them: one per token at start and end.
    n = len(scene.example.tokens)
    assert {f"nlp_start_p_{i + 1}" for i in range(n)} | {f"nlp_final_p_{i + 1}" for i in range(n)} <= set(scene.shown_numbers)

    # Nothing is highlighted before the beat that reveals the answer; then only the answer.
    reveal, descent = EXPECTED_BEATS[case]
    keys = [key for key, _, _ in scene.beats_seen]
    assert reveal in keys and descent in keys, keys
    at = keys.index(reveal)
    assert all(lit == [] and words == [] for _, lit, words in scene.beats_seen[:at + 1]), scene.beats_seen
    target = scene.example.target
    assert all(lit == [target] and words == [target] for _, lit, words in scene.beats_seen[at + 1:]), scene.beats_seen

    # The blank is the last thing on the sentence line, and the answer fills it.
    captions = [sub.content for sub in scene.renderer.file_writer.subcaptions]
    assert any(scene.example.correct in line for line in captions)
    if lang == "ko":
        assert any(getattr(m, "text", "") == "손실" for m in scene.mobjects for m in m.get_family())


def _frames(video: Path, times: list[float], out: Path) -> list[Path]:
    import av

    paths = []
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        wanted = sorted(times)
        for frame in container.decode(stream):
            if wanted and frame.time >= wanted[0]:
                path = out / f"frame_{wanted.pop(0):05.1f}.png"
                frame.to_image().save(path)
                paths.append(path)
    return paths


@pytest.mark.slow
def test_preview_render_through_the_cli_with_eight_long_tokens(tmp_path) -> None:
    """`nll-lecture render --scene nll-in-nlp --quality preview` with an 8-token [nlp]: the
    clip, its captions naming the answer, and frames that are not blank."""
    import numpy as np
    from PIL import Image

    data = tmp_path / "eight.toml"
    data.write_text(CASES["eight-long"], encoding="utf-8")
    out = tmp_path / "out"
    script = Path(sys.executable).with_name("nll-lecture")
    done = subprocess.run([str(script), "render", "--quality", "preview", "--scene", "nll-in-nlp", "--lang", "en",
                           "--data", str(data), "--jobs", "1", "--out", str(out)],
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-2000:]
    clip = next((out / "clips").glob("*nll-in-nlp.mp4"))
    from lecture.captions import parse

    cues = parse(next((out / "captions").glob("*nll-in-nlp.vtt")).read_text(encoding="utf-8"))
    captions = " ".join(cue.text.replace("\n", " ") for cue in cues)  # cues carry subtitle line breaks
    assert "“refrigerator”" in captions and "The loss is the negative log" in captions
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["results"]["nlp"]["correct"] == "refrigerator"
    frames = _frames(clip, [2.0, 12.0, 30.0], tmp_path)
    assert len(frames) == 3
    for path in frames:
        pixels = np.asarray(Image.open(path).convert("L"), dtype=float)
        assert pixels.std() > 5, f"{path.name} looks blank"


def test_the_overlap_check_sees_two_texts_on_each_other() -> None:
    from manim import Rectangle, Scene, Text, tempconfig

    with tempconfig({"dry_run": True, "progress_bar": "none"}):
        scene = Scene(skip_animations=True)
    scene.add(Text("loss"), Text("p(mat)").shift([3.0, 0, 0]))
    assert overlaps(scene) == []
    scene.add(Rectangle(width=1, height=0.3, fill_opacity=0.8).shift([0.1, 0, 0]))
    assert overlaps(scene) == ["'loss' overlaps 'Rectangle'"]
