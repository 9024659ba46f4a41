"""The first check, end to end on a real linked library."""

import bpy
from blender_scenes import add_object, link_objects, listed_details, save_as, write_library


def make_collision_file(tmp_path):
    library = write_library(tmp_path / "assets" / "trees.blend", ["Oak", "Pine"])
    save_as(tmp_path / "shot" / "main.blend")
    link_objects(library, ["Oak", "Pine"])
    add_object("Oak")  # a local twin of the linked Oak
    save_as(tmp_path / "shot" / "main.blend")


def test_local_and_linked_objects_with_one_name_give_one_exact_finding(tmp_path):
    make_collision_file(tmp_path)
    assert bpy.ops.gotcha.scan(checks="library_name_collisions") == {"FINISHED"}
    found = list(bpy.context.window_manager.gotcha_doctor.findings)
    assert len(found) == 1
    item = found[0]
    assert (item.check, item.topic, item.severity) == ("library_name_collisions", "library-name-collision", "WARNING")
    assert (item.id_type, item.id_name, item.has_library) == ("OBJECT", "Oak", False)
    lib = "//../assets/trees.blend"
    assert listed_details(item) == {
        "libraries": [None, lib],
        "plain_lookup_returns": None,
        "lookup_local": 'bpy.data.objects["Oak", None]',
        "lookup_linked": f'bpy.data.objects["Oak", "{lib}"]',
    }
    assert 'bpy.data.objects["Oak"] returns the local one' in item.message
    # What the finding claims is what Blender does:
    assert bpy.data.objects["Oak"].library is None
    assert bpy.data.objects["Oak", lib].library.filepath == lib


def test_no_finding_without_a_shared_name(tmp_path):
    library = write_library(tmp_path / "lib.blend", ["Oak"])
    save_as(tmp_path / "main.blend")
    link_objects(library, ["Oak"])
    add_object("Birch")
    assert bpy.ops.gotcha.scan(checks="library_name_collisions") == {"FINISHED"}
    assert len(bpy.context.window_manager.gotcha_doctor.findings) == 0
