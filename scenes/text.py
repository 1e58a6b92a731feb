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


def scene_title(scene_id: str, lang: str, data=None) -> str:
    """A scene's title, as shown in chapters and on the web page; with ``data`` (a
    LectureData) in the data's story (scene 9's "Example: phone OS share" is the deck's)."""
    from mathcore import load_data

    from .story import fill

    return fill(strings(scene_id, lang), scene_id, "title", load_data(None) if data is None else data, lang)


# Korean particles after a number: the choice follows the number's spoken last syllable.
_DIGIT_HAS_FINAL = (True, True, False, True, False, False, True, True, True, False)  # 영 일 이 삼 사 오 육 칠 팔 구
_GROUP_HAS_FINAL = (None, True, True, False, True)  # after the units group: 만 억 조 경


def ko_particle(number: int, with_final: str, without_final: str) -> str:
    """The Korean particle for after ``number`` read aloud in Sino-Korean: ``with_final``
    (은, 이, 을) after a syllable ending in a consonant, else ``without_final`` (는, 가, 를).

    The number is read in groups of four digits (만, 억, 조, 경); it ends on the unit of
    its lowest non-zero group, or within the units group on its last digit (or 십/백/천).

    >>> [ko_particle(k, "은", "는") for k in (7, 3, 2, 9, 10, 100, 0, 31, 25, 2000)]
    ['은', '은', '는', '는', '은', '은', '은', '은', '는', '은']
    >>> ko_particle(10**12, "은", "는"), ko_particle(10**13, "은", "는"), ko_particle(10**4, "이", "가")
    ('는', '는', '이')
    """
    number = abs(int(number))
    if number == 0:
        return with_final
    group = 0
    while number % 10_000 == 0:
        number //= 10_000
        group += 1
    if group:
        has_final = _GROUP_HAS_FINAL[min(group, 4)]
    else:
        units = number % 10
        has_final = _DIGIT_HAS_FINAL[units] if units else True  # 십, 백, 천
    return with_final if has_final else without_final


def subscript_digits(number: int) -> str:
    """An integer as Unicode subscript digits (₁₀C₇ in narration and captions).

    >>> subscript_digits(10) + "C" + subscript_digits(7)
    '₁₀C₇'
    """
    return str(int(number)).translate(str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋"))
