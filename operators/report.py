"""``gotcha.export_report``: writes the last scan's findings as JSON (schema gotcha-doctor/report/1)."""

from __future__ import annotations

import os
from typing import Any

import bpy
from bpy.props import StringProperty  # type: ignore[attr-defined]
from bpy_extras.io_utils import ExportHelper

from .. import properties, runner
from ..core.report import write_report
from ..core.text import display


class GOTCHA_OT_export_report(bpy.types.Operator, ExportHelper):  # type: ignore[misc]
    bl_idname = "gotcha.export_report"
    bl_label = "Gotcha Doctor: Export Report"
    bl_description = "Write the last scan's findings to a JSON file (schema gotcha-doctor/report/1)"
    bl_options = {"REGISTER"}

    filename_ext = ".json"
    filter_glob: StringProperty(default="*.json", options={"HIDDEN"})  # type: ignore[valid-type]

    @classmethod
    def poll(cls, context: Any) -> bool:
        if not properties.state(context).has_scanned:
            cls.poll_message_set("Nothing to export yet: run Gotcha Doctor: Scan first")
            return False
        return True

    def execute(self, context: Any) -> set[str]:
        path: str = self.filepath  # type: ignore[attr-defined]  # ExportHelper's property
        if not path:
            self.report({"ERROR"}, 'No file path given: pass filepath="/path/report.json"')
            return {"CANCELLED"}
        path = bpy.path.abspath(path) if path.startswith("//") else path
        if os.path.isdir(path):
            self.report({"ERROR"}, f"{display(path)} is a directory; give a file name such as report.json")
            return {"CANCELLED"}
        report = runner.report_from_state(properties.state(context))
        try:
            write_report(report, path)
        except OSError as error:
            self.report({"ERROR"}, f"Could not write {display(path)}: {error.strerror or error}")
            return {"CANCELLED"}
        self.report({"INFO"}, f"Gotcha Doctor: wrote {len(report['findings'])} findings to {display(path)}")
        return {"FINISHED"}


classes: tuple[type, ...] = (GOTCHA_OT_export_report,)
