"""Objects in Edit Mode whose object data is out of sync with the edit data ("Modes and Mesh Access" gotcha).

In Edit Mode Blender edits a separate copy (a BMesh for meshes, edit bones for armatures, edit nurbs for curves,
an edit lattice) and writes it to the object data only when Edit Mode is left or ``update_from_editmode()`` runs.
Until then ``mesh.vertices``, ``mesh.polygons``, ``armature.bones``, ... are stale for every script and exporter,
and for every other object that uses the same data.

How both sides are read while the object stays in Edit Mode (this check never enters, leaves or toggles a mode,
never calls operators and never writes edit data to the object data):

- Mesh, object-data side: ``mesh.vertices`` / ``edges`` / ``polygons`` / ``loops`` keep the pre-edit data in Edit
  Mode; positions are read from the vertex position array (``MeshVertex.as_pointer()``, verified, a ctypes view;
  falling back to ``foreach_get``), selection with ``foreach_get("select")``.
- Mesh, edit side: ``bmesh.from_edit_mesh(mesh)`` is the live BMesh (the same one Edit Mode uses, not a copy).
  Counts come from ``len(bm.verts)`` etc. (face corners from the BMesh header, core/bmesh_fastread.py, when the
  counts beside them match). Coordinates: the BMesh API has no bulk access, and the public alternatives are slow
  or wrong on every supported version (benchmarks/bench_editmode.py): a per-vertex ``v.co`` loop costs 0.3-0.9 s
  per million vertices; ``evaluated_get(depsgraph).to_mesh()`` has the edit geometry but *with modifiers* applied
  and costs 0.3-1 s in one uninterruptible call; ``obj.to_mesh()`` on the original object returns the stale mesh.
  So, where numpy is available and the version verified (4.2-5.3), the coordinates are gathered from Blender's
  own vertex pointer table (core/bmesh_fastread.py: why no read leaves its memory, checked again before every
  slice); otherwise (no numpy: Debian's Blender) they are read per vertex, by index, slice by slice, with the
  same results. An edit between two steps restarts the mesh on either path.
  Index i of the BMesh is vertex i of the Mesh as long as the vertex count is unchanged (Edit Mode keeps the
  order); when it changed, vertices cannot be paired, so only counts are compared. With all counts equal, small
  meshes also get their faces compared (``mesh.loops`` vertex indices versus each BMesh face's vertices, mapped
  to indices through a dict of the element wrappers, so BMesh indices are never written).
- Armature: ``armature.bones`` (stale, rest pose in armature space) versus ``armature.edit_bones`` (which exist only
  in Edit Mode), matched by name: head, tail, orientation (roll), parent and connection.
- Curve, surface, lattice: measured on every supported version (4.2-5.3), ``curve.splines`` and ``lattice.points``
  (and the evaluated copies) already read the *edit* data in Edit Mode, so Python sees no stale side to compare;
  the finding says so.
  (Writing the datablock with ``bpy.data.libraries.write`` and loading it into ``bpy.data.temp_data()`` does show
  the stored points, but a second ``temp_data()`` load in one session crashes 4.2.23 and 5.0.1, so it is not used.)

Work is split into slices (at most ``_SLICE`` vertices, ``_BONE_SLICE`` bones) so each generator step stays well
under the modal scan's time budget even on million-vertex meshes.
"""

from __future__ import annotations

from array import array
from collections.abc import Generator, Iterator
from itertools import chain
from operator import attrgetter
from typing import Any

from ..core import bmesh_fastread as fast
from ..core import editdiff
from ..core.findings import CheckInfo, Finding, Progress
from ..core.text import display

INFO = CheckInfo(
    id="editmode_sync",
    topic="editmode-sync",
    title="Edit Mode data not written yet",
    description="Objects in Edit Mode whose Mesh/Armature/... data is stale: the edits are not written to it yet",
    severity="WARNING",
)

# Fix keys (operators.FIX_OPERATORS maps them to operators).
FIX_SYNC = "editmode_sync_now"
FIX_LEAVE = "editmode_leave"
FIXES = (FIX_SYNC, FIX_LEAVE)

# Vertices per generator step on the fast path / the per-vertex Python path; bones per step.
_SLICE = 25_000
_PY_SLICE = 8_000
_BONE_SLICE = 500
# Vertex selection is compared up to this many vertices: the stale side has no bulk path (foreach_get("select")
# costs ~0.1 us per vertex in one call, 105 ms per million), so larger meshes would overrun one modal step.
_SELECT_LIMIT = 50_000
# Connectivity (which vertices each face uses) is compared through the BMesh Python API up to this many corners.
_TOPOLOGY_LIMIT = 100_000

DATA_KIND = {
    "MESH": "Mesh",
    "ARMATURE": "Armature",
    "CURVE": "Curve",
    "SURFACE": "Curve",
    "FONT": "Curve",
    "LATTICE": "Lattice",
    "META": "Metaball",
}


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    import bpy

    users: dict[int, list[str]] = {}
    editing: dict[int, list[str]] = {}
    for obj in data.objects:
        if obj.data is None:
            continue
        key = obj.data.as_pointer()
        users.setdefault(key, []).append(obj.name)
        if obj.mode == "EDIT":
            editing.setdefault(key, []).append(obj.name)
    yield Progress(0.0)
    groups = sorted(editing.values(), key=lambda names: sorted(names)[0])
    for done, names in enumerate(groups):
        names = sorted(names)
        obj = data.objects.get(names[0])
        if obj is None or obj.data is None:
            continue
        context_info = _Group(obj, names, [n for n in users.get(obj.data.as_pointer(), []) if n not in names])
        steps = _steps_for(obj, context_info, tuple(bpy.app.version))
        for item in steps:
            if isinstance(item, Progress):
                yield Progress((done + item.fraction) / len(groups))
            else:
                yield item
        yield Progress((done + 1) / len(groups))


class _Group:
    """One object data in Edit Mode: the object the finding names, the others editing it, the other users."""

    def __init__(self, obj: Any, editing: list[str], others: list[str]) -> None:
        self.object_name: str = obj.name
        self.data_name: str = obj.data.name
        self.type: str = obj.type
        self.editing = editing
        self.others = sorted(others)

    def details(self) -> dict[str, Any]:
        return {
            "object_type": self.type,
            "data_type": self.type if self.type != "SURFACE" else "CURVE",
            "data_name": self.data_name,
            "edit_mode_objects": self.editing,
            "other_users": self.others,
        }

    def shared(self, pending: bool | None) -> str:
        kind = DATA_KIND.get(self.type, "data")
        also = [n for n in self.editing if n != self.object_name] + self.others
        return editdiff.shared_note(kind, display(self.data_name, 200), [display(n, 200) for n in also], pending)


def _steps_for(obj: Any, group: _Group, version: tuple[int, ...]) -> Iterator[Finding | Progress]:
    if obj.type == "MESH":
        return _mesh(obj, group, version)
    if obj.type == "ARMATURE":
        return _armature(obj, group)
    return _other(obj, group)


def _finding(
    group: _Group, severity: str, message: str, details: dict[str, Any], pending: bool | None = True
) -> Finding:
    """``pending``: edits are unwritten (True), nothing is pending (False), not compared (None): the note about the
    data's other users says what they see accordingly."""
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity=severity,
        message=message + group.shared(pending),
        id_type="OBJECT",
        id_name=group.object_name,
        library=None,  # linked objects cannot enter Edit Mode
        details={**group.details(), **details},
        fixes=FIXES,
    )


# --- meshes -----------------------------------------------------------------------------------------------------


def _mesh(
    obj: Any, group: _Group, version: tuple[int, ...], attempt: int = 0, bulk: bool = True
) -> Iterator[Finding | Progress]:
    """``bulk=False`` forces the per-vertex Python path (which is also what runs without numpy)."""
    import bmesh

    mesh = obj.data
    if not mesh.is_editmode:
        return  # another user left Edit Mode between the listing and now: nothing is pending
    bm = bmesh.from_edit_mesh(mesh)
    old_counts = {
        "verts": len(mesh.vertices),
        "edges": len(mesh.edges),
        "faces": len(mesh.polygons),
        "loops": len(mesh.loops),
    }
    new_counts = {"verts": len(bm.verts), "edges": len(bm.edges), "faces": len(bm.faces)}
    table: fast.EditMeshTable | None = None
    if bulk and fast.can_gather(version):
        try:
            table = fast.edit_mesh_table(bm, mesh.total_vert_sel, version)
        except fast.TableDirty:
            # Building the lookup table is what every bmesh script does; it changes no geometry, flag or selection.
            # It is one C call (a few ms per million vertices), so it gets a step of its own.
            bm.verts.ensure_lookup_table()
            yield Progress(0.03)
            bm = bmesh.from_edit_mesh(mesh)
            try:
                table = fast.edit_mesh_table(bm, mesh.total_vert_sel, version)
            except fast.TableDirty:
                table = None
    yield Progress(0.05)
    header_loops = table.loops if table is not None else fast.edit_mesh_loops(bm, mesh.total_vert_sel, version)
    if header_loops is not None:
        new_counts["loops"] = header_loops
    else:
        loops = 0
        for start in range(0, new_counts["faces"], _PY_SLICE):
            bm = bmesh.from_edit_mesh(mesh)
            if len(bm.faces) != new_counts["faces"]:
                yield from _restart(obj, group, version, attempt, bulk)
                return
            loops += sum(len(face.loops) for face in bm.faces[start : start + _PY_SLICE])
            yield Progress(0.05)
        new_counts["loops"] = loops
    deltas = editdiff.count_deltas(old_counts, new_counts)

    moves: editdiff.MoveTally | None = None
    selection = editdiff.SelectTally()
    count = old_counts["verts"]
    if count == new_counts["verts"]:
        moves = editdiff.MoveTally()
        old_select: list[bool] | None = None
        if count <= _SELECT_LIMIT:
            old_select = [False] * count
            mesh.vertices.foreach_get("select", old_select)
        # The first access to the positions may copy a shared array (implicit sharing): a step of its own. Without
        # a verified array, all positions are read once with foreach_get (one call, ~20-50 ms per million vertices).
        stale_all = None if fast.mesh_positions(mesh.vertices) is not None else _foreach_positions(mesh)
        if table is None:
            # Index access needs the lookup table; building it is one C call that changes no geometry or flag.
            bm.verts.ensure_lookup_table()
        yield Progress(0.1)
        gathered_selected = 0
        step = _SLICE if table is not None else _PY_SLICE
        for start in range(0, count, step):
            stop = min(count, start + step)
            bm = bmesh.from_edit_mesh(mesh)
            if table is not None:
                unchanged = fast.still_valid(bm, table, mesh.total_vert_sel, version)
            else:
                unchanged = len(bm.verts) == count and len(bm.faces) == new_counts["faces"]
            if not unchanged or len(mesh.vertices) != count:
                # Edited between two steps (the modal scan usually restarts the check itself then): start over.
                yield from _restart(obj, group, version, attempt, bulk)
                return
            if table is not None:
                co, selected = fast.gather_vertices(table, start, stop)
                gathered_selected += int(selected.sum())
            else:
                try:  # by index: a slice would walk the BMesh from its first vertex every step
                    verts = list(map(bm.verts.__getitem__, range(start, stop)))
                except IndexError:  # "outdated internal index table": an edit between two steps
                    yield from _restart(obj, group, version, attempt, bulk)
                    return
                co = array("f", chain.from_iterable(map(attrgetter("co"), verts)))
                selected = bytes(map(attrgetter("select"), verts)) if old_select is not None else b""
            moves.add(_old_positions(mesh, start, stop, stale_all), co, start)
            if old_select is not None:
                selection.add(old_select[start:stop], selected)
            yield Progress(0.1 + 0.9 * stop / count)
        if table is not None and gathered_selected != table.verts_selected:
            raise RuntimeError(
                f"reading the edit mesh of {obj.name!r} in bulk gave {gathered_selected} selected "
                f"vertices, Blender counts {table.verts_selected}; please report this"
            )

    rewired: int | None = None
    if not any(deltas.values()) and old_counts["loops"] <= _TOPOLOGY_LIMIT:
        rewired = yield from _faces_rewired(mesh)
    parts = editdiff.mesh_change_parts(deltas, moves, selection.changed, rewired or 0)
    name = display(group.object_name, 200)
    details: dict[str, Any] = {
        "counts_data": old_counts,
        "counts_edit": new_counts,
        "count_deltas": deltas,
        "positions_compared": moves is not None,
        "vertices_moved": None if moves is None else moves.moved,
        "max_displacement": None if moves is None else moves.max_displacement,
        "moved_vertex_samples": [] if moves is None else moves.samples,
        "selection_changed": selection.changed if moves is not None and count <= _SELECT_LIMIT else None,
        "edit_read": "bmesh-vertex-table" if table is not None else "bmesh-python",
        "faces_with_other_vertices": rewired,
        "not_compared": ["UVs and other attributes"]
        + ([] if count <= _SELECT_LIMIT else [f"selection (more than {_SELECT_LIMIT:,} vertices)"])
        + (
            []
            if rewired is not None or any(deltas.values())
            else [f"connectivity (more than {_TOPOLOGY_LIMIT:,} corners)"]
        ),
    }
    if parts:
        message = editdiff.pending_message(name, parts, "Mesh")
        if moves is None:
            message += " (vertex count changed, so positions were not paired)"
        yield _finding(group, "WARNING", message, details)
    else:
        compared = ["counts", "positions"]  # counts equal here, so positions were compared
        compared += ["connectivity"] if rewired is not None else []
        compared += ["selection"] if count <= _SELECT_LIMIT else []
        what = ", ".join(compared[:-1]) + " and " + compared[-1]
        yield _finding(group, "INFO", editdiff.in_sync_message(name, "Mesh", what), details, pending=False)


def _restart(
    obj: Any, group: _Group, version: tuple[int, ...], attempt: int, bulk: bool
) -> Iterator[Finding | Progress]:
    if attempt >= 2:
        raise RuntimeError(f"the edit mesh of {obj.name!r} kept changing during the scan; scan again")
    return _mesh(obj, group, version, attempt + 1, bulk)


def _faces_rewired(mesh: Any) -> Generator[Progress, None, int]:
    """Same counts on both sides: how many faces now use other vertices (e.g. a rotated edge); Python path, small
    meshes only (``_TOPOLOGY_LIMIT`` corners), paired by index like the positions."""
    import bmesh

    old_sizes = array("i", bytes(4 * len(mesh.polygons)))
    mesh.polygons.foreach_get("loop_total", old_sizes)
    old_corners = array("i", bytes(4 * len(mesh.loops)))
    mesh.loops.foreach_get("vertex_index", old_corners)
    bm = bmesh.from_edit_mesh(mesh)
    # Element wrappers hash by element, so a dict maps each vertex to its index without writing BMesh indices.
    index: dict[Any, int] = {}
    for start in range(0, len(bm.verts), _PY_SLICE):
        bm = bmesh.from_edit_mesh(mesh)
        index.update((vert, start + i) for i, vert in enumerate(bm.verts[start : start + _PY_SLICE]))
        yield Progress(1.0)
    sizes: list[int] = []
    corners: list[int] = []
    for start in range(0, len(bm.faces), _PY_SLICE // 4):
        bm = bmesh.from_edit_mesh(mesh)
        for face in bm.faces[start : start + _PY_SLICE // 4]:
            verts = face.verts
            sizes.append(len(verts))
            corners.extend(index[vert] for vert in verts)
        yield Progress(1.0)
    return editdiff.faces_rewired(old_sizes, old_corners, sizes, corners)


def _foreach_positions(mesh: Any) -> array:
    flat = array("f", bytes(12 * len(mesh.vertices)))
    mesh.vertices.foreach_get("co", flat)
    return flat


def _old_positions(mesh: Any, start: int, stop: int, stale_all: array | None) -> Any:
    """Float32 x, y, z of the Mesh's vertices ``start..stop`` (a buffer; compared right away, never kept)."""
    if stale_all is not None:
        return memoryview(stale_all)[3 * start : 3 * stop]
    view = fast.mesh_positions(mesh.vertices)  # fresh each step: the array may move between steps
    if view is None:
        return memoryview(_foreach_positions(mesh))[3 * start : 3 * stop]
    return memoryview(view)[3 * start : 3 * stop]


# --- armatures --------------------------------------------------------------------------------------------------


def _bone_state(head: Any, tail: Any, matrix: Any, parent: Any, connect: bool) -> editdiff.BoneState:
    axes = tuple(float(v) for row in matrix.to_3x3() for v in row)
    return (tuple(head), tuple(tail), axes, None if parent is None else parent.name, bool(connect))


def _armature(obj: Any, group: _Group) -> Iterator[Finding | Progress]:
    armature = obj.data
    old: dict[str, editdiff.BoneState] = {}
    new: dict[str, editdiff.BoneState] = {}
    bones, edit_bones = list(armature.bones), list(armature.edit_bones)
    total = max(1, len(bones) + len(edit_bones))
    for start in range(0, len(bones), _BONE_SLICE):
        for bone in bones[start : start + _BONE_SLICE]:
            old[bone.name] = _bone_state(
                bone.head_local, bone.tail_local, bone.matrix_local, bone.parent, bone.use_connect
            )
        yield Progress(min(1.0, (start + _BONE_SLICE) / total))
    for start in range(0, len(edit_bones), _BONE_SLICE):
        for bone in edit_bones[start : start + _BONE_SLICE]:
            new[bone.name] = _bone_state(bone.head, bone.tail, bone.matrix, bone.parent, bone.use_connect)
        yield Progress(min(1.0, (len(bones) + start + _BONE_SLICE) / total))
    diff = editdiff.diff_bones(old, new)
    name = display(group.object_name, 200)
    details = {"bones_data": len(bones), "bones_edit": len(edit_bones), **diff.as_details()}
    if diff.pending:
        yield _finding(
            group,
            "WARNING",
            editdiff.pending_message(name, diff.parts(), "Armature")
            + " (armature.bones and the pose still show the old bones)",
            details,
        )
    else:
        yield _finding(
            group,
            "INFO",
            editdiff.in_sync_message(name, "Armature", "bone heads, tails, rolls and parents"),
            details,
            pending=False,
        )


# --- curves, lattices and the rest ------------------------------------------------------------------------------


def _other(obj: Any, group: _Group) -> Iterator[Finding | Progress]:
    name = display(group.object_name, 200)
    kind = DATA_KIND.get(obj.type)
    details: dict[str, Any] = {"positions_compared": False}
    if obj.type in {"CURVE", "SURFACE"}:
        details["points_edit"] = sum(len(s.bezier_points) + len(s.points) for s in obj.data.splines)
        access = "curve.splines"
    elif obj.type == "LATTICE":
        details["points_edit"] = len(obj.data.points)
        access = "lattice.points"
    else:
        message = (
            f"{name} is in Edit Mode ({obj.type.title()}); its edits may not be written to the object data "
            "until Edit Mode is left (this type is not compared)"
        )
        yield _finding(group, "INFO", message, details, pending=None)
        return
    message = (
        f"{name} is in Edit Mode: {access} already reads the edit data, so scripts see the edits, but the "
        f"{kind} itself is written only when Edit Mode is left or synced (a copy of the {kind}, e.g. "
        f"{kind.lower()}.copy(), gets the old data); pending changes cannot be compared from Python"
    )
    details["edit_data_visible_to_python"] = True
    yield _finding(group, "INFO", message, details, pending=None)
