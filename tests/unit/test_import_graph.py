"""The extension's imports go one way: ``core`` <- ``checks`` <- engine/runner <- operators, panels, command line.

Read from the source with ``ast`` (nothing is imported, so no ``bpy`` is needed): every import statement of every
module of the extension, at module level or inside a function (an import inside a function still makes a cycle,
it only hides it from the interpreter until run time).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Folders of the repository that are not the extension (run outside Blender, or are data).
NOT_EXTENSION = {"tests", "benchmarks", "tools", "examples", "docs", "requirements", "build", "poll_kb"}
BLENDER_MODULES = {"bpy", "bmesh", "mathutils", "bpy_extras", "addon_utils", "_bpy", "gpu", "bl_ui", "bl_pkg"}
# Third-party modules core may use where present (Blender's bundled numpy); everything else in core is stdlib.
CORE_OPTIONAL = {"numpy"}
# What a check may never import: everything that stands above the checks.
ABOVE_CHECKS = ("runner", "operators", "panels", "preferences", "properties", "cli", "registration")


def extension_modules() -> dict[str, Path]:
    """Dotted module name (relative to the extension root; ``""`` is ``__init__.py``) -> file."""
    found: dict[str, Path] = {}
    for path in sorted(REPO.rglob("*.py")):
        relative = path.relative_to(REPO)
        if relative.parts[0] in NOT_EXTENSION or any(part.startswith(".") for part in relative.parts):
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = extension_modules()


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def imports_of(name: str) -> tuple[set[str], set[str]]:
    """(extension modules, outside top-level modules) that module ``name`` imports anywhere in its source."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"), filename=str(MODULES[name]))
    package = name if _is_package(name) else name.rpartition(".")[0]
    inside: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            outside.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module != "__future__":
                    outside.add((node.module or "").split(".")[0])
                continue
            base = package.split(".") if package else []
            if node.level > 1:
                base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                # ``from . import x`` names a module when x is one, else a value of the package itself.
                inside.add(sub if sub in MODULES else target)
    inside.discard(name)
    return inside, outside


GRAPH = {name: imports_of(name) for name in MODULES}


def _layer(name: str) -> str:
    return name.split(".")[0]


def test_the_walk_sees_the_extension() -> None:
    assert {"", "runner", "cli", "core.engine", "core.report", "checks", "checks.relative_paths"} <= set(MODULES)
    assert "checks._path_owners" in GRAPH["checks.relative_paths"][0]
    assert "core.findings" in GRAPH["core.report"][0]


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle() -> None:
    # A package's __init__ importing its own submodules is how a package lists them, not a cycle: only the
    # submodules' imports of each other and of other packages count.
    graph = {
        name: {target for target in inside if not (_is_package(name) and target.startswith(name + "."))}
        for name, (inside, _outside) in GRAPH.items()
    }
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(c or "__init__" for c in cycle)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _layer(n) == "core"))
def test_core_needs_nothing_but_core_and_the_standard_library(name: str) -> None:
    inside, outside = GRAPH[name]
    assert all(_layer(target) == "core" for target in inside), (name, inside)
    foreign = {m for m in outside if m not in sys.stdlib_module_names and m not in CORE_OPTIONAL}
    assert not foreign, f"{name} imports {sorted(foreign)}"
    assert not outside & BLENDER_MODULES


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _layer(n) == "checks"))
def test_checks_import_nothing_above_them(name: str) -> None:
    inside, _outside = GRAPH[name]
    above = sorted(target for target in inside if _layer(target) in ABOVE_CHECKS)
    assert not above, f"{name} imports {above}"
