"""Linked datablocks whose values differ from their library file ("Undo & Library Data").

Blender's tools never change library data, so undo skips it; Python can change it anyway (a linked object's
``location``, a linked material's node values, custom properties, even a pointer from library data to local data).
Undo and reload then drop the change, and a pointer to local data is left dangling when undo removes that data:
Blender crashes.

How: a child process (Blender again: the ``bpy`` module's Python, or the Blender binary in the background with
factory settings and scripts disabled) links the datablocks this session links from each library file into an empty
file and writes their values; meanwhile the scan reads the same values from the linked datablocks, in slices.
Linking, not opening the library file, is what this session did: an older library's data is versioned as it is
linked, and opened on its own as a main file some values come out otherwise (a material of a 2.93 library linked
into a 3.3 file reads ``use_transparent_shadow`` True in 4.5, False from its own file: no change by Python). Both sides
read with ``_rna_values`` (editable properties, nested structs and collection items to a bounded depth, custom
properties). Reading the library in another process cannot change this session, and opening a file does not write
it. The child is started in one step and polled, never waited on: once it is started the check steps aside and the
engine runs the other checks (this one is planned first for that); then this session's side is read while the child
reads on, and the parts it has written are the progress of the last wait. A scan that is cancelled or restarted kills
the child.

Not compared: data of editable libraries (``Library.is_editable``: brush assets from 4.3 and what they use), which
Blender's own tools change in place; values that animation or drivers set (``_rna_values.animated_keys``), which
playback writes to the linked datablock at this session's frame: neither is a change by Python.

Cost is bounded: at most MAX_DATABLOCKS linked datablocks per scan (directly linked ones first); more are reported as
not compared. Measured in ``benchmarks/bench_session_checks.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import bpy

from ..core import background
from ..core.datablocks import COLLECTION_BY_ID_TYPE
from ..core.findings import CheckInfo, Finding, Progress, timed_share
from . import _rna_values, _session

INFO = CheckInfo(
    id="library_data_modified",
    topic="library-data-modified",
    title="Changed library data",
    description="Linked datablocks whose values differ from their library file (changed by Python; undo and reload "
    "drop it)",
    severity="WARNING",
)

MAX_DATABLOCKS = 2_000  # linked datablocks compared per scan (about 1 ms each on each side)
CHILD_TIMEOUT_S = 120.0
_SLICE_S = 0.002  # work per step while reading this session's values
_PART = 50  # datablocks per file the child writes (one file is loaded per step: ~1.5 ms); its progress moves per file
_MAX_LISTED = 20  # differing properties shown per datablock (the count is exact)
# What a child usually takes (measured with Blender 5.2 on two cores): start-up, each library file opened, each
# datablock read. Only the progress shown while the child has written nothing yet depends on these.
_CHILD_START_S = 1.2
_CHILD_OPEN_S = 0.5
_CHILD_PER_DATABLOCK_S = 0.0003
_NOT_COMPARED = frozenset({"LIBRARY", "WINDOWMANAGER", "SCREEN", "WORKSPACE"})

# Runs in the child. argv[-1]: path of a JSON task {"values_module", "out" (a folder), "done" (a path),
# "libraries": [{"path", "key", "items": [[attr, name], ...]}]}. For each library the child links the named
# datablocks into an empty file, as this session linked them (an older library's data is versioned as it is linked;
# opened on its own as a main file, some values come out otherwise), and reads them as linked data. Writes numbered
# parts "out/<n>.json", each {"key": library key, "values": {"attr\tname": values or null}} for up to PART items
# (null: not in the library file), or {"key", "error": text}: the scan then loads one small part per step instead of
# one big file. Each part appears whole (written aside, then renamed); "done" is written after the last one, so the
# scan compares while Blender is still quitting (a few hundred ms).
_CHILD = r"""
import importlib.util, json, os, sys
task = json.load(open(sys.argv[-1], encoding="utf-8"))
spec = importlib.util.spec_from_file_location("gd_rna_values", task["values_module"])
rv = importlib.util.module_from_spec(spec); spec.loader.exec_module(rv)
import bpy
written = 0
def write(part):
    global written
    path = os.path.join(task["out"], f"{written:06d}.json")
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        out.write(json.dumps(part))  # dumps() uses the C encoder; dump() streams through the Python one
    os.replace(path + ".tmp", path)
    written += 1
for library in task["libraries"]:
    try:
        bpy.ops.wm.read_homefile(use_empty=True)  # nothing of the previous library left
        wanted = {}
        for attr, name in library["items"]:
            wanted.setdefault(attr, []).append(name)
        with bpy.data.libraries.load(library["path"], link=True) as (source, target):
            for attr, names in wanted.items():
                there = set(getattr(source, attr))
                setattr(target, attr, [name for name in names if name in there])
        linked = {attr: {d.name: d for d in getattr(target, attr) if d is not None} for attr in wanted}
        cache, values = {}, {}
        for attr, name in library["items"]:
            datablock = linked[attr].get(name)
            values[attr + "\t" + name] = None if datablock is None else rv.encoded(rv.values_of(datablock, None, cache))
            if len(values) >= task["part"]:
                write({"key": library["key"], "values": values}); values = {}
        if values:
            write({"key": library["key"], "values": values})
    except Exception as error:
        write({"key": library["key"], "error": f"{type(error).__name__}: {error}"[:300]})
open(task["done"], "w").close()
"""


def child_command(task_path: str) -> list[str]:
    if bpy.app.binary_path:  # a Blender binary: background, factory settings, no add-ons, no scripts
        return [bpy.app.binary_path, "-b", "--factory-startup", "--python-expr", _CHILD, "--", task_path]
    return [sys.executable, "-c", _CHILD, task_path]  # the bpy module: this Python can import bpy


# Child Blenders that wrote all their values and are quitting (a few hundred ms of freeing memory): the scan does not
# wait for that, and never kills them (a killed Blender leaves its temporary folder behind); reaped on the next run.
_quitting: list[subprocess.Popen[bytes]] = []


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    _quitting[:] = [process for process in _quitting if process.poll() is None]
    # 1. Linked datablocks, by library (directly linked first). The compared ones are kept as ID wrappers (safe
    # across steps: a freed ID raises ReferenceError, see _session.datablock_batches); the rest as plain keys.
    libraries: dict[str, dict[str, Any]] = {}
    direct: list[tuple[str, str, str, str, Any]] = []  # (library key, id_type, attr, name, datablock)
    indirect: list[tuple[str, str, str, str, Any]] = []
    key_cache: dict[int, str] = {}
    kinds = [(t, a) for t, a in COLLECTION_BY_ID_TYPE.items() if t not in _NOT_COMPARED]
    for done, (id_type, attr) in enumerate(kinds):
        collection = getattr(data, attr, None)
        if collection is None:
            continue
        for batch in _session.datablock_batches(collection):
            for datablock in batch:
                try:
                    library = datablock.library
                    if library is None or library.is_editable or library.is_missing:
                        # An editable library: brush assets (4.3+) and what they use, which Blender's own tools
                        # (the brush size and strength in the tool settings) change in place. A missing one: its
                        # file is gone or Blender could not read it, so its datablocks are empty placeholders
                        # (relative_paths reports that library).
                        continue
                    key = _rna_values.library_key(library, key_cache)
                    libraries.setdefault(key, {"filepath": library.filepath, "name": library.name})
                    item = (key, id_type, attr, datablock.name, datablock)
                    (indirect if datablock.is_library_indirect else direct).append(item)
                except ReferenceError:  # removed since its part was taken
                    continue
            yield Progress(0.1 * done / len(kinds))
    exists = {key: os.path.isfile(key) for key in libraries}
    linked = [item for item in direct + indirect if exists[item[0]]]  # a missing library: relative_paths says so
    del direct, indirect
    if not linked:
        return
    compared = linked[:MAX_DATABLOCKS]
    total_linked = len(linked)
    del linked

    # 2. The child reads the library files while this session reads its own values.
    scratch = tempfile.mkdtemp(prefix="gotcha-doctor-libcheck-")
    process: subprocess.Popen[bytes] | None = None
    try:
        task_path, out_path = os.path.join(scratch, "task.json"), os.path.join(scratch, "values")
        done_path = os.path.join(scratch, "done")
        os.mkdir(out_path)
        by_library: dict[str, list[list[str]]] = {}
        for key, _id_type, attr, name, _datablock in compared:
            by_library.setdefault(key, []).append([attr, name])
        task = {
            "values_module": os.path.abspath(_rna_values.__file__),
            "out": out_path,
            "done": done_path,
            "part": _PART,
            "libraries": [{"path": key, "key": key, "items": items} for key, items in by_library.items()],
        }
        with open(task_path, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(task))  # dumps() uses the C encoder; dump() streams through the Python one
        yield Progress(0.12)  # starting the child (a fork) is a step of its own
        env = dict(os.environ, BLENDER_USER_RESOURCES=os.path.join(scratch, "user"))
        started = time.perf_counter()
        with open(os.path.join(scratch, "stderr.txt"), "wb") as errors:
            process = background.start(child_command(task_path), stdout=subprocess.DEVNULL, stderr=errors, env=env)
        # While the child starts (Blender's start-up, the library loaded), the other checks go first; then this
        # session's side is read while the child reads on.
        yield Progress(0.15, step_aside=True)

        mine: dict[tuple[str, str, str], dict[str, str]] = {}
        # Values that animation or drivers set: they follow this session's frame, not a change by Python.
        animated: dict[tuple[str, str, str], frozenset[str]] = {}
        # Custom-property keys under which add-ons' properties are stored (before 5.0): by type, and by datablock.
        registered_by_type: dict[type, frozenset[str]] = {}
        registered: dict[tuple[str, str, str], frozenset[str]] = {}
        slice_end = time.perf_counter() + _SLICE_S
        for number, (key, _id_type, attr, name, datablock) in enumerate(compared, 1):
            try:
                owners = _rna_values.animated_owners(datablock)
                places: dict[int, str] | None = {} if owners else None
                values = _rna_values.values_of(datablock, None, key_cache, places)
                paths = _rna_values.animated_keys(owners, places) if places is not None else frozenset()
            except ReferenceError:  # removed since it was listed
                continue
            mine[(key, attr, name)] = _rna_values.encoded(values)
            if paths:
                animated[(key, attr, name)] = paths
            kind = type(datablock)
            keys = registered_by_type.get(kind)
            if keys is None:
                keys = registered_by_type[kind] = _rna_values.registered_keys(datablock)
            if keys:
                registered[(key, attr, name)] = keys
            if time.perf_counter() >= slice_end:
                yield Progress(0.15 + 0.6 * number / len(compared))
                slice_end = time.perf_counter() + _SLICE_S
        # No wrapper is needed any more: the comparison works on plain values.
        compared = [(key, id_type, attr, name, None) for key, id_type, attr, name, _datablock in compared]

        # 3. Wait for the child without blocking; the parts it has written so far are its progress.
        # The child writes nothing while Blender starts and opens the file (a second or more): until its parts
        # say more, the progress follows the time such a child usually takes (core.findings.timed_share).
        expected_parts = sum(-(-len(items) // _PART) for items in by_library.values())
        expected_s = _CHILD_START_S + _CHILD_OPEN_S * len(by_library) + _CHILD_PER_DATABLOCK_S * len(compared)
        while process.poll() is None and not os.path.exists(done_path):
            elapsed = time.perf_counter() - started
            if elapsed > CHILD_TIMEOUT_S:
                process.kill()
                yield _read_failed(libraries, f"the child process took more than {CHILD_TIMEOUT_S:g} s")
                return
            written = sum(1 for name in os.listdir(out_path) if name.endswith(".json"))
            share = max(min(1.0, written / expected_parts), timed_share(elapsed, expected_s))
            yield Progress(0.75 + 0.1 * share, waiting=True)
        if not os.path.exists(done_path):  # it ended before writing everything
            with open(os.path.join(scratch, "stderr.txt"), encoding="utf-8", errors="replace") as handle:
                error = handle.read().strip()[-300:]
            yield _read_failed(
                libraries,
                f"the child Blender ended (exit status {process.returncode}) before writing every value: {error}",
            )
            return
        yield Progress(0.85)

        # 4. Compare, one part of the child's values per step.
        parts = sorted(name for name in os.listdir(out_path) if name.endswith(".json"))
        kinds_by_key = {(key, attr, name): id_type for key, id_type, attr, name, _none in compared}
        for number, part_name in enumerate(parts, 1):
            with open(os.path.join(out_path, part_name), encoding="utf-8") as handle:
                part = json.load(handle)
            key = part["key"]
            if "error" in part:
                yield _read_failed({key: libraries[key]}, part["error"])
                continue
            for item, original in part["values"].items():
                attr, name = item.split("\t", 1)
                session = mine.get((key, attr, name))
                if session is None or original is None:
                    continue
                changed = sorted(p for p in set(session) | set(original) if session.get(p) != original.get(p))
                animated_here = animated.get((key, attr, name))
                if animated_here and changed:
                    changed = [p for p in changed if not _rna_values.is_animated(p, animated_here)]
                registered_here = registered.get((key, attr, name))
                if registered_here and changed:
                    changed = [p for p in changed if p not in registered_here]
                if changed:
                    id_type = kinds_by_key[(key, attr, name)]
                    yield _finding(id_type, name, libraries[key]["filepath"], key, changed, session, original)
            yield Progress(0.85 + 0.15 * number / len(parts))
        if total_linked > len(compared):
            yield _not_compared(total_linked, len(compared))
        if process.poll() is None:
            _quitting.append(process)
            process = None
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def _points_at_local(session_value: Any, original_value: Any) -> bool:
    """An ID pointer that is local data in this session where the library file had library data (or nothing)."""
    return (
        isinstance(session_value, list)
        and len(session_value) == 4
        and session_value[0] == "ID"
        and session_value[3] is None
    )


def _finding(
    id_type: str,
    name: str,
    library_filepath: str,
    library_file: str,
    changed: list[str],
    session_text: dict[str, str],
    original_text: dict[str, str],
) -> Finding:
    # Both sides hold each value as text (see _rna_values.encoded): decode the changed ones.
    session = {path: _rna_values.decoded(session_text[path]) for path in changed if path in session_text}
    original = {path: _rna_values.decoded(original_text[path]) for path in changed if path in original_text}
    local_pointers = [path for path in changed if _points_at_local(session.get(path), original.get(path))]
    shown = ", ".join(changed[:8]) + (f" and {len(changed) - 8} more" if len(changed) > 8 else "")
    message = (
        f'Linked {id_type.lower()} "{name}" (library {library_filepath}) differs from its library file in {shown}: '
        "Python changed library data in this session. Undo skips library data and reloading the file drops the "
        "change; make it in the library file, or use a library override."
    )
    severity = "WARNING"
    if local_pointers:
        severity = "ERROR"
        targets = ", ".join(f'{path} -> {session[path][1].lower()} "{session[path][2]}"' for path in local_pointers)
        message += (
            f" It points at local data ({targets}): undo can remove that data and leave the library pointing at "
            "freed memory, which crashes Blender."
        )
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity=severity,
        message=message,
        id_type=id_type,
        id_name=name,
        library=library_filepath,
        details={
            "library_file": library_file,
            "changed": [
                {"property": path, "session": session.get(path), "library_file": original.get(path)}
                for path in changed[:_MAX_LISTED]
            ],
            "changed_count": len(changed),
            "points_at_local_data": local_pointers,
        },
    )


def _read_failed(libraries: dict[str, dict[str, Any]], reason: str) -> Finding:
    names = ", ".join(info["filepath"] for info in libraries.values())
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity="INFO",
        message=f"Could not compare linked data with its library file ({names}): {reason}.",
        details={"libraries": sorted(libraries), "reason": reason},
    )


def _not_compared(total: int, compared: int) -> Finding:
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity="INFO",
        message=f"Compared {compared:,} of {total:,} linked datablocks with their library files (directly linked "
        f"ones first); the other {total - compared:,} were not compared, to keep the scan short.",
        details={"linked": total, "compared": compared, "limit": MAX_DATABLOCKS},
    )
