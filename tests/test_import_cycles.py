"""No import cycles among the project's modules (lecture, scenes, mathcore).

Every ``import`` statement in a module counts, the ones inside functions
included (a function-level import is still a dependency; it only hides the
cycle from the module's head). Imports under ``if TYPE_CHECKING:`` are not
run and do not count. The check reads the source (the AST); nothing is
imported.

An edge A -> B means: module A names module B in an import. ``from P import
x`` points at the module ``P.x`` when that is a module of the project, else at
the package ``P`` itself (its ``__init__``). Importing ``P.Q`` also runs
``P/__init__`` first, so A -> P is drawn too, for every package P above B
that does not also hold A (A's own packages are running already: a package
face handing on names from its own modules is no cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lecture", "scenes", "mathcore")

# Cycles still open, each as the sorted set of its modules. Keep this list
# the one place: a cycle not listed fails, and so does a listed one that is
# gone (remove it here). None are left open.
KNOWN_CYCLES: list[frozenset[str]] = []


def _modules() -> dict[str, Path]:
    found = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """Every Import/ImportFrom node of the tree, skipping TYPE_CHECKING blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _imports(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = name.split(".")
                    if not is_pkg:
                        base = base[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    if node.module:
                        base = base + node.module.split(".")
                    pkg = ".".join(base)
                else:
                    pkg = node.module or ""
                for alias in node.names:
                    sub = f"{pkg}.{alias.name}"
                    targets.append(sub if sub in modules else pkg)
            for target in targets:
                # ``import a.b.c`` names the deepest module of the project
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                while target and target != name:
                    if not name.startswith(target + "."):
                        graph[name].add(target)
                    target = target.rpartition(".")[0]
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[frozenset[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(frozenset(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checker_finds_a_function_level_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]


def test_the_graph_counts_imports_inside_functions():
    # lecture.cli imports its subcommands inside functions; they must be edges
    graph = import_graph()
    assert "lecture.render" in graph["lecture.cli"] or any(
        t.startswith("lecture.render") for t in graph["lecture.cli"]
    )


def test_no_import_cycles_among_the_project_modules():
    found = cycles(import_graph())
    unexpected = [sorted(c) for c in found if c not in KNOWN_CYCLES]
    gone = [sorted(c) for c in KNOWN_CYCLES if c not in found]
    assert not unexpected, f"import cycles: {unexpected}"
    assert not gone, f"listed in KNOWN_CYCLES but no longer a cycle: {gone}"
