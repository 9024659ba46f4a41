"""Mesh data read while Edit Mode holds the real geometry, and code that assumes polygons are triangles or
edits through loop triangles.

Gotchas: "Modes and Mesh Access", "N-Gons and Tessellation".
"""

from __future__ import annotations

import ast

from ..astutil import const_str, dotted_raw, segments
from ..base import Family, Lint, Where
from ..flow import FlowHook, FunctionFlow, State
from ..model import Rule

EDITMODE_READ = Rule(
    "GD160",
    "mesh-read-in-edit-mode",
    "editmode-sync",
    "WARNING",
    "Mesh data is read after an edit in Edit Mode (out of date until synced) or written in Edit Mode (lost on exit)",
    "call obj.update_from_editmode() (or leave Edit Mode, or use bmesh.from_edit_mesh) before reading it",
)
EXPORTER_EDITMODE = Rule(
    "GD161",
    "exporter-ignores-edit-mode",
    "editmode-sync",
    "WARNING",
    "An exporter reads mesh data but never handles Edit Mode; edits not yet written back are lost",
    "call obj.update_from_editmode() for objects in Edit Mode, or export evaluated meshes (evaluated_get().to_mesh())",
)
POLYGON_AS_TRIANGLE = Rule(
    "GD165",
    "polygon-assumed-triangle",
    "ngon-tessellation",
    "WARNING",
    "A polygon's vertices are unpacked as exactly three; quads and n-gons raise or are cut",
    "use mesh.loop_triangles (after calc_loop_triangles()) when the format needs triangles",
)
EDIT_THROUGH_TRIANGLES = Rule(
    "GD166",
    "geometry-from-loop-triangles",
    "ngon-tessellation",
    "WARNING",
    "Geometry is rebuilt from loop_triangles (or written through them); every n-gon gets tessellated",
    "edit faces with bmesh (bmesh.from_edit_mesh / BMesh.from_mesh) and keep loop_triangles for export only",
)
MESH_ARRAYS = frozenset({"vertices", "edges", "polygons", "loops", "loop_triangles"})
# Layer lists: in Edit Mode they are the edit mesh's own (names, ``in``, ``new()``, ``active`` are current and kept on
# leaving; measured on 4.5 and 5.3), while a layer's ``data`` is empty there: only that is an element array.
LAYER_LISTS = frozenset({"uv_layers", "vertex_colors"})
BMESH_ONLY = frozenset({"verts", "faces"})  # a BMesh's element sequences; a Mesh's are vertices and polygons


# Operator modules whose operators may change an object's edit mesh (its geometry, selection, UVs or attributes);
# view, window and file operators do not. Of ``object``, only those working on the mesh's elements do (vertex
# groups, shape keys, hooks, material slots); object.select_all() or object.delete() do not touch the edit mesh.
_EDITING_OPS = frozenset({"mesh", "uv", "transform", "geometry", "curves", "paint", "sculpt"})
_EDITING_OBJECT_OPS = ("vertex_group_", "shape_key_", "hook_", "material_slot_", "vertex_weight_", "skin_")
# Mesh operators that run in Object Mode too; every other mesh operator needs Edit Mode, so calling one says where
# the script is when an editmode_toggle() left it unknown.
_OBJECT_MODE_MESH_OPS = ("primitive_", "customdata_", "uv_texture_", "vertex_color_", "attribute_", "sculpt_")
_MODE_OPS = frozenset({"bpy.ops.object.mode_set", "bpy.ops.object.editmode_toggle"})
# Words in the name of a mesh operator that keeps the element counts (selection, visibility, marks, normals, moves).
_KEEPS_COUNTS = ("select", "hide", "reveal", "mark_", "normal", "smooth", "flip", "uv", "color", "attribute", "sort")


class EditModeHook(FlowHook):
    """Entering Edit Mode leaves the mesh as it is: reads stay right until something edits the edit mesh (an
    operator; bmesh code is left alone), while writes are lost as soon as Edit Mode is left (measured on 4.2
    and 5.0: a count read after mesh.subdivide() is the old one, a vertex moved in Edit Mode is back on exit)."""

    def __init__(self, nodes: list[ast.AST]) -> None:
        self.nodes = nodes  # every node of the module (ModuleFacts.nodes, walked once for all rules)
        self._counted: set[int] | None = None  # ids of the nodes given to len() in the module

    def _is_counted(self, node: ast.AST) -> bool:
        if self._counted is None:
            self._counted = {
                id(call.args[0])
                for call in self.nodes
                if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "len"
                and len(call.args) == 1
            }
        return id(node) in self._counted

    def on_call(self, flow: FunctionFlow, state: State, call: ast.Call, key: str) -> None:
        if key == "bpy.ops.object.mode_set":
            mode = None
            for kw in call.keywords:
                if kw.arg == "mode":
                    mode = const_str(kw.value)
            if mode == "EDIT":
                _set_mode(state, "edit-mode", (call.lineno, "mode_set(mode='EDIT')"))
            else:
                _set_mode(state, "object-mode", (call.lineno, "mode_set()"))
        elif key == "bpy.ops.object.editmode_toggle":
            # Toggling enters Edit Mode only from outside it. Where that is not known (the first toggle of a
            # function: an operator run from Edit Mode toggles out of it), nothing is assumed until a mesh
            # operator that needs Edit Mode says so.
            if "edit-mode" in state.flags:
                _set_mode(state, "object-mode", (call.lineno, "editmode_toggle()"))
            elif "object-mode" in state.flags:
                _set_mode(state, "edit-mode", (call.lineno, "editmode_toggle()"))
            else:
                _set_mode(state, "mode-unknown", (call.lineno, "editmode_toggle()"))
        elif key.endswith((".update_from_editmode", ".to_mesh", ".from_edit_mesh", ".update_edit_mesh")):
            state.flags.pop("edit-mode", None)
            _forget_edits(state)
        elif "mode-unknown" in state.flags and key.startswith("bpy.ops.mesh."):
            name = key[len("bpy.ops.mesh.") :]
            if not name.startswith(_OBJECT_MODE_MESH_OPS):
                # That toggle entered Edit Mode: this operator needs it.
                _set_mode(state, "edit-mode", state.flags["mode-unknown"])
                self.on_call(flow, state, call, key)
        elif "edit-mode" in state.flags and key.startswith("bpy.ops.") and key not in _MODE_OPS:
            module, _, name = key[len("bpy.ops.") :].partition(".")
            if module in _EDITING_OPS or (module == "object" and name.startswith(_EDITING_OBJECT_OPS)):
                state.flags["edit-changed"] = (call.lineno, f"{module}.{name}()")
                if module == "mesh" and not any(word in name for word in _KEEPS_COUNTS):
                    state.flags["edit-counts"] = (call.lineno, f"{module}.{name}()")
        elif "edit-mode" in state.flags and key.endswith(".foreach_set") and isinstance(call.func, ast.Attribute):
            self._report_write(flow, state, call.func.value, call)

    def on_load(self, flow: FunctionFlow, state: State, node: ast.Attribute | ast.Subscript, key: str) -> None:
        # A count goes stale only when an operator adds or removes elements; anything else may be stale after any
        # edit (a selection operator changes every vertex's select flag).
        flag = "edit-counts" if self._is_counted(node) else "edit-changed"
        if flag not in state.flags or not self._mesh_array(state, node, key):
            return
        line, what = state.flags["edit-mode"]
        changed_line, change = state.flags[flag]
        flow.report(
            EDITMODE_READ,
            node,
            f"`{dotted_raw(node)}` is read after {change} (line {changed_line}) changed the mesh in Edit Mode "
            f"(entered with {what}, line {line}): the mesh still holds the state from before. {EDITMODE_READ.fix}",
            mode_line=line,
            change_line=changed_line,
        )

    def _mesh_array(self, state: State, node: ast.AST, key: str) -> bool:
        """``node`` is a mesh's element array (``mesh.vertices``), not one of a BMesh."""
        if not isinstance(node, ast.Attribute):
            return False
        if node.attr == "data":
            if not any(part in LAYER_LISTS for part in segments(key)):
                return False  # a layer's per-loop data (mesh.uv_layers.active.data), not obj.data
        elif node.attr not in MESH_ARRAYS:
            return False
        root = key.split(".", 1)[0].split("[", 1)[0]
        binding = state.bindings.get(root.split("#", 1)[0])
        if binding is not None and "bmesh" in binding.tags:
            return False
        # ``for face in bm.faces: face.loops``: only a BMesh has verts and faces (a Mesh has vertices and polygons).
        held_in = segments(key) + (segments(binding.container) if binding is not None and binding.container else [])
        return not any(part in BMESH_ONLY for part in held_in)

    def _report_write(self, flow: FunctionFlow, state: State, target: ast.AST, where: ast.AST) -> None:
        """Reports a write to the elements of a mesh array in ``target``: ``mesh.vertices[0].co = ...`` or
        ``mesh.vertices.foreach_set(...)`` (target ``mesh.vertices``), not ``mesh.uv_layers.active_index = 1``."""
        arrays: list[ast.AST] = [target] if isinstance(target, ast.Attribute) and isinstance(where, ast.Call) else []
        arrays += [node.value for node in ast.walk(target) if isinstance(node, ast.Subscript)]
        array = next(
            (
                node
                for node in arrays
                if isinstance(node, ast.Attribute) and self._mesh_array(state, node, flow.key_of(state, node) or "")
            ),
            None,
        )
        if array is None:
            return
        line, what = state.flags["edit-mode"]
        flow.report(
            EDITMODE_READ,
            where,
            f"`{dotted_raw(array)}` is written in Edit Mode (entered with {what}, line {line}): Blender writes the "
            "edit mesh back over it when Edit Mode is left, so the change is lost. leave Edit Mode first, or edit "
            "with bmesh.from_edit_mesh() and bmesh.update_edit_mesh()",
            mode_line=line,
        )

    def on_store(
        self, flow: FunctionFlow, state: State, target: ast.Attribute | ast.Subscript, key: str, value: ast.AST | None
    ) -> None:
        if "edit-mode" in state.flags:
            self._report_write(flow, state, target, target)
        if ".loop_triangles" in key:
            flow.report(
                EDIT_THROUGH_TRIANGLES,
                target,
                f"`{dotted_raw(target)}` is written through loop_triangles; {EDIT_THROUGH_TRIANGLES.fix}",
            )


_EDIT_MODE_WORDS = frozenset(
    {
        "update_from_editmode",
        "mode_set",
        "editmode_toggle",
        "from_edit_mesh",
        "evaluated_get",
        "edit_object",
        "is_editmode",
    }
)


def _set_mode(state: State, mode: str, where: tuple[int, str]) -> None:
    """Known to be in Edit Mode ("edit-mode"), out of it ("object-mode"), or not known ("mode-unknown")."""
    for flag in ("edit-mode", "object-mode", "mode-unknown"):
        state.flags.pop(flag, None)
    state.flags[mode] = where
    _forget_edits(state)


def _forget_edits(state: State) -> None:
    state.flags.pop("edit-changed", None)
    state.flags.pop("edit-counts", None)


class MeshesFamily(Family):
    name = "meshes"
    rules = (EDITMODE_READ, EXPORTER_EDITMODE, POLYGON_AS_TRIANGLE, EDIT_THROUGH_TRIANGLES)

    def flow_hook(self, lint: Lint) -> FlowHook | None:
        return EditModeHook(lint.facts.nodes)

    def on_assign(self, lint: Lint, where: Where, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        if not isinstance(node, ast.Assign):
            return
        target = node.targets[0]
        value = node.value
        if (
            isinstance(target, (ast.Tuple, ast.List))
            and len(target.elts) == 3
            and isinstance(value, ast.Attribute)
            and value.attr == "vertices"
            and isinstance(value.value, ast.Name)
            and _iterates_polygons(where, value.value.id)
        ):
            lint.report(
                POLYGON_AS_TRIANGLE,
                node,
                f"`{value.value.id}.vertices` is unpacked into three names, but polygons can be quads and n-gons; "
                f"{POLYGON_AS_TRIANGLE.fix}",
            )

    def on_call(self, lint: Lint, where: Where, call: ast.Call, key: str) -> None:
        if key.endswith(".from_pydata") and len(call.args) >= 3:
            if any(isinstance(n, ast.Attribute) and n.attr == "loop_triangles" for n in ast.walk(call.args[2])):
                lint.report(
                    EDIT_THROUGH_TRIANGLES, call, f"faces are rebuilt from loop_triangles; {EDIT_THROUGH_TRIANGLES.fix}"
                )

    def on_module(self, lint: Lint) -> None:
        facts = lint.facts
        if facts.attributes & _EDIT_MODE_WORDS or facts.strings & {"EDIT", "EDIT_MESH", "OBJECT"}:
            return
        if not any(info.kind == "operator" for info in facts.classes.values()):
            return
        for info in lint.facts.classes.values():
            if info.kind != "operator" or not _is_exporter(info.node):
                continue
            for method in info.methods.values():
                for node in ast.walk(method):
                    if isinstance(node, ast.Attribute) and node.attr in {"vertices", "polygons", "loops"}:
                        owner = dotted_raw(node.value) or ""
                        if owner.endswith(".data") or owner.split(".")[-1] in {"mesh", "me", "data"}:
                            lint.report(
                                EXPORTER_EDITMODE,
                                node,
                                f"exporter `{info.node.name}` reads `{dotted_raw(node)}` but never handles Edit "
                                f"Mode; {EXPORTER_EDITMODE.fix}",
                            )
                            return


def _is_exporter(cls: ast.ClassDef) -> bool:
    if any("ExportHelper" in (dotted_raw(b) or "") for b in cls.bases):
        return True
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "bl_idname" for t in stmt.targets):
            value = const_str(stmt.value) or ""
            return value.startswith("export") or ".export" in value
    return False


def _iterates_polygons(where: Where, name: str) -> bool:
    scope = where.function
    if scope is None:
        return False
    for node in ast.walk(scope):
        if (
            isinstance(node, (ast.For, ast.comprehension))
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            iterated = dotted_raw(node.iter) or ""
            if iterated.endswith(("polygons", "faces")):
                return not _guards_length(scope)
    return False


def _guards_length(scope: ast.AST) -> bool:
    """The function checks a polygon's size (len(...) == 3 / loop_total), so it knows about n-gons."""
    for node in ast.walk(scope):
        if isinstance(node, ast.Attribute) and node.attr in {"loop_total", "loop_triangles"}:
            return True
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Call):
            if isinstance(node.left.func, ast.Name) and node.left.func.id == "len":
                return True
    return False


FAMILY = MeshesFamily()
