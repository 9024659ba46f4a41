"""Real scenes and files for the tests: built with bpy, saved to disk, linked for real."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy

# Where tests/conftest.py enables the extension from the source tree.
EXTENSION_MODULE = "bl_ext.gdtest.gotcha_doctor"


def extension():
    """The enabled extension package (what the ``gd`` fixture gives), for helpers outside fixtures."""
    return sys.modules[EXTENSION_MODULE]


def listed_details(item) -> dict:  # noqa: ANN001 - a listed finding (GotchaFinding)
    """A listed finding's details, as the panel and the report see them."""
    return extension().properties.finding_details(item)


def save_as(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(path), compress=False)
    return path


def touch(path: Path) -> Path:
    """An empty file (its parent folders made): enough for checks that only ask whether a path exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def file_image(name: str, filepath: str, source: str = "FILE"):
    """An image datablock that points at ``filepath`` without loading it; a fake user keeps it over save/reload."""
    image = bpy.data.images.new(name, 1, 1)
    image.source = source
    image.filepath = filepath
    image.use_fake_user = True
    return image


def triangle_mesh(name: str):
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
    return mesh


def add_object(name: str, data=None):
    obj = bpy.data.objects.new(name, data)
    bpy.context.scene.collection.objects.link(obj)
    return obj


def write_library(path: Path, object_names: list[str]) -> Path:
    """A separate .blend holding mesh objects with these names. Leaves an empty file open."""
    bpy.ops.wm.read_homefile(use_empty=True)
    for name in object_names:
        add_object(name, triangle_mesh(name))
    save_as(path)
    bpy.ops.wm.read_homefile(use_empty=True)
    return path


def link_objects(library: Path, names: list[str], *, relative: bool = True) -> list:
    """Links the objects into the open (saved) file and gives them a user so they survive saving."""
    with bpy.data.libraries.load(str(library), link=True, relative=relative) as (source, target):
        target.objects = [n for n in source.objects if n in names]
    for obj in target.objects:
        bpy.context.scene.collection.objects.link(obj)
    return list(target.objects)


def linked_twins(folder: Path, names: list[str]) -> list[str]:
    """A saved main file in ``folder`` that links objects ``names`` from ``folder/lib.blend`` and has a local
    object of each name: one library-name collision per name."""
    library = write_library(folder / "lib.blend", names)
    save_as(folder / "main.blend")
    link_objects(library, names)
    for name in names:
        add_object(name)
    return names


def enter_edit_mode(obj) -> None:
    view_layer = bpy.context.view_layer
    view_layer.objects.active = obj
    obj.select_set(True)
    window = bpy.context.window_manager.windows[0]
    with bpy.context.temp_override(window=window, active_object=obj, object=obj):
        bpy.ops.object.mode_set(mode="EDIT")


def datablock_keys() -> set[tuple[str, str, str | None]]:
    """Every datablock in the file, by value."""
    keys = set()
    for attr in dir(bpy.data):
        collection = getattr(bpy.data, attr, None)
        if isinstance(collection, bpy.types.bpy_prop_collection) and attr not in {
            "window_managers",
            "screens",
            "workspaces",
        }:
            for datablock in collection:
                if isinstance(datablock, bpy.types.ID):
                    keys.add(
                        (
                            datablock.id_type if hasattr(datablock, "id_type") else attr,
                            datablock.name,
                            datablock.library.filepath if datablock.library else None,
                        )
                    )
    return keys


def findings():
    return list(bpy.context.window_manager.gotcha_doctor.findings)


_SIMPLE = {"BOOLEAN", "INT", "FLOAT", "STRING", "ENUM"}


def rna_snapshot() -> dict:
    """Every datablock's simple RNA property values (and users, and mesh geometry), by value.

    Two equal snapshots mean nothing visible through RNA changed. (``bpy.data.is_dirty`` cannot show this in the
    bpy module: it was measured True at all times there, even right after saving.)
    """
    snapshot = {}
    for attr in dir(bpy.data):
        collection = getattr(bpy.data, attr, None)
        if not isinstance(collection, bpy.types.bpy_prop_collection) or attr in {
            "window_managers",
            "screens",
            "workspaces",
        }:
            continue
        for datablock in collection:
            if not isinstance(datablock, bpy.types.ID):
                continue
            values = {"users": datablock.users}
            for prop in datablock.bl_rna.properties:
                if prop.type not in _SIMPLE or prop.identifier in {"rna_type", "session_uid"}:
                    continue
                if getattr(prop, "is_deprecated", False):  # 5.0+: an alias of a kept property; reading it warns
                    continue
                try:
                    value = getattr(datablock, prop.identifier)
                except (AttributeError, RuntimeError, TypeError):
                    continue
                values[prop.identifier] = (
                    tuple(value) if hasattr(value, "__len__") and not isinstance(value, str) else value
                )
            if isinstance(datablock, bpy.types.Mesh):
                values["geometry"] = (
                    len(datablock.vertices),
                    len(datablock.edges),
                    len(datablock.polygons),
                    tuple(round(c, 6) for v in datablock.vertices for c in v.co),
                )
            if isinstance(datablock, bpy.types.Object):
                values["selected"] = (
                    datablock.select_get() if datablock.name in bpy.context.view_layer.objects else None
                )
            key = (attr, datablock.name, datablock.library.filepath if datablock.library else None)
            snapshot[key] = values
    return snapshot
