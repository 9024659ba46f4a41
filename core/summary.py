"""The shortest statement of a finding's problem, for a list row that already shows its owner (icon and name).

The full message stays in the finding's details; a row at the sidebar's default width has room for the owner's name
and two or three words. Findings of checks not listed here show the first clause of their message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .text import display

# (check, details["kind"]) -> the problem in a few words.
_BY_KIND: dict[tuple[str, str], str] = {
    ("relative_paths", "missing"): "file not found",
    ("relative_paths", "library_missing"): "library file missing",
    ("relative_paths", "unsaved_relative"): "// in an unsaved file",
    ("relative_paths", "library_relative"): "// of a library: abspath() misreads it",
    ("relative_paths", "outside_project"): "absolute, outside the project",
    ("relative_paths", "packed"): "packed; file on disk gone",
    ("relative_paths", "windows_path"): "Windows-style path",
    ("non_utf8_paths", "non_utf8"): "path not UTF-8",
    ("non_utf8_paths", "windows_invalid_name"): "name invalid on Windows",
}
# check -> {severity: problem} (or one problem for every severity).
_BY_CHECK: dict[str, Mapping[str, str] | str] = {
    "library_name_collisions": "name shared with a library",
    "editmode_sync": {"WARNING": "Edit Mode changes not written", "INFO": "in Edit Mode, nothing pending"},
    "operator_poll": "poll() fails here",
    "threads": "thread left running",
    "held_references": "holds Blender data",
    "handlers_timers": {"WARNING": "callback holds Blender data", "INFO": "handler not persistent"},
    "name_limits": {"WARNING": "name cut at the length limit", "INFO": "name near the length limit"},
    "library_data_modified": "linked data changed here",
}
_LONGEST = 40


def short_problem(check: str, severity: str, message: str, details: Mapping[str, Any]) -> str:
    """A few words saying what is wrong, safe to draw on one line."""
    kind = details.get("kind")
    if check == "relative_paths" and kind == "climbs_above_root":
        return "// climbs above /" if details.get("above") == "filesystem" else "// climbs out of the project"
    if check == "relative_paths" and kind == "missing" and details.get("missing_tile_count"):
        return "UDIM tiles missing"
    if isinstance(kind, str) and (check, kind) in _BY_KIND:
        return _BY_KIND[(check, kind)]
    by_check = _BY_CHECK.get(check)
    if isinstance(by_check, str):
        return by_check
    if by_check is not None and severity in by_check:
        return by_check[severity]
    return first_clause(message)


def first_clause(message: str, limit: int = _LONGEST) -> str:
    """The message up to its first clause break ("; ", ": ", ". ", " — "), cut to ``limit`` characters."""
    text = display(message, 10 * limit)
    cut = len(text)
    for mark in ("; ", ": ", ". ", " — "):
        at = text.find(mark)
        if 0 < at < cut:
            cut = at
    text = text[:cut].rstrip(" .")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
