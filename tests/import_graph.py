"""The project's import graph, read from the source with `ast` (nothing is imported or run).

`python -m tests.import_graph` prints, for each app, the other apps it imports (with the files
that do it), then every cycle between files. tests/test_architecture.py checks the same graph
against the allowed directions. Both module-level imports and imports inside functions count:
an import moved into a function to dodge a circle is still a dependency.
"""

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "observatoire",
    "territoires",
    "medias",
    "initiatives",
    "carte",
    "terrain",
    "evaluations",
    "agenda",
    "contributions",
    "accompagnements",
    "publications",
)


@dataclass(frozen=True)
class Edge:
    source: str  # dotted module name of the importing file
    target: str  # dotted module name of the imported file (a module or a package's __init__)
    line: int
    in_function: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_files() -> dict[str, Path]:
    """Every module of the apps, by dotted name; migrations are history, not design."""
    files = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            files[_module_name(path)] = path
    return files


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module `name` lives in (walking up from a name inside a module)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path, modules: dict[str, Path]):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    function_nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for child in ast.walk(node):
                if child is not node:
                    function_nodes.add(id(child))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import sub` imports the submodule when there is one, else a name of pkg.
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            target = _resolve(name, modules)
            if target and target != module:
                yield Edge(module, target, node.lineno, id(node) in function_nodes)


def graph() -> list[Edge]:
    modules = project_files()
    edges = set()
    for module, path in modules.items():
        edges.update(_imports(module, path, modules))
    return sorted(edges, key=lambda e: (e.source, e.target, e.line))


def app_of(module: str) -> str:
    return module.partition(".")[0]


def cycles(edges: list[Edge]) -> list[list[str]]:
    """Strongly connected groups of files (Tarjan), each a circle of imports."""
    succ: dict[str, set[str]] = {}
    for e in edges:
        succ.setdefault(e.source, set()).add(e.target)
        succ.setdefault(e.target, set())
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(succ[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in sorted(succ):
        if v not in index:
            visit(v)
    return sorted(found)


def main() -> None:
    edges = graph()
    print("# Imports between apps (app -> imported app: importing files)")
    by_app: dict[tuple[str, str], set[str]] = {}
    for e in edges:
        source, target = app_of(e.source), app_of(e.target)
        if source != target:
            mark = "" if not e.in_function else " (in a function)"
            by_app.setdefault((source, target), set()).add(f"{e.source}{mark}")
    for (source, target), files in sorted(by_app.items()):
        print(f"{source} -> {target}: {', '.join(sorted(files))}")
    print()
    print("# Imports against the layers (LAYERS in tests/test_architecture.py)")
    from tests.test_architecture import against_layers

    wrong = against_layers(edges)
    print("\n".join(wrong) if wrong else "none")
    print()
    print("# Cycles between files")
    found = cycles(edges)
    for group in found:
        print(" <-> ".join(group))
    if not found:
        print("none")


if __name__ == "__main__":
    main()
