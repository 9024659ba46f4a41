"""Blender data held where undo can free it, and data changed without an undo step.

Gotchas: "Undo/Redo", "Help! My script crashes Blender" (modules that stay active), "Modifying Blender Data &
Undo".
"""

from __future__ import annotations

import ast

from ..astutil import ClassInfo, dotted_raw
from ..base import Family, Lint, Where
from ..model import Rule

MODULE_HOLDS_DATA = Rule(
    "GD110",
    "datablock-held-by-module",
    "undo-invalidation",
    "WARNING",
    "An add-on keeps a Blender datablock in a module-level name or container; undo/redo frees it",
    "store names (or session_uid) and look the data up again from context/bpy.data when it is needed",
)
MODAL_HOLDS_DATA = Rule(
    "GD111",
    "datablock-held-across-modal",
    "undo-invalidation",
    "WARNING",
    "A modal operator keeps a datablock on self from invoke/execute and uses it in modal(); undo during the "
    "modal run frees it",
    "store the name and fetch the data from context in each modal() call",
)
NO_UNDO_STEP = Rule(
    "GD115",
    "operator-changes-data-without-undo",
    "undo-missing-step",
    "WARNING",
    "An operator changes Blender data but its bl_options has no 'UNDO'; the change gets no undo step",
    "add bl_options = {'REGISTER', 'UNDO'} to the operator",
)
TIMER_CHANGES_DATA = Rule(
    "GD116",
    "timer-changes-data-without-undo",
    "undo-missing-step",
    "INFO",
    "A bpy.app.timers callback changes Blender data with no undo step; the undo stack breaks",
    "push a step after the change (bpy.ops.ed.undo_push(message=...)) or do the change in an operator with UNDO",
)
# Context members and bpy.data lookups that give datablocks (or lists of them).
DATA_ENDS = frozenset(
    {
        "object",
        "active_object",
        "edit_object",
        "scene",
        "collection",
        "material",
        "active_material",
        "world",
        "camera",
        "image",
        "mesh",
        "armature",
        "selected_objects",
        "selected_editable_objects",
        "visible_objects",
        "view_layer",
        "node_tree",
        "active_node",
        "active_bone",
        "active_pose_bone",
        "pose_object",
    }
)
UI_PARTS = frozenset(
    {
        "window_manager",
        "preferences",
        "area",
        "region",
        "space_data",
        "screen",
        "workspace",
        "window",
        "region_data",
        "keyconfigs",
        "keymap",
        "keymaps",
        "keymap_items",
    }
)
# Collections of datablocks, wherever they are reached from (scene.objects, collection.all_objects, …).
ID_LISTS = frozenset(
    {
        "objects",
        "all_objects",
        "selected_objects",
        "selected_editable_objects",
        "visible_objects",
        "meshes",
        "materials",
        "collections",
        "scenes",
        "images",
        "actions",
        "node_groups",
        "armatures",
        "cameras",
        "lights",
    }
)
# Attributes that are run-time state, not saved data: changing them needs no undo step.
RUNTIME_ATTRS = frozenset({"tag", "show_expanded", "show_expanded_items", "show_expanded_children", "is_dirty"})


def holds_data(lint: Lint, node: ast.AST | None) -> str | None:
    """The dotted form of ``node`` when it evaluates to a datablock from context or bpy.data, else None."""
    if node is None:
        return None
    call = None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"get", "new"}:
        call, node = node, node.func.value
    key = lint.facts.canonical(node)
    if key is None:
        return None
    parts = key.split(".")
    if key.startswith("bpy.data.") and len(parts) == 3 and (call is not None or key.endswith("[]")):
        return dotted_raw(call or node)
    if key.startswith("bpy.data.") and parts[2].endswith("[]") and len(parts) == 3:
        return dotted_raw(node)
    if key.startswith("bpy.context.") and call is None and parts[-1].rstrip("[]") in DATA_ENDS:
        if not (UI_PARTS & set(parts[2:-1])):
            return dotted_raw(node)
    return None


def _data_names(lint: Lint, method: ast.AST, datablocks_only: bool = False) -> set[str]:
    """Local names bound from context or bpy.data (``for obj in context.selected_objects``, ``ob = C.object``).

    ``datablocks_only``: of the names assigned (not looped over), only those given a datablock (``C.object``,
    ``bpy.data.meshes["Mesh"]``, ``scene.objects[name]``, ``view_layer.objects.active``), not a value read from
    context such as a scene's enum or string property (``shape = context.scene.add_shape_key``)."""
    names: set[str] = set()
    for node in ast.walk(method):
        if isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name):
            source = node.iter
            target = node.target.id
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            source, target = node.value, node.targets[0].id
        else:
            continue
        key = lint.facts.canonical(source) or ""
        if isinstance(node, (ast.For, ast.comprehension)) and key.rsplit(".", 1)[-1] in ID_LISTS:
            names.add(target)  # for ob in scene.objects: datablocks, whatever the scene came from
            continue
        if key.startswith(("bpy.context.", "bpy.data.")) and not (
            UI_PARTS & {p.rstrip("[]()") for p in key.split(".")}
        ):
            if datablocks_only and isinstance(node, ast.Assign) and not _gives_datablock(lint, source, key):
                continue
            names.add(target)
    return names


def _gives_datablock(lint: Lint, source: ast.AST, key: str) -> bool:
    if holds_data(lint, source) is not None:
        return True
    parts = key.split(".")
    last = parts[-1]
    if last.endswith("[]"):  # an item: scene.objects["Cube"]
        return last[:-2] in ID_LISTS or (key.startswith("bpy.data.") and len(parts) == 3)
    return len(parts) > 1 and parts[-2] in ID_LISTS and last in {"active", "get()"}


Change = ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Call


def _modifies_data(lint: Lint, method: ast.AST) -> Change | None:
    """The first statement of ``method`` (in source order) that changes Blender data (not UI or preferences), or
    None. A value saved first and set back before the method returns, whatever path it takes, is a temporary
    change: nothing is left to undo. (Set back only in one branch, e.g. a modal operator's cancel, it is not.)"""
    local = _data_names(lint, method)
    restored = _restored(method)
    found: list[Change] = []
    for node in ast.walk(method):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in RUNTIME_ATTRS:
                    continue
                if isinstance(target, (ast.Attribute, ast.Subscript)) and _text(target) not in restored:
                    key = lint.facts.canonical(target) or ""
                    parts = key.split(".")
                    if key.startswith(("bpy.context.", "bpy.data.")) and not (
                        UI_PARTS & {p.rstrip("[]") for p in parts}
                    ):
                        found.append(node)
                    elif parts[0].rstrip("[]") in local and len(parts) > 1:
                        found.append(node)
        elif isinstance(node, ast.Call):
            key = lint.facts.canonical(node.func) or ""
            # (operators called from here push their own undo step, so bpy.ops calls do not count)
            if key.startswith("bpy.data.") and key.endswith((".new", ".remove")):
                found.append(node)
    return min(found, key=lambda node: (node.lineno, node.col_offset), default=None)


def _text(node: ast.AST) -> str:
    """An expression as written, ``bpy.context.x`` and ``context.x`` alike."""
    return ast.unparse(node).removeprefix("bpy.")


def _restored(method: ast.AST) -> set[str]:
    """What ``method`` saves and always sets back: ``saved = T`` first, then ``T = saved`` as a statement of the
    method's own body (or of a ``finally:`` there), so every path that goes on past the change restores it."""
    saved: dict[str, str] = {}  # where the value was saved -> the expression saved (read before it was set)
    written: set[str] = set()
    for node in sorted(
        (n for n in ast.walk(method) if isinstance(n, ast.Assign) and len(n.targets) == 1),
        key=lambda node: (node.lineno, node.col_offset),
    ):
        if isinstance(node.value, (ast.Attribute, ast.Subscript)) and _text(node.value) not in written:
            saved.setdefault(_text(node.targets[0]), _text(node.value))
        written.add(_text(node.targets[0]))
    last: list[ast.stmt] = list(getattr(method, "body", []))
    for statement in list(last):
        if isinstance(statement, ast.Try):
            last.extend(statement.finalbody)
    return {
        _text(node.targets[0])
        for node in last
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.value, (ast.Name, ast.Attribute))
        and saved.get(_text(node.value)) == _text(node.targets[0])
    }


def _pushes_undo(lint: Lint, function: ast.AST) -> bool:
    """The function pushes an undo step itself (``bpy.ops.ed.undo_push()``)."""
    return any(
        isinstance(n, ast.Call) and (lint.facts.canonical(n.func) or "") == "bpy.ops.ed.undo_push"
        for n in ast.walk(function)
    )


class UndoFamily(Family):
    name = "undo"
    rules = (MODULE_HOLDS_DATA, MODAL_HOLDS_DATA, NO_UNDO_STEP, TIMER_CHANGES_DATA)

    def on_assign(self, lint: Lint, where: Where, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        if not lint.facts.is_addon or not isinstance(node, ast.Assign):
            return
        held = holds_data(lint, node.value)
        if held is None:
            return
        if where.function is None and where.cls is None and not where.main_guard:
            if any(isinstance(t, ast.Name) for t in node.targets):
                self._module(lint, node, held)
        elif where.function is not None and not isinstance(where.function, ast.Lambda):
            declared = {n for s in ast.walk(where.function) if isinstance(s, ast.Global) for n in s.names}
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in declared:
                    self._module(lint, node, held)
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    if target.value.id in _module_containers(lint):
                        self._module(lint, node, held)

    def on_call(self, lint: Lint, where: Where, call: ast.Call, key: str) -> None:
        if not lint.facts.is_addon or where.function is None or not isinstance(call.func, ast.Attribute):
            return
        if call.func.attr in {"append", "add", "insert"} and isinstance(call.func.value, ast.Name):
            if call.func.value.id in _module_containers(lint) and call.args:
                arg = call.args[-1]
                held = holds_data(lint, arg)
                if held is None and isinstance(arg, ast.Name) and arg.id in _data_names(lint, where.function, True):
                    held = arg.id
                if held is not None:
                    self._module(lint, call, held)

    def _module(self, lint: Lint, node: ast.AST, held: str) -> None:
        lint.report(
            MODULE_HOLDS_DATA,
            node,
            f"`{held}` is kept at module level; after undo/redo (or loading a file) it points at freed memory. "
            f"{MODULE_HOLDS_DATA.fix}",
            held=held,
        )

    def on_module(self, lint: Lint) -> None:
        for info in lint.facts.classes.values():
            if info.kind == "operator":
                self._operator(lint, info)
        for name in lint.facts.timers:
            function = lint.facts.functions.get(name)
            if function is None:
                continue
            change = _modifies_data(lint, function)
            if change is not None and not _pushes_undo(lint, function):
                lint.report(
                    TIMER_CHANGES_DATA,
                    change,
                    f"timer `{name}` changes Blender data without an undo step; {TIMER_CHANGES_DATA.fix}",
                )

    def _operator(self, lint: Lint, info: ClassInfo) -> None:
        options = info.bl_options
        if options is None or ("UNDO" not in options and "?" not in options and "UNDO_GROUPED" not in options):
            if options is not None and "INTERNAL" in options:
                return
            for name in ("execute", "invoke", "modal"):
                method = info.methods.get(name)
                if method is None or _pushes_undo(lint, method):
                    continue  # it pushes its own undo step
                change = _modifies_data(lint, method)
                if change is not None:
                    lint.report(
                        NO_UNDO_STEP,
                        info.node,
                        f"operator `{info.node.name}` changes Blender data (line {change.lineno}) but has no 'UNDO' "
                        f"in bl_options, so Ctrl+Z cannot take it back and the undo stack breaks. {NO_UNDO_STEP.fix}",
                        change_line=change.lineno,
                    )
                    break
        modal = info.methods.get("modal")
        if modal is None:
            return
        used = {
            n.attr
            for n in ast.walk(modal)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"
        }
        for name in ("invoke", "execute"):
            method = info.methods.get(name)
            if method is None:
                continue
            for node in ast.walk(method):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if (
                            isinstance(target, ast.Attribute)
                            and isinstance(target.value, ast.Name)
                            and target.value.id == "self"
                            and target.attr in used
                        ):
                            held = holds_data(lint, node.value)
                            if held is not None:
                                lint.report(
                                    MODAL_HOLDS_DATA,
                                    node,
                                    f"`self.{target.attr} = {held}` is kept from {name}() and used in modal(); an "
                                    f"undo while the operator runs frees it. {MODAL_HOLDS_DATA.fix}",
                                    attribute=target.attr,
                                )


def _module_containers(lint: Lint) -> set[str]:
    known = lint.extra.get("module_containers")
    if isinstance(known, set):
        return known
    cached: set[str] = set()
    for stmt in lint.tree.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            value = stmt.value
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if isinstance(value, (ast.Dict, ast.List, ast.Set)) or (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in {"dict", "list", "set", "defaultdict", "OrderedDict"}
            ):
                cached.update(t.id for t in targets if isinstance(t, ast.Name))
    lint.extra["module_containers"] = cached
    return cached


FAMILY = UndoFamily()
