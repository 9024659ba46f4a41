"""Code that expects Blender to update or redraw while a script runs: the redraw hack, UI context read back
too early, depsgraph-derived values read before an update.

Gotchas: "Can I redraw during script execution?", "No updates after changing UI context",
"Stale Data / No updates after setting values".
"""

from __future__ import annotations

import ast
import re

from ..astutil import dotted_raw
from ..base import Family, Lint, Where
from ..flow import FlowHook, FunctionFlow, State
from ..model import Rule

REDRAW_HACK = Rule(
    "GD130",
    "redraw-timer-hack",
    "redraw-hack",
    "WARNING",
    "bpy.ops.wm.redraw_timer() forces a redraw from a script (unsupported hack)",
    "write a modal operator with a timer (or bpy.app.timers) and report progress from it",
)
STALE_UI = Rule(
    "GD131",
    "ui-context-read-back",
    "stale-ui-context",
    "WARNING",
    "A UI context change (window.workspace/screen) is read back in the same script run; it applies later",
    "run the code that needs the new workspace/screen later (bpy.app.timers.register or a modal operator)",
)
STALE_DEPSGRAPH = Rule(
    "GD132",
    "matrix-read-before-update",
    "stale-depsgraph",
    "WARNING",
    "matrix_world is read after a transform/parent change without an update; it still holds the old value",
    "call context.view_layer.update() after changing transforms and before reading matrix_world",
)

TRANSFORMS = frozenset(
    {
        "location",
        "rotation_euler",
        "rotation_quaternion",
        "rotation_axis_angle",
        "scale",
        "parent",
        "matrix_parent_inverse",
        "matrix_basis",
        "matrix_local",
        "delta_location",
        "delta_rotation_euler",
        "delta_rotation_quaternion",
        "delta_scale",
    }
)
DEFERRED_UI = frozenset({"workspace", "screen"})


def _transform_stored(target: ast.Attribute | ast.Subscript) -> tuple[str, str] | None:
    """(the object, the transform) a store changes, as written: ``("ob", "location")`` for ``ob.location.x = 1``
    and ``ob.location[0] = 1``, ``bpy.context.object`` in ``bpy.context.object.location = ...``. None when what is
    written is not a transform or a component of one: ``ob.parent.my_props.value = 1`` changes no transform."""
    node: ast.AST = target
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            if node.attr in TRANSFORMS:
                owner = dotted_raw(node.value)
                return (owner, node.attr) if owner is not None else None
            if not _COMPONENT.fullmatch(node.attr):
                return None
        node = node.value
    return None


# A vector's or quaternion's components, swizzles included (``location.x``, ``scale.xy``, ``rotation_quaternion.w``).
_COMPONENT = re.compile("[xyzw]{1,4}")


class UiHook(FlowHook):
    def on_store(
        self, flow: FunctionFlow, state: State, target: ast.Attribute | ast.Subscript, key: str, value: ast.AST | None
    ) -> None:
        parts = key.replace("[]", "").split(".")
        stored = _transform_stored(target)
        if stored is not None and not key.startswith("self."):
            # Kept per object, by its name in the source: another object's matrix_world is not made stale by this
            # one moving (unless it is a child: not known here, and not reported).
            owner, transform = stored
            state.flags.setdefault(f"transform:{owner}", (target.lineno, transform))
        elif parts[-1] == "matrix_world" and isinstance(target, ast.Attribute):
            # Setting matrix_world sets what reading it gives back: fresh again.
            written = dotted_raw(target.value)
            if written is not None:
                state.flags.pop(f"transform:{written}", None)
        if parts[-1] in DEFERRED_UI and "window" in parts[:-1]:
            state.flags["ui-change"] = (target.lineno, ".".join(parts[-2:]))

    def on_call(self, flow: FunctionFlow, state: State, call: ast.Call, key: str) -> None:
        tail = key.rsplit(".", 1)[-1]
        if (tail == "update" and ("view_layer" in key or "depsgraph" in key)) or tail in {
            "evaluated_depsgraph_get",
            "frame_set",
            "update_tag",
        }:
            for flag in [flag for flag in state.flags if flag.startswith("transform:")]:
                del state.flags[flag]

    def on_load(self, flow: FunctionFlow, state: State, node: ast.Attribute | ast.Subscript, key: str) -> None:
        if not isinstance(node, ast.Attribute):
            return
        changed = state.flags.get(f"transform:{dotted_raw(node.value)}") if node.attr == "matrix_world" else None
        if changed is not None:
            line, what = changed
            flow.report(
                STALE_DEPSGRAPH,
                node,
                f"matrix_world is read after `{what}` was set at line {line} without an update; {STALE_DEPSGRAPH.fix}",
                set_line=line,
            )
        elif node.attr in DEFERRED_UI and "ui-change" in state.flags:
            line, what = state.flags["ui-change"]
            flow.report(
                STALE_UI,
                node,
                f"`{node.attr}` is read after `{what}` was set at line {line}; the change only applies after "
                f"the script returns, so this still reads the old one. {STALE_UI.fix}",
                set_line=line,
            )


class UiFamily(Family):
    name = "ui"
    rules = (REDRAW_HACK, STALE_UI, STALE_DEPSGRAPH)

    def flow_hook(self, lint: Lint) -> FlowHook | None:
        return UiHook()

    def on_call(self, lint: Lint, where: Where, call: ast.Call, key: str) -> None:
        if key == "bpy.ops.wm.redraw_timer":
            lint.report(
                REDRAW_HACK, call, f"bpy.ops.wm.redraw_timer() is an unsupported redraw hack; {REDRAW_HACK.fix}"
            )

    def on_module(self, lint: Lint) -> None:
        """``bpy.ops.wm.redraw_timer`` kept in a name or an attribute to be called later (``hack = ...``)."""
        called = {id(node.func) for node in lint.facts.nodes if isinstance(node, ast.Call)}
        for node in lint.facts.nodes:
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "redraw_timer"
                and id(node) not in called
                and lint.facts.canonical(node) == "bpy.ops.wm.redraw_timer"
            ):
                lint.report(
                    REDRAW_HACK,
                    node,
                    f"bpy.ops.wm.redraw_timer is kept to be called later: the same unsupported redraw hack; "
                    f"{REDRAW_HACK.fix}",
                )


FAMILY = UiFamily()
