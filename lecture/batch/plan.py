"""A batch plan (TOML): the variants to render, each into its own folder.

```toml
[[variant]]
name = "cohort-a"        # the folder DIR/cohort-a
data = "cohort-a.toml"   # optional: the deck's data; relative to the plan file
lang = "ko"              # optional: ko
quality = "high"         # optional: high
voice = "none"           # optional: none
scenes = ["title"]       # optional: every scene
```

:func:`load_plan` reads and checks it; a bad plan is a ``mathcore.DataError`` (one line
naming the file, the key and the value, as for data files). The data files themselves are
checked when their variant renders: a variant with bad data fails alone.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..voice.base import VoiceSpec

__all__ = ["MAX_PLAN_BYTES", "MAX_VARIANTS", "Plan", "Variant", "load_plan"]

MAX_PLAN_BYTES = 1024 * 1024
MAX_VARIANTS = 1000
VARIANT_KEYS = ("name", "data", "lang", "quality", "voice", "scenes")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Variant:
    """One render of the batch: into DIR/<name>, with these inputs."""

    name: str
    data: Path | None = None  # absolute
    lang: str = "ko"
    quality: str = "high"
    voice: VoiceSpec = VoiceSpec("none")
    scenes: tuple[str, ...] = ()  # empty: every scene


@dataclass(frozen=True)
class Plan:
    path: Path
    variants: tuple[Variant, ...]


def _show(value: Any) -> str:
    """A value as the plan wrote it (TOML-like: strings quoted).

    >>> _show("fr"), _show(3), _show(["a"])
    ('"fr"', '3', '["a"]')
    """
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def load_plan(path: str | Path, *, cluster: bool = False, allow_commands: bool = False) -> Plan:
    """Read and check a plan file (DataError for anything wrong). ``cluster``: the variants
    render on a cluster, whose workers make their voices themselves (none or espeak).
    ``allow_commands``: the user passed ``--allow-commands``; without it a ``command:``
    voice is refused (plans are shared like data files; a template is a shell command)."""
    from mathcore import DataError
    from mathcore.datafile import decode_text, read_regular_file  # the data file's one way to read a file

    from ..render.pipeline import QUALITY_PRESETS

    path = Path(path)
    name = str(path)

    def fail(key: str, message: str) -> DataError:
        return DataError(name, key, message)

    blob = read_regular_file(path, MAX_PLAN_BYTES, "a batch plan", lambda message: fail("", message))
    text = decode_text(blob, lambda message: fail("", message))
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise fail("", f"not valid TOML: {err}") from None
    except RecursionError:
        raise fail("", "not valid TOML: nested too deeply") from None

    unknown = [key for key in raw if key != "variant"]
    if unknown:
        raise fail(unknown[0], "unknown key (a plan holds [[variant]] tables only)")
    tables = raw.get("variant")
    if not isinstance(tables, list) or not tables:
        raise fail("variant", "expected at least one [[variant]] table" if tables is None
                   else f"expected [[variant]] tables, got {_show(tables)}")
    if len(tables) > MAX_VARIANTS:
        raise fail("variant", f"expected at most {MAX_VARIANTS} variants, got {len(tables)}")

    from scenes import LANGUAGES, SCENES_BY_ID

    base = path.resolve().parent
    variants: list[Variant] = []
    names: dict[str, int] = {}
    for index, table in enumerate(tables):
        where = f"variant[{index}]"
        if not isinstance(table, dict):
            raise fail(where, f"expected a table, got {_show(table)}")
        for key in table:
            if key not in VARIANT_KEYS:
                raise fail(f"{where}.{key}", f"unknown key (known: {', '.join(VARIANT_KEYS)})")

        def string(key: str, default: str | None = None) -> str | None:
            value = table.get(key, default)
            if value is not None and not isinstance(value, str):
                raise fail(f"{where}.{key}", f"expected a string, got {_show(value)}")
            return value

        variant_name = string("name")
        if variant_name is None:
            raise fail(f"{where}.name", "missing: every variant needs a name (its folder in --out)")
        if not _SAFE_NAME.match(variant_name) or set(variant_name) <= {"."}:
            raise fail(f"{where}.name", "expected a folder name of letters, digits, '.', '_' and '-' (not starting "
                                        f"with '.' or '-'), at most 64 characters, got {_show(variant_name)}")
        folded = variant_name.casefold()
        if folded in names:
            raise fail(f"{where}.name", f"{_show(variant_name)} is already the name of variant[{names[folded]}] "
                                        "(names must differ, also in letter case)")
        names[folded] = index

        lang = string("lang", "ko")
        if lang not in LANGUAGES:
            raise fail(f"{where}.lang", f"expected one of {', '.join(LANGUAGES)}, got {_show(lang)}")
        quality = string("quality", "high")
        if quality not in QUALITY_PRESETS:
            raise fail(f"{where}.quality", f"expected one of {', '.join(QUALITY_PRESETS)}, got {_show(quality)}")

        data = string("data")
        data_path = None
        if data is not None:
            data_path = (base / Path(data).expanduser()).absolute()
            if not data_path.exists():
                raise fail(f"{where}.data", f"file not found: {_show(data)} (relative to the plan file)")
            if not data_path.is_file():
                raise fail(f"{where}.data", f"not a regular file: {_show(data)}")

        voice = _voice(string("voice", "none"), base, f"{where}.voice", fail, cluster, allow_commands)

        scenes = table.get("scenes", [])
        if not isinstance(scenes, list) or not all(isinstance(s, str) for s in scenes):
            raise fail(f"{where}.scenes", f"expected a list of scene ids, got {_show(scenes)}")
        if "scenes" in table and not scenes:
            raise fail(f"{where}.scenes", "expected at least one scene id (leave the key out for every scene)")
        for position, scene in enumerate(scenes):
            if scene not in SCENES_BY_ID:
                raise fail(f"{where}.scenes[{position}]", f"unknown scene {_show(scene)} (see `nll-lecture scenes`)")
            if scene in scenes[:position]:
                raise fail(f"{where}.scenes[{position}]", f"{_show(scene)} is listed twice")

        variants.append(Variant(variant_name, data_path, lang, quality, voice, tuple(scenes)))
    return Plan(path, tuple(variants))


def _voice(value: str, base: Path, key: str, fail, cluster: bool, allow_commands: bool = False) -> VoiceSpec:
    """The voice parsed as ``--voice`` parses it (a recordings folder relative to the plan file)."""
    from ..voice import VoiceError
    from ..voice.sources import parse_voice

    kind, sep, argument = value.partition(":")
    if kind.strip().lower() == "recorded" and argument.strip() and not Path(argument.strip()).expanduser().is_absolute():
        value = f"recorded:{base / argument.strip()}"
    try:
        spec = parse_voice(value)
    except VoiceError as err:
        raise fail(key, str(err).removeprefix("--voice: ").removeprefix("--voice ")) from None
    if spec.kind == "command" and not allow_commands:
        raise fail(key, "a command: voice runs a shell command; pass --allow-commands to run the plan's "
                        "TTS commands (read them first: plans are shared like data files)")
    if cluster and spec.kind not in ("none", "espeak"):
        raise fail(key, f"--cluster renders with voice none or espeak, got {_show(value)}: recordings and TTS "
                        "commands are on this machine, not on the workers")
    return spec
