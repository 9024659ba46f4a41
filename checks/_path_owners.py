"""Every file path the open file stores, with its owner: the shared walker of the path checks (not a check itself).

``walk(data)`` yields batches ``(fraction, [PathRef, ...])``, each from at most :data:`SLICE` datablocks, so a check
can yield ``Progress`` between batches and never hold the scan for long. A ``PathRef`` is plain values (strings,
tuples): the owner by value (id_type, name, library filepath), the RNA data path of the string property from the
owner ID (what the fix operators set), the stored path and the .blend file that ``//`` is relative to.

Also here, for both path checks: the hand-over of what one walk gathered to a later check of the same scan
(:func:`publish_looks`, :func:`take_looks`).

Owners: the .blend itself, libraries, images (UDIM tiles, sequences, movies), movie clips, sounds, fonts,
volumes, cache files, texts with a file, object modifiers (point caches on disk, fluid/ocean caches, mesh caches,
geometry-node bakes, dynamic paint output), particle point caches, scene render output, sequencer strips (image
strips are a directory plus element names, movie strips, proxies), and nodes holding paths (compositor File
Output, OSL Script, IES texture) in node groups and in materials', worlds', lights' and scenes' node trees.
"""

from __future__ import annotations

import array
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..core.engine import ScanState
from ..core.path_rules import BLEND, DIR, FILE, LIBRARY, OUTPUT, PathRef
from ..core.paths import blender_abspath, maybe_windows_problem

__all__ = ["BLEND", "DIR", "FILE", "LIBRARY", "OUTPUT", "PathRef"]  # re-exported: the readers' vocabulary

# Datablocks read per batch: a few hundred keeps each step around a millisecond.
SLICE = 400
# Datablocks copied into a list of wrappers per step (a part; 2-4 ms for 50,000, see walk()).
SNAPSHOT = 50_000


@dataclass
class WalkContext:
    main_file: str
    library_files: dict[str, str]  # Library name -> absolute file
    missing_libraries: set[str]  # Library names whose file is missing
    has_libraries: bool = True  # False: the file has no Library at all, so no datablock is linked
    # Library name -> "ID_TYPE:name" of the datablocks it should hold but does not (renamed or deleted there since
    # this file linked them): Blender shows empty placeholders for them.
    placeholders: dict[str, list[str]] = field(default_factory=dict)

    def base_for(self, datablock: Any) -> tuple[str | None, str, bool]:
        """(library filepath as stored or None, base .blend for "//", library missing) of a datablock."""
        library = datablock.library
        if library is None:
            return None, self.main_file, False
        name = library.name
        return library.filepath, self.library_files.get(name, self.main_file), name in self.missing_libraries


def _q(name: str) -> str:
    """A name quoted for an RNA path (``nodes["a \\"b\\""]``)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def library_files(data: Any, exists: Any) -> tuple[dict[str, str], set[str]]:
    """Absolute file of each library and the set of missing ones.

    Every library path, indirect ones included, is relative to the main file: Blender rewrites an indirect
    library's path (one linked by another library) relative to the file that was opened (measured: a library
    two levels deep reads ``//../../a/lib2.blend`` with ``parent`` set; resolving it against the parent's file
    would be wrong).
    """
    main_file = data.filepath
    files: dict[str, str] = {}
    missing: set[str] = set()
    for library in data.libraries:
        if getattr(library, "is_archive", False):
            continue  # 5.0 packed-linked data: stored inside the main file
        path = files[library.name] = blender_abspath(library.filepath, main_file)
        if library.packed_file is None and not exists(path):
            missing.add(library.name)
    return files, missing


Reader = Callable[[Any, "WalkContext", list[Any]], None]


class ImageBatch(NamedTuple):
    """Up to SLICE images with their ``filepath`` and ``source`` read in bulk, not yet read into references: the
    consumer settles the common cases from the strings and reads the rest with :func:`read_image`. Used within the
    step that yields it (the wrappers may not outlive an edit)."""

    images: list[Any]
    raws: list[str]
    sources: list[str]


class SingleBatch(NamedTuple):
    """Up to SLICE datablocks holding one path each (sounds, fonts, volumes, texts...), their ``filepath`` read in
    bulk, and the reader that makes their references."""

    datablocks: list[Any]
    raws: list[str]
    reader: Reader


def walk(
    data: Any,
    ctx: WalkContext,
    *,
    batches: bool = False,
    only_looks: bool = False,
    look: list[PathRef] | None = None,
) -> Iterator[tuple[float, list[Any]]]:
    """Batches of path references, each batch from at most SLICE datablocks; fraction is 0..1 of the walk.

    ``batches``: images (usually most of a file's paths) and the other single-path datablocks come as one
    :class:`ImageBatch` / :class:`SingleBatch` per SLICE instead of references, so a check can settle the common
    cases from the strings without building references.

    Each collection is read in parts of SNAPSHOT datablocks: a part is copied into a list of ID wrappers in one
    step, then read SLICE datablocks per step, then dropped. Slicing a collection walks it from its head (about
    22 ns a datablock), so slicing it per batch of SLICE is quadratic (0.7 s for 100k images), while parts of
    SNAPSHOT cost little (100k images: 9 ms in parts of 50,000, 25 ms in parts of 10,000); an RNA iterator held
    across yields would point into freed memory if data were deleted between two steps. A removed ID's wrapper
    raises ReferenceError instead, and that datablock is skipped (the engine restarts the check after edits
    anyway). Image sources are read for the whole collection with one ``foreach_get`` in a step of its own
    (100,000 images: 16 ms against 23 ms read one by one on 4.5, 6 against 20 ms on 5.3).

    ``only_looks``: only references whose strings may hold non-UTF-8 bytes or a name Windows rejects (see
    :func:`may_need_look`) are built; batches of images and single-path datablocks whose strings cannot are
    skipped whole (for a check that judges the path string alone).

    ``look``: when given, every reference whose strings may hold non-UTF-8 bytes or a name Windows rejects is
    appended to it, in walk order, including those of batches: what the non-UTF-8 check needs, gathered by the same
    walk (see :func:`publish_looks`).
    """
    kinds: list[tuple[str, Reader | None]] = [
        ("libraries", _libraries),
        ("images", None),
        ("movieclips", _movieclip),
        ("sounds", _packable("SOUND")),
        ("fonts", _font),
        ("volumes", _volume),
        ("cache_files", read_cache_file),
        ("texts", _text),
        ("objects", _object),
        ("scenes", _scene),
        ("node_groups", _node_group),
        ("materials", _embedded_tree("MATERIAL")),
        ("worlds", _embedded_tree("WORLD")),
        ("lights", _embedded_tree("LIGHT")),
    ]
    collections: list[tuple[str, Reader | None, Any, int]] = []
    for attr, reader in kinds:
        collection = getattr(data, attr, None)
        if collection is not None:
            size = len(collection)  # a count in C (2 ms for 100k images): only for the progress fraction
            if size:
                collections.append((attr, reader, collection, size))
            yield 0.0, []
    total = sum(size for _attr, _reader, _collection, size in collections) or 1
    done = 0
    refs: list[Any] = []
    if data.filepath:
        refs.append(PathRef(None, None, None, data.filepath, "filepath", "this .blend file", data.filepath, BLEND))
        if look is not None:
            _add_looks(refs, look)
    for attr, reader, collection, size in collections:
        image_sources: tuple[array.array[int], list[str]] | None = None
        if reader is None:
            image_sources = _image_sources(collection, size)
            yield min(done / total, 1.0), refs
            refs = []
        taken = 0
        while True:
            part = collection[taken : taken + SNAPSHOT]
            if not part:
                break
            yield min(done / total, 1.0), refs  # the part was copied in a step of its own
            refs = []
            for start in range(0, len(part), SLICE):
                chunk = part[start : start + SLICE]
                if reader is None:
                    at = taken + start
                    sources = None
                    if image_sources is not None:
                        numbers, identifiers = image_sources
                        some = numbers[at : at + SLICE]
                        if some and min(some) >= 0 and max(some) < len(identifiers):  # else read one by one
                            sources = list(map(identifiers.__getitem__, some))
                    _read_images(chunk, sources, ctx, refs, batches, only_looks, look)
                elif only_looks and attr in _SINGLE_PATH and not _needs_look(chunk):
                    pass
                elif batches and attr in _SINGLE_PATH:
                    _read_singles(chunk, reader, ctx, refs, look)
                else:
                    mark = len(refs)
                    _read_each(chunk, reader, ctx, refs)
                    if look is not None:
                        _add_looks(refs[mark:], look)
                done += len(chunk)
                yield min(done / total, 1.0), refs
                refs = []
            taken += len(part)
            if len(part) < SNAPSHOT or taken >= size:
                break  # not one more slice to learn it is empty: it would walk the whole collection
            del part, chunk  # drop this part's wrappers before the next is copied
    yield 1.0, refs


# Collections whose datablocks hold exactly one path, in ``filepath``.
_SINGLE_PATH = frozenset({"images", "movieclips", "sounds", "fonts", "volumes", "cache_files", "texts"})


def _image_sources(collection: Any, size: int) -> tuple[array.array[int], list[str]] | None:
    """Every image's ``source`` as its enum number, in collection order, from one ``foreach_get``, and the
    identifiers of the numbers; None when that is not possible (each image's source is then read on its own: the
    same result, 1.5-3 times slower)."""
    try:
        items = collection[0].bl_rna.properties["source"].enum_items
        identifiers = [""] * (max(item.value for item in items) + 1)  # enum number -> identifier, by index
        for item in items:
            identifiers[item.value] = item.identifier
        numbers = array.array("i", bytes(4 * size))
        collection.foreach_get("source", numbers)
    except (AttributeError, KeyError, TypeError, RuntimeError):
        # Not expected: the collection changed size since it was counted (the engine restarts the check after
        # edits), or a Blender whose foreach_get cannot read this enum.
        return None
    return numbers, identifiers


def may_need_look(texts: list[str]) -> bool:
    """False when none of these path strings can hold bytes that are not UTF-8 or a name Windows rejects (one
    search over them all: most paths of a file are plain ASCII)."""
    blob = "\x00".join(texts)
    return not blob.isascii() or maybe_windows_problem(blob)


def _add_looks(items: list[Any], look: list[PathRef]) -> None:
    refs = [item for item in items if type(item) is PathRef]
    if not refs:
        return
    texts = [ref.raw for ref in refs]
    for ref in refs:
        if ref.elements:
            texts.extend(ref.elements)
    if may_need_look(texts):
        look.extend(ref for ref in refs if may_need_look([ref.raw, *ref.elements]))


def _needs_look(chunk: list[Any]) -> bool:
    try:
        return may_need_look([datablock.filepath for datablock in chunk])
    except ReferenceError:
        return True  # one was removed: let the per-datablock readers skip it


def _read_images(
    chunk: list[Any],
    sources: list[str] | None,
    ctx: WalkContext,
    out: list[Any],
    batches: bool,
    only_looks: bool,
    look: list[PathRef] | None,
) -> None:
    try:
        raws = [image.filepath for image in chunk]
        if sources is None:
            sources = [image.source for image in chunk]
    except ReferenceError:
        # One was removed since the snapshot: one by one, skipping it (the engine restarts the check anyway).
        mark = len(out)
        for image in chunk:
            try:
                read_image(image, ctx, out)
            except ReferenceError:
                continue
        if look is not None:
            _add_looks(out[mark:], look)
        return
    if only_looks and not may_need_look(raws):
        return
    if look is not None and may_need_look(raws):
        for image, raw in zip(chunk, raws, strict=True):
            if may_need_look([raw]):
                read_image(image, ctx, look)
    if batches:
        out.append(ImageBatch(chunk, raws, sources))
    else:
        for image in chunk:
            read_image(image, ctx, out)


def _read_singles(
    chunk: list[Any],
    reader: Reader,
    ctx: WalkContext,
    out: list[Any],
    look: list[PathRef] | None,
) -> None:
    try:
        raws = [datablock.filepath for datablock in chunk]
    except ReferenceError:
        mark = len(out)
        _read_each(chunk, reader, ctx, out)  # one was removed since the snapshot: one by one, skipping it
        if look is not None:
            _add_looks(out[mark:], look)
        return
    if look is not None and may_need_look(raws):
        for datablock, raw in zip(chunk, raws, strict=True):
            if may_need_look([raw]):
                reader(datablock, ctx, look)
    out.append(SingleBatch(chunk, raws, reader))


def _read_each(chunk: list[Any], reader: Reader, ctx: WalkContext, out: list[Any]) -> None:
    for datablock in chunk:
        try:
            reader(datablock, ctx, out)
        except ReferenceError:
            continue  # removed since the snapshot; the engine restarts the check after such edits


# --- The non-UTF-8 check's references, handed over within one scan ---------------------------------------------

# The hand-over key: references whose strings may need a look (see walk(look=...)); a check that takes them lists
# it in its CheckInfo.takes.
LOOKS = "path_owners.looks"


def wants_looks(scan: ScanState | None, check_id: str) -> bool:
    """True when a check planned after ``check_id`` in this scan takes :data:`LOOKS`, so ``check_id``'s walk should
    gather them. ``scan`` is None when a check's generator is driven directly (tests, scripts): nothing is shared."""
    return scan is not None and scan.taken_after(check_id, LOOKS)


def _file_state(scan: ScanState, data: Any) -> tuple[Any, ...]:
    return (data.filepath, scan.change_count())


def publish_looks(scan: ScanState, data: Any, refs: list[PathRef]) -> None:
    """Hand the references a complete walk gathered (``walk(look=...)``) to a later check of the same scan.
    Plain values only, kept in the scan's own state: they die with the scan."""
    scan.handover[LOOKS] = (_file_state(scan, data), refs)


def take_looks(scan: ScanState | None, data: Any) -> list[PathRef] | None:
    """What :func:`publish_looks` handed over in this scan, if the file has not changed since (no load, no edit,
    undo or redo counted in ``scan.changes``: the same signals that make the runner restart a check); None
    otherwise, and then the caller walks the file itself. Taken once."""
    if scan is None:
        return None
    entry = scan.handover.pop(LOOKS, None)
    if entry is None or entry[0] != _file_state(scan, data):
        return None
    return entry[1]


# --- Readers: each appends the PathRefs of one datablock --------------------------------------------------


def _libraries(library: Any, ctx: WalkContext, out: list[PathRef]) -> None:
    if getattr(library, "is_archive", False):
        return
    out.append(
        PathRef(
            "LIBRARY",
            library.name,
            None,
            ctx.main_file,  # indirect libraries too (see library_files)
            "filepath",
            "library file",
            library.filepath,
            LIBRARY,
            packed=library.packed_file is not None,
            # Library.is_editable (4.3+): "used by brush assets and their dependencies", linked at load
            asset_link=bool(getattr(library, "is_editable", False)),
            unreadable=bool(library.is_missing),  # the file gone, or there and unreadable: Blender read nothing
            placeholders=tuple(ctx.placeholders.get(library.name, ())),
        )
    )


def read_image(image: Any, ctx: WalkContext, out: list[Any], source: str = "", path: str = "") -> None:
    """The image's reference; ``source`` and ``path`` when already read (in bulk, by the walk)."""
    source = source or image.source
    if source == "GENERATED" or source == "VIEWER":
        return
    path = path or image.filepath
    if not path:
        return
    library = image.library
    if library is None:
        lib_path, base, lib_missing = None, ctx.main_file, False
    else:
        lib_path, base, lib_missing = ctx.base_for(image)
    if source == "TILED":
        packed = len(image.packed_files) > 0
        tiles = tuple(tile.number for tile in image.tiles)
        out.append(
            PathRef(
                "IMAGE",
                image.name,
                lib_path,
                base,
                "filepath",
                "UDIM tiles",
                path,
                FILE,
                packed,
                "udim",
                tiles,
                (),
                lib_missing,
            )
        )
        return
    packed = image.packed_file is not None
    variant = "sequence" if source == "SEQUENCE" else ""
    out.append(
        PathRef(
            "IMAGE", image.name, lib_path, base, "filepath", "file", path, FILE, packed, variant, (), (), lib_missing
        )
    )


def _movieclip(clip: Any, ctx: WalkContext, out: list[PathRef]) -> None:
    lib_path, base, lib_missing = ctx.base_for(clip)
    variant = "sequence" if clip.source == "SEQUENCE" else ""
    out.append(
        PathRef(
            "MOVIECLIP",
            clip.name,
            lib_path,
            base,
            "filepath",
            "file",
            clip.filepath,
            FILE,
            variant=variant,
            library_missing=lib_missing,
        )
    )


def _packable(id_type: str) -> Any:
    def read(datablock: Any, ctx: WalkContext, out: list[PathRef]) -> None:
        lib_path, base, lib_missing = ctx.base_for(datablock)
        out.append(
            PathRef(
                id_type,
                datablock.name,
                lib_path,
                base,
                "filepath",
                "file",
                datablock.filepath,
                FILE,
                packed=datablock.packed_file is not None,
                library_missing=lib_missing,
            )
        )

    return read


def _font(font: Any, ctx: WalkContext, out: list[PathRef]) -> None:
    if font.filepath == "<builtin>":
        return
    _packable("FONT")(font, ctx, out)


def _volume(volume: Any, ctx: WalkContext, out: list[PathRef]) -> None:
    lib_path, base, lib_missing = ctx.base_for(volume)
    out.append(
        PathRef(
            "VOLUME",
            volume.name,
            lib_path,
            base,
            "filepath",
            "file",
            volume.filepath,
            FILE,
            packed=volume.packed_file is not None,
            variant="sequence" if volume.is_sequence else "",
            library_missing=lib_missing,
        )
    )


def read_cache_file(cache: Any, ctx: WalkContext, out: list[PathRef]) -> None:
    lib_path, base, lib_missing = ctx.base_for(cache)
    out.append(
        PathRef(
            "CACHEFILE",
            cache.name,
            lib_path,
            base,
            "filepath",
            "cache file",
            cache.filepath,
            FILE,
            variant="sequence" if cache.is_sequence else "",
            library_missing=lib_missing,
            consequence=_CACHE_FILE_GONE,
        )
    )


_CACHE_FILE_GONE = (
    "at frames without a file the Mesh Sequence Cache modifiers and Transform Cache constraints reading it get no "
    "data (Blender reports that it cannot open the archive) and the objects keep their own mesh and transform"
)


def _text(text: Any, ctx: WalkContext, out: list[PathRef]) -> None:
    if not text.filepath:
        return  # in-memory text; Blender's own path walk (file_path_map) lists any text with a filepath
    lib_path, base, lib_missing = ctx.base_for(text)
    out.append(
        PathRef(
            "TEXT", text.name, lib_path, base, "filepath", "text file", text.filepath, FILE, library_missing=lib_missing
        )
    )


def _point_cache(
    cache: Any, owner: tuple[str | None, str, bool], name: str, path: str, label: str, out: list[PathRef]
) -> None:
    """An external cache stores its directory; a cache baked to disk uses the implicit ``//blendcache_<file>/``
    beside the .blend its owner comes from, with files ``<name or hex of the object's name>_<frame>_<index>.bphys``:
    both are read back, and a baked cache is never simulated again, so without the files nothing moves."""
    if cache is None:
        return
    lib_path, base, lib_missing = owner
    if cache.use_external:
        if cache.filepath:
            out.append(
                PathRef(
                    "OBJECT",
                    name,
                    lib_path,
                    base,
                    f"{path}.filepath",
                    label,
                    cache.filepath,
                    DIR,
                    library_missing=lib_missing,
                )
            )
        return
    if base and cache.use_disk_cache and cache.is_baked:
        stem = os.path.basename(base)
        stem = stem[:-6] if stem.lower().endswith(".blend") else stem
        prefix = cache.name or name.encode("utf-8", "surrogateescape").hex().upper()
        out.append(
            PathRef(
                "OBJECT",
                name,
                lib_path,
                base,
                path,
                f"{label} (baked to disk)",
                f"//blendcache_{stem}/",
                DIR,
                variant="point_cache",
                elements=(prefix,),
                library_missing=lib_missing,
                consequence=(
                    "the cache is marked baked, so Blender does not simulate again: without these files the "
                    "simulation shows nothing (particles, cloth or soft body stay at rest) until it is freed and re-baked"
                ),
            )
        )


_PATH_MODIFIERS = frozenset(
    {"CLOTH", "SOFT_BODY", "DYNAMIC_PAINT", "FLUID", "OCEAN", "MESH_CACHE", "NODES", "MULTIRES"}
)
_OCEAN_BAKED = (
    "the modifier is baked (is_cached), so Blender reads every frame from this folder and does not simulate: "
    "without it the surface shows no waves"
)
_FLUID_BAKED = (
    "the domain is baked, so Blender reads the simulation from this folder: without it the domain shows no "
    "fluid or smoke until it is baked again"
)
_MULTIRES_EXTERNAL = (
    "the sculpted multires detail is stored only there: without it Blender loads the base mesh and the "
    "modifier's levels have no displacement"
)


def _object(obj: Any, ctx: WalkContext, out: list[PathRef]) -> None:
    modifiers = obj.modifiers
    if not modifiers:
        particles = obj.particle_systems
        if not particles:
            return  # most objects: nothing to read
    else:
        particles = obj.particle_systems
    owner = ctx.base_for(obj)
    lib_path, base, lib_missing = owner
    name = obj.name

    def add(data_path: str, label: str, raw: str, role: str, consequence: str = "") -> None:
        if raw:
            out.append(
                PathRef(
                    "OBJECT",
                    name,
                    lib_path,
                    base,
                    data_path,
                    label,
                    raw,
                    role,
                    library_missing=lib_missing,
                    consequence=consequence,
                )
            )

    for modifier in modifiers:
        kind = modifier.type
        if kind not in _PATH_MODIFIERS:
            continue  # most modifiers (subdivision, armature...) hold no path
        where = f"modifiers[{_q(modifier.name)}]"
        label = f'modifier "{modifier.name}"'
        if kind in ("CLOTH", "SOFT_BODY"):
            _point_cache(modifier.point_cache, owner, name, f"{where}.point_cache", f"{label} point cache", out)
        elif kind == "DYNAMIC_PAINT" and modifier.canvas_settings is not None:
            for index, surface in enumerate(modifier.canvas_settings.canvas_surfaces):
                at = f"{where}.canvas_settings.canvas_surfaces[{index}]"
                _point_cache(
                    surface.point_cache,
                    owner,
                    name,
                    f"{at}.point_cache",
                    f'{label} surface "{surface.name}" point cache',
                    out,
                )
                if surface.surface_format == "IMAGE":
                    add(
                        f"{at}.image_output_path",
                        f'{label} surface "{surface.name}" image output',
                        surface.image_output_path,
                        OUTPUT,
                    )
        elif kind == "FLUID" and modifier.fluid_type == "DOMAIN":
            settings = modifier.domain_settings
            baked = bool(getattr(settings, "has_cache_baked_any", False))
            add(
                f"{where}.domain_settings.cache_directory",
                f"{label} {'baked ' if baked else ''}cache directory",
                settings.cache_directory,
                DIR if baked else OUTPUT,
                _FLUID_BAKED if baked else "",
            )
        elif kind == "OCEAN":
            # Only a baked ocean reads its folder (a bake writes it: an output until then).
            baked = bool(modifier.is_cached)
            add(
                f"{where}.filepath",
                f"{label} {'baked ' if baked else ''}cache directory",
                modifier.filepath,
                DIR if baked else OUTPUT,
                _OCEAN_BAKED if baked else "",
            )
        elif kind == "MULTIRES":
            if modifier.is_external:
                add(
                    f"{where}.filepath",
                    f"{label} external displacement file",
                    modifier.filepath,
                    FILE,
                    _MULTIRES_EXTERNAL,
                )
        elif kind == "MESH_CACHE":
            add(f"{where}.filepath", f"{label} cache file", modifier.filepath, FILE)
        elif kind == "NODES":
            add(f"{where}.bake_directory", f"{label} bake directory", modifier.bake_directory, OUTPUT)
            for index, bake in enumerate(getattr(modifier, "bakes", ())):
                if bake.use_custom_path:
                    add(
                        f"{where}.bakes[{index}].directory",
                        f"{label} bake {bake.bake_id} directory",
                        bake.directory,
                        OUTPUT,
                    )
    for system in particles:
        _point_cache(
            system.point_cache,
            owner,
            name,
            f"particle_systems[{_q(system.name)}].point_cache",
            f'particle system "{system.name}" point cache',
            out,
        )


def _scene(scene: Any, ctx: WalkContext, out: list[PathRef]) -> None:
    lib_path, base, lib_missing = ctx.base_for(scene)
    name = scene.name

    def add(data_path: str, label: str, raw: str, role: str, **extra: Any) -> None:
        if raw:
            out.append(
                PathRef(
                    "SCENE", name, lib_path, base, data_path, label, raw, role, library_missing=lib_missing, **extra
                )
            )

    add("render.filepath", "render output", scene.render.filepath, OUTPUT)
    editor = scene.sequence_editor
    if editor is not None:
        attr = "strips_all" if hasattr(editor, "strips_all") else "sequences_all"
        if editor.proxy_storage == "PROJECT":
            add("sequence_editor.proxy_dir", "sequencer proxy directory", editor.proxy_dir, OUTPUT)
        for strip in getattr(editor, attr):
            kind = strip.type
            where = f"sequence_editor.{attr}[{_q(strip.name)}]"
            label = f'strip "{strip.name}"'
            if kind == "IMAGE":
                elements = tuple(element.filename for element in strip.elements)
                add(
                    f"{where}.directory",
                    f"{label} image directory",
                    strip.directory,
                    DIR,
                    variant="elements",
                    elements=elements,
                )
            elif kind == "MOVIE":
                add(f"{where}.filepath", f"{label} movie", strip.filepath, FILE)
            else:
                continue
            proxy = strip.proxy if strip.use_proxy else None
            if proxy is not None and proxy.use_proxy_custom_directory:
                add(f"{where}.proxy.directory", f"{label} proxy directory", proxy.directory, OUTPUT)
    tree = getattr(scene, "node_tree", None)  # the compositor before 5.0
    if tree is not None:
        _nodes(tree, "node_tree.", "SCENE", name, (lib_path, base, lib_missing), out)


def _node_group(tree: Any, ctx: WalkContext, out: list[PathRef]) -> None:
    _nodes(tree, "", "NODETREE", tree.name, ctx.base_for(tree), out)


def _embedded_tree(id_type: str) -> Any:
    def read(datablock: Any, ctx: WalkContext, out: list[PathRef]) -> None:
        tree = datablock.node_tree
        if tree is not None:
            _nodes(tree, "node_tree.", id_type, datablock.name, ctx.base_for(datablock), out)

    return read


_PATH_NODES = {"ShaderNodeScript", "ShaderNodeTexIES", "CompositorNodeOutputFile"}


def _nodes(
    tree: Any, prefix: str, id_type: str, name: str, owner: tuple[str | None, str, bool], out: list[PathRef]
) -> None:
    lib_path, base, lib_missing = owner
    for node in tree.nodes:
        idname = node.bl_idname
        if idname not in _PATH_NODES:
            continue
        where = f"{prefix}nodes[{_q(node.name)}]"
        label = f'node "{node.name}"'
        if idname == "CompositorNodeOutputFile":
            attr = "directory" if hasattr(node, "directory") else "base_path"
            raw, role = getattr(node, attr), OUTPUT
            label += " output directory"
        elif node.mode == "EXTERNAL":
            attr, raw, role = "filepath", node.filepath, FILE
            label += " file"
        else:
            continue
        if raw:
            out.append(
                PathRef(id_type, name, lib_path, base, f"{where}.{attr}", label, raw, role, library_missing=lib_missing)
            )
