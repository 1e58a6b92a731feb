"""Captions and chapters: SubRip (.srt) and WebVTT (.vtt) out of manim's subcaptions.

A scene's subcaptions are its narration *beats* (one line each). :func:`split_beat` shapes a
beat into subtitle cues after the Netflix timed-text style guides (:class:`SubtitleRules`,
one per language in :data:`RULES`): at most two lines a cue, at most 16 (Korean) or 42
(English) characters a line, spaces included; lines broken only between words (a Korean
eojeol is never cut: its particles are part of it) and balanced; cues inside their beat,
their times split in proportion to their characters, each at most 7 s.
:func:`cue_problems` checks a scene's cues against the same rules (the pre-publish gate,
lecture/check, reports what it finds).

Times are whole milliseconds (ints) throughout, so shifting a clip's cues onto the lecture
timeline is exact. Pure Python.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

__all__ = [
    "KO_COUNTERS", "RULES", "UNITS", "Cue", "CueProblem", "Glue", "SubtitleRules", "balanced_lines", "caption_units", "glues", "tokens", "chapter_clock", "chapters_txt", "clamp_cues",
    "cue_chars", "cue_problems", "ms_at_or_after", "parse", "rules_for", "split_beat", "split_beats", "to_srt", "to_vtt",
]


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


def ms_at_or_after(seconds: float) -> int:
    """``seconds`` in whole milliseconds at or after it: where a clip's chapter and shifted
    captions start (never before its first frame). Frame times are whole ms or at least a
    thirtieth of one off, so a value already rounded to the µs (a manifest's) rounds alike.

    >>> from fractions import Fraction
    >>> ms_at_or_after(Fraction(749, 15)), ms_at_or_after(49.933333), ms_at_or_after(12.0)
    (49934, 49934, 12000)
    """
    return math.ceil(seconds * 1000 - 1e-3)


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
    """A chapter time as video sites take it, to the nearest second: M:SS, or H:MM:SS past an hour.

    >>> chapter_clock(0), chapter_clock(75_400), chapter_clock(3_725_000), chapter_clock(54_880)
    ('0:00', '1:15', '1:02:05', '0:55')
    """
    total = (ms + 500) // 1000
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


# Subtitles -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SubtitleRules:
    """How cues are shaped (Netflix timed-text style guides; characters count spaces).

    ``max_chars_per_s``: the reading rate a cue may ask for (checked, not enforced here: the
    beat's length is the scene's pacing, or the voice's).
    """

    max_line_chars: int = 42
    max_lines: int = 2
    min_cue_ms: int = 833  # 5/6 s (20 frames at 24 fps), in whole ms
    max_cue_ms: int = 7000
    max_chars_per_s: float = 17.0


RULES = {
    "ko": SubtitleRules(max_line_chars=16, max_chars_per_s=12.0),
    "en": SubtitleRules(max_line_chars=42, max_chars_per_s=17.0),
}


def rules_for(lang: str) -> SubtitleRules:
    """The rules of a language (English's for any other).

    >>> rules_for("ko").max_line_chars, rules_for("en").max_line_chars
    (16, 42)
    """
    return RULES.get(lang, RULES["en"])


# A Korean particle or copula written apart from a number or formula ("168.34 입니다"): it
# belongs to the word before it, so no line starts with it. (After a Hangul word these are
# words of their own: "이 사건" is "this event".)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_KO_TRAILING = frozenset({"은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "로", "으로", "도", "만",
                          "이다", "입니다", "이고", "이며", "에서", "까지", "부터"})


# Where a line may break: any run of white space but the no-break space (U+00A0), which a
# narration line uses to keep a term on one line ("음의\u00a0로그\u00a0가능도\u00a0(NLL)").
_BREAKS = re.compile(r"[^\S\u00a0]+")


# What must not be split (Netflix timed-text style: keep a number with its unit, a formula
# together): between two words the *glue* names the rule a break there breaks, and how hard
# it holds. A cue never ends at a glued break; a line breaks at one only inside a formula
# too long for a line (its weakest glue first: before an operator, as maths is typeset).
@dataclass(frozen=True)
class Glue:
    """Why two neighbouring words belong together; ``strength`` orders the glues from the
    first to give (1) to the last (6)."""

    strength: int
    rule: str


BEFORE_OPERATOR = Glue(1, "inside a formula (before an operator)")
AFTER_OPERATOR = Glue(2, "inside a formula (after an operator)")
FUNCTION = Glue(3, "between a function name and its argument")
UNIT = Glue(4, "between a number and its unit or counter")
PARENTHESES = Glue(5, "inside a formula (inside parentheses)")
PARTICLE = Glue(6, "between a word and its particle")

_OPERATOR_CHARS = frozenset("=+−-×/·^≤≥<>≈≠±÷*→")
_OPERATOR_START = frozenset("=×/·^≤≥≈≠±÷*→")  # a word starting with one of these continues a formula
_PUNCT = ".,!?;:…'\"’”)]」』"
_NUMBER = re.compile(r"[−\-+]?\d[\d,]*(?:\.\d+)?(?:[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\^[−\-]?\d+)?%?")
_FUNCTIONS = frozenset({"log", "ln", "exp", "arg", "max", "min", "argmax", "argmin", "sin", "cos", "tan",
                        "softmax", "sqrt", "det", "lim", "sum", "prod"})
# Units after a number (the data's own unit and counter are added by the caller).
UNITS = frozenset({"cm", "mm", "m", "km", "μm", "nm", "kg", "g", "mg", "t", "lb", "lbs", "oz", "in", "ft", "yd", "mi",
                   "s", "ms", "sec", "min", "h", "hr", "hrs", "%", "°", "°C", "°F", "℃", "K", "L", "mL", "ml", "Hz",
                   "kHz", "MHz", "GHz", "B", "KB", "MB", "GB", "TB", "px", "pt", "dB", "W", "kW", "V", "A", "J",
                   "kcal", "cal", "원", "달러", "달러의", "USD", "EUR", "bpm", "mmHg", "km/h", "m/s"})
KO_COUNTERS = frozenset({"명", "개", "번", "번째", "회", "단계", "걸음", "살", "세", "년", "개월", "월", "일", "주",
                         "시간", "분", "초", "원", "배", "점", "장", "권", "마리", "대", "건", "가지", "차례", "쌍",
                         "칸", "줄", "쪽", "퍼센트", "킬로그램", "그램", "센티미터", "미터", "밀리미터", "인치", "번씩"})
_KO_ENDINGS = frozenset({"", "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "로", "으로", "도", "만", "씩",
                         "째", "이다", "입니다", "이고", "이며", "에서", "까지", "부터", "이나", "나", "이면", "이라",
                         "이지만", "쯤", "마다", "당", "에서는", "에는", "으로는", "로는", "이었습니다", "였습니다",
                         "입니다만", "이에요", "예요", "이죠", "이지요", "째입니다"})
# English words after a number that are not what it counts ("0.2 and", "0.005 of").
_EN_FUNCTION_WORDS = frozenset({"and", "or", "but", "nor", "so", "yet", "then", "than", "of", "to", "in", "on", "at",
                                "by", "for", "from", "with", "as", "is", "are", "was", "were", "be", "been", "it",
                                "its", "this", "that", "these", "those", "the", "a", "an", "which", "who", "when",
                                "where", "while", "if", "we", "you", "they", "he", "she", "i", "not", "no", "now",
                                "here", "there", "into", "over", "under", "after", "before", "per", "times", "out",
                                "up", "down", "away", "again", "too", "also", "only", "still", "each", "every"})


# What a function name takes: a parenthesis, a number, a symbol ("p", "p가", "𝓛(θ|x)"), not a word.
_ARGUMENT = re.compile(r"\(|\d|[−\-]|(?:max|min)(?![a-z])|[^\W\d_](?![a-z])")


# Korean numerals that count with a counter written apart ("첫 번째", "두 번", "한 명의").
_KO_NUMERALS = frozenset({"한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열", "첫", "스무", "몇"})


def _is_number(token: str) -> bool:
    return bool(_NUMBER.fullmatch(token))


def _is_unit(token: str, units: frozenset[str]) -> bool:
    """``token`` (the word after a number) is its unit or counter: "cm", "cm에", "kg입니다.",
    "명이", "번째", "samples" (an English word counted), but not "and" or "입니다"."""
    core = token.rstrip(_PUNCT)
    if not core:
        return False
    if core in units:
        return True
    latin = re.match(r"([^\uac00-\ud7a3]+)([\uac00-\ud7a3]*)\Z", core)
    if latin and latin.group(1) in units:  # "cm에", "kg입니다"
        return True
    for counter in units:
        if _HANGUL.match(counter[:1] or " ") and core.startswith(counter) and core[len(counter):] in _KO_ENDINGS:
            return True
    word = re.fullmatch(r"[a-z][a-z\-]*", core)
    return bool(word) and core not in _EN_FUNCTION_WORDS


def _is_operator(token: str) -> bool:
    return bool(token) and all(c in _OPERATOR_CHARS for c in token)


def _glue(left: str, right: str, depth: int, units: frozenset[str]) -> Glue | None:
    """The glue between neighbouring words ``left`` and ``right`` (``depth``: formula
    parentheses open after ``left``), or None: a line may break there."""
    if right.rstrip(".,!?") in _KO_TRAILING and not (_HANGUL.match(left[-1]) or left[-1] in ".,!?;:…"):
        return PARTICLE
    if depth > 0:
        return PARENTHESES
    if (_is_number(left) or left in _KO_NUMERALS) and _is_unit(right, units):
        return UNIT  # "2.62 cm에", "55 명", "첫 번째", "한 걸음씩"
    if (left in _FUNCTIONS and _ARGUMENT.match(right)) or (
            right.startswith("(") and re.fullmatch(r"[^\W\d_][\u0300-\u036f]*", left) and not _HANGUL.match(left)):
        return FUNCTION  # "log p", "arg max", "L (p)": a function name and what it takes (not "log likelihood")
    if _is_operator(left) or (left[-1] in _OPERATOR_CHARS and left[-1] != "-" and len(left) > 1 and not _is_number(left)):
        return AFTER_OPERATOR
    if _is_operator(right) or right[0] in _OPERATOR_START:
        return BEFORE_OPERATOR
    return None


def _formula_depths(tokens: Sequence[str]) -> list[int]:
    """After each token, the formula parentheses still open: a "(" right after a letter, a
    digit or a ")" ("f(x;", "𝓛(θ", ")(") opens one; a prose parenthesis ("(NLL)", "(가능도가
    아님)") does not count."""
    text = " ".join(tokens)
    closes: set[int] = set()  # the "(" that a ")" closes later (an unclosed one holds nothing)
    stack: list[int] = []
    for i, char in enumerate(text):
        if char == "(":
            stack.append(i)
        elif char == ")" and stack:
            closes.add(stack.pop())
    depths, depth, formula, at = [], 0, [], 0
    for token in tokens:
        for i, char in enumerate(token):
            if char == "(":
                before = token[i - 1] if i else ""
                opens = bool(before) and not _HANGUL.match(before) and at + i in closes
                formula.append(opens)
                depth += opens
            elif char == ")" and formula:
                depth -= formula.pop()
        depths.append(depth)
        at += len(token) + 1
    return depths


def tokens(text: str) -> list[str]:
    r"""The words of a narration line or a cue as the splitter sees them (a no-break space
    joins: "음의\u00a0로그" is one).

    >>> tokens("음의\u00a0로그  가능도\n(NLL)")
    ['음의\xa0로그', '가능도', '(NLL)']
    """
    return [t for t in _BREAKS.split(text) if t]


def glues(tokens: Sequence[str], units: Iterable[str] = ()) -> list[Glue | None]:
    """The glue between each two neighbouring ``tokens`` (one fewer than them).

    >>> [g and g.rule for g in glues("σ는 2.62 cm에 고정하고".split())]
    [None, 'between a number and its unit or counter', None]
    >>> [g and g.strength for g in glues("첫 번째 후보 세 후보의".split())]
    [4, None, None, None]
    >>> [g and g.strength for g in glues("모두 p̂ = 7/10 = 0.7에 있습니다.".split())]
    [None, 1, 2, 1, 2, None]
    >>> [g and g.strength for g in glues(["f(x;", "θ)입니다.", "arg", "max", "L", "(p)", "log", "likelihood"])]
    [5, None, 3, 3, 3, None, None]
    """
    unit_set = UNITS | KO_COUNTERS | frozenset(u for u in units if u)
    depths = _formula_depths(tokens)
    return [_glue(tokens[i], tokens[i + 1], depths[i], unit_set) for i in range(len(tokens) - 1)]


def caption_units(text: str, max_len: int | None = None, units: Iterable[str] = ()) -> tuple[list[str], list[Glue | None]]:
    """The words a line may break between and the glue between each two: glued tokens are
    one word when they fit ``max_len``; a glued run longer than that is cut at its weakest
    glues (again and again) until its parts fit, and those cuts keep their glue."""
    tokens = [t for t in _BREAKS.split(text) if t]
    if not tokens:
        return [], []
    between = glues(tokens, units)

    def parts(lo: int, hi: int) -> tuple[list[str], list[Glue | None]]:
        """tokens[lo:hi], one glued run: as words and the glue between them."""
        whole = " ".join(tokens[lo:hi])
        inner = [between[k] for k in range(lo, hi - 1)]
        if hi - lo == 1 or max_len is None or len(whole) <= max_len:
            return [whole], []
        weakest = min(g.strength for g in inner if g is not None)
        words: list[str] = []
        glue: list[Glue | None] = []
        start = lo
        for k in range(lo, hi):
            if k == hi - 1 or between[k].strength == weakest:
                sub_words, sub_glue = parts(start, k + 1)
                if words:
                    glue.append(between[start - 1])
                words += sub_words
                glue += sub_glue
                start = k + 1
        return words, glue

    words: list[str] = []
    glue: list[Glue | None] = []
    start = 0
    for k in range(len(tokens)):
        if k == len(tokens) - 1 or between[k] is None:
            run_words, run_glue = parts(start, k + 1)
            if words:
                glue.append(None)
            words += run_words
            glue += run_glue
            start = k + 1
    return words, glue


def _words(text: str, max_len: int | None = None, units: Iterable[str] = ()) -> list[str]:
    """The units a line may break between: words (spaces collapsed; a no-break space joins),
    a detached Korean particle kept with the word before it, a number with its unit, a
    formula whole (each if it fits ``max_len``: see :func:`glues`).

    >>> _words("μ̂ = 168.34 입니다.  이 가능도는  크다")
    ['μ̂ = 168.34 입니다.', '이', '가능도는', '크다']
    >>> _words("곧 음의\u00a0로그\u00a0가능도 (NLL)")
    ['곧', '음의\xa0로그\xa0가능도', '(NLL)']
    >>> _words("표준편차 σ는 2.62 cm에 고정하고", 16)
    ['표준편차', 'σ는', '2.62 cm에', '고정하고']
    """
    return caption_units(text, max_len, units)[0]


def _cut_glue(words: Sequence[str], glue: Sequence[Glue | None] | None, cut: int) -> int:
    """The strength of the glue at the break before ``words[cut]`` (0: a free break)."""
    if not glue:
        return 0
    g = glue[cut - 1]
    return 0 if g is None else g.strength


def balanced_lines(words: Sequence[str], rules: SubtitleRules, glue: Sequence[Glue | None] | None = None) -> list[str]:
    """One cue's text as lines: one line if it fits, else the two lines (broken between
    words, at the weakest glue there is: ``glue`` between each two words) whose lengths
    differ least, the top one the shorter on a tie; a text that fits no two lines (a word
    longer than a line) comes back as they best go.

    >>> balanced_lines("the quick brown fox jumps over the lazy dog again".split(), SubtitleRules(max_line_chars=30))
    ['the quick brown fox jumps', 'over the lazy dog again']
    """
    whole = " ".join(words)
    if len(whole) <= rules.max_line_chars or len(words) < 2:
        return [whole]
    best: tuple[tuple[int, int, int, int], list[str]] | None = None
    for cut in range(1, len(words)):
        top, bottom = " ".join(words[:cut]), " ".join(words[cut:])
        over = max(len(top), len(bottom)) - rules.max_line_chars
        score = (max(over, 0), _cut_glue(words, glue, cut), abs(len(top) - len(bottom)), len(top) - len(bottom))
        if best is None or score < best[0]:
            best = (score, [top, bottom])
    return best[1]


def _fits(words: Sequence[str], rules: SubtitleRules, glue: Sequence[Glue | None] | None = None) -> bool:
    lines = balanced_lines(words, rules, glue)
    return len(lines) <= rules.max_lines and all(len(line) <= rules.max_line_chars for line in lines)


def _chunks(words: Sequence[str], rules: SubtitleRules, glue: Sequence[Glue | None] | None = None,
            ms_per_char: float = 0.0) -> list[list[str]]:
    """The words in cues that fit: no cue ending at a glue where that can be helped, then
    no cue shorter than ``min_cue_ms`` (at ``ms_per_char``, the beat's pace) where that can
    be, then the fewest cues, as even in length as can be (the longest cue as short as
    possible, then the sum of squared lengths least). A single word that fits no line is a
    cue of its own."""
    n = len(words)
    if n == 0:
        return []
    glue = list(glue) if glue else [None] * (n - 1)
    length = [[0] * (n + 1) for _ in range(n + 1)]
    fits = [[False] * (n + 1) for _ in range(n + 1)]
    for i in range(n):
        for j in range(i + 1, n + 1):
            length[i][j] = len(" ".join(words[i:j]))
            fits[i][j] = j == i + 1 or _fits(words[i:j], rules, glue[i:j - 1])
    # best[j] = (glued ends, short cues, cues, longest, squares, previous cut) for words[:j]
    inf = (10**9, 10**9, 10**9, 10**9, 10**18, -1)
    best: list[tuple[int, int, int, int, int, int]] = [inf] * (n + 1)
    best[0] = (0, 0, 0, 0, 0, -1)
    for j in range(1, n + 1):
        end_glued = int(j < n and glue[j - 1] is not None)
        for i in range(j):
            if not fits[i][j] or best[i][0] >= 10**9:
                continue
            glued, short, cues, longest, squares, _ = best[i]
            too_short = int(length[i][j] * ms_per_char < rules.min_cue_ms)
            candidate = (glued + end_glued, short + too_short, cues + 1, max(longest, length[i][j]),
                         squares + length[i][j] ** 2, i)
            if candidate[:5] < best[j][:5]:
                best[j] = candidate
    cuts, j = [], n
    while j > 0:
        i = best[j][5]
        cuts.append((i, j))
        j = i
    return [list(words[i:j]) for i, j in reversed(cuts)]


def cue_chars(text: str) -> int:
    """Characters a cue asks to be read (its lines joined by one space).

    >>> cue_chars("가능도는\\n크다")
    7
    """
    return len(" ".join(text.split("\n")))


def split_beat(start_ms: int, end_ms: int, text: str, rules: SubtitleRules, units: Iterable[str] = ()) -> list[Cue]:
    """One narration beat as subtitle cues: the fewest cues whose lines fit and that end
    at no glue (:func:`glues`: never between a number and its unit, inside a formula...;
    ``units``: the data's own units and counters, besides :data:`UNITS`), lines balanced
    and broken between words, the beat's time shared in proportion to each cue's
    characters, each cue cut at ``max_cue_ms`` (the rest of its share left without a caption).

    >>> for cue in split_beat(0, 6000, "가능도는 데이터가 주어졌을 때 모수가 얼마나 그럴듯한지를 재는 함수입니다.", RULES["ko"]):
    ...     print(cue.start_ms, cue.end_ms, cue.text.replace("\\n", " / "))
    0 3000 가능도는 데이터가 / 주어졌을 때 모수가
    3000 6000 얼마나 그럴듯한지를 / 재는 함수입니다.
    """
    words, glue = caption_units(text, rules.max_line_chars, units)
    pace = (end_ms - start_ms) / max(len(" ".join(words)), 1)  # about: the cues' characters leave out their joins
    chunks = _chunks(words, rules, glue, pace)
    if not chunks or end_ms <= start_ms:
        return []
    sizes = [len(" ".join(chunk)) for chunk in chunks]
    total, done = sum(sizes), 0
    cues, begin, first = [], start_ms, 0
    for chunk, size in zip(chunks, sizes):
        done += size
        finish = start_ms + (end_ms - start_ms) * done // total
        body = "\n".join(balanced_lines(chunk, rules, glue[first:first + len(chunk) - 1]))
        cues.append(Cue(begin, min(finish, begin + rules.max_cue_ms), body))
        begin, first = finish, first + len(chunk)
    return [cue for cue in cues if cue.end_ms > cue.start_ms]


def split_beats(beats: Iterable[Cue], rules: SubtitleRules, units: Iterable[str] = ()) -> list[Cue]:
    """Every beat (a Cue holding one narration line) split by :func:`split_beat`."""
    units = tuple(units)
    return [cue for beat in beats for cue in split_beat(beat.start_ms, beat.end_ms, beat.text, rules, units)]


@dataclass(frozen=True)
class CueProblem:
    """One way a cue breaks the rules: where (ms, in the cue list's timeline) and what;
    ``level`` "error" or "warning" (a voiced render's reading rate is the voice's)."""

    at_ms: int
    message: str
    level: str = "error"


def _snippet(text: str, limit: int = 40) -> str:
    flat = " / ".join(text.split("\n"))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def cue_problems(cues: Sequence[Cue], beats: Sequence[Cue], rules: SubtitleRules,
                 voiced: bool = False, units: Iterable[str] = ()) -> list[CueProblem]:
    """Every rule a scene's ``cues`` break, given the narration ``beats`` they come from:
    lines (count, length, breaks only between the beat's words, balance), duration (at
    least ``min_cue_ms``, at most ``max_cue_ms``; a cue ending its clip early by the clip's
    end is not short), reading rate (a warning when ``voiced``), every cue inside one beat,
    and the beats' words all captioned, in order."""
    problems: list[CueProblem] = []
    remaining = {i: beat.text.split() for i, beat in enumerate(beats)}
    for cue in cues:
        where = f'caption "{_snippet(cue.text)}"'
        lines = cue.text.split("\n")
        if len(lines) > rules.max_lines:
            problems.append(CueProblem(cue.start_ms, f"{where} has {len(lines)} lines (at most {rules.max_lines})"))
        for line in lines:
            if len(line) > rules.max_line_chars:
                problems.append(CueProblem(cue.start_ms, f'{where}: line "{line}" has {len(line)} characters '
                                                         f"(at most {rules.max_line_chars})"))
        if len(lines) == 2 and all(len(line) <= rules.max_line_chars for line in lines):
            words, glue = caption_units(" ".join(lines), rules.max_line_chars, units)
            best = balanced_lines(words, rules, glue)
            if abs(len(best[0]) - len(best[-1])) < abs(len(lines[0]) - len(lines[1])) and len(best) == 2:
                problems.append(CueProblem(cue.start_ms, f"{where}: lines of {len(lines[0])} and {len(lines[1])} "
                                                         f"characters (balanced: {len(best[0])} and {len(best[1])})"))
        duration = cue.end_ms - cue.start_ms
        if duration < rules.min_cue_ms:
            problems.append(CueProblem(cue.start_ms, f"{where} lasts {duration / 1000:.2f} s "
                                                     f"(at least {rules.min_cue_ms / 1000:.3f} s)"))
        if duration > rules.max_cue_ms:
            problems.append(CueProblem(cue.start_ms, f"{where} lasts {duration / 1000:.2f} s "
                                                     f"(at most {rules.max_cue_ms / 1000:.0f} s)"))
        rate = cue_chars(cue.text) / max(duration, 1) * 1000
        if rate > rules.max_chars_per_s + 1e-9:
            problems.append(CueProblem(cue.start_ms, f"{where} asks {rate:.1f} characters a second "
                                                     f"(at most {rules.max_chars_per_s:g})",
                                       "warning" if voiced else "error"))
        inside = [i for i, beat in enumerate(beats) if beat.start_ms <= cue.start_ms and cue.end_ms <= beat.end_ms]
        if not inside:
            problems.append(CueProblem(cue.start_ms, f"{where} is not inside one narration beat"))
            continue
        words, left = " ".join(lines).split(), remaining[inside[0]]
        if left[: len(words)] != words:
            expected = " ".join(left[: len(words)])
            problems.append(CueProblem(cue.start_ms, f'{where} breaks inside a word or leaves the narration '
                                                     f'(expected "{_snippet(expected)}")'))
            remaining[inside[0]] = left[len(words):]
        else:
            remaining[inside[0]] = left[len(words):]
    for i, left in remaining.items():
        if left:
            problems.append(CueProblem(beats[i].start_ms, f'narration "{_snippet(" ".join(left))}" has no caption'))
    return sorted(problems, key=lambda p: p.at_ms)
