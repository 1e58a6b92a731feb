"""The pre-publish gate over one output folder: captions, layout, reserved areas, stillness, numbers, video.

Reads what the render published: manifest.json, the state file's per-scene check records
(the beats, the layout at every beat's end, the numbers shown with mathcore's values: see
lecture/render/worker.py), the captions, and the clips' and lecture's frames.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EXIT_BAD_INPUT, LectureError
from . import thresholds as T

__all__ = ["CheckError", "CheckOptions", "Finding", "check_folder", "format_finding"]


class CheckError(LectureError):
    """The folder cannot be checked (no manifest...): one line, exit status 2."""

    exit_status = EXIT_BAD_INPUT


@dataclass(frozen=True)
class CheckOptions:
    """What to check; ``strict``: warnings count as errors. ``stillness`` and ``video``
    decode the published files (the slow part)."""

    strict: bool = False
    stillness: bool = True
    video: bool = True
    reserved: bool = True  # ink in the caption band or the safe margins, on every frame, the poster and stills
    max_still_s: float = T.MAX_STILL_S


@dataclass(frozen=True)
class Finding:
    """One problem. ``where``: "scene 05 height-samples", "lecture" or a file; ``at_s`` the
    time in it (None: the whole of it); ``level`` "error" or "warning"."""

    where: str
    at_s: float | None
    message: str
    level: str = "error"

    def line(self) -> str:
        """``scene 05 height-samples 12.4 s: text "σ = 2.62 cm" overlaps "f(x;θ)"``"""
        at = "" if self.at_s is None else f" {self.at_s:.1f} s"
        return f"{self.where}{at}: {self.message}"


def format_finding(finding: Finding, strict: bool = False) -> str:
    """The line printed for a finding: warnings say so unless ``strict``."""
    level = "error" if strict else finding.level
    return finding.line() if level == "error" else f"warning: {finding.line()}"


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise CheckError(f"{path}: cannot be read ({err})") from None


def check_folder(out: Path, options: CheckOptions = CheckOptions()) -> list[Finding]:
    """Every finding for the published (or staged) folder ``out``, in lecture order."""
    from ..publish.assemble import MANIFEST, STATE_FILE

    out = Path(out)
    manifest = _load(out / MANIFEST)
    if not isinstance(manifest, dict) or "scenes" not in manifest:
        raise CheckError(f"{out}: no {MANIFEST} (not a folder published by nll-lecture render)")
    state = _load(out / STATE_FILE) or {}
    records = state.get("scenes", {}) if isinstance(state, dict) else {}
    findings: list[Finding] = []
    for scene in manifest["scenes"]:
        findings += _scene_findings(out, scene, (records.get(scene["id"]) or {}).get("check"), options)
    lecture = manifest.get("lecture", {})
    if lecture.get("complete"):
        findings += _lecture_caption_findings(out, manifest)
    if options.video:
        findings += _video_findings(out, manifest, records)
    return findings


def _scene_findings(out: Path, scene: dict[str, Any], record: dict[str, Any] | None,
                    options: CheckOptions) -> list[Finding]:
    from .. import captions
    from .layout import layout_problems
    from .numbers import number_problems

    where = f"scene {scene['index']:02d} {scene['id']}"
    findings: list[Finding] = []
    if not record:
        return [Finding(where, None, "no check record (rendered before the gate existed: render it again)")]
    # captions
    vtt = captions.parse((out / scene["captions"]).read_text(encoding="utf-8"))
    srt = captions.parse((out / scene["captions_srt"]).read_text(encoding="utf-8"))
    if vtt != srt:
        findings.append(Finding(where, None, f"{scene['captions']} and {scene['captions_srt']} differ"))
    beats = [captions.Cue(*beat) for beat in record.get("beats", [])]
    voiced = bool(scene.get("has_audio"))
    rules = captions.rules_for(scene.get("lang", "ko"))
    units = (record.get("story") or {}).get("units") or ()  # the data's unit and counter
    for problem in captions.cue_problems(vtt, beats, rules, voiced, units):
        findings.append(Finding(where, problem.at_ms / 1000, problem.message, problem.level))
    from .cuebreaks import cue_break_problems  # no cue ends between a number and its unit, inside a formula

    for at, message in cue_break_problems(vtt, beats, rules.max_line_chars, units):
        findings.append(Finding(where, at, message))
    # layout
    for at, message in layout_problems(record.get("layout", []), int(scene["width"]), int(scene["height"])):
        findings.append(Finding(where, at, message))
    # numbers
    for message in number_problems(record.get("numbers", [])):
        findings.append(Finding(where, None, f"number {message}"))
    # the deck's story in a lecture with other data (story.py)
    from .story import story_problems

    for at, message in story_problems(record.get("story"), record.get("beats", []), record.get("layout", [])):
        findings.append(Finding(where, at, message))
    # stillness
    if options.stillness:
        from .stillness import recorded_still_stretches, still_stretches

        # measured by the worker from the frames it rendered; decoded again only without that
        stretches = recorded_still_stretches(record.get("stillness"), options.max_still_s, scene.get("frames"))
        if stretches is None:
            stretches = still_stretches(out / scene["clip"], options.max_still_s)
        for start, end in stretches:
            findings.append(Finding(where, start, f"nothing on screen changes for {end - start:.1f} s "
                                                  f"({start:.1f}-{end:.1f} s; at most {options.max_still_s:g})"))
    if options.reserved:
        findings += _reserved_findings(out, scene, record, where)
    return sorted(findings, key=lambda f: (-1 if f.at_s is None else f.at_s))


def _reserved_findings(out: Path, scene: dict[str, Any], record: dict[str, Any], where: str) -> list[Finding]:
    """Ink in the caption band or the safe margins: on every frame (the worker's measure, or
    the clip decoded again without one), on the poster and on the beats' stills."""
    from ..present.beats import FRAMES_DIR
    from .reserved import clip_ink_runs, ink_findings, picture_findings, recorded_ink_runs

    measured = recorded_ink_runs(record.get("reserved"), scene.get("frames"))
    if measured is None:
        measured = clip_ink_runs(out / scene["clip"])
    findings = [Finding(where, at, message) for at, message in ink_findings(measured)]
    if scene.get("poster") and (out / scene["poster"]).is_file():
        for message in picture_findings(out / scene["poster"]):
            findings.append(Finding(where, None, f"poster: {message}"))
    stem = Path(scene["clip"]).stem
    stills = sorted((out / FRAMES_DIR / stem).glob("*.png")) if (out / FRAMES_DIR / stem).is_dir() else []
    inked = [(still.name, messages) for still in stills
             if (messages := picture_findings(still))]
    if inked:
        names = ", ".join(name for name, _ in inked[:3]) + (", …" if len(inked) > 3 else "")
        findings.append(Finding(where, None, f"{len(inked)} of {len(stills)} beat stills ({names}) have "
                                             f"{inked[0][1][0]}" + (" (the first)" if len(inked) > 1 else "")))
    return findings


def _lecture_caption_findings(out: Path, manifest: dict[str, Any]) -> list[Finding]:
    """lecture.vtt holds every scene's cues, line breaks included, moved to its start."""
    from .. import captions

    lecture = manifest["lecture"]
    expected = []
    for scene in manifest["scenes"]:
        shift = captions.ms_at_or_after(float(scene["start_s"]))  # as the publisher shifts them
        expected += [c.shifted(shift) for c in captions.parse((out / scene["captions"]).read_text(encoding="utf-8"))]
    found = captions.parse((out / lecture["captions"]).read_text(encoding="utf-8"))
    for i, (want, got) in enumerate(zip(expected, found)):
        if want != got:
            return [Finding(lecture["captions"], got.start_ms / 1000, f"cue {i + 1} differs from its scene's captions "
                                                                       f'("{got.text[:30]}")')]
    if len(expected) != len(found):
        return [Finding(lecture["captions"], None, f"{len(found)} cues, the scenes have {len(expected)}")]
    return []


def _video_findings(out: Path, manifest: dict[str, Any], records: dict[str, Any]) -> list[Finding]:
    from .video import colour_tags, keyframe_times, missing_keyframes, recorded_colour_tags, tag_problems

    lecture = manifest["lecture"]
    tags: dict[str, tuple[int, int, int]] = {}
    for scene in manifest["scenes"]:
        # the clips' tags as the worker read them from its files (cached with the scene)
        recorded = recorded_colour_tags((records.get(scene["id"]) or {}).get("check"))
        for key, name in (("clip", "clip.mp4"), ("webm", "clip.webm")):
            rel = scene[key]
            tags[rel] = recorded[name] if recorded and name in recorded else colour_tags(out / rel)
    for rel in [lecture[key] for key in ("video", "webm") if lecture.get(key)]:
        tags[rel] = colour_tags(out / rel)
    findings = [Finding(rel, None, message) for rel, message in tag_problems(tags)]
    if lecture.get("complete"):
        starts = {float(scene["start_s"]): scene for scene in manifest["scenes"]}
        for key in ("video", "webm"):
            keyframes, fps = keyframe_times(out / lecture[key])
            for start in missing_keyframes(keyframes, fps, list(starts)):
                scene = starts[start]
                findings.append(Finding(lecture[key], start, f"no keyframe at the start of chapter "
                                                             f"{scene['index']:02d} {scene['id']}"))
    return findings
