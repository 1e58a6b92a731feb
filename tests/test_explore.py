"""explore.html built offline: self-contained, in the render's language, from the render's data,
its assets declared as package data, and linked from index.html. (In Chromium:
tests/test_explore_chromium.py.)"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from pathlib import Path

import pytest

from test_webpage import _manifest, _texts

from lecture import explore
from lecture.explore.words import WORDS
from lecture.publish import webpage
from mathcore import load_data, load_data_text

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "lecture" / "explore" / "assets"


def _embedded(page: str) -> dict:
    text = re.search(r'<script type="application/json" id="explore-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(text)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_page_is_self_contained_and_in_the_renders_language(lang):
    data = load_data(None)
    page = explore.build(data, lang)
    assert page.startswith("<!doctype html>") and f'<html lang="{lang}">' in page
    assert "{{" not in page.split('<script type="application/json"')[0]  # every template field filled
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "http://" not in page and "https://" not in page and "<link" not in page and "@import" not in page
    assert re.findall(r"<script(?: [^>]*)?>", page) == ['<script type="application/json" id="explore-data">',
                                                        "<script>", "<script>"]
    assert re.findall(r'href="([^"#][^"]*)"', page) == ["index.html"]  # the only other file it names
    embedded = _embedded(page)
    assert embedded == json.loads(json.dumps(explore.page_data(data, lang)))
    assert embedded["heights"]["samples"] == list(data.heights.samples)
    assert WORDS[lang]["go_mle"] in page


def test_both_languages_have_every_word_and_the_template_uses_only_known_ones():
    assert WORDS["ko"].keys() == WORDS["en"].keys()
    template = (ASSETS / "explore.html").read_text(encoding="utf-8")
    used = set(re.findall(r"\{\{w:(\w+)\}\}", template))
    known = set(WORDS["en"]) | {f"title_{part}" for part in ("heights", "binary", "descent", "token")}
    assert used and used <= known, used - known
    script = (ASSETS / "page.js").read_text(encoding="utf-8")
    for key in set(re.findall(r"\bW\.(\w+)", script)):
        assert key in known, key


def test_the_datas_words_and_unit_are_on_the_page():
    text = ('[heights]\nunit = "kg"\nsamples = [58.5, 61.0]\n[binary]\nlabels = ["Tea", "Coffee"]\ncounts = [3, 5]\n'
            '[nlp]\ncontext = "I drink </script> hot"\ntokens = ["tea", "ice"]\nlogits = [1.0, 0.5]\ncorrect = "tea"\n')
    data = load_data_text(text, "mine.toml")
    page = explore.build(data, "en")
    assert "μ, the mean (kg)" in page and "p, the proportion of Tea" in page and "Of 8 observations: Tea 3, Coffee 5" in page
    # the data's text cannot end the data script early; it is escaped in the HTML
    assert page.count("</script>") == 3 and "I drink &lt;/script&gt; hot" in page
    embedded = _embedded(page)
    assert embedded["token"]["context"] == "I drink </script> hot" and embedded["token"]["tokens"] == ["tea", "ice"]
    assert embedded["binary"] == {"labels": ["Tea", "Coffee"], "counts": [3, 5], "k": 3, "n": 8, "p_hat_decimals": 3}


def test_the_words_of_each_language_are_its_own():
    data = load_data(None)
    ko, en = explore.build(data, "ko"), explore.build(data, "en")
    assert "최대 가능도 추정값" in ko and "Go to the MLE" not in ko
    assert "Go to the MLE" in en and "최대 가능도 추정값" not in en
    assert "“고양이가 매트 위에 ___”" in ko and "“The cat sat on the ___”" in en


def test_every_asset_is_declared_package_data():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["lecture.explore"]
    files = sorted(p.relative_to(ASSETS.parent).as_posix() for p in ASSETS.iterdir())
    assert files == sorted(f"assets/{name}" for name in explore._ASSETS)
    for rel in files:
        assert any(fnmatch.fnmatch(rel, pattern) for pattern in patterns), rel


def test_index_links_to_the_explore_page_when_it_was_published():
    manifest = _manifest()
    assert 'href="explore.html"' not in webpage.build(manifest, _texts(manifest))
    manifest["lecture"]["explore"] = explore.EXPLORE_PAGE
    page = webpage.build(manifest, _texts(manifest))
    assert len(re.findall(r'<a href="explore.html">[^<]+</a>', page)) == 1


def test_publish_writes_a_new_file(tmp_path):
    old = tmp_path / "old.html"
    old.write_text("previous", encoding="utf-8")
    (tmp_path / explore.EXPLORE_PAGE).hardlink_to(old)  # the staging tree links the previous OUT
    assert explore.publish(tmp_path, load_data(None), "en") == [explore.EXPLORE_PAGE]
    assert old.read_text(encoding="utf-8") == "previous"  # never written through the link
    assert (tmp_path / explore.EXPLORE_PAGE).read_text(encoding="utf-8") == explore.build(load_data(None), "en")


@pytest.mark.slow
def test_a_render_of_one_scene_publishes_explore_beside_index_and_links_it(tmp_path):
    from test_render_support import render, stub_project

    project = stub_project(tmp_path / "project")
    out = tmp_path / "out"
    result = render(["--quality", "preview", "--scene", "title", "--lang", "en", "--jobs", "1", "--out", str(out)],
                    project=project)
    assert result.returncode == 0, result.stderr
    assert (out / "explore.html").read_text(encoding="utf-8") == explore.build(load_data(None), "en")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["lecture"]["explore"] == "explore.html" and not manifest["lecture"]["complete"]
    assert len(re.findall(r'<a href="explore.html">', (out / "index.html").read_text(encoding="utf-8"))) == 1
    state = json.loads((out / ".nll-lecture-state.json").read_text(encoding="utf-8"))
    assert state["files"]["explore.html"] == (out / "explore.html").stat().st_size


@pytest.mark.parametrize("lang, counted, title", [("ko", "100명 가운데 합격 55명", "응시자"), ("en", "Of 100 candidates", "exam result")])
def test_the_page_tells_the_datas_story_and_never_the_decks(lang, counted, title):
    story = load_data(Path(__file__).parent / "data" / "story_exam.toml")
    words = explore.page_data(story, lang)["words"]
    assert counted in words["binary_note"]
    assert title in words["title_binary"].lower() or title in words["title_binary"]
    neutral = load_data_text('[binary]\nlabels = ["Yes", "No"]\ncounts = [3, 17]\n', "mine.toml")
    page = json.dumps(explore.page_data(neutral, lang)["words"], ensure_ascii=False)
    for deck_word in ("핸드폰", "운영체제", "길 가는 사람", "점유율", "phone", "passers-by", "share", "명"):
        assert deck_word not in page, deck_word
    assert ("20번 가운데 Yes 3번" if lang == "ko" else "Of 20 observations: Yes 3") in page
