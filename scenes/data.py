"""The lecture's data in a scene: the file NLL_LECTURE_DATA names (default: the deck's), its
numbers, and the title card's lines (scenes 1 and 12)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from mathcore import LectureData, lecture_results, load_data

from .text import DATA_ENV


@lru_cache(maxsize=4)
def _data_for(path: str | None) -> tuple[LectureData, dict[str, Any]]:
    data = load_data(path)
    return data, lecture_results(data)


def current_data() -> tuple[LectureData, dict[str, Any]]:
    """The data file named by NLL_LECTURE_DATA (default: the deck's data) and its numbers."""
    return _data_for(os.environ.get(DATA_ENV) or None)


def deck_data() -> LectureData:
    """The built-in (deck) data, whatever NLL_LECTURE_DATA says."""
    return _data_for(None)[0]


def card_line(scene: Any, field: str) -> str:
    """A title-card line of the data file (course, title, author); where it is still the
    deck's, the deck's line in the scene's language (``deck_<field>``, when the language has
    one: the English card romanises the deck's author). A data file's own line is shown as given."""
    value = getattr(scene.data.lecture, field)
    key = f"deck_{field}"
    if key in scene.words and value == getattr(deck_data().lecture, field):
        return scene.word(key)
    return value

