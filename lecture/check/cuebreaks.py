"""Gate rule: a cue never ends between a number and its unit or counter, or inside a
formula (before or after an operator, between a function name and its argument, inside a
formula's parentheses), and no line of a cue breaks there when the glued words would fit
one line. The rules are lecture/captions.py's :func:`~lecture.captions.glues`, the same the
splitter keeps; here they are read back from the published cues and the narration beats.
"""

from __future__ import annotations

from typing import Iterable, Sequence

__all__ = ["cue_break_problems"]


def _snippet(text: str, limit: int = 40) -> str:
    flat = " / ".join(text.split("\n"))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def cue_break_problems(cues: Sequence, beats: Sequence, max_line_chars: int,
                       units: Iterable[str] = ()) -> list[tuple[float, str]]:
    """(time_s, message) for every cue ending, and every avoidable line break, at a glue.
    ``cues`` and ``beats`` are :class:`lecture.captions.Cue` (a beat holds one narration
    line); cues that do not follow their beat's words are left to ``cue_problems``."""
    from .. import captions

    units = tuple(units)
    problems: list[tuple[float, str]] = []
    for beat in beats:
        words = captions.tokens(beat.text)
        between = captions.glues(words, units)
        inside = [cue for cue in cues if beat.start_ms <= cue.start_ms and cue.end_ms <= beat.end_ms]
        at = 0
        for number, cue in enumerate(inside):
            lines = [captions.tokens(line) for line in cue.text.split("\n")]
            flat = [word for line in lines for word in line]
            if words[at:at + len(flat)] != flat:
                break  # the cue leaves the narration: cue_problems says so
            where = f'caption "{_snippet(cue.text)}"'
            # a line break inside the cue, where the glued words would fit one line
            done = at
            for line in lines[:-1]:
                done += len(line)
                glue = between[done - 1] if 0 < done < len(words) else None
                if glue is not None and _run_length(words, between, done - 1) <= max_line_chars:
                    problems.append((cue.start_ms / 1000, f'{where} breaks a line {glue.rule}: '
                                                          f'"{words[done - 1]} / {words[done]}"'))
            at += len(flat)
            last = number == len(inside) - 1
            if not last and 0 < at < len(words) and between[at - 1] is not None:
                glue = between[at - 1]
                problems.append((cue.start_ms / 1000, f'{where} ends {glue.rule}: '
                                                      f'"{words[at - 1]}" | "{words[at]}"'))
    return problems


def _run_length(words: Sequence[str], between: Sequence, k: int) -> int:
    """Characters of the glued run holding the break after ``words[k]``."""
    lo, hi = k, k + 1
    while lo > 0 and between[lo - 1] is not None:
        lo -= 1
    while hi < len(words) - 1 and between[hi] is not None:
        hi += 1
    return len(" ".join(words[lo:hi + 1]))
