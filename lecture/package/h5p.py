"""An H5P Interactive Video: h5p.json and content/content.json (fields as the content type's
semantics.json names them), the MP4 and WebM, the captions as a WebVTT text track in the
lecture's language, every chapter as a bookmark, every question as an H5P.MultiChoice
interaction that pauses the video at its time. The H5P libraries are not in the package: the
site must have Interactive Video installed (the versions below, or newer minor versions that
the site's content upgrade takes)."""

from __future__ import annotations

import json
import uuid
from html import escape
from pathlib import Path
from typing import Any

from ..publish.webpage import LANG_LABELS
from .source import Published

# The libraries the content names, at the versions the H5P Hub offers today.
INTERACTIVE_VIDEO = ("H5P.InteractiveVideo", 1, 27)
MULTI_CHOICE = ("H5P.MultiChoice", 1, 16)
VIDEO = ("H5P.Video", 1, 6)
_NAMESPACE = uuid.UUID("5b0c8f7e-2f7e-4d8e-9a55-6b1f3c1a7e21")  # for the interactions' stable subContentIds


def _library(lib: tuple[str, int, int]) -> str:
    return f"{lib[0]} {lib[1]}.{lib[2]}"


def _dependency(lib: tuple[str, int, int]) -> dict[str, Any]:
    return {"machineName": lib[0], "majorVersion": lib[1], "minorVersion": lib[2]}


def _multichoice(question: dict[str, Any]) -> dict[str, Any]:
    return {
        "media": {"disableImageZooming": False},
        "question": f"<p>{escape(question['prompt'])}</p>",
        "answers": [{"text": f"<div>{escape(c['text'])}</div>", "correct": bool(c["correct"]),
                     "tipsAndFeedback": {"tip": "", "chosenFeedback": "", "notChosenFeedback": ""}}
                    for c in question["choices"]],
        "overallFeedback": [{"from": 0, "to": 100, "feedback": escape(question["explanation"])}],
        "behaviour": {"enableRetry": True, "enableSolutionsButton": True, "enableCheckButton": True, "type": "single",
                      "singlePoint": False, "randomAnswers": False, "showSolutionsRequiresInput": True,
                      "confirmCheckDialog": False, "confirmRetryDialog": False, "autoCheck": False,
                      "passPercentage": 100, "showScorePoints": True},
    }


def content(published: Published) -> dict[str, Any]:
    """content/content.json."""
    lecture, lang = published.lecture, published.lang
    total = float(lecture["duration_s"])
    interactions = []
    for q in published.questions:
        start = float(q["time_s"])
        interactions.append({
            "x": 5, "y": 5, "width": 40, "height": 30,
            "duration": {"from": round(start, 3), "to": round(min(total, start + 2.0), 3)},
            "libraryTitle": "Multiple Choice",
            "action": {"library": _library(MULTI_CHOICE), "params": _multichoice(q),
                       "subContentId": str(uuid.uuid5(_NAMESPACE, f"{published.identifier()}/{q['id']}")),
                       "metadata": {"contentType": "Multiple Choice", "license": "U", "title": q["id"]}},
            "pause": True, "displayType": "poster", "buttonOnMobile": False, "label": "",
            "adaptivity": {"correct": {"allowOptOut": False, "message": ""}, "wrong": {"allowOptOut": False, "message": ""},
                           "requireCompletion": False},
            "visuals": {"backgroundColor": "rgb(255, 255, 255)", "boxShadow": True},
            "goto": {"url": {"protocol": "http://"}, "visualize": False},
        })
    return {
        "interactiveVideo": {
            "video": {
                "startScreenOptions": {"title": published.title[:60], "hideStartTitle": False},
                "textTracks": {"videoTrack": [{"label": LANG_LABELS.get(lang, lang), "kind": "captions", "srcLang": lang,
                                               "track": {"path": "files/lecture.vtt", "mime": "text/vtt"}}]},
                "files": [{"path": "videos/lecture.mp4", "mime": "video/mp4", "copyright": {"license": "U"}},
                          {"path": "videos/lecture.webm", "mime": "video/webm", "copyright": {"license": "U"}}],
            },
            "assets": {
                "interactions": interactions,
                "bookmarks": [{"time": round(float(s["start_s"]), 3), "label": s["title"]} for s in published.manifest["scenes"]],
                "endscreens": [{"time": round(max(0.0, total - 0.5), 3), "label": _clock(total)}],
            },
            "summary": {"displayAt": 3},
        },
        "override": {"autoplay": False, "loop": False, "showBookmarksmenuOnLoad": False, "showRewind10": True,
                     "preventSkipping": False, "deactivateSound": False},
    }


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def h5p_json(published: Published) -> dict[str, Any]:
    deps = [INTERACTIVE_VIDEO, VIDEO] + ([MULTI_CHOICE] if published.questions else [])
    return {
        "title": published.title, "language": published.lang, "defaultLanguage": published.lang,
        "mainLibrary": INTERACTIVE_VIDEO[0], "embedTypes": ["iframe"], "license": "U",
        "preloadedDependencies": [_dependency(lib) for lib in deps],
    }


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def entries(published: Published) -> dict[str, bytes | Path]:
    lecture = published.lecture
    return {
        "h5p.json": _json(h5p_json(published)),
        "content/content.json": _json(content(published)),
        "content/videos/lecture.mp4": published.path(lecture["video"]),
        "content/videos/lecture.webm": published.path(lecture["webm"]),
        "content/files/lecture.vtt": published.path(lecture["captions"]),
    }
