"""Local and linked datablocks that share a name ("Library Collisions" gotcha).

``bpy.data.objects["Tree"]`` then returns one of them silently; scripts that look data up by name act on the
wrong one. Read-only: names and libraries are compared; the plain lookup is performed to say which one it returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.datablocks import COLLECTION_BY_ID_TYPE
from ..core.findings import CheckInfo, Finding, Progress
from ..core.text import py_string

INFO = CheckInfo(
    id="library_name_collisions",
    topic="library-name-collision",
    title="Library name collisions",
    description="Local and linked datablocks that share a name, so a lookup by name is ambiguous",
    severity="WARNING",
)

# A collection is copied in parts of SNAPSHOT datablocks (one step each), then read SLICE datablocks per step.
# Slicing a collection walks it from its head (~30 ns a datablock, and len() as much), so slicing it per SLICE is
# quadratic: 100,000 objects took seconds, in steps of 14-109 ms. A part of ID wrappers costs little to hold: a
# removed ID's wrapper raises ReferenceError (that datablock is skipped; the engine restarts the check after edits
# anyway), while an RNA iterator held across steps would point into freed memory.
SNAPSHOT = 5_000
_SLICE = 1_000


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    # Blender keeps names unique among the local datablocks of a type (and within one library), so a name can only
    # be shared when something is linked: a file without libraries has nothing to compare.
    if len(data.libraries) == 0:
        yield Progress(1.0)
        return
    kinds = [(id_type, attr) for id_type, attr in COLLECTION_BY_ID_TYPE.items() if id_type != "LIBRARY"]
    for done, (id_type, attr) in enumerate(kinds):
        collection = getattr(data, attr, None)
        if collection is None:
            continue
        size = len(collection)  # once per collection, for the progress fraction
        if size == 0:
            continue
        yield Progress(done / len(kinds))  # the count walked the collection: the first part is copied next step
        # Libraries per name, in list order. bpy.data.X["name"] returns the first datablock of that name in list
        # order, so the first library recorded is what a plain lookup gets (collection.get() itself is a linear
        # search per call: too slow to ask once per finding). ``first`` holds strings and None only, which the
        # garbage collector does not track: a list per name made its full passes cost 30 ms steps at 100k.
        first: dict[str, str | None] = {}
        shared: dict[str, list[str | None]] = {}
        taken = 0
        while True:
            part = collection[taken : taken + SNAPSHOT]
            yield Progress((done + min(taken / size, 1.0)) / len(kinds))
            for start in range(0, len(part), _SLICE):
                for datablock in part[start : start + _SLICE]:
                    try:
                        library = datablock.library
                        name = datablock.name
                    except ReferenceError:  # removed since the part was copied
                        continue
                    path = None if library is None else library.filepath
                    if name not in first:
                        first[name] = path
                    elif name in shared:
                        shared[name].append(path)
                    else:
                        shared[name] = [first[name], path]
                yield Progress((done + min((taken + start) / size, 1.0)) / len(kinds))
            taken += len(part)
            if len(part) < SNAPSHOT:
                break
            del part
        del first
        for number, (name, libraries) in enumerate(shared.items(), 1):
            yield _finding(id_type, attr, name, libraries)
            if number % _SLICE == 0:
                yield Progress((done + 1) / len(kinds))
        yield Progress((done + 1) / len(kinds))


def _finding(id_type: str, attr: str, name: str, libraries: list[str | None]) -> Finding:
    plain_library = libraries[0]
    where = ", ".join("local" if lib is None else f"library {lib}" for lib in libraries)
    linked = next(lib for lib in libraries if lib is not None)
    local_first = None in libraries
    # Paste-ready lookups are Python string literals (quotes, newlines and control characters escaped), so they
    # compile for any name; the message repeats them, and is shown escaped wherever it is printed.
    key = py_string(name)
    linked_key = py_string(linked)
    message = (
        f"{len(libraries)} {id_type.lower()} datablocks are named {key} ({where}): "
        f"bpy.data.{attr}[{key}] returns the {'local one' if plain_library is None else 'one from ' + plain_library}; "
        f"pick one with bpy.data.{attr}[{key}, {'None' if local_first else linked_key}] or [{key}, {linked_key}]"
    )
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity=INFO.severity,
        message=message,
        id_type=id_type,
        id_name=name,
        library=plain_library,
        details={
            "libraries": libraries,
            "plain_lookup_returns": plain_library,
            "lookup_local": f"bpy.data.{attr}[{key}, None]",
            "lookup_linked": f"bpy.data.{attr}[{key}, {linked_key}]",
        },
    )
