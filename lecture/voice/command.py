"""``--voice command:TEMPLATE``: any text-to-speech program, run through ``sh -c``.

In the template ``{text}`` is the path of a UTF-8 file holding the line, ``{out}`` the
path of the WAV (or any format PyAV reads) the program must write, ``{lang}`` the
language (``ko`` / ``en``). The paths are shell-quoted; other braces (``${HOME}``) are
left alone. Example: ``command:piper --model ko.onnx --output_file {out} < {text}``.
The program runs in a scratch folder with a timeout; its stderr is kept for the error.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import VoiceError
from .base import VoiceCache, VoiceSource, voice_key

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
        return shown_template(self.template)

    def key(self, beat_id: str, lang: str, text: str) -> str:
        return voice_key(text, lang, self.kind, self.template, {})

    def produce(self, beat_id: str, lang: str, text: str, workdir: Path) -> tuple[np.ndarray, str, str]:
        text_file = workdir / "line.txt"
        text_file.write_text(text.strip() + "\n", encoding="utf-8")
        out = workdir / "out.wav"
        command = fill_template(self.template, text_file, out, lang)
        status, err = run_group(["sh", "-c", command], workdir, self.timeout_s)
        if status is None:
            raise VoiceError(f"beat {beat_id}: TTS command timed out after {self.timeout_s:g} s")
        if status != 0:
            raise VoiceError(f"beat {beat_id}: TTS command failed (exit status {status}): {_last_line(err)}")
        if not out.is_file() or out.stat().st_size == 0:
            raise VoiceError(f"beat {beat_id}: TTS command wrote nothing to {{out}} (exit status 0)")
        where = f"beat {beat_id} (TTS output)"
        from .audio import decode_audio

        return decode_audio(out, name=where), shown_template(self.template), where


def shown_template(template: str) -> str:
    """How a command template is named in anything published or kept (the state file, the
    manifest, logs, the voice cache): by a hash, never its text (it may hold an API key).

    >>> shown_template("tts --key SECRET -o {out}")
    'command:sha256:151aed69866a'
    """
    return "command:sha256:" + hashlib.sha256(template.encode("utf-8")).hexdigest()[:12]


def run_group(argv: list[str], cwd: Path, timeout_s: float) -> tuple[int | None, bytes]:
    """Run ``argv`` in its own process group with no pipe to hold: stdin from /dev/null,
    stdout discarded, stderr to a file. Returns (exit status, stderr), or (None, stderr) if
    the command did not end within ``timeout_s``; either way nothing of its process group is
    left running (a background child, ``cmd &``, is killed with it). A child that leaves the
    group (``setsid``) holds no pipe of ours, so it cannot keep the render waiting."""
    with tempfile.TemporaryFile(dir=cwd) as err:
        child = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                 start_new_session=True, close_fds=True)
        try:
            status: int | None = child.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            status = None
        finally:
            try:
                os.killpg(child.pid, signal.SIGKILL)  # the shell (if still there) and whatever it started
            except (ProcessLookupError, PermissionError):
                pass
            child.wait()
        err.seek(0)
        return status, err.read(1 << 16)
