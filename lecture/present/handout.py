"""handout.pdf: the lecture on paper, beat by beat.

A4 portrait, the lecture title on top of the first page, then each scene under its title as
a heading, its beats in rows of two: the beat's last frame (``frames/NN-id/key.png``, kept by
the render worker) with the beat's narration beneath. Page numbers in the footer. Text is
real text in embedded, subset fonts (selectable and searchable): Noto Sans CJK KR for Korean
and Latin, DejaVu Sans and DejaVu Math TeX Gyre for the few symbols it lacks (combining
circumflex, subscripts, 𝓛).

Made with fpdf2: pure Python, maintained, embeds and subsets OpenType CFF fonts from a
TrueType collection (Noto CJK ships as .ttc with CFF outlines, which ReportLab cannot
embed), and takes Pillow images. The same inputs give the same bytes (the file id is a
hash of the content).

Accessible (what LMS checkers such as Ally look for): a tagged PDF (a structure tree in
reading order: H1 title, H2 per scene, a Figure with alternative text per frame and a P per
narration; footers and frame borders are artifacts), the document language (/Lang), the
title shown in the viewer's title bar (DisplayDocTitle), a bookmark per scene (shown on
opening), and a real, deterministic creation date: ``SOURCE_DATE_EPOCH`` if set, else the
data's ``[lecture] date`` (YYYY-MM-DD or similar), else none. A silent render says, under
the title, that the video has no sound and the captions carry the narration.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from ..errors import LectureError

__all__ = ["HANDOUT", "HandoutOptions", "HandoutError", "build"]

HANDOUT = "handout.pdf"


class HandoutError(LectureError, RuntimeError):
    """A font the handout needs is missing."""


@dataclass(frozen=True)
class HandoutOptions:
    """Page geometry (mm) and type sizes (pt)."""

    margin: float = 14.0
    columns: int = 2
    gutter: float = 8.0
    image_px: int = 960  # width the frames are scaled to (about 280 dpi at the column width)
    heading_pt: float = 13.0
    title_pt: float = 18.0
    text_pt: float = 9.0
    line_mm: float = 4.6


_WORDS = {"ko": {"handout": "강의 자료", "page": "쪽", "frame": "장면 {scene}의 화면 {n}: {title}"},
          "en": {"handout": "Handout", "page": "page", "frame": "Scene {scene}, frame {n}: {title}"}}


def handout_date(lecture_date: str | None, environ: Mapping[str, str] = os.environ) -> _dt.datetime | None:
    """The handout's creation date: SOURCE_DATE_EPOCH (reproducible builds) if set, else the
    data's lecture date if it names a day, else None (no date rather than a made-up one).

    >>> handout_date("2021-04-19", {}), handout_date("2021년 4월 19일", {}).day, handout_date("spring", {})
    (datetime.datetime(2021, 4, 19, 0, 0, tzinfo=datetime.timezone.utc), 19, None)
    >>> handout_date("2021-04-19", {"SOURCE_DATE_EPOCH": "1700000000"}).isoformat()
    '2023-11-14T22:13:20+00:00'
    """
    epoch = (environ.get("SOURCE_DATE_EPOCH") or "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    found = re.search(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})", lecture_date or "")
    if found:
        try:
            return _dt.datetime(*(int(g) for g in found.groups()), tzinfo=_dt.timezone.utc)
        except ValueError:
            return None
    return None


_NO_DATE = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _without_creation_date(data: bytes) -> bytes:
    """The PDF with its /CreationDate entry turned into spaces (fpdf2 always writes one; the
    byte offsets, and so the cross-reference table, stay as they were)."""
    entry = b"/CreationDate (D:19700101000000Z)"
    assert data.count(entry) == 1
    return data.replace(entry, b" " * len(entry))


@contextmanager
def _tagged(pdf, struct_type: str):
    """What is drawn inside is one structure element of ``struct_type`` (P, H1, H2)."""
    mcid = pdf.struct_builder.next_mcid_for_page(pdf.page)
    pdf._add_marked_content(struct_type=f"/{struct_type}", mcid=mcid)
    pdf._out(f"/{struct_type} <</MCID {mcid}>> BDC")
    yield
    pdf._out("EMC")


@contextmanager
def _artifact(pdf):
    """What is drawn inside is decoration, not content (page furniture, borders)."""
    pdf._out("/Artifact BMC")
    yield
    pdf._out("EMC")
_FONTS = {  # family name -> fontconfig pattern
    "noto": "Noto Sans CJK KR:style=Regular",
    "noto-bold": "Noto Sans CJK KR:style=Bold",
    "dejavu": "DejaVu Sans:style=Book",
    "dejavu-math": "DejaVu Math TeX Gyre",
}


def _font(pattern: str) -> tuple[Path, int] | None:
    """The font file (and index in a collection) fontconfig picks for ``pattern``, if it
    is the family asked for."""
    if shutil.which("fc-match") is None:
        return None
    family = pattern.split(":", 1)[0]
    try:
        answer = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", pattern], capture_output=True,
                                text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, file, index = (answer.split("\t") + ["", "", "0"])[:3]
    if family not in families.split(",") or not Path(file).is_file():
        return None
    return Path(file), int(index or 0)


def _pdf(options: HandoutOptions, title: str, footer: str, lang: str = "en", date: _dt.datetime | None = None):
    from fpdf import FPDF, ViewerPreferences
    from fpdf.enums import PageMode

    class Handout(FPDF):
        def footer(self) -> None:
            with _artifact(self):
                self.set_y(-10)
                self.set_font("noto", size=7.5)
                self.set_text_color(110, 110, 110)
                self.cell(0, 4, title, align="L")
                self.set_x(self.l_margin)
                self.cell(0, 4, footer.format(page=self.page_no(), pages="{nb}"), align="R")

    pdf = Handout(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(options.margin, options.margin, options.margin)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(date or _NO_DATE)  # _NO_DATE is blanked out of the file (build)
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.page_mode = PageMode.USE_OUTLINES
    pdf.set_creator("nll-lecture")
    pdf.set_producer("nll-lecture (fpdf2)")
    found = {}
    for name, pattern in _FONTS.items():
        where = _font(pattern)
        if where is None:
            if name.startswith("noto"):
                raise HandoutError(f"the font {pattern.split(':')[0]!r} is not installed (Debian: fonts-noto-cjk)")
            continue
        pdf.add_font(name, fname=str(where[0]), collection_font_number=where[1])
        found[name] = where
    pdf.set_fallback_fonts([name for name in ("dejavu", "dejavu-math") if name in found], exact_match=False)
    return pdf


def _image(path: Path, width_px: int) -> io.BytesIO:
    """A beat's frame for the page: scaled to ``width_px`` (a whole-factor box reduction
    first, which is fast, then Lanczos) and JPEG-encoded (quality 90, no chroma
    subsampling, so coloured text stays sharp): the PDF embeds the JPEG as it is, which
    costs about half the CPU of a Flate-compressed PNG and a third of its size."""
    from PIL import Image

    with Image.open(path) as image:
        image = image.convert("RGB")
        if image.width >= 2 * width_px:
            image = image.reduce(image.width // width_px)
        if image.width > width_px:
            image = image.resize((width_px, round(image.height * width_px / image.width)), Image.Resampling.LANCZOS)
        data = io.BytesIO()
        image.save(data, format="JPEG", quality=90, subsampling=0)
        data.seek(0)
        return data


def build(out: Path, manifest: Mapping[str, Any], target: Path, options: HandoutOptions = HandoutOptions()) -> None:
    """Write the handout of the scenes in ``manifest`` (files under ``out``) to ``target``."""
    from fpdf.enums import MethodReturnValue, XPos, YPos

    lecture = manifest["lecture"]
    lang = lecture.get("lang", "en")
    words = _WORDS.get(lang, _WORDS["en"])
    title = lecture["title"]
    date = handout_date(lecture.get("date"))
    pdf = _pdf(options, title, "{page} / {pages}", lang, date)
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - 2 * options.margin
    column = (width - (options.columns - 1) * options.gutter) / options.columns
    bottom = pdf.h - 16

    pdf.set_font("noto-bold", size=options.title_pt)
    with _tagged(pdf, "H1"):
        pdf.multi_cell(width, options.title_pt * 0.5, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("noto", size=options.text_pt + 1)
    pdf.set_text_color(90, 90, 90)
    with _tagged(pdf, "P"):
        pdf.cell(width, 7, words["handout"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if "has_audio" in lecture and not lecture["has_audio"]:  # a silent render says so
        from ..publish.webpage import silent_note

        with _tagged(pdf, "P"):
            pdf.multi_cell(width, 5, silent_note(lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)

    def text_height(text: str) -> float:
        pdf.set_font("noto", size=options.text_pt)
        return pdf.multi_cell(column, options.line_mm, text, align="L", dry_run=True, output=MethodReturnValue.HEIGHT)

    for scene in manifest.get("scenes", []):
        beats = [b for b in scene.get("beats") or [] if (out / b.get("still", "")).is_file()]
        image_h = column * scene["height"] / scene["width"]
        rows = [beats[i:i + options.columns] for i in range(0, len(beats), options.columns)] or [[]]
        heading = f'{scene["index"]}. {scene["title"]}'
        for number, row in enumerate(rows):
            row_h = (image_h + 2 + max((text_height(b["text"]) for b in row), default=0) + 5) if row else 0
            need = row_h + (11 if number == 0 else 0)
            if pdf.get_y() + need > bottom:
                pdf.add_page()
            if number == 0:
                pdf.start_section(heading, level=0)  # its bookmark
                pdf.set_font("noto-bold", size=options.heading_pt)
                pdf.set_draw_color(88, 196, 221)
                with _tagged(pdf, "H2"):
                    pdf.cell(width, 8, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                with _artifact(pdf):
                    pdf.line(options.margin, pdf.get_y(), options.margin + width, pdf.get_y())
                pdf.ln(3)
            top = pdf.get_y()
            for position, beat in enumerate(row):
                x = options.margin + position * (column + options.gutter)
                alt = words["frame"].format(scene=scene["index"], n=number * options.columns + position + 1,
                                            title=scene["title"])
                pdf.image(_image(out / beat["still"], options.image_px), x=x, y=top, w=column, h=image_h, alt_text=alt)
                pdf.set_draw_color(200, 200, 200)
                with _artifact(pdf):
                    pdf.rect(x, top, column, image_h)
                pdf.set_xy(x, top + image_h + 2)
                pdf.set_font("noto", size=options.text_pt)
                with _tagged(pdf, "P"):
                    pdf.multi_cell(column, options.line_mm, beat["text"], align="L")
            pdf.set_xy(options.margin, top + row_h)
        pdf.ln(2)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = bytes(pdf.output())
    target.write_bytes(data if date is not None else _without_creation_date(data))
