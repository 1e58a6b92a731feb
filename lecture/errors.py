"""The program's exit statuses and the one base class of its errors.

Every capability's error (``VoiceError``, ``MediaError``, ``CheckError``, ``PackageError``,
``RenderFailure``, ``ClusterError`` ...) derives from :class:`LectureError`: ``str()`` is
the one line the user reads after ``error:``, ``exit_status`` the status the process ends
with. ``lecture/cli.py`` maps any that reaches it to that line and that status, no
traceback. Imports nothing of the project.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # a render failed (a scene, publishing, an I/O error)
EXIT_BAD_INPUT = 2  # bad input: a data file, an option, --out; nothing was changed
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_TERMINATED = 143  # SIGTERM


class LectureError(Exception):
    """An error that ends a command: one line (``str()``) and an exit status.

    Each subclass sets its usual ``exit_status``; a raise may give another.

    >>> err = LectureError("--quality: expected preview, medium, high or 4k, got 'low'", EXIT_BAD_INPUT)
    >>> (str(err), err.exit_status)
    ("--quality: expected preview, medium, high or 4k, got 'low'", 2)
    """

    exit_status: int = EXIT_FAILED

    def __init__(self, message: str = "", exit_status: int | None = None):
        super().__init__(message)
        if exit_status is not None:
            self.exit_status = exit_status

    @property
    def status(self) -> int:
        """``exit_status`` under the name the render's callers read."""
        return self.exit_status
