"""Blender paths handed to Python's file functions, and paths printed or stored as names.

Gotchas: "Relative File Paths", "Unicode Problems".
"""

from __future__ import annotations

import ast

from ..astutil import ARGPARSE_PARSE_METHODS, dotted_raw
from ..base import Family, Lint, Where
from ..model import Rule

RELATIVE_PATH = Rule(
    "GD150",
    "blender-path-to-os",
    "relative-path",
    "WARNING",
    "A Blender path (may start with //) is passed to os/open/pathlib, which do not understand //",
    "resolve it first: bpy.path.abspath(data.filepath, library=data.library)",
)
ABSPATH_NO_LIBRARY = Rule(
    "GD151",
    "abspath-without-library",
    "relative-path",
    "INFO",
    "bpy.path.abspath() of a datablock's path without library=; linked data resolves against its library",
    "pass library=data.library so linked data resolves against the library file",
    default=False,
)
PATH_PRINTED = Rule(
    "GD155",
    "path-printed-or-named",
    "non-utf8-path",
    "WARNING",
    "A file path is printed, reported or assigned to a name as is; non-UTF-8 bytes in it raise",
    "show paths with repr() (or {path!r}); convert with os.fsencode(path).decode('utf-8', 'replace') before storing",
)
PATH_ATTRS = frozenset({"filepath", "filepath_raw"})
OS_PATH_FUNCS = frozenset(
    {
        "open",
        "io.open",
        "os.open",
        "os.stat",
        "os.lstat",
        "os.listdir",
        "os.scandir",
        "os.remove",
        "os.unlink",
        "os.rename",
        "os.replace",
        "os.makedirs",
        "os.startfile",
        "os.path.exists",
        "os.path.isfile",
        "os.path.isdir",
        "os.path.getsize",
        "os.path.getmtime",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.join",
        "os.path.dirname",
        "os.path.relpath",
        "shutil.copy",
        "shutil.copy2",
        "shutil.copyfile",
        "shutil.move",
        "pathlib.Path",
        "Path",
        "subprocess.run",
        "subprocess.Popen",
        "subprocess.call",
    }
)
# Stored paths that are already absolute: the open file's path, an operator's own file-browser property.
_ABSOLUTE_OWNERS = frozenset({"bpy.data", "self", "self.properties", "operator", "op"})


def _blender_path(lint: Lint, node: ast.AST) -> str | None:
    """The dotted form of ``node`` when it is a datablock's stored path (``image.filepath``, also with something
    appended: ``image.filepath + ".json"``, ``f"{image.filepath}.json"``), else None."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _blender_path(lint, node.left)
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.FormattedValue):
        return _blender_path(lint, node.values[0].value)
    if isinstance(node, ast.Attribute) and node.attr in PATH_ATTRS:
        owner = lint.facts.canonical(node.value) or dotted_raw(node.value) or ""
        if owner in _ABSOLUTE_OWNERS or owner.startswith(("bpy.context.preferences", "bpy.utils")):
            return None
        if owner in _parsed_arguments(lint):
            return None
        return dotted_raw(node)
    return None


def _parsed_arguments(lint: Lint) -> frozenset[str]:
    """Names bound to what argparse parsed (``args = parser.parse_args()``, ``args, rest =
    parser.parse_known_args()``): their ``filepath`` is a command-line argument, not a Blender path."""
    known = lint.extra.get("paths.parsed_arguments")
    if isinstance(known, frozenset):
        return known
    names: set[str] = set()
    for node in lint.facts.nodes:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr in ARGPARSE_PARSE_METHODS
        ):
            for target in node.targets:
                if isinstance(target, ast.Tuple) and target.elts:
                    target = target.elts[0]
                if isinstance(target, ast.Name):
                    names.add(target.id)
    found = frozenset(names)
    lint.extra["paths.parsed_arguments"] = found
    return found


def _any_path(lint: Lint, node: ast.AST) -> str | None:
    """Any stored path, including the open file's own (for printing / naming, where every path can hurt)."""
    if isinstance(node, ast.Attribute) and node.attr in PATH_ATTRS:
        owner = dotted_raw(node.value)
        if owner in {"self", "self.properties"} or owner in _parsed_arguments(lint):
            return None
        return dotted_raw(node)
    return None


def _printable_paths(lint: Lint, node: ast.AST) -> list[str]:
    """Paths that reach text unescaped: directly, in f-strings without !r, in % or + formatting."""
    found: list[str] = []
    if (path := _any_path(lint, node)) is not None:
        found.append(path)
    elif isinstance(node, ast.JoinedStr):
        for value in node.values:
            if isinstance(value, ast.FormattedValue) and value.conversion != ord("r"):
                found.extend(_printable_paths(lint, value.value))
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        found.extend(_printable_paths(lint, node.left))
        right = node.right
        elements = right.elts if isinstance(right, ast.Tuple) else [right]
        if isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and "%r" in str(node.left.value):
            return found
        for element in elements:
            found.extend(_printable_paths(lint, element))
    return found


class PathsFamily(Family):
    name = "paths"
    rules = (RELATIVE_PATH, ABSPATH_NO_LIBRARY, PATH_PRINTED)

    def on_call(self, lint: Lint, where: Where, call: ast.Call, key: str) -> None:
        if key in OS_PATH_FUNCS or key.endswith(".open") and key.startswith(("io.", "os.")):
            for arg in call.args:
                path = _blender_path(lint, arg)
                if path is not None:
                    lint.report(
                        RELATIVE_PATH,
                        arg,
                        f"`{path}` is passed to {key}(), which does not understand Blender's // prefix; "
                        f"{RELATIVE_PATH.fix}",
                        path=path,
                    )
                    break
        elif key == "bpy.path.abspath" and call.args:
            path = _blender_path(lint, call.args[0])
            if path is not None and not any(kw.arg == "library" for kw in call.keywords) and len(call.args) < 3:
                lint.report(
                    ABSPATH_NO_LIBRARY,
                    call,
                    f"bpy.path.abspath({path}) without library=: for linked data it resolves against the wrong "
                    f"file; {ABSPATH_NO_LIBRARY.fix}",
                    path=path,
                )
        elif key == "print" or key.endswith(".report") or (key.endswith(".label") and call.keywords):
            values = list(call.args) if key == "print" or key.endswith(".report") else []
            values += [kw.value for kw in call.keywords if kw.arg in {"text"}]
            for value in values:
                for path in _printable_paths(lint, value):
                    lint.report(
                        PATH_PRINTED,
                        value,
                        f"`{path}` is shown as is; a path with bytes that are not UTF-8 raises UnicodeEncodeError "
                        f"here. {PATH_PRINTED.fix}",
                        path=path,
                    )
                    return

    def on_assign(self, lint: Lint, where: Where, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        if not isinstance(node, ast.Assign) or node.value is None:
            return
        value = node.value
        if isinstance(value, ast.Call) and lint.facts.canonical(value.func) in {
            "os.path.basename",
            "bpy.path.basename",
        }:
            value = value.args[0] if value.args else value
        path = _any_path(lint, value)
        if path is None:
            return
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr == "name":
                lint.report(
                    PATH_PRINTED,
                    node,
                    f"`{path}` is assigned to a name as is; a path that is not UTF-8 raises TypeError here. "
                    f"{PATH_PRINTED.fix}",
                    path=path,
                )


FAMILY = PathsFamily()
