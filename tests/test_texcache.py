"""The TeX SVG cache shared between runs (lecture/texcache.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lecture import texcache

ROOT = Path(__file__).resolve().parents[1]
FORM = texcache.SVG_FORM


def _svg(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder / name


def test_a_second_cache_never_writes_over_what_the_first_seeded(tmp_path):
    first = _svg(tmp_path / "out-cache" / FORM, "a.svg", "from OUT")
    second = _svg(tmp_path / "user-cache" / FORM, "a.svg", "from the user")
    _svg(tmp_path / "user-cache" / FORM, "b.svg", "only the user's")
    tex = tmp_path / "Tex"
    seeded = texcache.seed(first.parent.parent, tex) | texcache.seed(second.parent.parent, tex)
    assert seeded == {"a.svg", "b.svg"}
    assert (tex / "a.svg").read_text() == "from OUT"
    assert second.read_text() == "from the user" and first.read_text() == "from OUT"
    assert (tex / "b.svg").read_text() == "only the user's"


def test_share_adds_only_the_new_svgs(tmp_path):
    cache = tmp_path / "cache"
    _svg(cache / FORM, "old.svg", "old")
    tex = tmp_path / "Tex"
    seeded = texcache.seed(cache, tex)
    _svg(tex, "new.svg", "new")
    (tex / "note.tex").write_text("not an svg")
    texcache.share(cache, tex, seeded)
    assert sorted(p.name for p in (cache / FORM).iterdir()) == ["new.svg", "old.svg"]
    assert (cache / FORM / "new.svg").read_text() == "new"


def test_svgs_of_another_form_are_never_seeded(tmp_path):
    """SVGs written before patch 7 (glyphs shared through <use>) lie in the cache folder
    itself: a formula's bytes must not depend on which form a cache happened to hold."""
    _svg(tmp_path / "cache", "old-form.svg", "<use/>")
    assert texcache.seed(tmp_path / "cache", tmp_path / "Tex") == set()
    assert not (tmp_path / "Tex" / "old-form.svg").exists()


def test_a_missing_cache_seeds_nothing_and_share_creates_it(tmp_path):
    tex = tmp_path / "Tex"
    assert texcache.seed(tmp_path / "none", tex) == set() and tex.is_dir()
    _svg(tex, "x.svg", "x")
    texcache.share(tmp_path / "made", tex, set())
    assert (tmp_path / "made" / FORM / "x.svg").read_text() == "x"


def test_the_user_cache_follows_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert texcache.user_cache() == tmp_path / "nll-lecture" / "tex"


def test_the_cache_key_covers_the_template(tmp_path):
    """The cache is addressed by manim's SVG names, a hash of the whole .tex file, the theme's
    preamble included: when the template changes (its fonts, issue 18), no SVG set with the
    old one is taken from a cache. Checked without TeX: manim names the SVG after the .tex."""
    from manim import TexTemplate, tempconfig
    from manim.utils.tex_file_writing import generate_tex_file

    from scenes import theme

    def svg_name(template: TexTemplate) -> str:
        return generate_tex_file("y_{1} = 1", "align*", template).with_suffix(".svg").name

    lines = theme.TEX_PREAMBLE.splitlines()
    with tempconfig({"media_dir": str(tmp_path), "tex_dir": str(tmp_path / "Tex")}):
        now = svg_name(theme.TEX_TEMPLATE)
        assert svg_name(TexTemplate(tex_compiler="lualatex", output_format=".dvi",
                                    preamble="\n".join(lines))) == now  # the name is the text's
        for dropped in range(len(lines)):  # any line of the preamble changes the name
            other = "\n".join(lines[:dropped] + lines[dropped + 1:])
            assert svg_name(TexTemplate(tex_compiler="lualatex", output_format=".dvi", preamble=other)) != now


@pytest.mark.slow
def test_the_script_compiles_a_formula_once_per_user(tmp_path):
    """Collecting the beats builds every formula of a scene: the SVGs land in the user's
    cache, and a second collection (another data file, so the beats cache misses) takes them
    from there: it runs with no TeX on the PATH at all."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "lecture.cli", "script", "--scene", "closing"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    assert list((tmp_path / "cache" / "nll-lecture" / "tex" / FORM).glob("*.svg")), "no formula reached the user's TeX cache"
    no_tex = {**env, "PATH": str(tmp_path / "empty-bin")}
    again = subprocess.run(command + ["--data", str(ROOT / "tests" / "data" / "story_exam.toml")], cwd=ROOT,
                           env=no_tex, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
