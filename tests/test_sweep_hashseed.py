"""Scene frames do not depend on PYTHONHASHSEED (issue 8, section 6).

str hashes, and so the order of sets of strings, change with PYTHONHASHSEED; anything that
iterates such a set on the way to the screen (manim's TransformMatchingTex pairs its pieces
through ``set(source_map).intersection(target_map)``) would make two renders of the same
inputs differ. Each scene here is rendered in two children with different seeds (every
frame, small and at 6 fps, nothing encoded) and the frame digests must be equal.

The render pipeline also pins PYTHONHASHSEED=0 in its workers (lecture/render/pipeline.py);
this test is what says the scenes would not need it.
"""

from __future__ import annotations

import pytest

from scene_checks import DATA_DIR, frame_digests

RUNS = [
    pytest.param("phone-os", "ko", None, id="phone-os-ko-deck"),
    pytest.param("phone-os", "en", "metres_1000.toml", id="phone-os-en-metres_1000", marks=pytest.mark.slow),
    # The two scenes that use TransformMatchingTex (it iterates sets of TeX strings).
    pytest.param("log-likelihood", "en", None, id="log-likelihood-en-deck", marks=pytest.mark.slow),
    pytest.param("negative-log-likelihood", "ko", None, id="negative-log-likelihood-ko-deck", marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("scene_id", "lang", "data_file"), RUNS)
def test_frames_do_not_depend_on_the_hash_seed(scene_id, lang, data_file, manim_media_dir) -> None:
    data = None if data_file is None else DATA_DIR / data_file
    first = frame_digests(scene_id, lang, "1", manim_media_dir, data)
    second = frame_digests(scene_id, lang, "2", manim_media_dir, data)
    assert len(first) > 50, "the scene's frames were not captured"
    differing = [i for i, (a, b) in enumerate(zip(first, second)) if a != b]
    assert len(first) == len(second) and not differing, f"{len(differing)} frames differ, first at {differing[:5]}"
