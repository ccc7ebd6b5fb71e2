"""The house rules of game/, checked on its real import graph (grimp, import-linter's library):
no import circle anywhere, and the engine's packages used through their public faces.

The layers themselves (each package imports only those below it) and "no Textual below the
front ends" are import-linter contracts in pyproject.toml (tests/test_lint.py runs them)."""

from __future__ import annotations

import grimp

PACKAGES = [
    "game.model",
    "game.format",
    "game.runtime",
    "game.saves",
    "game.session",
    "game.classroom",
    "game.writers",
    "game.plain",
    "game.tui",
    "game.web",
]
# Packages used from outside only through their __init__, and the modules that are public too.
FACED = {
    "game.model": {"game.model.expressions"},  # the expression language, for the compiled play-tester
    "game.format": {"game.format.cache"},  # the cache folder's housekeeping, shared with the code cache
    "game.runtime": set(),
    "game.saves": set(),
    # `kengir report|verify|class-summary` for the command line; the class summary and the
    # signature check for the teacher's page.
    "game.classroom": {"game.classroom.commands", "game.classroom.summary", "game.classroom.signature"},
}


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("game", include_external_packages=False)


def _package(module: str) -> str:
    return next((p for p in PACKAGES if module == p or module.startswith(p + ".")), module)


def cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of a graph: its strongly connected parts of two modules or more
    (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, iter(sorted(imports[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(imports.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1:
                    found.append(sorted(part))
    return found


def test_the_cycle_finder_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_anywhere_in_game() -> None:
    graph = _graph()
    imports = {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    assert cycles(imports) == [], "modules that import each other, directly or round a circle"


def test_the_engine_packages_are_used_through_their_public_faces() -> None:
    graph = _graph()
    wrong = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            package = _package(imported)
            if package in FACED and _package(module) != package and imported != package and imported not in FACED[package]:
                wrong.append(f"{module} imports {imported}: import it from {package}")
    assert wrong == []
