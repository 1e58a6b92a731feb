"""The data's story in the strings tables: which variant of a line to say, and its fields.

A line of a strings table may come in variants by the story of the section it speaks of
(:func:`mathcore.story.story_modes`): ``key`` is the line for a named story, ``key_deck``
(``name_deck_say`` for narration ``name_say``) the deck's own words for the deck's data,
``key_neutral`` the neutral words for other data that name no story. A missing variant
falls back to ``key``. Every line is filled with the story's words (``{h_measure}``,
``{b_measure}``, ``{subjects}``, ``{counter}``, ``{n_subjects}``, ...; see
:func:`story_fields`), and a field may carry a Korean particle as its format spec:
``{counter:이}`` gives 명이 / 번이 / 개가, ``{b_measure:을}`` 시험 결과를 / 체중을 (the form
follows the final sound: :func:`mathcore.korean.josa`). Pure Python: no manim import.
"""

from __future__ import annotations

import string
from typing import Any

from mathcore import LectureData
from mathcore.korean import PARTICLES, josa
from mathcore.story import StoryWords, story_modes, story_words

# The section of the data each scene's story words come from.
SCENE_SECTION = {
    "likelihood-continuous": "heights", "comparing-likelihoods": "heights", "height-samples": "heights",
    "maximum-likelihood": "heights", "log-likelihood": "heights", "negative-log-likelihood": "heights",
    "likelihood-discrete": "binary", "phone-os": "binary", "gradient-descent": "binary",
}


def section_of(scene_id: str, key: str) -> str | None:
    """The data section line ``key`` of scene ``scene_id`` speaks of (None: no story).

    >>> section_of("title", "binary_data"), section_of("title", "examples_heights"), section_of("phone-os", "title")
    ('binary', 'heights', 'binary')
    """
    if scene_id == "title":
        for section in ("heights", "binary"):
            if key.startswith((f"{section}_", f"examples_{section}")):
                return section
        return None
    return SCENE_SECTION.get(scene_id)


def variant_key(key: str, mode: str) -> str:
    """``observed_say`` -> ``observed_deck_say``; ``title`` -> ``title_deck``."""
    return f"{key[:-4]}_{mode}_say" if key.endswith("_say") else f"{key}_{mode}"


def pick_template(table: dict[str, str], scene_id: str, key: str, modes: tuple[str, str]) -> str:
    """The template of line ``key``: its variant for the story mode of its section, else itself."""
    section = section_of(scene_id, key)
    if section is not None:
        mode = modes[0] if section == "heights" else modes[1]
        variant = table.get(variant_key(key, mode))
        if variant is not None:
            return variant
    return table[key]


class _StoryFormatter(string.Formatter):
    """str.format, where a format spec that is a Korean particle (은, 이, 을, 과, 으로, ...)
    appends that particle in the form the value's last sound takes."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in PARTICLES:
            text = format(value, "")
            return text + josa(text, format_spec)
        return super().format_field(value, format_spec)


FORMATTER = _StoryFormatter()


def story_fields(data: LectureData, words: StoryWords) -> dict[str, str]:
    """Every story field a line may use, for these data (counts included: ``n_subjects``
    is "100 candidates" / "100명"; ``b_measures_n`` is singular when n is 1)."""
    fields = words.as_fields()
    binary = data.binary
    n, k, m = binary.n, binary.counts[0], binary.counts[1]
    fields.update(n_subjects=words.count(n), k_subjects=words.count(k), m_subjects=words.count(m))
    if words.lang == "en" and n == 1:
        fields.update(b_measures_n=words.binary_measure,
                      B_measures_n=words.binary_measure[:1].upper() + words.binary_measure[1:])
    else:
        fields.update(b_measures_n=fields["b_measures"], B_measures_n=fields["B_measures"])
    fields.update(first=binary.labels[0], second=binary.labels[1], n=n, k=k, m=m)
    return fields


def fill(table: dict[str, str], scene_id: str, key: str, data: LectureData, lang: str,
         fields: dict[str, Any] | None = None) -> str:
    """Line ``key`` of ``table`` (one scene's strings in ``lang``), its story variant for
    ``data``, filled with the story's words and then ``fields``."""
    words = story_words(data, lang)
    template = pick_template(table, scene_id, key, story_modes(data))
    return FORMATTER.format(template, **{**story_fields(data, words), **(fields or {})})
