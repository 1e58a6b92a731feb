"""The data file (TOML): load, validate, fill in the deck's defaults.

A user regenerates the lecture with their own numbers through this file; every rule below
is part of that contract, and every violation is a :class:`DataError` naming the file, the
key path and the bad value, in one printable line.

Files are read one way only: :func:`read_regular_file` accepts regular files only (never a
FIFO, a directory or a device; opened non-blocking, checked again on the open descriptor),
reads at most a bounded number of bytes, and a UTF-8 byte-order mark is ignored. The
resolved data can be written back as TOML text (:func:`snapshot_text`) and loaded from a
string (:func:`load_data_text`) to the same numbers.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import hashlib
import itertools
import json
import math
import os
import re
import stat
import tomllib
import unicodedata
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .crossentropy import EXAMPLE_LOGITS, EXAMPLES, NextTokenExample
from .descent import DescentSettings, default_descent
from .normal import log_likelihood, mle_mu, mle_sigma
from .storytext import COUNTER, MAX_STORY_CHARS, StoryText

MAX_SAMPLES = 100_000
MAX_LABEL_CHARS = 40
MAX_COUNT = 10**15  # larger counts are no longer whole numbers as floats
MAX_TEXT_CHARS = 120
# The narrowest curve the lecture draws is the likelihood of mu, sigma / sqrt(n) wide. It must
# span at least this many doubles at the samples' size (near 170 doubles are 2.8e-14 apart),
# or no axis can show it: about 2.2e-13 * sqrt(n) of the samples' size for sigma.
MIN_WIDTH_ULPS = 1000
# sigma squared must stay a finite float (the likelihood of mu divides by it): at most 1e150.
MAX_SIGMA = 1e150
# A likelihood is shown as m x 10^e; e (log L / ln 10) is written out, so at most 12 digits.
MAX_ABS_LOG_LIKELIHOOD = 1e12
# [nlp]: scene 11 draws the context on one line and each token beside its bar. Widths are
# counted in columns (a wide character, e.g. Hangul, counts 2) so Korean and Latin fit alike.
MAX_CONTEXT_COLUMNS = 40
MAX_TOKEN_COLUMNS = 12
MIN_TOKENS, MAX_TOKENS = 2, 8
# exp(60) is finite and every softmax of logits in this range keeps its smallest probability
# above 1e-27 for 8 tokens; larger scores add nothing to the lesson.
MAX_ABS_LOGIT = 30.0
BUILTIN_SOURCE = "built-in"
# 100 000 samples written with every digit ("-1.2345678901234567e-300, ") take about 2.6 MB.
MAX_DATA_BYTES = 4 * 1024 * 1024
MAX_CSV_BYTES = 16 * 1024 * 1024
# Separators (commas) a data file may hold before it is parsed: the samples and a little more.
# More cannot be valid, and tomllib takes about 5 us per array item, so it is refused unparsed.
MAX_SEPARATORS = MAX_SAMPLES + 1000

_ALLOWED = {
    "lecture": {"course", "title", "author", "date"},
    "heights": {"unit", "samples", "samples_csv", "candidates", "sigma", "measure"},
    "binary": {"labels", "counts", "measure", "subjects", "counter"},
    "descent": {"start", "learning_rate", "steps"},
    "nlp": {"context", "tokens", "logits", "correct"},
}


# Printable by Python's rules, yet nothing to see: Hangul fillers, the blank Braille pattern,
# the combining grapheme joiner and the variation selectors. Messages show them as escapes too.
_SHOWN_ESCAPED = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


def _invisible_printable(ch: str) -> bool:
    return ch in _SHOWN_ESCAPED or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


def _escape(text: str) -> str:
    r"""``text`` with every character that is not printable on one line written as an escape.

    >>> print(_escape("a\u2028b\tc\u00e9"))
    a\u2028b\tcé
    """
    if text.isprintable() and not any(map(_invisible_printable, text)):
        return text
    out = []
    for ch in text:
        if ch.isprintable() and not _invisible_printable(ch):
            out.append(ch)
        elif ch in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


class DataError(ValueError):
    """A data file broke a rule. ``str(err)`` is the one line shown to the user.

    >>> str(DataError("data.toml", "binary.counts", "expected two integers, got [1]"))
    'data.toml: binary.counts: expected two integers, got [1]'
    """

    def __init__(self, file: str, key: str, message: str):
        self.file, self.key, self.message = file, key, message
        # One line whatever the file name or message hold (a path may contain a newline).
        super().__init__(_escape(f"{file}: {key}: {message}" if key else f"{file}: {message}"))


@dataclass(frozen=True)
class LectureText:
    """Title-card text.

    >>> LectureText("c", "t", "a", "2021-04-19").date
    '2021-04-19'
    """

    course: str
    title: str
    author: str
    date: str


@dataclass(frozen=True)
class Heights:
    """The height samples and the normal model's settings.

    >>> h = Heights("cm", (1.0, 3.0), (1.0, 2.0, 3.0), 1.0)
    >>> h.mle_mu, h.mle_sigma
    (2.0, 1.0)
    """

    unit: str
    samples: tuple[float, ...]
    candidates: tuple[float, float, float]
    sigma: float
    measure: StoryText | None = None  # what one sample is (None: the deck's or neutral words)

    @property
    def mle_mu(self) -> float:
        return mle_mu(self.samples)

    @property
    def mle_sigma(self) -> float:
        return mle_sigma(self.samples)


@dataclass(frozen=True)
class Binary:
    """Two labels and their counts; k is the first label's count.

    >>> Binary(("Android", "iOS"), (7, 3)).n
    10
    """

    labels: tuple[str, str]
    counts: tuple[int, int]
    measure: StoryText | None = None   # what each observation records (mathcore/story.py)
    subjects: StoryText | None = None  # who or what was observed
    counter: str | None = None         # the Korean counter for the subjects (명, 번, 개)

    @property
    def k(self) -> int:
        return self.counts[0]

    @property
    def n(self) -> int:
        return self.counts[0] + self.counts[1]


@dataclass(frozen=True)
class NlpSection:
    """What the file's [nlp] set; None: that key keeps each language's example
    (:data:`mathcore.crossentropy.EXAMPLES`). A key given applies to both languages.
    Validation guarantees that with tokens come logits and correct, so the numbers
    (probabilities, loss) are the same in both languages; only the example words differ.

    >>> NlpSection().example("en").tokens
    ('mat', 'sofa', 'floor', 'moon')
    >>> NlpSection(context="Le chat est assis sur le").example("ko").context
    'Le chat est assis sur le'
    """

    context: str | None = None
    tokens: tuple[str, ...] | None = None
    logits: tuple[float, ...] | None = None
    correct: str | None = None

    def example(self, lang: str) -> NextTokenExample:
        """The example scene 11 shows in ``lang`` ("ko" or "en")."""
        base = EXAMPLES[lang]
        return NextTokenExample(
            base.context if self.context is None else self.context,
            base.tokens if self.tokens is None else self.tokens,
            base.logits if self.logits is None else self.logits,
            base.correct if self.correct is None else self.correct,
        )


@dataclass(frozen=True)
class LectureData:
    """A validated data file with every default filled in.

    ``source`` names where the data came from (the path given, or ``"built-in"``);
    ``sha256`` is the hash of the exact bytes read: the data file's, and if it names a
    samples CSV, ``+ b"\\0" +`` the CSV's; ``input_files`` are the absolute paths of the
    files read, in that order (none for the built-in data); ``given`` are the keys the file
    set itself (``"heights.sigma"``, ``"descent"`` for the section, ...; None: unknown, as for
    data built by hand), which :func:`snapshot_text` uses to leave derived values derived.

    >>> data = load_data(None)
    >>> data.binary.counts, data.descent.steps, data.source, data.input_files
    ((7, 3), 19, 'built-in', ())
    """

    lecture: LectureText
    heights: Heights
    binary: Binary
    descent: DescentSettings
    source: str
    sha256: str
    input_files: tuple[str, ...] = ()
    given: frozenset[str] | None = field(default=None, compare=False)
    nlp: NlpSection = NlpSection()

    def section_digest(self, section: str) -> str:
        """A hash of one resolved section, so a cache can tell which sections changed."""
        value = asdict(getattr(self, section))
        return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _builtin_bytes() -> bytes:
    return resources.files(__package__).joinpath("default_data.toml").read_bytes()


def default_data_text() -> str:
    """The built-in data file, with a comment on each key (what `nll-lecture template` prints)."""
    return _builtin_bytes().decode("utf-8")


def load_data(path: str | Path | None) -> LectureData:
    """Load and validate a data file; None means the built-in (deck) data."""
    if path is None:
        blob = _builtin_bytes()
        return _load(blob.decode("utf-8"), blob, BUILTIN_SOURCE, BUILTIN_SOURCE, None, ())
    path = Path(path)
    name = str(path)
    blob = read_regular_file(path, MAX_DATA_BYTES, "a data file", lambda message: DataError(name, "", message))
    text = decode_text(blob, lambda message: DataError(name, "", f"cannot read: {message}"))
    return _load(text, blob, name, name, path.parent, (str(path.resolve()),))


def load_data_text(text: str, name: str, *, source: str | None = None,
                   base: str | Path | None = None) -> LectureData:
    """Load and validate a data file given as text, e.g. a :func:`snapshot_text`.

    ``name`` is the file named in error messages; ``source`` is what ``LectureData.source``
    says (default ``name``), so data re-loaded from a snapshot still names the user's file;
    a ``samples_csv`` is looked up relative to ``base`` (default: the working directory).
    ``sha256`` hashes the UTF-8 bytes of ``text`` (and the CSV's, if one is read).

    >>> data = load_data_text("[binary]\\ncounts = [4, 6]\\n", "inline.toml", source="mine.toml")
    >>> data.binary.counts, data.source, data.input_files
    ((4, 6), 'mine.toml', ())
    """
    blob = text.encode("utf-8", "surrogatepass")
    if text.startswith("\ufeff"):  # the same text with or without a byte-order mark
        text = text[1:]
    return _load(text, blob, name, name if source is None else source,
                 None if base is None else Path(base), ())


def _load(text: str, blob: bytes, name: str, source: str, base: Path | None,
          files: tuple[str, ...]) -> LectureData:
    raw = _parse(text, name)
    builtin = _parse(default_data_text(), BUILTIN_SOURCE)
    return _build(raw, builtin, name, source, base, blob, files)


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, for messages; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "a special file"


def _megabytes(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB"


def read_regular_file(path: Path, limit: int, what: str, fail) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``fail(message)`` builds the
    error for anything else. Never blocks: a FIFO or device is refused by stat before it is
    opened, the file is opened with O_NONBLOCK and checked again on the descriptor (it may
    have been swapped in between), and at most ``limit + 1`` bytes are ever read."""
    too_large = f"file too large: more than {_megabytes(limit)} (the most {what} may have)"
    try:
        kind = _kind_of(os.stat(path).st_mode)
    except FileNotFoundError:
        raise fail("file not found") from None
    except (OSError, ValueError) as err:  # ValueError: a NUL in the path
        raise fail(f"cannot read: {getattr(err, 'strerror', None) or err}") from None
    if kind is not None:
        raise fail(f"cannot read: {kind}, not a regular file")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise fail("file not found") from None
    except OSError as err:
        raise fail(f"cannot read: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        kind = _kind_of(info.st_mode)
        if kind is not None:
            raise fail(f"cannot read: {kind}, not a regular file")
        if info.st_size > limit:
            raise fail(too_large)
        chunks, remaining = [], limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as err:
        raise fail(f"cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)
    blob = b"".join(chunks)
    if len(blob) > limit:  # grew since fstat, or a /proc-like file that reports size 0
        raise fail(too_large)
    return blob


def decode_text(blob: bytes, fail) -> str:
    """UTF-8 text of a file's bytes, a byte-order mark dropped."""
    if blob.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise fail("not UTF-8 text: it starts with a UTF-16 byte-order mark; save it as UTF-8")
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail(f"not UTF-8 text: byte 0x{blob[err.start]:02x} at offset {err.start} ({err.reason})") from None


# Strings and comments, which may hold commas that separate nothing. Possessive quantifiers and
# an end for unterminated strings (the line, or the text) keep it linear on any input.
_TOML_STRINGS_AND_COMMENTS = re.compile(
    r'"""(?:[^"\\]++|\\.|"(?!""))*+(?:"""|\Z)'
    r"|'''(?:[^']++|'(?!''))*+(?:'''|\Z)"
    r'|"(?:[^"\\\n]++|\\.)*+"?'
    r"|'[^'\n]*+'?"
    r"|#[^\n]*+", re.S)
_TABLE_HEADER = re.compile(r"^[ \t]*\[+[ \t]*([A-Za-z0-9_.\- \t]+?)[ \t]*\]+", re.M)
_ARRAY_START = re.compile(r"([A-Za-z0-9_\-]+)[ \t]*=[ \t]*\[")


def _refuse_too_many_values(text: str, name: str) -> None:
    """Refuse, before parsing, a file with more array items than any valid file can hold."""
    if text.count(",") <= MAX_SEPARATORS:  # the common case costs one count
        return
    bare = _TOML_STRINGS_AND_COMMENTS.sub("", text)
    if bare.count(",") <= MAX_SEPARATORS:
        return
    # Name the array that holds them: the assignment before the comma that crossed the limit.
    crossing = next(itertools.islice(re.finditer(",", bare), MAX_SEPARATORS, None)).start()
    start = next((m for m in reversed(list(_ARRAY_START.finditer(bare, 0, crossing)))), None)
    if start is not None:
        table = next((m.group(1) for m in reversed(list(_TABLE_HEADER.finditer(bare, 0, start.start())))), "")
        key = f"{table.strip()}.{start.group(1)}" if table.strip() else start.group(1)
        end = bare.find("]", start.end())
        body = bare[start.end(): len(bare) if end < 0 else end]
        items = body.count(",") + (0 if body.rstrip().endswith(",") else 1)
        if key == "heights.samples":
            raise DataError(name, key, f"expected 2 to {MAX_SAMPLES} samples, got {items}")
        raise DataError(name, key, f"expected at most {MAX_SAMPLES} values, got {items}")
    raise DataError(name, "", f"too many values: more than {MAX_SEPARATORS} commas outside strings and comments")


def _parse(text: str, name: str) -> dict[str, Any]:
    _refuse_too_many_values(text, name)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DataError(name, "", f"not valid TOML: {err}") from None
    except RecursionError:
        raise DataError(name, "", "not valid TOML: nested too deeply (arrays or tables inside each other)") from None


def _show(value: Any) -> str:
    if isinstance(value, str):
        return '"' + _escape(value.replace("\\", "\\\\").replace('"', '\\"')) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        try:
            shown = _escape(json.dumps(value, ensure_ascii=False, default=str))
        except (RecursionError, ValueError):
            shown = "[...]" if isinstance(value, list) else "{...}"
        return shown if len(shown) <= 60 else shown[:57] + "..."
    return str(value)


# --- text the scenes draw -----------------------------------------------------------------------
# manim's Text draws with Pango and the installed fonts (Noto Sans CJK, DejaVu): no emoji font,
# and right-to-left runs come out cut or reordered. So title-card text, the unit and the labels
# must be one line of left-to-right text in characters those fonts have:
#   - no control characters (Cc), line or paragraph separators (Zl, Zp): one line;
#   - not empty once whitespace, format characters (Cf: U+200B, U+FEFF, U+2060, ...) and
#     blank-looking fillers (Hangul fillers, the blank Braille pattern) are set aside;
#   - no right-to-left text: bidirectional class R or AL, or RLE/RLO/RLI marks;
#   - no surrogates (Cs), private-use (Co) or unassigned (Cn) code points;
#   - no emoji or pictographic symbols: category So is refused except ° © ® ™ ℃ ℉ № and the
#     CJK symbols U+3000-33FF / U+FE30-FE4F / U+FF00-FFEF (Noto CJK draws them; the emoji
#     〰 〽 ㊗ ㊙ excepted), and so is everything in U+1F000-1FAFF (emoji, skin tones), the
#     emoji-presentation selector U+FE0F, the keycap U+20E3 and the tag characters.

_CONTROL_NAMES = {
    "\x00": "NULL", "\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE",
}
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # nothing drawn, not whitespace
_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
_TEXT_SYMBOLS = frozenset("°©®™℃℉№")
_CJK_SYMBOL_RANGES = ((0x3000, 0x33FF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))
_EMOJI = frozenset({0x3030, 0x303D, 0x3297, 0x3299, 0xFE0F, 0x20E3})


def char_name(ch: str) -> str:
    """``U+2028 LINE SEPARATOR``: a character's code point and name, for messages.

    >>> char_name("\\u200b"), char_name("\\n"), char_name("\\ue000")
    ('U+200B ZERO WIDTH SPACE', 'U+000A LINE FEED', 'U+E000 (a private-use character)')
    """
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch, "")
    if name:
        return f"{code} {name}"
    category = unicodedata.category(ch)
    kind = {"Cc": "a control character", "Cs": "a surrogate", "Co": "a private-use character",
            "Cn": "an unassigned code point"}.get(category, f"category {category}")
    return f"{code} ({kind})"


def _line_problem(value: str) -> str | None:
    """Why ``value`` is not one line: a control character (Cc) or a line/paragraph separator."""
    for ch in value:
        category = unicodedata.category(ch)
        if category in ("Zl", "Zp") or ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85":
            return f"expected one line of text, but {char_name(ch)} breaks the line"
        if category == "Cc":
            return f"expected one line of text, but {char_name(ch)} is a control character"
    return None


def _undrawable(ch: str) -> bool:
    """An emoji or a symbol the installed fonts do not have (the rule above)."""
    code = ord(ch)
    if code in _EMOJI or 0x1F000 <= code <= 0x1FAFF or 0xE0000 <= code <= 0xE007F:
        return True
    if unicodedata.category(ch) != "So" or ch in _TEXT_SYMBOLS:
        return False
    return not any(lo <= code <= hi for lo, hi in _CJK_SYMBOL_RANGES)


def _text_problem(value: str) -> str | None:
    """Why ``value`` (already stripped) cannot be drawn as one line of title-card text."""
    broken = _line_problem(value)
    if broken:
        return broken
    for ch in value:
        if unicodedata.category(ch) in ("Cs", "Co", "Cn"):
            return f"expected text the fonts can draw, but {char_name(ch)} is not a character they have"
    visible = [ch for ch in value if not (ch.isspace() or ch in _BLANK_LOOKING or unicodedata.category(ch) == "Cf")]
    if not visible:
        if not value:
            return "expected non-empty text"
        return f"expected non-empty text, but it holds only invisible characters ({char_name(value[0])})"
    for ch in value:
        if unicodedata.bidirectional(ch) in _RTL_CLASSES:
            return (f"expected left-to-right text: right-to-left text ({char_name(ch)}) cannot be drawn "
                    f"correctly by the scenes")
    for ch in value:
        if _undrawable(ch):
            return (f"expected text the fonts can draw, but {char_name(ch)} is an emoji or a symbol they "
                    f"lack (symbols allowed: {' '.join(sorted(_TEXT_SYMBOLS))} and CJK symbols)")
    return None


_DECIMAL_COMMA = re.compile(r'\s*"?\s*([+-]?\d+),(\d+)\s*"?\s*;?\s*')


def _decimal_comma_hint(text: str) -> str:
    """A hint for a number written with a decimal comma ('170,5'), else ''.

    >>> _decimal_comma_hint("170,5"), _decimal_comma_hint("abc")
    (' (decimal comma? use a point: 170.5)', '')
    """
    match = _DECIMAL_COMMA.fullmatch(text)
    if not match:
        return ""
    whole, fraction = match.groups()
    if len(fraction) == 3 and len(whole.lstrip("+-")) <= 3:
        return f" (decimal comma or thousands separator? write {whole}.{fraction} or {whole}{fraction})"
    return f" (decimal comma? use a point: {whole}.{fraction})"


class _Checker:
    def __init__(self, name: str):
        self.name = name
        self.read: list[tuple[str, bytes]] = []  # (absolute path, bytes) of every file read besides the data file

    def fail(self, key: str, message: str) -> DataError:
        return DataError(self.name, key, message)

    def number(self, key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            hint = _decimal_comma_hint(value) if isinstance(value, str) else ""
            raise self.fail(key, f"expected a finite number, got {_show(value)}{hint}")
        return float(value)

    def integer(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected an integer, got {_show(value)}")
        return value

    def text(self, key: str, value: Any, limit: int, *, drawn: bool = True) -> str:
        """Stripped one-line text of at most ``limit`` characters; ``drawn``: shown by the
        scenes, so it must also be left-to-right text the fonts can draw (not for paths)."""
        if isinstance(value, _dt.date):
            value = value.isoformat()
        if not isinstance(value, str):
            raise self.fail(key, f"expected text, got {_show(value)}")
        broken = _line_problem(value)  # before stripping: strip() would drop a trailing U+2028
        if broken:
            raise self.fail(key, f"{broken}, got {_show(value)}")
        stripped = value.strip()
        if not stripped:
            raise self.fail(key, f"expected non-empty text, got {_show(value)}")
        if len(stripped) > limit:
            shown = stripped if len(stripped) <= 60 else stripped[:57] + "..."
            raise self.fail(key, f"expected at most {limit} characters, got {len(stripped)}: {_show(shown)}")
        if drawn:
            problem = _text_problem(stripped)
            if problem:
                raise self.fail(key, f"{problem}, got {_show(value)}")
        return stripped

    def array(self, key: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(key, f"expected an array, got {_show(value)}")
        return value


def _build(raw: dict[str, Any], builtin: dict[str, Any], name: str, source: str, base: Path | None,
           blob: bytes, files: tuple[str, ...]) -> LectureData:
    check = _Checker(name)
    for section, body in raw.items():
        if section not in _ALLOWED:
            raise check.fail(section, f"unknown section (expected one of {', '.join(sorted(_ALLOWED))})")
        if not isinstance(body, dict):
            raise check.fail(section, f"expected a table [{section}], got {_show(body)}")
        for key in body:
            if key not in _ALLOWED[section]:
                raise check.fail(f"{section}.{key}", f"unknown key (expected one of {', '.join(sorted(_ALLOWED[section]))})")

    def pick(section: str, key: str) -> Any:
        return raw.get(section, {}).get(key, builtin[section].get(key))

    lecture = LectureText(*(check.text(f"lecture.{k}", pick("lecture", k), MAX_TEXT_CHARS) for k in ("course", "title", "author", "date")))
    heights = _build_heights(raw.get("heights", {}), builtin["heights"], check, base)
    binary = _build_binary(pick("binary", "labels"), pick("binary", "counts"), check, raw.get("binary", {}))
    descent = _build_descent(raw.get("descent"), binary, check)
    nlp = _build_nlp(raw.get("nlp", {}), check)
    digest = hashlib.sha256(blob)
    for _path, extra in check.read:
        digest.update(b"\0")
        digest.update(extra)
    given = frozenset(raw) | frozenset(f"{section}.{key}" for section, body in raw.items() for key in body)
    return LectureData(lecture, heights, binary, descent, source, digest.hexdigest(),
                       files + tuple(path for path, _extra in check.read), given, nlp)


def _build_heights(section: dict[str, Any], builtin: dict[str, Any], check: _Checker, base: Path | None) -> Heights:
    unit = check.text("heights.unit", section.get("unit", builtin["unit"]), 12)
    if "samples" in section and "samples_csv" in section:
        raise check.fail("heights.samples_csv", "give either samples or samples_csv, not both")
    if "samples_csv" in section:
        samples = _read_csv(check.text("heights.samples_csv", section["samples_csv"], 4096, drawn=False), check, base)
    else:
        values = check.array("heights.samples", section.get("samples", builtin["samples"]))
        if len(values) > MAX_SAMPLES:  # count before converting millions of items
            raise check.fail("heights.samples", f"expected 2 to {MAX_SAMPLES} samples, got {len(values)}")
        samples = [check.number(f"heights.samples[{i}]", v) for i, v in enumerate(values)]
    key = "heights.samples_csv" if "samples_csv" in section else "heights.samples"
    if not 2 <= len(samples) <= MAX_SAMPLES:
        raise check.fail(key, f"expected 2 to {MAX_SAMPLES} samples, got {len(samples)}")
    if min(samples) == max(samples):
        raise check.fail(key, f"expected samples that are not all equal, got {len(samples)} copies of {samples[0]}")
    with np.errstate(all="ignore"):
        mu, sigma_hat = mle_mu(samples), mle_sigma(samples)
    if not (math.isfinite(mu) and math.isfinite(sigma_hat) and sigma_hat > 0.0):
        raise check.fail(key, f"expected samples whose mean and spread are finite and non-zero in floating point, "
                              f"got mean {mu:g} and spread {sigma_hat:g} from {_show(samples)}")
    size = max(abs(min(samples)), abs(max(samples)))
    narrowest = MIN_WIDTH_ULPS * math.ulp(size) * math.sqrt(len(samples))
    if sigma_hat < narrowest:
        raise check.fail(key, f"expected samples whose spread is at least {narrowest / size:.2g} of their size "
                              f"(finer differences cannot be drawn in floating point), got spread {sigma_hat:.3g} "
                              f"around {mu:.15g}, {sigma_hat / size:.2g} of it")
    if "sigma" in section:
        sigma = check.number("heights.sigma", section["sigma"])
        if sigma <= 0:
            raise check.fail("heights.sigma", f"expected a number > 0, got {_show(section['sigma'])}")
        if sigma < narrowest:
            raise check.fail("heights.sigma", f"expected a sigma of at least {narrowest:.3g} for these samples "
                                              f"(a narrower curve cannot be drawn in floating point), got {sigma:g}")
        if sigma > MAX_SIGMA:
            raise check.fail("heights.sigma", f"expected a sigma of at most {MAX_SIGMA:g} (its square must be a "
                                              f"finite number), got {sigma:g}")
    else:
        sigma = sigma_hat
    if "candidates" in section:
        values = check.array("heights.candidates", section["candidates"])
        if len(values) != 3:
            raise check.fail("heights.candidates", f"expected three numbers (theta1, theta2, theta3), got {_show(values)}")
        candidates = tuple(check.number(f"heights.candidates[{i}]", v) for i, v in enumerate(values))
    else:
        candidates = default_candidates(mu, sigma_hat)
    # Every log-likelihood the lecture shows must be a finite float (valid JSON, a drawable curve).
    with np.errstate(all="ignore"):
        at_mle = log_likelihood(samples, mu, sigma)
        if not math.isfinite(at_mle):
            raise check.fail("heights.sigma", f"expected a sigma at which the log-likelihood of the samples is finite, got {sigma:g}")
        if abs(at_mle) > MAX_ABS_LOG_LIKELIHOOD:
            raise check.fail("heights.sigma", f"expected a sigma at which the likelihood of the samples is at least "
                                              f"10^-{MAX_ABS_LOG_LIKELIHOOD / math.log(10):.0f} (its power of ten is "
                                              f"shown in full), got {sigma:g}: log-likelihood {at_mle:.3g}")
        for i, c in enumerate(candidates):
            value = log_likelihood(samples, c, sigma)
            if not math.isfinite(value):
                raise check.fail(f"heights.candidates[{i}]", f"expected a mu at which the log-likelihood of the samples is finite, got {c:g}")
            if abs(value) > MAX_ABS_LOG_LIKELIHOOD:
                raise check.fail(f"heights.candidates[{i}]", f"expected a mu whose likelihood is at least "
                                                             f"10^-{MAX_ABS_LOG_LIKELIHOOD / math.log(10):.0f} (its power "
                                                             f"of ten is shown in full), got {c:g}: log-likelihood {value:.3g}")
    measure = _story_text(check, "heights.measure", section["measure"]) if "measure" in section else None
    return Heights(unit, tuple(samples), candidates, sigma, measure)  # type: ignore[arg-type]


def default_candidates(mu: float, sigma: float) -> tuple[float, float, float]:
    """theta1..theta3 = mu - d, mu, mu + d with d just over 2 sigma, at a tidy precision.

    >>> default_candidates(168.344, 2.6207)
    (163.0, 168.3, 173.6)
    """
    decimals = min(max(0, 1 - math.floor(math.log10(sigma))), 300)  # 10.0**decimals stays finite
    scale = 10.0**decimals
    centre = round(mu, decimals)
    offset = math.ceil(2.0 * sigma * scale) / scale
    return (round(centre - offset, decimals), centre, round(centre + offset, decimals))


_BLANK_LINE = re.compile(r"^[^\S\n]*$", re.M)
_FIRST_FILLED_LINE = re.compile(r"\S[^\n]*")


def _read_csv(relative: str, check: _Checker, base: Path | None) -> list[float]:
    key = "heights.samples_csv"
    path = (base or Path.cwd()) / relative
    shown = _show(str(path))

    def fail(message: str) -> DataError:
        if message == "file not found":
            return check.fail(key, f"file not found: {shown}")
        if message.startswith("cannot read: "):
            return check.fail(key, f"cannot read {shown}: {message[len('cannot read: '):]}")
        return check.fail(key, f"{message}: {shown}")

    blob = read_regular_file(path, MAX_CSV_BYTES, "a samples CSV", fail)
    check.read.append((str(path.resolve()), blob))
    text = decode_text(blob, lambda message: check.fail(key, f"cannot read {shown}: {message}"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Count before converting: a file of millions of lines is refused without splitting it.
    line_count = text.count("\n") + 1
    if line_count > MAX_SAMPLES + 1:
        filled = line_count - len(_BLANK_LINE.findall(text))
        first = _FIRST_FILLED_LINE.search(text)
        try:
            float(first.group() if first else "")
            header = 0
        except ValueError:
            header = 1
        if filled - header > MAX_SAMPLES:
            raise check.fail(key, f"expected 2 to {MAX_SAMPLES} samples, got {filled - header}")
    lines = text.split("\n")
    values: list[float] = []
    seen_row = False
    for line_number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        first_row, seen_row = not seen_row, True
        if "," in stripped or '"' in stripped:
            cells = [c.strip() for c in next(csv.reader([stripped])) if c.strip()]
            if not cells:
                continue
        else:
            cells = [stripped]
        # '170,5' (two cells) or '"170,5"' (one): a number written with a decimal comma?
        hint = _decimal_comma_hint(stripped)
        if len(cells) == 2 and hint and len(cells[1].rstrip(';" ')) <= 2:  # '170,5': hardly two columns
            raise check.fail(key, f"{relative} line {line_number}: expected a finite number, "
                                  f"got {_show(stripped)}{hint}")
        if len(cells) > 1:
            raise check.fail(key, f"{relative} line {line_number}: expected one column, got {len(cells)}: "
                                  f"{_show(stripped)}{hint}")
        try:
            value = float(cells[0])
        except ValueError:
            if first_row and not hint:
                continue  # a header
            raise check.fail(key, f"{relative} line {line_number}: expected a finite number, "
                                  f"got {_show(cells[0])}{hint}") from None
        if not math.isfinite(value):
            raise check.fail(key, f"{relative} line {line_number}: expected a finite number, got {_show(cells[0])}")
        values.append(value)
    return values


def _story_text(check: _Checker, key: str, value: Any) -> StoryText:
    """A story word: one text for both languages, or a table { ko = "...", en = "..." }
    (a language left out takes the other's)."""
    if isinstance(value, dict):
        unknown = [k for k in value if k not in ("ko", "en")]
        if unknown or not value:
            got = f"key {_show(unknown[0])}" if unknown else "an empty table"
            raise check.fail(key, f"expected a text, or a table with the keys ko and en, got {got}")
        texts = {lang: check.text(f"{key}.{lang}", text, MAX_STORY_CHARS) for lang, text in value.items()}
        return StoryText(texts.get("ko", texts.get("en")), texts.get("en", texts.get("ko")))  # type: ignore[arg-type]
    text = check.text(key, value, MAX_STORY_CHARS)
    return StoryText(text, text)


def _build_binary(labels: Any, counts: Any, check: _Checker, section: dict[str, Any] | None = None) -> Binary:
    labels = check.array("binary.labels", labels)
    if len(labels) != 2:
        raise check.fail("binary.labels", f"expected two labels, got {_show(labels)}")
    label_pair = tuple(check.text(f"binary.labels[{i}]", v, MAX_LABEL_CHARS) for i, v in enumerate(labels))
    if label_pair[0] == label_pair[1]:
        raise check.fail("binary.labels", f"expected two different labels, got {_show(labels)}")
    counts = check.array("binary.counts", counts)
    if len(counts) != 2:
        raise check.fail("binary.counts", f"expected two counts, got {_show(counts)}")
    count_pair = tuple(check.integer(f"binary.counts[{i}]", v) for i, v in enumerate(counts))
    for i, value in enumerate(count_pair):
        if value < 0:
            raise check.fail(f"binary.counts[{i}]", f"expected a non-negative integer, got {value}")
        if value > MAX_COUNT:
            raise check.fail(f"binary.counts[{i}]", f"expected an integer of at most 10^15, got {value}")
    if sum(count_pair) < 1:
        raise check.fail("binary.counts", f"expected counts summing to at least 1, got {_show(counts)}")
    section = section or {}
    measure = _story_text(check, "binary.measure", section["measure"]) if "measure" in section else None
    subjects = _story_text(check, "binary.subjects", section["subjects"]) if "subjects" in section else None
    counter = None
    if "counter" in section:
        counter = check.text("binary.counter", section["counter"], MAX_STORY_CHARS)
        if not COUNTER.fullmatch(counter):
            raise check.fail("binary.counter", f"expected a Korean counter of one or two Hangul syllables "
                                               f"(명, 번, 개, 마리, ...), got {_show(counter)}")
    if subjects is not None and counter is None:
        raise check.fail("binary.counter", "missing: with subjects, give the Korean counter for them too "
                                           "(명 for people, 번 for tosses or trials, 개 for things, ...)")
    return Binary(label_pair, count_pair, measure, subjects, counter)  # type: ignore[arg-type]


def _build_descent(section: dict[str, Any] | None, binary: Binary, check: _Checker) -> DescentSettings:
    if section is None or not {"start", "learning_rate", "steps"} <= section.keys():
        chosen = default_descent(binary.k, binary.n)
    else:  # every key given: skip the search for data-chosen defaults
        chosen = DescentSettings(0.5, 1.0, 1)
    if section is None:
        return chosen
    start = check.number("descent.start", section.get("start", chosen.start))
    if not 0.0 < start < 1.0:
        raise check.fail("descent.start", f"expected a number in (0, 1), got {_show(section['start'])}")
    rate = check.number("descent.learning_rate", section.get("learning_rate", chosen.learning_rate))
    if rate <= 0:
        raise check.fail("descent.learning_rate", f"expected a number > 0, got {_show(section['learning_rate'])}")
    steps = check.integer("descent.steps", section.get("steps", chosen.steps))
    if not 1 <= steps <= 1000:
        raise check.fail("descent.steps", f"expected an integer from 1 to 1000, got {steps}")
    return DescentSettings(start, rate, steps)


def text_columns(text: str) -> int:
    """How wide ``text`` is on screen in columns: wide and fullwidth characters (Hangul,
    CJK) count 2, combining marks and format characters 0, the rest 1.

    >>> text_columns("mat"), text_columns("앉았다"), text_columns("e\u0301")
    (3, 6, 1)
    """
    width = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _nlp_text(check: _Checker, key: str, value: Any, columns: int) -> str:
    text = check.text(key, value, 2 * columns)  # drawable, one line; the columns are counted below
    shown = unicodedata.normalize("NFC", text)  # as drawn: decomposed Hangul (jamo) is one syllable each
    if text_columns(shown) > columns:
        raise check.fail(key, f"expected at most {columns} columns (a wide character such as Hangul counts 2), "
                              f"got {text_columns(shown)}: {_show(text)}")
    return text


def _same_token(text: str) -> str:
    """Tokens that look the same compare equal (composed and decomposed accents)."""
    return unicodedata.normalize("NFC", text)


def _build_nlp(section: dict[str, Any], check: _Checker) -> NlpSection:
    context = tokens = logits = correct = None
    if "context" in section:
        context = _nlp_text(check, "nlp.context", section["context"], MAX_CONTEXT_COLUMNS)
    if "tokens" in section:
        values = check.array("nlp.tokens", section["tokens"])
        if not MIN_TOKENS <= len(values) <= MAX_TOKENS:
            raise check.fail("nlp.tokens", f"expected {MIN_TOKENS} to {MAX_TOKENS} tokens, got {len(values)}: {_show(values)}")
        tokens = tuple(_nlp_text(check, f"nlp.tokens[{i}]", v, MAX_TOKEN_COLUMNS) for i, v in enumerate(values))
        seen: dict[str, int] = {}
        for i, token in enumerate(tokens):
            if _same_token(token) in seen:
                raise check.fail(f"nlp.tokens[{i}]", f"expected distinct tokens, got {_show(token)} again "
                                                     f"(also nlp.tokens[{seen[_same_token(token)]}])")
            seen[_same_token(token)] = i
        if "logits" not in section:
            raise check.fail("nlp.logits", f"missing: with tokens, give logits too (one number per token, {len(tokens)} here)")
        if "correct" not in section:
            raise check.fail("nlp.correct", "missing: with tokens, give correct too (the token that really comes next)")
    if "logits" in section:
        values = check.array("nlp.logits", section["logits"])
        count = len(tokens) if tokens is not None else len(EXAMPLE_LOGITS)
        if len(values) != count:
            whose = "token" if tokens is not None else "token of the example (give tokens to change them)"
            raise check.fail("nlp.logits", f"expected {count} numbers, one per {whose}, got {len(values)}: {_show(values)}")
        logits = tuple(check.number(f"nlp.logits[{i}]", v) for i, v in enumerate(values))
        for i, value in enumerate(logits):
            if abs(value) > MAX_ABS_LOGIT:
                raise check.fail(f"nlp.logits[{i}]", f"expected a number from {-MAX_ABS_LOGIT:g} to {MAX_ABS_LOGIT:g}, "
                                                     f"got {_show(values[i])}")
    if "correct" in section:
        word = _nlp_text(check, "nlp.correct", section["correct"], MAX_TOKEN_COLUMNS)
        if tokens is None:
            raise check.fail("nlp.correct", f"expected tokens with correct: without them each language keeps its "
                                            f"own example words, got {_show(word)}")
        match = [t for t in tokens if _same_token(t) == _same_token(word)]
        if not match:
            raise check.fail("nlp.correct", f"expected one of the tokens {_show(list(tokens))}, got {_show(word)}")
        correct = match[0]
    return NlpSection(context, tokens, logits, correct)


# --- snapshots ----------------------------------------------------------------------------------

def _toml_string(value: str) -> str:
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    out.append('"')
    return "".join(out)


def _story_toml(value: StoryText) -> str:
    return f"{{ ko = {_toml_string(value.ko)}, en = {_toml_string(value.en)} }}"


def _toml_float(value: float) -> str:
    return repr(float(value))  # the shortest text that reads back to the same float


def snapshot_text(data: LectureData) -> str:
    """The fully resolved data as a data file (TOML text) that loads to the same numbers.

    Samples are written inline (a CSV's too), and so are the candidates and labels; sigma and
    [descent] only if the file gave them (else they are derived again, to the same values).
    ``load_data_text(snapshot_text(d), name, source=d.source)`` equals ``d`` in every section
    and ``section_digest``, so a render can read the data once and hand the snapshot to every
    worker: a data file edited during the render cannot mix versions.

    >>> d = load_data(None)
    >>> again = load_data_text(snapshot_text(d), "snapshot.toml", source=d.source)
    >>> (again.lecture, again.heights, again.binary, again.descent) == (d.lecture, d.heights, d.binary, d.descent)
    True
    """
    h, b, d = data.heights, data.binary, data.descent
    given = data.given

    def floats(values) -> str:
        return "[" + ", ".join(_toml_float(v) for v in values) + "]"

    lines = [
        f"# nll-lecture data snapshot of {_escape(data.source)} (sha256 {data.sha256})",
        "",
        "[lecture]",
        *(f"{key} = {_toml_string(getattr(data.lecture, key))}" for key in ("course", "title", "author", "date")),
        "",
        "[heights]",
        f"unit = {_toml_string(h.unit)}",
        f"samples = {floats(h.samples)}",
        f"candidates = {floats(h.candidates)}",
    ]
    if given is None or "heights.sigma" in given:
        lines.append(f"sigma = {_toml_float(h.sigma)}")
    if h.measure is not None:
        lines.append(f"measure = {_story_toml(h.measure)}")
    lines += [
        "",
        "[binary]",
        f"labels = [{', '.join(_toml_string(label) for label in b.labels)}]",
        f"counts = [{', '.join(str(int(c)) for c in b.counts)}]",
    ]
    for key in ("measure", "subjects"):
        if getattr(b, key) is not None:
            lines.append(f"{key} = {_story_toml(getattr(b, key))}")
    if b.counter is not None:
        lines.append(f"counter = {_toml_string(b.counter)}")
    if given is None or "descent" in given:
        lines += ["", "[descent]", f"start = {_toml_float(d.start)}",
                  f"learning_rate = {_toml_float(d.learning_rate)}", f"steps = {int(d.steps)}"]
    nlp = data.nlp  # only what the file set: the rest stays each language's example
    if nlp != NlpSection():
        lines += ["", "[nlp]"]
        if nlp.context is not None:
            lines.append(f"context = {_toml_string(nlp.context)}")
        if nlp.tokens is not None:
            lines.append(f"tokens = [{', '.join(_toml_string(t) for t in nlp.tokens)}]")
        if nlp.logits is not None:
            lines.append(f"logits = [{', '.join(_toml_float(v) for v in nlp.logits)}]")
        if nlp.correct is not None:
            lines.append(f"correct = {_toml_string(nlp.correct)}")
    return "\n".join(lines) + "\n"
