"""The topic keys every finding carries, with the Gotchas section each one cites.

Part of the public report format: never rename a key, only add new ones at the end.
"""

from __future__ import annotations

from typing import NamedTuple


class Topic(NamedTuple):
    section: str
    summary: str


TOPICS: dict[str, Topic] = {
    "operator-poll": Topic(
        "Using Operators / Why does an operator's poll fail? / The operator still doesn't work",
        'bpy.ops.X() raises "poll() failed, context is incorrect"; the needed editor, mode, selection or data is not said',
    ),
    "stale-depsgraph": Topic(
        "Stale Data / No updates after setting values",
        "values derived by the depsgraph (e.g. matrix_world) are read before view_layer.update()",
    ),
    "stale-ui-context": Topic(
        "No updates after changing UI context",
        "e.g. window.workspace set, then read back in the same script run",
    ),
    "redraw-hack": Topic(
        "Can I redraw during script execution?",
        "bpy.ops.wm.redraw_timer or loops that block the UI; a modal operator with a timer is the fix",
    ),
    "editmode-sync": Topic(
        "Modes and Mesh Access",
        "object data is out of sync with the edit-mode data until Edit Mode is left or update_from_editmode() runs",
    ),
    "ngon-tessellation": Topic(
        "N-Gons and Tessellation",
        "exporters that need triangles read polygons; editing through loop triangles tessellates n-gons",
    ),
    "bone-data-kinds": Topic(
        "Edit Bones, Pose Bones, Bone... Bones",
        "edit_bones is empty outside Edit Mode; Bone.head/tail are read-only; pose data lives on the object",
    ),
    "armature-mode-switch": Topic(
        "Armature Mode Switching",
        "keeping EditBone references or their head/tail vectors across a mode switch crashes",
    ),
    "data-name-limits": Topic(
        "Data Names / Naming Limitations",
        "a new datablock does not get the requested name (too long, taken, empty); looking it up by name finds another",
    ),
    "library-name-collision": Topic(
        "Library Collisions",
        "local and linked datablocks share a name; a lookup by name is ambiguous",
    ),
    "relative-path": Topic(
        "Relative File Paths",
        "// paths passed to os/open; resolved without library=; unsaved file; missing files",
    ),
    "non-utf8-path": Topic(
        "Unicode Problems",
        "paths with bytes that are not UTF-8 (surrogate escapes) fail when printed, encoded or assigned",
    ),
    "threading": Topic(
        "Strange Errors when Using the 'Threading' Module",
        "threads or timers that outlive the script touch Blender data and crash drawing code",
    ),
    "stale-reference": Topic(
        "Help! My script crashes Blender",
        "Python objects keep pointing at Blender memory that was freed or re-allocated",
    ),
    "undo-invalidation": Topic(
        "Undo/Redo",
        "ID references held across undo/redo (module globals, handlers) point at freed memory",
    ),
    "undo-missing-step": Topic(
        "Modifying Blender Data & Undo",
        "data changed without an undo step (operator without UNDO, timers, handlers) breaks the undo stack",
    ),
    "library-data-modified": Topic(
        "Undo & Library Data",
        "scripts change linked (library) data or point it at local data; undo then crashes",
    ),
    "rna-callback-abuse": Topic(
        "Abusing RNA property callbacks",
        "property update= callbacks that call operators or do heavy work",
    ),
    "mode-switch-realloc": Topic(
        "Edit-Mode / Memory Access",
        "references to vertices/polygons/UVs/points kept across mode_set",
    ),
    "array-realloc": Topic(
        "Array Re-Allocation",
        "references to items kept across .add() on the same collection (e.g. bezier_points)",
    ),
    "removed-data": Topic(
        "Removing Data",
        "access to data (or its sub-data) after bpy.data.X.remove()",
    ),
    "collection-iteration": Topic(
        "Unfortunate Corner Cases / Collection Objects",
        "iterating all_objects while changing hide_viewport/hide_select/hide_render",
    ),
    "rename-during-iteration": Topic(
        "Data-Blocks Renaming During Iteration",
        "renaming while iterating bpy.data.X skips or repeats items",
    ),
    "sys-exit": Topic(
        "sys.exit",
        "modules (e.g. argparse) call sys.exit() and close Blender",
    ),
}
