"""Local and linked datablocks that share a name ("Library Collisions" gotcha).

``bpy.data.objects["Tree"]`` then returns one of them silently; scripts that look data up by name act on the
wrong one. Read-only: names and libraries are compared; the plain lookup is performed to say which one it returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.datablocks import COLLECTION_BY_ID_TYPE
from ..core.findings import CheckInfo, Finding, Progress

INFO = CheckInfo(
    id="library_name_collisions",
    topic="library-name-collision",
    title="Library name collisions",
    description="Local and linked datablocks that share a name, so a lookup by name is ambiguous",
    severity="WARNING",
)

# Names are compared in slices of this many datablocks between progress steps.
_SLICE = 250


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    kinds = [(id_type, attr) for id_type, attr in COLLECTION_BY_ID_TYPE.items() if id_type != "LIBRARY"]
    for done, (id_type, attr) in enumerate(kinds):
        collection = getattr(data, attr, None)
        if collection is None or len(collection) == 0:
            continue
        # Libraries per name, in list order. bpy.data.X["name"] returns the first datablock of that name in list
        # order, so the first library recorded is what a plain lookup gets (collection.get() itself is a linear
        # search per call: too slow to ask once per finding).
        owners: dict[str, list[str | None]] = {}
        for start in range(0, len(collection), _SLICE):
            for datablock in collection[start : start + _SLICE]:
                library = datablock.library
                owners.setdefault(datablock.name, []).append(None if library is None else library.filepath)
            yield Progress((done + start / len(collection)) / len(kinds))
        shared = [(name, libraries) for name, libraries in owners.items() if len(libraries) > 1]
        for number, (name, libraries) in enumerate(shared, 1):
            yield _finding(id_type, attr, name, libraries)
            if number % _SLICE == 0:
                yield Progress((done + 1) / len(kinds))
        yield Progress((done + 1) / len(kinds))


def _finding(id_type: str, attr: str, name: str, libraries: list[str | None]) -> Finding:
    plain_library = libraries[0]
    where = ", ".join("local" if lib is None else f"library {lib}" for lib in libraries)
    linked = next(lib for lib in libraries if lib is not None)
    local_first = None in libraries
    message = (
        f'{len(libraries)} {id_type.lower()} datablocks are named "{name}" ({where}); '
        f'bpy.data.{attr}["{name}"] returns the {"local one" if plain_library is None else "one from " + plain_library}. '
        f'Look it up with bpy.data.{attr}["{name}", {"None" if local_first else repr(linked)}] '
        f'or ["{name}", "{linked}"] to pick one.'
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
            "lookup_local": f'bpy.data.{attr}["{name}", None]',
            "lookup_linked": f'bpy.data.{attr}["{name}", "{linked}"]',
        },
    )
