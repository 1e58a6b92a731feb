"""`nll-lecture package OUT --format scorm12|scorm2004|cc|h5p --output FILE`: one zip an LMS
imports as it is, made from a published OUT (the full lecture).

- ``scorm12`` / ``scorm2004``: imsmanifest.xml (with the ADL schema files, unmodified, in
  ``schemas/``), one SCO: the launch page (``assets/launch.html``) with the video, captions,
  chapters and the questions, and the runtime ``assets/scorm.js`` that reports to the LMS.
- ``h5p``: an H5P Interactive Video (h5p.json, content/content.json); the H5P libraries are
  left out (the site must have Interactive Video installed).
- ``cc``: an IMS Common Cartridge (1.3, or 1.1 with ``--cc-version 1.1``) with the lecture
  page as web content, the handout and the caption files.

Bad input (OUT not a published folder, a partial render, an unknown format, FILE in a place
that cannot be written) is one ``error:`` line and exit status 2. The zip is written to a
temporary file beside FILE and renamed over it (never half a file), and the same OUT gives
the same bytes (sorted entries, fixed times and permissions).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from ..errors import EXIT_BAD_INPUT
from .source import PackageError, Published, read_published

FORMATS = ("scorm12", "scorm2004", "cc", "h5p")
CC_VERSIONS = ("1.3", "1.1")
# every entry's time: the zip format's earliest (1980), so the bytes do not depend on when
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# already compressed: stored as they are (deflating them again costs time and gains nothing)
STORED = (".mp4", ".webm", ".png", ".jpg", ".pdf", ".zip")

__all__ = ["FORMATS", "PackageError", "add_package_arguments", "build_entries", "package_main", "write_zip"]


def build_entries(published: Published, fmt: str, cc_version: str = "1.3") -> dict[str, bytes | Path]:
    """The zip's entries: name -> bytes, or the path of a file of OUT to copy."""
    if fmt in ("scorm12", "scorm2004"):
        from .scorm import entries
        return entries(published, fmt)
    if fmt == "h5p":
        from .h5p import entries
        return entries(published)
    if fmt == "cc":
        from .cc import entries
        return entries(published, cc_version)
    raise PackageError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.create_system = 3  # unix: the permissions below mean the same everywhere
    info.external_attr = (0o100644 & 0xFFFF) << 16
    info.compress_type = zipfile.ZIP_STORED if name.lower().endswith(STORED) else zipfile.ZIP_DEFLATED
    return info


def write_zip(entries: dict[str, bytes | Path], dest: Path, first: tuple[str, ...] = ()) -> None:
    """Write ``entries`` as a zip at ``dest``: a temporary file beside it, renamed over it."""
    order = [n for n in first if n in entries] + sorted(n for n in entries if n not in first)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w") as archive:
                for name in order:
                    content = entries[name]
                    info = _info(name)
                    if isinstance(content, Path):
                        with open(content, "rb") as src, archive.open(info, "w", force_zip64=True) as out:
                            while chunk := src.read(1 << 20):
                                out.write(chunk)
                    else:
                        archive.writestr(info, content, compresslevel=9 if info.compress_type == zipfile.ZIP_DEFLATED else None)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_output(path: str) -> Path:
    dest = Path(path).expanduser()
    if not dest.name or dest.name in (".", ".."):
        raise PackageError(f"--output: not a file name: {path}")
    dest = dest.parent.resolve() / dest.name
    if dest.is_dir():
        raise PackageError(f"--output: {dest} is a folder; name the zip file to write")
    if not dest.parent.is_dir():
        raise PackageError(f"--output: folder {dest.parent} does not exist")
    if not os.access(dest.parent, os.W_OK | os.X_OK):
        raise PackageError(f"--output: cannot write in {dest.parent}")
    return dest


def add_package_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``nll-lecture package``."""
    parser.add_argument("out", metavar="OUT", help="a published output folder with the full lecture (nll-lecture render)")
    parser.add_argument("--format", required=True, metavar="FORMAT",
                        help="scorm12 (Moodle and most LMSs), scorm2004 (4th edition), cc (Common Cartridge), h5p (Interactive Video)")
    parser.add_argument("--output", required=True, metavar="FILE", help="the zip to write (replaced atomically)")
    parser.add_argument("--cc-version", default="1.3", metavar="VERSION",
                        help="Common Cartridge version: 1.3 (default; Canvas) or 1.1 (older importers)")


def package_main(args: argparse.Namespace) -> int:
    """``nll-lecture package``: 0 written; 2 bad input (one ``error:`` line)."""
    try:
        if args.format not in FORMATS:
            raise PackageError(f"--format: expected one of {', '.join(FORMATS)}, got {args.format!r}")
        if args.cc_version not in CC_VERSIONS:
            raise PackageError(f"--cc-version: expected one of {', '.join(CC_VERSIONS)}, got {args.cc_version!r}")
        dest = _check_output(args.output)
        published = read_published(Path(args.out))
        entries = build_entries(published, args.format, args.cc_version)
        first = ("imsmanifest.xml", "h5p.json")
        write_zip(entries, dest, first)
    except PackageError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"package: wrote {dest} ({args.format}, {len(entries)} files, {dest.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0
