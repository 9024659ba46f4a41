"""Defects found by probing with hostile input: each test failed before its fix."""

from __future__ import annotations

import json
import os
from pathlib import Path

import bpy
import pytest
from blender_scenes import extension, file_image, linked_twins, save_as, touch

STATE = lambda: bpy.context.window_manager.gotcha_doctor  # noqa: E731 - read fresh each time


def index_of(kind: str, id_name: str) -> int:
    for index, item in enumerate(STATE().findings):
        if item.id_name == id_name and extension().properties.finding_details(item).get("kind") == kind:
            return index
    raise AssertionError(f"no {kind} finding for {id_name}")


def test_a_check_named_twice_runs_once(tmp_path: Path):
    save_as(tmp_path / "main.blend")
    file_image("wood", "//wood.png")
    assert bpy.ops.gotcha.scan(checks="relative_paths") == {"FINISHED"}
    once = [(f.check, f.id_name, f.message) for f in STATE().findings]
    assert len(once) == 1
    assert bpy.ops.gotcha.scan(checks="relative_paths, relative_paths,relative_paths") == {"FINISHED"}
    assert [(f.check, f.id_name, f.message) for f in STATE().findings] == once
    assert STATE().checks_run == "relative_paths"


def test_loading_a_file_with_load_ui_off_ends_a_running_scan(tmp_path: Path, gd):
    linked_twins(tmp_path, [f"Rock_{i:03d}" for i in range(300)])
    other = save_as(tmp_path / "other.blend")
    scan = gd.runner.ModalScan(STATE(), ["library_name_collisions"])
    assert scan.tick(STATE(), 0.0005) == "running" and STATE().is_running
    # The window manager (and the state in it) survives this load; the modal operator may never tick again.
    bpy.ops.wm.open_mainfile(filepath=str(other), load_ui=False)
    state = STATE()
    assert not state.is_running
    assert state.cancelled
    assert state.status.startswith("Stopped: another file was loaded during the scan")
    assert bpy.ops.gotcha.scan.poll() and bpy.ops.gotcha.clear_findings.poll()


def test_a_fix_refuses_a_finding_about_another_file(tmp_path: Path):
    # File X: an image whose file is missing (Find Missing File offered). File Y: an image of the same name and path.
    for name in ("x", "y"):
        bpy.ops.wm.read_homefile(use_empty=True)
        file_image("tex", "//tex.png")
        save_as(tmp_path / f"{name}.blend")
    touch(tmp_path / "search" / "tex.png")
    bpy.ops.wm.open_mainfile(filepath=str(tmp_path / "x.blend"))
    assert bpy.ops.gotcha.scan(checks="relative_paths") == {"FINISHED"}
    index = index_of("missing", "tex")
    bpy.ops.wm.open_mainfile(filepath=str(tmp_path / "y.blend"), load_ui=False)
    assert len(STATE().findings) == 1  # X's findings stay in the window manager
    with pytest.raises(RuntimeError) as refused:
        bpy.ops.gotcha.path_repoint(finding_index=index, directory=str(tmp_path / "search"))
    assert f"This finding is about {tmp_path / 'x.blend'} as it was when scanned, not the file open now" in str(
        refused.value
    )
    assert bpy.data.images["tex"].filepath == "//tex.png"


def test_a_fix_refuses_a_reloaded_file_even_under_the_same_name(tmp_path: Path):
    file_image("tex", "//tex.png")
    blend = save_as(tmp_path / "x.blend")
    touch(tmp_path / "search" / "tex.png")
    assert bpy.ops.gotcha.scan(checks="relative_paths") == {"FINISHED"}
    index = index_of("missing", "tex")
    bpy.ops.wm.open_mainfile(filepath=str(blend), load_ui=False)  # File › Revert, or reopened
    with pytest.raises(RuntimeError, match="not the file open now"):
        bpy.ops.gotcha.path_repoint(finding_index=index, directory=str(tmp_path / "search"))
    assert bpy.data.images["tex"].filepath == "//tex.png"
    assert bpy.ops.gotcha.scan(checks="relative_paths") == {"FINISHED"}  # scanned again: now it may
    assert bpy.ops.gotcha.path_repoint(finding_index=index, directory=str(tmp_path / "search")) == {"FINISHED"}
    assert bpy.data.images["tex"].filepath == "//search/tex.png"


def test_a_fix_refuses_a_finding_that_does_not_offer_it(tmp_path: Path):
    save_as(tmp_path / "proj" / "main.blend")
    file_image("win", "C:\\Users\\me\\tex.png")
    assert bpy.ops.gotcha.scan(checks="relative_paths") == {"FINISHED"}
    index = index_of("windows_path", "win")
    assert STATE().findings[index].fixes == ""
    with pytest.raises(RuntimeError) as refused:
        bpy.ops.gotcha.path_make_relative(finding_index=index)
    assert "Gotcha Doctor: Make Path Relative is not offered for this finding (relative_paths: no fix offered)" in str(
        refused.value
    )
    assert bpy.data.images["win"].filepath == "C:\\Users\\me\\tex.png"
    with pytest.raises(RuntimeError, match="not offered"):
        bpy.ops.gotcha.path_make_absolute(finding_index=index)
    assert bpy.data.images["win"].filepath == "C:\\Users\\me\\tex.png"


def test_fix_keys_are_their_operators_names(gd):
    # The guard reads a fix's key from its operator's name.
    for key, idname in gd.operators.FIX_OPERATORS.items():
        assert idname == f"gotcha.{key}"


def test_export_never_overwrites_the_open_blend_or_any_blend(tmp_path: Path):
    blend = save_as(tmp_path / "scene.blend")
    other = save_as(tmp_path / "other.blend")  # the open file is now other.blend
    before = {path: path.read_bytes() for path in (blend, other)}
    assert bpy.ops.gotcha.scan() == {"FINISHED"}
    for target in (str(other), "//other.blend", str(blend), str(tmp_path / "new.blend")):
        with pytest.raises(RuntimeError, match="Not writing the report to"):
            bpy.ops.gotcha.export_report(filepath=target)
    disguised = tmp_path / "report.json"
    disguised.write_bytes(before[blend])
    with pytest.raises(RuntimeError, match="is a .blend file"):
        bpy.ops.gotcha.export_report(filepath=str(disguised))
    assert {path: path.read_bytes() for path in (blend, other)} == before
    assert not (tmp_path / "new.blend").exists()
    assert bpy.ops.gotcha.export_report(filepath=str(tmp_path / "ok.json")) == {"FINISHED"}
    assert json.loads((tmp_path / "ok.json").read_text("utf-8"))["cancelled"] is False


def test_export_refuses_a_running_scan_and_a_report_of_one_says_partial(tmp_path: Path, gd):
    linked_twins(tmp_path, [f"Rock_{i:03d}" for i in range(300)])
    save_as(tmp_path / "main.blend")
    scan = gd.runner.ModalScan(STATE(), ["library_name_collisions"])
    assert scan.tick(STATE(), 0.0005) == "running"
    assert not bpy.ops.gotcha.export_report.poll()
    with pytest.raises(RuntimeError, match="A scan is running"):
        bpy.ops.gotcha.export_report(filepath=str(tmp_path / "partial.json"))
    assert not (tmp_path / "partial.json").exists()
    assert gd.runner.report_from_state(STATE())["cancelled"] is True
    scan.cancel(STATE())  # Esc: the partial findings can be exported, marked cancelled
    assert bpy.ops.gotcha.export_report(filepath=str(tmp_path / "partial.json")) == {"FINISHED"}
    assert json.loads((tmp_path / "partial.json").read_text("utf-8"))["cancelled"] is True


def test_export_to_a_blend_relative_path_in_an_unsaved_file_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert bpy.data.filepath == ""
    assert bpy.ops.gotcha.scan() == {"FINISHED"}
    with pytest.raises(RuntimeError, match="//x.json is relative to the .blend file, which is not saved yet"):
        bpy.ops.gotcha.export_report(filepath="//x.json")
    assert os.listdir(tmp_path) == []


def test_a_scan_outliving_a_load_leaves_a_newer_scan_alone(tmp_path: Path, gd):
    linked_twins(tmp_path, [f"Rock_{i:03d}" for i in range(300)])
    blend = save_as(tmp_path / "main.blend")
    old = gd.runner.ModalScan(STATE(), ["library_name_collisions"])
    assert old.tick(STATE(), 0.0005) == "running"
    bpy.ops.wm.open_mainfile(filepath=str(blend), load_ui=False)
    new = gd.runner.ModalScan(STATE(), ["library_name_collisions"])  # started before the old one ticks again
    assert new.tick(STATE(), 0.0005) == "running"
    stored = len(STATE().findings)
    assert old.tick(STATE(), 0.0005) == "file-loaded"
    assert STATE().is_running and not STATE().cancelled and len(STATE().findings) == stored
    while new.tick(STATE(), 0.01) == "running":
        pass
    assert len(STATE().findings) == 300 and not STATE().cancelled


def test_selecting_a_finding_reports_hostile_names_escaped(tmp_path: Path, capsys):
    name = "Tree\n\x1b[2J"
    linked_twins(tmp_path, [name])
    local = bpy.data.objects[name, None]
    local.hide_set(True)
    assert bpy.ops.gotcha.scan(checks="library_name_collisions") == {"FINISHED"}
    capsys.readouterr()
    assert bpy.ops.gotcha.select_finding(index=0) == {"FINISHED"}
    out = capsys.readouterr().out
    assert 'Selected Object "Tree\\n\\x1b[2J" (hidden: Tree\\n\\x1b[2J)' in out, out
    assert "\x1b" not in out
