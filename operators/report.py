"""``gotcha.export_report``: writes the last scan's findings as JSON (schema gotcha-doctor/report/1)."""

from __future__ import annotations

import os
from typing import Any

import bpy
from bpy.props import StringProperty
from bpy_extras.io_utils import ExportHelper

from .. import properties, runner
from ..core.report import write_report
from ..core.report_target import refuse_report_path
from ..core.text import display


class GOTCHA_OT_export_report(bpy.types.Operator, ExportHelper):  # type: ignore[misc]  # the stubs type the mix-in apart
    bl_idname = "gotcha.export_report"
    bl_label = "Gotcha Doctor: Export Report"
    bl_description = "Write the last scan's findings to a JSON file (schema gotcha-doctor/report/1)"
    bl_options = {"REGISTER"}

    filename_ext = ".json"
    filter_glob: StringProperty(default="*.json", options={"HIDDEN"})
    if bpy.app.version >= (4, 5, 0):
        # ExportHelper's path, declaring that `//` is understood (resolved against the saved file, refused when it is
        # unsaved): Blender 4.5 added the option and warns at every `//` value without it; 4.4 and older reject it.
        filepath: StringProperty(
            name="File Path",
            description="Filepath used for exporting the file",
            maxlen=1024,
            subtype="FILE_PATH",
            options={"PATH_SUPPORTS_BLEND_RELATIVE"},
        )

    @classmethod
    def poll(cls, context: Any) -> bool:
        state = properties.state(context)
        if not state.has_scanned:
            cls.poll_message_set("Nothing to export yet: run Gotcha Doctor: Scan first")
            return False
        if state.is_running:
            # Its findings are partial until it ends; Esc keeps them, marked cancelled, and they can be exported then.
            cls.poll_message_set("A scan is running: wait for it to end, or press Esc and export its partial findings")
            return False
        return True

    def execute(self, context: Any) -> set[str]:
        path: str = self.filepath
        if not path:
            self.report({"ERROR"}, 'No file path given: pass filepath="/path/report.json"')
            return {"CANCELLED"}
        if path.startswith("//"):
            if not bpy.data.filepath:
                # Blender would resolve it against the working directory and the report would land who knows where.
                self.report(
                    {"ERROR"},
                    f"{display(path)} is relative to the .blend file, which is not saved yet; "
                    "save it first or give an absolute path",
                )
                return {"CANCELLED"}
            path = bpy.path.abspath(path)
        state = properties.state(context)
        refused = refuse_report_path(os.path.abspath(path), bpy.data.filepath) or (
            refuse_report_path(os.path.abspath(path), os.fsdecode(state.blend_file)) if state.blend_file else None
        )
        if refused:
            self.report({"ERROR"}, f"Not writing the report to {display(path)}: {refused}")
            return {"CANCELLED"}
        report = runner.report_from_state(state)
        try:
            write_report(report, path)
        except OSError as error:
            self.report({"ERROR"}, f"Could not write {display(path)}: {error.strerror or error}")
            return {"CANCELLED"}
        self.report({"INFO"}, f"Gotcha Doctor: wrote {len(report['findings'])} findings to {display(path)}")
        return {"FINISHED"}


classes: tuple[type, ...] = (GOTCHA_OT_export_report,)
