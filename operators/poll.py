"""``gotcha.explain_poll``: why an operator's poll fails here, as one finding; ``gotcha.copy_poll_snippet``: its
passing-context snippet to the clipboard. Neither executes the operator asked about (checks/operator_poll.py).

The answer is appended to the findings list (an earlier explain_poll answer is replaced, scan findings are kept) and
made the active finding, so the panel's details box shows it.
"""

from __future__ import annotations

import os
from typing import Any

import bpy
from bpy.props import BoolProperty, EnumProperty, IntProperty, StringProperty

from .. import kb_builder, properties
from ..checks import operator_poll
from ..core.findings import Finding
from ..core.poll import parse as poll_parse
from ..properties import all_operators as _all_operators
from ..properties import search_operators as _search_operators


def store_answer(context: Any, finding: Finding) -> int:
    """Replace any earlier explain_poll finding by this one; returns its index (made active)."""
    state = properties.state(context)
    properties.remove_findings_of(state, operator_poll.INFO.id)
    if not state.has_scanned:
        state.has_scanned = True
        state.blend_file = os.fsencode(bpy.data.filepath)  # a bytes property (non-UTF-8 paths), as runner.begin
    properties.add_finding(state, finding)
    state.active_index = len(state.findings) - 1
    return state.active_index


# ---------------------------------------------------------------------------------------------------------------
# The panel's operator field and F3's search popup: searches over the registered operators.

_items_cache: list[tuple[str, str, str]] = []


def _operator_items(self: Any, context: Any) -> list[tuple[str, str, str]]:
    # Blender keeps only pointers to these strings: the list must outlive the call (a module-level cache).
    if not _items_cache:
        _items_cache.extend((op, op, "") for op in _all_operators())
    return _items_cache


class GOTCHA_OT_explain_poll(bpy.types.Operator):
    bl_idname = "gotcha.explain_poll"
    bl_label = "Gotcha Doctor: Explain Operator Poll"
    bl_description = (
        "Explain why an operator's poll() fails here: what it needs (editor, mode, object, data), what is here "
        "instead, and a verified context in which it passes; never runs the operator"
    )
    # No UNDO: only the window manager's findings change.
    bl_options = {"REGISTER"}

    operator: StringProperty(
        name="Operator",
        description="The operator: action.clean, bpy.ops.action.clean, ACTION_OT_clean or Blender's poll error text",
        default="",
        options={"SKIP_SAVE"},
        search=_search_operators,
    )
    # The search popup's list (invoke_search_popup searches the enum named by bl_property).
    bl_property = "pick"
    pick: EnumProperty(
        name="Operator",
        description="The operator to explain",
        items=_operator_items,
        options={"SKIP_SAVE", "HIDDEN"},
    )
    probe: BoolProperty(
        name="Probe in a Child Process",
        description="For operators the knowledge base does not list: try contexts in a separate Blender process "
        "(takes a few seconds; this session never polls them)",
        default=True,
        options={"SKIP_SAVE"},
    )

    @classmethod
    def poll(cls, context: Any) -> bool:
        # A running modal scan appends to the same list by position; wait for it instead of shifting it.
        if properties.state(context).is_running:
            cls.poll_message_set("A scan is running; explain when it has finished")
            return False
        return True

    def invoke(self, context: Any, event: Any) -> set[str]:
        # From F3 (or the panel's button with an empty field) there is no operator yet: offer Blender's own search
        # popup over every registered operator (like Add Modifier); picking one runs execute. A background session
        # has no popup: answer at once ("name an operator").
        if self.operator.strip() or bpy.app.background or context.window is None:
            return self.execute(context)
        context.window_manager.invoke_search_popup(self)
        return {"RUNNING_MODAL"}

    def execute(self, context: Any) -> set[str]:
        text = self.operator
        if not text.strip() and self.properties.is_property_set("pick"):
            text = self.pick  # chosen in the search popup (invoke)
        try:
            finding = operator_poll.explain(text, context, probe=self.probe)
        except poll_parse.BadOperatorText as error:
            # A warning, not an error: an ERROR report would make a script's call raise with a traceback.
            text = str(error)
            _poll_state(context).answer = text
            properties.tag_panel_redraw(context)
            self.report({"WARNING"}, f"Gotcha Doctor: {text}")
            return {"CANCELLED"}
        store_answer(context, finding)
        _poll_state(context).answer = ""
        properties.tag_panel_redraw(context)
        self.report({"INFO"}, f"Gotcha Doctor: {finding.message}")
        return {"FINISHED"}


class GOTCHA_OT_copy_poll_snippet(bpy.types.Operator):
    bl_idname = "gotcha.copy_poll_snippet"
    bl_label = "Gotcha Doctor: Copy Passing-Context Snippet"
    bl_description = "Copy the explained operator's temp_override snippet (with its setup lines) to the clipboard"
    bl_options = {"REGISTER"}

    finding_index: IntProperty(name="Finding Index", default=-1, options={"SKIP_SAVE"})

    def execute(self, context: Any) -> set[str]:
        index = self.finding_index if self.finding_index >= 0 else properties.state(context).active_index
        item = properties.finding_at(context, index)
        if item is None:
            self.report({"WARNING"}, f"No finding number {index}; explain an operator first")
            return {"CANCELLED"}
        details = properties.finding_details(item)
        passing = details.get("passing_context")
        if item.check != operator_poll.INFO.id or not passing:
            self.report({"WARNING"}, "This finding has no passing-context snippet")
            return {"CANCELLED"}
        context.window_manager.clipboard = passing["snippet"]
        self.report(
            {"INFO"}, f"Copied the snippet for bpy.ops.{details['operator']} ({len(passing['snippet'])} characters)"
        )
        return {"FINISHED"}


class GOTCHA_OT_build_poll_kb(bpy.types.Operator):
    bl_idname = "gotcha.build_poll_kb"
    bl_label = "Gotcha Doctor: Build Poll Knowledge Base"
    bl_description = (
        "For a Blender version without a shipped poll knowledge base: poll every operator in background child "
        "processes (a few minutes; this session keeps working and never polls them) and keep the result in the "
        "extension's user folder, so explanations become complete"
    )
    bl_options = {"REGISTER"}

    operators: StringProperty(
        name="Operators",
        description="Comma-separated operators to sweep (empty: every registered operator)",
        default="",
        options={"SKIP_SAVE", "HIDDEN"},
    )

    def execute(self, context: Any) -> set[str]:
        only = [op.strip() for op in self.operators.split(",") if op.strip()] or None
        try:
            build = kb_builder.start(only=only)
        except RuntimeError as error:
            self.report({"WARNING"}, f"Gotcha Doctor: {error}")
            return {"CANCELLED"}
        bpy.app.timers.register(_redraw_while_building, first_interval=1.0)
        self.report({"INFO"}, f"Gotcha Doctor: {build.status}")
        return {"FINISHED"}


def _redraw_while_building() -> float | None:
    """Timer: redraw the panel (its progress bar) once a second while a build runs."""
    for window in bpy.context.window_manager.windows:
        for area in window.screen.areas:
            if area.type == "VIEW_3D":
                area.tag_redraw()
    build = kb_builder.current()
    return 1.0 if build is not None and build.running else None


def _poll_state(context: Any) -> Any:
    return context.window_manager.gotcha_doctor_poll


classes: tuple[type, ...] = (GOTCHA_OT_explain_poll, GOTCHA_OT_copy_poll_snippet, GOTCHA_OT_build_poll_kb)
