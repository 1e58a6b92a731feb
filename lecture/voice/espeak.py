"""``--voice espeak``: espeak-ng (Debian package ``espeak-ng``), the offline draft voice.

Formant synthesis: robotic but intelligible, in Korean (voice ``ko``) and English
(``en-us``), with no account, network or model download. Good for timing a lecture before
the real recordings exist.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import VoiceError
from .base import VoiceSource, voice_key

if TYPE_CHECKING:
    import numpy as np

VOICES = {"ko": "ko", "en": "en-us"}
# Words per minute (espeak-ng's default is 175): a little slower, for a lecture.
SPEED = {"ko": 160, "en": 160}
WORD_GAP = 1  # extra pause between words, in units of 10 ms
TIMEOUT_S = 120.0


@lru_cache(maxsize=1)
def espeak_binary() -> str:
    found = shutil.which("espeak-ng")
    if not found:
        raise VoiceError("espeak: espeak-ng is not installed (Debian package espeak-ng; `make setup` installs it)")
    return found


@lru_cache(maxsize=1)
def espeak_version() -> str:
    """``espeak-ng 1.51`` (part of every espeak cache key)."""
    try:
        result = subprocess.run([espeak_binary(), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise VoiceError(f"espeak: cannot run espeak-ng: {err}") from None
    words = result.stdout.split()
    version = next((w for w in words if w[:1].isdigit()), "unknown")
    return f"espeak-ng {version}"


# How a line is turned into what espeak-ng reads (spoken_text); part of every key.
READING = 1
# A minus sign (or a hyphen before a digit) with its spaces. espeak-ng's Korean voice reads
# "−" in English ("(en) minus") and skips a hyphen, so "-1을 곱해" came out as "일을 곱해".
_MINUS = re.compile(r"(\s*)(?:\u2212|(?<![\w.])-(?=\d))(\s*)")


def settings(lang: str) -> dict[str, object]:
    return {"voice": VOICES[lang], "speed_wpm": SPEED[lang], "word_gap": WORD_GAP, "reading": READING}


def spoken_text(text: str, lang: str) -> str:
    """A narration line as espeak-ng should read it. The caption writes a number's sign as
    "−" (the screen's number style); the English voice reads that as "minus" already. In
    Korean a sign (no space after it: "−784.3", "−log p") is read "마이너스" and a
    subtraction ("1 − p", "(1−p)") "빼기", as a Korean teacher says them.

    >>> spoken_text("기울기는 −784.3에서 −4.0으로", "ko"), spoken_text("1 − p, log(1−p), 손실 −log p", "ko")
    ('기울기는 마이너스 784.3에서 마이너스 4.0으로', '1 빼기 p, log(1 빼기 p), 손실 마이너스 log p')
    >>> spoken_text("로그 가능도에 -1을 곱해", "ko"), spoken_text("from −784.3 to 1 − p", "en")
    ('로그 가능도에 마이너스 1을 곱해', 'from −784.3 to 1 − p')
    """
    if lang != "ko":
        return text

    def read(match: re.Match) -> str:
        before, after = match.group(1), match.group(2)
        previous = match.string[:match.start()][-1:]
        if (before and after) or (not before and (previous.isalnum() or previous in ")\u0302")):
            return " 빼기 "
        return f"{before}마이너스 "

    return _MINUS.sub(read, text)


class EspeakSource(VoiceSource):
    kind = "espeak"

    def engine_id(self, lang: str) -> str:
        return f"{espeak_version()} {settings(lang)}"

    def key(self, beat_id: str, lang: str, text: str) -> str:
        return voice_key(text, lang, self.kind, espeak_version(), settings(lang))

    def produce(self, beat_id: str, lang: str, text: str, workdir: Path) -> tuple[np.ndarray, str, str]:
        if lang not in VOICES:
            raise VoiceError(f"beat {beat_id}: espeak has no voice for language {lang!r}")
        text_file = workdir / "line.txt"
        text_file.write_text(spoken_text(text, lang).strip() + "\n", encoding="utf-8")
        out = workdir / "espeak.wav"
        command = [espeak_binary(), "-v", VOICES[lang], "-s", str(SPEED[lang]), "-g", str(WORD_GAP),
                   "-b", "1", "-w", str(out), "-f", str(text_file)]
        try:
            result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise VoiceError(f"beat {beat_id}: espeak-ng timed out after {TIMEOUT_S:.0f} s") from None
        if result.returncode != 0 or not out.is_file() or out.stat().st_size <= 44:
            last = (result.stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
            raise VoiceError(f"beat {beat_id}: espeak-ng failed (exit status {result.returncode}): {last}")
        where = f"beat {beat_id} (espeak)"
        from .audio import decode_audio

        return decode_audio(out, name=where), f"{espeak_version()} {VOICES[lang]}", where
