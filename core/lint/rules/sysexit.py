"""``sys.exit()`` (and what calls it for you, like argparse) closes Blender.

Gotcha: "sys.exit".
"""

from __future__ import annotations

import ast

from ..astutil import dotted_raw
from ..base import Family, Lint, Where
from ..model import Rule

SYS_EXIT = Rule(
    "GD140",
    "sys-exit-call",
    "sys-exit",
    "ERROR",
    "sys.exit()/exit()/quit()/SystemExit closes Blender when this code runs inside it",
    'raise an exception or return (report the error); only exit under `if __name__ == "__main__":`',
)
ARGPARSE_EXIT = Rule(
    "GD141",
    "argparse-may-exit",
    "sys-exit",
    "WARNING",
    "argparse's parse_args() calls sys.exit() on bad arguments or --help, closing Blender",
    "use ArgumentParser(exit_on_error=False) with an error() that raises, or catch SystemExit",
)
EXIT_CALLS = frozenset({"sys.exit", "exit", "quit", "os._exit", "builtins.exit", "builtins.quit", "os.abort"})


class SysExitFamily(Family):
    name = "sysexit"
    rules = (SYS_EXIT, ARGPARSE_EXIT)

    def on_call(self, lint: Lint, where: Where, call: ast.Call, key: str) -> None:
        if lint.headless or where.main_guard or where.catches_exit or _command_line_only(lint, where):
            return
        if key in EXIT_CALLS or key.endswith((".parse_args", ".parse_known_args")):
            if _own_program(lint):
                return
        if key in EXIT_CALLS and key not in lint.facts.functions:
            lint.report(SYS_EXIT, call, f"{dotted_raw(call.func)}() closes Blender when run inside it; {SYS_EXIT.fix}")
        elif key.endswith((".parse_args", ".parse_known_args")) and _imports_argparse(lint):
            if not _parser_overrides_error(lint):
                lint.report(
                    ARGPARSE_EXIT,
                    call,
                    f"{dotted_raw(call.func)}() calls sys.exit() on bad arguments or --help, closing Blender; "
                    f"{ARGPARSE_EXIT.fix}",
                )

    def on_raise(self, lint: Lint, where: Where, node: ast.Raise) -> None:
        if (
            lint.headless
            or where.main_guard
            or where.catches_exit
            or node.exc is None
            or _command_line_only(lint, where)
            or _own_program(lint)
        ):
            return
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(exc, ast.Name) and exc.id == "SystemExit":
            lint.report(SYS_EXIT, node, f"raising SystemExit closes Blender when run inside it; {SYS_EXIT.fix}")


def _command_line_only(lint: Lint, where: Where) -> bool:
    """The code runs only from the module's main guard: a function called there, or a method of a class made
    there (see ModuleFacts.main_only)."""
    if where.cls is not None:
        return where.cls.node.name in lint.facts.main_only
    return getattr(where.function, "name", None) in lint.facts.main_only


# Modules that exist only inside Blender: code importing none of them (nor a module of its own package) cannot
# touch Blender's data.
BLENDER_MODULES = frozenset(
    {
        "bpy",
        "bmesh",
        "mathutils",
        "gpu",
        "gpu_extras",
        "bpy_extras",
        "bpy_types",
        "bl_math",
        "bl_ui",
        "bl_operators",
        "bgl",
        "blf",
        "aud",
        "idprop",
        "imbuf",
        "freestyle",
        "addon_utils",
        "rna_prop_ui",
        "nodeitems_utils",
        "bl_app_override",
        "bl_keymap_utils",
        "bl_i18n_utils",
        "_bpy",
    }
)


def _own_program(lint: Lint) -> bool:
    """A program of its own, not code Blender runs: it imports nothing of Blender (nor of its package), and either
    is no package's module (a ``setup.py`` or build script beside an add-on's folder) or parses the whole
    command line as it is imported (``parse_args()`` with no arguments at module level: run by Blender it would
    parse Blender's own options and fail; a script for ``blender --python`` parses what follows ``--``).
    Decided once per file."""
    known = lint.extra.get("sysexit.own_program")
    if isinstance(known, bool):
        return known
    own = not _imports_blender(lint.facts.nodes) and (lint.standalone or _reads_argv_on_import(lint.tree))
    lint.extra["sysexit.own_program"] = own
    return own


def _imports_blender(nodes: list[ast.AST]) -> bool:
    for node in nodes:
        if isinstance(node, ast.Import):
            if any(alias.name.split(".", 1)[0] in BLENDER_MODULES for alias in node.names):
                return True
        elif isinstance(node, ast.ImportFrom):
            if node.level > 0 or (node.module or "").split(".", 1)[0] in BLENDER_MODULES:
                return True
    return False


def _reads_argv_on_import(tree: ast.Module) -> bool:
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("parse_args", "parse_known_args")
                and not node.args
                and not node.keywords
            ):
                return True
    return False


def _imports_argparse(lint: Lint) -> bool:
    return any(value.split(".", 1)[0] == "argparse" for value in lint.facts.aliases.values())


def _parser_overrides_error(lint: Lint) -> bool:
    """A class of this module derives from ArgumentParser and overrides error(), so it need not exit."""
    return any(
        "error" in info.methods and any("ArgumentParser" in (dotted_raw(b) or "") for b in info.node.bases)
        for info in lint.facts.classes.values()
    )


FAMILY = SysExitFamily()
