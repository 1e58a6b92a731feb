"""The one exception of the voice package."""

from __future__ import annotations

from ..errors import EXIT_BAD_INPUT, LectureError


class VoiceError(LectureError):
    """Bad voice input: one line naming the file or beat and the reason.

    The CLI prints it as ``error: <message>`` and exits with status 2.
    """

    exit_status = EXIT_BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
