"""Run in a child process by ``script.collect_beats``: construct scenes fast and print their beats.

Each scene is built the way ``manim render`` would build it, but with animations skipped
and ``dry_run`` (every ``construct`` line runs, the scene clock advances by each
animation's run time and wait, nothing is encoded or written). ``LectureScene.narrate``
is wrapped at run time, in this process only, to note each line's key, filled text and
how long its block lasted on the scene clock.

Usage: python -m lecture.voice._collect OUT.json LANG SCENE_ID... (data from NLL_LECTURE_DATA)
Writes one JSON object to OUT.json (manim's console may print to stdout):
{"beats": [{"scene", "key", "text", "start_s", "duration_s", "nested"}]}.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from .. import texbatch, texcache

# Low resolution (nothing is drawn anyway) at 60 fps, the rate of the default quality:
# manim stretches a wait shorter than one frame to a frame, so the rate matters a little.
FAST_CONFIG: dict[str, Any] = {
    "dry_run": True,
    "disable_caching": True,
    "pixel_width": 427,
    "pixel_height": 240,
    "frame_rate": 60,
    "progress_bar": "none",
    "verbosity": "WARNING",
    "write_to_movie": False,
    "save_last_frame": False,
}


def collect(scene_ids: list[str]) -> list[dict[str, Any]]:
    from manim import tempconfig

    from scenes import SCENES_BY_ID, manim_patches
    from scenes.base import LectureScene

    manim_patches.install()

    beats: list[dict[str, Any]] = []
    original = LectureScene.narrate
    depth = [0]

    @contextlib.contextmanager
    def narrate(self: Any, key: str, **fields: Any):
        text = self.word(key, **fields)
        start = self.time
        depth[0] += 1
        try:
            with original(self, key, **fields):
                yield
        finally:
            depth[0] -= 1
        beats.append({"scene": self.scene_id, "key": key, "text": text, "start_s": start,
                      "duration_s": self.time - start, "nested": depth[0] > 0})

    LectureScene.narrate = narrate
    try:
        with tempfile.TemporaryDirectory(prefix="nll-script-") as media:
            # the formulas compiled once per user, not once per run (lecture/texcache.py)
            tex_dir = Path(media) / "Tex"
            seeded = texcache.seed(texcache.user_cache(), tex_dir)
            classes = [getattr(importlib.import_module(SCENES_BY_ID[i].import_path), SCENES_BY_ID[i].scene_class)
                       for i in scene_ids]
            # the formulas the caches lack, all scenes' in one LuaLaTeX run (lecture/texbatch.py);
            # its first passes are not narrations
            LectureScene.narrate = original
            with tempconfig({**FAST_CONFIG, "media_dir": media, "tex_dir": str(tex_dir)}):
                texbatch.prefetch(*classes)
            LectureScene.narrate = narrate
            for cls in classes:
                with tempconfig({**FAST_CONFIG, "media_dir": media, "tex_dir": str(tex_dir)}):
                    scene = cls(skip_animations=True)
                    scene.render()
            texcache.share(texcache.user_cache(), tex_dir, seeded)
    finally:
        LectureScene.narrate = original
    return beats


def main(argv: list[str]) -> int:
    out, lang, *scene_ids = argv
    import os

    os.environ["NLL_LECTURE_LANG"] = lang
    beats = collect(scene_ids)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"beats": beats}, handle, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
