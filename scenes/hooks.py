"""What the render worker hands a scene while it renders, in one object set in one call.

- ``voice_provider(beat_id, text, lang)`` -> ``(duration_s, wav_path)`` or None: asked by
  ``LectureScene.narrate`` for each beat (None for the provider: no beats noted, reading-rate
  timing; a provider returning None: silent timing, the beat noted in ``voice_beats``);
- ``frame_sink``: gets every frame manim's segment encoders convert (the worker's WebM
  writer; scenes/manim_patches.py ``install_frame_encoding``);
- ``session``: the worker's voice session (lecture/voice/render_hook.py), read back after
  the render to mix the voices in.

The worker sets them with :func:`install` (lecture/render/worker.py ``start_webm``); tests set
and :func:`reset` them the same way. Plain ``manim`` runs with none. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

VoiceProvider = Callable[[str, str, str], "tuple[float, str] | None"]


@dataclass
class Hooks:
    voice_provider: VoiceProvider | None = None
    frame_sink: Any = None
    session: Any = None


_current = Hooks()


def current() -> Hooks:
    """The hooks set last (all None when nothing set them)."""
    return _current


def install(hooks: Hooks) -> Hooks:
    """Make ``hooks`` the current hooks; return the ones they replace."""
    global _current
    previous, _current = _current, hooks
    return previous


def reset() -> Hooks:
    """No hooks (a plain render); return the ones removed."""
    return install(Hooks())
