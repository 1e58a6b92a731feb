"""The lecture's Manim scenes. Importing this package does not import manim."""

from .catalog import SCENES_BY_ID, SCENES_IN_ORDER, SceneSpec
from .text import DATA_ENV, LANG_ENV, LANGUAGES, current_language, scene_title, strings

__all__ = [
    "DATA_ENV", "LANG_ENV", "LANGUAGES", "SCENES_BY_ID", "SCENES_IN_ORDER", "SceneSpec",
    "current_language", "scene_title", "strings",
]
