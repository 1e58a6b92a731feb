"""The lecture's questions in words: mathcore.questions computes each question, its answer and
its distractors from the data; this module fills the language's string table (block
``questions`` of scenes/strings_*.py) and places each question at its scene's end.

The manifest form (``manifest.json`` key ``questions``)::

    {"id", "scene", "time_s", "prompt", "choices": [{"text", "correct", "value"?}], "explanation"}
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

BLOCK = "questions"
# how far before its scene's end a question stops the video: the scene's last frame is still
# on screen (the next scene starts at the end time itself)
BEFORE_END_S = 0.1


def _table(lang: str) -> Mapping[str, str]:
    from scenes.text import strings

    return strings(BLOCK, lang)


def _names(indices: Iterable[int]) -> str:
    from scenes.text import subscript_digits

    return ", ".join("θ" + subscript_digits(int(i)) for i in indices)


def _fill(template: str, fields: Mapping[str, Any]) -> str:
    from scenes.text import subscript_digits

    shown = {}
    for name, value in fields.items():
        if isinstance(value, (list, tuple)):
            shown[name] = _names(value)
        elif name == "index":
            shown[name] = subscript_digits(int(value))
        else:
            shown[name] = value
    return template.format(**shown)


def ui_words(lang: str) -> dict[str, str]:
    """The page's words for asking questions (``ui_*`` keys, without the prefix)."""
    return {key[3:]: text for key, text in _table(lang).items() if key.startswith("ui_")}


def question_time(scene: Mapping[str, Any]) -> float | None:
    """When the question of ``scene`` (a manifest scene) stops the lecture: just before its end."""
    if scene.get("start_s") is None:
        return None
    end = float(scene["start_s"]) + float(scene["duration_s"])
    return round(max(float(scene["start_s"]), end - BEFORE_END_S), 3)


def worded(computed: Iterable[Mapping[str, Any]], lang: str,
           scenes: Iterable[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The manifest's questions: ``computed`` (mathcore.questions.lecture_questions) in
    ``lang``'s words, each timed at its scene's end when ``scenes`` (the manifest's, with
    ``start_s``) has that scene; questions of scenes not published are left out when
    ``scenes`` is given."""
    table = _table(lang)
    by_id = {s["id"]: s for s in scenes} if scenes is not None else None
    out = []
    for q in computed:
        if by_id is not None and q["scene"] not in by_id:
            continue
        choices = []
        for c in q["choices"]:
            choice: dict[str, Any] = {"text": _fill(table[f'{q["key"]}__{c["key"]}'], c["fields"]),
                                      "correct": bool(c["correct"])}
            if "value" in c:
                choice["value"] = c["value"]
            choices.append(choice)
        out.append({
            "id": q["id"],
            "scene": q["scene"],
            "time_s": question_time(by_id[q["scene"]]) if by_id else None,
            "prompt": _fill(table[q["key"]], q["fields"]),
            "choices": choices,
            "explanation": _fill(table[f'explain__{q["explanation"]}'], q["explanation_fields"]),
        })
    return out


def script_lines(questions: Iterable[Mapping[str, Any]]) -> list[str]:
    """Questions as plain text lines for ``nll-lecture script`` (the right choice marked *)."""
    lines = []
    for q in questions:
        when = f' @ {q["time_s"]:.3f}s' if q.get("time_s") is not None else ""
        lines.append(f'? {q["id"]} [{q["scene"]}]{when}  {q["prompt"]}')
        for letter, c in zip("ABCDEFGH", q["choices"]):
            lines.append(f'    {"*" if c["correct"] else " "} {letter}. {c["text"]}')
        lines.append(f'    = {q["explanation"]}')
    return lines
