"""Operators: thin wrappers that call the runner / checks and report to the user."""

from __future__ import annotations

from . import editmode_fixes, findings, path_fixes, poll, report, scan

classes: tuple[type, ...] = (
    *scan.classes,
    *report.classes,
    *findings.classes,
    *path_fixes.classes,
    *editmode_fixes.classes,
    *poll.classes,
)
