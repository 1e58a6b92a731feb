"""handout.pdf: A4, each beat's last frame with its narration beneath, scene titles as
headings, page numbers, fonts embedded, text selectable (checked with poppler-utils)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from test_render_support import title_and_closing, title_and_closing_en  # noqa: F401 (fixtures)

from lecture.present import handout

SHOTS_ENV = "NLL_PRESENT_SCREENSHOTS"  # a folder: keep the first handout page of each language there
POPPLER = all(shutil.which(tool) for tool in ("pdfinfo", "pdffonts", "pdftotext", "pdfimages", "pdftoppm"))
# poppler-utils is installed by make setup: without it these tests fail (never skip)
needs_poppler = pytest.mark.usefixtures("poppler")


@pytest.fixture(scope="session")
def poppler() -> None:
    assert POPPLER, "poppler-utils is not installed (make setup installs it)"


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_pdf(pdf: Path, manifest: dict) -> str:
    """What every handout must be; returns its text."""
    info = _run("pdfinfo", str(pdf))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in fonts), fonts  # embedded, subset, unicode
    assert any("NotoSansCJKKR" in line for line in fonts)
    text = _run("pdftotext", str(pdf), "-")  # reading order: column by column
    flat = _squash(text)
    beats = [b for s in manifest["scenes"] for b in s["beats"]]
    for beat in beats:  # selectable text: every narration line, whatever the line breaks
        assert _squash(beat["text"]) in flat, beat["id"]
    for scene in manifest["scenes"]:
        assert _squash(f'{scene["index"]}. {scene["title"]}') in flat
    for page in range(1, pages + 1):  # each page carries its number
        footer = _run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-")
        assert re.search(rf"(?<!\d){page}\s*/\s*{pages}(?!\d)", footer), (page, footer[-80:])
    images = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert len(images) == len(beats)
    return text


def _look(pdf: Path, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get(SHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    _run("pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(folder / name))
    return folder / f"{name}.png"


# Without a render: made-up frames ----------------------------------------------------------------
def _fake_out(root: Path, lang: str) -> dict:
    from PIL import Image, ImageDraw

    texts = {"ko": ["가능도는 관측한 데이터가 모델 아래에서 얼마나 그럴듯한지를 재는 값입니다. θ̂ = argmax 𝓛(θ∣x), x₁…xᵢ",
                    "로그를 취하면 곱이 합으로 바뀝니다."],
             "en": ["The likelihood measures how plausible the data are: θ̂ maximises 𝓛(θ∣x) − over x₁…xᵢ.",
                    "Taking the log turns the product into a sum."]}[lang]
    scenes = []
    for index, sid in ((1, "title"), (12, "closing")):
        beats = []
        for n in range(5):
            still = f"frames/{index:02d}-{sid}/k{n}_say.png"
            (root / still).parent.mkdir(parents=True, exist_ok=True)
            image = Image.new("RGB", (854, 480), (16, 20, 24))
            ImageDraw.Draw(image).rectangle((100 + 40 * n, 100, 400 + 40 * n, 300), fill=(88, 196, 221))
            image.save(root / still)
            beats.append({"id": f"{index:02d}-{sid}/k{n}_say", "text": texts[n % 2] + f" ({index}.{n})", "still": still})
        scenes.append({"index": index, "id": sid, "title": {"ko": "표지 제목", "en": "Title"}[lang] + f" {index}",
                       "width": 854, "height": 480, "beats": beats})
    return {"lecture": {"title": "자연어처리를 위한 Negative Log Likelihood", "lang": lang}, "scenes": scenes}


@needs_poppler
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_handout_of_made_up_frames(tmp_path: Path, lang: str) -> None:
    manifest = _fake_out(tmp_path, lang)
    pdf = tmp_path / "handout.pdf"
    handout.build(tmp_path, manifest, pdf)
    text = _check_pdf(pdf, manifest)
    assert {"ko": "강의 자료", "en": "Handout"}[lang] in text
    assert "𝓛" in text and "θ̂" in text  # symbols Noto CJK lacks come from the fallback fonts
    again = tmp_path / "again.pdf"
    handout.build(tmp_path, manifest, again)
    assert again.read_bytes() == pdf.read_bytes()  # same inputs, same bytes


def test_a_missing_main_font_is_one_clear_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(handout, "_font", lambda pattern: None)
    with pytest.raises(handout.HandoutError, match="Noto Sans CJK KR.*fonts-noto-cjk"):
        handout.build(tmp_path, {"lecture": {"title": "t", "lang": "en"}, "scenes": []}, tmp_path / "h.pdf")


# The real thing ----------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["ko", "en"])
def rendered(request) -> tuple[str, Path]:
    """Title and closing at preview quality in the language: the OUT the render tests share
    (tests/test_render_support.py; read only)."""
    out = request.getfixturevalue("title_and_closing" if request.param == "ko" else "title_and_closing_en")
    return request.param, out


@needs_poppler
@pytest.mark.slow
def test_the_published_handout(rendered, tmp_path: Path) -> None:
    lang, out = rendered
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["lecture"]["handout"] == "handout.pdf"
    text = _check_pdf(out / "handout.pdf", manifest)
    assert manifest["lecture"]["title"] in text
    state = json.loads((out / ".nll-lecture-state.json").read_text(encoding="utf-8"))
    assert state["files"]["handout.pdf"] == (out / "handout.pdf").stat().st_size
    page = _look(out / "handout.pdf", f"handout-{lang}", tmp_path)
    from PIL import Image

    with Image.open(page) as image:  # a page with frames on it, not a blank one
        assert image.convert("L").getextrema()[0] < 40


# Accessible (issue 18 §7): checked with outside readers of the file (pikepdf/qpdf, poppler) --------
def _accessible_build(tmp_path: Path, lang: str, **lecture) -> tuple[Path, dict]:
    manifest = _fake_out(tmp_path, lang)
    manifest["lecture"].update(lecture)
    pdf = tmp_path / f"handout-{lang}.pdf"
    handout.build(tmp_path, manifest, pdf)
    return pdf, manifest


@needs_poppler
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_handout_is_a_tagged_pdf_with_language_title_and_bookmarks(tmp_path: Path, lang: str, monkeypatch) -> None:
    import pikepdf

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf, manifest = _accessible_build(tmp_path, lang, date="2021-04-19", has_audio=True)
    assert re.search(r"^Tagged:\s+yes$", _run("pdfinfo", str(pdf)), re.M)
    with pikepdf.open(pdf) as doc:
        root = doc.Root
        assert str(root.Lang) == lang and bool(root.MarkInfo.Marked) and "/StructTreeRoot" in root
        assert bool(root.ViewerPreferences.DisplayDocTitle) and str(doc.docinfo.Title) == manifest["lecture"]["title"]
        assert str(root.PageMode) == "/UseOutlines"
        with doc.open_outline() as outline:
            assert [item.title for item in outline.root] == [f'{s["index"]}. {s["title"]}' for s in manifest["scenes"]]
        assert str(doc.docinfo.CreationDate) == "D:20210419000000Z"
        figures = []

        def walk(element):
            kids = element.get("/K")
            if element.get("/S") == "/Figure":
                figures.append(str(element.get("/Alt", "")))
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if isinstance(kids, pikepdf.Dictionary) else []):
                if isinstance(kid, pikepdf.Dictionary):
                    walk(kid)

        walk(root.StructTreeRoot)
    beats = [b for s in manifest["scenes"] for b in s["beats"]]
    assert len(figures) == len(beats) and all(figures)  # every frame a Figure with alternative text
    structure = _run("pdfinfo", "-struct-text", str(pdf))
    headings = re.findall(r'^\s*H2 \(block\)\n\s*"(.*)"$', structure, re.M)
    assert headings == [f'{s["index"]}. {s["title"]}' for s in manifest["scenes"]]
    assert re.search(r'^\s*H1 \(block\)\n\s*"' + re.escape(manifest["lecture"]["title"]) + '"', structure, re.M)
    paragraphs = _squash("".join(re.findall(r'^\s*P \(block\)\n\s*"(.*)"$', structure, re.M)))
    assert all(_squash(b["text"]) in paragraphs for b in beats)
    assert handout.handout_date("x") is None and "no sound" not in _run("pdftotext", str(pdf), "-")


@needs_poppler
def test_the_handout_date_is_source_date_epoch_or_the_datas_or_none(tmp_path: Path, monkeypatch) -> None:
    import pikepdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf, _ = _accessible_build(tmp_path, "en", date="2021-04-19")
    with pikepdf.open(pdf) as doc:
        assert str(doc.docinfo.CreationDate) == "D:20231114221320Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    pdf, _ = _accessible_build(tmp_path, "en", date="spring term")  # not a day: no date rather than a made-up one
    with pikepdf.open(pdf) as doc:
        assert "/CreationDate" not in doc.docinfo
    assert "CreationDate" not in _run("pdfinfo", str(pdf))


@needs_poppler
@pytest.mark.parametrize("lang,words", [("en", "This video has no sound: the captions carry the narration."),
                                        ("ko", "이 영상에는 소리가 없습니다. 내레이션은 자막으로 제공됩니다.")])
def test_a_silent_render_says_so_in_the_handout(tmp_path: Path, lang: str, words: str) -> None:
    pdf, _ = _accessible_build(tmp_path, lang, has_audio=False)
    assert _squash(words) in _squash(_run("pdftotext", "-l", "1", str(pdf), "-"))
    pdf, _ = _accessible_build(tmp_path, lang, has_audio=True)
    assert _squash(words) not in _squash(_run("pdftotext", "-l", "1", str(pdf), "-"))
