"""A scan changes nothing: not the dirty flag, not the datablocks, not the undo stack, not modes or selection."""

import bpy
from blender_scenes import (
    add_object,
    datablock_keys,
    enter_edit_mode,
    link_objects,
    rna_snapshot,
    save_as,
    triangle_mesh,
    write_library,
)


def build_busy_scene(tmp_path):
    library = write_library(tmp_path / "lib" / "props.blend", ["Lamp", "Chair"])
    save_as(tmp_path / "main.blend")
    link_objects(library, ["Lamp", "Chair"])
    add_object("Lamp", triangle_mesh("LampMesh"))  # name collision with the linked Lamp
    image = bpy.data.images.new("wood.png", 4, 4)
    image.filepath = "//textures/wood.png"  # missing on disk
    image.source = "FILE"
    material = bpy.data.materials.new("Wood")
    material.use_fake_user = True
    cube = add_object("Cube", triangle_mesh("CubeMesh"))
    add_object("Other", triangle_mesh("OtherMesh")).select_set(True)
    save_as(tmp_path / "main.blend")
    enter_edit_mode(cube)
    return cube


def test_scan_is_read_only(tmp_path, live_addon):
    build_busy_scene(tmp_path)
    # An installed extension that runs a thread and a timer and holds the Cube (global, class, handler, timer):
    # the session checks report it and still change nothing.
    bpy.context.view_layer.objects.active = bpy.data.objects["Cube"]
    bpy.ops.object.mode_set(mode="OBJECT")
    assert bpy.ops.live.remember() == {"FINISHED"}
    bpy.ops.object.mode_set(mode="EDIT")
    assert bpy.data.objects["Cube"].mode == "EDIT"
    before_snapshot = rna_snapshot()
    before_keys = datablock_keys()
    before_selected = {o.name for o in bpy.context.view_layer.objects if o.select_get()}
    before_active = bpy.context.view_layer.objects.active.name

    assert bpy.ops.gotcha.scan() == {"FINISHED"}
    assert len(bpy.context.window_manager.gotcha_doctor.findings) >= 1  # the scene does hold gotchas
    session_checks = {item.check for item in bpy.context.window_manager.gotcha_doctor.findings}
    assert {"threads", "held_references", "handlers_timers"} <= session_checks

    assert datablock_keys() == before_keys
    assert rna_snapshot() == before_snapshot
    # The snapshot does see a change when there is one (so the equality above means something):
    bpy.data.images["wood.png"].filepath = "//textures/oak.png"
    assert rna_snapshot() != before_snapshot
    assert bpy.data.objects["Cube"].mode == "EDIT"
    assert bpy.context.view_layer.objects.active.name == before_active
    assert {o.name for o in bpy.context.view_layer.objects if o.select_get()} == before_selected


def test_scan_pushes_no_undo_step(tmp_path):
    save_as(tmp_path / "main.blend")
    window = bpy.context.window_manager.windows[0]
    with bpy.context.temp_override(window=window, area=window.screen.areas[0]):
        bpy.ops.ed.undo_push(message="baseline")
        bpy.data.meshes.new("AddedBeforeScan")
        bpy.ops.ed.undo_push(message="add mesh")
        assert bpy.ops.gotcha.scan() == {"FINISHED"}
        # One undo must take back "add mesh". Had the scan pushed a step, it would only undo the scan.
        bpy.ops.ed.undo()
        assert "AddedBeforeScan" not in bpy.data.meshes
