"""Why an operator has no verified passing context, and the generated coverage table (docs/poll-coverage-*.md).

The reasons are what the operator's poll or purpose needs, judged from its name, description and poll (Blender's
source) -- they are NOT verified by the sweep (that is the point: no recipe made these polls pass). An operator not
listed gets the generic reason, which says exactly that.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

GENERIC = "no recipe in the library makes its poll pass (it needs a context the sweep does not build)"

BY_GROUP = {
    "ui": "needs the UI button, list or view under the mouse (a drawn region and a GUI event)",
    "file": "needs a File Browser opened by an operator (its parameters only exist then; GUI)",
    "outliner": "needs the Outliner's drawn tree with selected elements (built only when the Outliner draws; GUI)",
    "screen": "needs a window event, an action zone or an operator in the redo history (GUI)",
    "gizmogroup": "needs a drawn, active gizmo (GUI)",
    "extensions": "needs online access or a remote extensions repository with packages",
    "paintcurve": "needs a brush with a paint curve (Stroke Method: Curve) and the mouse in the viewport",
    "poselib": "needs a pose asset selected in an asset shelf or the Asset Browser",
    "asset": "needs an Asset Browser showing an asset library (catalogs, tags, or an asset from another file)",
    "brush": "needs a brush asset from an editable asset library, or a brush with a stencil texture",
    "preferences": "needs a custom keymap/keyconfig or a previous Blender version's settings on disk",
    "clip": "needs a solved camera or plane tracks (tracking data)",
    "sequencer": "needs a text strip being edited in the preview, or a Multicam strip",
    "scene": "needs Freestyle line-set modules or multiview render views (from their panels)",
    "grease_pencil": "needs a brush tool and the mouse in the viewport, layer masks, or a traced image (GUI)",
    "gpencil": "needs annotation data with layers, or legacy data this sweep does not build",
    "node": "needs a specific node setup (a node group entered, a glTF settings node, an OSL script node, a panel)",
    "anim": "needs a layered action with slots assigned to a constraint, NLA strip or ID, or a UI property",
    "image": "needs render slots of a Render Result, an image on the clipboard, or modified images with files",
    "view3d": "needs the Ruler gizmo, Local View with objects, or a camera background image (GUI state)",
    "wm": "needs a GUI window manager (new windows, redraw timing) or a running VR (OpenXR) session",
    "object": "needs linked library data (library overrides), motion paths, or a custom camera script",
    "ed": "needs linked/override IDs, asset previews, or an undo history with a redo panel",
    "pose": "needs motion paths or two or more bone selection sets",
    "sculpt": "needs Dyntopo enabled (a dynamic-topology sculpt session)",
    "text": "needs a text whose file changed on disk, or an OSL shader script",
    "curves": "needs a Curves object with a surface mesh and UV map, or an active attribute",
    "paint": "needs a clone layer, a viewport image grab, or an armature deform setup",
    "cycles": "needs Cycles' panel context for a material's node tree",
}

BY_OP = {
    "console.copy": "needs a text selection in the console (GUI)",
    "view2d.scroller_activate": "needs the mouse over a scroll bar (GUI event)",
    "mask.paste_splines": "needs splines copied to the mask clipboard first",
    "collection.exporter_remove": "needs a collection with an exporter",
    "transform.delete_orientation": "needs a custom transform orientation",
    "texture.slot_copy": "needs a texture slot in the context (a texture panel provides it)",
    "world.convert_volume_to_mesh": "needs a world with a volume shader",
    "rigidbody.constraint_remove": "needs a rigid body constraint on the active object",
    "nla.tweakmode_exit": "needs the NLA in tweak mode",
    "particle.shape_cut": "needs a shape object set for particle edit",
    "action.markers_make_local": "needs pose markers in the action",
    "sculpt_curves.min_distance_edit": "needs the density brush and the mouse over the surface (GUI)",
    "anim.slot_channels_move_to_new_action": "needs selected action slots in the channel list",
    "mesh.select_by_attribute": "needs an active boolean attribute in the mesh's edit data",
}


def reason(op: str) -> str:
    if op in BY_OP:
        return BY_OP[op]
    return BY_GROUP.get(op.split(".")[0], GENERIC)


def coverage(kb: dict[str, Any]) -> dict[str, Any]:
    failing = [op for op, item in kb["ops"].items() if not item.get("d")]
    covered = [op for op in failing if "r" in item_of(kb, op)]
    percent = 100.0 * len(covered) / len(failing) if failing else 100.0
    return {
        "operators": len(kb["ops"]),
        "failing": len(failing),
        "covered": len(covered),
        "percent": percent,
        "missing": sorted(set(failing) - set(covered)),
    }


def item_of(kb: dict[str, Any], op: str) -> dict[str, Any]:
    return kb["ops"][op]  # type: ignore[no-any-return]


def coverage_markdown(kb: dict[str, Any]) -> str:
    stats = coverage(kb)
    version = kb["blender_version"]
    recipes = kb["recipes"]
    crashers = {op: item["x"] for op, item in kb["ops"].items() if item.get("x")}
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
        lines.append(f"| `{op}` | {places} |")
    if not crashers:
        lines.append("| (none) | |")
    lines += [
        "",
        "## Without a verified passing context",
        "",
        "Reasons are judged from the operator's poll and purpose (tools/poll_kb/reasons.py); not verified.",
        "",
        "| operator | likely reason |",
        "|---|---|",
    ]
    for op in stats["missing"]:
        lines.append(f"| `{op}` | {kb['ops'][op].get('why', GENERIC)} |")
    lines += [
        "",
        "## Coverage per operator group",
        "",
        "| group | fail by default | covered | % |",
        "|---|---|---|---|",
    ]
    failing: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    for op, item in kb["ops"].items():
        if item.get("d"):
            continue
        group = op.split(".")[0]
        failing[group] += 1
        if "r" in item:
            covered[group] += 1
    for group in sorted(failing):
        lines.append(
            f"| `{group}` | {failing[group]} | {covered[group]} | {100.0 * covered[group] / failing[group]:.0f} |"
        )
    by_editor: defaultdict[str, int] = defaultdict(int)
    for item in kb["ops"].values():
        if "r" in item:
            by_editor[recipes[item["r"]]["ui_type"] or "(no editor)"] += 1
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
