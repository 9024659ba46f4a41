"""Operators: thin wrappers that call the runner / checks and report to the user."""

from __future__ import annotations

from . import editmode_fixes, findings, lint, path_fixes, poll, report, scan

classes: tuple[type, ...] = (
    *scan.classes,
    *report.classes,
    *findings.classes,
    *path_fixes.classes,
    *editmode_fixes.classes,
    *poll.classes,
    *lint.classes,
)

# Checks name the fixes they offer by stable keys (Finding.fixes); this maps each key to the operator that applies it.
FIX_OPERATORS: dict[str, str] = {
    "path_make_absolute": path_fixes.GOTCHA_OT_path_make_absolute.bl_idname,
    "path_make_relative": path_fixes.GOTCHA_OT_path_make_relative.bl_idname,
    "path_repoint": path_fixes.GOTCHA_OT_path_repoint.bl_idname,
    "path_reencode": path_fixes.GOTCHA_OT_path_reencode.bl_idname,
    "editmode_sync_now": editmode_fixes.GOTCHA_OT_editmode_sync_now.bl_idname,
    "editmode_leave": editmode_fixes.GOTCHA_OT_editmode_leave.bl_idname,
    "copy_poll_snippet": poll.GOTCHA_OT_copy_poll_snippet.bl_idname,
}
