"""What the poll explainer reads from the user's context (read-only): the screen's areas, the active object, the
data a passing context's setup steps provide, and a passing context's requirements against all that."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import bpy

from ..core.poll import words
from ..core.poll.recipe import Recipe, ordered_steps


def editor_words(ui_type: str) -> str:
    """ "a Dope Sheet" for DOPESHEET; an editor this vocabulary does not know is named from its ui_type."""
    return words.EDITORS.get(ui_type, (ui_type, ui_type.replace("_", " ").title()))[1]


def editor_name(ui_type: str) -> str:
    """ "Dope Sheet" (without the article)."""
    return editor_words(ui_type).split(" ", 1)[-1]


def object_words(obj: Any) -> str:
    if obj is None:
        return "there is no active object"
    kind = obj.type.replace("_", " ").title().replace("Greasepencil", "Grease Pencil").replace("Font", "Text")
    return f'active is {kind} "{obj.name}" in {words.mode_words(obj.mode)}'


def active_object(context: Any) -> Any:
    return context.view_layer.objects.active if context.view_layer else None


def area_list(context: Any) -> list[Any]:
    screen = context.screen or (context.window.screen if context.window else None)
    return list(screen.areas) if screen else []


def editor_key(context: Any) -> str | None:
    """None for no area (the default context), "DOPESHEET", or "VIEW_3D:UI" for a region other than the main one."""
    if context.area is None:
        return None
    region = context.region.type if context.region is not None else "WINDOW"
    return context.area.ui_type + ("" if region == "WINDOW" else f":{region}")


def main_region(area: Any) -> Any:
    return next((region for region in area.regions if region.type == "WINDOW"), None)


def area_override(context: Any, area: Any) -> dict[str, Any] | None:
    """temp_override arguments for an area's main region, or None when the window or the region is missing."""
    window = context.window
    region = main_region(area)
    if window is None or region is None:
        return None
    return {"window": window, "screen": window.screen, "area": area, "region": region}


def _sequencer_scene(context: Any) -> Any:
    return getattr(context.workspace, "sequencer_scene", None) or context.scene


def _strips(editor: Any) -> Any:
    return editor.strips if hasattr(editor, "strips") else editor.sequences


def _has_strips(context: Any) -> bool:
    scene = _sequencer_scene(context)
    return bool(scene and scene.sequence_editor and len(_strips(scene.sequence_editor)))


# Setup step -> does this context already have what it provides? Only reads. Steps not listed are not compared.
_PRESENT: dict[str, Callable[[Any, Any], bool]] = {
    "keyframes": lambda context, obj: bool(obj and obj.animation_data and obj.animation_data.action),
    "driver": lambda context, obj: bool(obj and obj.animation_data and len(obj.animation_data.drivers)),
    "nla_strip": lambda context, obj: bool(obj and obj.animation_data and len(obj.animation_data.nla_tracks)),
    "shape_keys": lambda context, obj: bool(obj and getattr(obj.data, "shape_keys", None)),
    "vertex_group": lambda context, obj: bool(obj and len(obj.vertex_groups)),
    "modifier": lambda context, obj: bool(obj and len(obj.modifiers)),
    "constraint": lambda context, obj: bool(obj and len(obj.constraints)),
    "material": lambda context, obj: bool(obj and obj.active_material),
    "particle_system": lambda context, obj: bool(obj and len(getattr(obj, "particle_systems", ()))),
    "markers": lambda context, obj: any(marker.select for marker in context.scene.timeline_markers),
    "strips": lambda context, obj: _has_strips(context),
    "second_selected": lambda context, obj: len(context.selected_objects) >= 2,
    "rigid_body": lambda context, obj: bool(context.scene.rigidbody_world and obj and obj.rigid_body),
    "text": lambda context, obj: len(bpy.data.texts) > 0,
    "image": lambda context, obj: len(bpy.data.images) > 0,
    "movie_clip": lambda context, obj: len(bpy.data.movieclips) > 0,
    "mask": lambda context, obj: len(bpy.data.masks) > 0,
    "world": lambda context, obj: context.scene.world is not None,
    "saved_file": lambda context, obj: bool(bpy.data.filepath),
}


def step_present(step: str, context: Any) -> bool | None:
    """True/False when this context has what the step provides; None when that is not compared."""
    test = _PRESENT.get(step)
    return None if test is None else bool(test(context, active_object(context)))


def compare(recipe: Recipe, context: Any) -> tuple[list[str], list[str], str | None]:
    """(each requirement of the recipe in words, what this context has instead of the unmet ones, and when the
    editor is open in this window but the call runs elsewhere: that sentence)."""
    needs: list[str] = []
    have: list[str] = []
    elsewhere = None
    if recipe.ui_type:
        editor = editor_words(recipe.ui_type)
        region = "" if recipe.region == "WINDOW" else f" ({words.REGION_WORDS.get(recipe.region, recipe.region)})"
        needs.append(f"{editor}{region}")
        open_here = [area for area in area_list(context) if area.ui_type == recipe.ui_type]
        current = context.area
        if current is not None and current.ui_type == recipe.ui_type:
            if recipe.region != "WINDOW" and (context.region is None or context.region.type != recipe.region):
                have.append(f"the call runs in the {(context.region.type if context.region else 'no').lower()} region")
        elif open_here:
            where = f"runs in the {editor_name(current.ui_type)}" if current is not None else "has no area"
            if current is None:
                where += " (context.area is None)"
            elsewhere = f"this window has {editor} open, but the call {where}: pass that area to temp_override"
        else:
            have.append(f"this window has no {editor_name(recipe.ui_type)} open")
    steps = ordered_steps(recipe.setup)
    obj = active_object(context)
    object_steps = [step for step in steps if step.phase == "object"]
    if object_steps or recipe.mode != "OBJECT":
        kind = object_steps[0].needs if object_steps else "an active object"
        needs.append(kind + (f" in {words.mode_words(recipe.mode)}" if recipe.mode != "OBJECT" else ""))
        wanted_type = next((step.object_type for step in object_steps if step.object_type), None)
        type_ok = wanted_type is None or (obj is not None and obj.type == wanted_type)
        if recipe.mode == "OBJECT":
            mode_ok = obj is None or obj.mode == "OBJECT"
        else:
            mode_ok = obj is not None and obj.mode == recipe.mode
        if object_steps and object_steps[0].name == "no_active_object":
            type_ok, mode_ok = obj is None, True
        if not (type_ok and mode_ok):
            have.append(object_words(obj))
    for step in steps:
        if step.phase == "object":
            continue
        needs.append(step.needs)
        if step_present(step.name, context) is False:
            have.append(f"missing here: {step.needs}")
    return needs, have, elsewhere
