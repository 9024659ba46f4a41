"""Preferences (``bl_idname = __package__``): which checks are enabled, and the modal scan's time budget."""

from __future__ import annotations

import textwrap
from typing import Any

import bpy
from bpy.props import BoolProperty, FloatProperty, StringProperty

from .checks import ALL_CHECKS
from .core import bmesh_fastread


def _enabled_prop_name(check_id: str) -> str:
    return f"enable_{check_id}"


def _annotations() -> dict[str, Any]:
    # One toggle per registered check, generated from the explicit registry so a new check gets its switch.
    toggles: dict[str, Any] = {
        _enabled_prop_name(module.INFO.id): BoolProperty(
            name=module.INFO.title, description=module.INFO.description, default=True
        )
        for module in ALL_CHECKS
    }
    toggles["time_budget_ms"] = FloatProperty(
        name="Modal Time Budget (ms)",
        description="Least work done per timer tick of the interactive scan; each tick works more when the window's "
        "event loop is slow (up to 100 ms), so the scan keeps pace with it",
        default=8.0,
        min=1.0,
        max=100.0,
    )
    toggles["project_root"] = StringProperty(
        name="Project Root",
        description="Folder that holds the whole project, for the path checks (empty: the nearest folder above "
        "the .blend holding .git, .hg, .svn or blender_assets.cats.txt, else the .blend's own folder)",
        subtype="DIR_PATH",
    )
    return toggles


class GotchaDoctorPreferences(bpy.types.AddonPreferences):
    bl_idname = __package__
    __annotations__ = _annotations()

    def draw(self, context: Any) -> None:
        layout = self.layout
        if not bmesh_fastread.numpy_available():
            column = layout.box().column(align=True)
            for number, line in enumerate(textwrap.wrap(bmesh_fastread.NO_NUMPY_NOTE, 90)):
                column.label(text=line, icon="INFO" if number == 0 else "BLANK1")
        layout.prop(self, "time_budget_ms")
        layout.prop(self, "project_root")
        box = layout.box()
        box.label(text="Enabled checks")
        for module in ALL_CHECKS:
            row = box.row()
            row.prop(self, _enabled_prop_name(module.INFO.id))
            row.label(text=module.INFO.topic)


def get(context: Any = None) -> GotchaDoctorPreferences | None:
    addon = (context or bpy.context).preferences.addons.get(__package__)
    return None if addon is None else addon.preferences


def enabled_check_ids(context: Any = None) -> list[str]:
    prefs = get(context)
    return [
        module.INFO.id
        for module in ALL_CHECKS
        if prefs is None or getattr(prefs, _enabled_prop_name(module.INFO.id), True)
    ]


def project_root_setting(context: Any = None) -> str:
    """The Project Root preference as typed ("" when unset, or when the extension's preferences are not registered)."""
    return str(getattr(get(context), "project_root", "") or "")


def time_budget_s(context: Any = None) -> float:
    prefs = get(context)
    return float(getattr(prefs, "time_budget_ms", 8.0)) / 1000.0
