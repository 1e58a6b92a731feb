"""Shared test setup: manim's config saved and restored around every test, graphical-test flags.

manim is imported lazily: the pure mathcore/CLI tests never pay for it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    # The two flags manim.utils.testing.frames_comparison reads (manim's own conftest defines them).
    parser.addoption("--set_test", action="store_true", default=False,
                     help="write the control frames of the frames_comparison tests instead of comparing")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show a visual diff when a frames_comparison test fails")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--dist loadgroup`` on pytest 9: pytest-xdist 3.8 names a test's group by appending
    ``@group`` to ``item._nodeid``, which pytest 9 no longer reads (``nodeid`` is ``str(item._id)``),
    so every test was its own group. Do the same on ``_id`` (after xdist's own hook; nothing
    to do where xdist's suffix took effect)."""
    if not getattr(config.option, "loadgroup", False):
        return
    try:
        from _pytest.nodeid import coerce_node_id  # pytest 9 (on pytest 8 xdist's suffix works)
    except ImportError:  # another pytest: groups as xdist makes them (a lost speed-up, not a failure)
        return
    for item in items:
        names = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                        for mark in item.iter_markers("xdist_group")})
        if names and "@" not in item.nodeid and hasattr(item, "_id"):
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(names)}")


@pytest.fixture(scope="session")
def manim_media_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media folder per xdist worker, kept between runs: its Tex/ and texts/ caches make
    the second run of a scene much faster. Never shared between workers (no cache races)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir(f"manim-media-{worker}"))
    return tmp_path_factory.mktemp(f"manim-media-{worker}")


@pytest.fixture(autouse=True)
def _restore_manim_config():
    """Whatever a test does to manim's global config is undone after it (like manim's own
    ``config`` fixture). Only when manim is already imported: plain tests stay manim-free."""
    if "manim" not in sys.modules:
        yield
        return
    from manim import config

    saved = config.copy()
    try:
        yield
    finally:
        config.update(saved)


@pytest.fixture
def manim_config(manim_media_dir: Path):
    """manim's config for one test, media (and the Tex/Pango caches) in the worker's folder;
    the TeX SVGs shared with the other workers and runs (scene_checks.shared_tex)."""
    from manim import config, tempconfig

    from scene_checks import shared_tex

    with tempconfig({"media_dir": str(manim_media_dir), "progress_bar": "none", "verbosity": "WARNING",
                     "disable_caching": True}), shared_tex(Path(config.get_dir("tex_dir"))):
        yield config


@pytest.fixture(scope="module")
def file_access_browser():
    """Chromium (tests/browser_support.py) whose file:// pages may read back the pixels of
    file:// videos (a canvas draws the frame; see ``browser_support.video_page``)."""
    from browser_support import FILE_ACCESS, chromium

    with chromium(FILE_ACCESS) as launched:
        yield launched
