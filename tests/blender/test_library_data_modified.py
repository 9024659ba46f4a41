"""Linked data changed by Python after the file was loaded: found by comparing with the library file, read in a
child process. Exact findings: which datablock, which properties, the values on both sides."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator

import bpy
import pytest
from blender_scenes import add_object, save_as, triangle_mesh


def build_library(path):
    bpy.ops.wm.read_homefile(use_empty=True)
    for name in ("Crate", "Barrel", "Lamp"):
        add_object(name, triangle_mesh(name + "Mesh"))
    material = bpy.data.materials.new("Paint")
    material.use_fake_user = True
    material.diffuse_color = (0.8, 0.8, 0.8, 1.0)
    save_as(path)
    bpy.ops.wm.read_homefile(use_empty=True)


def link_everything(tmp_path):
    library = tmp_path / "lib" / "props.blend"
    build_library(library)
    save_as(tmp_path / "main.blend")
    with bpy.data.libraries.load(str(library), link=True, relative=True) as (source, target):
        target.objects = list(source.objects)
        target.materials = ["Paint"]
    for obj in target.objects:
        bpy.context.scene.collection.objects.link(obj)
    target.materials[0].use_fake_user = True
    return library


def scan():
    assert bpy.ops.gotcha.scan(checks="library_data_modified") == {"FINISHED"}
    gd = __import__("blender_scenes").extension()
    return gd.runner.report_from_state(bpy.context.window_manager.gotcha_doctor)["findings"]


def test_unchanged_linked_data_gives_no_finding(tmp_path):
    link_everything(tmp_path)
    assert scan() == []


def test_a_library_blender_could_not_read_is_left_to_the_path_check(tmp_path):
    library = link_everything(tmp_path)
    bpy.ops.wm.save_mainfile()
    library.write_bytes(b"BLENDER-v279" + bytes(100))  # damaged: Blender opens main.blend with placeholders
    with pytest.raises(RuntimeError, match="Failed to read blend file"):
        bpy.ops.wm.open_mainfile(filepath=str(tmp_path / "main.blend"))
    assert bpy.data.filepath == str(tmp_path / "main.blend") and bpy.data.libraries["props.blend"].is_missing
    assert scan() == []  # nothing to compare: relative_paths reports the library (library_unreadable)


class AddonSettings(bpy.types.PropertyGroup):
    size: bpy.props.FloatProperty(default=2.0)


@contextlib.contextmanager
def addon_properties_on_objects() -> Iterator[None]:
    """What an add-on registers on Object (as Cycles does, and many add-ons): a settings group and a flag. As in a
    session whose add-ons registered before the first scan: what was planned for Object by earlier tests is
    forgotten."""
    bpy.utils.register_class(AddonSettings)
    bpy.types.Object.addon_settings = bpy.props.PointerProperty(type=AddonSettings)
    bpy.types.Object.addon_flag = bpy.props.BoolProperty(default=True)
    __import__("blender_scenes").extension().checks._rna_values._plans.clear()
    try:
        yield
    finally:
        del bpy.types.Object.addon_settings, bpy.types.Object.addon_flag
        bpy.utils.unregister_class(AddonSettings)


def test_properties_an_addon_registers_are_not_compared(tmp_path):
    """An add-on of the session registers properties on objects (as Cycles does, and many add-ons): the child
    Blender has no such add-on, so those properties are never compared; the linked data is unchanged, and a change
    to one of Blender's own properties is reported alone."""
    link_everything(tmp_path)
    with addon_properties_on_objects():
        assert bpy.types.Object.bl_rna.properties["addon_flag"].is_runtime
        assert scan() == []
        bpy.data.objects["Barrel", "//lib/props.blend"].location.y = 1.5
        findings = scan()
        assert [(f["id_name"], [c["property"] for c in f["details"]["changed"]]) for f in findings] == [
            ("Barrel", ["location"])
        ]


def test_animated_values_follow_the_frame_and_are_not_changes(tmp_path):
    """A linked object animated in its library (its location keyframed from x=0 at frame 1 to x=10 at frame 11): at
    another frame of this session, playback has written x=5 to it, which is no change by Python; its scale changed
    by Python still is."""
    library = tmp_path / "lib" / "anim.blend"
    bpy.ops.wm.read_homefile(use_empty=True)
    mover = add_object("Mover", triangle_mesh("MoverMesh"))
    mover.keyframe_insert("location", frame=1)
    mover.location.x = 10.0
    mover.keyframe_insert("location", frame=11)
    bpy.context.scene.frame_set(1)
    save_as(library)
    bpy.ops.wm.read_homefile(use_empty=True)
    save_as(tmp_path / "main.blend")
    with bpy.data.libraries.load(str(library), link=True, relative=True) as (source, target):
        target.objects = ["Mover"]
    bpy.context.scene.collection.objects.link(target.objects[0])
    bpy.context.scene.frame_set(6)
    linked = bpy.data.objects["Mover", "//lib/anim.blend"]
    assert linked.location.x == 5.0  # written by playback
    assert scan() == []
    linked.scale.z = 3.0
    findings = scan()
    assert [(f["id_name"], [c["property"] for c in f["details"]["changed"]]) for f in findings] == [
        ("Mover", ["scale"])
    ]


def _keyed(owner, path, first, last):
    """``owner.path`` keyframed from ``first`` at frame 1 to ``last`` at frame 11."""
    for frame, value in ((1, first), (11, last)):
        setattr(owner, path, value)
        owner.keyframe_insert(path, frame=frame)


def test_a_rigged_shaded_animated_library_at_another_frame_gives_only_pythons_changes(tmp_path):
    """What production files link: an armature with an animated bone, an animated camera lens, a material input
    keyed from the UI's path (``inputs[7]``, not ``inputs["Roughness"]``), a particle system (whose settings hold
    empty texture slots). At another frame, playback and the depsgraph have rewritten the animated values and those
    derived from them (the pose's matrices, the camera's angles, the object's dimensions): no finding, and no
    failure. Then values changed by Python: exactly those."""
    library = tmp_path / "lib" / "shot.blend"
    bpy.ops.wm.read_homefile(use_empty=True)
    arm = bpy.data.armatures.new("Rig")
    rig = bpy.data.objects.new("Rig", arm)
    bpy.context.scene.collection.objects.link(rig)
    bpy.context.view_layer.objects.active = rig
    bpy.ops.object.mode_set(mode="EDIT")
    root = arm.edit_bones.new("Root")
    root.head, root.tail = (0, 0, 0), (0, 0, 1)
    tip = arm.edit_bones.new("Tip")
    tip.head, tip.tail, tip.parent = (0, 0, 1), (0, 0, 2), root
    bpy.ops.object.mode_set(mode="OBJECT")
    rig.pose.bones["Root"].rotation_mode = "XYZ"
    _keyed(rig.pose.bones["Root"], "rotation_euler", (0.0, 0.0, 0.0), (1.0, 0.0, 0.0))
    camera = bpy.data.objects.new("Cam", bpy.data.cameras.new("Cam"))
    bpy.context.scene.collection.objects.link(camera)
    _keyed(camera.data, "lens", 35.0, 80.0)
    crate = add_object("Crate", triangle_mesh("CrateMesh"))
    crate.modifiers.new("Dust", "PARTICLE_SYSTEM")
    material = bpy.data.materials.new("Paint")
    if material.node_tree is None:  # before 5.0 (use_nodes is deprecated from 5.0, where a material always has one)
        material.use_nodes = True
    crate.data.materials.append(material)
    roughness = material.node_tree.nodes["Principled BSDF"].inputs["Roughness"]
    assert re.fullmatch(r'nodes\["Principled BSDF"\]\.inputs\[\d+\]', roughness.path_from_id())  # by index
    _keyed(roughness, "default_value", 0.1, 0.9)
    bpy.context.scene.frame_set(1)
    save_as(library)
    bpy.ops.wm.read_homefile(use_empty=True)
    save_as(tmp_path / "main.blend")
    with bpy.data.libraries.load(str(library), link=True, relative=True) as (source, target):
        target.objects = ["Rig", "Cam", "Crate"]
    for obj in target.objects:
        bpy.context.scene.collection.objects.link(obj)
    bpy.context.scene.frame_set(6)
    lib = "//lib/shot.blend"
    assert bpy.data.cameras["Cam", lib].lens == 57.5  # written by playback
    assert scan() == []

    bpy.data.objects["Rig", lib].pose.bones["Tip"].location.y = 0.5
    bpy.data.cameras["Cam", lib].sensor_width = 50.0
    bpy.data.materials["Paint", lib].node_tree.nodes["Principled BSDF"].inputs["Metallic"].default_value = 0.75
    changed = {f["id_name"]: [c["property"] for c in f["details"]["changed"]] for f in scan()}
    assert changed == {
        "Rig": ['pose.bones["Tip"].location'],
        "Cam": ["sensor_width"],
        "Paint": ['node_tree.nodes["Principled BSDF"].inputs["Metallic"].default_value'],
    }


@pytest.mark.skipif(bpy.app.version < (4, 3, 0), reason="brushes are assets linked from Blender's files from 4.3")
def test_brush_assets_that_blenders_tools_change_in_place_are_not_compared(tmp_path):
    """Sculpting from 4.3 links the brush from Blender's essentials asset file, and the tool settings (radial size,
    strength) change that linked brush in place: Blender's own tools, not Python, so no finding."""
    bpy.ops.wm.read_homefile(use_empty=True)
    add_object("Blob", triangle_mesh("BlobMesh"))
    save_as(tmp_path / "main.blend")
    bpy.context.view_layer.objects.active = bpy.data.objects["Blob"]
    bpy.ops.object.mode_set(mode="SCULPT")
    assert bpy.ops.brush.asset_activate(
        asset_library_type="ESSENTIALS",
        relative_asset_identifier="brushes/essentials_brushes-mesh_sculpt.blend/Brush/Draw",
    ) == {"FINISHED"}
    brush = bpy.context.tool_settings.sculpt.brush
    assert brush.library is not None and brush.library.is_editable
    brush.size, brush.strength = 123, 0.33
    try:
        assert scan() == []
    finally:
        bpy.ops.object.mode_set(mode="OBJECT")


def test_the_text_editors_cursor_in_a_linked_script_is_not_a_change(tmp_path):
    """Reading a linked script in the Text Editor moves its cursor and selection, which Blender keeps in the Text:
    user interface state, not data. Its lines changed are."""
    library = tmp_path / "lib" / "tools.blend"
    bpy.ops.wm.read_homefile(use_empty=True)
    text = bpy.data.texts.new("tools.py")
    text.from_string("import bpy\n\nprint('one')\nprint('two')\n")
    text.use_fake_user = True
    save_as(library)
    bpy.ops.wm.read_homefile(use_empty=True)
    save_as(tmp_path / "main.blend")
    with bpy.data.libraries.load(str(library), link=True, relative=True) as (source, target):
        target.texts = ["tools.py"]
    linked = target.texts[0]
    linked.use_fake_user = True
    linked.current_line_index, linked.current_character = 2, 3
    linked.select_end_line_index, linked.select_end_character = 3, 5
    assert scan() == []
    linked.lines[2].body = "print('three')"
    assert [[c["property"] for c in f["details"]["changed"]] for f in scan()] == [["lines[2].body"]]


def test_a_library_override_leaves_the_linked_data_it_overrides_unchanged(tmp_path):
    """A linked character collection made a library override (what animators do): before 5.0, creating it stores
    the values of add-ons' properties (Cycles', and here one of the test's) on the linked objects it overrides, where
    Blender lists them as custom properties. No change by Python: no finding."""
    library = tmp_path / "lib" / "char.blend"
    bpy.ops.wm.read_homefile(use_empty=True)
    character = bpy.data.collections.new("Char")
    bpy.context.scene.collection.children.link(character)
    rig = bpy.data.objects.new("Rig", bpy.data.armatures.new("Rig"))
    body = bpy.data.objects.new("Body", triangle_mesh("BodyMesh"))
    character.objects.link(rig)
    character.objects.link(body)
    body.parent = rig
    body.modifiers.new("Armature", "ARMATURE").object = rig
    save_as(library)
    bpy.ops.wm.read_homefile(use_empty=True)
    save_as(tmp_path / "main.blend")
    with addon_properties_on_objects():
        with bpy.data.libraries.load(str(library), link=True, relative=True) as (source, target):
            target.collections = ["Char"]
        # As File > Link places it: an empty instancing the collection, then made a library override.
        instance = bpy.data.objects.new("CharInstance", None)
        instance.instance_type, instance.instance_collection = "COLLECTION", target.collections[0]
        bpy.context.scene.collection.objects.link(instance)
        target.collections[0].override_hierarchy_create(
            bpy.context.scene, bpy.context.view_layer, reference=instance, do_fully_editable=True
        )
        overrides = [obj for obj in bpy.data.objects if obj.override_library is not None]
        assert sorted(obj.name for obj in overrides) == ["Body", "Rig"]
        overrides[0].scale.x = 2.0  # the override is local data: its own to change
        assert scan() == []


def test_values_changed_by_python_are_found(tmp_path):
    library = link_everything(tmp_path)
    before = os.stat(library).st_mtime_ns
    crate = bpy.data.objects["Crate", "//lib/props.blend"]
    crate.location.x = 2.5
    crate["note"] = 7
    bpy.data.materials["Paint"].diffuse_color = (0.0, 1.0, 0.0, 1.0)
    findings = scan()
    by_name = {f["id_name"]: f for f in findings}
    assert sorted(by_name) == ["Crate", "Paint"]
    crate_finding, paint = by_name["Crate"], by_name["Paint"]
    assert (crate_finding["check"], crate_finding["topic"], crate_finding["severity"]) == (
        "library_data_modified",
        "library-data-modified",
        "WARNING",
    )
    assert (crate_finding["id_type"], crate_finding["library"]) == ("OBJECT", "//lib/props.blend")
    changed = {c["property"]: c for c in crate_finding["details"]["changed"]}
    assert sorted(changed) == ['["note"]', "location"]
    assert changed["location"]["session"] == [2.5, 0.0, 0.0] and changed["location"]["library_file"] == [0.0] * 3
    assert changed['["note"]'] == {"property": '["note"]', "session": 7, "library_file": None}
    assert crate_finding["details"]["library_file"] == os.path.realpath(library)
    assert crate_finding["message"].startswith(
        'Linked object "Crate" (library //lib/props.blend) differs from its library file in ["note"], location: '
        "Python changed library data in this session."
    )
    paint_changed = paint["details"]["changed"]
    assert [c["property"] for c in paint_changed] == ["diffuse_color"]
    assert paint_changed[0]["session"] == [0.0, 1.0, 0.0, 1.0]
    assert paint_changed[0]["library_file"][0] == paint_changed[0]["library_file"][1] != 0.0
    assert os.stat(library).st_mtime_ns == before  # the library file was only read
    assert bpy.data.objects["Crate", "//lib/props.blend"].location.x == 2.5  # the session is as it was


def test_values_of_every_kind_read_back_as_they_were(tmp_path):
    """Each side holds its values as text (``_rna_values.encoded``); the changed ones are read back for the report:
    strings with quotes and line breaks, nested custom properties, and a float with no literal (shown as its text)."""
    link_everything(tmp_path)
    crate = bpy.data.objects["Crate", "//lib/props.blend"]
    crate["label"] = 'it\'s "quoted"\nand\ttabbed \u00e9'
    crate["meta"] = {"sizes": [1, 2, 3], "name": "lid"}
    crate["ratio"] = float("nan")
    crate["big"] = float("-inf")
    (finding,) = scan()
    changed = {c["property"]: c["session"] for c in finding["details"]["changed"]}
    assert changed == {
        '["big"]': "-inf",
        '["label"]': 'it\'s "quoted"\nand\ttabbed \u00e9',
        '["meta"]': {"sizes": [1, 2, 3], "name": "lid"},
        '["ratio"]': "nan",
    }
    gd = __import__("blender_scenes").extension()
    values = gd.checks._rna_values
    for value in (
        None,
        True,
        0,
        -3,
        0.1,
        1e300,
        "",
        "a\udcff",
        [1.0, [2, "x"]],
        {"k": [None]},
        ["ID", "OBJECT", "n", None],
    ):
        assert values.decoded(values.encoded({"p": value})["p"]) == value


def test_library_data_pointing_at_local_data_is_an_error(tmp_path):
    link_everything(tmp_path)
    local = add_object("LocalParent")
    barrel = bpy.data.objects["Barrel", "//lib/props.blend"]
    barrel.parent = local
    assert barrel.parent == local  # 4.2, 4.5 and 5.0 accept it (a linked material's image node pointer: no)
    (finding,) = scan()
    assert (finding["severity"], finding["id_name"]) == ("ERROR", "Barrel")
    assert finding["details"]["points_at_local_data"] == ["parent"]
    parent_change = next(c for c in finding["details"]["changed"] if c["property"] == "parent")
    assert parent_change == {
        "property": "parent",
        "session": ["ID", "OBJECT", "LocalParent", None],
        "library_file": None,
    }
    assert 'It points at local data (parent -> object "LocalParent")' in finding["message"]


def test_the_other_checks_run_while_the_child_reads_the_library(tmp_path):
    """The check waits on its child without blocking the scan: the engine parks it and runs the next checks, then
    finishes it; the findings are the synchronous scan's."""
    link_everything(tmp_path)
    bpy.data.objects["Crate", "//lib/props.blend"].location.x = 2.5
    gd = __import__("blender_scenes").extension()
    expected = sorted((f.check, f.id_name) for f in gd.runner.scan_findings(["library_data_modified", "name_limits"]))
    engine = gd.runner.make_engine(["library_data_modified", "name_limits"])
    running: list[str] = []
    while not engine.step(0.0):
        running.append(engine.current_title)
    # Parked at its first wait; "Names at the limit" ran to its end; then it was the running check again.
    first_other = running.index("Names at the limit")
    assert running[0] == "Changed library data" and first_other > 0
    assert (
        running[-1] == "Changed library data"
        and "Names at the limit" not in running[running.index("Changed library data", first_other) :]
    )
    assert sorted((f.check, f.id_name) for f in engine.findings) == expected == [("library_data_modified", "Crate")]


def test_a_child_that_dies_before_writing_every_value_is_a_finding_not_a_comparison(tmp_path, monkeypatch):
    # A stand-in for a child Blender that crashes on the library (the real reader cannot be made to crash on demand):
    # it writes nothing and exits with status 3. The scan says it could not compare, rather than "nothing changed".
    link_everything(tmp_path)
    bpy.data.objects["Crate", "//lib/props.blend"].location.x = 2.5
    gd = __import__("blender_scenes").extension()
    module = __import__(gd.__name__ + ".checks.library_data_modified", fromlist=["child_command"])
    crash = "import sys; sys.stderr.write('Segmentation fault'); sys.exit(3)"
    monkeypatch.setattr(module, "child_command", lambda task_path: [module.sys.executable, "-c", crash])
    findings = scan()
    assert [(f["check"], f["severity"]) for f in findings] == [("library_data_modified", "INFO")]
    assert findings[0]["details"]["reason"] == (
        "the child Blender ended (exit status 3) before writing every value: Segmentation fault"
    )
    assert findings[0]["message"].startswith("Could not compare linked data with its library file (//lib/props.blend)")


def _run_child(module, tmp_path, library_path: str, key: str, items: list[list[str]]) -> dict:
    """The child alone on a task naming one library: the values and errors it writes."""
    import json
    import subprocess

    out, done, task_path = tmp_path / "values", tmp_path / "done", tmp_path / "task.json"
    out.mkdir(exist_ok=True)
    for part in out.iterdir():
        part.unlink()
    done.unlink(missing_ok=True)
    task = {"values_module": module._rna_values.__file__, "out": str(out), "done": str(done), "part": 50,
            "libraries": [{"path": library_path, "key": key, "items": items}]}  # fmt: skip
    task_path.write_text(json.dumps(task), encoding="utf-8")
    env = dict(os.environ, BLENDER_USER_RESOURCES=str(tmp_path / "user"))
    subprocess.run(module.child_command(str(task_path)), env=env, capture_output=True, timeout=300, check=False)
    assert done.exists()
    written: dict = {}
    for part in sorted(out.glob("*.json")):
        entry = json.loads(part.read_text(encoding="utf-8"))
        written.update(entry.get("values", {}))
        if "error" in entry:
            written["error"] = entry["error"]
    return written


def test_the_child_links_the_datablocks_and_reads_them_as_linked_data(tmp_path):
    """The child links what this session links into an empty file (an older library's data is versioned as it is
    linked; opened on its own as a main file some values come out otherwise) and reads it as linked data, encoded as
    this session's side is: pointers within the library name the library. A name the library no longer holds is
    null; a library that cannot be read is an error. A change by Python is still found."""
    library = link_everything(tmp_path)
    bpy.data.objects["Crate", "//lib/props.blend"].location.x = 2.5
    findings = scan()
    assert [(f["id_name"], f["severity"], [c["property"] for c in f["details"]["changed"]]) for f in findings] == [
        ("Crate", "WARNING", ["location"])
    ]
    gd = __import__("blender_scenes").extension()
    module = __import__(gd.__name__ + ".checks.library_data_modified", fromlist=["child_command"])
    key = module._rna_values.library_key(bpy.data.libraries["props.blend"], {})
    assert key == str(library)
    values = _run_child(module, tmp_path, key, key, [["objects", "Crate"], ["objects", "Gone"]])
    assert sorted(values) == ["objects\tCrate", "objects\tGone"] and values["objects\tGone"] is None
    crate = values["objects\tCrate"]
    assert crate["location"] == "[0.0, 0.0, 0.0]"  # as saved in the library, not this session's 2.5
    assert crate["data"] == str(["ID", "MESH", "CrateMesh", key])  # its mesh, in that library, as linked here
    failed = _run_child(module, tmp_path, str(tmp_path / "nowhere.blend"), key, [["objects", "Crate"]])
    assert list(failed) == ["error"] and "nowhere.blend" in failed["error"]
