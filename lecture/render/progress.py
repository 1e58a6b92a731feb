"""One progress display for a render, on stderr: a single updating line on a terminal,
plain lines otherwise (logs, CI)."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


def clock(seconds: float) -> str:
    """m:ss.

    >>> clock(65.2)
    '1:05'
    """
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """Scenes done out of total, elapsed time and the scenes in flight."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None):
        self.stream = stream or sys.stderr
        if tty is None:
            try:
                tty = bool(self.stream) and self.stream.isatty()
            except (OSError, ValueError, AttributeError):  # closed
                tty = False
        self.tty = tty
        self.started = time.monotonic()
        self.total = 0
        self.done = 0
        self.flight: dict[str, float] = {}
        self._shown = ""
        self._last_draw = 0.0
        self._closed = False

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def note(self, message: str) -> None:
        """A line that stays (above the updating line on a terminal)."""
        self._clear()
        self._write(message + "\n")
        self._draw(force=True)

    def begin(self, total: int) -> None:
        self.total = total

    def start(self, label: str) -> None:
        self.flight[label] = time.monotonic()
        if not self.tty:
            self._plain(f"start {label}")
        self._draw(force=True)

    def finish(self, label: str, detail: str = "") -> None:
        began = self.flight.pop(label, time.monotonic())
        self.done += 1
        took = time.monotonic() - began
        line = f"done  {label} ({took:.1f} s{', ' + detail if detail else ''})"
        if self.tty:
            self.note(f"[{self.done}/{self.total}] {clock(self.elapsed())} {line}")
        else:
            self._plain(line)

    def drop(self, label: str) -> None:
        self.flight.pop(label, None)

    def tick(self) -> None:
        """Redraw the terminal line (at most a few times a second)."""
        self._draw()

    def close(self) -> None:
        """End the updating line; later notes are plain lines."""
        self._clear()
        self._closed = True

    def _plain(self, line: str) -> None:
        self._write(f"[{self.done}/{self.total}] {clock(self.elapsed())} {line}\n")

    def _status(self) -> str:
        now = time.monotonic()
        flight = ", ".join(f"{label} {clock(now - t)}" for label, t in self.flight.items())
        return f"[{self.done}/{self.total} scenes] {clock(self.elapsed())}" + (f"  rendering: {flight}" if flight else "")

    def _draw(self, force: bool = False) -> None:
        if not self.tty or not self.total or self._closed:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.25:
            return
        self._last_draw = now
        status = self._status()[: max(20, shutil.get_terminal_size().columns - 1)]
        if status == self._shown:
            return
        self._write("\r\033[K" + status)
        self._shown = status

    def _clear(self) -> None:
        if self.tty and self._shown:
            self._write("\r\033[K")
            self._shown = ""

    def _write(self, text: str) -> None:
        """Progress is best effort: a closed, full or ASCII-only stderr never stops a render."""
        if self.stream is None:
            return
        try:
            try:
                self.stream.write(text)
            except UnicodeEncodeError:
                self.stream.write(text.encode("ascii", "backslashreplace").decode("ascii"))
            self.stream.flush()
        except (OSError, ValueError):
            pass
