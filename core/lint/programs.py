"""Whether a file is Blender code at all: a program of its own (a ``setup.py``, a build script, a standalone tool an
add-on carries beside its package) runs in its own Python, where exiting or leaving threads running is fine; a
script for ``blender -b --python`` runs in a Blender started for it, which it may end."""

from __future__ import annotations

import ast

from .astutil import ARGPARSE_PARSE_METHODS, const_str, dotted_raw
from .base import Lint

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


def own_program(lint: Lint) -> bool:
    """A program of its own, not code Blender runs: it imports nothing of Blender (nor of its package), and either
    is no package's module (a ``setup.py`` or build script beside an add-on's folder) or parses the whole
    command line as it is imported (``parse_args()`` with no arguments at module level: run by Blender it would
    parse Blender's own options and fail; a script for ``blender --python`` parses what follows ``--``).
    Decided once per file."""
    known = lint.extra.get("programs.own_program")
    if isinstance(known, bool):
        return known
    own = not _imports_blender(lint.facts.nodes) and (lint.standalone or _reads_argv_on_import(lint.tree))
    lint.extra["programs.own_program"] = own
    return own


def blender_command_line_script(lint: Lint) -> bool:
    """A script for ``blender -b --python script.py -- ARGS``: it reads its arguments after ``--`` in ``sys.argv``
    (``argv[argv.index("--") + 1:]``), which only a Blender started for it has. Exiting ends that Blender with a
    status, as the script's caller expects; it is not the user's session. (argparse exiting on a bad argument is
    still reported: that exit is hidden, and the Gotchas page's own example.) Decided once per file."""
    known = lint.extra.get("programs.command_line_script")
    if isinstance(known, bool):
        return known
    found = False
    for node in lint.facts.nodes:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "index"
            and len(node.args) == 1
            and const_str(node.args[0]) == "--"
            and (dotted_raw(node.func.value) or "").rpartition(".")[2] in {"argv", "args", "arguments"}
        ):
            found = True
            break
    lint.extra["programs.command_line_script"] = found
    return found


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
                and node.func.attr in ARGPARSE_PARSE_METHODS
                and not node.args
                and not node.keywords
            ):
                return True
    return False
