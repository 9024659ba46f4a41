"""Clicking a finding: objects become active and selected; images show in an Image Editor; gone data is said."""

import bpy
import pytest
from blender_scenes import add_object, link_objects, save_as, write_library


def scan_collision(tmp_path):
    library = write_library(tmp_path / "lib.blend", ["Oak"])
    save_as(tmp_path / "main.blend")
    link_objects(library, ["Oak"])
    add_object("Oak")
    other = add_object("Birch")
    other.select_set(True)
    bpy.context.view_layer.objects.active = other
    bpy.ops.gotcha.scan(checks="library_name_collisions")


def test_selecting_an_object_finding_makes_it_active_and_the_only_selection(tmp_path):
    scan_collision(tmp_path)
    assert bpy.ops.gotcha.select_finding(index=0) == {"FINISHED"}
    view_layer = bpy.context.view_layer
    assert view_layer.objects.active == bpy.data.objects["Oak", None]
    assert {o.name_full for o in view_layer.objects if o.select_get()} == {"Oak"}
    assert bpy.context.window_manager.gotcha_doctor.active_index == 0


def test_a_deleted_datablock_is_reported_not_crashed_on(tmp_path, capsys):
    scan_collision(tmp_path)
    bpy.data.objects.remove(bpy.data.objects["Oak", None])
    assert bpy.ops.gotcha.select_finding(index=0) == {"CANCELLED"}
    assert (
        'Object "Oak" no longer exists (renamed, deleted or reloaded since the scan); scan again'
        in capsys.readouterr().out
    )


def test_a_renamed_datablock_is_reported(tmp_path, capsys):
    scan_collision(tmp_path)
    bpy.data.objects["Oak", None].name = "Oak.renamed"
    assert bpy.ops.gotcha.select_finding(index=0) == {"CANCELLED"}
    assert "no longer exists" in capsys.readouterr().out


def test_out_of_range_index_is_a_clear_error(tmp_path):
    scan_collision(tmp_path)
    with pytest.raises(RuntimeError, match="No finding number 7; there are 1"):
        bpy.ops.gotcha.select_finding(index=7)


def test_image_finding_shows_in_an_open_image_editor(gd):
    state = bpy.context.window_manager.gotcha_doctor
    image = bpy.data.images.new("wood.png", 4, 4)
    gd.runner.begin(state, [])
    gd.properties.add_finding(state, gd.core.findings.Finding("c", "relative-path", "ERROR", "m", "IMAGE", "wood.png"))
    window = bpy.context.window_manager.windows[0]
    area = window.screen.areas[0]
    old_type = area.type
    area.type = "IMAGE_EDITOR"
    try:
        with bpy.context.temp_override(window=window, area=area, screen=window.screen):
            assert bpy.ops.gotcha.select_finding(index=0) == {"FINISHED"}
        assert area.spaces.active.image == image
    finally:
        area.type = old_type
