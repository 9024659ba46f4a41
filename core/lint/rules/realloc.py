"""References kept while their container changes: ``.add()`` on arrays and collections, mode switches, data
re-allocated by ``to_mesh``/``from_pydata``, and data used after ``remove()``.

Gotchas: "Array Re-Allocation", "Edit-Mode / Memory Access", "Armature Mode Switching", "Removing Data",
"Help! My script crashes Blender".
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace

from ..astutil import call_arg, is_id_collection, last_attr, segments
from ..base import Family, Lint
from ..flow import Binding, FlowHook, FunctionFlow, Stale, State, contains_segment
from ..model import Rule

ARRAY_REALLOC = Rule(
    "GD101",
    "item-kept-across-add",
    "array-realloc",
    "ERROR",
    "An item of a mesh/curve array is used after .add() re-allocated that array",
    "re-fetch the item after adding (or keep its index), and add all items in one call",
)
MODE_SWITCH = Rule(
    "GD102",
    "data-kept-across-mode-switch",
    "mode-switch-realloc",
    "ERROR",
    "Mesh/curve sub-data is used after a mode switch (or to_mesh/from_pydata) re-allocated it",
    "read obj.data.<array> again after mode_set(); keep only the object or mesh across the switch",
)
ARMATURE_SWITCH = Rule(
    "GD103",
    "edit-bone-kept-across-mode-switch",
    "armature-mode-switch",
    "ERROR",
    "An edit bone (or its head/tail vector) is used after leaving Edit Mode",
    "look bones up again by name in the new mode; copy vectors with .copy() before switching",
)
REMOVED = Rule(
    "GD104",
    "data-used-after-remove",
    "removed-data",
    "ERROR",
    "Data (or sub-data of it) is used after remove() freed it",
    "take what you need before remove() and drop every reference to the removed data",
)
STALE_ITEM = Rule(
    "GD105",
    "item-kept-across-collection-change",
    "stale-reference",
    "ERROR",
    "An item of a Blender collection is used after the collection was changed (add/new/remove/clear)",
    "get the item again from the collection after changing it (by index or name)",
)

# Arrays whose items move in memory when one is added (mesh, curve, animation and attribute arrays).
ARRAYS = frozenset(
    {
        "bezier_points",
        "points",
        "vertices",
        "edges",
        "polygons",
        "loops",
        "loop_triangles",
        "keyframe_points",
        "uv_layers",
        "vertex_colors",
        "color_attributes",
        "attributes",
        "key_blocks",
        "splines",
        "strokes",
        "frames",
    }
)
# Object data that a mode switch rebuilds.
MODE_SENSITIVE = ARRAYS | frozenset({"edit_bones", "bones", "verts", "faces", "polygon_layers_int", "shape_keys"})
BONE_DATA = frozenset({"edit_bones", "bones"})
MODE_SWITCH_CALLS = frozenset(
    {
        "bpy.ops.object.mode_set",
        "bpy.ops.object.editmode_toggle",
        "bpy.ops.object.posemode_toggle",
        "bpy.ops.sculpt.sculptmode_toggle",
        "bpy.ops.paint.vertex_paint_toggle",
        "bpy.ops.paint.weight_paint_toggle",
        "bpy.ops.paint.texture_paint_toggle",
    }
)
# Collections of sub-data whose remove() frees an item (ID collections of bpy.data are handled apart).
REMOVABLE = frozenset(
    {
        "modifiers",
        "constraints",
        "fcurves",
        "drivers",
        "markers",
        "keyframe_points",
        "vertex_groups",
        "nodes",
        "links",
        "uv_layers",
        "vertex_colors",
        "color_attributes",
        "attributes",
        "view_layers",
        "grease_pencil_modifiers",
        "shader_effects",
        "texture_slots",
        "particle_systems",
        "layers",
        "strokes",
        "inputs",
        "outputs",
        "sequences",
        "strips",
        "edit_bones",
        "splines",
        "timeline_markers",
        "pose_markers",
        "slots",
    }
)
# Collections stored as linked lists (the Gotchas page's "linked lists containers will never re-allocate existing
# items"), or as arrays of pointers to items allocated one by one (bone collections, action slots and layers,
# Grease Pencil 3 layers): adding or removing an item never moves the others, so only the removed item goes stale.
LINKED_LISTS = frozenset(
    {
        "nodes",
        "links",
        "modifiers",
        "constraints",
        "splines",
        "markers",
        "timeline_markers",
        "pose_markers",
        "fcurves",
        "drivers",
        "objects",
        "children",
        "collections",
        "sequences",
        "strips",
        "keying_sets",
        "paths",
        "vertex_groups",
        "inputs",
        "outputs",
        "items_tree",
        "key_blocks",
        "view_layers",
        "shader_effects",
        "grease_pencil_modifiers",
        "particle_systems",
        "edit_bones",
        "bones",
        "texts",
        "tracks",
        "plane_tracks",
        "groups",
        "channels",
        "keymaps",
        "keymap_items",
        "nla_tracks",
        "bone_groups",
        "variables",
        "colors",
        "layers",
        "slots",
        "face_maps",
        "aovs",
        "lightgroups",
    }
)
# Blender's own linked lists add items with new(); a CollectionProperty an add-on defines (an array: adding moves
# its items) has only add(), whatever it is called (``layers``, ``colors``...). These three RNA lists use add().
ADDED_IN_PLACE = frozenset({"paths", "aovs", "lightgroups"})
# A BMesh's element sequences (``bm.verts.new(co)``): Blender's Mesh arrays grow with ``add()``, never ``new()``.
BMESH_SEQUENCES = frozenset({"verts", "edges", "faces"})
# Mesh data functions that rebuild a mesh's arrays.
MESH_REBUILDERS = frozenset({"from_pydata", "clear_geometry"})


class ReallocHook(FlowHook):
    def on_call(self, flow: FunctionFlow, state: State, call: ast.Call, key: str) -> None:
        if key in MODE_SWITCH_CALLS:
            self._mode_switch(flow, state, call, key)
            return
        if not isinstance(call.func, ast.Attribute):
            return
        method = call.func.attr
        receiver = key[: -len(method) - 1]
        if method in {"append", "extend", "insert", "add"} and isinstance(call.func.value, ast.Name):
            self._holds(state, call, call.func.value.id)
        if method == "remove" or (method == "batch_remove" and key == "bpy.data.batch_remove"):
            self._remove(flow, state, call, receiver, method)
        elif method in {"add", "new", "clear"} and not is_id_collection(receiver):
            if method == "new" and last_attr(receiver) in BMESH_SEQUENCES:
                return  # a BMesh keeps its elements in place when one is added: references stay valid
            if method == "new" and _bmesh_layers(receiver):
                return  # a BMesh layer item is its type and index: a layer added after it leaves it as it was
            if method == "clear" or not _keeps_items(last_attr(receiver), method):
                self._changed(flow, state, call, receiver, method)
        elif method == "to_mesh" and call.args:
            mesh = flow.key_of(state, call.args[0])
            if mesh is not None:
                self._rebuilt(flow, state, call, mesh, f"{last_attr(receiver)}.to_mesh() at line {call.lineno}")
        elif method == "calc_loop_triangles":  # rebuilds the triangle cache only
            what = f"{method}() at line {call.lineno}"
            self._rebuilt(flow, state, call, receiver, what, frozenset({"loop_triangles"}))
        elif method in MESH_REBUILDERS:
            self._rebuilt(flow, state, call, receiver, f"{method}() at line {call.lineno}")

    def _holds(self, state: State, call: ast.Call, name: str) -> None:
        """``kept.append(bone)``: the list ``name`` now holds what ``bone`` points at, and goes stale with it."""
        holder = state.bindings.get(name)
        if holder is None or holder.container is not None or holder.alias:
            return
        for arg in call.args:
            item = state.bindings.get(arg.id) if isinstance(arg, ast.Name) else None
            if item is not None and item.container is not None and _sensitive(item, MODE_SENSITIVE):
                state.bindings[holder.name] = replace(holder, container=item.container)
                return

    def _changed(self, flow: FunctionFlow, state: State, call: ast.Call, receiver: str, method: str) -> None:
        if not _blenderish(state, receiver):
            return
        rule = ARRAY_REALLOC if last_attr(receiver) in ARRAYS else STALE_ITEM
        stale = Stale(
            rule, call.lineno, f"{last_attr(receiver)}.{method}() at line {call.lineno} changed its container"
        )
        flow.invalidate(state, lambda b: b.container is not None and _within(b.container, receiver), stale)

    def _remove(self, flow: FunctionFlow, state: State, call: ast.Call, receiver: str, method: str) -> None:
        if method == "batch_remove":
            ids = call_arg(call, 0, "ids")
            victims = list(ids.elts) if isinstance(ids, (ast.Tuple, ast.List, ast.Set)) else []
        else:
            if not (receiver.startswith("bpy.data.") or (last_attr(receiver) in REMOVABLE and "." in receiver)):
                return
            victims = [call.args[0]] if call.args else []
        names = [v.id for v in victims if isinstance(v, ast.Name)]
        cause = f"{last_attr(receiver) if method == 'remove' else 'bpy.data'}.{method}() at line {call.lineno}"
        stale = Stale(REMOVED, call.lineno, f"{cause} removed it")
        for name in names:
            if name not in state.bindings:
                state.bindings[name] = Binding(name, flow.fresh_key(name), None, call.lineno, False)
            target = state.bindings[name]
            flow.invalidate(state, _is(target), stale)
        if (
            method == "remove"
            and not is_id_collection(receiver)
            and last_attr(receiver) not in LINKED_LISTS
            and _blenderish(state, receiver)
        ):
            others = Stale(STALE_ITEM, call.lineno, f"{cause} changed its container")
            flow.invalidate(state, lambda b: b.container is not None and _within(b.container, receiver), others)

    def _mode_switch(self, flow: FunctionFlow, state: State, call: ast.Call, key: str) -> None:
        what = f"{key.rsplit('.', 1)[-1]}() at line {call.lineno}"
        bones = Stale(ARMATURE_SWITCH, call.lineno, f"the mode switch {what}")
        flow.invalidate(state, lambda b: _sensitive(b, BONE_DATA), bones)
        data = Stale(MODE_SWITCH, call.lineno, f"the mode switch {what} re-allocated it")
        flow.invalidate(
            state, lambda b: (_sensitive(b, MODE_SENSITIVE) and not _whole_array(b)) or "bmesh" in b.tags, data
        )

    def _rebuilt(
        self, flow: FunctionFlow, state: State, call: ast.Call, mesh: str, what: str, arrays: frozenset[str] = ARRAYS
    ) -> None:
        stale = Stale(MODE_SWITCH, call.lineno, f"{what} re-allocated it")

        def hit(binding: Binding) -> bool:
            for key in (binding.key, binding.container):
                if key is not None and key.startswith(mesh) and key[len(mesh) : len(mesh) + 1] in {".", "["}:
                    if contains_segment(key[len(mesh) :], arrays):
                        return True
            return False

        flow.invalidate(state, hit, stale)


def _bmesh_layers(collection: str) -> bool:
    """``bm.loops.layers.color`` and the like: a BMesh's layers of one type (Mesh's arrays have no ``layers``)."""
    parts = segments(collection)
    return len(parts) >= 3 and parts[-2] == "layers" and parts[-3] in BMESH_SEQUENCES | {"loops"}


def _whole_array(binding: Binding) -> bool:
    """``verts = mesh.vertices``: the collection itself, which reads the mesh's current array each time it is used
    (its items, taken before a mode switch, are what goes stale)."""
    return binding.alias and binding.container is None and segments(binding.key)[-1] in ARRAYS


def _keeps_items(collection: str, method: str) -> bool:
    """Adding to ``collection`` with ``method`` leaves its other items where they are."""
    return collection in LINKED_LISTS and (method == "new" or collection in ADDED_IN_PLACE)


def _is(target: Binding) -> Callable[[Binding], bool]:
    return lambda binding: binding is target


def _within(container: str, receiver: str) -> bool:
    return container == receiver or container.startswith(receiver + "[")


def _sensitive(binding: Binding, names: frozenset[str]) -> bool:
    return _names_data(binding.key, names) or _names_data(binding.container, names)


def _names_data(key: str | None, names: frozenset[str]) -> bool:
    """``key`` goes through one of ``names``; ``pose.bones`` is not ``bones``: pose channels live on the Object and
    a mode switch keeps them (it rebuilds the armature's Bones and EditBones)."""
    if key is None:
        return False
    parts = segments(key)
    return any(
        part in names and not (part == "bones" and index > 0 and parts[index - 1] == "pose")
        for index, part in enumerate(parts)
    )


# Attribute names that only Blender collections have (a Python set or dict never reads like these).
_BLENDER_WORDS = MODE_SENSITIVE | REMOVABLE | frozenset({"data", "objects", "collection", "scene", "context"})


def _blenderish(state: State, receiver: str) -> bool:
    """The receiver is a Blender collection, not a Python set or dict that happens to have add()/clear()."""
    if receiver.startswith("bpy."):
        return True
    if any(part in _BLENDER_WORDS for part in segments(receiver)[1:]):
        return True
    return any(b.container == receiver and "from-add" in b.tags for b in state.bindings.values())


class ReallocFamily(Family):
    name = "realloc"
    rules = (ARRAY_REALLOC, MODE_SWITCH, ARMATURE_SWITCH, REMOVED, STALE_ITEM)

    def flow_hook(self, lint: Lint) -> FlowHook | None:
        return ReallocHook()


FAMILY = ReallocFamily()
