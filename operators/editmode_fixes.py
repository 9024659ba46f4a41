"""Fixes for Edit Mode findings: write the edit data to the object data now (staying in Edit Mode), or leave
Edit Mode.

"Sync now" is ``Object.update_from_editmode()``, which Blender implements for every type with an edit copy
(mesh, armature, curve, surface, text, lattice, metaball): it runs the same "load edit data" step as leaving
Edit Mode, but keeps the edit session. Both are undoable operators (``UNDO``), measured on 4.2, 4.5, 5.0, 5.2 and
5.3 (tests/blender/test_editmode_sync.py): undoing "Leave Edit Mode" puts everything back (Edit Mode, the pending
edit, the stale data). Undoing the sync always keeps the edit, and redo writes it again; what happens to the
written data differs by version (core/editdiff.py: up to 5.2 it stays written, from 5.3 it is put back), so the
fix's report says which one this Blender does.
"""

from __future__ import annotations

from typing import Any

import bpy
from bpy.props import IntProperty

from .. import properties, runner
from ..checks.editmode_sync import DATA_KIND
from ..core import editdiff
from ..core.text import display
from .finding_guard import refuse_foreign_finding


def _edit_object(op: Any, context: Any, finding_index: int) -> Any:
    """The finding's object, looked up fresh, still in Edit Mode; None (after reporting why) otherwise."""
    item = properties.finding_at(context, finding_index)
    if item is None:
        count = len(properties.state(context).findings)
        op.report({"ERROR"}, f"No finding number {finding_index}; there are {count} (scan again)")
        return None
    if refuse_foreign_finding(op, context, item):
        return None
    if item.id_type != "OBJECT" or not item.has_datablock:
        op.report({"ERROR"}, "This finding does not name an object in Edit Mode")
        return None
    obj = runner.lookup_datablock("OBJECT", item.id_name, item.library if item.has_library else None)
    if obj is None:
        op.report({"ERROR"}, f'Object "{display(item.id_name, 200)}" no longer exists (renamed or deleted); scan again')
        return None
    if obj.library is not None or (obj.data is not None and obj.data.library is not None):
        op.report({"ERROR"}, "Linked (library) data is never changed")
        return None
    if obj.mode != "EDIT":
        op.report({"INFO"}, f'"{display(obj.name, 200)}" is no longer in Edit Mode; its data is already written')
        return None
    return obj


class GOTCHA_OT_editmode_sync_now(bpy.types.Operator):
    bl_idname = "gotcha.editmode_sync_now"
    bl_label = "Gotcha Doctor: Write Edit Mode Data Now"
    bl_description = (
        "Write this object's Edit Mode changes to its Mesh/Armature/Curve/Lattice now "
        "(Object.update_from_editmode()), staying in Edit Mode; every user of the data then sees them"
    )
    bl_options = {"REGISTER", "UNDO"}

    finding_index: IntProperty(name="Finding", default=-1, options={"SKIP_SAVE"})

    def execute(self, context: Any) -> set[str]:
        obj = _edit_object(self, context, self.finding_index)
        if obj is None:
            return {"CANCELLED"}
        if not obj.update_from_editmode():
            self.report({"ERROR"}, f'Blender could not write the Edit Mode data of "{display(obj.name, 200)}"')
            return {"CANCELLED"}
        kind = DATA_KIND.get(obj.type, "object data")
        self.report(
            {"INFO"},
            f'Wrote the Edit Mode data of "{display(obj.name, 200)}" to '
            f'"{display(obj.data.name, 200)}"; still in Edit Mode. '
            + editdiff.sync_undo_note(tuple(bpy.app.version), kind),
        )
        return {"FINISHED"}


class GOTCHA_OT_editmode_leave(bpy.types.Operator):
    bl_idname = "gotcha.editmode_leave"
    bl_label = "Gotcha Doctor: Leave Edit Mode"
    bl_description = (
        "Leave Edit Mode (Blender writes the edit data to the object data); objects edited together with this "
        "one leave it too"
    )
    bl_options = {"REGISTER", "UNDO"}

    finding_index: IntProperty(name="Finding", default=-1, options={"SKIP_SAVE"})

    def execute(self, context: Any) -> set[str]:
        obj = _edit_object(self, context, self.finding_index)
        if obj is None:
            return {"CANCELLED"}
        view_layer = context.view_layer
        if obj not in set(view_layer.objects):  # by identity: a linked twin may share the name
            self.report(
                {"ERROR"}, f'"{display(obj.name, 200)}" is not in the view layer "{display(view_layer.name, 200)}"'
            )
            return {"CANCELLED"}
        editing = sorted(o.name for o in view_layer.objects if o.mode == "EDIT")
        # mode_set acts on the view layer's active object (and every object edited with it).
        if view_layer.objects.active != obj:
            view_layer.objects.active = obj
        with context.temp_override(active_object=obj, object=obj):
            result = bpy.ops.object.mode_set(mode="OBJECT")
        if result != {"FINISHED"} or obj.mode == "EDIT":
            self.report({"ERROR"}, f'Could not leave Edit Mode for "{display(obj.name, 200)}"')
            return {"CANCELLED"}
        left = [name for name in editing if name in view_layer.objects and view_layer.objects[name].mode != "EDIT"]
        self.report({"INFO"}, f"Left Edit Mode: {', '.join(display(n, 200) for n in left)}; their data is written")
        return {"FINISHED"}


classes: tuple[type, ...] = (GOTCHA_OT_editmode_sync_now, GOTCHA_OT_editmode_leave)
