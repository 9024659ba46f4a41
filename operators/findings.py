"""Acting on one finding: select / show its datablock, clear the list."""

from __future__ import annotations

from typing import Any

import bpy
from bpy.props import IntProperty

from .. import properties, runner
from ..core.text import display


def owner_text(item: Any) -> str:
    text = f'{item.id_type.title()} "{display(item.id_name, 200)}"'
    return text + (f" from library {display(item.library, 200)}" if item.has_library else "")


class GOTCHA_OT_select_finding(bpy.types.Operator):
    bl_idname = "gotcha.select_finding"
    bl_label = "Gotcha Doctor: Show Finding"
    bl_description = (
        "Make this finding the active one and select its datablock: objects become active and selected, "
        "images show in an open Image Editor; otherwise say where the datablock is"
    )
    bl_options = {"REGISTER", "UNDO"}  # selection changes are undoable

    index: IntProperty(name="Finding Index", default=-1, options={"SKIP_SAVE"})

    def execute(self, context: Any) -> set[str]:
        state = properties.state(context)
        item = properties.finding_at(context, self.index)
        if item is None:
            self.report({"ERROR"}, f"No finding number {self.index}; there are {len(state.findings)}")
            return {"CANCELLED"}
        state.active_index = self.index
        if not item.has_datablock:
            self.report({"INFO"}, "This finding is not about one datablock")
            return {"FINISHED"}
        datablock = runner.lookup_datablock(item.id_type, item.id_name, item.library if item.has_library else None)
        if datablock is None:
            self.report(
                {"WARNING"},
                f"{owner_text(item)} no longer exists (renamed, deleted or reloaded since the scan); scan again",
            )
            return {"CANCELLED"}
        return self._show(context, item, datablock)

    def _show(self, context: Any, item: Any, datablock: Any) -> set[str]:
        if item.id_type == "OBJECT":
            return self._select_objects(context, [datablock], owner_text(item))
        if item.id_type in {"MESH", "CURVE", "LATTICE", "ARMATURE", "META", "CAMERA", "LIGHT"}:
            users = [obj for obj in context.view_layer.objects if obj.data == datablock]
            if users:
                return self._select_objects(context, users, owner_text(item))
        if item.id_type == "TEXT":
            line = properties.finding_details(item).get("line")
            return self._show_text(context, datablock, line if isinstance(line, int) else 1, owner_text(item))
        if item.id_type == "IMAGE":
            for area in context.screen.areas if context.screen else ():
                if area.type == "IMAGE_EDITOR":
                    area.spaces.active.image = datablock
                    self.report({"INFO"}, f"Showing {owner_text(item)} in the Image Editor")
                    return {"FINISHED"}
            self.report(
                {"INFO"}, f"{owner_text(item)}: open an Image Editor to see it (Outliner › Blender File › Images)"
            )
            return {"FINISHED"}
        self.report({"INFO"}, f"{owner_text(item)}: find it in the Outliner's Blender File view")
        return {"FINISHED"}

    def _show_text(self, context: Any, text: Any, line: int, label: str) -> set[str]:
        """Open the text at the finding's line: in a Text Editor of this screen, else in a new window."""
        text.cursor_set(max(0, line - 1))
        area = next((a for a in (context.screen.areas if context.screen else ()) if a.type == "TEXT_EDITOR"), None)
        if area is None and context.window is not None:
            before = set(context.window_manager.windows)
            try:
                bpy.ops.wm.window_new()
            except RuntimeError:
                pass
            new = [w for w in context.window_manager.windows if w not in before]
            if new and new[0].screen.areas:
                area = max(new[0].screen.areas, key=lambda a: a.width * a.height)
                area.type = "TEXT_EDITOR"
        if area is None:
            self.report({"INFO"}, f"{label}, line {line}: open a Text Editor to see it (the cursor is on that line)")
            return {"FINISHED"}
        space = area.spaces.active
        space.text = text
        space.top = max(0, line - 1 - area.height // 40)
        area.tag_redraw()
        self.report({"INFO"}, f"Showing {label} at line {line} in the Text Editor")
        return {"FINISHED"}

    def _select_objects(self, context: Any, objects: list[Any], label: str) -> set[str]:
        view_layer = context.view_layer
        # By identity, not by name: a local and a linked object may share the name (the very gotcha we report).
        members = set(view_layer.objects)
        in_layer = [obj for obj in objects if obj in members]
        if not in_layer:
            self.report(
                {"INFO"}, f'{label} is not in the view layer "{display(view_layer.name, 200)}"; find it in the Outliner'
            )
            return {"FINISHED"}
        # Object selection is view-layer state; changing it in Edit Mode would break the edit session.
        if (
            context.mode != "OBJECT"
            and view_layer.objects.active is not None
            and view_layer.objects.active.mode != "OBJECT"
        ):
            self.report({"INFO"}, f"{label}: leave {view_layer.objects.active.mode.title()} Mode to select it")
            return {"FINISHED"}
        for obj in view_layer.objects:
            if obj.select_get(view_layer=view_layer):
                obj.select_set(False, view_layer=view_layer)
        hidden = []
        for obj in in_layer:
            if obj.hide_get(view_layer=view_layer) or not obj.visible_get(view_layer=view_layer):
                hidden.append(display(obj.name, 200))
            obj.select_set(True, view_layer=view_layer)
        view_layer.objects.active = in_layer[0]
        note = f" (hidden: {', '.join(hidden)})" if hidden else ""
        self.report({"INFO"}, f"Selected {label}{note}")
        return {"FINISHED"}


class GOTCHA_OT_clear_findings(bpy.types.Operator):
    bl_idname = "gotcha.clear_findings"
    bl_label = "Gotcha Doctor: Clear Findings"
    bl_description = "Forget the last scan's findings (nothing in the file changes)"
    bl_options = {"REGISTER"}

    @classmethod
    def poll(cls, context: Any) -> bool:
        return not properties.state(context).is_running

    def execute(self, context: Any) -> set[str]:
        state = properties.state(context)
        properties.clear_findings(state)
        state.has_scanned = False
        state.cancelled = False
        state.progress = 0.0
        state.status = ""
        properties.tag_panel_redraw(context)
        return {"FINISHED"}


classes: tuple[type, ...] = (GOTCHA_OT_select_finding, GOTCHA_OT_clear_findings)
