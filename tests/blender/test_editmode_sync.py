"""editmode_sync on real Edit Mode data (bpy module): meshes edited through bmesh, shared meshes, multi-object
Edit Mode, armatures, curves, lattices; the sync and leave fixes, and undo of the sync fix."""

from __future__ import annotations

import json

import bmesh
import bpy
import numpy as np
import pytest
from blender_scenes import listed_details

CHECK = "editmode_sync"
FIXES = ["editmode_sync_now", "editmode_leave"]


def cube_object(name: str, mesh: bpy.types.Mesh | None = None) -> bpy.types.Object:
    if mesh is None:
        mesh = bpy.data.meshes.new(f"{name}Mesh")
        bm = bmesh.new()
        bmesh.ops.create_cube(bm, size=2.0)
        bm.to_mesh(mesh)
        bm.free()
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    return obj


def enter_edit(*objects: bpy.types.Object) -> None:
    view_layer = bpy.context.view_layer
    for obj in list(view_layer.objects):
        obj.select_set(False)
    for obj in objects:
        obj.select_set(True)
    view_layer.objects.active = objects[0]
    # Multi-object Edit Mode takes the selected objects visible in a 3D View, so run it in one.
    window = bpy.context.window_manager.windows[0]
    area = next(area for area in window.screen.areas if area.type == "VIEW_3D")
    with bpy.context.temp_override(window=window, area=area, region=area.regions[-1]):
        assert bpy.ops.object.mode_set(mode="EDIT") == {"FINISHED"}
    assert objects[0].mode == "EDIT"


def edit(obj: bpy.types.Object) -> bmesh.types.BMesh:
    bm = bmesh.from_edit_mesh(obj.data)
    bm.verts.ensure_lookup_table()
    bm.faces.ensure_lookup_table()
    return bm


def scan() -> list[dict]:
    assert bpy.ops.gotcha.scan(checks=CHECK) == {"FINISHED"}
    found = []
    for item in bpy.context.window_manager.gotcha_doctor.findings:
        assert (item.check, item.topic, item.id_type, item.has_library) == (CHECK, "editmode-sync", "OBJECT", False)
        found.append(
            {
                "severity": item.severity,
                "name": item.id_name,
                "message": item.message,
                "details": listed_details(item),
                "fixes": item.fixes.split(","),
            }
        )
    return sorted(found, key=lambda f: f["name"])


def positions(mesh: bpy.types.Mesh) -> np.ndarray:
    flat = np.empty(len(mesh.vertices) * 3, np.float32)
    mesh.vertices.foreach_get("co", flat)
    return flat.reshape(-1, 3)


def index_of(name: str) -> int:
    return [item.id_name for item in bpy.context.window_manager.gotcha_doctor.findings].index(name)


# --- meshes -----------------------------------------------------------------------------------------------------


def test_moved_vertices_are_counted_with_the_largest_displacement():
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    bm.verts[0].co.z += 0.5
    bm.verts[5].co.x += 0.3
    bm.verts[5].co.y += 0.4  # 0.5 m diagonal
    bm.verts[6].co.z += 0.8
    bmesh.update_edit_mesh(obj.data)
    [finding] = scan()
    assert finding["severity"] == "WARNING"
    assert finding["message"] == "Cube: 3 vertices moved (max 0.8 m) — data not written to the Mesh yet"
    details = finding["details"]
    assert details["vertices_moved"] == 3 and details["moved_vertex_samples"] == [0, 5, 6]
    assert details["max_displacement"] == pytest.approx(0.8, abs=1e-6)
    assert details["count_deltas"] == {"verts": 0, "edges": 0, "faces": 0, "loops": 0}
    assert details["counts_data"] == {"verts": 8, "edges": 12, "faces": 6, "loops": 24}
    assert details["edit_read"] == "bmesh-vertex-table"  # the verified bulk path, on 4.2 and 5.0
    assert details["data_name"] == "CubeMesh" and details["other_users"] == []
    assert finding["fixes"] == FIXES
    assert obj.mode == "EDIT" and positions(obj.data)[0, 2] == pytest.approx(-1.0)  # the scan wrote nothing


def test_added_vertex_edges_and_face():
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    face = bm.faces[0]
    a, b = face.verts[0], face.verts[1]  # an existing edge of that face
    apex = bm.verts.new((0.0, 0.0, 3.0))
    bm.faces.new((a, b, apex))
    bmesh.update_edit_mesh(obj.data)
    [finding] = scan()
    assert finding["severity"] == "WARNING"
    assert finding["message"] == (
        "Cube: 1 vertex added, 2 edges added, 1 face added, 3 face corners added — data not written to the Mesh yet "
        "(vertex count changed, so positions were not paired)"
    )
    assert finding["details"]["count_deltas"] == {"verts": 1, "edges": 2, "faces": 1, "loops": 3}
    assert finding["details"]["positions_compared"] is False


def test_deleted_vertex():
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    bmesh.ops.delete(bm, geom=[bm.verts[0]], context="VERTS")
    bmesh.update_edit_mesh(obj.data)
    [finding] = scan()
    assert finding["message"] == (
        "Cube: 1 vertex removed, 3 edges removed, 3 faces removed, 12 face corners removed — data not written to "
        "the Mesh yet (vertex count changed, so positions were not paired)"
    )
    assert finding["details"]["counts_edit"] == {"verts": 7, "edges": 9, "faces": 3, "loops": 12}


def test_topology_changed_with_the_same_vertices():
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    bmesh.ops.triangulate(bm, faces=[bm.faces[0]])
    bmesh.update_edit_mesh(obj.data)
    [finding] = scan()
    assert finding["message"] == (
        "Cube: 1 edge added, 1 face added, 2 face corners added — data not written to the Mesh yet"
    )
    assert finding["details"]["vertices_moved"] == 0 and finding["details"]["positions_compared"] is True


def test_selection_change_is_reported():
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    for vert in bm.verts:
        vert.select_set(False)
    bm.verts[2].select_set(True)
    bm.select_flush_mode()
    bmesh.update_edit_mesh(obj.data)
    [finding] = scan()
    # The cube came from bmesh.ops.create_cube unselected, so only vertex 2 differs.
    assert finding["message"] == "Cube: selection of 1 vertex changed — data not written to the Mesh yet"
    assert finding["details"]["selection_changed"] == 1


def test_no_change_is_info_and_left_edit_mode_is_no_finding():
    obj = cube_object("Cube")
    enter_edit(obj)
    [finding] = scan()
    assert finding["severity"] == "INFO"
    assert finding["message"].startswith(
        "Cube is in Edit Mode with no pending change (counts, positions, connectivity and selection match); "
    )
    assert finding["details"]["vertices_moved"] == 0 and finding["details"]["selection_changed"] == 0
    bm = edit(obj)
    bm.verts[0].co.x += 1.0
    bmesh.update_edit_mesh(obj.data)
    assert bpy.ops.object.mode_set(mode="OBJECT") == {"FINISHED"}
    assert scan() == []
    assert positions(obj.data)[0, 0] == pytest.approx(0.0)  # leaving wrote the edit


def test_two_objects_sharing_one_mesh():
    obj = cube_object("Cube")
    twin = cube_object("Twin", obj.data)
    enter_edit(obj)
    bm = edit(obj)
    bm.verts[1].co.z -= 0.25
    bmesh.update_edit_mesh(obj.data)
    [finding] = scan()
    assert finding["name"] == "Cube"
    assert finding["message"] == (
        'Cube: 1 vertex moved (max 0.25 m) — data not written to the Mesh yet; Mesh "CubeMesh" is also used by '
        "Twin, which sees the old data too"
    )
    assert finding["details"]["other_users"] == ["Twin"] and finding["details"]["edit_mode_objects"] == ["Cube"]
    assert twin.data == obj.data


def test_multi_object_edit_mode():
    first, second = cube_object("A"), cube_object("B")
    enter_edit(first, second)
    assert (first.mode, second.mode) == ("EDIT", "EDIT")
    bm = edit(second)
    bm.verts[3].co.y += 2.0
    bmesh.update_edit_mesh(second.data)
    a, b = scan()
    assert (a["name"], a["severity"]) == ("A", "INFO")
    assert (b["name"], b["severity"]) == ("B", "WARNING")
    assert b["message"] == "B: 1 vertex moved (max 2 m) — data not written to the Mesh yet"


def test_python_path_gives_the_same_diff_as_the_bulk_path(gd):
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    bm.verts[4].co.x += 0.5
    bm.verts[7].select_set(True)
    bmesh.update_edit_mesh(obj.data)
    check = gd.checks.editmode_sync
    group = check._Group(obj, ["Cube"], [])
    findings = {}
    for label, bulk in (("bulk", True), ("python", False)):
        steps = check._mesh(obj, group, tuple(bpy.app.version), bulk=bulk)
        [found] = [i for i in steps if isinstance(i, gd.core.findings.Finding)]
        findings[label] = found
    assert findings["bulk"].details["edit_read"] == "bmesh-vertex-table"
    assert findings["python"].details["edit_read"] == "bmesh-python"
    assert findings["bulk"].message == findings["python"].message
    for key in ("counts_edit", "vertices_moved", "max_displacement", "moved_vertex_samples", "selection_changed"):
        assert findings["bulk"].details[key] == findings["python"].details[key], key
    assert findings["bulk"].details["selection_changed"] >= 1


def test_large_mesh_in_small_steps(gd):
    # 160,000 vertices: above the sample-check and selection limits, several slices.
    bpy.ops.mesh.primitive_grid_add(x_subdivisions=399, y_subdivisions=399, size=4)
    obj = bpy.context.active_object
    bpy.ops.object.mode_set(mode="EDIT")
    bm = edit(obj)
    for index in range(0, 160_000, 1600):
        bm.verts[index].co.z += 0.125
    bmesh.update_edit_mesh(obj.data)
    items = list(gd.checks.editmode_sync.run(bpy.data, bpy.context))
    [finding] = [item for item in items if isinstance(item, gd.core.findings.Finding)]
    assert finding.message == "Grid: 100 vertices moved (max 0.125 m) — data not written to the Mesh yet"
    assert finding.details["edit_read"] == "bmesh-vertex-table" and finding.details["selection_changed"] is None
    # One step per _SLICE (25,000) vertices plus set-up steps, each a fraction of the modal budget.
    assert len(items) - 1 >= 160_000 // gd.checks.editmode_sync._SLICE + 2


# --- armatures, curves, lattices -------------------------------------------------------------------------------


def test_armature_edit_bones_versus_bones():
    bpy.ops.object.armature_add()
    rig = bpy.context.active_object
    rig.name = "Rig"
    bpy.ops.object.mode_set(mode="EDIT")
    [scan_info] = scan()
    assert scan_info["severity"] == "INFO"
    arm = rig.data
    arm.edit_bones["Bone"].tail.z += 1.0
    extra = arm.edit_bones.new("Extra")
    extra.head, extra.tail = (0.0, 0.0, 2.0), (0.0, 1.0, 2.0)
    extra.parent = arm.edit_bones["Bone"]
    [finding] = scan()
    assert finding["severity"] == "WARNING"
    assert finding["message"] == (
        "Rig: 1 bone moved (max 1 m), 1 bone added — data not written to the Armature yet "
        "(armature.bones and the pose still show the old bones)"
    )
    assert finding["details"]["bones_added"] == ["Extra"] and finding["details"]["bones_moved"] == ["Bone"]
    assert (finding["details"]["bones_data"], finding["details"]["bones_edit"]) == (1, 2)


@pytest.mark.parametrize("kind", ["CURVE", "LATTICE"])
def test_curve_and_lattice_edit_data_is_what_python_reads(kind):
    if kind == "CURVE":
        bpy.ops.curve.primitive_bezier_curve_add()
    else:
        bpy.ops.object.add(type="LATTICE")
    obj = bpy.context.active_object
    obj.name = "Shape"
    bpy.ops.object.mode_set(mode="EDIT")
    data = obj.data
    if kind == "CURVE":
        data.splines[0].bezier_points[0].co.x += 5.0
        seen = data.splines[0].bezier_points[0].co.x
    else:
        data.points[0].co_deform.x += 5.0
        seen = data.points[0].co_deform.x
    assert seen == pytest.approx(4.0 if kind == "CURVE" else 4.5)  # Python already sees the edit
    # ... but a copy of the datablock (made from the stored data) does not: the finding says so.
    copy = data.copy()
    stored = copy.splines[0].bezier_points[0].co.x if kind == "CURVE" else copy.points[0].co_deform.x
    assert stored == pytest.approx(-1.0 if kind == "CURVE" else -0.5)
    [finding] = scan()
    access = "curve.splines" if kind == "CURVE" else "lattice.points"
    assert finding["severity"] == "INFO"
    assert finding["message"].startswith(f"Shape is in Edit Mode: {access} already reads the edit data")
    assert finding["details"]["edit_data_visible_to_python"] is True


# --- fixes ------------------------------------------------------------------------------------------------------


def _moved_cube() -> bpy.types.Object:
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    bm.verts[0].co.z += 0.5
    bmesh.update_edit_mesh(obj.data)
    [finding] = scan()
    assert finding["severity"] == "WARNING"
    return obj


def test_sync_fix_writes_the_mesh_and_stays_in_edit_mode():
    obj = _moved_cube()
    assert positions(obj.data)[0, 2] == pytest.approx(-1.0)
    assert bpy.ops.gotcha.editmode_sync_now(finding_index=index_of("Cube")) == {"FINISHED"}
    assert obj.mode == "EDIT"
    assert positions(obj.data)[0, 2] == pytest.approx(-0.5)
    [finding] = scan()
    assert finding["severity"] == "INFO"


def test_sync_fix_for_armature():
    bpy.ops.object.armature_add()
    rig = bpy.context.active_object
    bpy.ops.object.mode_set(mode="EDIT")
    rig.data.edit_bones["Bone"].tail.z += 1.0
    [finding] = scan()
    assert finding["severity"] == "WARNING"
    assert bpy.ops.gotcha.editmode_sync_now(finding_index=0) == {"FINISHED"}
    assert rig.mode == "EDIT" and tuple(rig.data.bones["Bone"].tail_local) == pytest.approx((0.0, 0.0, 2.0))
    [finding] = scan()  # bones and edit bones agree again (within the roll-conversion tolerance)
    assert finding["severity"] == "INFO" and finding["details"]["bones_moved"] == []


def test_leave_fix():
    obj = _moved_cube()
    assert bpy.ops.gotcha.editmode_leave(finding_index=index_of("Cube")) == {"FINISHED"}
    assert obj.mode == "OBJECT" and positions(obj.data)[0, 2] == pytest.approx(-0.5)
    assert scan() == []


def test_fix_on_an_object_that_left_edit_mode_reports_and_cancels():
    obj = _moved_cube()
    assert bpy.ops.object.mode_set(mode="OBJECT") == {"FINISHED"}
    assert bpy.ops.gotcha.editmode_sync_now(finding_index=0) == {"CANCELLED"}
    obj.name = "Renamed"
    with pytest.raises(RuntimeError, match='Object "Cube" no longer exists'):
        bpy.ops.gotcha.editmode_leave(finding_index=0)


def test_sync_fix_is_undoable(gd, capsys):
    obj = _moved_cube()
    window = bpy.context.window_manager.windows[0]
    restores = tuple(bpy.app.version) >= (5, 3, 0)
    assert gd.core.editdiff.sync_undo_restores_data(bpy.app.version) is restores
    with bpy.context.temp_override(window=window):
        # Undo is off at startup in background mode; an explicit push initialises the undo system. Operators called
        # from Python push their undo step only when asked (the second positional argument), as a click does.
        assert bpy.ops.ed.undo_push(message="before sync") == {"FINISHED"}
        assert bpy.ops.gotcha.editmode_sync_now("EXEC_DEFAULT", True, finding_index=index_of("Cube")) == {"FINISHED"}
        assert positions(obj.data)[0, 2] == pytest.approx(-0.5)
        # The report says what Ctrl+Z will do in this Blender.
        report = capsys.readouterr().out
        assert ("Undo puts the Mesh back as it was (stale again)" in report) is restores
        assert ("Undo keeps the written Mesh" in report) is not restores
        assert bpy.ops.ed.undo() == {"FINISHED"}
        obj = bpy.data.objects["Cube"]
        # Every version keeps the edit itself: nothing the user did is lost.
        assert obj.mode == "EDIT" and edit(obj).verts[0].co.z == pytest.approx(-0.5)
        if restores:
            # Observed (5.3): undo also puts the Mesh back as it was before the sync, so it is stale again.
            assert positions(obj.data)[0, 2] == pytest.approx(-1.0)
            [finding] = scan()
            assert finding["message"] == "Cube: 1 vertex moved (max 0.5 m) — data not written to the Mesh yet"
        else:
            # Observed (4.2, 4.5, 5.0, 5.2): an Edit Mode undo step holds the edit data only, so the Mesh keeps what
            # the sync wrote, which equals the edit data.
            assert positions(obj.data)[0, 2] == pytest.approx(-0.5)
            [finding] = scan()
            assert finding["severity"] == "INFO"
        assert bpy.ops.ed.redo() == {"FINISHED"}  # the fix's own step is on the stack: redo writes the edit again
        obj = bpy.data.objects["Cube"]
        assert obj.mode == "EDIT" and positions(obj.data)[0, 2] == pytest.approx(-0.5)


def test_leave_fix_is_undoable():
    obj = _moved_cube()
    window = bpy.context.window_manager.windows[0]
    with bpy.context.temp_override(window=window):
        assert bpy.ops.ed.undo_push(message="before leaving") == {"FINISHED"}
        assert bpy.ops.gotcha.editmode_leave("EXEC_DEFAULT", True, finding_index=index_of("Cube")) == {"FINISHED"}
        assert obj.mode == "OBJECT" and positions(obj.data)[0, 2] == pytest.approx(-0.5)
        assert bpy.ops.ed.undo() == {"FINISHED"}
    # Undo puts everything back: Edit Mode, the edit still pending, the Mesh stale again.
    obj = bpy.data.objects["Cube"]
    assert obj.mode == "EDIT" and edit(obj).verts[0].co.z == pytest.approx(-0.5)
    assert positions(obj.data)[0, 2] == pytest.approx(-1.0)
    [finding] = scan()
    assert finding["message"] == "Cube: 1 vertex moved (max 0.5 m) — data not written to the Mesh yet"


def test_zoo_exhibit_reopened_and_made_live(tmp_path):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "zoo", Path(__file__).resolve().parents[2] / "examples" / "make_gotcha_zoo.py"
    )
    zoo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(zoo)
    path = zoo.build(tmp_path)
    bpy.ops.wm.open_mainfile(filepath=str(path))
    assert bpy.data.objects["EditModeCube"].mode == "EDIT"  # Edit Mode comes back on load, but saving synced it
    [finding] = scan()
    assert finding["severity"] == "INFO" and finding["details"]["other_users"] == ["EditModeTwin"]
    # No pending change, so the twin sees the same data (this once said "which sees the old data too").
    assert finding["message"].endswith('Mesh "EditModeCubeMesh" is also used by EditModeTwin, which sees the same data')
    zoo.make_live_editmode_exhibit()
    [finding] = scan()
    assert finding["message"] == (
        'EditModeCube: 4 vertices moved (max 0.75 m) — data not written to the Mesh yet; Mesh "EditModeCubeMesh" is '
        "also used by EditModeTwin, which sees the old data too"
    )


def test_modifiers_do_not_change_the_diff():
    # The evaluated mesh (what to_mesh() of the evaluated object gives) has the modifiers applied; the check reads
    # the BMesh itself, so the diff is about the edit data only.
    obj = cube_object("Cube")
    obj.modifiers.new("Subdivision", "SUBSURF").show_on_cage = True
    obj.modifiers.new("Displace", "DISPLACE").strength = 0.3
    enter_edit(obj)
    bm = edit(obj)
    bm.verts[2].co.x -= 0.5
    bmesh.update_edit_mesh(obj.data)
    evaluated = obj.evaluated_get(bpy.context.evaluated_depsgraph_get())
    assert len(evaluated.to_mesh().vertices) == 26  # subdivided: not comparable with the 8 stale vertices
    evaluated.to_mesh_clear()
    [finding] = scan()
    assert finding["message"] == "Cube: 1 vertex moved (max 0.5 m) — data not written to the Mesh yet"
    assert finding["details"]["counts_edit"] == {"verts": 8, "edges": 12, "faces": 6, "loops": 24}


@pytest.mark.parametrize("kind", ["CURVE", "LATTICE"])
def test_sync_fix_for_curve_and_lattice(kind):
    if kind == "CURVE":
        bpy.ops.curve.primitive_bezier_curve_add()
    else:
        bpy.ops.object.add(type="LATTICE")
    obj = bpy.context.active_object
    bpy.ops.object.mode_set(mode="EDIT")
    data = obj.data
    if kind == "CURVE":
        data.splines[0].bezier_points[0].co.x += 5.0
    else:
        data.points[0].co_deform.x += 5.0
    scan()
    assert bpy.ops.gotcha.editmode_sync_now(finding_index=0) == {"FINISHED"}
    assert obj.mode == "EDIT"
    copy = data.copy()  # made from the stored data: now it has the edit
    stored = copy.splines[0].bezier_points[0].co.x if kind == "CURVE" else copy.points[0].co_deform.x
    assert stored == pytest.approx(4.0 if kind == "CURVE" else 4.5)


def test_linked_duplicates_selected_for_multi_object_edit_mode_give_one_finding():
    obj = cube_object("Cube")
    twin = cube_object("Twin", obj.data)
    enter_edit(obj, twin)
    # Observed (4.2 and 5.0): Blender edits each Mesh once; the linked duplicate stays in Object Mode.
    assert (obj.mode, twin.mode) == ("EDIT", "OBJECT")
    bm = edit(obj)
    bm.verts[7].co.x += 0.5
    bmesh.update_edit_mesh(obj.data)
    [finding] = scan()
    assert finding["name"] == "Cube" and finding["details"]["edit_mode_objects"] == ["Cube"]
    assert finding["message"] == (
        'Cube: 1 vertex moved (max 0.5 m) — data not written to the Mesh yet; Mesh "CubeMesh" is also used by '
        "Twin, which sees the old data too"
    )


def test_an_edit_between_two_steps_restarts_the_mesh(gd):
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    bm.verts[0].co.z += 0.5
    bmesh.update_edit_mesh(obj.data)
    steps = gd.checks.editmode_sync.run(bpy.data, bpy.context)
    for item in steps:
        if isinstance(item, gd.core.findings.Progress) and item.fraction >= 0.1:
            break  # suspended just before the vertex slices
    bm = edit(obj)
    bmesh.ops.delete(bm, geom=[bm.verts[3]], context="VERTS")  # the table is rebuilt: the read starts over
    bmesh.update_edit_mesh(obj.data)
    [finding] = [item for item in steps if isinstance(item, gd.core.findings.Finding)]
    assert finding.details["count_deltas"]["verts"] == -1


def test_cli_scan_of_a_file_saved_in_edit_mode(gd, tmp_path):
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    bm.verts[0].co.z += 0.5
    bmesh.update_edit_mesh(obj.data)
    path = tmp_path / "saved_in_edit_mode.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(path))  # saving writes the edit data
    out = tmp_path / "report.json"
    assert gd.cli.main(["scan", str(path), "--checks", CHECK, "--json", str(out)]) == 0
    [finding] = json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert (finding["severity"], finding["id_type"], finding["id_name"]) == ("INFO", "OBJECT", "Cube")
    assert finding["details"]["vertices_moved"] == 0


def test_rotated_edge_changes_connectivity_with_equal_counts():
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    bm.edges.ensure_lookup_table()
    bmesh.ops.rotate_edges(bm, edges=[bm.edges[0]], use_ccw=False)
    bmesh.update_edit_mesh(obj.data)
    [finding] = scan()
    assert finding["message"] == "Cube: 2 faces with other vertices — data not written to the Mesh yet"
    assert finding["details"]["faces_with_other_vertices"] == 2
    assert finding["details"]["count_deltas"] == {"verts": 0, "edges": 0, "faces": 0, "loops": 0}


def test_empty_mesh_in_edit_mode_is_info():
    obj = bpy.data.objects.new("Empty Mesh", bpy.data.meshes.new("Nothing"))
    bpy.context.scene.collection.objects.link(obj)
    enter_edit(obj)
    [finding] = scan()
    assert finding["severity"] == "INFO"
    assert finding["details"]["counts_edit"] == {"verts": 0, "edges": 0, "faces": 0, "loops": 0}


@pytest.mark.parametrize("path", ["bulk", "python"])
def test_a_vertex_deleted_between_two_steps_restarts_either_path(gd, path):
    # Deleting a vertex while the check is suspended between two steps: the per-vertex Python path (used where the
    # bulk reader is not) compared a slice of the old vertex count with the shorter BMesh ("slices differ in shape").
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    bm.verts[0].co.z += 0.5
    bmesh.update_edit_mesh(obj.data)
    check = gd.checks.editmode_sync
    steps = check._mesh(obj, check._Group(obj, ["Cube"], []), tuple(bpy.app.version), bulk=path == "bulk")
    for item in steps:
        if isinstance(item, gd.core.findings.Progress) and item.fraction >= 0.1:
            break  # suspended just before the vertex slices
    bm = edit(obj)
    bmesh.ops.delete(bm, geom=[bm.verts[3]], context="VERTS")
    bmesh.update_edit_mesh(obj.data)
    [finding] = [item for item in steps if isinstance(item, gd.core.findings.Finding)]
    assert finding.details["edit_read"] == ("bmesh-vertex-table" if path == "bulk" else "bmesh-python")
    assert finding.details["count_deltas"] == {"verts": -1, "edges": -3, "faces": -3, "loops": -12}
    assert finding.message == (
        "Cube: 1 vertex removed, 3 edges removed, 3 faces removed, 12 face corners removed — data not written to "
        "the Mesh yet (vertex count changed, so positions were not paired)"
    )


def test_bulk_reader_refuses_what_it_cannot_verify(gd, monkeypatch):
    # Every refusal means the exact per-vertex path, never a read of memory the reader cannot vouch for.
    fast = gd.core.bmesh_fastread
    obj = cube_object("Cube")
    enter_edit(obj)
    bm = edit(obj)
    version = tuple(bpy.app.version)
    assert fast.version_verified(version)  # every version of the test matrix: 4.2, 4.5, 5.0, 5.2, 5.3
    table = fast.edit_mesh_table(bm, obj.data.total_vert_sel, version)
    assert (table.verts, table.edges, table.loops, table.faces) == (8, 12, 24, 6)
    # A version nobody verified; a BMesh whose Blender data was freed (the wrapper's pointer is NULL then); a
    # Python subclass or stand-in with the same name (its object layout is not Blender's).
    assert fast.edit_mesh_table(bm, obj.data.total_vert_sel, (5, 4, 0)) is None
    assert fast.edit_mesh_loops(bm, obj.data.total_vert_sel, (5, 4, 0)) is None
    assert fast.edit_mesh_loops(bm, obj.data.total_vert_sel, version) == 24
    assert fast.edit_mesh_table(bm, obj.data.total_vert_sel, (4, 1, 0)) is None
    freed = bmesh.new()
    bmesh.ops.create_cube(freed, size=1.0)
    freed.free()
    assert fast.edit_mesh_table(freed, 0, version) is None and fast.edit_mesh_loops(freed, 0, version) is None
    assert fast.edit_mesh_loops(type("BMesh", (), {})(), 0, version) is None
    # Counts that disagree with the public API (here: the selected-vertex count) leave the header untrusted.
    assert fast.edit_mesh_table(bm, obj.data.total_vert_sel + 1, version) is None
    assert fast.edit_mesh_loops(bm, obj.data.total_vert_sel + 1, version) is None
    # A stale lookup table is never read; the check rebuilds it (public API) and asks again.
    bm.verts.new((0.0, 0.0, 5.0))
    with pytest.raises(fast.TableDirty):
        fast.edit_mesh_table(bm, obj.data.total_vert_sel, version)
    # Without numpy there is no gather at all.
    monkeypatch.setattr(fast, "np", None)
    assert not fast.can_gather(version) and fast.edit_mesh_table(bm, obj.data.total_vert_sel, version) is None


def test_every_vertex_table_entry_is_a_live_vertex_of_the_public_api(gd):
    # The bulk reader trusts Blender's vertex table: check it entry by entry against the public API on a mesh whose
    # vertices were deleted and added in Edit Mode (so the table is rebuilt and memory is not in index order).
    fast = gd.core.bmesh_fastread
    bpy.ops.mesh.primitive_grid_add(x_subdivisions=59, y_subdivisions=59, size=4)
    obj = bpy.context.active_object
    bpy.ops.object.mode_set(mode="EDIT")
    bm = edit(obj)
    bmesh.ops.delete(bm, geom=[bm.verts[i] for i in range(100, 400, 3)], context="VERTS")
    for i in range(150):
        bm.verts.new((i * 0.01, 0.0, 1.0)).select_set(i % 2 == 0)
    bm.verts.ensure_lookup_table()
    bm.verts[7].co.z += 0.5
    bmesh.update_edit_mesh(obj.data)
    bm = edit(obj)
    table = fast.edit_mesh_table(bm, obj.data.total_vert_sel, tuple(bpy.app.version))
    assert table is not None and table.verts == len(bm.verts) == 3600 - 100 + 150
    co, selected = fast.gather_vertices(table, 0, table.verts)
    pointers = fast._view(table.vtable, (table.verts,), "<u8").tolist()
    verts = list(bm.verts)  # wrappers kept alive while their memory is compared
    head = fast._wrapper_head(verts[0], "BMVert")
    wrapper_pointers = [fast._read(id(vert) + head + 8, fast.ctypes.c_void_p) for vert in verts]
    assert pointers == wrapper_pointers  # the table holds exactly the BMVerts the public API hands out, in order
    assert co.tolist() == [list(vert.co) for vert in verts]
    assert selected.tolist() == [vert.select for vert in verts]
