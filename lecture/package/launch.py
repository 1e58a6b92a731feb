"""The lecture page inside a package (SCORM's SCO, the Common Cartridge's web content): the
full lecture with its captions and chapters, the questions (lecture/publish/assets/quiz.js),
links to the handout, the companion page (explore.html) and the caption file, and, for SCORM, the runtime (assets/scorm.js).
The page is ``assets/launch.html`` filled in; it works opened from disk too (captions and
chapters are embedded as data: URLs, as in index.html)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template
from typing import Any

from ..publish import webpage
from .source import Published, asset

PAGE = "index.html"
MASTERY_SCORE = 80  # percent of the questions right to pass (SCORM 1.2 masteryscore; 2004: 0.8)


def _words(lang: str) -> dict[str, str]:
    from scenes.text import strings

    table = strings("questions", lang)
    return {key[4:]: text for key, text in table.items() if key.startswith("pkg_")}


def files(published: Published) -> dict[str, Path]:
    """The files of OUT the page plays or links to, by their path inside the package."""
    lecture = published.lecture
    names = [lecture["video"], lecture["webm"], lecture["captions"], lecture["chapters"]]
    if published.manifest["scenes"]:
        names.append(published.manifest["scenes"][0]["poster"])
    if published.handout():
        names.append(published.handout())
    if published.explore():
        names.append(published.explore())
    return {name: published.path(name) for name in names}


def build(published: Published, scorm: str | None) -> str:
    """The page's HTML; ``scorm`` is "1.2", "2004" or None (no LMS runtime)."""
    manifest = published.manifest
    lecture = published.lecture
    lang = published.lang
    words = _words(lang)
    chapters_label = words["chapters"]
    items = []
    for scene in manifest["scenes"]:
        start, end = scene["start_s"], scene["start_s"] + scene["duration_s"]
        items.append(
            f'<li data-start="{start:.3f}" data-end="{end:.3f}"><button type="button">'
            f'<span class="time">{webpage._clock(start)}</span><span>{escape(scene["title"])}</span></button></li>')
    links = [f'<a href="{escape(lecture["captions"])}" download>{escape(words["captions_file"])}</a>']
    if published.handout():
        links.insert(0, f'<a href="{escape(published.handout())}" target="_blank" rel="noopener">{escape(words["handout"])}</a>')
    if published.explore():
        links.insert(0, f'<a href="{escape(published.explore())}" target="_blank" rel="noopener">{escape(words["explore"])}</a>')
    config: dict[str, Any] = {"scorm": scorm, "mastery": MASTERY_SCORE, "words": words}
    fields = {
        "lang": lang,
        "title": escape(published.title),
        "format": escape(webpage.video_format(lecture) + " · " + webpage._clock(lecture["duration_s"])),
        "style": webpage.asset("player.css") + asset("launch.css") + webpage.asset("quiz.css"),
        "poster": escape(manifest["scenes"][0]["poster"]) if manifest["scenes"] else "",
        "video": escape(lecture["video"]),
        "video_type": webpage._mp4_type(lecture.get("codecs")),
        "webm": escape(lecture["webm"]),
        "lang_label": webpage.LANG_LABELS.get(lang, lang),
        "chapters_label": escape(chapters_label),
        "captions_url": webpage._data_url(published.text(lecture["captions"])),
        "chapters_url": webpage._data_url(published.text(lecture["chapters"])),
        "chapter_items": "\n".join(items),
        "quiz": "\n".join(webpage.quiz_parts(manifest)),
        "links": " ".join(links),
        "config": webpage.script_json(config),
        "player_js": webpage.asset("chapters.js"),
        "quiz_js": webpage.asset("quiz.js") if published.questions else "",
        "runtime_js": asset("scorm.js") if scorm else "",
    }
    return Template(asset("launch.html")).substitute(fields)
