"""File paths resolved the way Blender resolves them ("Relative File Paths" gotcha).

Each stored path (found by checks._path_owners) is resolved against the .blend its data comes from (the library's
file for linked data, as ``filepath_from_user()`` and ``abspath(..., library=)`` do), normalized, and checked on disk
(UDIM tiles, image sequences and strip elements expanded). The rules, and the finding kinds they give, are in
core.path_rules. Here: reading Blender's data, and skipping, a batch at a time, the paths whose files are known to be
there (most of a big file's), so the rules run only where something may be wrong.

Read-only; existence is answered from one directory listing per directory (core.paths.DirCache).
"""

from __future__ import annotations

import array
import os
from collections.abc import Iterator
from typing import Any

import bpy

from ..core import path_rules
from ..core.datablocks import COLLECTION_BY_ID_TYPE
from ..core.engine import ScanState
from ..core.findings import CheckInfo, Finding, Progress
from ..core.path_rules import BLEND, FILE, PathRef, Resolver, evaluate
from . import _path_owners as owners
from ._path_owners import ImageBatch, SingleBatch, WalkContext

INFO = CheckInfo(
    id=path_rules.CHECK,
    topic=path_rules.TOPIC,
    title="File paths",
    description="Missing files and libraries, // paths that resolve wrongly or against the working directory, "
    "unportable absolute, climbing or Windows-style paths",
    severity="ERROR",
    uses_scan_state=True,  # the project root; hands what its walk gathered to a later check
)

__all__ = ["INFO", "Resolver", "evaluate", "run"]

_GENERATED = frozenset({"GENERATED", "VIEWER"})  # image sources without a file
_PLAIN_SOURCES = frozenset({"FILE", "MOVIE", "SEQUENCE"})  # image sources naming one file


def run(data: Any, context: Any, scan: ScanState | None = None) -> Iterator[Finding | Progress | list[Finding]]:
    main_file = data.filepath
    # The project root comes from the scan (found by the runner); driven directly, the file's folder.
    version = (bpy.app.version[0], bpy.app.version[1])
    if scan is not None and scan.project_root:
        resolver = Resolver(main_file, scan.project_root, root_marker=scan.project_root_marker, blender_version=version)
    else:
        resolver = Resolver(main_file, os.path.dirname(main_file), blender_version=version)
    files, missing_libs = owners.library_files(data, os.path.exists)
    # What came from each library Blender read nothing of: one whose file is gone, or there but unreadable.
    unread = missing_libs | {library.name for library in data.libraries if library.is_missing}
    dependents = _library_dependents(data, unread) if unread else {}
    ctx = WalkContext(main_file, files, missing_libs, has_libraries=len(data.libraries) > 0)
    if ctx.has_libraries:
        for _step in _find_placeholders(data, unread, ctx.placeholders):
            yield Progress(0.0)
    # A later check of this scan may take what this walk gathers on the way (one walk, not two).
    look: list[PathRef] | None = [] if owners.wants_looks(scan, INFO.id) else None
    try:
        for fraction, items in owners.walk(data, ctx, batches=True, look=look):
            resolver.cache.new_step()
            found: list[Finding] = []  # the batch's findings, yielded as one step
            settled = _known_present(items, resolver, ctx)
            for position, item in enumerate(items):
                if position in settled:
                    continue
                if type(item) is ImageBatch:
                    found.extend(_image_findings(item, resolver, ctx, dependents))
                    continue
                if type(item) is SingleBatch:
                    refs = _singles_to_evaluate(item, resolver, ctx)
                else:
                    refs = [item]
                for ref in refs:
                    if ref.role == BLEND or not ref.raw or ref.library_missing:
                        continue  # data from a missing library is covered by that library's finding
                    found.extend(evaluate(ref, resolver, dependents))
            if found:
                yield found
            yield Progress(fraction)
        if look is not None and scan is not None:
            owners.publish_looks(scan, data, look)
        while not resolver.cache.release():
            yield Progress(1.0)  # a big cache is freed a part per step
    finally:
        resolver.cache.close()  # directory scans still open when the scan is cancelled or restarted


def _image_findings(
    batch: ImageBatch, resolver: Resolver, ctx: WalkContext, dependents: dict[str, list[str]]
) -> list[Finding]:
    """The findings of the batch's images. Those whose plain path is known to exist get none, whatever the image's
    source (a tiled image's path names no file), and are never read further; a plain file path known to be missing
    gets its finding straight away (:func:`path_rules.missing_files`, what :func:`evaluate` gives it); the
    rest go through the rules."""
    images, raws, sources = batch
    missing: dict[int, str] = {}  # index -> resolved path of plain local paths known to be missing
    resolved = None
    if not ctx.has_libraries and _PLAIN_SOURCES.issuperset(sources) and all(raws):
        resolved = resolver.plain_all(raws)  # the usual batch: every image names one file by a plain path
    if resolved is not None:
        for index in resolver.cache.absent(resolved):
            missing[index] = resolved[index]
        keep = list(missing)
    else:
        keep = [
            index
            for index, (raw, source) in enumerate(zip(raws, sources, strict=True))
            if raw and source not in _GENERATED
        ]
        plain = resolver.plain
        candidates = []  # (index, resolved) of plain local paths, the others go to the rules as they are
        rest = []
        for index in keep:
            path = plain(raws[index]) if sources[index] != "TILED" else None
            if path is not None and (not ctx.has_libraries or images[index].library is None):
                candidates.append((index, path))
            else:
                rest.append(index)
        for at in resolver.cache.absent([path for _index, path in candidates]):
            index, path = candidates[at]
            missing[index] = path
        keep = sorted(rest + list(missing))
    # Plain local files known to be missing, neither packed nor a sequence (usually every one the batch keeps):
    # their findings are built together.
    quick = [
        index
        for index in keep
        if index in missing and sources[index] != "SEQUENCE" and images[index].packed_file is None
    ]
    found = path_rules.missing_files(
        ctx.main_file,
        "IMAGE",
        "file",
        "filepath",
        "",
        [images[index].name for index in quick],
        [raws[index] for index in quick],
        [missing[index] for index in quick],
    )
    if len(quick) == len(keep):
        return found
    built = dict(zip(quick, found, strict=True))
    in_order: list[Finding] = []  # the collection's order, as the walk gives it
    for index in keep:
        finding = built.get(index)
        if finding is not None:
            in_order.append(finding)
            continue
        refs: list[PathRef] = []
        owners.read_image(images[index], ctx, refs, sources[index], raws[index])
        for ref in refs:
            if not ref.library_missing:  # data from a missing library is covered by that library's finding
                in_order.extend(evaluate(ref, resolver, dependents))
    return in_order


def _known_present(items: list[Any], resolver: Resolver, ctx: WalkContext) -> set[int]:
    """Positions in ``items`` of the references :func:`evaluate` would give nothing: plain local file paths (its own
    fast path) whose files are known to exist. Settled for the batch at once, one ``plain_all`` and one
    ``absent``, instead of a call each (objects' cache files, node and strip paths: thousands in a big scene)."""
    simple = [
        position
        for position, item in enumerate(items)
        if type(item) is PathRef
        and item.role == FILE
        and not item.variant
        and not item.packed
        and item.library is None
        and item.raw
    ]
    absent = _absent_if_plain([items[position].raw for position in simple], resolver, ctx)
    if absent is None:
        return set()
    known = set(simple)
    known.difference_update(simple[at] for at in absent)
    return known


def _absent_if_plain(raws: list[str], resolver: Resolver, ctx: WalkContext) -> list[int] | None:
    """Indices of ``raws`` whose files are not known to exist, when every one is a plain path of local data (only
    "missing" can apply to those, so one known to exist needs nothing more); None when one is not, or the file has
    libraries: then every one goes to the rules."""
    resolved = None if ctx.has_libraries else resolver.plain_all(raws)
    return None if resolved is None else resolver.cache.absent(resolved)


def _singles_to_evaluate(batch: SingleBatch, resolver: Resolver, ctx: WalkContext) -> list[PathRef]:
    """Sounds, fonts, volumes, texts, clips, cache files: like images, those with a plain path known to exist get no
    finding, so only the others are read into references."""
    datablocks, raws, reader = batch
    keep = [index for index, raw in enumerate(raws) if raw]  # no path: nothing to judge
    if reader is owners.read_cache_file:
        # A cache file may be a sequence: its stored frame existing says nothing of the others (few per file).
        every: list[PathRef] = []
        for index in keep:
            reader(datablocks[index], ctx, every)
        return every
    absent = _absent_if_plain([raws[index] for index in keep], resolver, ctx)
    if absent is not None:
        keep = [keep[at] for at in absent]
    refs: list[PathRef] = []
    for index in keep:
        reader(datablocks[index], ctx, refs)
    return refs


def _find_placeholders(data: Any, unread: set[str], found: dict[str, list[str]]) -> Iterator[None]:
    """Fills ``found`` with the "ID_TYPE:name" of the linked datablocks Blender did not find in their (readable)
    library, by library: it keeps an empty placeholder for each (``ID.is_missing``). The flag is read with
    ``foreach_get``, a collection per step, and only the few placeholders are read one by one
    (benchmarks/bench_placeholders.py)."""
    for attr in COLLECTION_BY_ID_TYPE.values():
        collection = getattr(data, attr, None)
        if collection is None or attr == "libraries":
            continue
        flags = array.array("b", bytes(len(collection)))
        collection.foreach_get("is_missing", flags)
        if 1 in flags:
            datablocks = collection[:]
            for index, flag in enumerate(flags):
                if flag:
                    datablock = datablocks[index]
                    library = datablock.library
                    if library is not None and library.name not in unread:
                        found.setdefault(library.name, []).append(f"{datablock.id_type}:{datablock.name}")
        yield None
    for linked in found.values():
        linked.sort()


def _library_dependents(data: Any, missing: set[str]) -> dict[str, list[str]]:
    """ "ID_TYPE:name" of every datablock linked from each library Blender could not read."""
    found: dict[str, list[str]] = {}
    for name in missing:
        library = data.libraries.get(name)
        if library is not None:
            found[name] = sorted(f"{datablock.id_type}:{datablock.name}" for datablock in library.users_id)
    return found
