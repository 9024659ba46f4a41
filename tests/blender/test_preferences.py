"""Preferences decide which checks a plain scan runs; naming a check runs it anyway."""

import bpy
from blender_scenes import linked_twins


def test_a_disabled_check_is_skipped_unless_asked_for(tmp_path, gd):
    linked_twins(tmp_path, ["Oak"])
    prefs = gd.preferences.get()
    assert prefs is not None and type(prefs).bl_idname == gd.__name__
    state = bpy.context.window_manager.gotcha_doctor
    try:
        prefs.enable_library_name_collisions = False
        bpy.ops.gotcha.scan()
        assert "library_name_collisions" not in state.checks_run.split(",")
        assert [f for f in state.findings if f.check == "library_name_collisions"] == []
        bpy.ops.gotcha.scan(checks="library_name_collisions")
        assert [f.id_name for f in state.findings] == ["Oak"]
    finally:
        prefs.enable_library_name_collisions = True


def test_time_budget_comes_from_preferences(gd):
    prefs = gd.preferences.get()
    old = prefs.time_budget_ms
    try:
        prefs.time_budget_ms = 20.0
        assert gd.preferences.time_budget_s() == 0.02
    finally:
        prefs.time_budget_ms = old
