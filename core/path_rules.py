"""The rules of the ``relative_paths`` check, without Blender: what is wrong with one stored path.

A stored path arrives as a :class:`PathRef` (plain values: its owner by value, the path, what it names, the .blend
its ``//`` is relative to). :class:`Resolver` resolves it the way Blender does and answers "does it exist" from
directory listings (:class:`core.paths.DirCache`); :func:`evaluate` decides which finding, if any, it gets. Each
reason is its own finding kind (``details["kind"]``):

- ``missing``: the file is not on disk (packed data is reported as ``packed`` instead);
- ``library_missing``: a linked .blend is not on disk, and with it everything linked from it;
- ``unsaved_relative``: a ``//`` path in a file never saved, so it resolves against the working directory;
- ``library_relative``: linked data whose ``//`` path is right only relative to its library file, where
  ``bpy.path.abspath(path)`` without ``library=`` gives another (wrong) path;
- ``outside_project``: an absolute path outside the project root (breaks when the project moves machines);
- ``climbs_above_root``: a ``//`` path whose ``..`` climb above the project root or the file-system root;
- ``windows_path``: drive letters or backslashes, read on a POSIX system;
- ``packed``: packed into the .blend while the file on disk is gone (Blender uses the packed copy).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, NamedTuple

from . import paths
from .blend_open import header_version
from .findings import Finding
from .text import display

CHECK = "relative_paths"
TOPIC = "relative-path"

# Fixes are named by stable keys; the UI maps them to its operators.
FIX_ABSOLUTE = "path_make_absolute"
FIX_RELATIVE = "path_make_relative"
FIX_REPOINT = "path_repoint"
_REPOINT = (FIX_REPOINT,)

# Roles: what kind of thing the path names, which decides what can be wrong with it.
FILE = "FILE"  # a file Blender reads (existence matters)
DIR = "DIR"  # a directory Blender reads (existence matters)
OUTPUT = "OUTPUT"  # where Blender writes (render output, caches, bakes): existence does not matter
LIBRARY = "LIBRARY"  # a linked .blend
BLEND = "BLEND"  # the open .blend itself

_POSIX = os.sep == "/"
_MAX_LISTED = 50  # names listed in details (missing tiles, frames, dependents); counts are always complete


class PathRef(NamedTuple):
    """One stored path and its owner, by value (a tuple: cheap to make for every path of a large file)."""

    id_type: str | None
    id_name: str | None
    library: str | None  # the owner's Library.filepath as stored; None for local data
    base_file: str  # absolute .blend that "//" is relative to ("" when the main file was never saved)
    data_path: str  # RNA path of the string property, from the owner ID
    label: str  # what the path is, for people
    raw: str
    role: str
    packed: bool = False
    variant: str = ""  # "", "udim", "sequence", "elements" or "point_cache" (a disk cache: elements = its prefix)
    tiles: tuple[int, ...] = ()
    elements: tuple[str, ...] = ()
    library_missing: bool = False  # the owner comes from a library file that is missing
    consequence: str = ""  # what Blender does without it, said after "not found" (caches, bakes, external data)
    # A library that Blender's asset system links anew at every load (brush assets since 4.3, from its Essentials or
    # a user's asset library): the .blend stores an asset reference, not this path, so where it points is not the
    # file's to fix.
    asset_link: bool = False
    unreadable: bool = False  # a library whose file Blender could not read when it opened this one (is_missing)
    # Of a readable library: "ID_TYPE:name" of what this file links from it that is no longer there (placeholders).
    placeholders: tuple[str, ...] = ()


class Resolver:
    """Per-scan state: the main file, the project root, the directory cache, and which paths are plain."""

    def __init__(
        self,
        main_file: str,
        root: str,
        cache: paths.DirCache | None = None,
        root_marker: str = "",
        blender_version: tuple[int, int] | None = None,
    ) -> None:
        self.main_file = main_file
        self.main_dir = os.path.dirname(main_file)
        self.root = root
        self.root_marker = root_marker  # what made ``root`` the project's top folder (".git"...), if anything
        self.cache = cache or paths.DirCache()
        self.cwd = os.getcwd()
        self.blender_version = blender_version  # (major, minor) of the running Blender, to say a file is newer
        # Prefixes of plain paths; empty when none can be plain (unsaved file, not POSIX).
        self._main_prefix = self.main_dir.rstrip("/") + "/" if main_file and _POSIX else ""
        self._root_prefix = (root.rstrip("/") + "/") if root else "/"

    def plain(self, raw: str) -> str | None:
        """The resolved path of a plain local path: one that only "missing" can apply to (no ``..``, backslash,
        drive, doubled slash, and inside the project when absolute); None when the full rules must run."""
        if "\\" in raw or "/." in raw:
            return None
        if raw[:2] == "//":
            if self._main_prefix and "//" not in raw[1:]:  # raw[1:]: "///x" is not plain either
                return self._main_prefix + raw[2:]
        elif raw[:1] == "/" and _POSIX and "//" not in raw and raw.startswith(self._root_prefix):
            return raw
        return None

    def plain_all(self, raws: list[str]) -> list[str] | None:
        """``[plain(raw) for raw in raws]`` when every one is plain, else None: each ``//`` path joined to the main
        file's folder first, then a few searches over all of them at once (the common batch: every path ``//`` or
        absolute inside the project, no ``..``). A plain path resolves to one with no backslash, ``//`` or ``/.``
        of its own, under the project root: four searches over the resolved paths, where the raw ones took seven.
        An unsaved file, or a main file outside the project root (never so when the scan finds the root), sends
        every batch to :meth:`plain`."""
        main = self._main_prefix
        if not main or not raws:
            return None  # no "//" can be plain (unsaved file, not POSIX): each path goes to plain()
        resolved = [main + raw[2:] if raw[:2] == "//" else raw for raw in raws]
        blob = "\x00" + "\x00".join(resolved)
        if "\\" in blob or "//" in blob or "/." in blob:
            # A path that is not plain, or only the main file's folder (a folder named ".name") carried by each
            # "//" path joined to it: then the counts are the folder's, once per "//" path.
            relative = sum(raw[:2] == "//" for raw in raws)
            for needle in ("\\", "//", "/."):
                if blob.count(needle) != relative * main.count(needle):
                    return None
        if blob.count("\x00" + self._root_prefix) != len(raws):
            return None  # a path not absolute, or outside the project
        return resolved

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
            if ref.id_type == "CACHEFILE":
                return self._cache_file_frames(resolved)
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
            if not ref.elements:
                return self.cache.is_directory(directory), {}
            absent = [e for e in ref.elements if not exists(f"{directory}/{e}")]
            return not absent, {
                "elements": len(ref.elements),
                "missing_elements": absent[:_MAX_LISTED],
                "missing_element_count": len(absent),
            }
        if ref.variant == "point_cache":
            # A baked disk cache: its folder and at least one of its frame files (<prefix>_<frame>_<index>.bphys).
            directory = resolved.rstrip("/") or "/"
            head = ref.elements[0] + "_" if ref.elements else ""
            files = [n for n in self.cache.names(directory) if n.startswith(head) and n.endswith(".bphys")]
            return bool(files), {"cache_files_found": len(files), "cache_file_prefix": head}
        if ref.role == DIR:
            return self.cache.is_directory(resolved.rstrip("/") or "/"), {}
        return exists(resolved), {}

    def _cache_file_frames(self, resolved: str) -> tuple[bool, dict[str, Any]]:
        """A cache file (Alembic, USD) sequence: Blender opens the file of each frame by the number in the name,
        so the stored frame and every frame between the first and the last on disk must be there."""
        parts = paths.sequence_parts(resolved)
        if parts is None:
            return self.cache.exists(resolved), {}
        directory, head, digits, tail = parts
        frames = paths.sequence_frames(self.cache.names(directory), head, tail)
        name = resolved.rpartition("/")[2]
        stored = int(name[len(head) : len(head) + digits])
        have = set(frames)
        wanted = range(min([stored, *frames]), max([stored, *frames]) + 1)
        gaps = [frame for frame in wanted if frame not in have]
        return not gaps, {
            "sequence_frames_found": len(frames),
            "sequence_first_frame": frames[0] if frames else None,
            "sequence_last_frame": frames[-1] if frames else None,
            "missing_frames": gaps[:_MAX_LISTED],
            "missing_frame_count": len(gaps),
        }


def evaluate(ref: PathRef, resolver: Resolver, dependents: dict[str, list[str]]) -> Iterator[Finding]:
    """The findings for one stored path. ``dependents``: "ID_TYPE:name" of what each missing library held."""
    raw = ref.raw
    relative = raw.startswith("//")
    local = ref.library is None
    # A plain local file path: only "missing" can apply, so the rest of the rules is skipped (the common case).
    if ref.role == FILE and not ref.variant and not ref.packed and local:
        plain = resolver.plain(raw)
        if plain is not None:
            if not resolver.cache.exists(plain):
                yield missing_plain(ref, plain)
            return
    if relative and not ref.base_file:
        yield _unsaved_relative(ref, resolver)
        return
    resolved = resolver.resolve(ref)
    windows = _POSIX and (paths.has_windows_drive(raw) or paths.is_unc(raw) or "\\" in raw)
    extra: dict[str, Any]
    exists, extra = resolver.probe(ref, resolved) if ref.role != OUTPUT and not ref.packed else (True, {})
    naive = paths.naive_abspath(raw, resolver.main_file) if relative else raw
    if naive != resolved:
        extra["naive_abspath"] = naive
    fixable = local and ref.role != LIBRARY  # fixes never touch linked data or library links

    if ref.packed:
        # Reported only when the file on disk is gone: then a script opening the stored path fails, while
        # Blender keeps working from the packed copy.
        on_disk, disk_extra = resolver.probe(ref, resolved)
        if not on_disk:
            yield _finding(
                ref,
                "packed",
                "INFO",
                f"{_what(ref)} is packed into the .blend: Blender uses the packed copy; the file on disk "
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
            f"{_what(ref)} uses {problem}: Blender here reads {display(resolved, 300)}"
            + (" (not found)" if not exists else "")
            + ", but open() and os.path given the stored text look for another file",
            resolved=resolved,
            exists=exists,
            extra=extra,
        )
    elif not exists and ref.role == LIBRARY:
        linked = dependents.get(ref.id_name or "", [])
        yield _finding(
            ref,
            "library_missing",
            "ERROR",
            f"Library file {display(resolved, 300)} is missing: " + _what_came_from_it(linked),
            resolved=resolved,
            exists=False,
            extra={**extra, "linked_count": len(linked), "linked": linked[:_MAX_LISTED]},
        )
    elif ref.unreadable and ref.role == LIBRARY:
        yield _unreadable_library(ref, resolver, resolved, dependents.get(ref.id_name or "", []), extra)
    elif ref.placeholders and ref.role == LIBRARY:
        gone = list(ref.placeholders)
        yield _finding(
            ref,
            "linked_missing",
            "ERROR",
            f"Library file {display(resolved, 300)} no longer has "
            + (
                f"{_placeholders(gone)}, which this file links: Blender shows an empty placeholder"
                if len(gone) == 1
                else f"{len(gone)} datablocks this file links ({_placeholders(gone)}): Blender shows empty placeholders"
            )
            + " (renamed or deleted in the library since it was linked; relink it or restore the name)",
            resolved=resolved,
            exists=True,
            extra={**extra, "linked_count": len(gone), "linked": gone[:_MAX_LISTED]},
        )
    elif not exists:
        repoint = fixable and ref.variant in ("", "sequence") and ref.role in (FILE, DIR)
        text = resolved if not ref.variant else _missing_text(ref, resolved, extra)
        if ref.consequence:
            text += f"; {ref.consequence}"
        # Tiles, frames and strip images are counted ("1 of 3 missing"): "not found" would deny the ones that exist.
        counted = ref.variant in ("udim", "elements") or bool(
            ref.variant == "sequence" and extra.get("missing_frame_count") and extra.get("sequence_frames_found")
        )
        yield _finding(
            ref,
            "missing",
            "ERROR",
            f'{_cap(ref.label)} "{ref.raw}"{": " if counted else " not found: "}{text}',
            resolved=resolved,
            exists=False,
            extra=extra,
            fixes=(FIX_REPOINT,) if repoint else (),
        )
    elif (
        relative
        and not local
        and ref.variant != "point_cache"  # an implicit folder: no stored path for a script to resolve
        and naive != resolved
        and paths.normalize(naive) != resolved
    ):
        naive_exists = resolver.cache.exists(paths.normalize(naive))
        yield _finding(
            ref,
            "library_relative",
            "WARNING",
            f"{_what(ref)} is relative to its library {display(ref.library or '', 200)}: Blender reads "
            f"{display(resolved, 300)}, but bpy.path.abspath(path) without library= gives {display(naive, 300)}"
            + ("" if naive_exists else " (not found)")
            + "; pass library=id.library or use filepath_from_user()",
            resolved=resolved,
            exists=True,
            extra={**extra, "naive_exists": naive_exists},
        )
    if not windows and not ref.packed:  # packed data travels inside the .blend, wherever its path points
        yield from _location(ref, resolver, resolved, exists, extra, fixable)


def missing_plain(ref: PathRef, resolved: str) -> Finding:
    """The finding of a plain path (see :meth:`Resolver.plain`; a local file, not packed, no tiles or frames) with
    nothing at ``resolved``: "missing", the one rule that applies to it."""
    # The same finding as missing_files() gives (a test holds them equal), built without its lists: thousands of
    # single-path datablocks (texts, volumes, caches) go this way on a file whose folder moved.
    label, raw, id_type, name = ref.label, ref.raw, ref.id_type, ref.id_name
    after = f"; {ref.consequence}" if ref.consequence else ""
    return Finding(
        CHECK,
        TOPIC,
        "ERROR",
        f'{label[:1].upper()}{label[1:]} "{raw}" not found: {resolved}{after}',
        id_type,
        name,
        None,
        {
            "kind": "missing",
            "raw_path": raw,
            "owner": {"id_type": id_type, "name": name, "library": None},
            "property": label,
            "data_path": ref.data_path,
            "resolved_path": resolved,
            "exists": False,
            "relative_to": ref.base_file,
        },
        _REPOINT,
    )


def missing_files(
    base_file: str,
    id_type: str | None,
    label: str,
    data_path: str,
    consequence: str,
    names: list[str | None],
    raws: list[str],
    resolved: list[str],
) -> list[Finding]:
    """:func:`missing_plain` of many local datablocks of one kind at once (the same owner type, label, property and
    consequence; a name, stored path and resolved path each): built in one loop without a :class:`PathRef` each. A
    big file with a moved texture folder has tens of thousands of them, and this is most of what the check spends
    on such a file."""
    heading = f"{label[:1].upper()}{label[1:]}"
    after = f"; {consequence}" if consequence else ""
    return [
        Finding(
            CHECK,
            TOPIC,
            "ERROR",
            f'{heading} "{raw}" not found: {path}{after}',
            id_type,
            name,
            None,
            {
                "kind": "missing",
                "raw_path": raw,
                "owner": {"id_type": id_type, "name": name, "library": None},
                "property": label,
                "data_path": data_path,
                "resolved_path": path,
                "exists": False,
                "relative_to": base_file,
            },
            _REPOINT,
        )
        for name, raw, path in zip(names, raws, resolved, strict=True)
    ]


def _location(
    ref: PathRef, resolver: Resolver, resolved: str, exists: bool, extra: dict[str, Any], fixable: bool
) -> Iterator[Finding]:
    """Where the path points: ``..`` climbing out of the project or the file system, absolute paths outside it."""
    if ref.asset_link:
        return
    root = resolver.root
    if ref.raw.startswith("//"):
        above_base, above_fs_root = paths.climb_info(ref.raw, ref.base_file)
        if above_fs_root:
            yield _finding(
                ref,
                "climbs_above_root",
                "ERROR",
                f"{_what(ref)} climbs (..) above the file-system root; Blender silently clamps it to {display(resolved, 300)}",
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
                f"{_what(ref)} climbs (..) out of the project root {_root(resolver)} to {display(resolved, 300)}: the "
                "project cannot be moved or shared as one folder",
                resolved=resolved,
                exists=exists,
                extra={**extra, "above": "project", **_root_details(resolver)},
                fixes=(FIX_ABSOLUTE,) if fixable else (),
            )
    elif ref.role != OUTPUT and root and resolved.startswith("/") and not paths.is_within(resolved, root):
        yield _finding(
            ref,
            "outside_project",
            "WARNING",
            f"{_what(ref)} is absolute and outside the project root {_root(resolver)}: it breaks when the "
            "project moves to another machine",
            resolved=resolved,
            exists=exists,
            extra={**extra, **_root_details(resolver)},
            fixes=(FIX_RELATIVE,) if fixable and resolver.main_file else (),
        )


def _unreadable_library(
    ref: PathRef, resolver: Resolver, resolved: str, linked: list[str], extra: dict[str, Any]
) -> Finding:
    """A library file that is there but that Blender could not read: damaged, not a .blend, or in a file format of
    a newer Blender. Blender opens the main file anyway, with placeholders for what came from it."""
    written = header_version(resolved)
    running = resolver.blender_version
    if written is not None and running is not None and written > running:
        why = f"it was saved by Blender {written[0]}.{written[1]}, newer than this Blender {running[0]}.{running[1]}"
        extra = {**extra, "saved_by": f"{written[0]}.{written[1]}"}
    else:
        why = "it is damaged or not a .blend file"
    return _finding(
        ref,
        "library_unreadable",
        "ERROR",
        f"Library file {display(resolved, 300)} is there but Blender could not read it ({why}): "
        + _what_came_from_it(linked),
        resolved=resolved,
        exists=True,
        extra={**extra, "linked_count": len(linked), "linked": linked[:_MAX_LISTED]},
    )


def _root(resolver: Resolver) -> str:
    """The project root for a message, with what made it the root when it was found rather than set."""
    marker = resolver.root_marker
    return display(resolver.root, 200) + (f" (the folder with {display(marker, 60)})" if marker else "")


def _root_details(resolver: Resolver) -> dict[str, str]:
    if resolver.root_marker:
        return {"project_root": resolver.root, "project_root_marker": resolver.root_marker}
    return {"project_root": resolver.root}


def _unsaved_relative(ref: PathRef, resolver: Resolver) -> Finding:
    cwd_path = os.path.normpath(os.path.join(resolver.cwd, resolver.resolve(ref)))
    exists, extra = (False, {}) if ref.role == OUTPUT else resolver.probe(ref, cwd_path)
    return _finding(
        ref,
        "unsaved_relative",
        "WARNING",
        f'{_cap(ref.label)} "{display(ref.raw, 300)}" is relative (//) but this file was never saved, so Blender and '
        f"bpy.path.abspath() resolve it against the working directory: {display(cwd_path, 300)}. Save the file first.",
        resolved=cwd_path,
        exists=exists,
        extra=extra,
    )


def _what_came_from_it(linked: list[str]) -> str:
    if len(linked) == 1:
        return f"its linked datablock is an empty placeholder ({_placeholders(linked)})"
    return f"its {len(linked)} linked datablocks are empty placeholders" + (
        f" ({_placeholders(linked)})" if linked else ""
    )


def _placeholders(linked: list[str]) -> str:
    """``["OBJECT:Ghost", "MESH:GhostMesh", ...]`` -> ``Object "Ghost", Mesh "GhostMesh" and 3 more``."""
    shown = []
    for key in linked[:3]:
        id_type, _, name = key.partition(":")
        shown.append(f'{id_type.title()} "{display(name, 100)}"')
    return ", ".join(shown) + (f" and {len(linked) - 3} more" if len(linked) > 3 else "")


def _what(ref: PathRef) -> str:
    """``File "//x.png"``: what the path is and its text, for messages (made only when a message needs it)."""
    return _cap(f'{ref.label} "{display(ref.raw, 300)}"')


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _missing_text(ref: PathRef, resolved: str, extra: dict[str, Any]) -> str:
    if ref.variant == "udim":
        tiles = ", ".join(str(n) for n in extra.get("missing_tiles", []))
        return f"{extra.get('missing_tile_count')} of {len(ref.tiles)} missing ({tiles}) in {display(resolved, 300)}"
    if ref.variant == "sequence" and extra.get("missing_frame_count") and extra.get("sequence_frames_found"):
        shown = ", ".join(str(frame) for frame in extra["missing_frames"])
        more = extra["missing_frame_count"] - len(extra["missing_frames"])
        return (
            f"{extra['missing_frame_count']} frame(s) of the sequence {display(resolved, 300)} are missing "
            f"({shown}{f' and {more} more' if more else ''}; {extra['sequence_frames_found']} on disk)"
        )
    if ref.variant == "sequence":
        return f"no frame of the sequence {display(resolved, 300)} exists"
    if ref.variant == "point_cache":
        return f"no baked frame ({extra.get('cache_file_prefix', '')}*.bphys) in {display(resolved, 300)}"
    return f"{extra.get('missing_element_count')} of {extra.get('elements')} strip images missing in {display(resolved, 300)}"


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
    """Every finding of this check is built here but the plain "missing" one (:func:`missing_files`, made by the
    thousand, builds its own)."""
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
    return Finding(CHECK, TOPIC, severity, message, ref.id_type, ref.id_name, ref.library, details, fixes)
