"""Bulk, read-only access to the coordinates of an edit-mode BMesh and of a Mesh, without per-vertex Python.

Why this exists: in Edit Mode the live geometry is a BMesh, and the BMesh Python API has no ``foreach_get``. The
public ways to read it were measured on every supported version (benchmarks/bench_editmode.py, 1M vertices):
per-vertex ``v.co`` costs 0.2-0.4 s; the evaluated object's ``to_mesh()`` converts the whole BMesh in one
uninterruptible call of 0.3-0.6 s (with modifiers applied); ``obj.to_mesh()`` of the original object and
``Mesh.attributes`` give the stale data or none in Edit Mode. Blender itself keeps an array of vertex pointers,
``BMesh.vtable`` (built by the public ``bm.verts.ensure_lookup_table()``), so the fast path copies that pointer
array and gathers ``BMVert.co`` and the select flag from the addresses it holds: the whole check takes 12-15 ms
of CPU per million vertices, in steps of well under a millisecond.

Why no read can leave the memory it belongs to (nothing is ever written; all checks and reads of one slice happen
in one step, with the GIL held, so Blender cannot change the BMesh in between; every step checks again):

1. Wrapper fields (``bm`` of a ``BMesh`` wrapper, ``bm``/``v`` of a ``BMVert`` wrapper): the type must be Blender's
   static C type of that name, and its ``__basicsize__`` must be a CPython object head (``PyObject_VAR_HEAD`` in
   Blender 4.2-5.0, ``PyObject_HEAD`` in 5.2 and 5.3, sizes taken from ``tuple``/``object``) plus exactly two
   pointer-sized fields; the 8 bytes read after the head are inside that live Python object. A freed BMesh leaves
   a NULL there.
2. The header: only the first 92 bytes of ``struct BMesh`` are read (seven counts, two dirty flags, four pool
   pointers, the vertex table and its size ``vtable_tot``). The struct is far larger on every version (pools,
   tables, four ``CustomData`` blocks follow), so these reads are inside it whatever its later fields; only their
   meaning depends on the layout.
3. The meaning: Blender's ``bmesh_class.hh`` declares this prefix in this order, and a dump of it on 4.2.23,
   4.5.15, 5.0.1, 5.2.3 and 5.3.0 showed the same offsets on each (only the wrapper head changed). At run time,
   before anything outside the header is read, the four counts and the selected-vertex count must equal the
   public API's, the padding after the dirty flags must be zero, the four pools distinct aligned pointers, the
   vertex table marked clean, ``totvert <= vtable_tot <= 2 * totvert`` (how ``BM_mesh_elem_table_ensure`` sizes
   it) and the table pointer aligned and non-NULL.
   Versions outside VERIFIED_VERSIONS never get this far: they use the public per-vertex path.
4. The table: entries ``start..stop`` with ``stop <= totvert <= vtable_tot`` are inside the table Blender allocated,
   and while it is marked clean each holds a live ``BMVert`` (any vertex added or removed marks it dirty).
5. The vertices: bytes 13 (select flag) and 16-27 (``co``) of each ``BMVert``, which is at least 48 bytes on every
   version (16-byte header, ``co``, ``no``, an edge pointer). A numpy view spanning the vertices is only a window:
   creating it reads nothing, and the gather reads exactly those bytes.
6. The Mesh side: ``MeshVertex.as_pointer()`` is the address of that vertex's position in the Mesh's position
   array; the view is used only when vertices 0, 1 and n-1 sit at ``base``, ``base + 12`` and
   ``base + 12 * (n - 1)``, so it covers exactly positions 0 to n-1. It needs ctypes only, no numpy.

Correctness on top (not needed for safety): up to SAMPLE_CHECK_LIMIT vertices three sample vertices' table
pointers, coordinates and select flags must equal their wrappers'; above it, the gathered selected count must
equal Blender's. Any mismatch means ``None`` and the caller uses the exact Python path instead.

Blender-free: the functions take the Python objects Blender hands out, plus ``version`` (``bpy.app.version``).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

try:  # the gather needs numpy; Blender builds without it (Debian's packages) use the Python path instead
    import numpy as np
except ImportError:
    np = None

# Versions whose BMesh/BMVert layout was verified: the struct prefix is declared alike in all of them, and the
# tests read it on 4.2.23, 4.5.15, 5.0.1, 5.2.3 and 5.3.0. Later versions use the public per-vertex path until
# they are added here after the tests pass on them.
VERIFIED_VERSIONS = ((4, 2, 0), (5, 4, 0))  # [from, to)

# The wrappers are ``struct BPy_BMesh {HEAD; BMesh *bm; int flag;}`` and ``struct BPy_BMVert {HEAD; BMesh *bm;
# BMVert *v;}``: two pointer-sized fields after a CPython object head, which is ``PyObject_VAR_HEAD`` in Blender
# 4.2-5.0 (24 bytes: the size of a tuple's fixed part) and ``PyObject_HEAD`` in 5.2 and 5.3 (16 bytes: a plain
# object). The type's ``__basicsize__`` (head + 16) says which; anything else means the layout is not known.
_HEAD_SIZES = (tuple.__basicsize__, object.__basicsize__)
_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: set for classes created at run time, clear for Blender's static C types
# struct BMesh: int totvert, totedge, totloop, totface, totvertsel, totedgesel, totfacesel; char elem_index_dirty,
# elem_table_dirty; 4 mempool pointers; BMVert **vtable (offset 64); 2 more tables; int vtable_tot (offset 88).
_TOTS_OFFSET = 0
_TABLE_DIRTY_OFFSET = 29
_POOLS_OFFSET = 32
_VTABLE_OFFSET = 64
_VTABLE_TOT_OFFSET = 88
_BM_VERT = 1  # elem_table_dirty bit for vertices
# struct BMVert: BMHeader {void *data; int index; char htype, hflag, api_flag;} (16 bytes), then float co[3].
_HFLAG_OFFSET = 13
_CO_OFFSET = 16
_SELECT = 1  # BM_ELEM_SELECT
# Comparing sample vertices needs their Python wrappers, and the first wrapper of a BMesh makes Blender add a
# pointer layer to every vertex (~40 ns each, removed again when the BMesh wrapper is freed): 50 ms per million.
# Above this size the header checks, the verified version range and the post-gather selection count suffice.
SAMPLE_CHECK_LIMIT = 100_000


def _read(address: int, ctype: Any) -> Any:
    return ctype.from_address(address).value


def _wrapper_head(wrapper: Any, type_name: str) -> int | None:
    """Where the wrapper's first field (``bm``) starts, or None for an unknown layout.

    Only CPython's ``id()`` is an address; the type must be Blender's own C type (by name, and not a class defined
    in Python, which could add fields) and its size must be a known head plus exactly the two pointer-sized fields,
    so the bytes read stay inside the Python object.
    """
    kind = type(wrapper)
    if sys.implementation.name != "cpython" or kind.__name__ != type_name or kind.__flags__ & _HEAP_TYPE:
        return None
    if not getattr(sys, "_is_gil_enabled", lambda: True)():
        return None  # a free-threaded Python could let Blender change the BMesh between a check and a read
    for head in _HEAD_SIZES:
        if kind.__basicsize__ == head + 16:
            return head
    return None


class _Raw:
    """A numpy view of memory that Blender owns (read-only; creating it touches nothing)."""

    def __init__(self, address: int, shape: tuple[int, ...], typestr: str) -> None:
        self.__array_interface__ = {"data": (address, True), "shape": shape, "typestr": typestr, "version": 3}


def _view(address: int, shape: tuple[int, ...], typestr: str) -> Any:
    return np.asarray(_Raw(address, shape, typestr))


def version_verified(version: Sequence[int]) -> bool:
    return VERIFIED_VERSIONS[0] <= tuple(version[:3]) < VERIFIED_VERSIONS[1]


def numpy_available() -> bool:
    """numpy could be imported (official Blender builds bundle it; Debian's Blender packages do not)."""
    return np is not None


NO_NUMPY_NOTE = (
    "numpy is not available in this Blender: every check works, but the Edit Mode check reads large meshes "
    "vertex by vertex (about 0.2-0.3 s of CPU per million vertices instead of about 15 ms)"
)


def can_gather(version: Sequence[int]) -> bool:
    """The bulk edit-side reader may run: numpy is importable and this Blender's layout was verified."""
    return np is not None and version_verified(version)


@dataclass(frozen=True)
class EditMeshTable:
    """What the verified BMesh header says; compared again before every slice is read."""

    bmesh: int  # BMesh address
    vtable: int  # BMVert ** address
    verts: int
    edges: int
    loops: int
    faces: int
    verts_selected: int


class TableDirty(Exception):
    """The BMesh vertex table is out of date; ``bm.verts.ensure_lookup_table()`` makes it usable again."""


def edit_mesh_loops(bm: Any, total_vert_sel: int, version: Sequence[int]) -> int | None:
    """The edit mesh's face-corner count (``BMesh.totloop``: the BMesh API has no ``len(bm.loops)``), or None.

    Needs no numpy (Blender without it uses this too). Reads the first 20 bytes of ``struct BMesh`` only (points 1
    and 2 above), on verified versions only, and trusts them only when the four counts beside the corner count
    equal the public API's.
    """
    if not version_verified(version):
        return None
    tots = _header_counts(bm)
    if tots is None:
        return None
    verts, edges, loops, faces, verts_selected = tots[1:]
    if (verts, edges, faces, verts_selected) != (len(bm.verts), len(bm.edges), len(bm.faces), total_vert_sel):
        return None
    return loops


def _header_counts(bm: Any) -> tuple[int, int, int, int, int, int] | None:
    """``(BMesh address, totvert, totedge, totloop, totface, totvertsel)`` from a BMesh wrapper, or None."""
    head = _wrapper_head(bm, "BMesh")
    if head is None:
        return None
    bm_address = _read(id(bm) + head, ctypes.c_void_p)
    if not bm_address:
        return None
    verts, edges, loops, faces, verts_selected = (
        _read(bm_address + _TOTS_OFFSET + 4 * i, ctypes.c_int) for i in range(5)
    )
    return bm_address, verts, edges, loops, faces, verts_selected


def edit_mesh_table(bm: Any, total_vert_sel: int, version: Sequence[int]) -> EditMeshTable | None:
    """Verify the layout and return the header, or None when the fast path must not be used.

    Raises :class:`TableDirty` when only the lookup table is stale (the caller ensures it and asks again).
    """
    if not can_gather(version):
        return None
    tots = _header_counts(bm)
    if tots is None:
        return None
    bm_address, verts, edges, loops, faces, verts_selected = tots
    if (verts, edges, faces, verts_selected) != (len(bm.verts), len(bm.edges), len(bm.faces), total_vert_sel):
        return None
    if not _prefix_as_declared(bm_address):
        return None
    if _read(bm_address + _TABLE_DIRTY_OFFSET, ctypes.c_ubyte) & _BM_VERT:
        raise TableDirty
    if verts == 0:
        return EditMeshTable(bm_address, 0, 0, edges, loops, faces, verts_selected)
    vtable_tot = _read(bm_address + _VTABLE_TOT_OFFSET, ctypes.c_int)
    # BM_mesh_elem_table_ensure() keeps a table while totvert <= vtable_tot <= 2 * totvert, else reallocates it.
    if not verts <= vtable_tot <= 2 * verts:
        return None
    vtable = _read(bm_address + _VTABLE_OFFSET, ctypes.c_void_p)
    if not vtable or vtable % 8:
        return None
    table = EditMeshTable(bm_address, vtable, verts, edges, loops, faces, verts_selected)
    if verts > SAMPLE_CHECK_LIMIT:
        return table  # checked after gathering instead: the selected count must equal ``total_vert_sel``
    return table if _samples_agree(bm, table) else None


def _prefix_as_declared(bm_address: int) -> bool:
    """The rest of the header prefix looks like the declared struct: the padding after the two dirty flags is zero
    (Blender allocates the BMesh zeroed) and the four element pools are distinct, aligned, non-null pointers.

    Reads bytes 28-63 of the BMesh only (inside it on every version); together with the five counts this pins the
    offsets of everything read before the vertex table is trusted.
    """
    if _read(bm_address + _TABLE_DIRTY_OFFSET + 1, ctypes.c_ushort) != 0:
        return False
    pools = [_read(bm_address + _POOLS_OFFSET + 8 * i, ctypes.c_void_p) for i in range(4)]
    return all(pool and pool % 8 == 0 for pool in pools) and len(set(pools)) == 4


def _samples_agree(bm: Any, table: EditMeshTable) -> bool:
    """The table's pointers, coordinates and select flags equal what the public API says, for three vertices."""
    for index in sorted({0, table.verts // 2, table.verts - 1}):
        vert = bm.verts[index]  # held in a local: the wrapper must stay alive while its memory is read
        head = _wrapper_head(vert, "BMVert")
        if head is None or _read(id(vert) + head, ctypes.c_void_p) != table.bmesh:
            return False
        pointer = _read(id(vert) + head + 8, ctypes.c_void_p)
        if pointer != _read(table.vtable + 8 * index, ctypes.c_void_p):
            return False
        co = _view(pointer + _CO_OFFSET, (3,), "<f4")
        if tuple(float(c) for c in co) != tuple(vert.co):
            return False
        if bool(_read(pointer + _HFLAG_OFFSET, ctypes.c_ubyte) & _SELECT) != vert.select:
            return False
    return True


def still_valid(bm: Any, table: EditMeshTable, total_vert_sel: int, version: Sequence[int]) -> bool:
    """Cheap re-check before each slice: same BMesh, same table, same counts, table still clean."""
    try:
        again = edit_mesh_table(bm, total_vert_sel, version) if table.verts == 0 else _header_again(bm, table)
    except TableDirty:
        return False
    return again == table


def _header_again(bm: Any, table: EditMeshTable) -> EditMeshTable | None:
    head = _wrapper_head(bm, "BMesh")
    if head is None:
        return None
    bm_address = _read(id(bm) + head, ctypes.c_void_p)
    if bm_address != table.bmesh or len(bm.verts) != table.verts:
        return None
    if _read(bm_address + _TABLE_DIRTY_OFFSET, ctypes.c_ubyte) & _BM_VERT:
        return None
    tots = [_read(bm_address + _TOTS_OFFSET + 4 * i, ctypes.c_int) for i in range(5)]
    vtable = _read(bm_address + _VTABLE_OFFSET, ctypes.c_void_p)
    return EditMeshTable(bm_address, vtable, *tots)


def gather_vertices(table: EditMeshTable, start: int, stop: int) -> tuple[Any, Any]:
    """Coordinates ``(k, 3)`` float32 and select flags ``(k,)`` of vertices ``start..stop`` in BMesh order."""
    pointers = _view(table.vtable + 8 * start, (stop - start,), "<u8").astype(np.int64)
    if pointers.size == 0:
        return np.empty((0, 3), np.float32), np.empty(0, bool)
    base = int(pointers.min())
    span = int(pointers.max()) - base + _CO_OFFSET + 12
    offsets = pointers - base
    as_bytes = _view(base, (span,), "|u1")
    as_floats = _view(base, (span // 4,), "<f4")  # BMVert is 8-aligned, so co (offset 16) is 4-aligned
    first = (offsets + _CO_OFFSET) // 4
    co = np.stack((as_floats[first], as_floats[first + 1], as_floats[first + 2]), axis=1)
    selected = (as_bytes[offsets + _HFLAG_OFFSET] & _SELECT).astype(bool)
    return co, selected


def mesh_positions(vertices: Any) -> Any:
    """A read-only float32 ``x, y, z, x, y, z, ...`` view (a ctypes array, no numpy needed) of a Mesh's vertex
    positions, or None when they are not one verified array.

    ``MeshVertex.as_pointer()`` is the address of the vertex's position; the array is used only when the first,
    second and last vertex sit exactly 12 bytes apart each and the first and last positions equal ``vertex.co``, so
    the view covers exactly the positions of vertex 0 to vertex n-1. Take a fresh view for each step: Blender may
    reallocate the array between steps.
    """
    count = len(vertices)
    if count == 0:
        return (ctypes.c_float * 0)()
    first, last = vertices[0], vertices[count - 1]
    base = first.as_pointer()
    if not base or last.as_pointer() != base + 12 * (count - 1):
        return None
    if count > 1 and vertices[1].as_pointer() != base + 12:
        return None
    view = (ctypes.c_float * (3 * count)).from_address(base)
    for vertex, index in ((first, 0), (last, count - 1)):
        if tuple(view[3 * index : 3 * index + 3]) != tuple(vertex.co):
            return None
    return view
