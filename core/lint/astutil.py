"""What the rules need to know about a module before they look at code: import aliases, classes and the roles
functions play (thread target, timer, handler, ``update=`` callback, operator method), read in one walk.

Names are compared in a canonical dotted form: ``C.object`` (after ``C = bpy.context``) and ``context.object``
(the ``context`` argument Blender passes) both read ``bpy.context.object``; an item taken by subscript reads
``[]`` (``splines[0].points`` -> ``splines[].points``); a call reads ``()``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

# Base classes (last dotted part) that make a class a Blender operator, or a UI class whose draw() runs while
# Blender redraws.
OPERATOR_BASES = frozenset({"Operator", "Macro"})
UI_BASES = frozenset({"Panel", "Menu", "Header", "UIList", "Gizmo", "GizmoGroup"})
OPERATOR_METHODS = frozenset({"execute", "invoke", "modal"})
# argparse.ArgumentParser methods that parse the command line (and call sys.exit() on bad arguments or --help).
ARGPARSE_PARSE_METHODS = ("parse_args", "parse_known_args")
PROPERTY_FUNCS = frozenset(
    {
        "BoolProperty",
        "BoolVectorProperty",
        "IntProperty",
        "IntVectorProperty",
        "FloatProperty",
        "FloatVectorProperty",
        "StringProperty",
        "EnumProperty",
        "PointerProperty",
        "CollectionProperty",
    }
)


def dotted_raw(node: ast.AST) -> str | None:
    """``a.b[0].c()`` -> ``a.b[].c()``; None for anything that is not a name, attribute, subscript or call chain."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append("." + node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            parts.append("[]")
            node = node.value
        elif isinstance(node, ast.Call):
            parts.append("()")
            node = node.func
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            break
        else:
            return None
    return "".join(reversed(parts))


def root_name(node: ast.AST) -> ast.Name | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node if isinstance(node, ast.Name) else None


def last_attr(key: str) -> str:
    """``a.b[].c()`` -> ``c``: the last attribute name of a dotted key."""
    key = key.rstrip("()[]")
    return key.rsplit(".", 1)[-1].split("#", 1)[0]


def segments(key: str) -> list[str]:
    return [part.rstrip("()[]") for part in key.split(".")]


def const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def call_arg(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


@dataclass
class ClassInfo:
    node: ast.ClassDef
    kind: str  # "operator", "ui", "property-group", "other"
    bl_options: frozenset[str] | None  # None when the class sets no bl_options
    methods: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)


@dataclass
class ModuleFacts:
    aliases: dict[str, str] = field(default_factory=dict)  # local name -> canonical dotted path
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)  # module level
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    method_class: dict[ast.AST, ClassInfo] = field(default_factory=dict)  # method node -> its class
    thread_targets: dict[str, int] = field(default_factory=dict)  # function name -> line of Thread(...)
    timers: dict[str, int] = field(default_factory=dict)  # function name -> line of timers.register
    handlers: dict[str, tuple[str, int]] = field(default_factory=dict)  # function name -> (handler list, line)
    update_callbacks: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (keyword, line)
    update_lambdas: list[tuple[ast.Lambda, str]] = field(default_factory=list)
    # module-level functions and classes only reached from `if __name__ == "__main__":` (command-line code)
    main_only: set[str] = field(default_factory=set)
    operator_idnames: set[str] = field(default_factory=set)  # bl_idname of the operators this module defines
    loads_libraries: int = 0  # line of the first call that may link (wm.link; libraries.load with link=...), or 0
    is_addon: bool = False  # defines register() or bl_info, or registers Blender classes
    uses_bpy: bool = False
    nodes: list[ast.AST] = field(default_factory=list)  # every node of the module, walked once for all rules
    attributes: set[str] = field(default_factory=set)  # every attribute name the module uses
    strings: set[str] = field(default_factory=set)  # every string constant

    def canonical(self, node: ast.AST) -> str | None:
        """The dotted key of ``node`` with import aliases resolved (``C.object`` -> ``bpy.context.object``)."""
        key = dotted_raw(node)
        if key is None:
            return None
        head, sep, tail = _split_root(key)
        target = self.aliases.get(head)
        if target is not None:
            return target + sep + tail if tail or sep else target
        return key

    def function_for_name(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The module-level function (or method, for ``self.name``) a callback argument names."""
        if isinstance(node, ast.Name):
            return self.functions.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}:
            for info in self.classes.values():
                if node.attr in info.methods:
                    return info.methods[node.attr]
        return None


def _split_root(key: str) -> tuple[str, str, str]:
    for index, char in enumerate(key):
        if char in ".[(":
            return key[:index], "", key[index:]
    return key, "", ""


def is_id_collection(key: str) -> bool:
    """``key`` names a collection of datablocks itself, e.g. ``bpy.data.meshes`` (not an item, not a call)."""
    return key.startswith("bpy.data.") and key.count(".") == 2 and "[" not in key and "(" not in key


def is_bpy_key(key: str | None) -> bool:
    return key is not None and (key == "bpy" or key.startswith(("bpy.", "bpy[")))


def collect_facts(tree: ast.Module) -> ModuleFacts:
    facts = ModuleFacts()
    # The ``context`` argument Blender passes to operators, panels and callbacks.
    facts.aliases["context"] = "bpy.context"
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            facts.functions[stmt.name] = stmt
            if stmt.name == "register":
                facts.is_addon = True
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            if stmt.targets[0].id == "bl_info":
                facts.is_addon = True
    facts.nodes = nodes = list(ast.walk(tree))
    calls: list[ast.Call] = []
    for node in nodes:
        if isinstance(node, ast.Attribute):
            facts.attributes.add(node.attr)
            continue
        if isinstance(node, ast.Call):
            calls.append(node)
            continue
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                facts.strings.add(node.value)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    facts.aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    facts.aliases.setdefault(top, top)
                if alias.name.split(".", 1)[0] == "bpy":
                    facts.uses_bpy = True
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                if alias.name != "*":
                    facts.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            if node.module.split(".", 1)[0] == "bpy":
                facts.uses_bpy = True
        elif isinstance(node, ast.ClassDef):
            _collect_class(facts, node)
    # Module-level short names for bpy paths: C = bpy.context, D = bpy.data, ops = bpy.ops
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            key = facts.canonical(stmt.value)
            if key in {"bpy.context", "bpy.data", "bpy.ops", "bpy.app.timers", "bpy.app.handlers", "bpy.types"}:
                facts.aliases[stmt.targets[0].id] = key
    for call in calls:
        _collect_call(facts, call)
    _collect_main_only(facts, tree)
    return facts


def _called_names(nodes: list[ast.stmt] | ast.AST) -> set[str]:
    found: set[str] = set()
    for stmt in nodes if isinstance(nodes, list) else [nodes]:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                found.add(node.func.id)
    return found


def _links(call: ast.Call) -> bool:
    """``bpy.data.libraries.load(path, ...)`` may link: ``link`` given and not a false constant. Without it the
    load appends (``load(filepath, link=False, ...)``), which makes local data and links no library."""
    link = call_arg(call, 1, "link")
    return link is not None and not (isinstance(link, ast.Constant) and not link.value)


def _collect_main_only(facts: ModuleFacts, tree: ast.Module) -> None:
    """Command-line code, not Blender code: the functions called from the main guard (and what they call), the
    methods of classes made there, and, in a module with a main guard, a ``main()`` nothing in it calls (a
    console-script entry point)."""
    guarded: list[ast.stmt] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and is_main_test(stmt.test):
            guarded.extend(stmt.body)
    if not guarded:
        return
    todo = [n for n in _called_names(guarded) if n in facts.functions or n in facts.classes]
    entry = facts.functions.get("main")
    if entry is not None and "main" not in _called_names([s for s in tree.body if s is not entry]):
        todo.append("main")
    while todo:
        name = todo.pop()
        if name in facts.main_only:
            continue
        facts.main_only.add(name)
        if name in facts.classes:
            bodies: list[ast.AST] = list(facts.classes[name].methods.values())
        else:
            bodies = [facts.functions[name]]
        for body in bodies:
            todo.extend(n for n in _called_names(body) if n in facts.functions or n in facts.classes)


def is_main_test(test: ast.AST) -> bool:
    """``__name__ == "__main__"``."""
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


# The Blender that removed the context-dict operator override (``context.temp_override`` came in 3.2).
OVERRIDE_REMOVED = (4, 0, 0)


def old_blender_branches(node: ast.If) -> tuple[bool, bool]:
    """(body, orelse): whether each branch of this ``if`` runs only on a Blender older than 4.0, where the
    context-dict override still works. Known when the test compares ``bpy.app.version`` (or its major number,
    or a slice of it) with a literal, or asks ``hasattr(..., "temp_override")``; or when one branch opens
    ``with ....temp_override(...)`` right away and the other does not: that other is the older Blender's way.
    Helpers of the add-on's own (``is_bl_newer_than(4)``) are not guessed at: the branches say it instead."""
    body_new, orelse_new = _opens_temp_override(node.body), _opens_temp_override(node.orelse)
    if body_new != orelse_new:
        return not body_new, not orelse_new
    test, negated = node.test, False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, negated = test.operand, True
    sides = _old_when(test)
    return (sides[1], sides[0]) if negated else sides


def opens_temp_override(stmt: ast.AST) -> bool:
    """``with context.temp_override(...):`` (any receiver, among any context managers)."""
    return isinstance(stmt, (ast.With, ast.AsyncWith)) and any(
        isinstance(item.context_expr, ast.Call)
        and isinstance(item.context_expr.func, ast.Attribute)
        and item.context_expr.func.attr == "temp_override"
        for item in stmt.items
    )


def _opens_temp_override(body: list[ast.stmt]) -> bool:
    return any(opens_temp_override(stmt) for stmt in body)


def _old_when(test: ast.expr) -> tuple[bool, bool]:
    """(when true, when false): whether the test being so means a Blender older than 4.0."""
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "hasattr"
        and len(test.args) == 2
        and isinstance(test.args[1], ast.Constant)
        and test.args[1].value == "temp_override"
    ):
        return False, True  # no temp_override: older than 3.2
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False, False
    op, left, right = test.ops[0], test.left, test.comparators[0]
    flipped = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}
    if _version_part(left) is None and _version_part(right) is not None:
        left, right = right, left
        kind = flipped.get(type(op))
        if kind is None:
            return False, False
        op = kind()
    part = _version_part(left)
    if part is None:
        return False, False
    bound = _version_literal(right, part)
    if bound is None:
        return False, False
    if part == "major":  # version[0] < 4 is version < (4, 0, 0); version[0] <= 3 is version < (4, 0, 0)
        if isinstance(op, ast.LtE):
            op, bound = ast.Lt(), (bound[0] + 1, 0, 0)
        elif isinstance(op, ast.Gt):
            op, bound = ast.GtE(), (bound[0] + 1, 0, 0)
    if isinstance(op, ast.Lt):
        return bound <= OVERRIDE_REMOVED, False
    if isinstance(op, ast.LtE):
        return bound < OVERRIDE_REMOVED, False
    if isinstance(op, ast.Gt):
        return False, bound < OVERRIDE_REMOVED
    if isinstance(op, ast.GtE):
        return False, bound <= OVERRIDE_REMOVED
    return False, False


def _version_part(node: ast.expr) -> str | None:
    """ "full" for ``bpy.app.version`` (or a slice of it from the start), "major" for ``bpy.app.version[0]``."""
    if isinstance(node, ast.Subscript):
        inner, index = node.value, node.slice
        if dotted_raw(inner) not in ("bpy.app.version", "app.version"):
            return None
        if isinstance(index, ast.Constant) and index.value == 0:
            return "major"
        if isinstance(index, ast.Slice) and index.lower is None and index.step is None:
            return "full"
        return None
    return "full" if dotted_raw(node) in ("bpy.app.version", "app.version") else None


def _version_literal(node: ast.expr, part: str) -> tuple[int, int, int] | None:
    if part == "major":
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value, 0, 0
        return None
    if isinstance(node, ast.Tuple) and 1 <= len(node.elts) <= 3:
        numbers = [e.value for e in node.elts if isinstance(e, ast.Constant) and type(e.value) is int]
        if len(numbers) == len(node.elts):
            padded = (*numbers, 0, 0)
            return padded[0], padded[1], padded[2]
    return None


def _collect_class(facts: ModuleFacts, node: ast.ClassDef) -> None:
    base_names = {last_attr(k) for k in (dotted_raw(b) for b in node.bases) if k}
    methods = {s.name: s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    assigned: dict[str, ast.AST] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            assigned[stmt.target.id] = stmt.value
    kind = "other"
    known_bases = {facts.classes[b].kind for b in base_names if b in facts.classes}
    if (
        base_names & OPERATOR_BASES
        or "operator" in known_bases
        or ("bl_idname" in assigned and methods.keys() & OPERATOR_METHODS)
    ):
        kind = "operator"
    elif base_names & UI_BASES or "ui" in known_bases or ("draw" in methods and "bl_space_type" in assigned):
        kind = "ui"
    elif "PropertyGroup" in base_names:
        kind = "property-group"
    if kind != "other":
        facts.is_addon = True
    options: frozenset[str] | None = None
    value = assigned.get("bl_options")
    if isinstance(value, (ast.Set, ast.List, ast.Tuple)):
        options = frozenset(s for s in (const_str(e) for e in value.elts) if s)
    elif isinstance(value, ast.Call):  # set() or {…} built some other way: unknown, treat as given
        options = frozenset({"?"})
    elif value is None:
        for base in base_names:  # inherited from a base class of this module
            if base in facts.classes and facts.classes[base].bl_options is not None:
                options = facts.classes[base].bl_options
    idname = const_str(assigned.get("bl_idname"))
    if kind == "operator" and idname:
        facts.operator_idnames.add(idname)
    info = ClassInfo(node, kind, options, dict(methods))
    for base in base_names:  # methods inherited from a base class of this module (mix-ins)
        if base in facts.classes:
            for name, method in facts.classes[base].methods.items():
                info.methods.setdefault(name, method)
    facts.classes[node.name] = info
    for method in methods.values():
        facts.method_class[method] = info


def _callback_name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}:
        return node.attr
    return None


def _collect_call(facts: ModuleFacts, call: ast.Call) -> None:
    key = facts.canonical(call.func)
    if key is None:
        return
    tail = last_attr(key)
    if key in {"threading.Thread", "threading.Timer"} or (tail in {"Thread", "Timer"} and "." not in key):
        target = call_arg(call, 1, "function") if tail == "Timer" else None
        if target is None:
            for kw in call.keywords:
                if kw.arg == "target":
                    target = kw.value
        name = _callback_name(target)
        if name:
            facts.thread_targets.setdefault(name, call.lineno)
    elif key == "bpy.app.timers.register":
        name = _callback_name(call_arg(call, 0, "function"))
        if name:
            facts.timers.setdefault(name, call.lineno)
    elif key.startswith("bpy.app.handlers.") and tail == "append" and call.args:
        name = _callback_name(call.args[0])
        if name:
            facts.handlers.setdefault(name, (key.split(".")[3], call.lineno))
    elif tail in PROPERTY_FUNCS and (key.startswith("bpy.props.") or key == tail or key.startswith("props.")):
        for kw in call.keywords:
            if kw.arg in {"update", "set", "get"}:
                if isinstance(kw.value, ast.Lambda):
                    facts.update_lambdas.append((kw.value, kw.arg))
                name = _callback_name(kw.value)
                if name:
                    facts.update_callbacks.setdefault(name, (kw.arg, call.lineno))
    elif key == "bpy.ops.wm.link" or (key == "bpy.data.libraries.load" and _links(call)):
        # Appending makes local copies: no linked data shares their names.
        if not facts.loads_libraries:
            facts.loads_libraries = call.lineno
    elif key == "bpy.utils.register_class":
        facts.is_addon = True
