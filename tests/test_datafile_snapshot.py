"""snapshot_text / load_data_text: the resolved data as TOML text that loads to the same numbers.

A render reads the user's files once and hands the snapshot to every worker, so a file edited
during the render cannot mix versions; the snapshot keeps the user's file as ``source``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from mathcore import BUILTIN_SOURCE, DataError, LectureData, lecture_results, load_data, load_data_text, snapshot_text

DATA_DIR = Path(__file__).parent / "data"
SECTIONS = ("lecture", "heights", "binary", "descent")


def _extra_files(tmp_path: Path) -> list[Path]:
    """Data files beyond tests/data: a BOM and a CSV, a partial [descent], quotes, backslashes,
    a format character and CJK symbols in text, a TOML date, sigma given, an empty [descent]."""
    files = []
    (tmp_path / "h.csv").write_bytes(b"\xef\xbb\xbfheight\r\n170.25\r\n\r\n0.1\r\n1e-3\r\n")
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b'\xef\xbb\xbf[heights]\nsamples_csv = "h.csv"\n[binary]\ncounts = [130, 70]\n')
    files.append(bom)
    partial = tmp_path / "partial.toml"
    partial.write_text("[descent]\nsteps = 12\n[binary]\ncounts = [0, 5]\n", encoding="utf-8")
    files.append(partial)
    rng = np.random.default_rng(8)
    text = ('[lecture]\ntitle = "Q \\" \\\\ NLL\\u200b강의 ㈜ ©"\ndate = 2024-03-01\n'
            '[heights]\nunit = "㎝"\nsigma = 0.1\nsamples = ['
            + ", ".join(repr(float(v)) for v in rng.normal(1.7, 1e-9, 50)) + "]\n"
            '[binary]\nlabels = ["a \\"b\\"", "c"]\ncounts = [999999999999999, 1]\n[descent]\n')
    full = tmp_path / "full.toml"
    full.write_text(text, encoding="utf-8")
    files.append(full)
    return files


def _cases(tmp_path: Path) -> list[tuple[str, LectureData]]:
    cases = [("built-in", load_data(None))]
    cases += [(p.name, load_data(p)) for p in sorted(DATA_DIR.glob("*.toml"))]
    cases += [(p.name, load_data(p)) for p in _extra_files(tmp_path)]
    return cases


def test_every_test_data_file_survives_a_snapshot(tmp_path):
    cases = _cases(tmp_path)
    assert len(cases) >= 7
    for label, data in cases:
        text = snapshot_text(data)
        tomllib.loads(text)  # plain TOML
        again = load_data_text(text, "snapshot.toml", source=data.source)
        for section in SECTIONS:
            assert getattr(again, section) == getattr(data, section), (label, section)
            assert again.section_digest(section) == data.section_digest(section), (label, section)
        assert again.source == data.source, label
        assert lecture_results(again) == lecture_results(data), label
        # a snapshot of a snapshot is the same data (the first line names the hash of what was read)
        assert snapshot_text(again).split("\n", 1)[1] == text.split("\n", 1)[1], label


def test_snapshot_holds_the_samples_inline_and_leaves_derived_values_derived(tmp_path):
    builtin = load_data(None)
    raw = tomllib.loads(snapshot_text(builtin))
    assert "sigma" not in raw["heights"] and "samples_csv" not in raw["heights"]
    assert raw["heights"]["samples"] == list(builtin.heights.samples)
    assert raw["heights"]["candidates"] == list(builtin.heights.candidates)
    assert raw["descent"] == {"start": 0.2, "learning_rate": 0.005, "steps": 19}  # the deck gives [descent]

    csv_data = load_data(DATA_DIR / "csv_inches.toml")
    raw = tomllib.loads(snapshot_text(csv_data))
    assert "descent" not in raw  # chosen from the counts again, to the same values
    assert raw["heights"]["samples"] == list(csv_data.heights.samples) and "samples_csv" not in raw["heights"]

    tiny = tomllib.loads(snapshot_text(load_data(DATA_DIR / "tiny_lopsided.toml")))
    assert tiny["heights"]["sigma"] == 1.5


def test_snapshot_of_hand_built_data_writes_everything():
    base = load_data(None)
    data = LectureData(base.lecture, base.heights, base.binary, base.descent, "hand", "x")
    raw = tomllib.loads(snapshot_text(data))
    assert raw["heights"]["sigma"] == base.heights.sigma and "descent" in raw


def test_snapshot_of_100000_full_precision_samples(tmp_path):
    values = np.random.default_rng(1).normal(168.3, 2.6, 100_000)
    (tmp_path / "many.csv").write_text("\n".join(repr(float(v)) for v in values), encoding="utf-8")
    path = tmp_path / "d.toml"
    path.write_text('[heights]\nsamples_csv = "many.csv"\n', encoding="utf-8")
    data = load_data(path)
    again = load_data_text(snapshot_text(data), "snap.toml", source=data.source)
    assert again.heights == data.heights and again.section_digest("heights") == data.section_digest("heights")


def test_load_data_text_names_the_given_file_and_source():
    data = load_data_text("[binary]\ncounts = [4, 6]\n", "inline.toml", source="/home/me/my-data.toml")
    assert data.source == "/home/me/my-data.toml" and data.input_files == ()
    assert load_data_text("", "x.toml").source == "x.toml"
    with pytest.raises(DataError) as info:
        load_data_text("[binary]\ncounts = [4]\n", "snap.toml", source="mine.toml")
    assert str(info.value).startswith("snap.toml: binary.counts: ")


def test_load_data_text_with_and_without_byte_order_mark():
    plain = load_data_text("[binary]\ncounts = [4, 6]\n", "a.toml")
    bom = load_data_text("\ufeff[binary]\ncounts = [4, 6]\n", "a.toml")
    assert all(getattr(plain, s) == getattr(bom, s) for s in SECTIONS)


def test_load_data_text_reads_a_csv_relative_to_base(tmp_path):
    (tmp_path / "h.csv").write_text("170\n171\n", encoding="utf-8")
    data = load_data_text('[heights]\nsamples_csv = "h.csv"\n', "t.toml", base=tmp_path)
    assert data.heights.samples == (170.0, 171.0) and data.input_files == (str(tmp_path / "h.csv"),)


def test_builtin_snapshot_names_the_builtin_source():
    data = load_data(None)
    assert load_data_text(snapshot_text(data), "s.toml", source=data.source).source == BUILTIN_SOURCE
    assert snapshot_text(data).startswith(f"# nll-lecture data snapshot of {BUILTIN_SOURCE} (sha256 {data.sha256})\n")
