"""A wrong and a right example for every rule, in this project's own words.

They are the rule pages' examples (docs/lint/, written by tools/lint_docs.py), the help of ``--explain`` and of
SARIF rules, and the unit tests' positive and negative cases: the wrong example must give exactly its rule on the
line marked ``# <-``, the right one nothing at all.
"""

from __future__ import annotations

import textwrap

EXAMPLES: dict[str, tuple[str, str]] = {
    "GD101": (
        """
        import bpy
        def extend(curve):
            spline = curve.splines[0]
            first = spline.points[0]
            spline.points.add(3)
            first.co = (0, 0, 0, 1)  # <-
        """,
        """
        import bpy
        def extend(curve):
            spline = curve.splines[0]
            spline.points.add(3)
            first = spline.points[0]
            first.co = (0, 0, 0, 1)
        """,
    ),
    "GD102": (
        """
        import bpy
        def flatten(obj):
            verts = [v for v in obj.data.vertices if v.select]
            bpy.ops.object.mode_set(mode='EDIT')
            bpy.ops.object.mode_set(mode='OBJECT')
            for v in verts:  # <-
                v.co.z = 0
        """,
        """
        import bpy
        def flatten(obj):
            bpy.ops.object.mode_set(mode='EDIT')
            bpy.ops.object.mode_set(mode='OBJECT')
            for v in obj.data.vertices:
                if v.select:
                    v.co.z = 0
        """,
    ),
    "GD103": (
        """
        import bpy
        def add_bone(arm_obj):
            bpy.ops.object.mode_set(mode='EDIT')
            bone = arm_obj.data.edit_bones.new("Tip")
            head = bone.head
            bpy.ops.object.mode_set(mode='POSE')
            print(head)  # <-
        """,
        """
        import bpy
        def add_bone(arm_obj):
            bpy.ops.object.mode_set(mode='EDIT')
            bone = arm_obj.data.edit_bones.new("Tip")
            head = bone.head.copy()
            name = bone.name
            bpy.ops.object.mode_set(mode='POSE')
            print(head, arm_obj.pose.bones[name])
        """,
    ),
    "GD104": (
        """
        import bpy
        def strip(obj):
            mod = obj.modifiers[0]
            obj.modifiers.remove(mod)
            print(mod.name)  # <-
        """,
        """
        import bpy
        def strip(obj):
            mod = obj.modifiers[0]
            name = mod.name
            obj.modifiers.remove(mod)
            print(name)
        """,
    ),
    "GD105": (
        """
        import bpy
        def fill(scene):
            first = scene.my_items.add()
            for i in range(10):
                scene.my_items.add()
            first.value = 1  # <-
        """,
        """
        import bpy
        def fill(scene):
            scene.my_items.add()
            for i in range(10):
                scene.my_items.add()
            scene.my_items[0].value = 1
        """,
    ),
    "GD110": (
        """
        import bpy
        _cache = {}
        def remember(context):
            _cache["obj"] = context.active_object  # <-
        def register():
            pass
        """,
        """
        import bpy
        _cache = {}
        def remember(context):
            _cache["obj"] = context.active_object.name
        def register():
            pass
        """,
    ),
    "GD111": (
        """
        import bpy
        class GRAB_OT_move(bpy.types.Operator):
            bl_idname = "grab.move"
            bl_label = "Move"
            bl_options = {'REGISTER', 'UNDO'}
            def invoke(self, context, event):
                self.target = context.active_object  # <-
                context.window_manager.modal_handler_add(self)
                return {'RUNNING_MODAL'}
            def modal(self, context, event):
                self.target.location.x += 0.1
                return {'RUNNING_MODAL'}
        """,
        """
        import bpy
        class GRAB_OT_move(bpy.types.Operator):
            bl_idname = "grab.move"
            bl_label = "Move"
            bl_options = {'REGISTER', 'UNDO'}
            def invoke(self, context, event):
                self.target_name = context.active_object.name
                context.window_manager.modal_handler_add(self)
                return {'RUNNING_MODAL'}
            def modal(self, context, event):
                bpy.data.objects[self.target_name].location.x += 0.1
                return {'RUNNING_MODAL'}
        """,
    ),
    "GD115": (
        """
        import bpy
        class TIDY_OT_rename(bpy.types.Operator):  # <-
            bl_idname = "tidy.rename"
            bl_label = "Rename"
            def execute(self, context):
                context.active_object.name = "Tidy"
                return {'FINISHED'}
        """,
        """
        import bpy
        class TIDY_OT_rename(bpy.types.Operator):
            bl_idname = "tidy.rename"
            bl_label = "Rename"
            bl_options = {'REGISTER', 'UNDO'}
            def execute(self, context):
                context.active_object.name = "Tidy"
                return {'FINISHED'}
        """,
    ),
    "GD116": (
        """
        import bpy
        def tick():
            bpy.context.scene.frame_current += 1  # <-
            return 0.5
        bpy.app.timers.register(tick)
        """,
        """
        import bpy
        def tick():
            bpy.context.scene.frame_current += 1
            bpy.ops.ed.undo_push(message="Step frame")
            return 0.5
        bpy.app.timers.register(tick)
        """,
    ),
    "GD120": (
        """
        import threading
        import bpy
        def bake():
            bpy.context.scene.frame_set(10)
        def start():
            threading.Thread(target=bake).start()  # <-
        """,
        """
        import threading
        import bpy
        def bake():
            bpy.context.scene.frame_set(10)
        def start():
            worker = threading.Thread(target=bake)
            worker.start()
            worker.join()
        """,
    ),
    "GD121": (
        """
        import threading
        import bpy
        def nudge():
            bpy.data.objects["Cube"].location.x += 1
        threading.Timer(1.0, nudge).start()  # <-
        """,
        """
        import bpy
        def nudge():
            bpy.data.objects["Cube"].location.x += 1
            bpy.ops.ed.undo_push(message="Nudge")
        bpy.app.timers.register(nudge, first_interval=1.0)
        """,
    ),
    "GD122": (
        """
        import threading
        import urllib.request
        def fetch(url, into):
            into.append(urllib.request.urlopen(url).read())
        def start_download(url, into):
            threading.Thread(target=fetch, args=(url, into), daemon=True).start()  # <-
        """,
        """
        import threading
        import urllib.request
        def fetch(url, into):
            into.append(urllib.request.urlopen(url).read())
        def download(url, into):
            worker = threading.Thread(target=fetch, args=(url, into))
            worker.start()
            worker.join(timeout=30)
        """,
    ),
    "GD130": (
        """
        import bpy
        for step in range(10):
            bpy.ops.wm.redraw_timer(type='DRAW_WIN', iterations=1)  # <-
        """,
        """
        import bpy
        def step():
            return None
        bpy.app.timers.register(step)
        """,
    ),
    "GD131": (
        """
        import bpy
        def switch(context):
            context.window.workspace = bpy.data.workspaces["Shading"]
            print(context.window.workspace.name)  # <-
        """,
        """
        import bpy
        def switch(context):
            context.window.workspace = bpy.data.workspaces["Shading"]
            bpy.app.timers.register(lambda: print(bpy.context.window.workspace.name))
        """,
    ),
    "GD132": (
        """
        import bpy
        def place(obj, parent):
            obj.parent = parent
            return obj.matrix_world.translation  # <-
        """,
        """
        import bpy
        def place(context, obj, parent):
            obj.parent = parent
            context.view_layer.update()
            return obj.matrix_world.translation
        """,
    ),
    "GD140": (
        """
        import sys
        import bpy
        def export(path):
            if not path:
                sys.exit(1)  # <-
        """,
        """
        import sys
        import bpy
        def export(path):
            if not path:
                raise ValueError("no path")
        if __name__ == "__main__":
            sys.exit(0)
        """,
    ),
    "GD141": (
        """
        import argparse
        import sys
        def options():
            parser = argparse.ArgumentParser()
            return parser.parse_args(sys.argv[sys.argv.index("--") + 1:])  # <-
        """,
        """
        import argparse
        import sys
        def options():
            parser = argparse.ArgumentParser()
            try:
                return parser.parse_args(sys.argv[sys.argv.index("--") + 1:])
            except SystemExit:
                return None
        """,
    ),
    "GD150": (
        """
        import os
        import bpy
        def sizes():
            return [os.path.getsize(img.filepath) for img in bpy.data.images]  # <-
        """,
        """
        import os
        import bpy
        def sizes():
            return [os.path.getsize(bpy.path.abspath(img.filepath, library=img.library)) for img in bpy.data.images]
        """,
    ),
    "GD151": (
        """
        import bpy
        def where(img):
            return bpy.path.abspath(img.filepath)  # <-
        """,
        """
        import bpy
        def where(img):
            return bpy.path.abspath(img.filepath, library=img.library)
        """,
    ),
    "GD155": (
        """
        import bpy
        def show(self, img):
            self.report({'INFO'}, f"Saved {img.filepath}")  # <-
        """,
        """
        import bpy
        def show(self, img):
            self.report({'INFO'}, f"Saved {img.filepath!r}")
        """,
    ),
    "GD160": (
        """
        import bpy
        def subdivided_count(obj):
            bpy.ops.object.mode_set(mode='EDIT')
            bpy.ops.mesh.subdivide()
            return len(obj.data.vertices)  # <-
        """,
        """
        import bpy
        def subdivided_count(obj):
            bpy.ops.object.mode_set(mode='EDIT')
            bpy.ops.mesh.subdivide()
            obj.update_from_editmode()
            return len(obj.data.vertices)
        """,
    ),
    "GD161": (
        """
        import bpy
        from bpy_extras.io_utils import ExportHelper
        class EXPORT_OT_pts(bpy.types.Operator, ExportHelper):
            bl_idname = "export.pts"
            bl_label = "Export points"
            filename_ext = ".pts"
            def execute(self, context):
                mesh = context.active_object.data
                with open(self.filepath, "w") as out:
                    for v in mesh.vertices:  # <-
                        out.write(f"{v.co.x} {v.co.y} {v.co.z}\\n")
                return {'FINISHED'}
        """,
        """
        import bpy
        from bpy_extras.io_utils import ExportHelper
        class EXPORT_OT_pts(bpy.types.Operator, ExportHelper):
            bl_idname = "export.pts"
            bl_label = "Export points"
            filename_ext = ".pts"
            def execute(self, context):
                obj = context.active_object
                obj.update_from_editmode()
                mesh = obj.data
                with open(self.filepath, "w") as out:
                    for v in mesh.vertices:
                        out.write(f"{v.co.x} {v.co.y} {v.co.z}\\n")
                return {'FINISHED'}
        """,
    ),
    "GD165": (
        """
        import bpy
        def triangles(mesh):
            out = []
            for poly in mesh.polygons:
                a, b, c = poly.vertices  # <-
                out.append((a, b, c))
            return out
        """,
        """
        import bpy
        def triangles(mesh):
            mesh.calc_loop_triangles()
            return [tuple(tri.vertices) for tri in mesh.loop_triangles]
        """,
    ),
    "GD166": (
        """
        import bpy
        def rebuild(mesh):
            mesh.calc_loop_triangles()
            verts = [v.co.copy() for v in mesh.vertices]
            faces = [tuple(t.vertices) for t in mesh.loop_triangles]
            mesh.clear_geometry()
            mesh.from_pydata(verts, [], [tuple(t.vertices) for t in mesh.loop_triangles])  # <-
        """,
        """
        import bmesh
        def rebuild(mesh):
            bm = bmesh.new()
            bm.from_mesh(mesh)
            bm.to_mesh(mesh)
            bm.free()
        """,
    ),
    "GD170": (
        """
        import bpy
        def lengths(arm):
            return [b.length for b in arm.edit_bones]  # <-
        """,
        """
        import bpy
        def lengths(arm):
            return [b.length for b in arm.bones]
        """,
    ),
    "GD171": (
        """
        import bpy
        from mathutils import Vector
        def move(arm):
            arm.bones["Root"].head = Vector((0, 0, 1))  # <-
        """,
        """
        import bpy
        from mathutils import Vector
        def move(arm_obj):
            bpy.ops.object.mode_set(mode='EDIT')
            arm_obj.data.edit_bones["Root"].head = Vector((0, 0, 1))
            bpy.ops.object.mode_set(mode='OBJECT')
        """,
    ),
    "GD172": (
        """
        import bpy
        def first_pose_bone(obj):
            return obj.data.pose.bones[0]  # <-
        """,
        """
        import bpy
        def first_pose_bone(obj):
            return obj.pose.bones[0]
        """,
    ),
    "GD180": (
        """
        import bpy
        def make(name):
            mat = bpy.data.materials.new(name)
            mat.use_nodes = True
            return bpy.data.materials[name]  # <-
        """,
        """
        import bpy
        def make(name):
            mat = bpy.data.materials.new(name)
            mat.use_nodes = True
            return mat
        """,
    ),
    "GD181": (
        """
        import bpy
        bpy.data.objects.new("Tree_trunk_lower_left_branch_with_leaves_and_blossoms_variant_012", None)  # <-
        """,
        """
        import bpy
        bpy.data.objects.new("Tree_trunk_lower_left_branch_variant_012", None)
        """,
    ),
    "GD182": (
        """
        import bpy
        def bring(path):
            with bpy.data.libraries.load(path, link=True) as (src, dst):
                dst.objects = ["Tree"]
            return bpy.data.objects.get("Tree")  # <-
        """,
        """
        import bpy
        def bring(path):
            with bpy.data.libraries.load(path, link=True) as (src, dst):
                dst.objects = ["Tree"]
            return dst.objects[0]
        """,
    ),
    "GD190": (
        """
        import bpy
        def hide_all(coll):
            for ob in coll.all_objects:
                ob.hide_render = True  # <-
        """,
        """
        import bpy
        def hide_all(coll):
            for ob in list(coll.all_objects):
                ob.hide_render = True
        """,
    ),
    "GD191": (
        """
        import bpy
        for mat in bpy.data.materials:
            mat.name = "M_" + mat.name  # <-
        """,
        """
        import bpy
        for mat in list(bpy.data.materials):
            mat.name = "M_" + mat.name
        """,
    ),
    "GD200": (
        """
        import bpy
        def on_size(self, context):
            bpy.ops.object.shade_smooth()  # <-
        size: bpy.props.FloatProperty(update=on_size)
        """,
        """
        import bpy
        def on_size(self, context):
            for poly in context.object.data.polygons:
                poly.use_smooth = True
        size: bpy.props.FloatProperty(update=on_size)
        """,
    ),
    "GD201": (
        """
        import bpy
        def join(context):
            override = context.copy()
            override["area"] = context.screen.areas[0]
            bpy.ops.object.join(override)  # <-
        """,
        """
        import bpy
        def join(context):
            with context.temp_override(area=context.screen.areas[0]):
                bpy.ops.object.join()
        """,
    ),
    "GD202": (
        """
        import bpy
        class VIEW3D_PT_tidy(bpy.types.Panel):
            bl_space_type = 'VIEW_3D'
            bl_region_type = 'UI'
            bl_label = "Tidy"
            def draw(self, context):
                bpy.ops.object.select_all(action='DESELECT')  # <-
        """,
        """
        import bpy
        class VIEW3D_PT_tidy(bpy.types.Panel):
            bl_space_type = 'VIEW_3D'
            bl_region_type = 'UI'
            bl_label = "Tidy"
            def draw(self, context):
                self.layout.operator("object.select_all").action = 'DESELECT'
        """,
    ),
    "GD203": (
        """
        import bpy
        bpy.ops.view3d.view_all(center=True)  # <-
        """,
        """
        import bpy
        for area in bpy.context.screen.areas:
            if area.type == 'VIEW_3D':
                with bpy.context.temp_override(area=area, region=area.regions[-1]):
                    bpy.ops.view3d.view_all(center=True)
        """,
    ),
}


def example(code: str) -> tuple[str, str] | None:
    """The rule's (wrong, right) example, dedented, or None."""
    pair = EXAMPLES.get(code)
    if pair is None:
        return None
    return textwrap.dedent(pair[0]).lstrip("\n"), textwrap.dedent(pair[1]).lstrip("\n")
