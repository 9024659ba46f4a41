"""Lint the enabled add-ons' source on demand; the findings join the list (earlier add-on findings replaced)."""

from __future__ import annotations

from typing import Any

import bpy

from .. import properties
from ..checks import addon_sources
from ..core.findings import Finding


class GOTCHA_OT_lint_addons(bpy.types.Operator):
    bl_idname = "gotcha.lint_addons"
    bl_label = "Gotcha Doctor: Lint Add-ons"
    bl_description = (
        "Read the source of every enabled add-on and extension and list the Gotchas in its code "
        "(by add-on, file and line); nothing is run or changed"
    )
    # No UNDO: only the window manager's findings change.
    bl_options = {"REGISTER"}

    @classmethod
    def poll(cls, context: Any) -> bool:
        return not properties.state(context).is_running

    def execute(self, context: Any) -> set[str]:
        state = properties.state(context)
        properties.remove_findings_of(state, addon_sources.INFO.id)
        found = [item for item in addon_sources.run(bpy.data, context) if isinstance(item, Finding)]
        for finding in found:
            properties.add_finding(state, finding)
        state.has_scanned = True
        properties.tag_panel_redraw(context)
        addons = len(addon_sources.enabled_addons(context))
        self.report({"INFO"}, f"Linted {addons} add-ons: {len(found)} findings")
        return {"FINISHED"}


classes: tuple[type, ...] = (GOTCHA_OT_lint_addons,)
