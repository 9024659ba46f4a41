"""Why an operator has no verified passing context, and the generated coverage table (docs/poll-coverage-*.md).

Each reason was read from the operator's poll in Blender's source (C, or the Python poll in the bundled scripts; for
a few polls new in 5.2, from the compiled poll in the bpy wheel, which its symbol names) and
names what the poll reads that a background session cannot have; where a workaround was tried and failed, it says
so, and the one reason not read from a poll's source says that too. They are not verified by the sweep -- that is the point: no recipe made these polls pass. An operator not listed
gets the generic reason, which says exactly that.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from _poll_package import kb as kb_module

coverage = kb_module.coverage

GENERIC = "no recipe in the library makes its poll pass (it needs a context the sweep does not build)"

_BACKGROUND = "its poll returns False in background mode (G.background); the bpy module always runs in background"
_BUTTON = (
    "needs the UI button under the mouse (UI_context_active_but_prop_get); buttons exist only in a drawn region, "
    "and button_pointer/button_prop overrides are not read"
)
_VIEW = "needs the UI list or view under the mouse (the window's event state and a drawn region)"
_OUTLINER = (
    "reads the Outliner's tree (selected or active elements), which only drawing the Outliner builds; "
    "Outliner operators run headless build and free it again"
)
_ASSET_FILE_LIST = (
    "needs the Asset Browser's file list or asset settings, which only the editor's refresh in the event loop "
    "creates (space.params stays None headless)"
)
_ASSET_CONTEXT = (
    "needs the context's asset (an asset the Asset Browser or an asset shelf puts in the context while drawing); "
    "Python cannot make one"
)
_XR = "needs a running VR (OpenXR) session: a headset runtime and a GPU window"
_NO_AUDASPACE = "needs a sound strip; the 4.2 bpy wheel is built without Audaspace, so none can be made"

BY_GROUP = {
    "ui": _BUTTON,
    "outliner": _OUTLINER,
    "asset": _ASSET_FILE_LIST,
    "poselib": _ASSET_CONTEXT,
}

BY_OP = {
    # the window manager and screens
    "screen.actionzone": "needs the mouse in an area's action zone (the window's event state; zones are laid out "
    "only when the screen draws)",
    "screen.drivers_editor_show": _BACKGROUND + " (it opens a new window)",
    "screen.info_log_show": _BACKGROUND + " (it opens a new window)",
    "screen.userpref_show": _BACKGROUND + " (it opens a new window)",
    "screen.project_settings_show": _BACKGROUND
    + " (ED_operator_screenactive_nobackground, as screen.userpref_show's; it opens a new window)",
    "screen.screenshot": _BACKGROUND + " (nothing is drawn to capture)",
    "screen.screenshot_area": _BACKGROUND + " (nothing is drawn to capture)",
    "wm.redraw_timer": _BACKGROUND,
    "wm.window_new": _BACKGROUND + " (it opens an OS window)",
    "wm.window_new_main": _BACKGROUND + " (it opens an OS window)",
    "wm.xr_navigation_fly": _XR,
    "wm.xr_navigation_grab": _XR,
    "wm.xr_navigation_reset": _XR,
    "wm.xr_navigation_swap_hands": _XR,
    "wm.xr_navigation_teleport": _XR,
    "view2d.scroller_activate": "needs the mouse over a scroll bar (the window's last mouse position); "
    "cursor_warp does nothing without a window, and event simulation needs a command-line flag",
    "image.clipboard_paste": "needs an image on the system clipboard, which Blender never reports in background mode",
    "paint.image_from_view": _BACKGROUND + " (it reads the drawn viewport)",
    "asset.screenshot_preview": _BACKGROUND + " (it captures the screen)",
    "anim.driver_button_add": _BUTTON,
    "ui.view_item_rename": "needs the active item of a drawn UI view",
    "ui.list_start_filter": _VIEW,
    "ui.view_start_filter": _VIEW,
    "ui.view_item_select": _VIEW,
    "ui.view_item_delete": _VIEW,
    "ui.view_scroll": _VIEW,
    "ui.view_drop": _VIEW,
    # assets and files
    "asset.tag_add": _ASSET_CONTEXT,
    "asset.tag_remove": _ASSET_CONTEXT,
    "asset.open_containing_blend_file": _ASSET_CONTEXT,
    "poselib.paste_asset": _ASSET_FILE_LIST,
    "file.cancel": "needs the operator that opened the File Browser (set only when an operator opens it through "
    "the event loop; not settable from Python)",
    "file.delete": "needs the File Browser's read file list with a selected file (read only by the event loop)",
    "file.filenum": "needs a File Browser opened by an operator with check_existing (a flag not exposed to Python)",
    "preferences.copy_prev": "needs a previous Blender version's settings in a separate user folder; with "
    "BLENDER_USER_RESOURCES set (as the sweep runs, to keep ~/.config/blender untouched) it is off by design",
    "extensions.package_uninstall_system": "its poll always returns False (system extensions are read-only; it only "
    "shows a disabled button)",
    "extensions.package_enable_not_installed": "its poll always returns False (it only shows a disabled check box)",
    # Blender 4.2 builds
    "sound.pack": _NO_AUDASPACE,
    "sound.unpack": _NO_AUDASPACE,
    "sequencer.crossfade_sounds": _NO_AUDASPACE,
    "anim.binding_unassign_object": "needs a layered action with an assigned binding; the 4.2 release build has no "
    "Python API for them and keying makes legacy actions (judged from the API: its poll's source was not found)",
    "anim.slot_channels_move_to_new_action": "needs selected action slots in the channel list",
    # New in 5.2: these polls start with a G.background check (read in the compiled polls of the 5.2.3 and 5.3.0 bpy
    # wheels, named here); 5.0.1's have none and pass in the contexts its KB records.
    "ed.lib_id_generate_preview": _BACKGROUND + " (from 5.2 on: lib_id_generate_preview_poll)",
    "ed.lib_id_generate_preview_from_object": _BACKGROUND + " (from 5.2 on: lib_id_generate_preview_from_object_poll)",
    "paint.sample_color": _BACKGROUND + " (from 5.2 on: sample_color_poll)",
    "view3d.zoom_border": _BACKGROUND + " (from 5.2 on: view3d_zoom_border_poll, then the poll view3d.zoom has)",
    "object.select_grouped": _BACKGROUND + " (on 5.2 only: object_select_grouped_poll; 5.0.1's and 5.3.0's have no "
    "such check and pass in the default context)",
}


def reason(op: str) -> str:
    if op in BY_OP:
        return BY_OP[op]
    return BY_GROUP.get(op.split(".")[0], GENERIC)


def coverage_markdown(kb: dict[str, Any]) -> str:
    stats = coverage(kb)  # kb.py: the same figures the tests and the README quote
    version = kb["blender_version"]
    recipes = kb["recipes"]
    crashers = {op: item["crashed_in"] for op, item in kb["ops"].items() if item.get("crashed_in")}
    lines = [
        f"# Poll knowledge base: Blender {version}",
        "",
        "Generated by `tools/poll_kb/sweep.py` (do not edit by hand; see docs/poll.md).",
        "",
        f"- operators registered (without `gotcha.*`): **{stats['operators']}**",
        f"- fail `poll()` in the default context (factory startup, background, no override): **{stats['failing']}**",
        f"- of those, with a verified passing context: **{stats['covered']}** (**{stats['percent']:.1f} %**)",
        f"- sweep: {kb['sweep']['seconds']} s on {kb['sweep']['workers']} workers, {kb['sweep']['batches']} batches, "
        f"{kb['sweep']['worker_restarts']} worker restarts after crashes; {len(recipes)} distinct recipes recorded",
        "",
        "## Crashers (poll() killed the worker)",
        "",
        "| operator | where |",
        "|---|---|",
    ]
    for op, where in sorted(crashers.items()):
        places = ", ".join("default context (no override)" if r is None else _recipe_words(recipes[r]) for r in where)
        if kb["ops"][op].get("polling_stopped"):
            places += " (then not polled in any other context: the sweep stops after "
            places += f"{kb['sweep'].get('crash_limit', len(where))} crashes)"
        lines.append(f"| `{op}` | {places} |")
    if not crashers:
        lines.append("| (none) | |")
    lines += [
        "",
        "## Without a verified passing context",
        "",
        "Reasons are read from each operator's poll in Blender's source (tools/poll_kb/reasons.py), naming what it",
        "reads that a background session cannot have; the sweep cannot verify them (no recipe made these pass).",
        "",
        "| operator | reason |",
        "|---|---|",
    ]
    for op in stats["missing"]:
        lines.append(f"| `{op}` | {kb['ops'][op].get('why_unknown', GENERIC)} |")
    ignores = sorted(op for op, item in kb["ops"].items() if item.get("ignores_active_override"))
    lines += [
        "",
        "## Polls that ignore an overridden active object",
        "",
        "Measured (poll_worker.py `decoy_probe`): in its passing context, with another object made the view",
        "layer's active one, poll() failed, and still failed with the original object passed to `temp_override` as",
        "`active_object` and `object` (and `edit_object` in Edit Mode). For these, set `view_layer.objects.active`.",
        f"{len(ignores)} operators:",
        "",
        " ".join(f"`{op}`" for op in ignores) if ignores else "(none)",
        "",
        "## Coverage per operator group",
        "",
        "| group | fail by default | covered | % |",
        "|---|---|---|---|",
    ]
    failing: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    for op, item in kb["ops"].items():
        if item.get("passes_by_default"):
            continue
        group = op.split(".")[0]
        failing[group] += 1
        if "recipe" in item:
            covered[group] += 1
    for group in sorted(failing):
        lines.append(
            f"| `{group}` | {failing[group]} | {covered[group]} | {100.0 * covered[group] / failing[group]:.0f} |"
        )
    by_editor: defaultdict[str, int] = defaultdict(int)
    for item in kb["ops"].values():
        if "recipe" in item:
            by_editor[recipes[item["recipe"]]["ui_type"] or "(no editor)"] += 1
    lines += ["", "## Passing contexts by editor", "", "| editor (ui_type) | operators |", "|---|---|"]
    for editor, count in sorted(by_editor.items(), key=lambda pair: -pair[1]):
        lines.append(f"| {editor} | {count} |")
    return "\n".join(lines) + "\n"


def _recipe_words(recipe: dict[str, Any]) -> str:
    parts = [recipe["ui_type"] or "no editor"]
    if recipe.get("region") and recipe["region"] != "WINDOW":
        parts.append(recipe["region"])
    if recipe["mode"] != "OBJECT":
        parts.append(recipe["mode"])
    parts += recipe["setup"]
    return " / ".join(parts)
