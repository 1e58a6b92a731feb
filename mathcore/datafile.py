"""The data file (TOML): load, validate, fill in the deck's defaults.

A user regenerates the lecture with their own numbers through this file; every rule below
is part of that contract, and every violation is a :class:`DataError` naming the file, the
key path and the bad value.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import math
import tomllib
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .descent import DescentSettings, default_descent
from .normal import log_likelihood, mle_mu, mle_sigma

MAX_SAMPLES = 100_000
MAX_LABEL_CHARS = 40
MAX_COUNT = 10**15  # larger counts are no longer whole numbers as floats
MAX_TEXT_CHARS = 120
BUILTIN_SOURCE = "built-in"

_ALLOWED = {
    "lecture": {"course", "title", "author", "date"},
    "heights": {"unit", "samples", "samples_csv", "candidates", "sigma"},
    "binary": {"labels", "counts"},
    "descent": {"start", "learning_rate", "steps"},
}


class DataError(ValueError):
    """A data file broke a rule. ``str(err)`` is the one line shown to the user.

    >>> str(DataError("data.toml", "binary.counts", "expected two integers, got [1]"))
    'data.toml: binary.counts: expected two integers, got [1]'
    """

    def __init__(self, file: str, key: str, message: str):
        self.file, self.key, self.message = file, key, message
        super().__init__(f"{file}: {key}: {message}" if key else f"{file}: {message}")


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

    @property
    def k(self) -> int:
        return self.counts[0]

    @property
    def n(self) -> int:
        return self.counts[0] + self.counts[1]


@dataclass(frozen=True)
class LectureData:
    """A validated data file with every default filled in.

    >>> data = load_data(None)
    >>> data.binary.counts, data.descent.steps, data.source
    ((7, 3), 30, 'built-in')
    """

    lecture: LectureText
    heights: Heights
    binary: Binary
    descent: DescentSettings
    source: str
    sha256: str

    def section_digest(self, section: str) -> str:
        """A hash of one resolved section, so a cache can tell which sections changed."""
        value = asdict(getattr(self, section))
        return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def default_data_text() -> str:
    """The built-in data file, with a comment on each key (what `nll-lecture template` prints)."""
    return resources.files(__package__).joinpath("default_data.toml").read_text(encoding="utf-8")


def load_data(path: str | Path | None) -> LectureData:
    """Load and validate a data file; None means the built-in (deck) data."""
    builtin = _parse(default_data_text(), BUILTIN_SOURCE)
    if path is None:
        raw, name, base, text = builtin, BUILTIN_SOURCE, None, default_data_text()
    else:
        path = Path(path)
        name = str(path)
        try:
            # utf-8-sig: a byte-order mark (Notepad, Excel) is dropped, not parsed as data.
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise DataError(name, "", "file not found") from None
        except (OSError, UnicodeDecodeError) as err:
            raise DataError(name, "", f"cannot read: {err}") from None
        raw = _parse(text, name)
        base = path.parent
    return _build(raw, builtin, name, base, hashlib.sha256(text.encode()).hexdigest())


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DataError(name, "", f"not valid TOML: {err}") from None


def _show(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        shown = json.dumps(value, ensure_ascii=False, default=str)
        return shown if len(shown) <= 60 else shown[:57] + "..."
    return str(value)


class _Checker:
    def __init__(self, name: str):
        self.name = name

    def fail(self, key: str, message: str) -> DataError:
        return DataError(self.name, key, message)

    def number(self, key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(key, f"expected a finite number, got {_show(value)}")
        return float(value)

    def integer(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected an integer, got {_show(value)}")
        return value

    def text(self, key: str, value: Any, limit: int) -> str:
        if isinstance(value, _dt.date):
            value = value.isoformat()
        if not isinstance(value, str):
            raise self.fail(key, f"expected text, got {_show(value)}")
        stripped = value.strip()
        if not stripped:
            raise self.fail(key, f"expected non-empty text, got {_show(value)}")
        if len(stripped) > limit:
            shown = stripped if len(stripped) <= 60 else stripped[:57] + "..."
            raise self.fail(key, f"expected at most {limit} characters, got {len(stripped)}: {_show(shown)}")
        if any(ord(ch) < 32 for ch in stripped):
            raise self.fail(key, f"expected one line of text, got {_show(value)}")
        return stripped

    def array(self, key: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(key, f"expected an array, got {_show(value)}")
        return value


def _build(raw: dict[str, Any], builtin: dict[str, Any], name: str, base: Path | None, sha: str) -> LectureData:
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
    binary = _build_binary(pick("binary", "labels"), pick("binary", "counts"), check)
    descent = _build_descent(raw.get("descent"), binary, check)
    return LectureData(lecture, heights, binary, descent, name, sha)


def _build_heights(section: dict[str, Any], builtin: dict[str, Any], check: _Checker, base: Path | None) -> Heights:
    unit = check.text("heights.unit", section.get("unit", builtin["unit"]), 12)
    if "samples" in section and "samples_csv" in section:
        raise check.fail("heights.samples_csv", "give either samples or samples_csv, not both")
    if "samples_csv" in section:
        samples = _read_csv(check.text("heights.samples_csv", section["samples_csv"], 4096), check, base)
    else:
        values = check.array("heights.samples", section.get("samples", builtin["samples"]))
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
    if "sigma" in section:
        sigma = check.number("heights.sigma", section["sigma"])
        if sigma <= 0:
            raise check.fail("heights.sigma", f"expected a number > 0, got {_show(section['sigma'])}")
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
        if not math.isfinite(log_likelihood(samples, mu, sigma)):
            raise check.fail("heights.sigma", f"expected a sigma at which the log-likelihood of the samples is finite, got {sigma:g}")
        for i, c in enumerate(candidates):
            if not math.isfinite(log_likelihood(samples, c, sigma)):
                raise check.fail(f"heights.candidates[{i}]", f"expected a mu at which the log-likelihood of the samples is finite, got {c:g}")
    return Heights(unit, tuple(samples), candidates, sigma)  # type: ignore[arg-type]


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


def _read_csv(relative: str, check: _Checker, base: Path | None) -> list[float]:
    key = "heights.samples_csv"
    path = (base or Path.cwd()) / relative
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise check.fail(key, f"file not found: {_show(str(path))}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise check.fail(key, f"cannot read {_show(str(path))}: {err}") from None
    values: list[float] = []
    for line_number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        if len(cells) > 1:
            raise check.fail(key, f"{relative} line {line_number}: expected one column, got {len(cells)}")
        try:
            value = float(cells[0])
        except ValueError:
            if line_number == 1 and not values:
                continue  # a header
            raise check.fail(key, f"{relative} line {line_number}: expected a finite number, got {_show(cells[0])}") from None
        if not math.isfinite(value):
            raise check.fail(key, f"{relative} line {line_number}: expected a finite number, got {_show(cells[0])}")
        values.append(value)
    return values


def _build_binary(labels: Any, counts: Any, check: _Checker) -> Binary:
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
    return Binary(label_pair, count_pair)  # type: ignore[arg-type]


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
