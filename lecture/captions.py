"""Captions and chapters: SubRip (.srt) and WebVTT (.vtt) out of manim's subcaptions.

Times are whole milliseconds (ints) throughout, so shifting a clip's cues onto the lecture
timeline is exact. Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True)
class Cue:
    """One caption: [start_ms, end_ms) and its text.

    >>> Cue(0, 1500, "hi").shifted(1000)
    Cue(start_ms=1000, end_ms=2500, text='hi')
    """

    start_ms: int
    end_ms: int
    text: str

    def shifted(self, offset_ms: int) -> "Cue":
        return Cue(self.start_ms + offset_ms, self.end_ms + offset_ms, self.text)


def clamp_cues(raw: Iterable[tuple[float, float, str]], duration_s: float) -> list[Cue]:
    """Cues from (start_s, end_s, text), clamped to [0, duration]; empty ones are dropped.

    manim's last subcaption may end a little after the clip's last frame: it is cut there.

    >>> clamp_cues([(0.0, 2.0, "a"), (2.0, 9.5, "b"), (9.9, 12.0, "c")], 9.5)
    [Cue(start_ms=0, end_ms=2000, text='a'), Cue(start_ms=2000, end_ms=9500, text='b')]
    """
    limit = int(duration_s * 1000)  # floor: a cue never ends after the last frame
    cues = []
    for start, end, text in sorted(raw, key=lambda c: (c[0], c[1])):
        start_ms = min(max(int(round(start * 1000)), 0), limit)
        end_ms = min(max(int(round(end * 1000)), 0), limit)
        text = text.strip()
        if end_ms > start_ms and text:
            cues.append(Cue(start_ms, end_ms, text))
    return cues


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip text.

    >>> print(to_srt([Cue(0, 1500, "hi")]), end="")
    1
    00:00:00,000 --> 00:00:01,500
    hi
    <BLANKLINE>
    """
    blocks = [f"{i}\n{_clock(c.start_ms, ',')} --> {_clock(c.end_ms, ',')}\n{c.text}\n" for i, c in enumerate(cues, 1)]
    return "\n".join(blocks)


def _vtt_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: Sequence[Cue], ids: Sequence[str] | None = None) -> str:
    """WebVTT text; ``ids`` (optional) names each cue.

    >>> print(to_vtt([Cue(61000, 62000, "a < b")]), end="")
    WEBVTT
    <BLANKLINE>
    00:01:01.000 --> 00:01:02.000
    a &lt; b
    <BLANKLINE>
    """
    blocks = ["WEBVTT\n"]
    for i, cue in enumerate(cues):
        head = f"{ids[i]}\n" if ids else ""
        blocks.append(f"{head}{_clock(cue.start_ms, '.')} --> {_clock(cue.end_ms, '.')}\n{_vtt_text(cue.text)}\n")
    return "\n".join(blocks)


_TIME = r"(\d+):(\d{2}):(\d{2})[.,](\d{3})"
_TIMING = re.compile(_TIME + r"\s+-->\s+" + _TIME)


def _ms(groups: Sequence[str]) -> int:
    h, m, s, ms = (int(g) for g in groups)
    return ((h * 60 + m) * 60 + s) * 1000 + ms


def parse(text: str) -> list[Cue]:
    """Cues of an SRT or WebVTT text (as written here: one timing line, then text lines).

    >>> parse(to_vtt([Cue(0, 1500, "x & y")])) == parse(to_srt([Cue(0, 1500, "x & y")]))
    True
    """
    cues = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = block.split("\n")
        for i, line in enumerate(lines):
            match = _TIMING.search(line)
            if match:
                body = "\n".join(lines[i + 1:])
                body = body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                cues.append(Cue(_ms(match.groups()[:4]), _ms(match.groups()[4:]), body))
                break
    return cues


def chapter_clock(ms: int) -> str:
    """A chapter time as video sites take it: M:SS, or H:MM:SS past an hour.

    >>> chapter_clock(0), chapter_clock(75_400), chapter_clock(3_725_000)
    ('0:00', '1:15', '1:02:05')
    """
    total = ms // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def chapters_txt(chapters: Sequence[tuple[int, str]]) -> str:
    """'0:00 Title' lines, one per chapter (start_ms, title).

    >>> print(chapters_txt([(0, "Intro"), (75_400, "Next")]), end="")
    0:00 Intro
    1:15 Next
    """
    return "".join(f"{chapter_clock(start)} {title}\n" for start, title in chapters)
