"""What the session checks share: who owns code (add-ons, extensions, scripts), what counts as held Blender data, and
how to describe it without touching memory that may be freed.

Rules kept here so that every session check follows them:
- No add-on code runs: attributes come from ``__dict__`` / C slots (``func.__module__``, ``__code__``,
  ``__closure__``), never through ``getattr`` on add-on objects (a property or ``__getattr__`` would run).
- Held sub-data (a MeshVertex, ``mesh.vertices``, a Vector wrapping ``obj.location``) is never dereferenced: its
  memory may already be freed, and reading it could crash Blender. Only its Python type is reported.
- A held ID is safe to read: Blender invalidates an ID's Python object when the ID is freed (undo, reload,
  removal), and reading it then raises ReferenceError -- which is reported as such.
- Nothing returned here is a ``bpy`` object: findings and states hold names and plain values only.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from typing import Any

import bpy

from ..core import heldrefs
from ..core.owners import Owner, is_script_file, owner_of

try:  # bmesh and mathutils always ship with Blender; kept optional for stripped builds
    import mathutils

    _MATHUTILS_TYPES: tuple[type, ...] = (
        mathutils.Vector,
        mathutils.Matrix,
        mathutils.Euler,
        mathutils.Quaternion,
        mathutils.Color,
    )
except ImportError:  # pragma: no cover - every Blender has mathutils
    _MATHUTILS_TYPES = ()

try:
    import bmesh.types

    _BMESH_TYPES: tuple[type, ...] = tuple(
        value for name, value in vars(bmesh.types).items() if not name.startswith("_") and isinstance(value, type)
    )
except ImportError:  # pragma: no cover - every Blender has bmesh
    _BMESH_TYPES = ()

# RNA's own definitions (bl_rna, its properties and functions) are static: holding them is harmless.
_RNA_DEFINITION_TYPES: tuple[type, ...] = tuple(
    getattr(bpy.types, name)
    for name in ("Struct", "Property", "Function", "EnumPropertyItem")
    if hasattr(bpy.types, name)
)

# Data outside any file, kept by the window manager or the preferences across undo and file loads: holding it is the
# documented pattern (``addon_keymaps``, a preferences reference), not a gotcha.
_SESSION_STABLE_PREFIXES = ("Preferences", "AddonPreferences", "Addon", "KeyConfig", "KeyMap", "Theme", "UserExtension")
_SESSION_STABLE_TYPES: tuple[type, ...] = tuple(
    getattr(bpy.types, name) for name in ("AddonPreferences",) if hasattr(bpy.types, name)
)

_BPY_PROP: type = getattr(bpy.types, "bpy_prop")  # noqa: B009 - missing from the type stubs

KIND_ID = "ID"
KIND_SUB_DATA = "sub-data"
KIND_COLLECTION = "collection"
KIND_WRAPPED = "wrapped value"
KIND_BMESH = "bmesh"


# Datablock collections are read in parts: slicing a collection walks it from its head (~30 ns a datablock), so a
# slice per step would be quadratic. A part of ID wrappers is safe to keep across steps: a freed ID's wrapper raises
# ReferenceError (callers skip it), unlike sub-data or an RNA iterator.
ID_PART = 5_000
ID_BATCH = 1_000


def datablock_batches(collection: Any, batch: int = ID_BATCH) -> Iterator[list[Any]]:
    """Lists of up to ``batch`` datablocks of ``collection`` in order, one list per step of the caller."""
    taken = 0
    while True:
        part = collection[taken : taken + ID_PART]
        for start in range(0, len(part), batch):
            yield part[start : start + batch]
        taken += len(part)
        if len(part) < ID_PART:
            return


def addon_modules(context: Any) -> frozenset[str]:
    """Module names of the enabled add-ons and extensions (``bl_ext.<repo>.<id>``)."""
    return frozenset(str(key) for key in context.preferences.addons.keys())


def module_dict(module: Any) -> dict[str, Any] | None:
    """A module's namespace, read through the module type's own slot (never a module subclass's ``__getattr__``)."""
    if issubclass(type(module), types.ModuleType):
        found = vars(types.ModuleType)["__dict__"].__get__(module)
        return found if type(found) is dict else None
    return heldrefs.instance_dict(module)


def script_modules() -> frozenset[str]:
    """Modules in ``sys.modules`` that are scripts rather than files on disk: ``__main__`` and Text datablocks
    imported as modules (registered to run on load), whose code file is ``file.blend/Text`` or a bare name."""
    found = []
    for name, module in list(sys.modules.items()):
        if name == "__main__":
            found.append(name)
            continue
        namespace = module_dict(module)
        filename = None if namespace is None else namespace.get("__file__")
        spec = None if namespace is None else namespace.get("__spec__")
        if spec is None and type(filename) is str and is_script_file(filename) and filename.endswith(".py"):
            found.append(name)
    return frozenset(found)


def owner_of_module(module_name: str | None, addons: frozenset[str], scripts: frozenset[str]) -> Owner:
    return owner_of(module_name, addons, scripts)


def owned_namespaces(addons: frozenset[str], scripts: frozenset[str]) -> Iterator[tuple[str, Owner, dict[str, Any]]]:
    """(module name, owner, namespace) of every module in ``sys.modules`` that belongs to an extension, an add-on or
    a script, by module name."""
    for name, module in sorted(list(sys.modules.items()), key=lambda pair: pair[0]):
        owner = owner_of_module(name, addons, scripts)
        if owner.kind not in ("extension", "add-on", "script"):
            continue
        namespace = module_dict(module)
        if namespace is not None:
            yield name, owner, namespace


def callable_parts(function: Any) -> tuple[str | None, types.CodeType | None]:
    """(module name, code object) of a function-like object, unwrapping bound methods, partials, static and class
    methods, read from C slots only. A callable instance gives its class's module and no code."""
    seen = 0
    while seen < 8:
        seen += 1
        kind = type(function)
        if kind is types.MethodType or kind in (staticmethod, classmethod):
            function = function.__func__
            continue
        if issubclass(kind, _partial_type()):
            function = function.func
            continue
        break
    if type(function) is types.FunctionType:
        return function.__module__, function.__code__
    if type(function) is types.BuiltinFunctionType:
        return function.__module__, None
    module = type.__dict__["__dict__"].__get__(type(function)).get("__module__")
    return (module if type(module) is str else None), None


def _partial_type() -> type:
    import functools

    return functools.partial


def code_location(code: types.CodeType | None) -> str | None:
    if code is None:
        return None
    return f"{code.co_filename}:{code.co_firstlineno}"


def function_values(function: Any) -> Iterator[tuple[str, Any]]:
    """(where, value) for what a function keeps alive besides its module: closure cells, defaults, keyword
    defaults, a bound method's ``self``, a partial's arguments. Read from C slots, nothing is called."""
    for _ in range(8):
        kind = type(function)
        if kind is types.MethodType:
            yield "__self__", function.__self__
            function = function.__func__
        elif issubclass(kind, _partial_type()):
            for index, argument in enumerate(function.args):
                yield f"partial argument {index}", argument
            for key, argument in dict.items(function.keywords or {}):
                yield f"partial argument {key}", argument
            function = function.func
        else:
            break
    if type(function) is not types.FunctionType:
        return
    code = function.__code__
    for name, cell in zip(code.co_freevars, function.__closure__ or (), strict=False):
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell (the variable was never assigned)
            continue
        yield f"closure variable {name}", value
    for index, value in enumerate(function.__defaults__ or ()):
        names = code.co_varnames[code.co_argcount - len(function.__defaults__ or ()) :]
        yield f"default of {names[index] if index < len(names) else index}", value
    for key, value in dict.items(function.__kwdefaults__ or {}):
        yield f"default of {key}", value


def classify(value: Any) -> str | None:
    """What kind of Blender data ``value`` is, or None. Never reads Blender memory (type tests only)."""
    kind = type(value)
    if issubclass(kind, bpy.types.bpy_struct):
        if value is bpy.data or value is bpy.context:
            return None  # the module's own proxies follow the session (re-pointed on load)
        if _RNA_DEFINITION_TYPES and issubclass(kind, _RNA_DEFINITION_TYPES):
            return None
        if issubclass(kind, bpy.types.ID):
            return KIND_ID
        if (_SESSION_STABLE_TYPES and issubclass(kind, _SESSION_STABLE_TYPES)) or kind.__name__.startswith(
            _SESSION_STABLE_PREFIXES
        ):
            return None
        return KIND_SUB_DATA
    if issubclass(kind, _BPY_PROP):  # bpy_prop_collection, bpy_prop_array
        return KIND_COLLECTION
    if _MATHUTILS_TYPES and issubclass(kind, _MATHUTILS_TYPES) and value.owner is not None:
        return KIND_WRAPPED  # e.g. obj.location kept: a Vector that reads Blender memory on each access
    if _BMESH_TYPES and issubclass(kind, _BMESH_TYPES):
        return KIND_BMESH
    return None


def describe(value: Any, kind: str) -> dict[str, Any]:
    """A plain description of held data. IDs are read (safe, see the module docstring); anything else is described
    by its Python type alone."""
    type_name = type(value).__name__
    if kind == KIND_ID:
        try:
            library = value.library
            return {
                "kind": kind,
                "type": type_name,
                "id_type": value.id_type,
                "name": value.name,
                "library": None if library is None else library.filepath,
                "removed": False,
            }
        except ReferenceError:
            return {"kind": kind, "type": type_name, "id_type": None, "name": None, "library": None, "removed": True}
    return {"kind": kind, "type": type_name}


def summary_text(held: list[dict[str, Any]]) -> str:
    """'Object "Cube", 2 MeshVertex' -- what a variable holds, briefly."""
    parts: list[str] = []
    ids = [item for item in held if item["kind"] == KIND_ID]
    for item in ids[:3]:
        if item["removed"]:
            parts.append(f"a removed {item['type']} (reading it raises ReferenceError)")
        else:
            where = "" if item["library"] is None else f" from {item['library']}"
            parts.append(f'{item["type"]} "{item["name"]}"{where}')
    if len(ids) > 3:
        parts.append(f"{len(ids) - 3} more IDs")
    others: dict[str, int] = {}
    for item in held:
        if item["kind"] != KIND_ID:
            label = item["type"] if item["kind"] != KIND_WRAPPED else f"{item['type']} wrapping Blender data"
            others[label] = others.get(label, 0) + 1
    parts += [f"{count} {label}" if count > 1 else f"a {label}" for label, count in others.items()]
    return ", ".join(parts)


def topic_for(held: list[dict[str, Any]]) -> str:
    """IDs alone: undo frees them ("Undo/Redo"); anything else held is sub-data that any change may free or move
    ("Help! My script crashes Blender")."""
    return "undo-invalidation" if all(item["kind"] == KIND_ID for item in held) else "stale-reference"


def first_id(held: list[dict[str, Any]]) -> dict[str, Any] | None:
    for item in held:
        if item["kind"] == KIND_ID and not item["removed"]:
            return item
    return None
