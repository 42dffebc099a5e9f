"""The package's modules import one another without a circle.

The graph is read from the source (the AST of every module under ``src/exitban``), not from what
importing happens to load: an import inside a function body is an edge like any other, so a circle
cannot hide in a function. Imports under ``if TYPE_CHECKING:`` never run and only name a
collaborator's type (a person's unit, a unit's people); ``import_graph(annotations=True)`` adds them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import exitban

PACKAGE = Path(exitban.__file__).resolve().parent


def module_name(path: Path, package: Path = PACKAGE) -> str:
    """``src/exitban/sweep/store.py`` -> ``exitban.sweep.store``; a package's ``__init__`` is the package."""
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: set[str]) -> set[str]:
    """The package's modules that one import statement names."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:  # relative: from the module's own package upwards
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - node.level + 1]
            stem = ".".join([*base, node.module] if node.module else base)
        else:
            stem = node.module or ""
        # ``from a import b`` names the module ``a.b`` if there is one, else something defined in ``a``
        names = [f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in modules else stem for alias in node.names]
    found = set()
    for name in names:
        while name and name not in modules:  # ``import exitban.engine.codes`` also names no deeper module
            name = name.rpartition(".")[0]
        if name and name != "exitban":  # the top package's lazy re-exports are not a dependency of the layers
            found.add(name)
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of the import statements inside ``if TYPE_CHECKING:`` blocks."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in (
            getattr(node.test, "id", None),
            getattr(node.test, "attr", None),
        ):
            found |= {
                id(inner)
                for stmt in node.body
                for inner in ast.walk(stmt)
                if isinstance(inner, ast.Import | ast.ImportFrom)
            }
    return found


def import_graph(package: Path = PACKAGE, annotations: bool = False) -> dict[str, set[str]]:
    """Each module of the package, and the package's modules it imports anywhere in its source (with
    ``annotations``, also those imported for type annotations only)."""
    paths = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    modules = set(paths)
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        skipped = set() if annotations else _type_checking_only(tree)
        edges: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skipped:
                edges |= _imported(node, module, is_package, modules)
        edges.discard(module)
        # a module importing its own package's __init__ is not a circle through the package
        graph[module] = {e for e in edges if not module.startswith(f"{e}.")}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The graph's strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_graph_sees_function_level_imports(tmp_path: Path) -> None:
    """A circle hidden in a function body is found like a top-level one; one closed by an annotation-only
    import is a circle of the annotated graph only."""
    pkg = tmp_path / "exitban"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from exitban.sub import b\n")
    (pkg / "sub" / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..c import X\n")
    (pkg / "c.py").write_text("import exitban.a\nfrom exitban import sub\n")
    graph = import_graph(pkg, annotations=True)
    assert graph == {
        "exitban": set(),
        "exitban.sub": set(),
        "exitban.a": {"exitban.sub.b"},
        "exitban.sub.b": {"exitban.c"},
        "exitban.c": {"exitban.a", "exitban.sub"},
    }
    assert circles(graph) == [["exitban.a", "exitban.c", "exitban.sub.b"]]
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..c import X\n")  # at run time: still a circle
    assert circles(import_graph(pkg)) == [["exitban.a", "exitban.c", "exitban.sub.b"]]
    (pkg / "sub" / "b.py").write_text("import typing\nif typing.TYPE_CHECKING:\n    from ..c import X\n")
    assert import_graph(pkg)["exitban.sub.b"] == set() and circles(import_graph(pkg)) == []


def test_no_import_circle() -> None:
    """No two modules of the package import each other, directly or round a longer circle."""
    assert circles(import_graph()) == []


# The floors of the house, ground first: a module imports only from its own floor or below.
FLOORS = (
    {"_version", "errors", "atomic", "swap", "files", "extras", "reprs"},  # plumbing
    {"scenario", "lockedfolder", "runfolder", "checksums"},  # the input side and exitban's own folders
    {"engine"},  # the compiled core, which owns its state
    {"observe", "distributions", "limits", "compiled", "evidence"},  # what a run's arrays mean
    {"simulate"},  # the public run
    {"mesa", "sweep"},  # the docked twin; many runs
    {"calibration"},
    {"report"},
    {"dashboard", "workflow"},  # the Python workflow (replicate, compare) over sweeps and reports
    {"cli", "__main__", "exitban"},  # the interfaces, and the package's lazy front door
)


def floor_of(module: str) -> int:
    """The floor of a module's room (``exitban.engine.rules.choice`` is in ``engine``)."""
    room = module.split(".")[1] if "." in module else "exitban"
    return next(k for k, rooms in enumerate(FLOORS) if room in rooms)


def test_every_room_has_a_floor() -> None:
    """A new top-level module or package is placed on a floor, not left out of the check."""
    rooms = {m.split(".")[1] if "." in m else "exitban" for m in import_graph()}
    assert rooms <= set().union(*FLOORS), f"put {sorted(rooms - set().union(*FLOORS))} on a floor in FLOORS"


def test_no_import_from_a_higher_floor() -> None:
    """The layers stand on one another: no import runs up a floor (function-level imports included)."""
    up = sorted(
        f"{source} -> {target}"
        for source, targets in import_graph().items()
        for target in targets
        if floor_of(target) > floor_of(source)
    )
    assert up == []
