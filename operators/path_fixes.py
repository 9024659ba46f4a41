"""Undoable fixes for path findings: make a path absolute / relative, repoint a missing file, re-encode to UTF-8.

Each fix reads its finding (``finding_index``), looks the owner up fresh by value, checks that the stored path
is still the one the scan saw, and sets the string property named by the finding's ``data_path`` (an RNA path
from the owner ID). Library (linked) data is never touched.
"""

from __future__ import annotations

import base64
import os
import re
from typing import Any

import bpy
from bpy.props import BoolProperty, IntProperty, StringProperty

from .. import properties, runner
from ..core import paths
from ..core.text import display
from .finding_guard import refuse_foreign_finding

_ATTR = re.compile(r"\.?([A-Za-z_]\w*)$")
_SEARCH_LIMIT = 200_000  # directory entries visited at most by a repoint search


def stored_detail(details: dict[str, Any], key: str) -> str:
    """A path from finding details, exact: non-UTF-8 paths come back from their ``<key>_base64`` twin."""
    if f"{key}_base64" in details:
        return os.fsdecode(base64.b64decode(details[f"{key}_base64"]))
    value = details.get(key, "")
    return value if isinstance(value, str) else ""


def split_data_path(data_path: str) -> tuple[str, str]:
    """``modifiers["Cloth"].point_cache.filepath`` -> (``modifiers["Cloth"].point_cache``, ``filepath``)."""
    match = _ATTR.search(data_path)
    if match is None:
        raise ValueError(f"not a property path: {data_path!r}")
    return data_path[: match.start()], match.group(1)


class _PathFix:
    """Shared lookup: the finding, its owner, the struct holding the path and the current value."""

    finding_index: IntProperty(name="Finding", default=-1, options={"SKIP_SAVE"})

    def target(self, context: Any) -> tuple[Any, dict[str, Any], Any, str, str] | None:
        op: Any = self
        item = properties.finding_at(context, self.finding_index)
        if item is None:
            count = len(properties.state(context).findings)
            op.report({"ERROR"}, f"No finding number {self.finding_index}; there are {count} (scan again)")
            return None
        if refuse_foreign_finding(op, context, item):
            return None
        details = properties.finding_details(item)
        if item.has_library:
            op.report({"ERROR"}, "This path belongs to linked (library) data; fix it in the library file itself")
            return None
        if not item.has_datablock or not details.get("data_path"):
            op.report({"ERROR"}, "This finding names no path property that can be changed")
            return None
        owner = runner.lookup_datablock(item.id_type, item.id_name, None)
        if owner is None:
            op.report({"ERROR"}, f'{item.id_type.title()} "{display(item.id_name, 200)}" no longer exists; scan again')
            return None
        if owner.library is not None:
            op.report({"ERROR"}, "Linked (library) data is never changed; fix it in the library file")
            return None
        parent_path, attr = split_data_path(details["data_path"])
        try:
            holder = owner.path_resolve(parent_path, False) if parent_path else owner
        except ValueError:
            op.report(
                {"ERROR"}, f"{display(details['data_path'])} no longer exists on {display(item.id_name)}; scan again"
            )
            return None
        current = getattr(holder, attr)
        if current != stored_detail(details, "raw_path"):
            op.report({"ERROR"}, f"The path changed since the scan (now {display(current, 300)}); scan again")
            return None
        return owner, details, holder, attr, current


def _set(holder: Any, attr: str, value: str) -> None:
    setattr(holder, attr, value)


class GOTCHA_OT_path_make_absolute(bpy.types.Operator, _PathFix):
    bl_idname = "gotcha.path_make_absolute"
    bl_label = "Gotcha Doctor: Make Path Absolute"
    bl_description = "Replace this relative (//) path with the absolute path Blender resolves it to"
    bl_options = {"REGISTER", "UNDO"}

    def execute(self, context: Any) -> set[str]:
        found = self.target(context)
        if found is None:
            return {"CANCELLED"}
        _owner, details, holder, attr, current = found
        if not current.startswith("//"):
            self.report({"INFO"}, f"{display(current, 300)} is already absolute; nothing changed")
            return {"CANCELLED"}
        if not bpy.data.filepath:
            self.report({"ERROR"}, "Save the file first: a // path in an unsaved file has no location to resolve from")
            return {"CANCELLED"}
        new = paths.blender_abspath(current, bpy.data.filepath) if os.sep == "/" else bpy.path.abspath(current)
        _set(holder, attr, new)
        self.report({"INFO"}, f"{details.get('property', attr)}: {display(current, 300)} -> {display(new, 300)}")
        return {"FINISHED"}


class GOTCHA_OT_path_make_relative(bpy.types.Operator, _PathFix):
    bl_idname = "gotcha.path_make_relative"
    bl_label = "Gotcha Doctor: Make Path Relative"
    bl_description = "Replace this absolute path with a // path relative to the saved .blend file"
    bl_options = {"REGISTER", "UNDO"}

    def execute(self, context: Any) -> set[str]:
        found = self.target(context)
        if found is None:
            return {"CANCELLED"}
        _owner, details, holder, attr, current = found
        if current.startswith("//"):
            self.report({"INFO"}, f"{display(current, 300)} is already relative; nothing changed")
            return {"CANCELLED"}
        if not bpy.data.filepath:
            self.report({"ERROR"}, "Save the file first: relative (//) paths are relative to the saved .blend")
            return {"CANCELLED"}
        new = paths.relative_to(paths.blender_abspath(current, bpy.data.filepath), bpy.data.filepath)
        _set(holder, attr, new)
        self.report({"INFO"}, f"{details.get('property', attr)}: {display(current, 300)} -> {display(new, 300)}")
        return {"FINISHED"}


def find_named(directory: str, name: str, limit: int = _SEARCH_LIMIT) -> list[str]:
    """Files called ``name`` under ``directory`` (recursive, symlinked directories not followed), sorted."""
    found: list[str] = []
    seen = 0
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        seen += len(dirs) + len(files)
        if name in files:
            found.append(os.path.join(root, name))
        if seen > limit:
            break
    return sorted(found)


def best_match(candidates: list[str], stored: str) -> str:
    """The candidate sharing the most trailing path components with the stored path (then the shortest)."""
    wanted = [p for p in stored.replace("\\", "/").split("/") if p not in ("", ".", "..")]

    def score(candidate: str) -> tuple[int, int]:
        parts = candidate.split(os.sep)
        shared = 0
        while shared < min(len(parts), len(wanted)) and parts[-1 - shared] == wanted[-1 - shared]:
            shared += 1
        return (-shared, len(candidate))

    return min(candidates, key=score)


class GOTCHA_OT_path_repoint(bpy.types.Operator, _PathFix):
    bl_idname = "gotcha.path_repoint"
    bl_label = "Gotcha Doctor: Find Missing File"
    bl_description = (
        "Search a directory you pick for a file of the same name as this missing file, report what was found, "
        "and point the path at the best match (relative when the .blend is saved)"
    )
    bl_options = {"REGISTER", "UNDO"}

    directory: StringProperty(name="Search In", subtype="DIR_PATH", options={"SKIP_SAVE"})
    dry_run: BoolProperty(
        name="Only Report", description="Report what was found without changing the path", options={"SKIP_SAVE"}
    )

    def invoke(self, context: Any, event: Any) -> set[str]:
        if not self.directory and bpy.data.filepath:
            self.directory = os.path.dirname(bpy.data.filepath) + os.sep  # start next to the .blend
        context.window_manager.fileselect_add(self)
        return {"RUNNING_MODAL"}

    def execute(self, context: Any) -> set[str]:
        found = self.target(context)
        if found is None:
            return {"CANCELLED"}
        _owner, details, holder, attr, current = found
        directory = bpy.path.abspath(self.directory) if self.directory.startswith("//") else self.directory
        if not directory or not os.path.isdir(directory):
            self.report({"ERROR"}, f"Pick an existing directory to search (got {display(directory or '(none)')})")
            return {"CANCELLED"}
        name = current.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
        candidates = find_named(directory, name)
        if not candidates:
            self.report({"WARNING"}, f"No file named {display(name)} under {display(directory)}; nothing changed")
            return {"CANCELLED"}
        chosen = best_match(candidates, current)
        listing = ", ".join(display(c, 200) for c in candidates[:10]) + (" …" if len(candidates) > 10 else "")
        self.report({"INFO"}, f"Found {len(candidates)} file(s) named {display(name)}: {listing}")
        if self.dry_run:
            self.report({"INFO"}, f"Would use {display(chosen)} (only reporting; nothing changed)")
            return {"FINISHED"}
        new = paths.relative_to(chosen, bpy.data.filepath) if current.startswith("//") and bpy.data.filepath else chosen
        _set(holder, attr, new)
        self.report({"INFO"}, f"{details.get('property', attr)}: {display(current, 300)} -> {display(new, 300)}")
        return {"FINISHED"}


# A `//` path is a valid answer here. Blender 4.5 added PATH_SUPPORTS_BLEND_RELATIVE (and warns at each `//` value
# without it); 4.4 and older reject the option.
_NEW_PATH_OPTIONS = {"SKIP_SAVE", "PATH_SUPPORTS_BLEND_RELATIVE"} if bpy.app.version >= (4, 5, 0) else {"SKIP_SAVE"}


class GOTCHA_OT_path_reencode(bpy.types.Operator, _PathFix):
    bl_idname = "gotcha.path_reencode"
    bl_label = "Gotcha Doctor: Re-encode Path as UTF-8"
    bl_description = (
        "Replace a path holding non-UTF-8 bytes with a valid UTF-8 spelling, only when a file exists under "
        "that name (rename the file on disk first, or give the new path)"
    )
    bl_options = {"REGISTER", "UNDO"}

    new_path: StringProperty(
        name="New Path",
        description="The UTF-8 path of the renamed file (empty: try the likely spellings)",
        subtype="FILE_PATH",
        options=_NEW_PATH_OPTIONS,
    )

    def execute(self, context: Any) -> set[str]:
        from ..core.non_utf8_rules import utf8_candidates
        from ..core.text import has_surrogates

        found = self.target(context)
        if found is None:
            return {"CANCELLED"}
        owner, details, holder, attr, current = found
        if not has_surrogates(current):
            self.report({"INFO"}, "The path is already valid UTF-8; nothing changed")
            return {"CANCELLED"}
        candidates = [self.new_path] if self.new_path else utf8_candidates(current)
        base = bpy.data.filepath
        for candidate in candidates:
            on_disk = paths.blender_abspath(candidate, base) if os.sep == "/" else bpy.path.abspath(candidate)
            if candidate.startswith("//") and not base:
                continue
            if os.path.exists(on_disk):
                _set(holder, attr, candidate)
                self.report(
                    {"INFO"},
                    f"{details.get('property', attr)}: {display(current, 300)} -> "
                    f"{display(candidate, 300)} (the file exists under the new name)",
                )
                return {"FINISHED"}
        tried = "; ".join(display(c, 300) for c in candidates)
        self.report(
            {"WARNING"},
            f"No file exists under {tried}; rename the file on disk first (or give new_path). Nothing changed",
        )
        return {"CANCELLED"}


classes: tuple[type, ...] = (
    GOTCHA_OT_path_make_absolute,
    GOTCHA_OT_path_make_relative,
    GOTCHA_OT_path_repoint,
    GOTCHA_OT_path_reencode,
)
