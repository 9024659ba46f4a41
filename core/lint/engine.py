"""Lint one module: parse, read its facts, one walk that hands each node to the rule families, then the flow
analysis of the functions where something can go stale, then suppressions and rule selection."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import replace

from .astutil import collect_facts, is_main_test, old_blender_branches, opens_temp_override
from .base import Family, Lint, Where
from .flow import FunctionFlow
from .model import LintFinding, Reporter, Rule
from .rules import FAMILIES, SOURCE_RULES
from .rules.source import PARSE_ERROR
from .rules.ui import DEFERRED_UI, TRANSFORMS

ALL_RULES: tuple[Rule, ...] = (*SOURCE_RULES, *(rule for family in FAMILIES for rule in family.rules))
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
DEFAULT_TARGET = (4, 2)  # the oldest Blender the extension supports, unless told otherwise

# Calls and stores after which a function's names may go stale: only such functions get the flow analysis.
_FLOW_CALLS = frozenset(
    {
        "add",
        "new",
        "remove",
        "clear",
        "batch_remove",
        "mode_set",
        "editmode_toggle",
        "posemode_toggle",
        "sculptmode_toggle",
        "vertex_paint_toggle",
        "weight_paint_toggle",
        "texture_paint_toggle",
        "to_mesh",
        "from_pydata",
        "clear_geometry",
        "calc_loop_triangles",
        "get",
    }
)
# (the transforms and workspace/screen stores ui.py follows, names, bone ends, vector components)
_FLOW_STORES = TRANSFORMS | DEFERRED_UI | frozenset({"name", "head", "tail", "head_local", "tail_local", "x", "y", "z"})
_SUPPRESS = re.compile(r"#\s*gotcha:\s*ignore(?:\[([^\]]*)\])?", re.IGNORECASE)


def parse_target(text: str | None) -> tuple[int, int] | None:
    """``"4.5"`` -> ``(4, 5)``; None for None; ValueError for anything else."""
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d+)\.(\d+)(?:\.\d+)?\s*", str(text))
    if not match:
        raise ValueError(f"not a Blender version (X.Y): {text!r}")
    return int(match.group(1)), int(match.group(2))


def lint_source(
    text: str,
    filename: str = "<string>",
    *,
    target_blender: str | tuple[int, int] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    headless: bool = False,
    standalone: bool = False,
) -> list[LintFinding]:
    """Lint Python source text; findings sorted by line. Never raises for bad source: a syntax error is one
    GD001 finding. ``select``/``ignore`` take rule codes, code prefixes (``GD1``), topics or ``ALL``.
    ``headless``: the file is test code or a ``__main__.py`` (:func:`files.headless_in`), whose exit is no gotcha.
    ``standalone``: the file is not part of a package (:func:`files.standalone_file`): if it imports nothing of
    Blender either, it is a program of its own (a build script, a ``setup.py``), whose exit is no gotcha."""
    target = target_blender if isinstance(target_blender, tuple) else parse_target(target_blender)
    reporter = Reporter(filename)
    try:
        tree = ast.parse(text, filename=filename)
    except SyntaxError as error:
        line = error.lineno or 1
        reporter.add(
            PARSE_ERROR,
            line,
            max(1, error.offset or 1),
            f"does not parse: {error.msg} (line {line}); Blender cannot load this file",
        )
        return reporter.findings
    except (ValueError, MemoryError, RecursionError) as error:  # NUL bytes, absurd nesting
        reporter.add(PARSE_ERROR, 1, 1, f"cannot be parsed as Python: {error}")
        return reporter.findings
    lint = Lint(
        tree,
        collect_facts(tree),
        reporter,
        target or DEFAULT_TARGET,
        text.splitlines(),
        headless=headless,
        standalone=standalone,
    )
    families = FAMILIES
    try:
        _Dispatcher(lint, families).run()
    except RecursionError:
        reporter.add(PARSE_ERROR, 1, 1, "nested too deeply to analyse")
    return select_findings(suppress(reporter.findings, lint.lines), select, ignore)


def suppress(findings: list[LintFinding], lines: list[str]) -> list[LintFinding]:
    """Drop findings whose line ends with ``# gotcha: ignore`` or ``# gotcha: ignore[CODE_OR_TOPIC,...]``."""
    kept = []
    for finding in findings:
        text = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        match = _SUPPRESS.search(text) if "gotcha" in text else None
        if match is not None:
            wanted = match.group(1)
            if wanted is None:
                continue
            names = {w.strip() for w in wanted.split(",") if w.strip()}
            if finding.rule in names or (finding.topic in names) or "ALL" in names:
                continue
        kept.append(finding)
    return kept


def _matches(rule: Rule, pattern: str) -> bool:
    return pattern == "ALL" or rule.code.startswith(pattern) or rule.topic == pattern or rule.name == pattern


def enabled_rules(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> set[str]:
    """Codes of the rules that run: the default rules, or those selected, less those ignored."""
    chosen = [s for s in (select or []) if s]
    ignored = [s for s in (ignore or []) if s]
    codes = {r.code for r in ALL_RULES if (any(_matches(r, s) for s in chosen) if chosen else r.default)}
    codes -= {r.code for r in ALL_RULES if any(_matches(r, s) for s in ignored)}
    codes.add(PARSE_ERROR.code)  # a file that does not parse is always said
    return codes


def unknown_patterns(patterns: Iterable[str]) -> list[str]:
    return [p for p in patterns if p and not any(_matches(r, p) for r in ALL_RULES)]


def select_findings(
    findings: list[LintFinding], select: Iterable[str] | None, ignore: Iterable[str] | None
) -> list[LintFinding]:
    codes = enabled_rules(select, ignore)
    return sorted((f for f in findings if f.rule in codes), key=lambda f: (f.line, f.column, f.rule))


class _Dispatcher:
    """One walk over the module, in source order, keeping track of where each node is."""

    def __init__(self, lint: Lint, families: tuple[Family, ...]) -> None:
        self.lint = lint
        self.families = families
        # functions (and the module) to analyse, in order
        self.needs_flow: dict[ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, None] = {}
        self.module_key = lint.tree

    def run(self) -> None:
        where = Where()
        for stmt in self.lint.tree.body:
            self.visit(stmt, where)
        hooks = [h for h in (f.flow_hook(self.lint) for f in self.families) if h is not None]
        for scope in self.needs_flow:
            body: list[ast.stmt] = [ast.Expr(scope.body)] if isinstance(scope, ast.Lambda) else scope.body
            function = None if isinstance(scope, ast.Module) else scope
            FunctionFlow(self.lint.facts, self.lint.reporter, hooks, function).run(body)
        for family in self.families:
            family.on_module(self.lint)

    def _scope(self, where: Where) -> ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda:
        return where.function if where.function is not None else self.module_key

    def visit(self, node: ast.AST, where: Where) -> None:
        lint, families = self.lint, self.families
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                self.visit(decorator, where)
            for family in families:
                family.on_function(lint, where, node)
            inner = Where(function=node, cls=lint.facts.method_class.get(node))
            for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
                self.visit(default, where)
            for stmt in node.body:
                self.visit(stmt, inner)
            return
        if isinstance(node, ast.Lambda):
            inner = Where(function=node, cls=where.cls)
            self.visit(node.body, inner)
            return
        if isinstance(node, ast.ClassDef):
            for child in [*node.bases, *node.keywords, *node.decorator_list]:
                self.visit(child, where)
            inner = Where(cls=lint.facts.classes.get(node.name))
            for stmt in node.body:
                self.visit(stmt, inner)
            return
        if isinstance(node, ast.If) and is_main_test(node.test):
            inner = replace(where, main_guard=True)
            for stmt in node.body:
                self.visit(stmt, inner)
            for stmt in node.orelse:
                self.visit(stmt, where)
            return
        if isinstance(node, ast.If) and not where.old_blender:
            body_old, orelse_old = old_blender_branches(node)
            if body_old or orelse_old:
                self.visit(node.test, where)
                older = replace(where, old_blender=True)
                for stmt in node.body:
                    self.visit(stmt, older if body_old else where)
                for stmt in node.orelse:
                    self.visit(stmt, older if orelse_old else where)
                return
        if isinstance(node, (ast.With, ast.AsyncWith)):
            override = opens_temp_override(node)
            for item in node.items:
                self.visit(item.context_expr, where)
            inner = replace(where, temp_override=where.temp_override or override)
            for stmt in node.body:
                self.visit(stmt, inner)
            return
        if isinstance(node, (ast.Try, ast.TryStar)):
            catches = any(_catches_exit(h) for h in node.handlers)
            inner = replace(where, catches_exit=where.catches_exit or catches)
            for stmt in node.body:
                self.visit(stmt, inner)
            for part in (*node.handlers, *node.orelse, *node.finalbody):
                self.visit(part, where)
            return
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in _FLOW_CALLS:
                self.needs_flow.setdefault(self._scope(where))
            key = lint.facts.canonical(func)
            if key is not None:
                if key.startswith("bpy.ops.") and (key.endswith(".mode_set") or key.endswith("_toggle")):
                    self.needs_flow.setdefault(self._scope(where))
                for family in families:
                    family.on_call(lint, where, node, key)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            key = lint.facts.canonical(node.iter)
            for family in families:
                family.on_for(lint, where, node, key)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Attribute) and sub.attr in _FLOW_STORES:
                        self.needs_flow.setdefault(self._scope(where))
            for family in families:
                family.on_assign(lint, where, node)
        elif isinstance(node, ast.Raise):
            for family in families:
                family.on_raise(lint, where, node)
        elif isinstance(node, ast.Attribute) and node.attr == "matrix_world":
            self.needs_flow.setdefault(self._scope(where))
        for child in ast.iter_child_nodes(node):
            self.visit(child, where)


def _catches_exit(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(
        isinstance(t, (ast.Name, ast.Attribute))
        and (getattr(t, "id", None) or getattr(t, "attr", "")) in {"SystemExit", "BaseException"}
        for t in types
    )
