"""The project modules a scene's render worker runs, derived from the code (the scene cache
key covers exactly these; lecture/render/cache.py).

The worker (``lecture.render.worker``) imports the scene's module by name
(``importlib.import_module(spec.import_path)``); from those two modules on, every
``import`` statement of a project module is followed, the ones inside functions included
(a function-level import may run in the worker all the same), and importing ``P.Q`` counts
``P/__init__.py`` too. A package whose ``__init__`` loads its names on first use (a
module-level ``__getattr__``, as ``lecture.voice`` and ``lecture.check`` do) loads them only
when a name that is not one of its modules is taken from it (``from lecture.voice import
VoiceError``, or ``import lecture.voice`` and an attribute); then the package counts whole
(which of its modules a name loads need not be written in an import statement), else only
what its own module-level code imports. Only the source is read (the AST, as
tests/test_import_cycles.py reads it); nothing is imported, and no manim: the cache
computes keys without it.

Pure Python; a parsed file is remembered by its content hash.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

PACKAGES = ("lecture", "scenes", "mathcore")
WORKER_MODULE = "lecture.render.worker"


def module_paths(files: Iterable[str]) -> dict[str, str]:
    """Dotted module name -> path relative to the root, for the ``.py`` files of
    :data:`PACKAGES` among ``files`` (relative POSIX paths)."""
    found = {}
    for path in files:
        parts = path.split("/")
        if parts[0] not in PACKAGES or not path.endswith(".py"):
            continue
        parts[-1] = parts[-1][:-3]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


@lru_cache(maxsize=1024)
def _parsed(path: str, digest: str, root: str) -> tuple[tuple[tuple[int, str | None, tuple[str, ...]], ...], bool]:
    """(imports as (level, module, names), whether it defines a module-level __getattr__)
    of one file, the imports inside that ``__getattr__`` left out; ``digest`` keys the memo
    (a changed file is parsed again)."""
    del digest
    tree = ast.parse((Path(root) / path).read_bytes(), filename=path)
    lazy = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "__getattr__"]
    skipped = {id(node) for loader in lazy for node in ast.walk(loader)}
    imports = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            imports.append((0, None, tuple(alias.name for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            imports.append((node.level, node.module, tuple(alias.name for alias in node.names)))
    return tuple(imports), bool(lazy)


def _targets(name: str, is_package: bool, imports, modules: Mapping[str, str]) -> tuple[set[str], set[str]]:
    """The project modules one module's import statements name (each with its packages), and
    the packages it may take names from that are not modules (``from P import name``,
    ``import P``: an attribute)."""
    found: set[str] = set()
    names_from: set[str] = set()
    for level, module, names in imports:
        if level == 0 and module is None:  # import a.b.c
            candidates = list(names)
            names_from.update(n for n in names if n in modules)
        else:
            if level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (level - 1)]
                package = ".".join(base + (module.split(".") if module else []))
            else:
                package = module or ""
            candidates = [f"{package}.{n}" if f"{package}.{n}" in modules else package for n in names]
            if package in modules and any(f"{package}.{n}" not in modules for n in names):
                names_from.add(package)
        for target in candidates:
            while target and target not in modules:  # the deepest module of the project it names
                target = target.rpartition(".")[0]
            while target:  # and every package above it (importing P.Q runs P/__init__)
                if target in modules:
                    found.add(target)
                target = target.rpartition(".")[0]
    return found, names_from


def closure(roots: Iterable[str], files: Mapping[str, str], root: Path) -> dict[str, str]:
    """Path -> hash of every project module the modules ``roots`` run (themselves, their
    packages, and everything they import, transitively). ``files``: path -> hash of the
    project's files (lecture/render/cache.py ``SourceSet.files``)."""
    modules = module_paths(files)
    todo = []
    for start in roots:
        while start:
            if start in modules:
                todo.append(start)
            start = start.rpartition(".")[0]
    seen: set[str] = set()
    lazy: set[str] = set()  # packages that load names on first use
    names_from: set[str] = set()  # packages names are taken from
    whole: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            path = modules[name]
            imports, loads_lazily = _parsed(path, files[path], str(root))
            targets, taken = _targets(name, path.endswith("__init__.py"), imports, modules)
            todo.extend(targets - seen)
            names_from |= taken
            if loads_lazily:
                lazy.add(name)
        for package in sorted((lazy & names_from) - whole):  # the whole package
            whole.add(package)
            todo.extend(m for m in modules if m.startswith(package + ".") and m not in seen)
    return {modules[name]: files[modules[name]] for name in sorted(seen)}


def worker_modules(scene_module: str, files: Mapping[str, str], root: Path) -> dict[str, str]:
    """Path -> hash of every project module the render worker runs for the scene whose module
    is ``scene_module`` (``scenes.s05_heights``)."""
    return closure((WORKER_MODULE, scene_module), files, root)
