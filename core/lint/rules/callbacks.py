"""Operators called where they should not be: from property callbacks, from draw code, with the removed
context-dict override, or without the editor they need.

Gotchas: "Abusing RNA property callbacks", "Using Operators / Why does an operator's poll fail?".
"""

from __future__ import annotations

import ast

from ..base import Family, Lint, Where
from ..model import Rule

CALLBACK_OPERATOR = Rule(
    "GD200",
    "operator-in-property-callback",
    "rna-callback-abuse",
    "WARNING",
    "A property update/get/set callback calls an operator (slow, breaks undo, can loop forever)",
    "change the data directly in the callback, or run the operator later from bpy.app.timers",
)
OVERRIDE_DICT = Rule(
    "GD201",
    "context-override-dict",
    "operator-poll",
    "ERROR",
    "An operator is called with a context dict as first argument; Blender 4.0 removed that override",
    "with context.temp_override(area=area, region=region): bpy.ops.x.y()",
)
OPERATOR_IN_DRAW = Rule(
    "GD202",
    "operator-in-draw",
    "operator-poll",
    "ERROR",
    "An operator is called from UI draw code; drawing must not run operators or change data",
    'draw a button instead: layout.operator("x.y")',
)
EDITOR_OPERATOR = Rule(
    "GD203",
    "editor-operator-without-context",
    "operator-poll",
    "WARNING",
    "An editor operator is called outside that editor with no temp_override or poll() check; poll fails",
    "check bpy.ops.x.y.poll() first, or call it inside context.temp_override(area=..., region=...)",
)
# Operator groups that only run inside their own editor (poll checks the area type).
EDITOR_GROUPS = frozenset(
    {
        "view3d",
        "image",
        "uv",
        "node",
        "graph",
        "action",
        "nla",
        "sequencer",
        "clip",
        "text",
        "console",
        "outliner",
        "file",
        "info",
        "buttons",
        "view2d",
    }
)

# Operators of those groups whose poll passes with no editor at all (packing, opening files, new node groups...):
# every shipped poll knowledge base (poll_kb/) saw them pass in the default context, which has no area. Kept
# equal to the knowledge bases by tests/unit/test_poll_kb.py.
CONTEXT_FREE_OPERATORS = frozenset(
    {
        "buttons.directory_browse",
        "buttons.file_browse",
        "clip.camera_preset_add",
        "clip.constraint_to_fcurve",
        "clip.open",
        "clip.reload",
        "clip.track_color_preset_add",
        "clip.tracking_settings_preset_add",
        "file.autopack_toggle",
        "file.external_operation",
        "file.find_missing_files",
        "file.make_paths_absolute",
        "file.make_paths_relative",
        "file.pack_all",
        "file.pack_libraries",
        "file.report_missing_files",
        "file.unpack_all",
        "file.unpack_item",
        "file.unpack_libraries",
        "image.external_edit",
        "image.import_as_mesh_planes",
        "image.match_movie_length",
        "image.new",
        "image.open",
        "image.project_apply",
        "image.project_edit",
        "image.reload",
        "info.reports_display_update",
        "nla.bake",
        "node.duplicate_compositing_modifier_node_group",
        "node.duplicate_compositing_node_group",
        "node.new_compositing_node_group",
        "node.new_compositor_sequencer_node_group",
        "node.new_geometry_node_group_assign",
        "node.new_geometry_nodes_modifier",
        "node.new_node_tree",
        "node.node_color_preset_add",
        "outliner.orphans_manage",
        "outliner.orphans_purge",
        "sequencer.text_strip_style_preset_add",
        "text.jump_to_file_at_point",
        "text.new",
        "text.open",
        "uv.export_layout",
        "uv.lightmap_pack",
        "view3d.bone_select_menu",
        "view3d.camera_to_view_selected",
        "view3d.copybuffer",
        "view3d.drop_world",
        "view3d.interactive_add",
        "view3d.pastebuffer",
        "view3d.select_menu",
        "view3d.toggle_matcap_flip",
    }
)


def _is_context_dict(lint: Lint, where: Where, node: ast.AST, seen: frozenset[int] = frozenset()) -> bool:
    if isinstance(node, ast.Dict):
        return True
    if isinstance(node, ast.Call):
        key = lint.facts.canonical(node.func) or ""
        if key.endswith("context.copy") or key == "dict":
            return True
        # A helper of this module (or a method, self.helper()) that returns a dict: the override, built elsewhere.
        helper = lint.facts.function_for_name(node.func)
        if helper is None or id(helper) in seen:
            return False
        inside = Where(function=helper)
        return any(
            isinstance(sub, ast.Return)
            and sub.value is not None
            and _is_context_dict(lint, inside, sub.value, seen | {id(helper)})
            for sub in ast.walk(helper)
        )
    if isinstance(node, ast.Name) and where.function is not None:
        for sub in ast.walk(where.function):
            if isinstance(sub, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in sub.targets):
                return _is_context_dict(lint, Where(), sub.value, seen)
    return False


class CallbacksFamily(Family):
    name = "callbacks"
    rules = (CALLBACK_OPERATOR, OVERRIDE_DICT, OPERATOR_IN_DRAW, EDITOR_OPERATOR)

    def on_call(self, lint: Lint, where: Where, call: ast.Call, key: str) -> None:
        if not key.startswith("bpy.ops.") or key.count(".") != 3:
            return
        group = key.split(".")[2]
        if call.args and _is_context_dict(lint, where, call.args[0]):
            if where.old_blender:
                return  # the older Blender's way, in a branch only a Blender before 4.0 runs
            removed = lint.target >= (4, 0)
            lint.report(
                OVERRIDE_DICT,
                call.args[0],
                f"{key}() gets a context dict as first argument; "
                + (
                    "Blender 4.0 removed this override, so it raises TypeError. "
                    if removed
                    else "deprecated since 3.2. "
                )
                + OVERRIDE_DICT.fix,
                severity=None if removed else "WARNING",
            )
            return
        function = where.function
        name = getattr(function, "name", None)
        if name in lint.facts.update_callbacks or any(function is lam for lam, _ in lint.facts.update_lambdas):
            kind = lint.facts.update_callbacks.get(name or "", ("update", 0))[0]
            lint.report(
                CALLBACK_OPERATOR,
                call,
                f"the property {kind} callback `{name or 'lambda'}` calls {key}(); {CALLBACK_OPERATOR.fix}",
            )
            return
        if name == "draw" or (name or "").startswith("draw_"):
            if where.cls is not None and where.cls.kind == "ui" or where.cls is None and _draw_function(lint, name):
                lint.report(OPERATOR_IN_DRAW, call, f"{key}() is called from draw code; {OPERATOR_IN_DRAW.fix}")
                return
        if group in EDITOR_GROUPS and not where.temp_override and not key.endswith(".poll"):
            idname = key[len("bpy.ops.") :]
            if idname in lint.facts.operator_idnames:
                return  # an operator of this module: its own poll is what counts, and it is right here
            if idname in CONTEXT_FREE_OPERATORS:
                return
            facts = lint.facts
            # Only where the context is known not to be that editor: script (module) level, timers, handlers,
            # threads. Functions called from operators and panels run in the editor the user clicked in.
            if function is not None and name not in facts.timers and name not in facts.handlers:
                if name not in facts.thread_targets:
                    return
            if function is not None and _checks_poll(function):
                return
            lint.report(
                EDITOR_OPERATOR,
                call,
                f"{key}() needs the {group} editor in the context; called from here its poll() fails "
                f'("context is incorrect"). {EDITOR_OPERATOR.fix}',
            )


def _draw_function(lint: Lint, name: str | None) -> bool:
    """A module function appended to a Blender menu/header (``bpy.types.X.append(draw_fn)``)."""
    if not name:
        return False
    for node in lint.facts.nodes:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"append", "prepend"}
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == name
            and (lint.facts.canonical(node.func) or "").startswith("bpy.types.")
        ):
            return True
    return False


def _checks_poll(function: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == "poll" for n in ast.walk(function))


FAMILY = CallbacksFamily()
