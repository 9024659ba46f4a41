"""File paths resolved the way Blender resolves them ("Relative File Paths" gotcha).

Each stored path is resolved against the .blend its data comes from (the library's file for linked data, as
``filepath_from_user()`` and ``abspath(..., library=)`` do), normalized, and checked on disk (UDIM tiles, image
sequences and strip elements expanded). Each reason is its own finding kind (``details["kind"]``):

- ``missing``: the file is not on disk (packed data is reported as ``packed`` instead);
- ``library_missing``: a linked .blend is not on disk, and with it everything linked from it;
- ``unsaved_relative``: a ``//`` path in a file never saved, so it resolves against the working directory;
- ``library_relative``: linked data whose ``//`` path is right only relative to its library file, where
  ``bpy.path.abspath(path)`` without ``library=`` gives another (wrong) path;
- ``outside_project`` / ``absolute_in_project``: absolute paths (unportable; outside the project root or not);
- ``climbs_above_root``: a ``//`` path whose ``..`` climb above the project root or the file-system root;
- ``windows_path``: drive letters or backslashes, read on a POSIX system;
- ``packed``: packed into the .blend (Blender never reads the stored path).

Read-only; existence is answered from one directory listing per directory (core.paths.DirCache).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from ..core import paths
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
)

FIX_ABSOLUTE = "gotcha.path_make_absolute"
FIX_RELATIVE = "gotcha.path_make_relative"
FIX_REPOINT = "gotcha.path_repoint"

_POSIX = os.sep == "/"
_MAX_LISTED = 50  # names listed in details (missing tiles, frames, dependents); counts are always complete


def project_root(data: Any, context: Any) -> str:
    """The project root: the add-on preference when set, else the directory of the main .blend ('' unsaved)."""
    root = ""
    try:
        from .. import preferences

        prefs = preferences.get(context)
        root = getattr(prefs, "project_root", "") if prefs is not None else ""
    except (ImportError, AttributeError):
        root = ""
    if root:
        if root.startswith("//"):
            root = paths.blender_abspath(root, data.filepath)
        return paths.normalize(os.path.abspath(root))
    return os.path.dirname(data.filepath)


class Resolver:
    """Per-scan state: the main file, the project root, the directory cache."""

    def __init__(self, main_file: str, root: str, cache: paths.DirCache | None = None) -> None:
        self.main_file = main_file
        self.root = root
        self.cache = cache or paths.DirCache()
        self.cwd = os.getcwd()

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
            return not missing, {"tiles": list(tiles), "missing_tiles": missing[:_MAX_LISTED],
                                 "missing_tile_count": len(missing), "found_tile_count": found}
        if ref.variant == "sequence":
            if exists(resolved):
                return True, {}
            parts = paths.sequence_parts(resolved)
            if parts is None:
                return False, {}
            directory, head, _digits, tail = parts
            frames = paths.sequence_frames(self.cache.names(directory), head, tail)
            return bool(frames), {"sequence_frames_found": len(frames),
                                  "sequence_first_frame": frames[0] if frames else None}
        if ref.variant == "elements":
            directory = resolved.rstrip("/") or "/"
            missing = [e for e in ref.elements if not exists(f"{directory}/{e}")]
            if not ref.elements:
                return self.cache.listing(directory) is not None, {}
            return not missing, {"elements": len(ref.elements), "missing_elements": missing[:_MAX_LISTED],
                                 "missing_element_count": len(missing)}
        if ref.role == DIR:
            return self.cache.listing(resolved.rstrip("/") or "/") is not None, {}
        return exists(resolved), {}


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    main_file = data.filepath
    resolver = Resolver(main_file, project_root(data, context))
    files, missing_libs = owners.library_files(data, os.path.exists)
    ctx = WalkContext(main_file, files, missing_libs)
    dependents = _library_dependents(data, missing_libs) if missing_libs else {}
    for fraction, refs in owners.walk(data, ctx):
        for ref in refs:
            if ref.role == owners.BLEND or not ref.raw or ref.library_missing:
                continue  # data from a missing library is covered by that library's finding
            yield from evaluate(ref, resolver, dependents)
        yield Progress(fraction)


def _library_dependents(data: Any, missing: set[str]) -> dict[str, list[str]]:
    """"ID_TYPE:name" of every datablock linked from each missing library."""
    found: dict[str, list[str]] = {}
    for name in missing:
        library = data.libraries.get(name)
        if library is not None:
            found[name] = sorted(f"{datablock.id_type}:{datablock.name}" for datablock in library.users_id)
    return found


def evaluate(ref: PathRef, resolver: Resolver, dependents: dict[str, list[str]]) -> Iterator[Finding]:
    """The findings for one stored path."""
    raw = ref.raw
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
            ref, "unsaved_relative", "WARNING",
            f"{_cap(what)} is relative (//) but this file was never saved, so Blender and bpy.path.abspath() resolve it "
            f"against the working directory: {display(cwd_path, 300)}. Save the file first.",
            resolved=cwd_path, exists=exists, extra=extra,
        )
        return

    windows = _POSIX and (paths.has_windows_drive(raw) or paths.is_unc(raw) or "\\" in raw)
    checks_disk = ref.role != OUTPUT and not ref.packed
    exists, extra = resolver.probe(ref, resolved) if checks_disk else (True, {})
    naive = paths.naive_abspath(raw, resolver.main_file) if relative else raw
    if naive != resolved:
        extra["naive_abspath"] = naive
    fixes_for_local: tuple[str, ...] = ()

    if ref.packed:
        on_disk = resolver.cache.exists(resolved)
        yield _finding(
            ref, "packed", "INFO",
            f"{_cap(what)} is packed into the .blend: Blender uses the packed copy"
            + ("" if on_disk else f"; the file on disk ({display(resolved, 300)}) is missing, so scripts that "
               "open the path fail"),
            resolved=resolved, exists=on_disk, extra=extra,
        )
    elif windows:
        problem = "a Windows drive letter" if paths.has_windows_drive(raw) else "backslashes"
        yield _finding(
            ref, "windows_path", "ERROR" if not exists else "WARNING",
            f"{_cap(what)} uses {problem}; on this system Blender reads {display(resolved, 300)}"
            + (" (not found)" if not exists else "") + ", while os/open() given the stored path see another name",
            resolved=resolved, exists=exists, extra=extra,
        )
    elif not exists:
        if ref.role == LIBRARY:
            linked = dependents.get(ref.id_name or "", [])
            extra["linked_count"] = len(linked)
            extra["linked"] = linked[:_MAX_LISTED]
            yield _finding(
                ref, "library_missing", "ERROR",
                f"Library file {display(resolved, 300)} is missing: {len(linked)} linked datablock(s) from it "
                "are empty placeholders",
                resolved=resolved, exists=False, extra=extra,
            )
        else:
            fixes_for_local = (FIX_REPOINT,) if ref.variant in ("", "sequence") and ref.role in (FILE, DIR) else ()
            yield _finding(
                ref, "missing", "ERROR",
                f"{_cap(what)} not found: {_missing_text(ref, resolved, extra)}",
                resolved=resolved, exists=False, extra=extra, fixes=fixes_for_local if fixable else (),
            )
    elif relative and not local and naive != resolved and paths.normalize(naive) != resolved:
        naive_exists = resolver.cache.exists(paths.normalize(naive))
        yield _finding(
            ref, "library_relative", "WARNING",
            f"{_cap(what)} is relative to its library {display(ref.library or '', 200)}: Blender reads "
            f"{display(resolved, 300)}, but bpy.path.abspath(path) without library= gives {display(naive, 300)}"
            + ("" if naive_exists else " (not found)") + "; pass library=id.library or use filepath_from_user()",
            resolved=resolved, exists=True, extra={**extra, "naive_exists": naive_exists},
        )

    root = resolver.root
    if relative and not windows:
        above_base, above_fs_root = paths.climb_info(raw, base)
        if above_fs_root:
            yield _finding(
                ref, "climbs_above_root", "ERROR",
                f"{_cap(what)} climbs (..) above the file-system root; Blender silently clamps it to {display(resolved, 300)}",
                resolved=resolved, exists=exists, extra={**extra, "above": "filesystem"},
                fixes=(FIX_ABSOLUTE,) if fixable else (),
            )
        elif above_base and root and not paths.is_within(resolved, root):
            yield _finding(
                ref, "climbs_above_root", "WARNING",
                f"{_cap(what)} climbs (..) out of the project root {display(root, 200)} to {display(resolved, 300)}: the "
                "project cannot be moved or shared as one folder",
                resolved=resolved, exists=exists, extra={**extra, "above": "project", "project_root": root},
                fixes=(FIX_ABSOLUTE,) if fixable else (),
            )
    elif not relative and not windows and ref.role != OUTPUT and root and resolved.startswith("/"):
        if not paths.is_within(resolved, root):
            yield _finding(
                ref, "outside_project", "WARNING",
                f"{_cap(what)} is absolute and outside the project root {display(root, 200)}: it breaks when the "
                "project moves to another machine",
                resolved=resolved, exists=exists, extra={**extra, "project_root": root},
                fixes=(FIX_RELATIVE,) if fixable and resolver.main_file else (),
            )
        elif ref.role != LIBRARY:
            yield _finding(
                ref, "absolute_in_project", "INFO",
                f"{_cap(what)} is absolute although it is inside the project root {display(root, 200)}; a relative "
                "(//) path keeps working when the project folder moves",
                resolved=resolved, exists=exists, extra={**extra, "project_root": root},
                fixes=(FIX_RELATIVE,) if fixable and resolver.main_file else (),
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
        return (f"{extra.get('missing_element_count')} of {extra.get('elements')} strip images missing in "
                f"{display(resolved, 300)}")
    return display(resolved, 300)


def _finding(ref: PathRef, kind: str, severity: str, message: str, *, resolved: str, exists: bool,
             extra: dict[str, Any], fixes: tuple[str, ...] = ()) -> Finding:
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
    details.update(extra)
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity=severity,
        message=message,
        id_type=ref.id_type,
        id_name=ref.id_name,
        library=ref.library,
        details=details,
        fixes=fixes,
    )
