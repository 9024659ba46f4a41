"""Sub-panel "Explain Operator Poll": an operator search field, an Explain button, the short answer and Copy."""

from __future__ import annotations

from typing import Any

import bpy

from .. import kb_builder, properties
from ..checks import operator_poll
from .main import wrap


class VIEW3D_PT_gotcha_doctor_poll(bpy.types.Panel):
    bl_idname = "VIEW3D_PT_gotcha_doctor_poll"
    bl_label = "Explain Operator Poll"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = properties.PANEL_CATEGORY
    bl_parent_id = "VIEW3D_PT_gotcha_doctor"

    def draw(self, context: Any) -> None:
        layout = self.layout
        poll_state = context.window_manager.gotcha_doctor_poll
        width = context.region.width if context.region else 300
        row = layout.row(align=True)
        row.prop(poll_state, "operator", text="", icon="VIEWZOOM")
        op = row.operator("gotcha.explain_poll", text="Explain")
        op.operator = poll_state.operator
        draw_knowledge_base(layout, width)
        if poll_state.answer:
            wrap(layout, poll_state.answer, width, icon="ERROR")
            return
        state = properties.state(context)
        index = latest_answer_index(state)
        if index is None:
            layout.label(text="Pick an operator to see why its poll fails here")
            return
        item = state.findings[index]
        details = properties.finding_details(item)
        box = layout.box()
        wrap(box, item.message, width, icon=properties.SEVERITY_ICONS[item.severity])
        passing = details.get("passing_context")
        if passing:
            where = passing.get("ui_type") or "no editor"
            mode = (passing.get("mode") or "OBJECT").replace("_", " ").title()
            setup = ", ".join(passing.get("setup") or ()) or "nothing"
            wrap(box, f"Verified passing context: {where}, {mode} Mode; setup: {setup}", width, icon="CHECKMARK")
            layout.operator("gotcha.copy_poll_snippet", text="Copy Snippet", icon="COPYDOWN").finding_index = index
        source = details.get("python_poll") or {}
        if source.get("file"):
            wrap(layout, f"poll() in {source['file']}:{source['line']}", width, icon="FILE_SCRIPT")
        if index != state.active_index:
            layout.operator("gotcha.select_finding", text="Show Details").index = index


def latest_answer_index(state: Any) -> int | None:
    """Index of the explainer's answer to show: the active finding if it is one, else the last finding if it is one.

    The explainer appends its answer and makes it active, and a scan clears the list first, so an answer is always
    one of those two. Only those two items are read: this runs on every redraw of the sidebar, and reading every
    item of a long list (``findings[i]`` walks the collection to item i) froze the window for a second at 8,000
    findings while a scan was filling the list."""
    findings = state.findings
    count = len(findings)
    for index in dict.fromkeys((state.active_index, count - 1)):
        if 0 <= index < count and findings[index].check == operator_poll.INFO.id:
            return index
    return None


def draw_knowledge_base(layout: Any, width: int) -> None:
    """Without a knowledge base for this exact version: say so and offer to build one; while building: progress."""
    build = kb_builder.current()
    if build is not None and (build.running or build.error):
        if build.running:
            layout.progress(factor=build.progress, type="BAR", text="Building the poll knowledge base")
        wrap(layout, build.status, width, icon="ERROR" if build.error else "TIME")
        if build.running:
            return
    _, match = operator_poll.load_kb()
    if match == "exact":
        return
    version = operator_poll.blender_version()
    said = (
        f"No poll knowledge base for Blender {version}: answers come from a child process"
        if match == "none"
        else f"Poll answers use a knowledge base of the {match}, not of {version}"
    )
    wrap(layout, said, width, icon="INFO")
    layout.operator("gotcha.build_poll_kb", text="Build Knowledge Base", icon="FILE_REFRESH")


classes: tuple[type, ...] = (VIEW3D_PT_gotcha_doctor_poll,)
