"""Language selection and string lookup. Pure Python: no manim import."""

from __future__ import annotations

import os

from . import strings_en, strings_ko

LANGUAGES = ("ko", "en")
LANG_ENV = "NLL_LECTURE_LANG"
DATA_ENV = "NLL_LECTURE_DATA"
_TABLES = {"ko": strings_ko.STRINGS, "en": strings_en.STRINGS}


def current_language() -> str:
    """The language chosen by NLL_LECTURE_LANG (default ko); anything else is an error."""
    lang = os.environ.get(LANG_ENV, "ko").strip() or "ko"
    if lang not in LANGUAGES:
        raise ValueError(f"{LANG_ENV}: expected one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


def strings(scene_id: str, lang: str) -> dict[str, str]:
    """The strings of one scene (with the common ones underneath) in one language."""
    table = _TABLES[lang]
    return {**table["common"], **table[scene_id]}


def scene_title(scene_id: str, lang: str) -> str:
    """A scene's title, as shown in chapters and on the web page."""
    return _TABLES[lang][scene_id]["title"]
