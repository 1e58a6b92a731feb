"""The story the data tell: what one height sample measures, what each binary observation
records, who or what was observed, and the Korean counter for them.

The data file names it (``[heights] measure``, ``[binary] measure``, ``subjects``,
``counter``); the deck's own data keep the deck's story (heights / 키; the phone operating
system / 핸드폰 운영체제 of passers-by / 길 가는 사람, counted in 명); data that differ from
the deck's and name no story are told in neutral words true of anything (samples,
observations, outcomes).

:func:`story_words` is the public accessor: the story in one language, for the scenes and
for anything else that words questions about the data.

>>> from mathcore.datafile import load_data_text
>>> words = story_words(load_data_text('[binary]\\nlabels = ["합격", "불합격"]\\ncounts = [55, 45]\\n'
...                                    'measure = {ko = "시험 결과", en = "exam result"}\\n'
...                                    'subjects = {ko = "응시자", en = "candidates"}\\ncounter = "명"\\n', "x.toml"), "en")
>>> words.binary_mode, words.binary_measure, words.subjects, words.subject, words.count(1), words.count(55)
('named', 'exam result', 'candidates', 'candidate', '1 candidate', '55 candidates')
>>> ko = story_words(load_data_text('[binary]\\ncounts = [3, 4]\\n', "x.toml"), "ko")
>>> ko.binary_mode, ko.subjects, ko.counter, ko.count(7), ko.heights_mode, ko.heights_measure
('neutral', '관측', '번', '7번', 'deck', '키')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .datafile import load_data
from .storytext import COUNTER, LANGS, MAX_STORY_CHARS, StoryText  # noqa: F401 (public here too)

if TYPE_CHECKING:
    from .datafile import LectureData


# The deck's story, and the neutral words for data that name none.
DECK = {
    "heights.measure": StoryText("키", "height"),
    "binary.measure": StoryText("핸드폰 운영체제", "phone operating system"),
    "binary.subjects": StoryText("길 가는 사람", "passers-by"),
    "binary.counter": "명",
}
NEUTRAL = {
    "binary.measure": StoryText("결과", "outcome"),
    "binary.subjects": StoryText("관측", "observations"),
    "binary.counter": "번",
}
# Words of the deck's story that must not appear where the data are not the deck's (the
# pre-publish gate looks for them: lecture/check/story.py), by the section they tell of.
# Only words specific to the deck's story: "height" alone is also the height of a curve.
DECK_STORY_MARKERS = {
    "heights": {"ko": ("키 표본",), "en": ("height measurement", "heights (")},
    "binary": {"ko": ("핸드폰", "운영체제", "길 가는 사람", "점유율"),
               "en": ("phone", "operating system", "passers-by", "passer-by", " OS ", " OS:", "share")},
}

_IRREGULAR_PLURALS = {"person": "people", "child": "children", "man": "men", "woman": "women",
                      "passer-by": "passers-by", "mouse": "mice", "foot": "feet", "tooth": "teeth",
                      "sheep": "sheep", "fish": "fish", "series": "series", "species": "species"}
_IRREGULAR_SINGULARS = {plural: single for single, plural in _IRREGULAR_PLURALS.items()}


def en_plural(noun: str) -> str:
    """The plural of an English noun phrase (its last word).

    >>> [en_plural(w) for w in ("exam result", "body weight", "coin toss", "family", "day", "passer-by", "person")]
    ['exam results', 'body weights', 'coin tosses', 'families', 'days', 'passers-by', 'people']
    """
    head, sep, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[lower]
        plural = plural if last.islower() else plural.capitalize()
    elif not re.search(r"[A-Za-z]\Z", last):
        plural = last  # a symbol or a Hangul word: left as it is
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return head + sep + plural


def en_singular(noun: str) -> str:
    """The singular of an English plural noun phrase (its last word); a word that does not
    look plural is left as it is.

    >>> [en_singular(w) for w in ("candidates", "passers-by", "people", "coin tosses", "families", "students", "staff")]
    ['candidate', 'passer-by', 'person', 'coin toss', 'family', 'student', 'staff']
    """
    head, sep, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in _IRREGULAR_SINGULARS:
        single = _IRREGULAR_SINGULARS[lower]
        single = single if last.islower() else single.capitalize()
    elif lower.endswith("ies") and len(lower) > 4:
        single = last[:-3] + "y"
    elif lower.endswith(("sses", "xes", "zes", "ches", "shes")):
        single = last[:-2]
    elif lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 2:
        single = last[:-1]
    else:
        single = last
    return head + sep + single


def en_article(noun: str) -> str:
    """'a' or 'an' before an English noun phrase, by its first sound.

    >>> [en_article(w) for w in ("exam result", "body weight", "hour", "unit", "one-off", "SMS", "iOS user")]
    ['an', 'a', 'an', 'a', 'a', 'an', 'an']
    """
    word = noun.strip().split(" ")[0]
    lower = word.lower()
    if lower.startswith(("hour", "honest", "honor", "honour", "heir")):
        return "an"
    if lower.startswith(("uni", "use", "usu", "ure", "one", "once", "eu", "ewe")):
        return "a"
    if word.isupper() and len(word) > 1:  # an acronym, read letter by letter: an SMS, a PC
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    return "an" if lower[:1] in ("a", "e", "i", "o", "u") else "a"


@dataclass(frozen=True)
class StoryWords:
    """The story in one language. ``*_mode`` per section: ``"deck"`` (the deck's data and
    story), ``"named"`` (the data file names at least part of it) or ``"neutral"`` (other
    data, no story). ``heights_measure`` is None in neutral mode (say "samples" alone).
    In English ``subjects`` is a plural and ``subject`` its singular; in Korean both are the
    same word and ``counter`` counts them (7명, 7번)."""

    lang: str
    heights_mode: str
    binary_mode: str
    heights_measure: str | None
    binary_measure: str
    subjects: str
    subject: str
    counter: str

    def count(self, n: int) -> str:
        """``n`` subjects: "55명", "7번"; "1 candidate", "55 candidates"."""
        if self.lang == "ko":
            return f"{n}{self.counter}"
        return f"{n} {self.subject if n == 1 else self.subjects}"

    def as_fields(self) -> dict[str, str]:
        """Template fields for the strings tables (see scenes/story.py)."""
        en = self.lang == "en"
        measures = en_plural(self.binary_measure) if en else self.binary_measure
        return {
            "h_measure": self.heights_measure or "",
            "b_measure": self.binary_measure,
            "b_measures": measures,
            "B_measures": measures[:1].upper() + measures[1:] if en else measures,
            "a_b_measure": f"{en_article(self.binary_measure)} {self.binary_measure}" if en else self.binary_measure,
            "subjects": self.subjects,
            "subject": self.subject,
            "counter": self.counter,
        }


@lru_cache(maxsize=1)
def _deck_sections() -> tuple[Any, Any]:
    deck = load_data(None)
    return (deck.heights.samples, deck.heights.unit), (deck.binary.labels, deck.binary.counts)


def heights_are_deck(data: "LectureData") -> bool:
    return (data.heights.samples, data.heights.unit) == _deck_sections()[0]


def binary_is_deck(data: "LectureData") -> bool:
    return (data.binary.labels, data.binary.counts) == _deck_sections()[1]


def story_modes(data: "LectureData") -> tuple[str, str]:
    """(heights mode, binary mode): each "deck", "named" or "neutral"."""
    h, b = data.heights, data.binary
    heights = "named" if h.measure is not None else ("deck" if heights_are_deck(data) else "neutral")
    named = any(v is not None for v in (b.measure, b.subjects, b.counter))
    binary = "named" if named else ("deck" if binary_is_deck(data) else "neutral")
    return heights, binary


def story_words(data: "LectureData", lang: str) -> StoryWords:
    """The story of ``data`` in ``lang`` ("ko" or "en"): the public accessor."""
    if lang not in LANGS:
        raise ValueError(f"expected one of {', '.join(LANGS)}, got {lang!r}")
    heights_mode, binary_mode = story_modes(data)
    h, b = data.heights, data.binary
    fallback = DECK if binary_is_deck(data) else NEUTRAL
    if h.measure is not None:
        heights_measure: str | None = h.measure.get(lang)
    else:
        heights_measure = DECK["heights.measure"].get(lang) if heights_mode == "deck" else None
    measure = (b.measure or fallback["binary.measure"]).get(lang)
    subjects = (b.subjects or fallback["binary.subjects"]).get(lang)
    counter = b.counter or fallback["binary.counter"]
    subject = en_singular(subjects) if lang == "en" else subjects
    return StoryWords(lang, heights_mode, binary_mode, heights_measure, measure, subjects, subject, counter)


def own_words(data: "LectureData") -> list[str]:
    """Every text the data file itself puts on screen or in narration (labels, unit, title,
    story words, the NLP example): a deck-story word inside them is the user's own."""
    h, b, lecture, nlp = data.heights, data.binary, data.lecture, data.nlp
    texts = [lecture.course, lecture.title, lecture.author, str(lecture.date), h.unit, *b.labels,
             nlp.context or "", nlp.correct or "", *(nlp.tokens or ())]
    for story in (h.measure, b.measure, b.subjects):
        if story is not None:
            texts += [story.ko, story.en]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def story_hint(data: "LectureData") -> str | None:
    """One line for `compute` and `render` when some data are not the deck's and name no
    story (the lecture then speaks of samples and observations); None otherwise."""
    heights_mode, binary_mode = story_modes(data)
    keys = []
    if heights_mode == "neutral":
        keys.append("[heights] measure")
    if binary_mode == "neutral":
        keys.append("[binary] measure, subjects, counter")
    if not keys:
        return None
    return (f"hint: {data.source}: these data are not the deck's and say not what they are, so the lecture "
            f"calls them samples and observations; to tell their story set {' and '.join(keys)} "
            f"(see nll-lecture template)")
