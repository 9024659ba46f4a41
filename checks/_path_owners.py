"""Every file path the open file stores, with its owner: the shared walker of the path checks (not a check itself).

``walk(data)`` yields batches ``(fraction, [PathRef, ...])``, each from at most :data:`SLICE` datablocks, so a check
can yield ``Progress`` between batches and never hold the scan for long. A ``PathRef`` is plain values (strings,
tuples): the owner by value (id_type, name, library filepath), the RNA data path of the string property from the
owner ID (what the fix operators set), the stored path and the .blend file that ``//`` is relative to.

Owners: the .blend itself, libraries, images (UDIM tiles, sequences, movies), movie clips, sounds, fonts,
volumes, cache files, texts with a file, object modifiers (point caches on disk, fluid/ocean caches, mesh caches,
geometry-node bakes, dynamic paint output), particle point caches, scene render output, sequencer strips (image
strips are a directory plus element names, movie strips, proxies), and nodes holding paths (compositor File
Output, OSL Script, IES texture) in node groups and in materials', worlds', lights' and scenes' node trees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..core.paths import blender_abspath

# Datablocks read per batch: a few hundred keeps each step around a millisecond.
SLICE = 400
# Datablocks copied into a snapshot list per step (about 5 ms for 20,000 at most, see walk()).
SNAPSHOT = 20_000

# Roles: what kind of thing the path names, which decides what can be wrong with it.
FILE = "FILE"  # a file Blender reads (existence matters)
DIR = "DIR"  # a directory Blender reads (existence matters)
OUTPUT = "OUTPUT"  # where Blender writes (render output, caches, bakes): existence does not matter
LIBRARY = "LIBRARY"  # a linked .blend
BLEND = "BLEND"  # the open .blend itself


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
    variant: str = ""  # "", "udim", "sequence" or "elements"
    tiles: tuple[int, ...] = ()
    elements: tuple[str, ...] = ()
    library_missing: bool = False  # the owner comes from a library file that is missing


@dataclass
class WalkContext:
    main_file: str
    library_files: dict[str, str]  # Library name -> absolute file
    missing_libraries: set[str]  # Library names whose file is missing

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
BatchReader = Callable[[list[Any], "WalkContext", list[Any]], None]


def walk(
    data: Any,
    ctx: WalkContext,
    image_batch: BatchReader | None = None,
    strings_filter: Callable[[list[str]], bool] | None = None,
) -> Iterator[tuple[float, list[Any]]]:
    """Batches of path references, each batch from at most SLICE datablocks; fraction is 0..1 of the walk.

    ``image_batch`` replaces the reader of images (usually most of a file's paths): it gets up to SLICE images at
    once, so a check can settle the common cases in bulk and hand only the rest to :func:`read_image` (it may
    append its own items, e.g. findings, to the batch).

    Each collection is first copied into a list of ID wrappers, SNAPSHOT datablocks per step (slicing a collection
    walks it from its head, so slicing it per batch of SLICE is quadratic: 0.7 s for 100k images; and an RNA
    iterator held across yields would point into freed memory if data were deleted between two steps). A removed
    ID's wrapper raises ReferenceError instead, and that datablock is skipped (the engine restarts the check after
    edits anyway). ``len()`` of a collection counts a linked list (7 ms for 100k images), so sizes come from the
    snapshots.

    ``strings_filter`` (for checks that judge the path string alone): given the ``filepath`` strings of a batch of
    images or other single-path datablocks, False means none of them needs a look, so no references are built.
    """
    kinds: list[tuple[str, Reader | None]] = [
        ("libraries", _libraries),
        ("images", None),
        ("movieclips", _movieclip),
        ("sounds", _packable("SOUND")),
        ("fonts", _font),
        ("volumes", _volume),
        ("cache_files", _cache_file),
        ("texts", _text),
        ("objects", _object),
        ("scenes", _scene),
        ("node_groups", _node_group),
        ("materials", _embedded_tree("MATERIAL")),
        ("worlds", _embedded_tree("WORLD")),
        ("lights", _embedded_tree("LIGHT")),
    ]
    snapshots: list[tuple[str, Reader | None, list[Any]]] = []
    for attr, reader in kinds:
        collection = getattr(data, attr, None)
        if collection is None:
            continue
        snapshot: list[Any] = []
        while True:
            part = collection[len(snapshot) : len(snapshot) + SNAPSHOT]
            snapshot.extend(part)
            if len(part) < SNAPSHOT:
                break
            yield 0.0, []  # a big collection: one step per SNAPSHOT datablocks
        if snapshot:
            snapshots.append((attr, reader, snapshot))
    yield 0.0, []  # the batches start in a step of their own
    total = sum(len(snapshot) for _attr, _reader, snapshot in snapshots) or 1
    done = 0
    refs: list[Any] = []
    if data.filepath:
        refs.append(PathRef(None, None, None, data.filepath, "filepath", "this .blend file", data.filepath, BLEND))
    for attr, reader, snapshot in snapshots:
        for start in range(0, len(snapshot), SLICE):
            chunk = snapshot[start : start + SLICE]
            if strings_filter is not None and attr in _SINGLE_PATH and not _needs_look(chunk, strings_filter):
                pass
            elif reader is None:
                _read_batch(chunk, image_batch or read_images, ctx, refs)
            else:
                _read_each(chunk, reader, ctx, refs)
            done += len(chunk)
            yield done / total, refs
            refs = []
    yield 1.0, refs


# Collections whose datablocks hold exactly one path, in ``filepath``.
_SINGLE_PATH = frozenset({"images", "movieclips", "sounds", "fonts", "volumes", "cache_files", "texts"})


def _needs_look(chunk: list[Any], strings_filter: Callable[[list[str]], bool]) -> bool:
    try:
        return strings_filter([datablock.filepath for datablock in chunk])
    except ReferenceError:
        return True  # one was removed: let the per-datablock readers skip it


def _read_each(chunk: list[Any], reader: Reader, ctx: WalkContext, out: list[Any]) -> None:
    for datablock in chunk:
        try:
            reader(datablock, ctx, out)
        except ReferenceError:
            continue  # removed since the snapshot; the engine restarts the check after such edits


def _read_batch(chunk: list[Any], reader: BatchReader, ctx: WalkContext, out: list[Any]) -> None:
    mark = len(out)
    try:
        reader(chunk, ctx, out)
    except ReferenceError:
        del out[mark:]  # one of them was removed: redo one by one, skipping it
        for datablock in chunk:
            mark = len(out)
            try:
                reader([datablock], ctx, out)
            except ReferenceError:
                del out[mark:]


def read_images(images: list[Any], ctx: WalkContext, out: list[Any]) -> None:
    for image in images:
        read_image(image, ctx, out)


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
        )
    )


def read_image(image: Any, ctx: WalkContext, out: list[Any]) -> None:
    source = image.source
    if source == "GENERATED" or source == "VIEWER":
        return
    path = image.filepath
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


def _cache_file(cache: Any, ctx: WalkContext, out: list[PathRef]) -> None:
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
        )
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
    # Only an external cache stores a path (a directory Blender reads); a disk cache uses an implicit
    # //blendcache_<file>/ directory that nothing stores.
    if cache is None or not cache.use_external or not cache.filepath:
        return
    lib_path, base, lib_missing = owner
    out.append(
        PathRef(
            "OBJECT", name, lib_path, base, f"{path}.filepath", label, cache.filepath, DIR, library_missing=lib_missing
        )
    )


def _object(obj: Any, ctx: WalkContext, out: list[PathRef]) -> None:
    modifiers = obj.modifiers
    particles = obj.particle_systems
    if not modifiers and not particles:
        return
    owner = ctx.base_for(obj)
    lib_path, base, lib_missing = owner
    name = obj.name

    def add(data_path: str, label: str, raw: str, role: str) -> None:
        if raw:
            out.append(
                PathRef("OBJECT", name, lib_path, base, data_path, label, raw, role, library_missing=lib_missing)
            )

    for modifier in modifiers:
        kind = modifier.type
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
            add(
                f"{where}.domain_settings.cache_directory",
                f"{label} cache directory",
                modifier.domain_settings.cache_directory,
                OUTPUT,
            )
        elif kind == "OCEAN":
            add(f"{where}.filepath", f"{label} cache directory", modifier.filepath, OUTPUT)
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
