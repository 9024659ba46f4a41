"""The modal scan's tick logic, driven directly (the bpy module has no event loop to send timer events)."""

import bpy
from blender_scenes import linked_twins


def collisions(tmp_path, count):
    return linked_twins(tmp_path, [f"Rock_{i:04d}" for i in range(count)])


def test_ticks_advance_progress_store_findings_as_they_come_and_finish(tmp_path, gd):
    names = collisions(tmp_path, 2000)
    bpy.context.evaluated_depsgraph_get()  # the set-up's own pending update, before the scan
    state = bpy.context.window_manager.gotcha_doctor
    scan = gd.runner.ModalScan(state, ["library_name_collisions"])
    assert state.is_running and state.progress == 0.0
    seen = []
    while (outcome := scan.tick(state, 0.0005)) == "running":
        seen.append((state.progress, len(state.findings)))
        assert state.is_running and state.status == "Scanning: Library name collisions"
        # What the event loop does between two ticks: listing findings must never look like an edit of the file
        # (that would restart the running check every tick).
        bpy.context.evaluated_depsgraph_get()
    assert outcome == "finished" and scan.restarts == 0
    assert len(seen) >= 3
    assert [p for p, _ in seen] == sorted(p for p, _ in seen) and seen[0][0] < 1.0
    assert not state.is_running and state.progress == 1.0 and not state.cancelled
    assert sorted(f.id_name for f in state.findings) == names
    assert state.status == "0 errors, 2000 warnings, 0 info"


def test_cancel_keeps_partial_findings_marked_cancelled(tmp_path, gd):
    collisions(tmp_path, 2000)
    state = bpy.context.window_manager.gotcha_doctor
    scan = gd.runner.ModalScan(state, ["library_name_collisions"])
    # The running check's findings are listed while it runs, in the tick that found them.
    while not (len(scan.engine.pending) >= 10 and len(state.findings) == len(scan.engine.pending)):
        assert scan.tick(state, 0.0005) == "running"
    assert scan.engine.index == 0  # still inside the first (only) check
    scan.cancel(state)
    assert state.cancelled and not state.is_running
    assert 10 <= len(state.findings) < 2000
    assert state.status.startswith("Cancelled: partial results, ")


def test_an_edit_between_ticks_restarts_the_running_check_and_results_are_still_exact(tmp_path, gd):
    names = collisions(tmp_path, 1500)
    state = bpy.context.window_manager.gotcha_doctor
    scan = gd.runner.ModalScan(state, ["library_name_collisions"])
    while not scan.engine.pending:
        assert scan.tick(state, 0.0005) == "running"
    assert len(state.findings) > 0
    # A real edit between ticks: remove one local twin; the depsgraph update fires Blender's handler.
    bpy.data.objects.remove(bpy.data.objects[names[0], None])
    bpy.context.view_layer.update()
    while scan.tick(state, 0.0005) == "running":
        pass
    assert scan.restarts == 1
    assert sorted(f.id_name for f in state.findings) == names[1:]


def test_loading_another_file_between_ticks_stops_the_scan(tmp_path, gd):
    collisions(tmp_path, 1500)
    state = bpy.context.window_manager.gotcha_doctor
    scan = gd.runner.ModalScan(state, ["library_name_collisions"])
    assert scan.tick(state, 0.0005) == "running"
    bpy.ops.wm.read_homefile(use_empty=True)
    state = bpy.context.window_manager.gotcha_doctor  # a new window manager came with the new file
    assert scan.tick(state, 0.0005) == "file-loaded"
    assert state.cancelled and not state.is_running
