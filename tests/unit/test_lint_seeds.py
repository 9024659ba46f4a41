"""Every "Do not" example of Blender's Gotchas pages is caught (one, measured harmless now, with what it means
instead), and every "Do" example stays quiet.

The examples are those of the pages (Python API "Gotchas", "Troubleshooting Errors & Crashes"), each run through
the linter as a whole script; the expected finding is asserted exactly (rule, topic, line).
"""

from __future__ import annotations

import textwrap

import pytest
from gotcha_doctor.core.lint import lint_source


def lint(code: str, **options: object) -> list[tuple[str, str | None, int]]:
    return [(f.rule, f.topic, f.line) for f in lint_source(textwrap.dedent(code), "seed.py", **options)]  # type: ignore[arg-type]


DO_NOT = {
    "collection-add (Help! My script crashes Blender)": (
        """\
        import bpy

        class TestItems(bpy.types.PropertyGroup):
            name: bpy.props.StringProperty()

        bpy.utils.register_class(TestItems)
        bpy.types.Scene.test_items = bpy.props.CollectionProperty(type=TestItems)

        first_item = bpy.context.scene.test_items.add()
        for i in range(100):
            bpy.context.scene.test_items.add()

        # This is likely to crash, as internal code may re-allocate
        # the whole container (the collection) memory at some point.
        first_item.name = "foobar"
        """,
        [("GD105", "stale-reference", 15)],
    ),
    "mode switch, an item kept (Edit-Mode / Memory Access)": (
        """\
        import bpy
        mesh = bpy.context.active_object.data
        polygon = mesh.polygons[0]
        bpy.ops.object.mode_set(mode='EDIT')
        bpy.ops.object.mode_set(mode='OBJECT')

        # this will crash
        print(polygon.vertices[:])
        """,
        [("GD102", "mode-switch-realloc", 8)],
    ),
    "bezier point (Array Re-Allocation)": (
        """\
        import bpy
        bpy.ops.curve.primitive_bezier_curve_add()
        point = bpy.context.object.data.splines[0].bezier_points[0]
        bpy.context.object.data.splines[0].bezier_points.add()

        # this will crash!
        point.co = 1.0, 2.0, 3.0
        """,
        [("GD101", "array-realloc", 7)],
    ),
    "removed mesh (Removing Data)": (
        """\
        import bpy
        mesh = bpy.data.meshes.new(name="MyMesh")
        # normally the script would use the mesh here...
        bpy.data.meshes.remove(mesh)
        print(mesh.name)  # <- give an exception rather than crashing:
        """,
        [("GD104", "removed-data", 5)],
    ),
    "sub-data of removed mesh (Removing Data)": (
        """\
        import bpy
        mesh = bpy.data.meshes.new(name="MyMesh")
        vertices = mesh.vertices
        bpy.data.meshes.remove(mesh)
        print(vertices)  # <- this may crash
        """,
        [("GD104", "removed-data", 5)],
    ),
    "all_objects (Collection Objects)": (
        """\
        import bpy
        for object in bpy.data.collections["Collection"].all_objects:
            object.hide_viewport = True
        """,
        [("GD190", "collection-iteration", 3)],
    ),
    "threading.Timer (Threading)": (
        """\
        def func():
            print("Running...")
            import bpy
            bpy.data.objects['Cube'].location.x += 0.05

        def my_timer():
            from threading import Timer
            t = Timer(0.1, my_timer)
            t.start()
            func()

        my_timer()
        """,
        [("GD121", "threading", 8)],
    ),
    "redraw timer (Can I redraw during script execution?)": (
        """\
        import bpy
        bpy.ops.wm.redraw_timer(type='DRAW_WIN_SWAP', iterations=1)
        """,
        [("GD130", "redraw-hack", 2)],
    ),
    "new mesh looked up by name (Naming Limitations)": (
        """\
        import bpy

        def import_mesh(meshid):
            bpy.data.meshes.new(name=meshid)

            # normally some code, function calls...
            return bpy.data.meshes[meshid]
        """,
        [("GD180", "data-name-limits", 7)],
    ),
    "renamed object looked up by name (Naming Limitations)": (
        """\
        import bpy

        def rename(obj, objname):
            obj.name = objname

            # normally some code, function calls...
            obj = bpy.data.objects[objname]
            return obj
        """,
        [("GD180", "data-name-limits", 7)],
    ),
    "path printed (Unicode Problems)": (
        """\
        import bpy
        print(bpy.data.filepath)
        """,
        [("GD155", "non-utf8-path", 2)],
    ),
    "path assigned to a name (Unicode Problems)": (
        """\
        import bpy
        bpy.context.object.name = bpy.data.filepath
        """,
        [("GD155", "non-utf8-path", 2)],
    ),
    "stale matrix_world (No updates after setting values)": (
        """\
        import bpy
        bpy.context.object.location = 1, 2, 3
        print(bpy.context.object.matrix_world)
        """,
        [("GD132", "stale-depsgraph", 3)],
    ),
    "argparse (sys.exit)": (
        """\
        import argparse
        import sys

        parser = argparse.ArgumentParser()
        parser.add_argument("--count", type=int)
        args = parser.parse_args(sys.argv[sys.argv.index("--") + 1 :])
        """,
        [("GD141", "sys-exit", 6)],
    ),
    "name lookup in code that links libraries (Library Collisions)": (
        """\
        import bpy
        bpy.data.libraries.load("//my_lib.blend", link=True)
        # typical name lookup, could be local or library.
        obj = bpy.data.objects["my_obj"]
        """,
        [("GD182", "library-name-collision", 4)],
    ),
}

DO = {
    "collection re-fetched after adding (Help! My script crashes Blender)": """\
        import bpy

        class TestItems(bpy.types.PropertyGroup):
            name: bpy.props.StringProperty()

        bpy.utils.register_class(TestItems)
        bpy.types.Scene.test_items = bpy.props.CollectionProperty(type=TestItems)

        first_item = bpy.context.scene.test_items.add()
        for i in range(100):
            bpy.context.scene.test_items.add()

        # This is safe, we are getting again desired data *after*
        # all modifications to its container are done.
        first_item = bpy.context.scene.test_items[0]
        first_item.name = "foobar"
        """,
    "polygons re-read after the switch (Edit-Mode / Memory Access)": """\
        import bpy
        mesh = bpy.context.active_object.data
        polygons = mesh.polygons
        bpy.ops.object.mode_set(mode='EDIT')
        bpy.ops.object.mode_set(mode='OBJECT')

        # polygons have been re-allocated
        polygons = mesh.polygons
        print(polygons)
        """,
    "all_objects copied (Collection Objects)": """\
        import bpy
        for object in bpy.data.collections["Collection"].all_objects[:]:
            object.hide_viewport = True
        """,
    "threads joined (Threading)": """\
        import threading
        import time

        def prod():
            print(threading.current_thread().name, "Starting")

            # do something vaguely useful
            import bpy
            from mathutils import Vector
            from random import random

            prod_vec = Vector((random() - 0.5, random() - 0.5, random() - 0.5))
            print("Prodding", prod_vec)
            bpy.data.objects["Cube"].location += prod_vec
            time.sleep(random() + 1.0)
            # finish

            print(threading.current_thread().name, "Exiting")

        threads = [threading.Thread(name="Prod %d" % i, target=prod) for i in range(10)]

        print("Starting threads...")

        for t in threads:
            t.start()

        print("Waiting for threads to finish...")

        for t in threads:
            t.join()
        """,
    "own name mapping (Naming Limitations)": """\
        import bpy

        def import_meshes(meshids):
            # typically declared in the main body of the function.
            mesh_name_mapping = {}

            for meshid in meshids:
                mesh = bpy.data.meshes.new(name=meshid)
                mesh_name_mapping[meshid] = mesh

            # normally some code, or function calls...

            # use own dictionary rather than bpy.data
            return [mesh_name_mapping[meshid] for meshid in meshids]
        """,
    "library pairs (Library Collisions)": """\
        import bpy
        bpy.data.libraries.load("//my_lib.blend", link=True)
        obj = bpy.data.objects["my_obj", "//my_lib.blend"]
        obj = bpy.data.objects["my_obj", None]
        obj = bpy.data.objects.get(("my_obj", None))
        """,
    "abspath with library (Relative File Paths)": """\
        import os
        import bpy
        for image in bpy.data.images:
            path = bpy.path.abspath(image.filepath, library=image.library)
            print(repr(path), os.path.exists(path))
        """,
    "abspath of local data (Relative File Paths)": """\
        import bpy
        image = bpy.data.images[0]
        print(repr(bpy.path.abspath(image.filepath)))
        """,
    "path shown with repr and re-encoded (Unicode Problems)": """\
        import os
        import bpy
        print(repr(bpy.data.filepath))
        filepath_bytes = os.fsencode(bpy.data.filepath)
        filepath_utf8 = filepath_bytes.decode('utf-8', "replace")
        bpy.context.object.name = filepath_utf8
        """,
    "matrix after view_layer.update() (No updates after setting values)": """\
        import bpy
        bpy.context.object.location = 1, 2, 3
        bpy.context.view_layer.update()
        print(bpy.context.object.matrix_world)
        """,
    "edit bones in Edit Mode, head/tail read (Bones)": """\
        import bpy
        from mathutils import Vector
        bpy.ops.object.mode_set(mode='EDIT')
        bpy.context.object.data.edit_bones["Bone"].head = Vector((1.0, 2.0, 3.0))
        bpy.ops.object.mode_set(mode='OBJECT')
        bpy.context.object.data.bones["Bone"].use_deform = True
        tail = bpy.context.object.data.bones["Bone"].tail
        print(tail)
        """,
    "pose bones from the object (Pose Bones)": """\
        import bpy
        pose_bone = bpy.context.object.pose.bones["Bone"]
        print(pose_bone.constraints[0].name if pose_bone.constraints else None)
        print(bpy.context.active_pose_bone)
        """,
}


# The page's own "Edit-Mode / Memory Access" example keeps the collection, not an item of it: Blender reads a
# collection anew from its mesh each time, so after the mode switch it lists the new polygons (measured on every
# supported version by tests/blender/test_lint_in_blender.py, in a child process: no crash). Items kept across
# the switch are what the page means, and are reported (above, with the item instead).
PAGE_EXAMPLE_OF_A_KEPT_COLLECTION = """\
    import bpy
    mesh = bpy.context.active_object.data
    polygons = mesh.polygons
    bpy.ops.object.mode_set(mode='EDIT')
    bpy.ops.object.mode_set(mode='OBJECT')

    # this will crash
    print(polygons)
    """


def test_a_collection_kept_across_a_mode_switch_is_not_reported() -> None:
    assert lint(PAGE_EXAMPLE_OF_A_KEPT_COLLECTION) == []


@pytest.mark.parametrize("name", sorted(DO_NOT))
def test_do_not_examples_are_caught(name: str) -> None:
    code, expected = DO_NOT[name]
    assert lint(code) == expected


@pytest.mark.parametrize("name", sorted(DO))
def test_do_examples_stay_quiet(name: str) -> None:
    assert lint(DO[name]) == []
