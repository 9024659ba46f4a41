"""Edit bones, bones and pose bones mixed up.

Gotcha: "Edit Bones, Pose Bones, Bone... Bones".
"""

from __future__ import annotations

import ast

from ..astutil import dotted_raw
from ..base import Family, Lint
from ..flow import FlowHook, FunctionFlow, State
from ..model import Rule

EDIT_BONES_OUTSIDE_EDIT = Rule(
    "GD170",
    "edit-bones-outside-edit-mode",
    "bone-data-kinds",
    "WARNING",
    "edit_bones is used but the code never enters Edit Mode; outside it edit_bones is empty",
    "switch the armature to Edit Mode first (bpy.ops.object.mode_set(mode='EDIT')), or use data.bones / pose.bones",
)
BONE_HEAD_WRITE = Rule(
    "GD171",
    "bone-head-tail-write",
    "bone-data-kinds",
    "ERROR",
    "Bone.head/tail (and PoseBone.head/tail) are read-only; only EditBone positions can be set",
    "set head/tail on arm.edit_bones[name] in Edit Mode",
)
POSE_ON_ARMATURE = Rule(
    "GD172",
    "pose-read-from-armature-data",
    "bone-data-kinds",
    "ERROR",
    "The pose is read from the armature data; it lives on the Object (obj.pose)",
    "use obj.pose.bones (the object), not obj.data.pose",
)
READ_ONLY = frozenset({"head", "tail", "head_local", "tail_local", "head_radius_local"})


class BoneHook(FlowHook):
    def on_store(
        self, flow: FunctionFlow, state: State, target: ast.Attribute | ast.Subscript, key: str, value: ast.AST | None
    ) -> None:
        if not isinstance(target, ast.Attribute) or target.attr not in READ_ONLY:
            return
        owner = flow.key_of(state, target.value) or ""
        root = owner.split(".", 1)[0].split("[", 1)[0]
        binding = next((b for b in state.bindings.values() if b.key.split(".", 1)[0] == root), None)
        container = (binding.container if binding is not None else None) or ""
        # an item of a `bones` collection: arm.bones["B"].head, or b.head for b taken from arm.bones
        via = owner if owner.endswith(".bones[]") else container if container.endswith(".bones") else ""
        if not via or owner.startswith("self."):
            return
        flow.report(
            BONE_HEAD_WRITE,
            target,
            f"`{dotted_raw(target)}` is read-only (a {'pose ' if 'pose' in via else ''}bone, not an edit bone); {BONE_HEAD_WRITE.fix}",
        )


_MODE_WORDS = frozenset({"mode_set", "editmode_toggle", "edit_object", "EDIT", "EDIT_ARMATURE", "mode"})


class BonesFamily(Family):
    name = "bones"
    rules = (EDIT_BONES_OUTSIDE_EDIT, BONE_HEAD_WRITE, POSE_ON_ARMATURE)

    def flow_hook(self, lint: Lint) -> FlowHook | None:
        return BoneHook()

    def on_module(self, lint: Lint) -> None:
        facts = lint.facts
        if "edit_bones" not in facts.attributes and "pose" not in facts.attributes:
            return
        first: ast.Attribute | None = None
        mode_aware = False
        handed = _handed_over(facts.nodes)
        for node in facts.nodes:
            if isinstance(node, ast.Attribute):
                if node.attr == "edit_bones" and first is None:
                    if not (isinstance(node.value, ast.Name) and node.value.id in handed):
                        first = node
                elif node.attr in _MODE_WORDS:
                    mode_aware = True
                elif node.attr == "pose" and (dotted_raw(node.value) or "").endswith(".data"):
                    lint.report(
                        POSE_ON_ARMATURE,
                        node,
                        f"`{dotted_raw(node)}`: armature data has no pose; {POSE_ON_ARMATURE.fix}",
                    )
            elif isinstance(node, ast.Constant) and node.value in _MODE_WORDS:
                mode_aware = True
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "poll":
                mode_aware = True
        if first is not None and not mode_aware:
            lint.report(
                EDIT_BONES_OUTSIDE_EDIT,
                first,
                f"`{dotted_raw(first)}` is used but this module never switches to (or checks for) Edit Mode; "
                f"outside Edit Mode edit_bones is empty. {EDIT_BONES_OUTSIDE_EDIT.fix}",
            )


def _handed_over(nodes: list[ast.AST]) -> set[str]:
    """Names bound by ``with helper(...) as name:``: data a context manager hands over, set up by it (a helper that
    enters Edit Mode and restores the mode on exit, ``with edit_mode(armature) as data:``), which this module cannot
    see."""
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.context_expr, ast.Call) and isinstance(item.optional_vars, ast.Name):
                    names.add(item.optional_vars.id)
    return names


FAMILY = BonesFamily()
