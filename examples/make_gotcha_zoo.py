"""Builds the bundled "gotcha zoo": a .blend (plus the side files it refers to) that shows every check.

    python examples/make_gotcha_zoo.py OUT_DIR [--scale N]            (the bpy module)
    blender -b --factory-startup --python examples/make_gotcha_zoo.py -- OUT_DIR [--scale N]

Writes OUT_DIR/gotcha_zoo.blend. ``--scale N`` repeats every exhibit N times (for long scans in window tests
and benchmarks). Each exhibit is one function of SECTIONS; a check's issue adds its own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import bpy

ZOO_NAME = "gotcha_zoo.blend"


def _save(path: Path) -> None:
    bpy.ops.wm.save_as_mainfile(filepath=str(path), compress=False, relative_remap=False)


def section_library_name_collisions(out_dir: Path, scale: int) -> None:
    """A library with objects "Tree_N"; the main file links them and also has local objects of the same names."""
    lib_path = out_dir / "lib" / "zoo_library.blend"
    lib_path.parent.mkdir(parents=True, exist_ok=True)
    names = [f"Tree_{i:03d}" for i in range(scale)]
    main_path = Path(bpy.data.filepath)

    # Write the library as its own file, then come back to the zoo.
    _save(main_path)
    bpy.ops.wm.read_homefile(use_empty=True)
    for name in names:
        mesh = bpy.data.meshes.new(name)
        mesh.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
        bpy.context.scene.collection.objects.link(bpy.data.objects.new(name, mesh))
    _save(lib_path)
    bpy.ops.wm.open_mainfile(filepath=str(main_path))

    with bpy.data.libraries.load(str(lib_path), link=True, relative=True) as (source, target):
        target.objects = [n for n in source.objects if n in names]
    for obj in target.objects:
        bpy.context.scene.collection.objects.link(obj)  # a user, so the link survives saving
        bpy.context.scene.collection.objects.link(bpy.data.objects.new(obj.name, None))  # a local twin


EDITMODE_OBJECT = "EditModeCube"


def section_editmode_sync(out_dir: Path, scale: int) -> None:
    """A cube (its Mesh shared with "EditModeTwin") left in Edit Mode with moved vertices.

    Saving writes the edit data to the Mesh, so the saved zoo holds the object in Edit Mode but in sync; a scan of
    the reopened file shows it as INFO. Call :func:`make_live_editmode_exhibit` after loading the zoo to recreate
    the out-of-sync state in-process (what a user has after editing and before leaving Edit Mode).
    """
    import bmesh

    for index in range(scale):
        name = EDITMODE_OBJECT if index == 0 else f"{EDITMODE_OBJECT}_{index:03d}"
        mesh = bpy.data.meshes.new(f"{name}Mesh")
        bm = bmesh.new()
        bmesh.ops.create_cube(bm, size=2.0)
        bm.to_mesh(mesh)
        bm.free()
        for obj_name in (name, name.replace("Cube", "Twin")):
            obj = bpy.data.objects.new(obj_name, mesh)
            obj.location.x = 3.0 * index + (1.5 if obj_name != name else 0.0)
            bpy.context.scene.collection.objects.link(obj)
    make_live_editmode_exhibit()


def make_live_editmode_exhibit(moved: int = 4, lift: float = 0.75) -> bpy.types.Object:
    """Put the zoo's "EditModeCube" in Edit Mode (if it is not) and move ``moved`` vertices up by ``lift`` through
    bmesh without leaving Edit Mode: its Mesh (shared with "EditModeTwin") is then out of sync, and a scan reports
    "EditModeCube: 4 vertices moved (max 0.75 m) — data not written to the Mesh yet". Run it in the same Blender
    session that scans (after opening the zoo): the state cannot be saved, saving writes the edit data.
    """
    import bmesh

    obj = bpy.data.objects[EDITMODE_OBJECT, None]  # the local one: the zoo also links objects from a library
    view_layer = bpy.context.view_layer
    if obj.mode != "EDIT":
        if view_layer.objects.active is not None and view_layer.objects.active.mode != "OBJECT":
            bpy.ops.object.mode_set(mode="OBJECT")
        for other in list(view_layer.objects):
            other.select_set(False)
        obj.select_set(True)
        view_layer.objects.active = obj
        bpy.ops.object.mode_set(mode="EDIT")
    bm = bmesh.from_edit_mesh(obj.data)
    bm.verts.ensure_lookup_table()
    for vert in bm.verts[:moved]:
        vert.co.z += lift
    bmesh.update_edit_mesh(obj.data)
    return obj


def _png(path: Path) -> Path:
    """A real 2x2 PNG, written by Blender."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = bpy.data.images.new("__zoo_png", 2, 2)
    image.filepath_raw = str(path)
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)
    return path


def _file_image(name: str, filepath: str, source: str = "FILE") -> bpy.types.Image:
    image = bpy.data.images.new(name, 1, 1)
    image.source = source
    image.filepath = filepath
    image.use_fake_user = True  # kept on save without a material using it
    return image


def section_paths(out_dir: Path, scale: int) -> None:
    """File paths (relative_paths, non_utf8_paths): existing, missing, packed, absolute, Windows-style and climbing
    textures; a library in assets/ whose image is //tex/... next to it; UDIM with a missing tile; an image
    sequence; a non-UTF-8 directory and file name; a Windows device name; a library whose file is gone."""
    main_path = Path(bpy.data.filepath)
    bad_dir, bad_file = os.fsdecode(b"d\xe9cor"), os.fsdecode(b"caf\xe9.png")  # Latin-1 "décor", "café.png"
    _png(out_dir / "tex" / "wood.png")
    _png(out_dir / "tex" / bad_dir / bad_file)
    for tile in (1001, 1003):
        _png(out_dir / "tex" / f"skin.{tile}.png")
    for frame in (1, 2, 3):
        _png(out_dir / "seq" / f"frame_{frame:04d}.png")

    # The library with its own texture (assets/tex/plank.png, stored as //tex/plank.png), and one that will vanish.
    assets, gone = out_dir / "assets" / "zoo_assets.blend", out_dir / "lib" / "zoo_gone.blend"
    assets.parent.mkdir(parents=True, exist_ok=True)
    gone.parent.mkdir(parents=True, exist_ok=True)
    _save(main_path)
    bpy.ops.wm.read_homefile(use_empty=True)
    _save(assets)
    plank = bpy.data.images.load(str(_png(assets.parent / "tex" / "plank.png")))
    plank.filepath = "//tex/plank.png"
    material = bpy.data.materials.new("Plank")
    material.use_fake_user = True
    if material.node_tree is None:  # a new material has its node tree from 5.0 (use_nodes is deprecated there)
        material.use_nodes = True
    material.node_tree.nodes.new("ShaderNodeTexImage").image = plank
    _save(assets)
    bpy.ops.wm.read_homefile(use_empty=True)
    bpy.context.scene.collection.objects.link(bpy.data.objects.new("Ghost", None))
    _save(gone)
    bpy.ops.wm.open_mainfile(filepath=str(main_path))

    _file_image("zoo_existing", "//tex/wood.png")
    for index in range(scale):
        _file_image(f"zoo_missing_{index:03d}", f"//tex/missing_{index:03d}.png")
    packed_src = _png(out_dir / "tex" / "packed.png")
    packed = bpy.data.images.load(str(packed_src))
    packed.name = "zoo_packed"
    packed.filepath = "//tex/packed.png"
    packed.use_fake_user = True
    packed.pack()
    packed_src.unlink()  # only the packed copy is left: reported as packed, not missing
    _file_image("zoo_absolute_outside", "/mnt/studio/textures/concrete.png")
    _file_image("zoo_windows_drive", "C:\\Users\\artist\\textures\\brick.png")
    _file_image("zoo_climbing", "//../shared/textures/metal.png")
    _file_image("zoo_windows_name", "//tex/CON.png")
    _file_image("zoo_non_utf8", f"//tex/{bad_dir}/{bad_file}")
    udim = _file_image("zoo_udim", "//tex/skin.<UDIM>.png", "TILED")
    udim.tiles.new(1002)
    udim.tiles.new(1003)
    _file_image("zoo_sequence", "//seq/frame_0001.png", "SEQUENCE")
    with bpy.data.libraries.load(str(assets), link=True, relative=True) as (_source, target):
        target.materials = ["Plank"]
    user = bpy.data.objects.new("PlankUser", bpy.data.meshes.new("PlankUserMesh"))
    user.data.materials.append(target.materials[0])  # a user, so the link survives saving
    bpy.context.scene.collection.objects.link(user)
    with bpy.data.libraries.load(str(gone), link=True, relative=True) as (_source, target):
        target.objects = ["Ghost"]
    bpy.context.scene.collection.objects.link(target.objects[0])
    _save(main_path)
    gone.unlink()  # the library file is gone; the main file still links "Ghost" from it


def section_name_limits(out_dir: Path, scale: int) -> None:
    """Names Blender cut at its limit (63 bytes before 5.0, 255 from 5.0): objects asked for with 300-character names
    (cut exactly at the limit), and a material of accented characters cut one byte short of it."""
    for index in range(scale):
        obj = bpy.data.objects.new(f"LongName_{index:03d}_" + "x" * 300, None)
        bpy.context.scene.collection.objects.link(obj)
        material = bpy.data.materials.new(f"Matériau_{index:03d}_" + "é" * 300)
        material.use_fake_user = True


EMBEDDED_TEXT = "zoo_tools.py"
# A script stored in the file. Its functions keep a vertex across vertices.add(), which reallocates the array, and
# end Blender's process on a failed check; nothing calls them. It is not registered to run on load: Blender would
# then greet everyone who opens the zoo with its auto-run security popup.
EMBEDDED_SOURCE = """\
import sys

import bpy


def add_vertices(mesh):
    mesh.vertices.add(1)
    first = mesh.vertices[0]
    mesh.vertices.add(10)
    first.co.x = 1.0


def require_blender():
    if bpy.app.version < (4, 2, 0):
        sys.exit("this file needs Blender 4.2")
"""


def section_embedded_script(out_dir: Path, scale: int) -> None:
    """A Text datablock whose code commits two Gotchas (embedded_scripts lints it)."""
    text = bpy.data.texts.new(EMBEDDED_TEXT)
    text.from_string(EMBEDDED_SOURCE)
    text.use_fake_user = True


SESSION_ADDON_ID = "zoo_session_gotchas"
SESSION_ADDON_MANIFEST = f"""\
schema_version = "1.0.0"
id = "{SESSION_ADDON_ID}"
version = "1.0.0"
name = "Zoo Session Gotchas"
tagline = "Does what the Gotchas pages warn about, for Gotcha Doctor's demo"
maintainer = "Gotcha Doctor developers"
type = "add-on"
blender_version_min = "4.2.0"
license = ["SPDX:GPL-3.0-or-later"]
"""
SESSION_ADDON_SOURCE = '''\
"""What the Gotchas pages warn about, on purpose: a polling thread and a pending threading.Timer left running, an
Object kept in a module global, a class attribute, a handler closure and a timer closure, a handler without
@persistent, an update callback that calls an operator, an operator that changes data without UNDO, sys.exit()."""

import sys
import threading

import bpy

KEPT = {}
_RUNNING = {}
TIMER = None


def poll_loop(stop):
    while not stop.wait(0.25):
        pass


def remind():
    pass


def make_watcher(obj):
    def on_depsgraph(scene, depsgraph):
        obj.location
    return on_depsgraph


def make_timer(obj):
    def tick():
        obj.name
        return 60.0
    return tick


class ZOO_OT_keep(bpy.types.Operator):
    """Keep an object around"""

    bl_idname = "zoo.keep"
    bl_label = "Keep Object"
    kept = None
    object_name: bpy.props.StringProperty(name="Object", description="Object to keep (empty: the active one)")

    def execute(self, context):
        global TIMER
        obj = bpy.data.objects.get((self.object_name, None)) if self.object_name else context.active_object
        KEPT["active"] = [obj]
        ZOO_OT_keep.kept = obj
        bpy.app.handlers.depsgraph_update_post.append(make_watcher(obj))
        TIMER = make_timer(obj)
        bpy.app.timers.register(TIMER, first_interval=60.0)
        return {"FINISHED"}


class ZOO_OT_nudge(bpy.types.Operator):
    """Move the active object (no undo step)"""

    bl_idname = "zoo.nudge"
    bl_label = "Nudge"
    bl_options = {"REGISTER"}

    def execute(self, context):
        context.active_object.location.x += 1.0
        return {"FINISHED"}


def on_level(self, context):
    bpy.ops.object.select_all(action="DESELECT")


def give_up():
    sys.exit(1)


def register():
    bpy.utils.register_class(ZOO_OT_keep)
    bpy.utils.register_class(ZOO_OT_nudge)
    bpy.types.Scene.zoo_level = bpy.props.IntProperty(update=on_level)
    stop = threading.Event()
    poller = threading.Thread(target=poll_loop, args=(stop,), name="zoo-poller", daemon=True)
    reminder = threading.Timer(600.0, remind)
    reminder.name, reminder.daemon = "zoo-reminder", True
    _RUNNING.update(stop=stop, poller=poller, reminder=reminder)
    poller.start()
    reminder.start()


def unregister():
    _RUNNING["stop"].set()
    _RUNNING["reminder"].cancel()
    if TIMER is not None and bpy.app.timers.is_registered(TIMER):
        bpy.app.timers.unregister(TIMER)
    handlers = bpy.app.handlers.depsgraph_update_post
    for function in [f for f in handlers if getattr(f, "__module__", "") == __name__]:
        handlers.remove(function)
    del bpy.types.Scene.zoo_level
    bpy.utils.unregister_class(ZOO_OT_nudge)
    bpy.utils.unregister_class(ZOO_OT_keep)
'''


def section_session_addon(out_dir: Path, scale: int) -> None:
    """The source of a small extension that leaves threads running and holds Blender data (a session cannot be saved
    in a .blend: :func:`make_live_session_exhibits` enables it after the zoo is opened)."""
    folder = out_dir / "session_addon" / SESSION_ADDON_ID
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "blender_manifest.toml").write_text(SESSION_ADDON_MANIFEST, encoding="utf-8")
    (folder / "__init__.py").write_text(SESSION_ADDON_SOURCE, encoding="utf-8")


def make_live_session_exhibits(zoo_dir: Path) -> None:
    """What a session holds besides the file, recreated after opening the zoo: enables the zoo's session extension
    (from ZOO_DIR/session_addon, as a local extensions repository), lets it keep "Tree_000" (thread, timer, global,
    class attribute, handler and timer closures), and changes the linked "Tree_000" by Python (library data changed
    in this session: undo and reload would drop it)."""
    import addon_utils

    module = f"bl_ext.zoo.{SESSION_ADDON_ID}"
    repos = bpy.context.preferences.extensions.repos
    if not any(repo.module == "zoo" for repo in repos):
        repos.new(name="zoo", module="zoo", custom_directory=str(zoo_dir / "session_addon"), source="USER")
    if module not in bpy.context.preferences.addons:
        addon_utils.enable(module, default_set=True, handle_error=_raise)
    linked_tree = next(obj for obj in bpy.data.objects if obj.name == "Tree_000" and obj.library is not None)
    bpy.ops.zoo.keep(object_name="Tree_000")
    linked_tree.location.z = 2.0
    linked_tree["zoo_note"] = "changed by a script"


def _raise(error: BaseException) -> None:
    raise error


SECTIONS = (
    section_library_name_collisions,
    section_editmode_sync,
    section_paths,
    section_name_limits,
    section_embedded_script,
    section_session_addon,
)


def build(out_dir: Path, scale: int = 1) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    zoo = out_dir / ZOO_NAME
    bpy.ops.wm.read_homefile(use_empty=True)
    _save(zoo)  # saved first: relative (//) paths and relative library links need the file's location
    for section in SECTIONS:
        section(out_dir, scale)
    _save(zoo)
    return zoo


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make_gotcha_zoo", exit_on_error=False)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--clean", action="store_true", help="remove OUT_DIR first")
    args = parser.parse_args(argv)
    if args.clean and args.out_dir.exists():
        shutil.rmtree(args.out_dir)
    path = build(args.out_dir.resolve(), max(1, args.scale))
    print(f"gotcha zoo written to {path}")
    return 0


if __name__ == "__main__":
    argv = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]
    sys.exit(main(argv))
