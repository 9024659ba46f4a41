"""The path fixes on real files: each changes exactly the stored path, reports what it did, and is undoable."""

from __future__ import annotations

import dataclasses
import os
import warnings
from pathlib import Path

import bpy
import pytest
from blender_scenes import add_object, extension, file_image, listed_details, save_as, touch, triangle_mesh


def scan_index(check: str, id_name: str, kind: str) -> int:
    assert bpy.ops.gotcha.scan(checks=check) == {"FINISHED"}
    for index, item in enumerate(bpy.context.window_manager.gotcha_doctor.findings):
        if item.id_name == id_name and listed_details(item)["kind"] == kind:
            return index
    raise AssertionError(f"no {kind} finding for {id_name}")


@pytest.fixture
def undo_window():
    """Undo needs a window context and an initial step in the bpy module."""
    window = bpy.context.window_manager.windows[0]
    with bpy.context.temp_override(window=window, area=window.screen.areas[0]):
        bpy.ops.ed.undo_push(message="baseline")
        yield


def undoable(operator, **kwargs) -> set[str]:
    """Run a fix and push its undo step the way Blender does after an UNDO operator.

    (In the bpy module, bpy.ops.x("EXEC_DEFAULT", True) on a REGISTER+UNDO Python operator segfaults 4.2 and 5.0,
    so the step the window manager would push is pushed here, under the operator's label.)
    """
    result = operator(**kwargs)
    if result == {"FINISHED"}:
        bpy.ops.ed.undo_push(message=operator.get_rna_type().name)
    return result


def test_make_relative_then_undo(tmp_path: Path, undo_window, capsys):
    shared = touch(tmp_path / "shared" / "ok.png")
    save_as(tmp_path / "proj" / "main.blend")
    file_image("abs", str(shared))
    bpy.ops.ed.undo_push(message="image added")
    index = scan_index("relative_paths", "abs", "outside_project")
    assert undoable(bpy.ops.gotcha.path_make_relative, finding_index=index) == {"FINISHED"}
    assert bpy.data.images["abs"].filepath == "//../shared/ok.png"
    assert bpy.data.images["abs"].filepath_from_user() == str(shared)
    assert f"{shared} -> //../shared/ok.png" in capsys.readouterr().out
    bpy.ops.ed.undo()
    assert bpy.data.images["abs"].filepath == str(shared)


def test_make_absolute_on_a_climbing_modifier_path_then_undo(tmp_path: Path, undo_window):
    project = tmp_path / "proj"
    touch(tmp_path / "cache" / "anim.pc2")
    save_as(project / "main.blend")
    obj = add_object("Cached", triangle_mesh("CachedMesh"))
    obj.modifiers.new("Mesh Cache", "MESH_CACHE").filepath = "//../cache/anim.pc2"
    bpy.ops.ed.undo_push(message="modifier added")
    index = scan_index("relative_paths", "Cached", "climbs_above_root")
    assert undoable(bpy.ops.gotcha.path_make_absolute, finding_index=index) == {"FINISHED"}
    assert bpy.data.objects["Cached"].modifiers["Mesh Cache"].filepath == str(tmp_path / "cache" / "anim.pc2")
    bpy.ops.ed.undo()
    assert bpy.data.objects["Cached"].modifiers["Mesh Cache"].filepath == "//../cache/anim.pc2"


def test_repoint_reports_what_it_found_first_and_picks_the_best_match(tmp_path: Path, undo_window, capsys):
    save_as(tmp_path / "proj" / "main.blend")
    file_image("wood", "//textures/wood/wood.png")
    touch(tmp_path / "search" / "old" / "wood.png")
    best = touch(tmp_path / "search" / "textures" / "wood" / "wood.png")
    bpy.ops.ed.undo_push(message="image added")
    index = scan_index("relative_paths", "wood", "missing")
    item = bpy.context.window_manager.gotcha_doctor.findings[index]
    assert item.fixes == "path_repoint"

    assert bpy.ops.gotcha.path_repoint(finding_index=index, directory=str(tmp_path / "search"), dry_run=True) == {
        "FINISHED"
    }
    out = capsys.readouterr().out
    assert "Found 2 file(s) named wood.png" in out and f"Would use {best}" in out
    assert bpy.data.images["wood"].filepath == "//textures/wood/wood.png"  # only reported

    assert undoable(bpy.ops.gotcha.path_repoint, finding_index=index, directory=str(tmp_path / "search")) == {
        "FINISHED"
    }
    assert bpy.data.images["wood"].filepath == "//../search/textures/wood/wood.png"  # stays relative
    assert bpy.data.images["wood"].filepath_from_user() == str(best)
    bpy.ops.ed.undo()
    assert bpy.data.images["wood"].filepath == "//textures/wood/wood.png"


def test_repoint_with_nothing_found_changes_nothing(tmp_path: Path):
    save_as(tmp_path / "main.blend")
    file_image("wood", "//wood.png")
    (tmp_path / "empty").mkdir()
    index = scan_index("relative_paths", "wood", "missing")
    assert bpy.ops.gotcha.path_repoint(finding_index=index, directory=str(tmp_path / "empty")) == {"CANCELLED"}
    assert bpy.data.images["wood"].filepath == "//wood.png"
    with pytest.raises(RuntimeError, match="Pick an existing directory"):
        bpy.ops.gotcha.path_repoint(finding_index=index, directory=str(tmp_path / "nope"))


def test_reencode_only_when_a_file_exists_under_the_new_name(tmp_path: Path, undo_window, capsys):
    bad = os.fsdecode(b"//tex/caf\xe9.png")
    save_as(tmp_path / "main.blend")
    file_image("cafe", bad)
    bpy.ops.ed.undo_push(message="image added")
    index = scan_index("non_utf8_paths", "cafe", "non_utf8")
    # No file under a UTF-8 name yet: nothing changes, and it says why.
    assert bpy.ops.gotcha.path_reencode(finding_index=index) == {"CANCELLED"}
    assert bpy.data.images["cafe"].filepath == bad
    assert "rename the file on disk first" in capsys.readouterr().out
    # The user renamed the file to "café.png": the fix now points there.
    touch(tmp_path / "tex" / "café.png")
    assert undoable(bpy.ops.gotcha.path_reencode, finding_index=index) == {"FINISHED"}
    assert bpy.data.images["cafe"].filepath == "//tex/café.png"
    assert "//tex/caf\\xe9.png -> //tex/café.png" in capsys.readouterr().out
    bpy.ops.ed.undo()
    assert bpy.data.images["cafe"].filepath == bad


def test_reencode_to_a_name_the_user_gives(tmp_path: Path):
    save_as(tmp_path / "main.blend")
    file_image("cafe", os.fsdecode(b"//caf\xe9.png"))
    touch(tmp_path / "cafe_renamed.png")
    index = scan_index("non_utf8_paths", "cafe", "non_utf8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert bpy.ops.gotcha.path_reencode(finding_index=index, new_path="//cafe_renamed.png") == {"FINISHED"}
    assert bpy.data.images["cafe"].filepath == "//cafe_renamed.png"
    # 4.5+ warns at a `//` value of a path property that does not declare PATH_SUPPORTS_BLEND_RELATIVE (4.4 and
    # older have no such option and no such warning): the property declares it where it exists.
    assert [str(w.message) for w in caught if "//" in str(w.message)] == []


def test_fixes_refuse_stale_findings_and_linked_data(tmp_path: Path):
    save_as(tmp_path / "main.blend")
    file_image("abs", "/elsewhere/x.png")
    index = scan_index("relative_paths", "abs", "outside_project")
    bpy.data.images["abs"].filepath = "//changed.png"
    with pytest.raises(RuntimeError, match="changed since the scan"):
        bpy.ops.gotcha.path_make_relative(finding_index=index)
    bpy.data.images.remove(bpy.data.images["abs"])
    with pytest.raises(RuntimeError, match="no longer exists"):
        bpy.ops.gotcha.path_make_relative(finding_index=index)
    with pytest.raises(RuntimeError, match="No finding number 99"):
        bpy.ops.gotcha.path_make_absolute(finding_index=99)
    state = bpy.context.window_manager.gotcha_doctor
    properties = extension().properties
    linked = dataclasses.replace(properties.finding_of(state.findings[index]), library="//lib.blend")
    properties.add_finding(state, linked)  # the same finding, as if about linked data
    with pytest.raises(RuntimeError, match="linked"):
        bpy.ops.gotcha.path_make_relative(finding_index=len(state.findings) - 1)


def test_every_fix_operator_is_findable_and_undoable(gd):
    for cls in gd.operators.path_fixes.classes:
        assert cls.bl_label.startswith("Gotcha Doctor: ") and cls.bl_description
        assert cls.bl_options == {"REGISTER", "UNDO"}
        operator = getattr(bpy.ops.gotcha, cls.bl_idname.split(".")[1])
        assert "finding_index" in operator.get_rna_type().properties.keys()
