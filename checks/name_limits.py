"""Datablock names that fill this Blender's name limit ("Data Names / Naming Limitations").

Blender cuts a name that does not fit: 63 bytes (UTF-8) before 5.0, 255 bytes from 5.0, on a character boundary.
A script that created ``bpy.data.objects.new(long_name, ...)`` and later looks up ``bpy.data.objects[long_name]``
gets a KeyError, or another datablock whose name was cut the same way. A name exactly at the limit was probably
cut; one within three bytes of it that holds multi-byte characters may have been cut before a character that did
not fit.

Read-only: names are read in slices, never assigned.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import bpy

from ..core.datablocks import COLLECTION_BY_ID_TYPE
from ..core.findings import CheckInfo, Finding, Progress
from ..core.names import NAME_LIMIT_FULL, name_limit_bytes, name_limit_state
from . import _session

INFO = CheckInfo(
    id="name_limits",
    topic="data-name-limits",
    title="Names at the limit",
    description="Datablock names that fill the name length limit (probably cut short, so lookups by the intended "
    "name fail)",
    severity="WARNING",
)

_SLICE = 1_000  # datablocks per step (reading a name: ~0.3 us)


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    limit = name_limit_bytes(tuple(bpy.app.version))
    kinds = list(COLLECTION_BY_ID_TYPE.items())
    for done, (id_type, attr) in enumerate(kinds):
        collection = getattr(data, attr, None)
        if collection is None:
            continue
        for batch in _session.datablock_batches(collection, _SLICE):
            for datablock in batch:
                try:
                    name = datablock.name
                    state = name_limit_state(name, limit)
                    library = datablock.library if state is not None else None
                except ReferenceError:  # removed since its part was taken
                    continue
                if state is not None:
                    yield _finding(id_type, attr, name, None if library is None else library.filepath, limit, state)
            yield Progress(done / len(kinds))
        yield Progress((done + 1) / len(kinds))


def _finding(id_type: str, attr: str, name: str, library: str | None, limit: int, state: str) -> Finding:
    size = len(name.encode("utf-8", "surrogatepass"))
    version = bpy.app.version_string
    if state == NAME_LIMIT_FULL:
        why = f"fills the {limit}-byte name limit of Blender {version} exactly: it was probably cut short"
        severity = "WARNING"
    else:
        why = (
            f"is {size} bytes, within {limit - size} of the {limit}-byte limit of Blender {version}, and holds "
            "multi-byte characters: it may have been cut before a character that did not fit"
        )
        severity = "INFO"
    shown = name if len(name) <= 48 else f"{name[:24]}…{name[-12:]}"
    message = (
        f'The {id_type.lower()} name "{shown}" ({len(name)} characters) {why}. A script that looks it up by the name it asked for '
        f"(bpy.data.{attr}[...]) gets a KeyError or another datablock; use the name Blender gave "
        "(the return value of .new(), or .name afterwards)."
    )
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity=severity,
        message=message,
        id_type=id_type,
        id_name=name,
        library=library,
        details={"name_bytes": size, "limit_bytes": limit, "state": state},
    )
