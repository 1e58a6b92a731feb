"""A scene's formulas compiled in one LuaLaTeX run (lecture/texbatch.py, manim patches 7
and 8): the same SVG bytes as one run per formula, and a render that compiles nothing more."""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path

import pytest
from manim import MathTex, Tex, tempconfig
from manim.utils import tex_file_writing

from lecture import texbatch
from scenes import manim_patches, theme

FORMULAS = [
    (r"\hat\theta = \arg\max_\theta \sum_{i=1}^{10} \log f(x_i;\theta)", {}),
    (r"p(", {}),
    (r"\mathcal{L}(\theta \mid a) > \mathcal{L}(\theta \mid b)", {"substrings_to_isolate": [r"\theta"]}),
]


def _mobjects(tex_dir: Path):
    with tempconfig({"tex_dir": str(tex_dir), "tex_template": theme.TEX_TEMPLATE}):
        return [MathTex(tex, **kwargs) for tex, kwargs in FORMULAS] + [Tex(r"NLL $10^{-3}$")]


@pytest.fixture
def path_glyphs():
    manim_patches.install_path_glyphs()
    yield
    manim_patches.uninstall_path_glyphs()


@pytest.mark.slow
@pytest.mark.usefixtures("path_glyphs")
def test_a_batch_writes_the_bytes_one_run_per_formula_writes(tmp_path):
    """Each formula's SVG from the batch is byte for byte the SVG manim writes compiling it
    alone (patch 7), under the same name; and every formula is compiled by one run."""
    alone, batched = tmp_path / "alone", tmp_path / "batched"
    _mobjects(alone)
    noted: dict = {}
    with tempconfig({"tex_dir": str(batched), "tex_template": theme.TEX_TEMPLATE}), manim_patches.deferred_tex(noted):
        placeholders = _mobjects(batched)
    assert len(noted) == 4 and not list(batched.glob("*.svg"))  # noted, nothing compiled
    assert [len(m.submobjects) for m in placeholders[2:3]] == [len(m.submobjects) for m in _mobjects(alone)[2:3]]
    written = texbatch.compile_many(list(noted), "lualatex", ".dvi")
    assert sorted(p.name for p in written) == sorted(p.name for p in alone.glob("*.svg"))
    for svg in written:
        assert svg.read_bytes() == (alone / svg.name).read_bytes(), svg.name
        assert "<use" not in svg.read_text()  # patch 7: every glyph its own path


@pytest.mark.slow
@pytest.mark.usefixtures("path_glyphs")
def test_a_batch_with_an_error_writes_nothing(tmp_path):
    """A formula TeX refuses fails the whole batch; nothing is written, so manim compiles
    each formula alone and reports the bad one as it always did."""
    noted: dict = {}
    with tempconfig({"tex_dir": str(tmp_path), "tex_template": theme.TEX_TEMPLATE}), manim_patches.deferred_tex(noted):
        MathTex(r"x^2")
        MathTex(r"x \nosuchcommand")
    assert texbatch.compile_many(list(noted), "lualatex", ".dvi") == []
    assert not list(tmp_path.glob("*.svg"))


def test_the_batch_document_ends_one_page_and_begins_the_next(tmp_path):
    head = "\\documentclass[preview]{standalone}\n\\usepackage{amsmath}\n"
    files = []
    for i, body in enumerate(("\\begin{align*}\na\n\\end{align*}\n", "\\begin{align*}\nb\n\\end{align*}\n")):
        files.append(tmp_path / f"{i}.tex")
        files[-1].write_text(head + texbatch.BEGIN + body + texbatch.END + "\n")
    parts = [texbatch.split_document(f) for f in files]
    assert parts[0][0] == head and parts[1][1].startswith("\\begin{align*}\nb")
    document = texbatch.batch_document(head, [body for _, body in parts])
    # standalone.cls's own end of a page and beginning of the next, once, between the two
    assert document.count("\\endstandalone") == 1 and document.count("\\standalone\\ignorespaces") == 1
    assert document.index("\na\n") < document.index("\\endstandalone") < document.index("\nb\n")
    (tmp_path / "article.tex").write_text("\\documentclass{article}\n" + texbatch.BEGIN + "x" + texbatch.END)
    assert texbatch.split_document(tmp_path / "article.tex") is None  # only standalone pages are joined


def test_a_placeholder_has_the_groups_manim_looks_up(tmp_path):
    """MathTex finds its parts by the dvisvgm groups named in the expression: the stand-in
    SVG has the same groups, so a scene picking parts of a formula runs on."""
    noted: dict = {}
    with tempconfig({"tex_dir": str(tmp_path), "tex_template": theme.TEX_TEMPLATE}), manim_patches.deferred_tex(noted):
        formula = MathTex(r"p(", r"x", r")=", r"0.5", substrings_to_isolate=["x"])
    assert len(formula) == 4 and all(len(part) >= 1 for part in formula)
    assert formula.get_part_by_tex("x") is not None
    assert list(noted) and all(not p.with_suffix(".svg").exists() for p in noted)


@pytest.mark.slow
@pytest.mark.usefixtures("path_glyphs")
def test_a_scene_after_its_first_pass_compiles_nothing(tmp_path, monkeypatch):
    """The worker's order: the first pass (prefetch) with a cold tex folder, then the scene
    itself: manim runs no TeX compiler for it (every formula came from the one batch)."""
    from lecture.render import worker
    from scenes import SCENES_BY_ID

    spec = SCENES_BY_ID["negative-log-likelihood"]
    tex_dir = tmp_path / "Tex"
    runs: list = []
    real_run = subprocess.run

    def counting(command, *args, **kwargs):
        runs.append(Path(command[0]).name)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting)
    with tempconfig({"media_dir": str(tmp_path), "tex_dir": str(tex_dir), "pixel_width": 256, "pixel_height": 144,
                     "frame_rate": 5}):
        written = texbatch.prefetch(worker._scene_class(spec))
        assert len(written) >= 5 and runs.count("lualatex") == 1, runs
        runs.clear()
        monkeypatch.setattr(tex_file_writing, "compile_tex", lambda *a, **k: pytest.fail(f"compiled again: {a[0]}"))
        cls = getattr(importlib.import_module(spec.import_path), spec.scene_class)
        with tempconfig({"dry_run": True, "progress_bar": "none"}):
            cls(skip_animations=True).render()
    assert "lualatex" not in runs


def test_nothing_drawn_from_a_placeholder_outlives_the_pass(tmp_path):
    """manim caches DecimalNumber's glyphs by string and parsed SVGs by file: those made
    during the pass (placeholders) are dropped on leaving it, so the real render draws real
    digits (a stale cache moved formulas in the key-frame tests)."""
    from manim import DecimalNumber
    from manim.mobject.svg.svg_mobject import SVG_HASH_TO_MOB_MAP
    from manim.mobject.text import numbers

    digits = {"7", "2", "5"}
    for digit in digits:
        numbers.string_to_mob_map.pop(digit, None)
    svgs_before = set(SVG_HASH_TO_MOB_MAP)
    with tempconfig({"tex_dir": str(tmp_path), "tex_template": theme.TEX_TEMPLATE}), manim_patches.deferred_tex({}):
        DecimalNumber(7.25, num_decimal_places=2)
        assert digits <= set(numbers.string_to_mob_map)  # cached meanwhile, from placeholders
    assert not digits & set(numbers.string_to_mob_map)
    assert set(SVG_HASH_TO_MOB_MAP) == svgs_before


def test_the_x_height_probe_is_not_kept_from_a_placeholder(tmp_path):
    """The gate's x-height of formulas is measured on an "x" set in TeX once per process:
    measured during the first pass it would be a placeholder's, so it is not kept then (a
    process that had it before keeps it: the pass must not make it compile "x" again)."""
    from scenes import layout

    layout._X_HEIGHTS.pop("math", None)
    with tempconfig({"tex_dir": str(tmp_path), "tex_template": theme.TEX_TEMPLATE}), manim_patches.deferred_tex({}):
        assert manim_patches.tex_deferred()
        layout.x_height_per_font_size("math")
    assert not manim_patches.tex_deferred() and "math" not in layout._X_HEIGHTS


def test_tests_batch_a_scenes_formulas_once_per_tex_folder(tmp_path, monkeypatch):
    """scene_checks.prefetch_formulas is the tests' one way to batch formulas (run_scene's
    fast runs and the frame tests' own tex folders): one first pass per scene, data, language
    and tex folder in a process, into the folder asked for."""
    import scene_checks
    from manim import config

    from lecture import texbatch

    passes = []
    monkeypatch.setattr(texbatch, "prefetch", lambda cls: passes.append((cls, Path(config.get_dir("tex_dir")))))
    monkeypatch.setattr(scene_checks, "_PREFETCHED", set())

    class Scene:
        pass

    one, two = tmp_path / "one", tmp_path / "two"
    scene_checks.prefetch_formulas(Scene, one, tmp_path / "media")
    scene_checks.prefetch_formulas(Scene, one, tmp_path / "media")
    scene_checks.prefetch_formulas(Scene, two)
    assert passes == [(Scene, one), (Scene, two)]
    assert Path(config.get_dir("tex_dir")) not in (one, two)  # the config is given back
