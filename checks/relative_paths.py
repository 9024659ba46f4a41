"""File paths resolved the way Blender resolves them ("Relative File Paths" gotcha).

Each stored path is resolved against the .blend its data comes from (the library's file for linked data, as
``filepath_from_user()`` and ``abspath(..., library=)`` do), normalized, and checked on disk (UDIM tiles, image
sequences and strip elements expanded). Each reason is its own finding kind (``details["kind"]``):

- ``missing``: the file is not on disk (packed data is reported as ``packed`` instead);
- ``library_missing``: a linked .blend is not on disk, and with it everything linked from it;
- ``unsaved_relative``: a ``//`` path in a file never saved, so it resolves against the working directory;
- ``library_relative``: linked data whose ``//`` path is right only relative to its library file, where
  ``bpy.path.abspath(path)`` without ``library=`` gives another (wrong) path;
- ``outside_project``: an absolute path outside the project root (breaks when the project moves machines);
- ``climbs_above_root``: a ``//`` path whose ``..`` climb above the project root or the file-system root;
- ``windows_path``: drive letters or backslashes, read on a POSIX system;
- ``packed``: packed into the .blend while the file on disk is gone (Blender uses the packed copy).

Read-only; existence is answered from one directory listing per directory (core.paths.DirCache).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from ..core import paths
from ..core.engine import ScanState
from ..core.findings import CheckInfo, Finding, Progress
from ..core.text import display
from . import _path_owners as owners
from ._path_owners import DIR, FILE, LIBRARY, OUTPUT, PathRef, WalkContext

INFO = CheckInfo(
    id="relative_paths",
    topic="relative-path",
    title="File paths",
    description="Missing files and libraries, // paths that resolve wrongly or against the working directory, "
    "unportable absolute, climbing or Windows-style paths",
    severity="ERROR",
    uses_scan_state=True,  # hands its walk to non_utf8_paths
)

# Fixes are named by stable keys; the UI maps them to its operators (operators.FIX_OPERATORS).
FIX_ABSOLUTE = "path_make_absolute"
FIX_RELATIVE = "path_make_relative"
FIX_REPOINT = "path_repoint"

_POSIX = os.sep == "/"
_new_finding = object.__new__
_set_fields = object.__setattr__  # see owners.make_finding
_MAX_LISTED = 50  # names listed in details (missing tiles, frames, dependents); counts are always complete


class Resolver:
    """Per-scan state: the main file, the project root, the directory cache, and the fast path for plain paths."""

    def __init__(self, main_file: str, root: str, cache: paths.DirCache | None = None) -> None:
        self.main_file = main_file
        self.main_dir = os.path.dirname(main_file)
        self.root = root
        self.cache = cache or paths.DirCache()
        self.cwd = os.getcwd()
        # Prefixes for the fast path; empty when it cannot apply (unsaved file, not POSIX).
        self._main_prefix = self.main_dir.rstrip("/") + "/" if main_file and _POSIX else ""
        self._root_prefix = (root.rstrip("/") + "/") if root else "/"

    def plain(self, raw: str) -> str | None:
        """The resolved path of a plain local path that can only be missing (no .., backslash, drive, doubled
        slash, and inside the project when absolute); None when the full rules must run."""
        if "\\" in raw or "/." in raw:
            return None
        if raw[:2] == "//":
            if self._main_prefix and "//" not in raw[1:]:  # raw[1:]: "///x" is not plain either
                return self._main_prefix + raw[2:]
        elif raw[:1] == "/" and _POSIX and "//" not in raw and raw.startswith(self._root_prefix):
            return raw
        return None

    def plain_all(self, raws: list[str]) -> list[str] | None:
        """``[plain(raw) for raw in raws]`` when every one is plain, else None: decided with a few searches over
        all of them at once (the common batch: every path ``//`` or absolute inside the project, no ``..``)."""
        if not _POSIX or not raws:
            return None
        blob = "\x00" + "\x00".join(raws)
        if "\\" in blob or "/." in blob or "///" in blob or blob.count("\x00/") != len(raws):
            return None  # backslashes, dots, a path not starting with "/" (or empty)
        relative = blob.count("\x00//")
        if blob.count("//") != relative or (relative and not self._main_prefix):
            return None  # a doubled slash other than the "//" prefix, or "//" in a file never saved
        absolute = len(raws) - relative
        if absolute and self._root_prefix != "/" and blob.count("\x00" + self._root_prefix) != absolute:
            return None  # an absolute path outside the project
        main = self._main_prefix
        return [main + raw[2:] if raw[:2] == "//" else raw for raw in raws]

    def resolve(self, ref: PathRef) -> str:
        if _POSIX:
            return paths.blender_abspath(ref.raw, ref.base_file)
        # On Windows Blender's own rules apply natively; normpath matches them closely enough.
        return os.path.normpath(paths.library_abspath(ref.raw, ref.base_file))

    def probe(self, ref: PathRef, resolved: str) -> tuple[bool, dict[str, Any]]:
        """(exists, extra details) for what the path names: a file, tiles, a sequence, strip elements."""
        exists = self.cache.exists
        if ref.variant == "udim":
            tiles = ref.tiles or (1001,)
            missing = [n for n in tiles if not exists(paths.expand_tile(resolved, n))]
            found = len(tiles) - len(missing)
            return not missing, {
                "tiles": list(tiles),
                "missing_tiles": missing[:_MAX_LISTED],
                "missing_tile_count": len(missing),
                "found_tile_count": found,
            }
        if ref.variant == "sequence":
            if exists(resolved):
                return True, {}
            parts = paths.sequence_parts(resolved)
            if parts is None:
                return False, {}
            directory, head, _digits, tail = parts
            frames = paths.sequence_frames(self.cache.names(directory), head, tail)
            return bool(frames), {
                "sequence_frames_found": len(frames),
                "sequence_first_frame": frames[0] if frames else None,
            }
        if ref.variant == "elements":
            directory = resolved.rstrip("/") or "/"
            absent = [e for e in ref.elements if not exists(f"{directory}/{e}")]
            if not ref.elements:
                return self.cache.is_directory(directory), {}
            return not absent, {
                "elements": len(ref.elements),
                "missing_elements": absent[:_MAX_LISTED],
                "missing_element_count": len(absent),
            }
        if ref.role == DIR:
            return self.cache.is_directory(resolved.rstrip("/") or "/"), {}
        return exists(resolved), {}


def run(data: Any, context: Any, scan: ScanState | None = None) -> Iterator[Finding | Progress]:
    main_file = data.filepath
    # The project root comes from the scan (the preference, resolved by the runner); driven directly, the file's folder.
    root = scan.project_root if scan is not None and scan.project_root else os.path.dirname(main_file)
    resolver = Resolver(main_file, root)
    files, missing_libs = owners.library_files(data, os.path.exists)
    ctx = WalkContext(main_file, files, missing_libs, has_libraries=len(data.libraries) > 0)
    dependents = _library_dependents(data, missing_libs) if missing_libs else {}
    # When the non-UTF-8 check runs later in this scan, this walk gathers what it needs (one walk, not two).
    look: list[PathRef] | None = [] if owners.wants_looks(scan) else None
    plain = resolver.plain
    present = resolver.cache.present
    exists = resolver.cache.exists
    try:
        walk = owners.walk(data, ctx, _image_batch(resolver), look=look, single_batch=_single_batch(resolver))
        for fraction, items in walk:
            resolver.cache.new_step()
            for item in items:
                if type(item) is Finding:
                    yield item
                    continue
                if item.role == owners.BLEND or not item.raw or item.library_missing:
                    continue  # data from a missing library is covered by that library's finding
                if item.role == FILE and not item.variant and not item.packed and item.library is None:
                    resolved = plain(item.raw)
                    if resolved is not None:  # the common case, inline: only "missing" can apply
                        if resolved not in present and not exists(resolved):
                            yield _plain_missing(
                                item.id_type,
                                item.id_name,
                                item.raw,
                                resolved,
                                item.base_file,
                                item.label,
                                item.data_path,
                            )
                        continue
                yield from evaluate(item, resolver, dependents)
            yield Progress(fraction)
        if look is not None and scan is not None:
            owners.publish_looks(scan, data, look)
        while not resolver.cache.release():
            yield Progress(1.0)  # a big cache is freed a part per step
    finally:
        resolver.cache.close()  # directory scans still open when the scan is cancelled or restarted


_GENERATED = frozenset({"GENERATED", "VIEWER"})  # image sources without a file
_PLAIN_SOURCES = frozenset({"FILE", "MOVIE", "SEQUENCE"})  # image sources naming one file


def _image_batch(resolver: Resolver) -> owners.ImageBatchReader:
    """Images are most of a big file's paths: settle plain local ones inline (exists: nothing; missing: the
    finding), and hand the rest to the full rules. Same findings as evaluate(), a fraction of the work.

    A plain path (see Resolver.plain) can only be missing: an existing one gets no finding whatever its source
    (file, movie, sequence; a tiled image's path names no file, so tiles always take the full rules), and a
    missing file or movie gets the plain "missing" finding unless it is packed.
    """
    exists = resolver.cache.exists
    present = resolver.cache.present
    plain = resolver.plain
    plain_all = resolver.plain_all
    settled = resolver.cache.settled_prefixes
    main_file = resolver.main_file
    read_image = owners.read_image
    new_step = resolver.cache.new_step

    def read(images: list[Any], raws: list[str], sources: list[str], ctx: WalkContext, out: list[Any]) -> None:
        new_step()
        local = not ctx.has_libraries
        all_resolved = plain_all(raws) if local and _PLAIN_SOURCES.issuperset(sources) else None
        if all_resolved is not None:
            # The whole batch is plain (the usual case): only the paths not listed as present need a look.
            if present.issuperset(all_resolved):
                return  # every file is there (one pass in C)
            for index in [index for index, path in enumerate(all_resolved) if path not in present]:
                path = all_resolved[index]
                if path in present:  # listed since the list of candidates was made
                    continue
                if path[: path.rfind("/") + 1] not in settled and exists(path):
                    continue
                image = images[index]
                if sources[index] != "SEQUENCE" and image.packed_file is None:
                    out.append(_plain_missing("IMAGE", image.name, raws[index], path, main_file))
                else:
                    read_image(image, ctx, out)
            return
        for image, raw, source in zip(images, raws, sources, strict=True):
            if not raw or source in _GENERATED:
                continue
            if source != "TILED" and (local or image.library is None):
                resolved = plain(raw)
                if resolved is not None:
                    if resolved in present or exists(resolved):
                        continue
                    if source != "SEQUENCE" and image.packed_file is None:
                        out.append(_plain_missing("IMAGE", image.name, raw, resolved, main_file))
                        continue
            read_image(image, ctx, out)

    return read


def _single_batch(resolver: Resolver) -> owners.SingleBatchReader:
    """Sounds, fonts, volumes, texts, clips, cache files: like images, an existing plain local path gets no finding
    whatever the datablock (packed, sequence), so only the others are read into references for the full rules."""
    exists = resolver.cache.exists
    present = resolver.cache.present
    plain_all = resolver.plain_all
    new_step = resolver.cache.new_step

    def read(datablocks: list[Any], raws: list[str], reader: owners.Reader, ctx: WalkContext, out: list[Any]) -> None:
        new_step()
        kept = None if "" not in raws else [index for index, raw in enumerate(raws) if raw]  # no path: no look
        if kept == []:
            return
        resolved = None if ctx.has_libraries else plain_all(raws if kept is None else [raws[i] for i in kept])
        if resolved is None:
            for datablock in datablocks:
                reader(datablock, ctx, out)
            return
        if present.issuperset(resolved):
            return
        for index in [index for index, path in enumerate(resolved) if path not in present]:
            path = resolved[index]
            if exists(path):
                continue
            mark = len(out)
            reader(datablocks[index if kept is None else kept[index]], ctx, out)
            if len(out) == mark + 1:
                ref = out[mark]
                if ref.role == FILE and not ref.variant and not ref.packed:
                    # What run() would find for this reference, made here: the path is known to be plain.
                    out[mark] = _plain_missing(
                        ref.id_type, ref.id_name, ref.raw, path, ref.base_file, ref.label, ref.data_path
                    )

    return read


def _library_dependents(data: Any, missing: set[str]) -> dict[str, list[str]]:
    """ "ID_TYPE:name" of every datablock linked from each missing library."""
    found: dict[str, list[str]] = {}
    for name in missing:
        library = data.libraries.get(name)
        if library is not None:
            found[name] = sorted(f"{datablock.id_type}:{datablock.name}" for datablock in library.users_id)
    return found


def evaluate(ref: PathRef, resolver: Resolver, dependents: dict[str, list[str]]) -> Iterator[Finding]:
    """The findings for one stored path."""
    raw = ref.raw
    if ref.role == FILE and not ref.variant and not ref.packed and ref.library is None:
        plain = resolver.plain(raw)
        if plain is not None:  # the common case: only "missing" can apply
            if plain not in resolver.cache.present and not resolver.cache.exists(plain):
                if ref.label == "file" and ref.data_path == "filepath":
                    yield _plain_missing(ref.id_type or "", ref.id_name or "", raw, plain, ref.base_file)
                else:
                    yield _missing(ref, plain, {}, True)
            return
    relative = raw.startswith("//")
    base = ref.base_file
    resolved = resolver.resolve(ref)
    what = f'{ref.label} "{display(raw, 300)}"'
    local = ref.library is None
    fixable = local and ref.role != LIBRARY  # fixes never touch linked data or library links

    if relative and not base:
        cwd_path = os.path.normpath(os.path.join(resolver.cwd, resolved))
        exists, extra = (False, {}) if ref.role == OUTPUT else resolver.probe(ref, cwd_path)
        yield _finding(
            ref,
            "unsaved_relative",
            "WARNING",
            f"{_cap(what)} is relative (//) but this file was never saved, so Blender and bpy.path.abspath() resolve it "
            f"against the working directory: {display(cwd_path, 300)}. Save the file first.",
            resolved=cwd_path,
            exists=exists,
            extra=extra,
        )
        return

    windows = _POSIX and (paths.has_windows_drive(raw) or paths.is_unc(raw) or "\\" in raw)
    checks_disk = ref.role != OUTPUT and not ref.packed
    exists, extra = resolver.probe(ref, resolved) if checks_disk else (True, {})
    naive = paths.naive_abspath(raw, resolver.main_file) if relative else raw
    if naive != resolved:
        extra["naive_abspath"] = naive

    if ref.packed:
        # Reported only when the file on disk is gone: then a script opening the stored path fails, while
        # Blender keeps working from the packed copy.
        on_disk, disk_extra = resolver.probe(ref, resolved)
        if not on_disk:
            yield _finding(
                ref,
                "packed",
                "INFO",
                f"{_cap(what)} is packed into the .blend: Blender uses the packed copy; the file on disk "
                f"({display(resolved, 300)}) is missing, so scripts that open the path fail",
                resolved=resolved,
                exists=False,
                extra={**extra, **disk_extra},
            )
    elif windows:
        problem = "a Windows drive letter" if paths.has_windows_drive(raw) else "backslashes"
        yield _finding(
            ref,
            "windows_path",
            "ERROR" if not exists else "WARNING",
            f"{_cap(what)} uses {problem}; on this system Blender reads {display(resolved, 300)}"
            + (" (not found)" if not exists else "")
            + ", while os/open() given the stored path see another name",
            resolved=resolved,
            exists=exists,
            extra=extra,
        )
    elif not exists:
        if ref.role == LIBRARY:
            linked = dependents.get(ref.id_name or "", [])
            extra["linked_count"] = len(linked)
            extra["linked"] = linked[:_MAX_LISTED]
            yield _finding(
                ref,
                "library_missing",
                "ERROR",
                f"Library file {display(resolved, 300)} is missing: {len(linked)} linked datablock(s) from it "
                "are empty placeholders",
                resolved=resolved,
                exists=False,
                extra=extra,
            )
        else:
            yield _missing(ref, resolved, extra, fixable)
    elif relative and not local and naive != resolved and paths.normalize(naive) != resolved:
        naive_exists = resolver.cache.exists(paths.normalize(naive))
        yield _finding(
            ref,
            "library_relative",
            "WARNING",
            f"{_cap(what)} is relative to its library {display(ref.library or '', 200)}: Blender reads "
            f"{display(resolved, 300)}, but bpy.path.abspath(path) without library= gives {display(naive, 300)}"
            + ("" if naive_exists else " (not found)")
            + "; pass library=id.library or use filepath_from_user()",
            resolved=resolved,
            exists=True,
            extra={**extra, "naive_exists": naive_exists},
        )

    root = resolver.root
    if relative and not windows:
        above_base, above_fs_root = paths.climb_info(raw, base)
        if above_fs_root:
            yield _finding(
                ref,
                "climbs_above_root",
                "ERROR",
                f"{_cap(what)} climbs (..) above the file-system root; Blender silently clamps it to {display(resolved, 300)}",
                resolved=resolved,
                exists=exists,
                extra={**extra, "above": "filesystem"},
                fixes=(FIX_ABSOLUTE,) if fixable else (),
            )
        elif above_base and root and not paths.is_within(resolved, root):
            yield _finding(
                ref,
                "climbs_above_root",
                "WARNING",
                f"{_cap(what)} climbs (..) out of the project root {display(root, 200)} to {display(resolved, 300)}: the "
                "project cannot be moved or shared as one folder",
                resolved=resolved,
                exists=exists,
                extra={**extra, "above": "project", "project_root": root},
                fixes=(FIX_ABSOLUTE,) if fixable else (),
            )
    elif not relative and not windows and ref.role != OUTPUT and root and resolved.startswith("/"):
        if not paths.is_within(resolved, root):
            yield _finding(
                ref,
                "outside_project",
                "WARNING",
                f"{_cap(what)} is absolute and outside the project root {display(root, 200)}: it breaks when the "
                "project moves to another machine",
                resolved=resolved,
                exists=exists,
                extra={**extra, "project_root": root},
                fixes=(FIX_RELATIVE,) if fixable and resolver.main_file else (),
            )


def _missing(ref: PathRef, resolved: str, extra: dict[str, Any], fixable: bool) -> Finding:
    """The "missing" finding (shared by the fast path and the full rules, so both give the same finding)."""
    repoint = fixable and ref.variant in ("", "sequence") and ref.role in (FILE, DIR)
    label = ref.label
    text = resolved if not ref.variant else _missing_text(ref, resolved, extra)
    return _finding(
        ref,
        "missing",
        "ERROR",
        f'{label[:1].upper()}{label[1:]} "{ref.raw}" not found: {text}',
        resolved=resolved,
        exists=False,
        extra=extra,
        fixes=(FIX_REPOINT,) if repoint else (),
    )


_FIX_REPOINT_ONLY = (FIX_REPOINT,)


# Templates of the hot-path finding, copied and filled in (a dict copy is cheaper than building it key by key).
_MISSING_DETAILS: dict[str, Any] = {
    "kind": "missing",
    "raw_path": "",
    "owner": None,
    "property": "file",
    "data_path": "filepath",
    "resolved_path": "",
    "exists": False,
    "relative_to": "",
}
_MISSING_FIELDS: dict[str, Any] = {
    "check": INFO.id,
    "topic": INFO.topic,
    "severity": "ERROR",
    "message": "",
    "id_type": None,
    "id_name": None,
    "library": None,
    "details": None,
    "fixes": _FIX_REPOINT_ONLY,
}


def _plain_missing(
    id_type: str | None,
    name: str | None,
    raw: str,
    resolved: str,
    main_file: str,
    label: str = "file",
    data_path: str = "filepath",
) -> Finding:
    """What _missing() gives for a local, plain path of a file Blender reads, built directly: the hot path (tens
    of thousands in a big file with missing textures), so the Finding is made here without a function call."""
    details = _MISSING_DETAILS.copy()
    details["raw_path"] = raw
    details["owner"] = {"id_type": id_type, "name": name, "library": None}
    details["resolved_path"] = resolved
    details["relative_to"] = main_file
    if label == "file":
        message = f'File "{raw}" not found: {resolved}'
    else:
        details["property"] = label
        message = f'{label[:1].upper()}{label[1:]} "{raw}" not found: {resolved}'
    if data_path != "filepath":
        details["data_path"] = data_path
    fields = _MISSING_FIELDS.copy()
    fields["message"] = message
    fields["id_type"] = id_type
    fields["id_name"] = name
    fields["details"] = details
    finding = _new_finding(Finding)
    _set_fields(finding, "__dict__", fields)
    return finding


if not owners.DIRECT_FINDINGS:  # Finding changed shape: build it the normal way

    def _plain_missing(  # noqa: F811 - the fallback of the definition above
        id_type: str | None,
        name: str | None,
        raw: str,
        resolved: str,
        main_file: str,
        label: str = "file",
        data_path: str = "filepath",
    ) -> Finding:
        return _missing(
            PathRef(id_type, name, None, main_file, data_path, label, raw, FILE), resolved, {}, fixable=True
        )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _missing_text(ref: PathRef, resolved: str, extra: dict[str, Any]) -> str:
    if ref.variant == "udim":
        tiles = ", ".join(str(n) for n in extra.get("missing_tiles", []))
        return f"{extra.get('missing_tile_count')} of {len(ref.tiles)} UDIM tiles missing ({tiles}) in {display(resolved, 300)}"
    if ref.variant == "sequence":
        return f"no frame of the sequence {display(resolved, 300)} exists"
    if ref.variant == "elements":
        return (
            f"{extra.get('missing_element_count')} of {extra.get('elements')} strip images missing in "
            f"{display(resolved, 300)}"
        )
    return resolved


def _finding(
    ref: PathRef,
    kind: str,
    severity: str,
    message: str,
    *,
    resolved: str,
    exists: bool,
    extra: dict[str, Any],
    fixes: tuple[str, ...] = (),
) -> Finding:
    details: dict[str, Any] = {
        "kind": kind,
        "raw_path": ref.raw,
        "owner": {"id_type": ref.id_type, "name": ref.id_name, "library": ref.library},
        "property": ref.label,
        "data_path": ref.data_path,
        "resolved_path": resolved,
        "exists": exists,
        "relative_to": ref.base_file,
    }
    if extra:
        details.update(extra)
    return owners.make_finding(
        INFO.id, INFO.topic, severity, message, ref.id_type, ref.id_name, ref.library, details, fixes
    )
