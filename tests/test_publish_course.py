"""A published folder a course builder can use as it is (issue 18 §6): the whole lecture's
SRT, index.html's links to the other outputs, a silent render saying it is silent, embed
snippets in manifest.json (crossorigin, absolute under render --base-url), chapters.txt
rounded to the nearest second."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_render_support import copy_out, render, stub_lecture  # noqa: F401 (fixture)
from test_webpage import _manifest, _texts

from lecture import captions
from lecture.publish import webpage

SILENT = {"en": "This video has no sound: the captions carry the narration.",
          "ko": "이 영상에는 소리가 없습니다. 내레이션은 자막으로 제공됩니다."}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])


def _links(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.hrefs


def _published(manifest: dict, has_audio: bool) -> dict:
    manifest["lecture"].update({"handout": "handout.pdf", "present": "present.html", "captions_srt": "lecture.srt",
                                "chapters_txt": "chapters.txt", "has_audio": has_audio})
    for scene in manifest["scenes"]:
        scene["captions_srt"] = scene["captions"].replace(".vtt", ".srt")
    return manifest


# Units -----------------------------------------------------------------------------------------
def test_index_links_the_other_outputs_and_each_clips_caption_files():
    manifest = _published(_manifest(), has_audio=True)
    page = webpage.build(manifest, _texts(manifest))
    outputs = re.search(r'<nav id="outputs"[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert _links(outputs) == ["handout.pdf", "present.html", "lecture.vtt", "lecture.srt", "chapters.txt"]
    for scene in manifest["scenes"]:
        assert scene["captions"] in _links(page) and scene["captions_srt"] in _links(page)
    assert SILENT["en"] not in page


def test_an_incomplete_set_links_only_what_it_has():
    manifest = _manifest(complete=False)
    manifest["lecture"].update({"handout": "handout.pdf", "present": "present.html"})
    page = webpage.build(manifest, _texts(manifest))
    outputs = re.search(r'<nav id="outputs"[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert _links(outputs) == ["handout.pdf", "present.html"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_silent_render_says_so_on_the_page(lang):
    manifest = _published(_manifest(), has_audio=False)
    manifest["lecture"]["lang"] = lang
    page = webpage.build(manifest, _texts(manifest))
    assert f'<p class="note" id="silent">{SILENT[lang]}</p>' in page


def test_embed_snippets_ask_for_cors_and_take_a_base_url():
    scene = _manifest()["scenes"][0]
    relative = webpage.embed_snippet(scene, "en")
    assert '<video controls preload="metadata" crossorigin="anonymous"' in relative
    assert f'src="{scene["captions"]}"' in relative
    absolute = webpage.embed_snippet(scene, "en", "https://courses.example.org/nll/")
    urls = re.findall(r'(?:src|poster)="([^"]+)"', absolute)
    assert len(urls) == 4 and all(u.startswith("https://courses.example.org/nll/") and "//" not in u[8:] for u in urls)
    assert webpage.check_base_url("https://courses.example.org/nll") is None
    for bad in ("courses.example.org/nll", "ftp://x/y", "https://x.org/a b", "https://x.org/?q=1", 'https://x.org/"'):
        assert webpage.check_base_url(bad), bad


def test_chapters_txt_rounds_to_the_nearest_second():
    assert captions.chapters_txt([(0, "A"), (54_880, "B"), (60_499, "C")]) == "0:00 A\n0:55 B\n1:00 C\n"


def test_a_bad_base_url_is_one_error_line(tmp_path):
    result = render(["--base-url", "courses.example.org/nll", "--quality", "preview", "--scene", "title",
                     "--out", str(tmp_path / "out")])
    assert result.returncode == 2 and not (tmp_path / "out").exists()
    assert result.stderr.splitlines() == ["error: --base-url: expected an http:// or https:// URL of the folder, "
                                          "got 'courses.example.org/nll'"]


# A published folder (the stub project, every scene) -------------------------------------------
@pytest.mark.slow
def test_the_published_folder_for_a_course(stub_lecture):
    _project, out = stub_lecture
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    lecture = manifest["lecture"]
    assert lecture["complete"] and lecture["captions_srt"] == "lecture.srt"
    vtt = captions.parse((out / "lecture.vtt").read_text(encoding="utf-8"))
    srt = (out / "lecture.srt").read_text(encoding="utf-8")
    assert vtt and srt == captions.to_srt(vtt)  # the same cues
    assert lecture["base_url"] is None
    for scene in manifest["scenes"]:
        embed = scene["embed"]
        assert 'crossorigin="anonymous"' in embed and f'src="{scene["clip"]}"' in embed
        assert f'src="{scene["captions"]}"' in embed and f'poster="{scene["poster"]}"' in embed
    assert 'crossorigin="anonymous"' in lecture["embed"] and 'src="lecture.mp4"' in lecture["embed"]
    assert 'kind="chapters" src="chapters.vtt"' in lecture["embed"]
    page = (out / "index.html").read_text(encoding="utf-8")
    area = re.search(r'<textarea id="embed-lecture"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert area.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&") == lecture["embed"]
    hrefs = _links(page)
    for name in ("handout.pdf", "present.html", "lecture.vtt", "lecture.srt", "chapters.txt"):
        assert name in hrefs
    assert all((out / href).is_file() for href in hrefs), [h for h in hrefs if not (out / h).is_file()]
    if not lecture["has_audio"]:
        assert SILENT[lecture["lang"]] in page
    lines = (out / "chapters.txt").read_text(encoding="utf-8").splitlines()
    for line, scene in zip(lines, manifest["scenes"], strict=True):
        assert line.split(" ", 1)[0] == captions.chapter_clock(round(scene["start_s"] * 1000))
        minutes, seconds = line.split(" ", 1)[0].split(":")
        assert abs(int(minutes) * 60 + int(seconds) - scene["start_s"]) <= 0.5 + 1e-3  # nearest, not floor


@pytest.mark.slow
def test_render_base_url_makes_the_snippets_absolute(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    base = "https://courses.example.org/nll"
    result = render(["--quality", "preview", "--base-url", base + "/", "--out", str(out)], project=project)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["lecture"]["base_url"] == base + "/"
    for snippet in [manifest["lecture"]["embed"]] + [s["embed"] for s in manifest["scenes"]]:
        urls = re.findall(r'(?:src|poster)="([^"]+)"', snippet)
        assert urls and all(u.startswith(base + "/") and (out / u[len(base) + 1:]).is_file() for u in urls), urls
    page = (out / "index.html").read_text(encoding="utf-8")
    assert f'src=&quot;{base}/{manifest["scenes"][0]["clip"]}&quot;' in page  # the copyable snippet too
    # the index's own players and links stay relative: the page works wherever the folder is
    assert not re.search(r'(?:src|href)="https?://', page)


@pytest.mark.slow
def test_an_out_published_before_lecture_srt_gets_it_on_the_next_render(stub_lecture, tmp_path):
    project, shared = stub_lecture
    out = copy_out(shared, tmp_path / "out")
    state_file = out / ".nll-lecture-state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    (out / "lecture.srt").unlink()  # as an older version published it: no lecture.srt, another program
    del state["lecture"]["files"]["lecture.srt"], state["files"]["lecture.srt"]
    state["signature"] = "an older program"
    state_file.write_text(json.dumps(state), encoding="utf-8")
    result = render(["--quality", "preview", "--out", str(out)], project=project)
    assert result.returncode == 0, result.stderr
    assert (out / "lecture.srt").read_text(encoding="utf-8") == (shared / "lecture.srt").read_text(encoding="utf-8")
    again = render(["--quality", "preview", "--out", str(out)], project=project)  # kept by the next render
    assert again.returncode == 0, again.stderr
    assert (out / "lecture.srt").is_file()
