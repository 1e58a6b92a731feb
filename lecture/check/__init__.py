"""The pre-publish gate: ``nll-lecture check OUT [--strict]``, also run at the end of every
render on the staged output before it is swapped in (lecture/render/pipeline.py).

Entry point: :func:`check_folder` (lecture/check/gate.py) -> a list of :class:`Finding`,
one line each. Checks: captions (lecture/captions.py rules; cue breaks: cuebreaks.py), layout
(layout.py), the caption band and safe margins on every frame (reserved.py), stillness
(stillness.py), numbers (numbers.py), the deck's story in other data (story.py), video
(video.py); thresholds in thresholds.py.
Names load lazily: the render worker imports ``lecture.check.numbers`` alone.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CheckError", "CheckOptions", "Finding", "add_check_arguments", "check_folder", "check_main",
           "format_finding"]


def __getattr__(name: str) -> Any:
    if name in ("CheckError", "CheckOptions", "Finding", "check_folder", "format_finding"):
        from . import gate

        return getattr(gate, name)
    if name in ("add_check_arguments", "check_main"):
        from . import command

        return getattr(command, name)
    raise AttributeError(name)
