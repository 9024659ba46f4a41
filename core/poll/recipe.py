"""A recipe: a context in which an operator's ``poll()`` can be tried, and the snippet that builds it (Blender-free).

A recipe is an editor (``ui_type`` plus the region), an object mode and a list of named setup steps (steps.py).
The knowledge-base sweep, the child probe and ``verify`` build a recipe by running exactly the text
``build_setup_code`` makes, so a recipe recorded as passing is the snippet the user gets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .steps import PHASE_ORDER, STEPS, Step
from .words import EDITORS, REGION_WORDS, mode_words


@dataclass(frozen=True)
class Recipe:
    """A context to try ``poll()`` in. ui_type None means no editor (the window only, like a background script)."""

    ui_type: str | None = None
    region: str = "WINDOW"
    mode: str = "OBJECT"
    setup: tuple[str, ...] = field(default_factory=tuple)

    @property
    def area(self) -> str | None:
        return EDITORS[self.ui_type][0] if self.ui_type else None

    def key(self) -> str:
        return f"{self.ui_type or '-'}|{self.region}|{self.mode}|{','.join(self.setup)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "ui_type": self.ui_type,
            "region": self.region if self.ui_type else None,
            "mode": self.mode,
            "setup": list(self.setup),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recipe:
        return cls(
            data.get("ui_type"),
            data.get("region") or "WINDOW",
            data.get("mode") or "OBJECT",
            tuple(data.get("setup") or ()),
        )

    def without(self, step: str) -> Recipe:
        return Recipe(self.ui_type, self.region, self.mode, tuple(s for s in self.setup if s != step))


def ordered_steps(setup: tuple[str, ...] | list[str]) -> list[Step]:
    unknown = [name for name in setup if name not in STEPS]
    if unknown:
        raise KeyError(f"unknown setup step(s): {', '.join(unknown)}")
    return sorted((STEPS[name] for name in setup), key=lambda step: PHASE_ORDER[step.phase])


def build_setup_code(recipe: Recipe, *, active_type: str | None = None, editors: Sequence[str] = ()) -> str:
    """The lines that build the recipe's context and leave ``override`` (a dict for temp_override).

    A snippet uses what the session has before it adds anything: ``active_type`` is the type of the session's active
    object (a step that adds an object of that type is then left out: the active one is used); ``editors`` are
    editors (ui_type) of the user's window where the poll was seen to pass, looked for before the recipe's own (only
    for a recipe that needs the editor's main region as it is). Without them the code is the recipe's, as verified.
    """
    steps = ordered_steps(recipe.setup)
    lines = [
        "import bpy",
        "",
        "context = bpy.context",
        "scene = context.scene",
        "obj = context.view_layer.objects.active",
    ]
    for step in steps:
        if step.phase == "object":
            if step.object_type is not None and step.object_type == active_type:
                lines.append(f"# setup: {step.needs}: the active object is one already")
            else:
                lines += [f"# setup: {step.needs}", step.code]
    if any(step.phase == "object" for step in steps) or recipe.mode != "OBJECT":
        lines += ["if obj is not None and obj.mode != 'OBJECT':", "    bpy.ops.object.mode_set(mode='OBJECT')"]
    for step in steps:
        if step.phase == "data":
            lines += [f"# setup: {step.needs}", step.code]
    if recipe.mode != "OBJECT":
        lines += [f"# setup: {mode_words(recipe.mode)}", f"bpy.ops.object.mode_set(mode={recipe.mode!r})"]
    for step in steps:
        if step.phase == "after_mode":
            lines += [f"# setup: {step.needs}", step.code]
    lines += ["window = context.window or context.window_manager.windows[0]", "screen = window.screen"]
    if recipe.ui_type:
        words = EDITORS[recipe.ui_type][1]
        plain = recipe.region == "WINDOW" and not any(step.phase == "space" for step in steps)
        seen = [ui_type for ui_type in editors if ui_type != recipe.ui_type and ui_type in EDITORS] if plain else []
        if seen:
            where = ", ".join(EDITORS[ui_type][1] for ui_type in seen)
            wanted = (*seen, recipe.ui_type)
            lines += [
                f"# the editor: {where} (where its poll passed in your window), else {words}",
                f"area = next((a for a in screen.areas if a.ui_type in {wanted!r}), None)",
            ]
        else:
            lines += [
                f"# the editor: {words}",
                f"area = next((a for a in screen.areas if a.ui_type == {recipe.ui_type!r}), None)",
            ]
        lines += [
            "if area is None:  # none open: turn the largest area into one (set area.ui_type back later)",
            "    area = max(screen.areas, key=lambda a: a.width * a.height)",
            f"    area.ui_type = {recipe.ui_type!r}",
            "space = area.spaces.active",
            f"region = next(r for r in area.regions if r.type == {recipe.region!r})",
        ]
        for step in steps:
            if step.phase == "space":
                lines += [f"# setup: {step.needs}", step.code]
        lines.append("override = {'window': window, 'screen': screen, 'area': area, 'region': region}")
    else:
        lines.append("override = {'window': window, 'screen': screen}")
    for step in steps:
        if step.phase == "override":
            lines += [f"# context: {step.needs}", step.code]
    return "\n".join(lines) + "\n"


def build_snippet(
    idname: str,
    recipe: Recipe,
    *,
    poll_only: bool = False,
    active_type: str | None = None,
    editors: Sequence[str] = (),
) -> str:
    """Paste-ready code: the setup lines, then the call inside ``context.temp_override(**override)``
    (``active_type`` and ``editors``: what the session has, see :func:`build_setup_code`)."""
    call = f"bpy.ops.{idname}.poll()" if poll_only else f"bpy.ops.{idname}()"
    body = f"    print({call})" if poll_only else f"    {call}"
    setup = build_setup_code(recipe, active_type=active_type, editors=editors)
    return setup + "with context.temp_override(**override):\n" + body + "\n"


def recipe_needs(recipe: Recipe) -> list[str]:
    """The recipe's requirements in plain words, editor first."""
    needs: list[str] = []
    if recipe.ui_type:
        editor = EDITORS[recipe.ui_type][1]
        region = "" if recipe.region == "WINDOW" else f" ({REGION_WORDS.get(recipe.region, recipe.region)})"
        needs.append(editor + region)
    steps = ordered_steps(recipe.setup)
    object_steps = [step for step in steps if step.phase == "object"]
    if object_steps and recipe.mode != "OBJECT":
        needs.append(f"{object_steps[0].needs} in {mode_words(recipe.mode)}")
    else:
        needs += [step.needs for step in object_steps]
        if recipe.mode != "OBJECT":
            needs.append(f"the active object in {mode_words(recipe.mode)}")
    needs += [step.needs for step in steps if step.phase != "object"]
    return needs
