"""``nll-lecture record --lang ko DIR``: a page on 127.0.0.1 to record the narration.

The page (``record_page.PAGE``, self-contained, no network) walks the lecturer through
the beats of the script one at a time: the line in large type, the scene's poster frame
(``--posters OUT``: ``OUT/posters/NN-scene-id.png`` of a published output folder), and
record / stop / play back / re-take with the browser's microphone (MediaRecorder,
WebM/Opus). Each take is saved as ``DIR/<lang>/<NN-scene-id>/<name>.webm``, the layout
``--voice recorded:DIR`` reads.

Routes (all on 127.0.0.1 only):

- ``GET /`` the page; ``GET /api/beats`` the beats as JSON, each with ``done`` (a
  recording exists, in any format ``recorded:DIR`` accepts) and ``poster``;
- ``GET /poster/<NN-scene-id>.png`` the poster of a scene of the list;
- ``GET /take/<NN-scene-id>/<name>`` the beat's recording;
- ``POST /take/<NN-scene-id>/<name>`` a take (the request body, WebM): 400 for a beat
  that is not in the list (a path is only ever built from the list's own names, so
  ``../`` cannot leave DIR), 411 without a length, 413 above 20 MB, 415 for a body that
  is not WebM/Matroska (magic ``1A45DFA3``). Written to a hidden temporary file in the
  scene folder, then renamed over the old take. A recording of the same beat in another
  format (``name.wav``...) is renamed to a hidden ``.name.wav.replaced`` so that the beat
  keeps one file (``recorded:DIR`` refuses two).
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import re
import stat
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import EXIT_BAD_INPUT, EXIT_FAILED
from .errors import VoiceError
from .script import LANGUAGES, Beat

MAX_TAKE_BYTES = 20 * 1024 * 1024
WEBM_MAGIC = b"\x1a\x45\xdf\xa3"
# the extensions ``--voice recorded:DIR`` reads (recorded.AUDIO_EXTENSIONS; not imported
# from there to keep this server free of the render's imports)
AUDIO_EXTENSIONS = ("wav", "flac", "mp3", "ogg", "m4a", "webm")
IDLE_TIMEOUT_S = 30.0  # a connection that sends nothing for this long is closed (its thread ends)
_DIGITS = re.compile(r"[0-9]{1,12}")
_TYPES = {"webm": "audio/webm", "wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg",
          "ogg": "audio/ogg", "m4a": "audio/mp4"}


@dataclass(frozen=True)
class _Slot:
    beat: Beat
    stem: str
    name: str


class RecordServer(ThreadingHTTPServer):
    """The recording server: beats, the recordings folder and the posters folder."""

    daemon_threads = True

    def __init__(self, root: str | Path, lang: str, beats: Sequence[Beat], posters: str | Path | None = None,
                 port: int = 0) -> None:
        if lang not in LANGUAGES:
            raise VoiceError(f"--lang: expected one of {', '.join(LANGUAGES)}, got {lang!r}")
        self.root = Path(root).resolve()
        self.lang = lang
        self.lang_dir = self.root / lang
        self.beats = list(beats)
        self.slots = {(b.scene_stem, b.name): _Slot(b, b.scene_stem, b.name) for b in self.beats}
        self.posters = None if posters is None else Path(posters).resolve() / "posters"
        self.write_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    # recordings ---------------------------------------------------------------------------
    def recordings(self, slot: _Slot) -> list[Path]:
        """Files of the beat in any accepted format (hidden files ignored): regular files
        only, in folders that are not symbolic links (a link is never served or replaced)."""
        folder = self.lang_dir / slot.stem
        if not (_real_dir(self.lang_dir) and _real_dir(folder)):
            return []
        return [folder / f"{slot.name}.{ext}" for ext in AUDIO_EXTENSIONS
                if _regular(folder / f"{slot.name}.{ext}")]

    def poster(self, stem: str) -> Path | None:
        if self.posters is None or not _real_dir(self.posters):
            return None
        path = self.posters / f"{stem}.png"
        return path if _regular(path) else None

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 (the stdlib's signature)
        """A client that goes away (reset, broken pipe, idle timeout) is no error of ours:
        nothing is printed; anything else is one line, not a traceback."""
        err = sys.exc_info()[1]
        if isinstance(err, (ConnectionError, TimeoutError)):
            return
        try:
            print(f"warning: record: request from {client_address[0]} failed: {type(err).__name__}: {err}",
                  file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass

    def listing(self) -> dict[str, object]:
        beats = []
        for b in self.beats:
            slot = self.slots[(b.scene_stem, b.name)]
            files = self.recordings(slot)
            beats.append({
                "id": b.id, "scene": b.scene, "stem": b.scene_stem, "name": b.name, "index": b.index,
                "text": b.text, "silent_duration_s": round(b.silent_duration_s, 2),
                "done": bool(files), "file": files[0].name if files else None,
                "version": files[0].stat().st_mtime_ns if files else None,
                "poster": f"poster/{b.scene_stem}.png" if self.poster(b.scene_stem) else None,
            })
        return {"lang": self.lang, "folder": str(self.lang_dir), "beats": beats}

    def save(self, slot: _Slot, data: bytes) -> Path:
        """Write the take atomically: a hidden temporary file, then a rename over the old one."""
        folder = self.lang_dir / slot.stem
        target = folder / f"{slot.name}.webm"
        with self.write_lock:
            folder.mkdir(parents=True, exist_ok=True)
            if not (_real_dir(self.lang_dir) and _real_dir(folder)):
                raise OSError(f"{folder} is a symbolic link or not a folder")
            fd, tmp = tempfile.mkstemp(prefix=f".{slot.name}.", suffix=".tmp", dir=folder)
            try:
                os.fchmod(fd, _new_file_mode())  # as any new file (mkstemp makes them 0600)
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            for other in self.recordings(slot):
                if other != target:  # one file per beat: the new take wins, the old one is kept hidden
                    os.rename(other, _free_name(other.with_name(f".{other.name}.replaced")))
        return target


def _real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _free_name(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``... the first that does not exist (an earlier
    backup is never overwritten)."""
    candidate, number = path, 1
    while os.path.lexists(candidate):
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


class _Handler(BaseHTTPRequestHandler):
    server: RecordServer
    server_version = "nll-lecture-record"
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_S  # (socket timeout: an idle or half-sent request ends, its thread too)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass  # quiet: the page shows what happens

    # helpers ------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj: object) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _host_ok(self) -> bool:
        """Only requests addressed to this server by its loopback name (no DNS rebinding)."""
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").lower()
        return host in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _parts(self) -> list[str]:
        path = urlsplit(self.path).path
        return [unquote(p) for p in path.split("/")[1:]]

    def _slot(self, parts: list[str]) -> _Slot | None:
        """The beat named by ``take/<stem>/<name>`` -- only names of the list, nothing else."""
        if len(parts) != 3 or parts[0] != "take":
            return None
        stem, name = parts[1], parts[2]
        if name.endswith(".webm"):
            name = name[: -len(".webm")]
        return self.server.slots.get((stem, name))

    # GET ----------------------------------------------------------------------------------
    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        if not self._host_ok():
            return self._error(HTTPStatus.FORBIDDEN, "wrong Host")
        parts = self._parts()
        if parts in ([""], ["index.html"]):
            from .record_page import PAGE

            return self._send(HTTPStatus.OK, PAGE.encode("utf-8"), "text/html; charset=utf-8",
                              {"Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; "
                                                          "style-src 'unsafe-inline'; media-src 'self' blob:; "
                                                          "img-src 'self'; connect-src 'self'"})
        if parts == ["api", "beats"]:
            return self._json(HTTPStatus.OK, self.server.listing())
        if len(parts) == 2 and parts[0] == "poster" and parts[1].endswith(".png"):
            stem = parts[1][: -len(".png")]
            known = any(s.stem == stem for s in self.server.slots.values())
            path = self.server.poster(stem) if known else None
            if path is None:
                return self._error(HTTPStatus.NOT_FOUND, "no poster")
            return self._send(HTTPStatus.OK, path.read_bytes(), "image/png")
        if parts and parts[0] == "take":
            slot = self._slot(parts)
            if slot is None:
                return self._error(HTTPStatus.BAD_REQUEST, "no such beat")
            files = self.server.recordings(slot)
            if not files:
                return self._error(HTTPStatus.NOT_FOUND, "not recorded yet")
            ext = files[0].suffix.lstrip(".")
            return self._send(HTTPStatus.OK, files[0].read_bytes(),
                              _TYPES.get(ext) or mimetypes.guess_type(files[0].name)[0] or "application/octet-stream")
        return self._error(HTTPStatus.NOT_FOUND, "not found")

    # POST ---------------------------------------------------------------------------------
    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok():
            return self._refuse(HTTPStatus.FORBIDDEN, "wrong Host")
        origin = self.headers.get("Origin")
        if origin is not None and origin.rstrip("/") + "/" not in (
                self.server.url, self.server.url.replace("127.0.0.1", "localhost")):
            return self._refuse(HTTPStatus.FORBIDDEN, "wrong Origin")
        slot = self._slot(self._parts())
        if slot is None:
            return self._refuse(HTTPStatus.BAD_REQUEST, "no such beat (see the list on the page)")
        lengths = self.headers.get_all("Content-Length") or []
        if self.headers.get("Transfer-Encoding") or not lengths:
            return self._refuse(HTTPStatus.LENGTH_REQUIRED, "Content-Length required")
        if len(lengths) != 1 or not _DIGITS.fullmatch(lengths[0]):  # one header, digits only
            return self._refuse(HTTPStatus.BAD_REQUEST, "bad Content-Length")
        length = int(lengths[0])
        if length > MAX_TAKE_BYTES:
            return self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                                f"a take is at most {MAX_TAKE_BYTES // (1024 * 1024)} MB")
        try:
            data = self.rfile.read(length)
        except (TimeoutError, ConnectionError):
            self.close_connection = True
            return
        if len(data) != length:
            return self._refuse(HTTPStatus.BAD_REQUEST, "incomplete body")
        if not data.startswith(WEBM_MAGIC):
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "not a WebM recording")
        try:
            path = self.server.save(slot, data)
        except OSError as err:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"cannot save: {err.strerror or err}")
        self._json(HTTPStatus.OK, {"saved": str(path), "id": slot.beat.id, "bytes": len(data),
                                   "version": path.stat().st_mtime_ns})

    def _refuse(self, status: int, message: str) -> None:
        """An error before the body is read: the connection closes (the body is not drained)."""
        self.close_connection = True
        self._send(status, json.dumps({"error": message}).encode("utf-8"), "application/json; charset=utf-8",
                   {"Connection": "close"})


# Command line ------------------------------------------------------------------------------
def add_record_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``nll-lecture record``."""
    parser.add_argument("dir", metavar="DIR", help="recordings folder: takes go to DIR/<lang>/<NN-scene-id>/<key>.webm")
    parser.add_argument("--lang", choices=LANGUAGES, default="ko", help="language of the lines (default ko)")
    parser.add_argument("--data", metavar="FILE", help="data file (TOML); default: the deck's data")
    parser.add_argument("--scene", action="append", metavar="ID", dest="scenes",
                        help="only this scene (repeatable; ids from nll-lecture scenes)")
    parser.add_argument("--posters", metavar="OUT", help="a published output folder: show OUT/posters/NN-id.png")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")


def record_main(args: argparse.Namespace) -> int:
    """``nll-lecture record``: serve the page until Ctrl-C. Exit 2 for bad input."""
    from .script import collect_beats

    root = Path(args.dir)
    if root.exists() and not root.is_dir():
        print(f"error: {root}: not a folder", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.posters is not None and not Path(args.posters).is_dir():
        print(f"error: --posters {args.posters}: not a folder", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not 0 <= args.port <= 65535:
        print(f"error: --port {args.port}: expected 0..65535", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        beats = collect_beats(args.lang, args.data, args.scenes)
    except VoiceError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILED
    if not beats:
        print("error: no beats to record", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        server = RecordServer(root, args.lang, beats, args.posters, args.port)
    except OSError as err:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {err.strerror or err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    done = sum(1 for b in server.listing()["beats"] if b["done"])  # type: ignore[union-attr]
    print(f"recording {len(beats)} beats ({done} done) into {server.lang_dir}", flush=True)
    print(f"open {server.url}  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
