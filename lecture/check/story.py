"""Gate rule: no word of the deck's story (heights, phones, passers-by) in a lecture whose
data are not the deck's.

The render worker notes in each scene's check record which data sections are the deck's
and the texts the data file itself supplies (:func:`story_record`); :func:`story_problems`
then looks for the deck's story words (:data:`mathcore.story.DECK_STORY_MARKERS`) of every
section that is not the deck's, in the scene's captions and in every text on screen at
each beat's end. A marker inside the user's own words (labels, story words, title) is theirs.
"""

from __future__ import annotations

from typing import Any

__all__ = ["story_problems", "story_record"]


def story_record(data: Any, lang: str) -> dict[str, Any]:
    """What the gate needs to know of the data: which sections are the deck's, the language,
    the data file's own texts, and its unit and counter (a cue never ends between a number
    and them: lecture/captions.py)."""
    from mathcore.story import binary_is_deck, heights_are_deck, own_words, story_words

    return {"lang": lang, "deck": {"heights": heights_are_deck(data), "binary": binary_is_deck(data)},
            "own": own_words(data), "units": [u for u in (data.heights.unit, story_words(data, lang).counter) if u]}


def _markers(record: dict[str, Any]) -> list[tuple[str, str]]:
    from mathcore.story import DECK_STORY_MARKERS

    lang = record.get("lang", "ko")
    deck = record.get("deck", {})
    return [(section, marker) for section, by_lang in DECK_STORY_MARKERS.items()
            if not deck.get(section, True) for marker in by_lang.get(lang, ())]


def story_problems(record: dict[str, Any] | None, beats: list[list[Any]],
                   layout: list[dict[str, Any]]) -> list[tuple[float | None, str]]:
    """(time, message) for every deck-story word found, once per word and where; ``beats``
    are [start_ms, end_ms, text], ``layout`` the snapshots at each beat's end."""
    if not record:
        return []  # rendered before the record held the story: nothing to compare with
    markers = _markers(record)
    if not markers:
        return []
    own = list(record.get("own", []))

    def found(text: str) -> list[tuple[str, str]]:
        for word in own:
            text = text.replace(word, " ")
        padded = f" {text} "
        return [(section, marker) for section, marker in markers if marker.lower() in padded.lower()
                if marker.strip() == marker or marker in padded]

    problems: list[tuple[float | None, str]] = []
    seen: set[tuple[str, str]] = set()
    for start_ms, _end_ms, text in beats:
        for section, marker in found(str(text)):
            if ("narration", marker) not in seen:
                seen.add(("narration", marker))
                problems.append((start_ms / 1000, f"the deck's story word {marker.strip()!r} in the narration, "
                                                  f"but the [{section}] data are not the deck's: {str(text)[:60]!r}"))
    for snapshot in layout:
        for item in snapshot.get("texts", []):
            for section, marker in found(str(item.get("text", ""))):
                if ("screen", marker) not in seen:
                    seen.add(("screen", marker))
                    problems.append((snapshot.get("time_s"), f"the deck's story word {marker.strip()!r} on screen, "
                                                             f"but the [{section}] data are not the deck's: "
                                                             f"{str(item.get('text'))[:60]!r}"))
    return problems
