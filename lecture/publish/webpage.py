"""index.html: one self-contained page (no network, no external files but the videos it plays).

It plays the full lecture with its captions and a chapter list that seeks, shows every clip
with its poster and captions, and offers a copyable embed snippet per clip. Each video lists
the H.264 MP4 first and the VP9 WebM second (browsers without H.264 take the WebM);
``index.html?format=webm`` drops the MP4 sources to preview the WebM files anywhere. Captions are
embedded as ``data:`` URLs so the page also works opened straight from disk (browsers refuse
``<track src>`` files across ``file://`` origins); the embed snippets point at the .vtt files.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Any, Mapping
from urllib.parse import quote, urlsplit

LANG_LABELS = {"ko": "한국어", "en": "English"}


def _data_url(text: str) -> str:
    return "data:text/vtt;charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))  # to the nearest second, as chapters.txt
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _mp4_type(codecs: str | None) -> str:
    return f'video/mp4; codecs="{codecs}"' if codecs else "video/mp4"


def video_format(lecture: Mapping[str, Any]) -> str:
    """The picture as people name it: lines and frame rate.

    >>> video_format({"width": 1920, "height": 1080, "fps": 60}), video_format({"width": 854, "height": 480, "fps": 15.0})
    ('1080p60', '480p15')
    """
    return f'{lecture["height"]}p{float(lecture["fps"]):g}'


def check_base_url(url: str) -> str | None:
    """Why ``url`` cannot be the base of the published files' URLs (None: it can).

    >>> check_base_url("https://courses.example.org/nll/"), check_base_url("ftp://x/y")
    (None, "expected an http:// or https:// URL of the folder, got 'ftp://x/y'")
    """
    parts = urlsplit(url)
    if (parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment
            or any(c.isspace() or c in "\"'<>\\" for c in url)):
        return f"expected an http:// or https:// URL of the folder, got {url!r}"
    return None


def published_url(rel: str, base_url: str = "") -> str:
    """A published file's URL: ``rel`` as it is (relative to OUT), or under ``base_url``.

    >>> published_url("clips/01-t.mp4"), published_url("clips/01-t.mp4", "https://x.org/nll")
    ('clips/01-t.mp4', 'https://x.org/nll/clips/01-t.mp4')
    """
    return f"{base_url.rstrip('/')}/{quote(rel, safe='/')}" if base_url else rel


def embed_snippet(scene: Mapping[str, Any], lang: str, base_url: str = "") -> str:
    """The HTML a course page needs to show one clip with its captions.

    The video fills the width of whatever holds it, at the clip's aspect ratio (the width and
    height attributes give the ratio before the video loads): never wider than the page.
    ``crossorigin="anonymous"``: a page on another origin than the files gets the captions
    (with the server's CORS header) instead of a silently blocked track. With ``base_url``
    every URL is absolute (``render --base-url``).

    >>> print(embed_snippet({"clip": "clips/01-t.mp4", "webm": "clips/01-t.webm", "poster": "posters/01-t.png",
    ...     "captions": "captions/01-t.vtt", "width": 854, "height": 480, "codecs": None}, "en"))
    <video controls preload="metadata" crossorigin="anonymous" width="854" height="480" style="width:100%;height:auto" poster="posters/01-t.png">
      <source src="clips/01-t.mp4" type="video/mp4">
      <source src="clips/01-t.webm" type="video/webm">
      <track kind="captions" src="captions/01-t.vtt" srclang="en" label="English" default>
    </video>
    """
    def url(rel: str) -> str:
        return escape(published_url(rel, base_url))

    chapters = (f'  <track kind="chapters" src="{url(scene["chapters"])}" srclang="{lang}">\n'
                if scene.get("chapters") else "")
    return (
        f'<video controls preload="metadata" crossorigin="anonymous" width="{scene["width"]}" height="{scene["height"]}" '
        f'style="width:100%;height:auto" poster="{url(scene["poster"])}">\n'
        f'  <source src="{url(scene["clip"])}" type="video/mp4">\n'
        f'  <source src="{url(scene["webm"])}" type="video/webm">\n'
        f'  <track kind="captions" src="{url(scene["captions"])}" srclang="{lang}" label="{LANG_LABELS.get(lang, lang)}" default>\n'
        f"{chapters}"
        f"</video>"
    )


def lecture_embed_snippet(lecture: Mapping[str, Any], poster: str, base_url: str = "") -> str:
    """The whole lecture's snippet: its video, captions and chapter markers."""
    return embed_snippet({"clip": lecture["video"], "webm": lecture["webm"], "poster": poster,
                          "captions": lecture["captions"], "chapters": lecture["chapters"],
                          "width": lecture["width"], "height": lecture["height"]}, lecture["lang"], base_url)


_WORDS = {
    "ko": {"lecture": "강의 전체", "chapters": "챕터", "clips": "장면별 영상", "embed": "임베드 코드",
           "embed_label": "강의 페이지에 붙여 넣을 HTML", "copy": "복사",
           "copied": "복사됨", "incomplete": "전체 강의 영상은 모든 장면이 같은 데이터·언어·화질로 렌더링되었을 때 만들어집니다. "
           "`nll-lecture render`(장면 지정 없이)로 다시 렌더링하세요."},
    "en": {"lecture": "Full lecture", "chapters": "Chapters", "clips": "Scenes", "embed": "Embed code",
           "embed_label": "HTML to paste into a course page", "copy": "Copy",
           "copied": "Copied", "incomplete": "The full lecture is built once every scene is rendered with the same data, "
           "language and quality. Run `nll-lecture render` (without --scene) to build it."},
}
# The links to the other outputs (index.html's "outputs" list) and the silent-render note.
_WORDS["ko"].update({
    "outputs": "다른 자료", "handout": "강의 자료 (PDF)", "present": "발표용 페이지", "chapters_txt": "챕터 목록 (텍스트)",
    "captions_vtt": "자막 (WebVTT)", "captions_srt": "자막 (SRT)", "scene_captions": "자막:",
    "silent": "이 영상에는 소리가 없습니다. 내레이션은 자막으로 제공됩니다.",
})
_WORDS["en"].update({
    "outputs": "Other outputs", "handout": "Handout (PDF)", "present": "Presentation page", "chapters_txt": "Chapter list (text)",
    "captions_vtt": "Captions (WebVTT)", "captions_srt": "Captions (SRT)", "scene_captions": "Captions:",
    "silent": "This video has no sound: the captions carry the narration.",
})


def silent_note(lang: str) -> str:
    """What a silent render says on the page and in the handout."""
    return _WORDS.get(lang, _WORDS["en"])["silent"]


def output_links(lecture: Mapping[str, Any], words: Mapping[str, str]) -> list[tuple[str, str]]:
    """(href, label) of the other published files index.html links, those this OUT has.
    Another companion page adds its entry here."""
    links = [(lecture.get("handout"), words["handout"]), (lecture.get("present"), words["present"]),
             (lecture.get("captions"), words["captions_vtt"]), (lecture.get("captions_srt"), words["captions_srt"]),
             (lecture.get("chapters_txt"), words["chapters_txt"])]
    return [(href, label) for href, label in links if href]

# The link to explore.html (lecture/explore/), when the render published it.
_EXPLORE_LINK = {"ko": "직접 해 보기: 슬라이더로 μ, σ, p, 학습률을 움직여 보세요", "en": "Explore: move μ, σ, p and the learning rate yourself"}


def asset(name: str) -> str:
    """A page file of this package (lecture/publish/assets/)."""
    from importlib.resources import files

    return files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON to put inside a <script> element (no "</" can close it early).

    >>> script_json({"a": "</script>"})
    '{"a": "<\\\\/script>"}'
    """
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def quiz_parts(manifest: Mapping[str, Any]) -> list[str]:
    """The questions of the lecture (asked at each scene's end by assets/quiz.js): their data,
    an on/off switch, and the box that asks them."""
    questions = manifest.get("questions") or []
    if not questions:
        return []
    from ..questions import ui_words

    words = ui_words(manifest["lecture"]["lang"])
    return [
        f'<p class="quiz-toggle"><input type="checkbox" id="quiz-enabled" checked>'
        f'<label for="quiz-enabled">{escape(words["heading"])} ({len(questions)})</label></p>',
        '<div id="quiz" class="quiz" role="region" hidden></div>',
        f'<script type="application/json" id="lecture-questions">{script_json({"words": words, "questions": questions})}</script>',
    ]


def page_start(lang: str, title: str, style: str) -> list[str]:
    """The lines that open a self-contained page, up to <body> (``title`` already escaped)."""
    return [
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]


def build(manifest: Mapping[str, Any], texts: Mapping[str, str]) -> str:
    """The page for ``manifest``; ``texts`` maps each caption/chapter file to its text."""
    lecture = manifest["lecture"]
    lang = lecture["lang"]
    words = _WORDS.get(lang, _WORDS["en"])
    label = LANG_LABELS.get(lang, lang)
    title = escape(lecture["title"])
    scenes = manifest["scenes"]
    parts = [
        *page_start(lang, title, asset("player.css") + asset("index.css") + asset("quiz.css")),
        f'<header><h1>{title}</h1><p class="muted">{video_format(lecture)}'
        + (f' · {_clock(lecture["duration_s"])}' if lecture.get("duration_s") else "") + "</p>"
        + (f'<p><a href="{escape(lecture["explore"])}">{_EXPLORE_LINK.get(lang, _EXPLORE_LINK["en"])}</a></p>'
           if lecture.get("explore") else ""),
        *([f'<p class="note" id="silent">{escape(words["silent"])}</p>'] if "has_audio" in lecture and not lecture["has_audio"] else []),
        f'<nav id="outputs" aria-label="{words["outputs"]}"><ul>',
        *(f'<li><a href="{escape(href)}">{escape(label)}</a></li>' for href, label in output_links(lecture, words)),
        "</ul></nav>",
        "</header>",
        "<main>",
    ]
    if lecture.get("video"):
        poster = scenes[0]["poster"] if scenes else ""
        parts += [
            f'<section id="lecture"><h2>{words["lecture"]}</h2><div class="player">',
            f'<video id="lecture-video" controls preload="none" poster="{escape(poster)}">',
            f'<source src="{escape(lecture["video"])}" type=\'{_mp4_type(lecture.get("codecs"))}\'>',
            f'<source src="{escape(lecture["webm"])}" type=\'video/webm; codecs="vp9"\'>',
            f'<track id="lecture-captions" kind="captions" srclang="{lang}" label="{label}" default '
            f'src="{_data_url(texts[lecture["captions"]])}">',
            f'<track kind="chapters" srclang="{lang}" label="{words["chapters"]}" src="{_data_url(texts[lecture["chapters"]])}">',
            "</video>",
            f'<nav aria-label="{words["chapters"]}"><ol id="chapters">',
        ]
        for scene in scenes:
            start, end = scene["start_s"], scene["start_s"] + scene["duration_s"]
            parts.append(
                f'<li data-start="{start:.3f}" data-end="{end:.3f}" data-scene="{escape(scene["id"])}"><button type="button">'
                f'<span class="time">{_clock(start)}</span><span>{escape(scene["title"])}</span></button></li>'
            )
        parts += ["</ol></nav>", "</div>"]
        if lecture.get("embed"):  # the whole lecture's snippet (manifest.json), with its chapters
            parts += [
                f'<details class="lecture-embed"><summary>{words["embed"]}</summary>',
                f'<label for="embed-lecture">{words["embed_label"]}</label>',
                f'<textarea id="embed-lecture" readonly spellcheck="false">{escape(lecture["embed"])}</textarea>',
                f'<button type="button" class="copy" data-target="embed-lecture" data-done="{words["copied"]}">{words["copy"]}</button>',
                "</details>",
            ]
        parts += [*quiz_parts(manifest), "</section>"]
    else:
        parts.append(f'<p class="note">{escape(words["incomplete"])}</p>')

    parts.append(f'<section id="clips"><h2>{words["clips"]}</h2><div class="clips">')
    for scene in scenes:
        stem = f'{scene["index"]:02d}-{scene["id"]}'
        snippet = scene.get("embed") or embed_snippet(scene, scene.get("lang", lang))
        parts += [
            f'<article class="clip" id="scene-{escape(stem)}">',
            f'<h3>{scene["index"]:02d}. {escape(scene["title"])} <span class="muted">{_clock(scene["duration_s"])}</span></h3>',
            f'<video controls preload="none" poster="{escape(scene["poster"])}">',
            f'<source src="{escape(scene["clip"])}" type=\'{_mp4_type(scene.get("codecs"))}\'>',
            f'<source src="{escape(scene["webm"])}" type=\'video/webm; codecs="vp9"\'>',
            f'<track kind="captions" srclang="{scene.get("lang", lang)}" label="{LANG_LABELS.get(scene.get("lang", lang), lang)}" '
            f'default src="{_data_url(texts[scene["captions"]])}">',
            "</video>",
            f'<p class="files">{words["scene_captions"]} <a href="{escape(scene["captions"])}">.vtt</a>'
            + (f' · <a href="{escape(scene["captions_srt"])}">.srt</a>' if scene.get("captions_srt") else "") + "</p>",
            f'<details><summary>{words["embed"]}</summary>',
            f'<label for="embed-{escape(stem)}">{words["embed_label"]}</label>',
            f'<textarea id="embed-{escape(stem)}" readonly spellcheck="false">{escape(snippet)}</textarea>',
            f'<button type="button" class="copy" data-target="embed-{escape(stem)}" data-done="{words["copied"]}">{words["copy"]}</button>',
            "</details>",
            "</article>",
        ]
    parts += ["</div></section>", "</main>", f"<script>{asset('index.js')}{asset('chapters.js')}</script>",
              *([f"<script>{asset('quiz.js')}</script>"] if manifest.get("questions") and lecture.get("video") else []),
              "</body>", "</html>", ""]
    return "\n".join(parts)
