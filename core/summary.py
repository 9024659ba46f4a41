"""The shortest statement of a finding's problem, for a list row that already shows its owner (icon and name).

The full message stays in the Finding box; a row at the sidebar's default width (about 190 pixels for text) has room for
an owner's name and some 14 characters. Findings of checks not listed here show the first clause of their message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .text import display

# (check, details["kind"]) -> the problem in a few words.
_BY_KIND: dict[tuple[str, str], str] = {
    ("relative_paths", "missing"): "file not found",
    ("relative_paths", "library_missing"): "library missing",
    ("relative_paths", "unsaved_relative"): "// but unsaved",
    ("relative_paths", "library_relative"): "needs library=",
    ("relative_paths", "outside_project"): "outside project",
    ("relative_paths", "packed"): "packed, file gone",
    ("relative_paths", "windows_path"): "Windows path",
    ("non_utf8_paths", "non_utf8"): "path not UTF-8",
    ("non_utf8_paths", "windows_invalid_name"): "bad on Windows",
}
# check -> {severity: problem} (or one problem for every severity).
_BY_CHECK: dict[str, Mapping[str, str] | str] = {
    "library_name_collisions": "also linked",
    "editmode_sync": {"WARNING": "edits unwritten", "INFO": "in Edit Mode"},
    "operator_poll": "poll fails",
    "threads": "thread running",
    "held_references": "holds data",
    "handlers_timers": {"WARNING": "holds data", "INFO": "not persistent"},
    "name_limits": {"WARNING": "name cut short", "INFO": "name near limit"},
    "library_data_modified": "linked data edited",
}
# addon_code findings: details["rule"] (a lint rule code) -> the problem.
_BY_RULE: dict[str, str] = {
    "GD200": "op in callback",
    "GD115": "no undo step",
    "GD140": "calls sys.exit",
    "GD141": "argparse exits",
}
_LONGEST = 24


def short_problem(check: str, severity: str, message: str, details: Mapping[str, Any]) -> str:
    """A few words saying what is wrong, safe to draw on one line."""
    kind = details.get("kind")
    if check == "relative_paths" and kind == "climbs_above_root":
        return "climbs above /" if details.get("above") == "filesystem" else "leaves project"
    if check == "relative_paths" and kind == "missing" and details.get("missing_tile_count"):
        return "tiles missing"
    rule = details.get("rule")
    if check == "addon_code" and isinstance(rule, str) and rule in _BY_RULE:
        return _BY_RULE[rule]
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
