"""present.html: the lecture as a live presentation, one beat at a time.

One self-contained page (no network, no external files but the clips and stills it shows;
works opened from disk and from any server). It plays one beat of a scene's clip and pauses
on the beat's last frame; the lecturer advances with the keys clickers send:

=========================  ===============================================================
Right, Space, PageDown,    play the next beat (while a beat plays: jump to its last frame)
Down, Enter, click
Left, PageUp, Up           back to the start of the beat just played (again: the one before)
Home / End                 the first beat / the end of the last beat
digits, then Enter         the first beat of that scene (its number, 1-12)
B or .                     blank (black) screen, again to show it
F                          full screen
C                          captions (the beat's narration) on / off
S                          the speaker view in a second window
=========================  ===============================================================

``present.html?speaker`` is the speaker view (opened by S): the current beat's narration as
notes, the next beat's, the elapsed time and the clock, and a bar of beats (click one to go
there); it stays in step with the main window over a BroadcastChannel (and ``postMessage``
between the two windows, which also works where file:// pages get no shared channel), and
its keys drive the main window. ``?mute`` presents silently (a voiced render otherwise
plays each beat's voice), ``?captions`` starts with captions on, ``?format=webm`` plays the
WebM files.

A *step* is a beat as presented: it starts at the beat's first frame (a scene's first beat
at the clip's first frame) and ends at the next beat's start (a scene's last beat at its own
end: a scene's closing fade is not shown). Seeks go to the middle of a frame, so the frame
shown is exact whatever the container's time rounding.
"""

from __future__ import annotations

import json
from importlib import resources
from html import escape
from typing import Any, Mapping

__all__ = ["PRESENT_PAGE", "build", "deck"]

PRESENT_PAGE = "present.html"

_WORDS = {
    "ko": {"notes": "지금", "next": "다음", "elapsed": "경과", "clock": "시각", "end": "끝",
           "speaker": "발표자 보기", "help": "→ 다음 · ← 이전 · 번호+Enter 장면 · B 화면 끄기 · F 전체 화면 · C 자막 · S 발표자 보기",
           "scene": "장면", "none": "(장면 없음)"},
    "en": {"notes": "Now", "next": "Next", "elapsed": "Elapsed", "clock": "Clock", "end": "End",
           "speaker": "Speaker view", "help": "→ next · ← back · number+Enter scene · B blank · F full screen · C captions · S speaker view",
           "scene": "Scene", "none": "(no scenes)"},
}


def deck(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """What the page needs from the manifest: per scene its clips and its beats (frames).

    >>> d = deck({"lecture": {"title": "T", "lang": "en", "fps": 15, "has_audio": False}, "scenes": [
    ...     {"index": 1, "id": "title", "title": "Title", "clip": "c.mp4", "webm": "c.webm", "poster": "p.png",
    ...      "codecs": None, "fps": 15.0, "frames": 90, "has_audio": False,
    ...      "beats": [{"id": "01-title/a_say", "key": "a_say", "text": "A", "start_frame": 3, "end_frame": 40,
    ...                 "still": "frames/01-title/a_say.png"},
    ...                {"id": "01-title/b_say", "key": "b_say", "text": "B", "start_frame": 40, "end_frame": 80,
    ...                 "still": "frames/01-title/b_say.png"}]}]})
    >>> [(s["id"], s["start"], s["end"]) for s in d["steps"]]
    [('01-title/a_say', 0, 40), ('01-title/b_say', 40, 80)]
    """
    lecture = manifest["lecture"]
    scenes, steps = [], []
    for position, scene in enumerate(manifest.get("scenes", [])):
        scenes.append({"index": scene["index"], "id": scene["id"], "title": scene["title"], "clip": scene["clip"],
                       "webm": scene["webm"], "poster": scene["poster"], "codecs": scene.get("codecs"),
                       "fps": scene["fps"], "frames": scene["frames"], "first_step": len(steps)})
        beats = scene.get("beats") or []
        if not beats:  # rendered before beats were noted: the whole clip is one step
            steps.append({"scene": position, "id": f"{scene['index']:02d}-{scene['id']}", "text": "", "still": None,
                          "start": 0, "end": scene["frames"]})
            continue
        for number, beat in enumerate(beats):
            start = 0 if number == 0 else beat["start_frame"]
            end = beats[number + 1]["start_frame"] if number + 1 < len(beats) else beat["end_frame"]
            steps.append({"scene": position, "id": beat["id"], "text": beat["text"], "still": beat.get("still"),
                          "start": start, "end": min(max(end, start + 1), scene["frames"])})
    return {"title": lecture["title"], "lang": lecture["lang"], "has_audio": bool(lecture.get("has_audio")),
            "scenes": scenes, "steps": steps}


def _asset(name: str) -> str:
    """A file of the page's code (lecture/present/assets/), read from the installed package."""
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")




def _json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")


def build(manifest: Mapping[str, Any]) -> str:
    """present.html for ``manifest``."""
    data = deck(manifest)
    lang = data["lang"]
    words = _WORDS.get(lang, _WORDS["en"])
    title = escape(data["title"])
    first_poster = escape(data["scenes"][0]["poster"]) if data["scenes"] else ""
    from ..publish.webpage import page_start

    return "\n".join([
        *page_start(lang, title, _asset("present.css")),
        f'<div id="stage" title="{escape(words["help"])}">',
        f'<video id="video-a" poster="{first_poster}" playsinline></video>',
        '<video id="video-b" playsinline></video>',
        "</div>",
        '<div id="caption" aria-live="polite"></div>',
        '<div id="blank"></div>',
        '<div id="hud" aria-hidden="true"></div>',
        '<div id="jump" aria-hidden="true"></div>',
        '<main id="speaker" hidden>',  # the speaker view (present.js shows it): the page's main content
        f'<header><h1 class="big" id="where">{escape(words["none"]) if not data["steps"] else ""}</h1>'
        f'<span><span class="label">{words["elapsed"]}</span><span class="big" id="elapsed">0:00</span></span>'
        f'<span><span class="label">{words["clock"]}</span><span class="big" id="clock"></span></span></header>',
        f'<section class="panel"><h2>{words["notes"]}</h2><div id="notes"></div></section>',
        f'<section class="panel"><h2>{words["next"]}</h2><div id="next-notes"></div></section>',
        f'<nav id="bar" aria-label="{words["speaker"]}"></nav>',
        "</main>",
        f'<script type="application/json" id="deck">{_json(data)}</script>',
        f'<script type="application/json" id="words">{_json(words)}</script>',
        f"<script>{_asset('present.js')}</script>",
        "</body>",
        "</html>",
        "",
    ])
