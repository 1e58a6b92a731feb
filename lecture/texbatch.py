"""A scene's formulas compiled in one LuaLaTeX run, not one run each.

LuaLaTeX with unicode-math and the lecture's fonts (scenes/typography.py) spends about 3
CPU-seconds starting up, and manim starts it once per formula: a cold render of the deck's
lecture set 92 formulas, about 280 CPU-seconds of its 1259. Forty formulas as pages of one
document cost what one does (measured: 2.9 s of user time for 40 pages, 2.7 s for one).

So the render worker first runs the scene once without drawing (:func:`prefetch`): manim's
tex folder is read as usual, and every formula it lacks is noted instead of compiled
(scenes/manim_patches.py ``deferred_tex``: a placeholder stands in). Then
:func:`compile_many` sets all the noted formulas as the pages of one document and converts
each page to the SVG file manim would have written for it, under the same name. The real
render finds them all in the tex folder. A formula that only the real render reaches (a
branch the placeholders' shapes led the first pass away from) is compiled by manim as before.

The SVG of a formula is the same bytes either way: each page of the document is the
formula's own file's body, in the template's own ``standalone`` environment (the class wraps
a document's body in one preview; between two formulas the batch ends it and begins the
next, with the class's own commands), and
dvisvgm draws every glyph as its own path (manim patch 7, ``--no-fonts=1``; with manim's
default the outline of a glyph was shared between the pages' font sizes).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["BEGIN", "END", "batch_document", "compile_many", "prefetch", "split_document"]

BEGIN = "\\begin{document}\n"
END = "\\end{document}"
# What standalone.cls runs before \end{document} and after \begin{document} (its preview
# mode wraps a document's body in one preview: one page): between two formulas, one page ends
# and the next begins as they would in files of their own.
NEXT_PAGE = "\\ifhmode\\unskip\\fi\\endstandalone\n\\standalone\\ignorespaces\n"
_PAGE_ID = re.compile(r"<g id='page\d+'>")


def split_document(tex_file: Path) -> tuple[str, str] | None:
    """(preamble, body) of one of manim's .tex files, or None when it is not a standalone
    document (the only class whose pages this joins)."""
    text = tex_file.read_text(encoding="utf-8")
    head, begin, rest = text.partition(BEGIN)
    body, end, _ = rest.rpartition(END)
    if not begin or not end or "{standalone}" not in head.split("\n", 1)[0]:
        return None
    return head, body


def batch_document(preamble: str, bodies: Sequence[str]) -> str:
    """One document whose pages are ``bodies``, each set as its own file would set it."""
    return preamble + BEGIN + NEXT_PAGE.join(bodies) + END + "\n"


def compile_many(tex_files: Sequence[Path], tex_compiler: str, output_format: str) -> list[Path]:
    """Compile the formulas of ``tex_files`` (manim's .tex files in its tex folder) with one
    run of ``tex_compiler`` per preamble; write each one's SVG beside it, named as manim
    names it. Returns the SVGs written. Nothing is written for a batch that fails (a formula
    with an error): manim compiles those one by one and says what failed."""
    groups: dict[str, list[tuple[Path, str]]] = {}
    for tex_file in dict.fromkeys(tex_files):
        if tex_file.with_suffix(".svg").exists():
            continue
        parts = split_document(tex_file)
        if parts is not None:
            groups.setdefault(parts[0], []).append((tex_file, parts[1]))
    written: list[Path] = []
    for preamble, members in groups.items():
        if len(members) > 1:  # one formula: manim's own run costs the same
            written += _compile_group(preamble, members, tex_compiler, output_format)
    return written


def _compile_group(preamble: str, members: list[tuple[Path, str]], tex_compiler: str,
                   output_format: str) -> list[Path]:
    from manim.utils.tex_file_writing import make_tex_compilation_command

    from scenes.manim_patches import dvisvgm_command

    if output_format not in (".dvi", ".xdv", ".pdf"):
        return []
    # not inside the tex folder: manim empties it of everything but SVGs after each compile
    with tempfile.TemporaryDirectory(prefix="nll-texbatch-") as work:
        work_dir = Path(work)
        batch = work_dir / "batch.tex"
        batch.write_text(batch_document(preamble, [body for _, body in members]), encoding="utf-8")
        # manim's own command for the compiler (flags, output format), on the batch
        command = make_tex_compilation_command(tex_compiler, output_format, batch, work_dir)
        run = subprocess.run(command, cwd=work_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        output = batch.with_suffix(output_format)
        if run.returncode != 0 or not output.is_file():
            return []
        subprocess.run(dvisvgm_command(output, output_format, "1-", work_dir / "page-%p.svg"),
                       cwd=work_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pages = sorted(work_dir.glob("page-*.svg"), key=lambda p: int(p.stem.split("-")[1]))
        if len(pages) != len(members):
            return []
        written = []
        for (tex_file, _), page in zip(members, pages):
            svg = _PAGE_ID.sub("<g id='page1'>", page.read_text(encoding="utf-8"), count=1)
            target = tex_file.with_suffix(".svg")
            part = target.with_name(f".{target.name}.{os.getpid()}.part")
            part.write_text(svg, encoding="utf-8")
            os.replace(part, target)  # atomic: another process may read the folder meanwhile
            written.append(target)
    return written


def prefetch(*scene_classes: type, hooks_module: Any = None) -> list[Path]:
    """Run each of ``scene_classes`` once without drawing (manim's dry run, animations
    skipped) with formulas noted, not compiled; then compile all the noted ones in one batch
    into manim's tex folder (``config.tex_dir``). Returns the SVGs written. A scene that
    stops on a placeholder's shape only gives fewer formulas: the real render compiles the
    rest."""
    from manim import logger, tempconfig

    from scenes import hooks as scene_hooks
    from scenes.manim_patches import deferred_tex

    hooks_module = hooks_module or scene_hooks
    saved = hooks_module.current()
    level = logger.level  # tempconfig gives config.verbosity back, not the logger's level
    noted: dict[Path, tuple[str, str]] = {}
    try:
        hooks_module.install(hooks_module.Hooks())  # no voice, no frame sink: nothing leaves the pass
        logger.setLevel("WARNING")  # the pass's "Rendered ..." is not the scene's
        for scene_class in scene_classes:
            with tempconfig({"dry_run": True, "disable_caching": True, "progress_bar": "none"}), deferred_tex(noted):
                try:
                    scene_class(skip_animations=True).render()
                except Exception:  # noqa: BLE001 - a placeholder's shape may stop the pass early
                    pass
    finally:
        hooks_module.install(saved)
        logger.setLevel(level)
    written: list[Path] = []
    for compiler, output_format in dict.fromkeys(noted.values()):  # one batch per template kind
        files = [tex for tex, kind in noted.items() if kind == (compiler, output_format)]
        written += compile_many(files, compiler, output_format)
    return written
