"""Scenes 7-12 keep the frame's reserved areas free (issue 18): at the end of every narration
beat, every box the scene publishes in its layout record (scenes/layout.py: every visible
top-level mobject and every text) lies inside the content box of scenes/theme.py, that is
outside the 5 % action-safe margins and above the caption band (the bottom 15 %).

One dry run per (scene, language, data file): the deck's data, and data far from it (metres
with 1000 samples, lopsided counts 1/199 and long labels, a story with other subjects).
"""

from __future__ import annotations

from typing import Any

import pytest

from scenes import SCENES_BY_ID, theme
from scene_checks import run_group, run_scene_once

# A box may touch the content box's edge: 0.01 units is half a pixel at 480p.
TOLERANCE = 0.01

SCENE_IDS = ("log-likelihood", "negative-log-likelihood", "phone-os", "gradient-descent", "nll-in-nlp", "closing")
DATA_FILES = (None, "metres_1000.toml", "tiny_lopsided.toml", "story_exam.toml")


def outside_content(beats: list[dict[str, Any]], tolerance: float = TOLERANCE) -> list[str]:
    """One line per box (at its first beat) that reaches into a margin or the caption band."""
    limits = (theme.CONTENT_LEFT, theme.CONTENT_BOTTOM, theme.CONTENT_RIGHT, theme.CONTENT_TOP)
    found: list[str] = []
    seen: set[tuple[str, str]] = set()
    for beat in beats:
        for item in [*beat.get("objects", []), *beat.get("texts", [])]:
            x0, y0, x1, y1 = item["box"]
            sides = [name for name, out in (("left", x0 < limits[0] - tolerance),
                                            ("caption band", y0 < limits[1] - tolerance),
                                            ("right", x1 > limits[2] + tolerance),
                                            ("top", y1 > limits[3] + tolerance)) if out]
            label = f"{item.get('name') or item.get('kind')} {str(item.get('text') or '')[:40]!r}"
            if sides and (label, ",".join(sides)) not in seen:
                seen.add((label, ",".join(sides)))
                found.append(f"{beat['key']}: {label} box {[round(v, 2) for v in item['box']]} "
                             f"past the {' and '.join(sides)}")
    return found


def test_the_rule_sees_a_box_in_the_caption_band_and_in_a_margin() -> None:
    inside = {"name": "Text", "text": "ok", "box": [-6.0, -2.5, 6.0, 3.5]}
    band = {"name": "Text", "text": "low", "box": [-1.0, -3.2, 1.0, -2.9]}
    edge = {"kind": "text", "text": "edge", "box": [-6.7, 0.0, -6.0, 0.5]}
    assert outside_content([{"key": "a_say", "objects": [inside], "texts": []}]) == []
    found = outside_content([{"key": "a_say", "objects": [inside, band], "texts": [edge]}])
    assert len(found) == 2 and "caption band" in found[0] and "left" in found[1]


def _data_id(data_file: str | None) -> str:
    return "deck" if data_file is None else data_file.removesuffix(".toml")


RUNS = [pytest.param(scene_id, lang, data_file, id=f"{scene_id}-{lang}-{_data_id(data_file)}",  # test_scenes runs it too
                     marks=[run_group(scene_id, lang, data_file), *([] if data_file is None else [pytest.mark.slow])])
        for scene_id in SCENE_IDS for lang in ("ko", "en") for data_file in DATA_FILES]


@pytest.mark.parametrize(("scene_id", "lang", "data_file"), RUNS)
def test_every_beat_keeps_the_margins_and_the_caption_band_free(scene_id, lang, data_file, monkeypatch,
                                                                manim_config) -> None:
    scene = run_scene_once(SCENES_BY_ID[scene_id], lang, data_file, monkeypatch)
    assert scene.layout_beats, "no beat recorded"
    problems = outside_content(scene.layout_beats)
    problems += SCENE_RULES.get(scene_id, lambda _scene: [])(scene)
    assert not problems, f"{scene_id} ({lang}, {_data_id(data_file)}):\n  " + "\n  ".join(problems)


# Rules of single scenes, on the same runs -----------------------------------------------
def _texts(beat: dict[str, Any]) -> list[dict[str, Any]]:
    return beat.get("texts", [])


def settings_keep_their_words(scene: Any) -> list[str]:
    """Scene 10: the settings row names its symbols ("learning rate η = 0.05  start p₀ = 0.9")
    whenever the values are short (EN dropped the words for the deck's 0.005 and 0.2)."""
    from scenes.s10_descent import plain_number

    descent = scene.results["descent"]
    if max(len(plain_number(descent["learning_rate"])), len(plain_number(descent["start"]))) > 6:
        return []  # long values: the symbols alone are allowed
    beat = next(b for b in scene.layout_beats if b["key"] == "rule_say")
    shown = {t["text"] for t in _texts(beat)}
    return [f"rule_say: the settings row lost its word {scene.word(key)!r}"
            for key in ("rate_label", "start_label") if scene.word(key) not in shown]


MIN_ANSWER_GAP = 0.25  # units between "y_i = 1" and the answer's frame (main's Korean deck frame: 0.17)


def answer_frame_clear_of_the_y_column(scene: Any) -> list[str]:
    """Scene 11: the frame around the correct token's row keeps clear of its "y_i = 1" (it
    touched it: "y₂ = 1" against the answer box)."""
    target = scene.target + 1
    beat = next(b for b in scene.layout_beats if b["key"] == "onehot_say")
    label = next(t for t in _texts(beat) if t["text"].replace(" ", "") == f"y_{{{target}}}=1")
    frames = [line["box"] for line in beat.get("lines", []) if line.get("kind") == "box"
              and line["box"][1] <= (label["box"][1] + label["box"][3]) / 2 <= line["box"][3]]
    gap = min((box[0] - label["box"][2] for box in frames), default=1.0)
    return [] if gap >= MIN_ANSWER_GAP else [f"onehot_say: the answer's frame is {gap:.2f} units from y_{target} = 1"]


SCENE_RULES = {"gradient-descent": settings_keep_their_words, "nll-in-nlp": answer_frame_clear_of_the_y_column}
