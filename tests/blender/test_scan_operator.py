"""gotcha.scan: check selection, bad input, INVOKE without an event loop, a raising check contained."""

import bpy
import pytest
from blender_scenes import linked_twins


def collision_scene(tmp_path):
    linked_twins(tmp_path, ["Oak"])


def test_unknown_check_is_a_clear_error(gd):
    with pytest.raises(RuntimeError, match=r"Unknown check 'nope'; known checks: .*library_name_collisions"):
        bpy.ops.gotcha.scan(checks="nope")


def test_invoke_without_event_loop_runs_synchronously(tmp_path):
    collision_scene(tmp_path)
    assert bpy.ops.gotcha.scan("INVOKE_DEFAULT", checks="library_name_collisions") == {"FINISHED"}
    state = bpy.context.window_manager.gotcha_doctor
    assert not state.is_running and state.progress == 1.0 and not state.cancelled
    assert [f.id_name for f in state.findings] == ["Oak"]


def test_checks_argument_limits_the_scan(tmp_path, gd):
    collision_scene(tmp_path)
    first, *others = [m.INFO.id for m in gd.checks.ALL_CHECKS]
    bpy.ops.gotcha.scan(checks=first)
    state = bpy.context.window_manager.gotcha_doctor
    assert state.checks_run == first
    assert {f.check for f in state.findings} <= {first}


def _raising_run(data, context):
    yield from ()
    raise ZeroDivisionError("boom in a check")


def test_a_raising_check_becomes_one_error_finding_and_the_others_still_run(tmp_path, gd, monkeypatch):
    collision_scene(tmp_path)
    import types

    broken = types.SimpleNamespace(
        INFO=gd.core.findings.CheckInfo("broken_check", "stale-reference", "Broken check", "always raises", "WARNING"),
        run=_raising_run,
    )
    monkeypatch.setattr(gd.checks, "ALL_CHECKS", (broken, *gd.checks.ALL_CHECKS))
    assert bpy.ops.gotcha.scan(checks="broken_check,library_name_collisions") == {"FINISHED"}
    found = list(bpy.context.window_manager.gotcha_doctor.findings)
    failed = [f for f in found if f.check == "broken_check"]
    assert len(failed) == 1
    assert (failed[0].severity, failed[0].topic) == ("ERROR", "stale-reference")
    assert "ZeroDivisionError: boom in a check" in failed[0].message
    assert [f.id_name for f in found if f.check == "library_name_collisions"] == ["Oak"]
