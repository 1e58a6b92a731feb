"""Publishing: the output folder (lock, staging, atomic swap), the scene and lecture files,
manifest.json and index.html.

Entry point: :func:`assemble` builds the next OUT in a staging tree; ``outdir`` swaps it in.
"""

from __future__ import annotations

from .assemble import (
    LECTURE_FILES,
    MANIFEST,
    PAGE,
    STATE_FILE,
    Context,
    Previous,
    Rendered,
    assemble,
    files_intact,
    is_output_folder,
    read_previous,
    same_files,
    scene_paths,
    seed_tree,
)

__all__ = [
    "LECTURE_FILES", "MANIFEST", "PAGE", "STATE_FILE", "Context", "Previous", "Rendered", "assemble",
    "files_intact", "is_output_folder", "read_previous", "same_files", "scene_paths", "seed_tree",
]
