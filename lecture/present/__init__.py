"""Presenting the lecture live: beats, present.html, the handout and the slide export.

- ``beats``: each scene's narration beats, noted by the render worker and described in
  manifest.json (a keyframe at every beat start, each beat's last frame kept as a still);
- ``page``: present.html, the lecture beat by beat with a speaker view;
- ``handout``: handout.pdf, each beat's last frame with its narration;
- ``publish``: the one entry point the publisher calls (present.html and handout.pdf);
- ``slides``: ``nll-lecture export slides OUT DIR``, the beats as a manim-slides presentation.
"""

from __future__ import annotations

__all__ = ["beats", "handout", "page", "publish", "slides"]
