"""The house's rules, read from the code itself: the folders are the pipeline's stages and
their imports run one way (content -> site -> render -> write), only the pipeline sees the
build's memory (state/), no two modules import each other round a cycle, and no module grows
past about 300 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "sitegen"
# Each layer may import itself and the layers before it; the shared vocabulary (model, errors,
# urls) is before all of them.
LAYERS = ["shared", "content", "site", "render", "write", "state", "pipeline", "commands", "cli"]
SHARED = {"model", "errors", "urls", "__init__"}
MAX_LINES = 310


def layer_of(module: str) -> str:
    """sitegen.content.parse -> content; sitegen.model -> shared; sitegen.cli -> cli."""
    parts = module.split(".")[1:]
    top = parts[0] if parts else "__init__"
    if top in SHARED:
        return "shared"
    if top == "__main__":
        return "cli"
    return top


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(path: Path, module: str) -> set[str]:
    """Every sitegen module this one imports, at the top or inside a function."""
    found = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("sitegen"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if base.startswith("sitegen"):
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
    known = modules()
    return {name for name in found if name in known and name != module}


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those under `if TYPE_CHECKING:` (names for type hints, never imported)."""
    found, todo = [], [tree]
    while todo:
        node = todo.pop()
        found.append(node)
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return found


def test_imports_run_one_way_and_only_the_pipeline_sees_the_state() -> None:
    wrong = []
    for module, path in modules().items():
        mine = LAYERS.index(layer_of(module))
        for imported in imports_of(path, module):
            theirs = layer_of(imported)
            if LAYERS.index(theirs) > mine:
                wrong.append(f"{module} imports {imported} ({theirs} comes after {layer_of(module)})")
            if theirs == "state" and layer_of(module) not in ("state", "pipeline"):
                wrong.append(f"{module} imports {imported}: only the pipeline sees the state")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles() -> None:
    graph = {module: imports_of(path, module) for module, path in modules().items()}
    graph = {module: {dep for dep in deps if dep != "sitegen"} for module, deps in graph.items()}
    visiting, done, cycles = set(), set(), []

    def visit(module: str, trail: list[str]) -> None:
        if module in done:
            return
        if module in visiting:
            cycles.append(" -> ".join([*trail[trail.index(module) :], module]))
            return
        visiting.add(module)
        for dep in sorted(graph.get(module, ())):
            if not dep.startswith(module + "."):  # a package's __init__ may gather its own modules
                visit(dep, [*trail, module])
        visiting.discard(module)
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize("module", sorted(modules()))
def test_modules_stay_short(module: str) -> None:
    lines = len(modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by what its parts do"


def test_the_layers_are_the_folders() -> None:
    folders = {path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert folders == {"content", "site", "render", "write", "state", "pipeline", "commands"}
