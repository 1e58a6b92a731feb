"""The story keys' values as the data file holds them (``[heights] measure``, ``[binary]
measure``, ``subjects``, ``counter``): the types and limits datafile.py validates against.
mathcore/story.py builds the lecture's words from them (it reads the data file; this module
does not, so the two import in one direction)."""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGS = ("ko", "en")
MAX_STORY_CHARS = 40
COUNTER = re.compile(r"[\uac00-\ud7a3]{1,2}")  # 명, 번, 개, 마리, 가구 ...


@dataclass(frozen=True)
class StoryText:
    """A story word in each language (a plain string in the data file gives both the same).

    >>> StoryText("체중", "body weight").get("ko")
    '체중'
    """

    ko: str
    en: str

    def get(self, lang: str) -> str:
        return getattr(self, lang)
