"""``--voice command:TEMPLATE``: any text-to-speech program, run through ``sh -c``.

In the template ``{text}`` is the path of a UTF-8 file holding the line, ``{out}`` the
path of the WAV (or any format PyAV reads) the program must write, ``{lang}`` the
language (``ko`` / ``en``). The paths are shell-quoted; other braces (``${HOME}``) are
left alone. Example: ``command:piper --model ko.onnx --output_file {out} < {text}``.
The program runs in a scratch folder with a timeout; its stderr is kept for the error.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import VoiceError
from .sources import VoiceCache, VoiceSource, voice_key

if TYPE_CHECKING:
    import numpy as np

TIMEOUT_S = 120.0
PLACEHOLDER = re.compile(r"\{(text|out|lang)\}")


def check_template(template: str) -> None:
    if "{out}" not in template:
        raise VoiceError(f"--voice command:{template}: the template must name the WAV to write as {{out}}")


def fill_template(template: str, text_file: Path, out: Path, lang: str) -> str:
    values = {"text": shlex.quote(str(text_file)), "out": shlex.quote(str(out)), "lang": shlex.quote(lang)}
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def _last_line(data: bytes) -> str:
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no message on stderr"


class CommandSource(VoiceSource):
    kind = "command"
    timeout_s = TIMEOUT_S

    def __init__(self, cache: VoiceCache, template: str) -> None:
        super().__init__(cache)
        check_template(template)
        self.template = template

    def engine_id(self, lang: str) -> str:
        return self.template

    def key(self, beat_id: str, lang: str, text: str) -> str:
        return voice_key(text, lang, self.kind, self.template, {})

    def produce(self, beat_id: str, lang: str, text: str, workdir: Path) -> tuple[np.ndarray, str, str]:
        text_file = workdir / "line.txt"
        text_file.write_text(text.strip() + "\n", encoding="utf-8")
        out = workdir / "out.wav"
        command = fill_template(self.template, text_file, out, lang)
        child = subprocess.Popen(["sh", "-c", command], cwd=workdir, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = child.communicate(timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(child.pid, signal.SIGKILL)  # the shell and whatever it started
            except ProcessLookupError:
                pass
            child.communicate()
            raise VoiceError(f"beat {beat_id}: TTS command timed out after {self.timeout_s:g} s") from None
        if child.returncode != 0:
            raise VoiceError(f"beat {beat_id}: TTS command failed (exit status {child.returncode}): {_last_line(err)}")
        if not out.is_file() or out.stat().st_size == 0:
            raise VoiceError(f"beat {beat_id}: TTS command wrote nothing to {{out}} (exit status 0)")
        where = f"beat {beat_id} (TTS output)"
        from .audio import decode_audio

        return decode_audio(out, name=where), self.template, where
