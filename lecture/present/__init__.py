"""Presenting the lecture live: beats, present.html, the handout and the slide export.

``beats`` notes each scene's narration beats in the render worker and describes them in
manifest.json (keyframes at beat starts, each beat's last frame kept).
"""

from __future__ import annotations

__all__: list[str] = []
