"""Voices for the lecture's narration beats (work in progress; see issue 9)."""

from .errors import VoiceError

__all__ = ["VoiceError"]
