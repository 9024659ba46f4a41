"""Shapes of code met in public add-ons (the linter run over them, every finding read): each case is a minimal
reproduction, written for this project, of code the linter must get right. Quiet cases were false positives once;
reported cases are real bugs found there."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from gotcha_doctor.core.lint import lint_source
from gotcha_doctor.core.lint.files import decode_source, headless_in, iter_python_files, standalone_file
from gotcha_doctor.core.lint.tree import lint_paths


def lint(code: str) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in lint_source(textwrap.dedent(code), "addon.py", select=["ALL"])]


QUIET = {
    "strings and numbers copied before remove() (GD104)": """\
        def rebuild_fcurves(action):
            for fcurve in list(action.fcurves):
                path = fcurve.data_path
                index = fcurve.array_index
                action.fcurves.remove(fcurve)
                new = action.fcurves.new(path, index=index)
                new.extrapolation = 'CONSTANT'
        """,
    "pose bones kept across a mode switch (GD103)": """\
        import bpy

        def group_imported_bones(rig):
            imported = [bone for bone in rig.pose.bones if bone.get("imported") is not None]
            bpy.ops.object.mode_set(mode='POSE')
            for bone in imported:
                bone.custom_shape_scale_xyz = (2.0, 2.0, 2.0)
        """,
    "a track added to nla_tracks, a linked list, keeps the others in place (GD105)": """\
        def layer(anim_data, base_action, fix_action):
            base = anim_data.nla_tracks.new()
            fix = anim_data.nla_tracks.new()
            base.strips.new("Base", 1, base_action)
            fix.strips.new("Fix", 1, fix_action)
        """,
    "names read as dictionary keys while iterating bpy.data, nothing renamed (GD191)": """\
        import bpy

        def remember_state():
            state = {}
            for ob in bpy.data.objects:
                state[ob.name] = {"hide": ob.hide_get(), "select": ob.select_get()}
                state[ob.name]["parent"], _ = (ob.parent.name if ob.parent else "", None)
            return state
        """,
    "get-or-create of a shared object in a loop, after an inner loop (GD180)": """\
        import bpy

        def show_spheres(rigs):
            for rig in rigs:
                for child in rig.children:
                    child.hide_set(True)
                sphere = bpy.data.objects.get("display_sphere")
                if not sphere:
                    sphere = bpy.data.objects.new("display_sphere", None)
                for bone in rig.pose.bones:
                    bone.custom_shape = sphere
        """,
    "each selected object's transform restored at the end of its turn, after inner loops (GD132)": """\
        def align(context):
            for obj in context.selected_objects:
                scale = obj.scale.copy()
                normal = obj.data.polygons[0].normal.copy()
                for polygon in obj.data.polygons:
                    normal += polygon.normal
                normal.rotate(obj.matrix_world)
                obj.scale = scale
        """,
    "data made only when its name is free, then looked up by that name (GD180)": """\
        import bpy

        STORAGE = ".connection_storage"

        def init_storage():
            if STORAGE not in bpy.data.collections:
                bpy.data.collections.new(STORAGE)
            bpy.data.collections[STORAGE].use_fake_user = True

        def single_color_image():
            if bpy.data.images.get("single_color") is None:
                bpy.data.images.new("single_color", 4, 4, alpha=True)
            return bpy.data.images["single_color"]
        """,
    "a BMesh color layer used after a second one was added (GD105)": """\
        import bmesh

        def paint(mesh, colors, alphas):
            bm = bmesh.new()
            bm.from_mesh(mesh)
            color = bm.loops.layers.color.new("Col")
            alpha = bm.loops.layers.color.new("Col_A")
            for face in bm.faces:
                for loop in face.loops:
                    loop[color] = colors[loop.vert.index]
                    loop[alpha] = alphas[loop.vert.index]
            bm.to_mesh(mesh)
            bm.free()
        """,
    "a button's operator given a collection's name, then the collection looked up (GD180)": """\
        import bpy

        def draw_decal_row(layout, hidden):
            name = ".Decals" if hidden else "Decals"
            op = layout.row().operator("machin3.select_collection", text="Decals")
            op.name = name
            decals = bpy.data.collections.get(name)
            if decals:
                layout.label(text=f"{len(decals.objects)} decals")
        """,
    "Edit Mode entered and left under the same remembered mode, the mesh read after (GD160)": """\
        import bpy

        class MESH_OT_quadsphere(bpy.types.Operator):
            bl_idname = "mesh.quadsphere"
            bl_label = "Quad Sphere"
            bl_options = {'REGISTER', 'UNDO'}

            def execute(self, context):
                bpy.ops.mesh.primitive_cube_add()
                mode = context.mode
                if mode == 'OBJECT':
                    bpy.ops.object.mode_set(mode='EDIT')
                for _ in range(3):
                    bpy.ops.mesh.subdivide(number_cuts=1)
                    bpy.ops.transform.tosphere(value=1)
                if mode == 'OBJECT':
                    bpy.ops.object.mode_set(mode='OBJECT')
                mesh = context.active_object.data
                self.report({'INFO'}, f"{len(mesh.vertices)} vertices")
                return {'FINISHED'}
        """,
    "materials appended (libraries.load without link=) then found by name (GD182), flags listed before a rebuild (GD102)": """\
        import bpy

        def import_material(path, name):
            with bpy.data.libraries.load(path) as (data_from, data_to):
                data_to.materials = [name]
            return bpy.data.materials.get("FF " + name)

        def rebuild(obj, vertices, triangles):
            names = [uv.name for uv in obj.data.uv_layers]
            active = [uv.active for uv in obj.data.uv_layers]
            active_render = [uv.active_render for uv in obj.data.uv_layers]
            kinds = [attribute.data_type for attribute in obj.data.color_attributes]
            domains = [attribute.domain for attribute in obj.data.color_attributes]
            obj.data.clear_geometry()
            obj.data.from_pydata(vertices, [], triangles)
            for index, name in enumerate(names):
                layer = obj.data.uv_layers.new(name=name)
                layer.active = active[index]
                layer.active_render = active_render[index]
            return kinds, domains
        """,
    "a script for blender -b --python, reading its arguments after --, exits when it cannot go on (GD140)": """\
        import sys

        import bpy

        def output_path():
            if "--" in sys.argv:
                return sys.argv[sys.argv.index("--") + 1 :][0]
            return bpy.context.scene.render.filepath

        domain = bpy.context.scene.objects.get("Domain")
        if domain is None:
            print("No domain in this file")
            exit()
        bpy.ops.wm.alembic_export(filepath=output_path())
        """,
    "an empty removed, its only child kept from the tuple of children taken before (GD104)": """\
        import bpy

        def collapse(root, name):
            children = root.children
            if len(children) == 1 and children[0].type == "MESH":
                matrix = children[0].matrix_world.copy()
                children[0].parent = None
                children[0].matrix_world = matrix
                bpy.data.objects.remove(root)
                children[0].name = name
                return children[0]
            return root
        """,
    "each node removed in turn, the next one found afresh by the loop's walrus test (GD104)": """\
        def clear_world(node_tree, keep_type):
            while node := next((node for node in node_tree.nodes if not isinstance(node, keep_type)), None):
                node_tree.nodes.remove(node)
        """,
    "edit bones of the armature data a context manager from another module hands over (GD170)": """\
        from .base import save_bone_transforms

        def straighten(context, armature, names):
            with save_bone_transforms(context, armature) as armature_data:
                for name in names:
                    bone = armature_data.edit_bones.get(name)
                    if bone:
                        bone.roll = 0.0
        """,
    "a color layer added and made active in Edit Mode after selecting everything (GD160)": """\
        import bpy

        def assign_color_id(obj):
            bpy.ops.object.mode_set(mode='EDIT')
            bpy.ops.mesh.select_all(action='SELECT')
            if "ColorID" not in obj.data.vertex_colors:
                obj.data.vertex_colors.new(name="ColorID")
            obj.data.vertex_colors["ColorID"].active = True
            obj.data.uv_layers.active_index = 0
        """,
    "UV selection cleared through a BMesh handed in, after a selection operator in Edit Mode (GD160)": """\
        import bpy
        import bmesh

        def selection_restore(bm, uv_layer):
            if bpy.context.object.mode != 'EDIT':
                bpy.ops.object.mode_set(mode='EDIT')
            bpy.ops.mesh.select_all(action='DESELECT')
            for face in bm.faces:
                for loop in face.loops:
                    loop[uv_layer].select = False
            bmesh.update_edit_mesh(bpy.context.object.data)
        """,
    "an operator that pushes its own undo step (GD115)": """\
        import bpy

        class MESH_OT_restore_selection(bpy.types.Operator):
            bl_idname = "mesh.restore_selection"
            bl_label = "Restore Selection"

            def execute(self, context):
                for vertex in context.object.data.vertices:
                    vertex.select = vertex.index in {0, 1, 2}
                bpy.ops.ed.undo_push(message="Restore Selection")
                return {'FINISHED'}
        """,
    "a name looked up after appending, which links nothing (GD182)": """\
        import bpy

        def append_material(directory, name):
            bpy.ops.wm.append(filename=name, directory=directory)
            with bpy.data.libraries.load("//mats.blend", link=False) as (source, target):
                target.materials = [name]
            material = bpy.data.materials[name]
            return material
        """,
    "an NLA track renamed, then an action looked up by that name (GD180)": """\
        import bpy

        def stitch(anim_data, name, frame):
            track = anim_data.nla_tracks.new()
            track.name = name
            action = bpy.data.actions[name]
            track.strips.new(name, frame, action)
        """,
    "a worker thread polled from a bpy.app.timers callback (GD122)": """\
        import threading
        import urllib.request

        import bpy

        def start_refresh(url, result):
            def work():
                result["body"] = urllib.request.urlopen(url).read()

            worker = threading.Thread(target=work, daemon=True)
            worker.start()

            def poll():
                if worker.is_alive():
                    return 0.1
                bpy.context.window_manager.progress_end()
                return None

            bpy.app.timers.register(poll, first_interval=0.1)
        """,
    "a command-line class made only under the main guard (GD140, GD141)": """\
        import argparse
        import sys

        class CommandLine:
            def __init__(self, argv):
                parser = argparse.ArgumentParser(prog="tool")
                parser.add_argument("inputs", nargs="*")
                self.args = parser.parse_known_args(argv[1:])[0]
                if not self.args.inputs:
                    sys.exit(2)

        if __name__ == "__main__":
            CommandLine(sys.argv)
        """,
    "a console-script main() nothing in the module calls (GD140)": """\
        import sys

        class Preprocessor:
            def __init__(self, argv=None):
                self.return_code = 0

        def main():
            sys.exit(Preprocessor(sys.argv).return_code)

        if __name__ == "__main__":
            sys.exit(Preprocessor(sys.argv).return_code)
        """,
    "vertices and shape keys kept across calc_loop_triangles() (GD102)": """\
        def export(mesh):
            vertices = mesh.vertices
            keys = [block for block in mesh.shape_keys.key_blocks if not block.mute]
            mesh.calc_loop_triangles()
            triangles = [tuple(triangle.vertices) for triangle in mesh.loop_triangles]
            return [vertex.co[:] for vertex in vertices], [key.name for key in keys], triangles
        """,
    "an operator that sets the active object and the camera back before it returns (GD115)": """\
        import bpy

        class OBJECT_OT_export_each(bpy.types.Operator):
            bl_idname = "object.export_each"
            bl_label = "Export Each"

            def execute(self, context):
                active = context.view_layer.objects.active
                camera = bpy.context.scene.camera
                try:
                    for obj in context.selected_objects:
                        context.view_layer.objects.active = obj
                        context.scene.camera = obj
                        bpy.ops.export_scene.gltf(filepath=f"/tmp/{obj.name}.glb", use_selection=True)
                finally:
                    bpy.context.scene.camera = camera
                context.view_layer.objects.active = active
                return {'FINISHED'}
        """,
    "an operator's first argument from a helper that returns no dict, or calls itself (GD201)": """\
        import bpy

        def how(invoke):
            return 'INVOKE_DEFAULT' if invoke else 'EXEC_DEFAULT'

        def forever(value):
            return forever(value)

        def run(invoke):
            bpy.ops.object.select_all(how(invoke), action='SELECT')
            bpy.ops.object.select_all(forever(invoke), action='SELECT')
        """,
    "a context-dict override in the branch an older Blender runs, beside temp_override (GD201)": """\
        import bpy

        def is_bl_newer_than(major, minor=0):
            return bpy.app.version >= (major, minor, 0)

        def add_tile(image, number):
            override = bpy.context.copy()
            override['edit_image'] = image
            if is_bl_newer_than(4):
                with bpy.context.temp_override(**override):
                    bpy.ops.image.tile_add(number=number)
            else:
                bpy.ops.image.tile_add(override, number=number)

        def invert(image):
            override = {'edit_image': image}
            if hasattr(bpy.context, "temp_override"):
                with bpy.context.temp_override(**override):
                    bpy.ops.image.invert()
            elif bpy.app.version < (3, 2, 0):
                bpy.ops.image.invert(override)

        def save(image, legacy_api):
            override = {'edit_image': image}
            if legacy_api:
                bpy.ops.image.save(override)
            else:
                with bpy.context.temp_override(**override):
                    bpy.ops.image.save()

        def delete(objects):
            if bpy.app.version < (3, 2, 0):
                bpy.ops.object.delete({"selected_objects": objects})
                return
            with bpy.context.temp_override(selected_objects=objects):
                bpy.ops.object.delete()

        def widget(context):
            if not bpy.app.version[0] >= 4:
                bpy.ops.view3d.toggle_xray(context.copy())
            if (3, 6) >= bpy.app.version[:2]:
                bpy.ops.view3d.toggle_xray(context.copy())

        B4 = bpy.app.version[0] >= 4

        def reload(image, area):
            override = {'edit_image': image, 'area': area}
            if not B4:
                bpy.ops.image.reload(override)
            else:
                with bpy.context.temp_override(**override):
                    bpy.ops.image.reload()
        """,
    "operators of editor groups that need no editor, called from a timer or a background script (GD203)": """\
        import bpy

        def pack_and_save():
            bpy.ops.file.pack_all()
            bpy.ops.file.make_paths_relative()
            bpy.ops.image.new(name="Baked", width=1024, height=1024)
            bpy.ops.text.new()
            return None

        bpy.app.timers.register(pack_and_save, first_interval=1.0)
        """,
    "another object's matrix_world, or one's own after setting matrix_world itself (GD132)": """\
        def parent_empty(empty, obj, cursor):
            empty.location = cursor.location.copy()
            empty.parent = obj
            empty.matrix_parent_inverse = obj.matrix_world.inverted()

        def duplicate(context, ob_orig):
            ob = ob_orig.copy()
            ob.parent = None
            context.collection.objects.link(ob)
            ob.matrix_world = ob_orig.matrix_world
            return ob.matrix_world.to_quaternion()
        """,
    "BMesh elements kept while more are added to the same BMesh (GD105)": """\
        from mathutils import Matrix

        def ring(bm, copies, angle):
            verts = bm.verts[:]
            faces = bm.faces[:]
            for _ in range(copies):
                rotation = Matrix.Rotation(angle, 4, "Z")
                mapped = {v: bm.verts.new(rotation @ v.co) for v in verts}
                for face in faces:
                    bm.faces.new(mapped[v] for v in face.verts)
        """,
    "a filepath argument parsed from the command line (GD150, GD155)": """\
        import argparse
        import bpy

        class Parser(argparse.ArgumentParser):
            def error(self, message):
                raise ValueError(message)

        parser = Parser()
        parser.add_argument("filepath")
        args, _rest = parser.parse_known_args(["manifest.toml"])
        with open(args.filepath, "rb") as stream:
            print(args.filepath, stream.read(4), bpy.app.version)
        """,
    "an operator run from Edit Mode toggling out of it, and object operators meanwhile (GD160)": """\
        import bpy

        class MESH_OT_points(bpy.types.Operator):
            bl_idname = "mesh.points"
            bl_label = "Points"
            bl_options = {'REGISTER', 'UNDO'}

            def execute(self, context):
                bpy.ops.object.editmode_toggle()
                bpy.ops.object.select_all(action='DESELECT')
                ob = context.view_layer.objects.active
                total = sum(v.co.length for v in ob.data.vertices)
                bpy.ops.object.editmode_toggle()
                bpy.ops.mesh.select_all(action='SELECT')
                bpy.ops.mesh.remove_doubles(threshold=total / 1000.0)
                bpy.ops.object.editmode_toggle()
                for edge in ob.data.edges:
                    edge.use_seam = True
                return {'FINISHED'}
        """,
    "a name given to one kind of data, looked up in another kind (GD180)": """\
        import bpy

        def add_snow(context, mesh):
            snow = bpy.data.objects.new("Snow", mesh)
            if "Snow" not in bpy.data.collections:
                collection = bpy.data.collections.new("Snow")
                context.scene.collection.children.link(collection)
            else:
                collection = bpy.data.collections["Snow"]
            collection.objects.link(snow)

        def add_light(name):
            bpy.context.object.name = name
            return bpy.data.materials.get(name)

        def rename_rig(name):
            rig = bpy.data.objects[name + "_rig"]
            rig.name = name
            return bpy.data.armatures[name]
        """,
    "a mesh's vertex collection, or numbers copied from a vertex, kept across a mode switch (GD102)": """\
        import bpy

        def pick(obj):
            bpy.ops.object.mode_set(mode='EDIT')
            verts = obj.data.vertices
            bpy.ops.object.mode_set(mode='OBJECT')
            return len(verts), verts[0].co.x

        def align(obj, axis):
            highest = 0.0
            for vert in obj.data.vertices:
                if vert.select and vert.co[axis] > highest:
                    highest = vert.co[axis]
            bpy.ops.object.mode_set(mode='OBJECT')
            for vert in obj.data.vertices:
                if vert.select:
                    vert.co[axis] = highest
        """,
    "counts read in Edit Mode before any operator, or after selection operators only (GD160)": """\
        import bpy

        def split_by_islands(obj):
            bpy.ops.object.mode_set(mode='EDIT')
            total = len(obj.data.vertices)
            bpy.ops.mesh.select_all(action='DESELECT')
            bpy.ops.object.vertex_group_select()
            bpy.ops.object.material_slot_assign()
            processed = [False] * len(obj.data.vertices)
            return total, processed
        """,
    "a second BMesh made with bmesh.new() leaves the first one alone (GD105)": """\
        import bmesh

        def build(parts):
            bm = bmesh.new()
            for part in parts:
                other = bmesh.new()
                other.verts.new(part)
                other.free()
            bm.verts.new((0.0, 0.0, 0.0))
            return bm
        """,
    "objects a class's new() makes belong to no Blender collection (GD105)": """\
        class Canvas:
            @classmethod
            def new(cls, width, height):
                return cls()

            def paste(self, tile, x, y):
                pass

        def mosaic(tiles, size):
            canvas = Canvas.new(size, size)
            for x, y in tiles:
                tile = Canvas.new(16, 16)
                canvas.paste(tile, x, y)
            return canvas
        """,
    "bone groups and driver variables are linked lists: a new one keeps the others in place (GD105)": """\
        def colorize(rig, driver):
            unused = rig.pose.bone_groups.new(name="Unused")
            unused.color_set = 'THEME14'
            leaves = rig.pose.bone_groups.new(name="Leaves")
            leaves.color_set = 'THEME03'
            unused.name = "Unused bones"
            first = driver.variables.new()
            second = driver.variables.new()
            first.name = "a"
            second.name = "b"

        def keyed(keying_set, rig):
            head = keying_set.paths.add(rig, "location")
            keying_set.paths.add(rig, "rotation_euler")
            head.group_method = 'NAMED'
        """,
    "the armature a constraint targets outlives the constraint's removal (GD104)": """\
        def retarget(rigid, bone_name):
            relation = rigid.constraints["parent"]
            rig = relation.target
            bone = rig.pose.bones[bone_name]
            rigid.constraints.remove(relation)
            track = bone.constraints.new('COPY_TRANSFORMS')
            track.target = rigid
            return bone.constraints["track"].target
        """,
    "a custom property set through the parent is no transform (GD132)": """\
        def preview_morphs(armature, morphs):
            for index, morph in enumerate(morphs):
                armature.parent.mmd_root.active_morph = index
            return armature.matrix_world.copy()
        """,
    "a scene's enum value kept in a module-level list is no datablock (GD110)": """\
        import bpy

        ignored = []

        class SCENE_OT_ignore_shape(bpy.types.Operator):
            bl_idname = "scene.ignore_shape"
            bl_label = "Ignore Shape"

            def execute(self, context):
                shape = context.scene.add_shape_key
                ignored.append(shape)
                return {'FINISHED'}
        """,
}


@pytest.mark.parametrize("name", sorted(QUIET))
def test_correct_code_from_public_addons_stays_quiet(name: str) -> None:
    assert lint(QUIET[name]) == []


REPORTED = {
    "edit bones kept across a mode switch, next to pose bones that are fine (GD103)": (
        """\
        import bpy

        def bend(rig):
            bpy.ops.object.mode_set(mode='EDIT')
            heads = [bone for bone in rig.data.edit_bones]
            poses = [bone for bone in rig.pose.bones]
            bpy.ops.object.mode_set(mode='POSE')
            for bone in poses:
                bone.rotation_mode = 'XYZ'
            heads[0].roll = 1.0
        """,
        [("GD103", 10)],
    ),
    "an F-curve used after remove(), its path copied before (GD104)": (
        """\
        def drop(action, fcurve):
            path = fcurve.data_path
            action.fcurves.remove(fcurve)
            print(path, fcurve.array_index)
        """,
        [("GD104", 4)],
    ),
    "a rename unpacked from a tuple while iterating bpy.data (GD191)": (
        """\
        import bpy

        def tag(suffix):
            for ob in bpy.data.objects:
                ob.name, ob["tagged"] = ob.name + suffix, True
        """,
        [("GD191", 5)],
    ),
    "an F-curve removed in an inner loop and read on that loop's next turn (GD104)": (
        """\
        def drop_locations(action, excluded):
            for fcurve in action.fcurves:
                for name in excluded:
                    if name not in fcurve.data_path:
                        if fcurve.data_path.endswith("location"):
                            action.fcurves.remove(fcurve)
        """,
        [("GD104", 4)],
    ),
    "data made when another kind's name is free, then looked up by that name (GD180)": (
        """\
        import bpy

        def brush_texture(name):
            if name not in bpy.data.textures:
                bpy.data.images.new(name, 4, 4)
            return bpy.data.images[name]
        """,
        [("GD180", 6)],
    ),
    "a mesh's color attribute used after another was added to the mesh (GD101)": (
        """\
        def paint(mesh):
            color = mesh.vertex_colors.new(name="Col")
            mesh.vertex_colors.new(name="Col_A")
            color.data[0].color = (1.0, 0.0, 0.0, 1.0)
        """,
        [("GD101", 4)],
    ),
    "Edit Mode left under a test whose name was assigned again when it was entered (GD160)": (
        """\
        import bpy

        def spherize(context):
            mode = context.mode
            if mode == 'OBJECT':
                bpy.ops.object.mode_set(mode='EDIT')
                mode = context.mode
            bpy.ops.transform.tosphere(value=1)
            if mode == 'OBJECT':
                bpy.ops.object.mode_set(mode='OBJECT')
            mesh = context.active_object.data
            return [vertex.co.copy() for vertex in mesh.vertices]
        """,
        [("GD160", 12)],
    ),
    "Edit Mode left under a test whose name was assigned between entering and leaving (GD160)": (
        """\
        import bpy

        def spherize(context):
            mode = context.mode
            if mode == 'OBJECT':
                bpy.ops.object.mode_set(mode='EDIT')
            bpy.ops.transform.tosphere(value=1)
            mode = context.mode
            if mode == 'OBJECT':
                bpy.ops.object.mode_set(mode='OBJECT')
            mesh = context.active_object.data
            return [vertex.co.copy() for vertex in mesh.vertices]
        """,
        [("GD160", 12)],
    ),
    "a library linked with a flag, then its object found by name alone (GD182)": (
        """\
        import bpy

        def bring(path, as_link):
            with bpy.data.libraries.load(path, link=as_link) as (data_from, data_to):
                data_to.objects = ["Tree"]
            return bpy.data.objects.get("Tree")
        """,
        [("GD182", 6)],
    ),
    "an add-on that exits when Blender runs in the background (GD140)": (
        """\
        import sys

        import bpy

        def register():
            if "--background" in sys.argv or bpy.app.background:
                print("not for background use")
                sys.exit(1)
        """,
        [("GD140", 8)],
    ),
    "a node removed, then read through the name a walrus bound before (GD104)": (
        """\
        def drop_first(node_tree):
            if (node := node_tree.nodes.get("Old")) is not None:
                node_tree.nodes.remove(node)
                print(node.name)
        """,
        [("GD104", 4)],
    ),
    "edit bones read inside a file opened with `with`, Edit Mode never entered (GD170)": (
        """\
        def export_rolls(armature, path):
            with open(path, "w") as out:
                for bone in armature.data.edit_bones:
                    out.write(f"{bone.name} {bone.roll}\\n")
        """,
        [("GD170", 3)],
    ),
    "UV coordinates read in Edit Mode after unwrapping there: the layer's data is empty (GD160)": (
        """\
        import bpy

        def unwrap_and_measure(obj):
            bpy.ops.object.mode_set(mode='EDIT')
            bpy.ops.uv.smart_project()
            return [loop.uv[0] for loop in obj.data.uv_layers.active.data]
        """,
        [("GD160", 6)],
    ),
    "a file's startup text that reads sys.argv and exits: it runs in the Blender that opens the file (GD140)": (
        """\
        import sys

        if len(sys.argv) > 9:
            sys.exit(1)
        """,
        [("GD140", 4)],
    ),
    "a thread started by an operator writes through the operator's context (GD120)": (
        """\
        import os
        from threading import Thread

        import bpy

        class EXPORT_OT_upload(bpy.types.Operator):
            bl_idname = "export.upload"
            bl_label = "Upload"

            def execute(self, context):
                path = os.path.join(bpy.app.tempdir, "out.glb")

                def worker():
                    send(path)
                    context.window_manager.progress_update(100)

                Thread(target=worker).start()
                return {"FINISHED"}

        def send(path):
            pass
        """,
        [("GD120", 17)],
    ),
    "an operator's thread reaches its context through another closure; a path join elsewhere (GD120)": (
        """\
        from os import path
        from threading import Thread

        import bpy

        class EXPORT_OT_upload(bpy.types.Operator):
            bl_idname = "export.upload"
            bl_label = "Upload"

            @staticmethod
            def vendored_dir():
                return path.sep.join(path.abspath(__file__).split(path.sep)[:-2])

            def execute(self, context):
                def cleanup():
                    context.window_manager.progress_end()

                def worker():
                    try:
                        send(self.vendored_dir())
                    finally:
                        cleanup()

                Thread(target=worker).start()
                return {"FINISHED"}

        def send(path):
            pass
        """,
        [("GD120", 24)],
    ),
    "a modal operator that sets the value back only when cancelled (GD115)": (
        """\
        import bpy

        class OBJECT_OT_slide(bpy.types.Operator):
            bl_idname = "object.slide"
            bl_label = "Slide"

            def modal(self, context, event):
                if event.type == 'MOUSEMOVE':
                    context.object.location.x = self.first_value + (event.mouse_x - self.first_mouse_x) * 0.01
                elif event.type == 'LEFTMOUSE':
                    return {'FINISHED'}
                elif event.type in {'RIGHTMOUSE', 'ESC'}:
                    context.object.location.x = self.first_value
                    return {'CANCELLED'}
                return {'RUNNING_MODAL'}

            def invoke(self, context, event):
                self.first_mouse_x = event.mouse_x
                self.first_value = context.object.location.x
                context.window_manager.modal_handler_add(self)
                return {'RUNNING_MODAL'}
        """,
        [("GD115", 3)],
    ),
    "a context dict built by a helper method and passed to an operator (GD201)": (
        """\
        import bpy

        class UV_OT_paint_island(bpy.types.Operator):
            bl_idname = "uv.paint_island"
            bl_label = "Paint Island"
            bl_options = {'REGISTER', 'UNDO'}

            def override(self, context):
                for area in context.screen.areas:
                    if area.type == 'VIEW_3D':
                        found = {'area': area, 'region': area.regions[-1]}
                        return found
                return None

            def execute(self, context):
                bpy.ops.paint.brush_select(self.override(context), image_tool='FILL')
                return {'FINISHED'}
        """,
        [("GD201", 16)],
    ),
    "an editor operator of the same group as context-free ones, called from a timer (GD203)": (
        """\
        import bpy

        def tidy():
            bpy.ops.file.pack_all()
            bpy.ops.image.save_as(filepath="/tmp/out.png")
            return None

        bpy.app.timers.register(tidy)
        """,
        [("GD203", 5)],
    ),
    "a context-dict override in a branch that Blender 4.0 and later run too (GD201)": (
        """\
        import bpy
        from . import compat

        def split(area):
            if bpy.app.version >= (4, 0, 0):
                factor = 0.3
            else:
                factor = 0.5
            override = {'area': area, 'region': area.regions[0]}
            bpy.ops.screen.area_split(override, direction='VERTICAL', factor=factor)

        def fill(context):
            override = context.copy()
            if compat.check_version(2, 80, 0) >= 0:
                bpy.ops.paint.brush_select(override, image_tool='FILL')
            else:
                bpy.ops.paint.brush_select(override, texture_paint_tool='FILL')
            if bpy.app.version >= (2, 80, 0):
                bpy.ops.paint.brush_select(override, image_tool='FILL')
            if bpy.app.version < (4, 2):
                bpy.ops.paint.brush_select(override, image_tool='FILL')
        """,
        [("GD201", 10), ("GD201", 15), ("GD201", 17), ("GD201", 19), ("GD201", 21)],
    ),
    "a new object's own matrix_world read after placing it (GD132)": (
        """\
        import bpy

        def place(name, location, parent):
            main_object = bpy.data.objects.new(name, None)
            main_object.location = location
            parent.parent = main_object
            parent.matrix_parent_inverse = main_object.matrix_world.inverted()
        """,
        [("GD132", 7)],
    ),
    "a mesh's vertices kept across vertices.add() (GD101), beside a BMesh (GD105 quiet)": (
        """\
        def grow(mesh, bm):
            first = mesh.vertices[0]
            mesh.vertices.add(4)
            first.co.x = 1.0
            kept = bm.verts[0]
            bm.verts.new((0.0, 0.0, 0.0))
            kept.co.x = 1.0
        """,
        [("GD101", 4)],
    ),
    "a toggle that a mesh operator shows entered Edit Mode, then a stale read (GD160)": (
        """\
        import bpy

        def subdivided_count(obj):
            bpy.ops.object.editmode_toggle()
            bpy.ops.mesh.subdivide()
            first = len(obj.data.vertices)
            bpy.ops.object.mode_set(mode='OBJECT')
            bpy.ops.object.editmode_toggle()
            bpy.ops.object.vertex_group_assign()
            return first, obj.data.vertices[0].groups
        """,
        [("GD160", 6), ("GD160", 10)],
    ),
    "a name given to an object, or to data of unknown kind, looked up again (GD180)": (
        """\
        import bpy

        def rename_rig(name):
            rig = bpy.data.objects[name + "_rig"]
            rig.name = name
            return bpy.data.objects.get(name)

        def rename(owner, name):
            owner.name = name
            return bpy.data.materials[name]
        """,
        [("GD180", 6), ("GD180", 10)],
    ),
    "a vertex, or its co vector, kept across a mode switch (GD102)": (
        """\
        import bpy

        def first_selected(obj):
            bpy.ops.object.mode_set(mode='OBJECT')
            for vert in obj.data.vertices:
                if vert.select:
                    where = vert.co
                    bpy.ops.object.mode_set(mode='EDIT')
                    return vert.index, where.x
        """,
        [("GD102", 9), ("GD102", 9)],
    ),
    "the redraw hack kept in a function attribute and called through it (GD130)": (
        """\
        import bpy

        def redraw():
            redraw.operator(**redraw.options)

        redraw.operator = bpy.ops.wm.redraw_timer
        redraw.options = dict(type='DRAW_WIN_SWAP', iterations=1)

        def fracture(cells):
            for cell in cells:
                redraw()
        """,
        [("GD130", 6)],
    ),
    "a value read back after the change and set again is no restore (GD115)": (
        """\
        import bpy

        class SCENE_OT_pick_camera(bpy.types.Operator):
            bl_idname = "scene.pick_camera"
            bl_label = "Pick Camera"

            def execute(self, context):
                context.scene.camera = context.active_object
                camera = context.scene.camera
                context.scene.camera = camera
                return {'FINISHED'}
        """,
        [("GD115", 3)],
    ),
    "joining strings is not joining the thread (GD122)": (
        """\
        import threading

        def fetch_all(urls, fetch):
            label = ", ".join(urls)
            threading.Thread(target=fetch, args=(urls,)).start()
            return label
        """,
        [("GD122", 5)],
    ),
    "an action renamed, then looked up by the requested name (GD180)": (
        """\
        import bpy

        def rename(action, name):
            action.name = name
            return bpy.data.actions[name]
        """,
        [("GD180", 5)],
    ),
    "a loop triangle kept across calc_loop_triangles() (GD102)": (
        """\
        def first_triangle(mesh):
            mesh.calc_loop_triangles()
            first = mesh.loop_triangles[0]
            mesh.calc_loop_triangles()
            return first.vertices[:]
        """,
        [("GD102", 5)],
    ),
    "a count read after an operator merged vertices in Edit Mode; a vertex moved in Edit Mode (GD160)": (
        """\
        import bpy

        def merge_and_pick(obj):
            mesh = obj.data
            bpy.ops.object.mode_set(mode='EDIT')
            bpy.ops.mesh.select_all(action='SELECT')
            bpy.ops.mesh.remove_doubles()
            middle = len(mesh.vertices) // 2
            mesh.vertices[middle].co.z = 0.0
            return middle
        """,
        [("GD160", 8), ("GD160", 9)],
    ),
    "a custom collection item kept across the next add(), a constraint's sub-data after its removal, a moved "
    "object's matrix_world and the active object kept at module level (GD105, GD104, GD132, GD110)": (
        """\
        import bpy

        kept = []

        class SCENE_OT_stack(bpy.types.Operator):
            bl_idname = "scene.stack"
            bl_label = "Stack"
            bl_options = {'REGISTER', 'UNDO'}

            def execute(self, context):
                first = context.scene.stack_items.add()
                context.scene.stack_items.add()
                first.name = "first"
                ob = context.object
                constraint = ob.constraints["track"]
                targets = constraint.targets
                ob.constraints.remove(constraint)
                targets.clear()
                ob.location.x = 1.0
                height = ob.matrix_world.translation.z
                active = context.view_layer.objects.active
                kept.append(active)
                return {'FINISHED'}
        """,
        [("GD105", 13), ("GD104", 18), ("GD132", 20), ("GD110", 22)],
    ),
    "an add-on's own CollectionProperty called layers: add() moves the items (GD105)": (
        """\
        def paste_layers(yp, names):
            current = yp.layers[yp.active_layer_index]
            for name in names:
                layer = yp.layers.add()
                layer.name = name
            current.enable = True
        """,
        [("GD105", 6)],
    ),
}


@pytest.mark.parametrize("name", sorted(REPORTED))
def test_bugs_like_those_in_public_addons_are_reported(name: str) -> None:
    code, expected = REPORTED[name]
    assert lint(code) == expected


def test_an_ascii_coding_cookie_is_utf8_and_a_latin1_text_is_not() -> None:
    """``# coding: ascii`` (or any cookie over pure-ASCII bytes) is UTF-8 already; a Latin-1 text with a byte
    above 127 is GD002."""
    assert decode_source(b"# coding: ascii\nLABEL = 'Settings'\n", "ascii.py").findings == ()
    assert decode_source(b"# -*- coding: latin-1 -*-\nLABEL = 'x'\n", "plain.py").findings == ()
    latin = decode_source(b"# -*- coding: latin-1 -*-\nLABEL = '\xe9'\n", "latin.py")
    assert [(f.rule, f.line) for f in latin.findings] == [("GD002", 1)]
    assert latin.text == "# -*- coding: latin-1 -*-\nLABEL = '\u00e9'\n"


def test_third_party_code_an_addon_carries_is_not_walked_unless_named(tmp_path: Path) -> None:
    """vendor/, third_party/ (and the like) and packages pip installed beside their .dist-info are skipped in a
    folder walk; the add-on's own lib/ is not; a skipped folder named on the command line is linted."""
    for relative in (
        "addon/__init__.py",
        "addon/lib/helpers.py",
        "addon/third_party/docutils/core.py",
        "addon/vendor/pcpp/pcmd.py",
        "addon/deps/rich/console.py",
        "addon/deps/six.py",
        "addon/deps/own_tool.py",
        "addon/extern_tools/mmd_tools_local/core/model.py",  # a copy of another add-on
        "addon/extern/fbx/export.py",
        "addon/externals.py",  # a module, not a folder: linted
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("X = 1\n")
    (tmp_path / "addon/deps/rich-13.7.1.dist-info").mkdir()
    (tmp_path / "addon/deps/six-1.16.0.dist-info").mkdir()
    problems: list[str] = []
    walked = [os.path.relpath(p, tmp_path) for p in iter_python_files([str(tmp_path / "addon")], problems.append)]
    assert sorted(walked) == [
        "addon/__init__.py",
        "addon/deps/own_tool.py",
        "addon/externals.py",
        "addon/lib/helpers.py",
    ]
    named = iter_python_files([str(tmp_path / "addon/third_party")], problems.append)
    assert [os.path.relpath(p, tmp_path) for p in named] == ["addon/third_party/docutils/core.py"]
    assert problems == []


def test_test_code_and_a_packages_main_may_exit_but_the_addon_may_not(tmp_path: Path) -> None:
    """A headless test run and ``python -m package`` report their result with sys.exit() (seen in a public add-on's
    tests/ folder): no GD140 there. The same call in the add-on's own module still is one."""
    exits = "import sys\n\n\ndef finish(ok):\n    if not ok:\n        sys.exit(1)\n"
    for relative in (
        "addon/__init__.py",
        "addon/tests/python/runner/common.py",
        "addon/test/helpers.py",
        "addon/test_export.py",
        "addon/export_test.py",
        "addon/conftest.py",
        "addon/tool/__main__.py",
        "addon/attest.py",  # only the name of test code counts, not a word ending in "test"
        "addon/contest/run.py",
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(exits)
    findings, files = lint_paths([str(tmp_path / "addon")], relative_to=str(tmp_path))
    assert files == 9
    assert sorted((f.file, f.rule, f.line) for f in findings) == [
        ("addon/__init__.py", "GD140", 6),
        ("addon/attest.py", "GD140", 6),
        ("addon/contest/run.py", "GD140", 6),
    ]
    # A file named on its own is judged as it is: a single-file add-on called test_tools.py runs inside Blender.
    named, _files = lint_paths([str(tmp_path / "addon/test_export.py")], relative_to=str(tmp_path))
    assert [(f.rule, f.line) for f in named] == [("GD140", 6)]
    # Judged below the folder linted: a checkout kept in a folder named tests is not test code.
    kept = tmp_path / "tests" / "addon"
    kept.mkdir(parents=True)
    (kept / "__init__.py").write_text("")
    (kept / "ops.py").write_text(exits)
    assert [(f.rule, f.line) for f in lint_paths([str(kept)])[0]] == [("GD140", 6)]
    assert headless_in("C:\\work\\addon\\tests\\run.py", ["C:\\work\\addon"])
    assert not headless_in("C:\\work\\tests\\addon\\ops.py", ["C:\\work\\tests\\addon\\"])


def test_programs_of_their_own_beside_or_inside_an_addon_may_exit_and_leave_threads(tmp_path: Path) -> None:
    """Seen in public add-on repositories: a ``setup.py`` and build scripts beside the add-on's folder, and a
    developer script inside it that parses its command line as it is imported. None imports anything of Blender,
    and Blender never runs them: their sys.exit() is no gotcha. Code of the add-on, and scripts for Blender, still
    may not exit."""
    files = {
        "setup.py": "import sys\nimport os\n\nif not os.path.isdir('src'):\n    sys.exit()\n",
        "tools/release.py": "import subprocess, sys\n\n\ndef main():\n    sys.exit(subprocess.call(['zip']))\n\n\nmain()\n",
        "run_in_blender.py": "import sys\nimport bpy\n\nif not bpy.data.objects:\n    sys.exit(1)\n",
        "addon/__init__.py": "import bpy\nbl_info = {'name': 'Addon'}\n",
        "addon/dev.py": "import argparse\n\nparser = argparse.ArgumentParser()\nargs = parser.parse_args()\nif args:\n    exit(1)\n",
        "addon/util.py": "import sys\n\n\ndef fail(message):\n    print(message)\n    sys.exit(1)\n",
        "addon/helpers/network.py": "import sys\n\n\ndef offline():\n    sys.exit(2)\n",
        "addon/ops.py": "import argparse\nfrom . import util\n\nargs = argparse.ArgumentParser().parse_args()\n",
        # a tool of its own beside the add-on: its threads run in its Python, not Blender's
        "tools/fetch_tiles.py": "import threading\n\n\ndef fetch():\n    pass\n\n\nthreading.Thread(target=fetch).start()\n",
        "addon/download.py": "import threading\n\n\ndef fetch():\n    pass\n\n\nthreading.Thread(target=fetch).start()\n",
    }
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    findings, count = lint_paths([str(tmp_path)], relative_to=str(tmp_path))
    assert count == len(files)
    assert sorted((f.file, f.rule, f.line) for f in findings) == [
        ("addon/download.py", "GD122", 8),  # the add-on's module: the thread runs in Blender
        ("addon/helpers/network.py", "GD140", 5),  # a namespace package inside the add-on: imported by it
        ("addon/ops.py", "GD141", 4),  # imports its package: the add-on's module
        ("addon/util.py", "GD140", 6),
        ("run_in_blender.py", "GD140", 5),
    ]
    assert standalone_file(str(tmp_path / "setup.py"))
    assert not standalone_file(str(tmp_path / "addon" / "helpers" / "network.py"))
    # The same source as a Text datablock or a string runs inside Blender: reported.
    assert lint(files["setup.py"]) == [("GD140", 5)]
