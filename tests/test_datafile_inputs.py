"""What the data file and its samples CSV may be: regular files of bounded size, read once.

FIFOs, directories, devices and sockets are refused before they are opened (a FIFO would block
a reader forever, /dev/zero never ends); so are files larger than the limits, TOML nested too
deeply, and arrays or CSVs with far more samples than allowed (refused before converting them).
Every refusal is one line on stderr, exit status 2, through the real console script. Every
subprocess has a timeout and an address-space limit, in-process reads an alarm: a regression
fails in seconds instead of hanging the suite or filling the memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mathcore import DataError, load_data
from mathcore.datafile import MAX_CSV_BYTES, MAX_DATA_BYTES

SCRIPT = Path(sys.executable).with_name("nll-lecture")


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))


def run_cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT), *args] if SCRIPT.exists() else \
        [sys.executable, "-c", "import sys; from lecture.cli import main; sys.exit(main())", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, preexec_fn=_limit_memory)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr == lines[0] + "\n", result.stderr[-2000:]
    assert lines[0].startswith("error: ")
    return lines[0]


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail (instead of hanging) if the block takes longer than ``seconds``."""
    def expired(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- not a regular file -------------------------------------------------------------------------

def test_fifo_as_data_file(tmp_path):
    fifo = tmp_path / "data.toml"
    os.mkfifo(fifo)
    line = one_error_line(run_cli("compute", "--data", str(fifo)))
    assert line == f"error: {fifo}: cannot read: a named pipe (FIFO), not a regular file"
    with deadline(10), pytest.raises(DataError) as info:
        load_data(fifo)
    assert info.value.key == "" and "FIFO" in info.value.message


def test_fifo_as_samples_csv(tmp_path):
    os.mkfifo(tmp_path / "heights.csv")
    path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "heights.csv"\n')
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == (f'error: {path}: heights.samples_csv: cannot read "{tmp_path / "heights.csv"}": '
                    f"a named pipe (FIFO), not a regular file")
    with deadline(10), pytest.raises(DataError):
        load_data(path)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_device_as_data_file(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    line = one_error_line(run_cli("compute", "--data", device))
    assert line == f"error: {device}: cannot read: a character device, not a regular file"


def test_dev_zero_as_samples_csv(tmp_path):
    path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "/dev/zero"\n')
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == f'error: {path}: heights.samples_csv: cannot read "/dev/zero": a character device, not a regular file'
    with deadline(10), pytest.raises(DataError):
        load_data(path)


def test_directory_as_samples_csv(tmp_path):
    (tmp_path / "csvdir").mkdir()
    path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "csvdir"\n')
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line.startswith(f"error: {path}: heights.samples_csv: cannot read ")
    assert line.endswith("a directory, not a regular file")


def test_socket_as_data_file_and_as_samples_csv(tmp_path):
    sock_path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(sock_path))
        server.listen(1)
        line = one_error_line(run_cli("compute", "--data", str(sock_path)))
        assert line == f"error: {sock_path}: cannot read: a socket, not a regular file"
        path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "s.sock"\n')
        line = one_error_line(run_cli("compute", "--data", str(path)))
        assert line.startswith(f"error: {path}: heights.samples_csv: ") and line.endswith("a socket, not a regular file")


def test_symlink_to_a_regular_file_is_read(tmp_path):
    real = _write(tmp_path / "real.toml", "[binary]\ncounts = [2, 8]\n")
    (tmp_path / "link.toml").symlink_to(real)
    data = load_data(tmp_path / "link.toml")
    assert data.binary.counts == (2, 8) and data.input_files == (str(real),)


def test_symlink_to_a_fifo_is_refused(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "data.toml").symlink_to(tmp_path / "fifo")
    line = one_error_line(run_cli("compute", "--data", str(tmp_path / "data.toml")))
    assert line.endswith("cannot read: a named pipe (FIFO), not a regular file")


# --- size limits --------------------------------------------------------------------------------

def test_data_file_over_the_size_limit(tmp_path):
    path = tmp_path / "big.toml"
    with path.open("w", encoding="utf-8") as handle:  # a valid file: comments, then one key
        line = "#" * 1023 + "\n"
        for _ in range(MAX_DATA_BYTES // len(line) + 1):
            handle.write(line)
        handle.write("[binary]\ncounts = [1, 2]\n")
    assert path.stat().st_size > MAX_DATA_BYTES
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == f"error: {path}: file too large: more than 4 MiB (the most a data file may have)"


def test_data_file_at_the_size_limit_is_read(tmp_path):
    path = tmp_path / "edge.toml"
    body = "[binary]\ncounts = [1, 2]\n"
    path.write_text(body + "#" * (MAX_DATA_BYTES - len(body)), encoding="utf-8")
    assert path.stat().st_size == MAX_DATA_BYTES
    assert load_data(path).binary.counts == (1, 2)


def test_samples_csv_over_the_size_limit(tmp_path):
    csv_path = tmp_path / "big.csv"
    with csv_path.open("wb") as handle:  # two samples and a lot of blank space
        handle.write(b"170\n171\n")
        handle.truncate(MAX_CSV_BYTES + 1)
    path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "big.csv"\n')
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == (f'error: {path}: heights.samples_csv: file too large: more than 16 MiB '
                    f'(the most a samples CSV may have): "{csv_path}"')


# --- one way of reading: BOM, sha256, input_files -------------------------------------------------

def _csv_pair(tmp_path: Path, bom: bool) -> Path:
    folder = tmp_path / ("bom" if bom else "plain")
    folder.mkdir()
    (folder / "heights.csv").write_text("height\n170.5\n165.25\n180\n", encoding="utf-8")
    text = '[heights]\nunit = "cm"\nsamples_csv = "heights.csv"\n[binary]\ncounts = [4, 6]\n'
    path = folder / "data.toml"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_data_file_with_byte_order_mark_reads_like_one_without(tmp_path):
    plain, bom = load_data(_csv_pair(tmp_path, False)), load_data(_csv_pair(tmp_path, True))
    for section in ("lecture", "heights", "binary", "descent"):
        assert getattr(bom, section) == getattr(plain, section)
        assert bom.section_digest(section) == plain.section_digest(section)
    assert bom.heights.samples == (170.5, 165.25, 180.0)
    # the CSV is one of the files read, with or without the BOM
    folder = tmp_path / "bom"
    assert bom.input_files == (str(folder / "data.toml"), str(folder / "heights.csv"))
    results = [json.loads(run_cli("compute", "--json", "--data", str(tmp_path / name / "data.toml")).stdout)
               for name in ("plain", "bom")]
    assert results[0] == results[1]


def test_sha256_covers_the_exact_bytes_of_the_data_file_and_its_csv(tmp_path):
    path = _csv_pair(tmp_path, True)
    csv_path = path.parent / "heights.csv"
    data = load_data(path)
    assert data.sha256 == hashlib.sha256(path.read_bytes() + b"\0" + csv_path.read_bytes()).hexdigest()
    csv_path.write_text("height\n170.5\n165.25\n181\n", encoding="utf-8")  # edit only the CSV
    edited = load_data(path)
    assert edited.sha256 != data.sha256
    assert edited.section_digest("heights") != data.section_digest("heights")


def test_input_files_are_absolute_even_for_a_relative_path(tmp_path, monkeypatch):
    path = _csv_pair(tmp_path, False)
    monkeypatch.chdir(path.parent.parent)
    data = load_data(Path("plain") / "data.toml")
    assert data.input_files == (str(path.resolve()), str((path.parent / "heights.csv").resolve()))
    assert data.source == os.path.join("plain", "data.toml")
    assert load_data(None).input_files == ()


def test_data_file_without_csv_hashes_its_bytes(tmp_path):
    path = tmp_path / "d.toml"
    path.write_bytes(b"\xef\xbb\xbf[binary]\r\ncounts = [4, 6]\r\n")
    data = load_data(path)
    assert data.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert data.binary.counts == (4, 6) and data.input_files == (str(path),)


def test_data_file_in_utf16_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "d.toml"
    path.write_bytes("[binary]\ncounts = [4, 6]\n".encode("utf-16"))
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == f"error: {path}: cannot read: not UTF-8 text: it starts with a UTF-16 byte-order mark; save it as UTF-8"


def test_csv_with_nul_bytes_is_one_line(tmp_path):
    (tmp_path / "h.csv").write_bytes(b"170\n\x00\n171\n")
    path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "h.csv"\n')
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == f'error: {path}: heights.samples_csv: h.csv line 2: expected a finite number, got "\\u0000"'


# --- nesting ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "a = " + "[" * 500 + "]" * 500 + "\n",
    "a = " + "{b = " * 500 + "1" + "}" * 500 + "\n",
    "[heights]\nsamples = " + "[" * 500 + "]" * 500 + "\n",
], ids=["array-500", "inline-table-500", "samples-500"])
def test_toml_nested_500_deep_is_one_line(tmp_path, text):
    path = _write(tmp_path / "deep.toml", text)
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == f"error: {path}: not valid TOML: nested too deeply (arrays or tables inside each other)"


@pytest.mark.parametrize("key", ["samples", "candidates"])
def test_deep_but_parseable_nesting_at_a_key_is_one_line(tmp_path, key):
    path = _write(tmp_path / "deep.toml", f"[heights]\n{key} = [" + "[" * 150 + "]" * 150 + ", 1.0, 2.0]\n")
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line.startswith(f"error: {path}: heights.{key}")


# --- decimal commas -----------------------------------------------------------------------------

@pytest.mark.parametrize("content, line_number, shown", [
    ("height\n170,5\n171,25\n", 2, '"170,5"'),        # unquoted: csv splits it in two cells
    ('height\n"170,5"\n"171,25"\n', 2, '"170,5"'),    # quoted: one cell
    ("170,5;\n171,25;\n", 1, '"170,5;"'),             # a ; separator (Excel in many locales)
])
def test_csv_decimal_comma_gets_a_hint(tmp_path, content, line_number, shown):
    (tmp_path / "h.csv").write_text(content, encoding="utf-8")
    path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "h.csv"\n')
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == (f"error: {path}: heights.samples_csv: h.csv line {line_number}: expected a finite number, "
                    f"got {shown} (decimal comma? use a point: 170.5)")


def test_csv_two_real_columns_still_say_columns(tmp_path):
    (tmp_path / "w.csv").write_text("170.5,65.2\n", encoding="utf-8")
    path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "w.csv"\n')
    with pytest.raises(DataError) as info:
        load_data(path)
    assert info.value.message == 'w.csv line 1: expected one column, got 2: "170.5,65.2"'


def test_csv_thousands_or_decimal_comma_hint(tmp_path):
    (tmp_path / "h.csv").write_text("1,695\n1,702\n", encoding="utf-8")
    path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "h.csv"\n')
    with pytest.raises(DataError) as info:
        load_data(path)
    assert info.value.message.endswith('"1,695" (decimal comma or thousands separator? write 1.695 or 1695)')


def test_toml_sample_with_a_decimal_comma_gets_a_hint(tmp_path):
    path = _write(tmp_path / "data.toml", '[heights]\nsamples = [170.0, "170,5"]\n')
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == f'error: {path}: heights.samples[1]: expected a finite number, got "170,5" (decimal comma? use a point: 170.5)'


# --- too many samples: counted before converting --------------------------------------------------
# Each file below also holds a bad value (or bad TOML) after the 100 000th sample: the old
# reader converted everything first and reported that; counting first reports the count.

def test_csv_with_too_many_lines_is_counted_before_converting(tmp_path):
    rows = [str(150 + i % 41) for i in range(200_000)]
    rows[150_000] = "oops"
    (tmp_path / "h.csv").write_text("height\n" + "\n".join(rows) + "\n\n\n", encoding="utf-8")
    path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "h.csv"\n')
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == f"error: {path}: heights.samples_csv: expected 2 to 100000 samples, got 200000"


def test_csv_with_100000_samples_a_header_and_blank_lines_is_accepted(tmp_path):
    (tmp_path / "h.csv").write_text("height\n\n" + "\n".join(str(150 + i % 41) for i in range(100_000)) + "\n\n",
                                    encoding="utf-8")
    path = _write(tmp_path / "data.toml", '[heights]\nsamples_csv = "h.csv"\n')
    assert len(load_data(path).heights.samples) == 100_000


def test_toml_array_with_too_many_samples_is_counted_before_converting(tmp_path):
    values = [str(150 + i % 41) for i in range(100_500)]
    values[100_200] = '"oops"'  # under the unparsed-separator limit: parsed, then counted first
    path = _write(tmp_path / "data.toml", "[heights]\nsamples = [" + ", ".join(values) + "]\n")
    with pytest.raises(DataError) as info:
        load_data(path)
    assert (info.value.key, info.value.message) == ("heights.samples", "expected 2 to 100000 samples, got 100500")


def test_toml_array_far_too_long_is_refused_before_parsing(tmp_path):
    # 1 000 000 items fit in 4 MiB but take tomllib seconds: refused from a count of the commas
    # (outside strings and comments), before parsing -- so the bad TOML after it is never reached.
    path = _write(tmp_path / "data.toml",
                  '# a comment, with, commas\n[lecture]\ntitle = "a, b, c"\n'
                  "[heights]\nsamples = [" + ",".join(["1"] * 1_000_000) + "]\nthis is not TOML\n")
    line = one_error_line(run_cli("compute", "--data", str(path)))
    assert line == f"error: {path}: heights.samples: expected 2 to 100000 samples, got 1000000"


def test_many_commas_in_comments_and_strings_are_not_counted(tmp_path):
    path = _write(tmp_path / "data.toml",
                  "# " + "," * 150_000 + "\n" + '[lecture]\ntitle = "T"\n' + "[binary]\ncounts = [1, 2]\n"
                  + '# """' + "," * 150_000 + '"""\n')
    assert load_data(path).binary.counts == (1, 2)
