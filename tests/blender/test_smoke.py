import bpy


def test_scan_on_empty_file_finishes_with_no_findings(gd):
    assert bpy.ops.gotcha.scan() == {"FINISHED"}
    state = bpy.context.window_manager.gotcha_doctor
    assert len(state.findings) == 0
    assert state.has_scanned and not state.is_running and state.progress == 1.0
