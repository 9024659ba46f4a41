"""Plain values of a datablock's RNA properties, for comparing linked data with its library file.

Runs in the scan (on linked datablocks) and in a child process that opens the library file (loaded there by file
path), so it imports only ``bpy`` and the standard library. Values are JSON-ready: numbers, strings, lists, None,
and ID pointers as ``["ID", id_type, name, library path]`` (the library path absolute and normalized; data local
to the file being read counts as belonging to ``local_library``).

Only Blender's own properties are compared, never those an add-on registers (``Property.is_runtime``, e.g.
``Object.cycles``): the child runs no add-on of the user's, so it would see none of them and every linked datablock
of such a type would look changed. Before 5.0 Blender also lists their stored values among the custom properties
(``["cycles"]``), and creates that storage when the property is read (a library override does, on the linked data
it overrides): :func:`registered_keys` names those keys, which the comparison leaves out.

Read-only: only property getters are called, and the few getters that allocate data when it is missing
(``Object.field`` and ``Object.collision`` create force-field settings) are never read. Image pixels and other
big arrays are not read either.
"""

from __future__ import annotations

import ast
import os
from typing import Any

import bpy

# Never compared: identity and bookkeeping that differ between a file and a file linking it, runtime state, and
# properties whose getters are expensive or allocate.
SKIPPED = frozenset(
    {
        "rna_type",
        "name",
        "name_full",
        "id_type",
        "library",
        "library_weak_reference",
        "users",
        "use_fake_user",
        "use_extra_user",
        "is_evaluated",
        "original",
        "session_uid",
        "tag",
        "is_library_indirect",
        "is_missing",
        "is_runtime_data",
        "is_embedded_data",
        "is_editable",
        "preview",
        "override_library",
        "asset_data",
        "pixels",
        "bl_rna",
        "id_data",
        "mode",
        "is_dirty",
        "packed_file",
        "packed_files",
        "filepath_raw",
        "bindcode",
        "depsgraph",
        "use_nodes",  # deprecated from 5.0 (reading it warns); node trees always exist there
    }
)
# Derived from other values (location/rotation/scale, the parent, the bounds, the evaluated pose) and refreshed by
# the depsgraph: in a session at another frame than the library was saved at, they differ with nothing changed. Also
# state of the user interface kept in the data.
SKIPPED_BY_TYPE = frozenset(
    {
        ("Object", "matrix_world"),
        ("Object", "matrix_local"),
        ("Object", "matrix_basis"),
        ("Object", "dimensions"),
        ("PoseBone", "matrix"),
        ("PoseBone", "matrix_basis"),
        ("Camera", "angle"),  # from the lens and the sensor
        ("Camera", "angle_x"),
        ("Camera", "angle_y"),
        # Where the Text Editor's cursor and selection are: moved by reading a linked script there, not data.
        ("Text", "current_character"),
        ("Text", "current_line"),
        ("Text", "current_line_index"),
        ("Text", "select_end_character"),
        ("Text", "select_end_line"),
        ("Text", "select_end_line_index"),
    }
)
LAZY_GETTERS = frozenset({("Object", "field"), ("Object", "collision")})
SIMPLE_TYPES = frozenset({"BOOLEAN", "INT", "FLOAT", "STRING", "ENUM"})
MAX_ITEMS = 16  # items of a collection compared (the count is always compared)
MAX_ARRAY = 64  # longer arrays are not compared
DEPTH = 2  # nested structs and collection items followed from the datablock


def library_key(library: Any, cache: dict[int, str]) -> str:
    """The library's file, absolute and normalized (one lookup per library per dump)."""
    pointer = library.as_pointer()
    found = cache.get(pointer)
    if found is None:
        parent = getattr(library, "parent", None)
        path = bpy.path.abspath(library.filepath, library=parent) if parent is not None else library.filepath
        found = os.path.normcase(os.path.realpath(bpy.path.abspath(path)))
        cache[pointer] = found
    return found


def id_pointer(value: Any, local_library: str | None, cache: dict[int, str]) -> list[Any]:
    library = value.library
    return ["ID", value.id_type, value.name, local_library if library is None else library_key(library, cache)]


def values_of(
    datablock: Any,
    local_library: str | None,
    cache: dict[int, str] | None = None,
    places: dict[int, str] | None = None,
) -> dict[str, Any]:
    """Path -> value for the datablock's editable properties, nested structs and collection items to DEPTH, and
    its custom properties. ``places``, when given, receives the path prefix of each struct read, by its address
    (for :func:`animated_keys`)."""
    found: dict[str, Any] = {}
    _struct(datablock, "", DEPTH, local_library, {} if cache is None else cache, found, places)
    _custom(datablock, "", found)
    return found


def registered_keys(datablock: Any) -> frozenset[str]:
    """The custom-property keys (``["name"]``) under which Blender before 5.0 stores the values of the properties an
    add-on of this session registers on the datablock's type: not compared (see the module's docstring)."""
    return frozenset(f'["{prop.identifier}"]' for prop in datablock.bl_rna.properties if prop.is_runtime)


def animated_data_paths(owner: Any) -> list[str]:
    """Data paths that animation or drivers set on ``owner`` (a datablock or its node tree): the F-curves of its
    action and NLA strips (every slot and layer of Blender 4.4+ layered actions, ``Action.fcurves`` before 5.0) and
    its drivers. Playback writes animated values to the datablock itself, so they follow the frame, not the file."""
    animation = getattr(owner, "animation_data", None)
    if animation is None:
        return []
    found = [driver.data_path for driver in animation.drivers]
    actions = [animation.action, *(strip.action for track in animation.nla_tracks for strip in track.strips)]
    for action in actions:
        if action is None:
            continue
        if "fcurves" in action.bl_rna.properties:  # before Blender 5.0
            found.extend(curve.data_path for curve in action.fcurves)
        for layer in getattr(action, "layers", ()):  # Blender 4.4+
            for strip in layer.strips:
                for bag in getattr(strip, "channelbags", ()):
                    found.extend(curve.data_path for curve in bag.fcurves)
    return found


def animated_owners(datablock: Any) -> list[tuple[str, Any, list[str]]]:
    """``(key prefix, owner, data paths)`` for the datablock and its node tree, where animation or drivers set
    something (:func:`animated_data_paths`); empty for a datablock nothing animates."""
    found = []
    for prefix, owner in (("", datablock), ("node_tree.", getattr(datablock, "node_tree", None))):
        data_paths = animated_data_paths(owner) if owner is not None else []
        if data_paths:
            found.append((prefix, owner, data_paths))
    return found


def animated_keys(owners: list[tuple[str, Any, list[str]]], places: dict[int, str]) -> frozenset[str]:
    """The keys of :func:`values_of` (read with ``places``) that the :func:`animated_owners` paths set. An F-curve's
    path may name a collection item otherwise than those keys do (``inputs[1]`` for ``inputs["Strength"]``): each is
    resolved to the struct it sets, whose key prefix ``places`` knows."""
    found: set[str] = set()
    for prefix, owner, data_paths in owners:
        for data_path in data_paths:
            found.add(prefix + data_path)  # as written (a property of the datablock itself, a custom property)
            parent, _, identifier = data_path.rpartition(".")
            if not parent or not identifier.isidentifier():
                continue
            try:
                struct = owner.path_resolve(parent)
                place = places.get(struct.as_pointer())
            except (ValueError, AttributeError, TypeError):  # a path that no longer resolves, or not to a struct
                continue
            if place is not None:
                found.add(place + identifier)
    return frozenset(found)


def is_animated(path: str, animated: frozenset[str]) -> bool:
    """Whether the value at ``path`` (a key of :func:`values_of`) is set by one of the ``animated`` keys: the
    property itself (an array as a whole) or a struct it lies in."""
    return any(path == key or path.startswith((key + ".", key + "[")) for key in animated)


def encoded(values: dict[str, Any]) -> dict[str, str]:
    """Each value as its ``repr``: equal values give equal text on both sides, and a dict of strings is not tracked
    by the garbage collector (thousands of nested lists made its full passes cost 100 ms steps). ``repr`` rather than
    JSON: a datablock has a hundred values or more, and ``json.dumps`` cost 6x as much (half of reading them)."""
    return {path: repr(value) for path, value in values.items()}


def decoded(text: str) -> Any:
    """The value an ``encoded`` text stands for (numbers, strings, lists, dicts, None); a float that is not finite
    (``nan``, ``inf``) has no literal and stays as its text."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text


def _custom(struct: Any, prefix: str, found: dict[str, Any]) -> None:
    try:
        keys = list(struct.keys())
    except TypeError:  # a struct that cannot hold custom properties
        return
    for key in keys:
        value = struct[key]
        if hasattr(value, "to_dict"):
            value = value.to_dict()
        elif hasattr(value, "to_list"):
            value = value.to_list()
        elif isinstance(value, bpy.types.ID):
            value = ["ID", value.id_type, value.name, None]
        found[f'{prefix}["{key}"]'] = value if isinstance(value, (int, float, str, list, dict)) else repr(value)


# What to do with each property of a struct type, worked out once per type (reading a property's RNA definition,
# its type, flags and array length, cost more than reading its value): (identifier, action, array length).
_SIMPLE, _ARRAY, _FLAGS, _POINTER, _POINTER_READONLY, _COLLECTION = range(6)
_plans: dict[type, tuple[tuple[str, int], ...]] = {}
_BLENDER_TYPE_MODULES = frozenset({"bpy.types", "bpy_types", "_bpy_types"})  # where Blender's own classes live


def _plan(struct: Any) -> tuple[tuple[str, int], ...]:
    kind_of = type(struct)
    found = _plans.get(kind_of)
    if found is not None:
        return found
    type_name = kind_of.__name__
    steps = []
    for prop in struct.bl_rna.properties:
        identifier = prop.identifier
        if (
            prop.is_runtime  # registered by an add-on: see the module's docstring
            or identifier in SKIPPED
            or (type_name, identifier) in LAZY_GETTERS
            or (type_name, identifier) in SKIPPED_BY_TYPE
        ):
            continue
        kind = prop.type
        if kind in SIMPLE_TYPES:
            if prop.is_readonly:
                continue
            if getattr(prop, "is_array", False) or getattr(prop, "array_length", 0):
                if 0 < prop.array_length <= MAX_ARRAY:
                    steps.append((identifier, _ARRAY))
            elif kind == "ENUM" and prop.is_enum_flag:
                steps.append((identifier, _FLAGS))
            else:
                steps.append((identifier, _SIMPLE))
        elif kind == "POINTER":
            steps.append((identifier, _POINTER_READONLY if prop.is_readonly else _POINTER))
        elif kind == "COLLECTION":
            steps.append((identifier, _COLLECTION))
    plan = tuple(steps)
    # Only Blender's own types: a Python-defined struct (an add-on's PropertyGroup) can be registered again with
    # other properties, so it is planned each time.
    if kind_of.__module__ in _BLENDER_TYPE_MODULES:
        _plans[kind_of] = plan
    return plan


def _struct(
    struct: Any,
    prefix: str,
    depth: int,
    local_library: str | None,
    cache: dict[int, str],
    found: dict[str, Any],
    places: dict[int, str] | None = None,
) -> None:
    if places is not None:
        places[struct.as_pointer()] = prefix
    for identifier, action in _plan(struct):
        path = prefix + identifier
        if action == _SIMPLE:
            found[path] = getattr(struct, identifier)
        elif action == _ARRAY:
            value = getattr(struct, identifier)
            found[path] = [list(row) if hasattr(row, "__len__") else row for row in value]
        elif action == _FLAGS:
            found[path] = sorted(getattr(struct, identifier))
        elif action == _COLLECTION:
            if depth > 0:
                _collection(getattr(struct, identifier), path, depth, local_library, cache, found, places)
        else:
            value = getattr(struct, identifier)
            if value is None:
                if action == _POINTER:
                    found[path] = None
            elif isinstance(value, bpy.types.ID) and not value.is_embedded_data:
                if action == _POINTER:
                    found[path] = id_pointer(value, local_library, cache)
            elif isinstance(value, bpy.types.ID):  # embedded (a material's node tree): part of this datablock
                _struct(value, path + ".", depth, local_library, cache, found, places)
            elif depth > 0:
                _struct(value, path + ".", depth - 1, local_library, cache, found, places)


def _collection(
    items: Any,
    path: str,
    depth: int,
    local_library: str | None,
    cache: dict[int, str],
    found: dict[str, Any],
    places: dict[int, str] | None = None,
) -> None:
    found[path + ".count"] = len(items)
    used: set[str] = set()
    for index, item in enumerate(items[:MAX_ITEMS]):
        if item is None:  # an empty slot of a fixed-size collection (ParticleSettings.texture_slots)
            found[f"{path}[{index}]"] = None
            continue
        if isinstance(item, bpy.types.ID):
            found[f"{path}[{index}]"] = id_pointer(item, local_library, cache)
            continue
        # Items by name where they have a unique one (nodes["Principled BSDF"]), else by index.
        name = item.name if "name" in item.bl_rna.properties else None
        key = f'"{name}"' if isinstance(name, str) and f'"{name}"' not in used else str(index)
        used.add(key)
        _struct(item, f"{path}[{key}].", depth - 1, local_library, cache, found, places)
