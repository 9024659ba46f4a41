"""The shape every rule family has, and the per-node context the dispatcher hands it."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .astutil import ClassInfo, ModuleFacts
    from .flow import FlowHook
    from .model import Reporter, Rule


@dataclass
class Where:
    """Where a node sits: its function and class, and the guards around it."""

    function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | None = None
    cls: ClassInfo | None = None
    main_guard: bool = False  # inside ``if __name__ == "__main__":``
    temp_override: bool = False  # inside ``with context.temp_override(...)``
    catches_exit: bool = False  # inside ``try:`` whose handlers catch SystemExit
    # inside a branch of an ``if`` that only a Blender older than 4.0 runs (astutil.old_blender_branches): the
    # older Blender's way there is on purpose, e.g. a context-dict override beside ``temp_override``
    old_blender: bool = False


@dataclass
class Lint:
    """One file being linted: what every family may read and where findings go."""

    tree: ast.Module
    facts: ModuleFacts
    reporter: Reporter
    target: tuple[int, int]  # Blender version the code must work on, e.g. (4, 2)
    lines: list[str]
    extra: dict[str, object] = field(default_factory=dict)  # per-family scratch, keyed by family name
    headless: bool = False  # test code or a ``__main__.py`` (see files.headless_in): it may exit to report
    standalone: bool = False  # a file on disk outside any package (see files.standalone_file)

    def report(self, rule: Rule, node: ast.AST, message: str, **details: Any) -> None:
        self.reporter.add(rule, getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1, message, **details)


class Family:
    """A rule family: its rules and the hooks it wants. Every hook is optional."""

    name = ""
    rules: tuple[Rule, ...] = ()

    def flow_hook(self, lint: Lint) -> FlowHook | None:
        return None

    def on_call(self, lint: Lint, where: Where, call: ast.Call, key: str) -> None:
        pass

    def on_for(self, lint: Lint, where: Where, node: ast.For | ast.AsyncFor, key: str | None) -> None:
        pass

    def on_assign(self, lint: Lint, where: Where, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        pass

    def on_function(self, lint: Lint, where: Where, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        pass

    def on_raise(self, lint: Lint, where: Where, node: ast.Raise) -> None:
        pass

    def on_module(self, lint: Lint) -> None:
        pass
