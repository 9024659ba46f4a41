"""The editmode_sync check on a 1,000,000-vertex mesh in Edit Mode with 1,000 moved vertices.

    python benchmarks/bench_editmode.py [SIDE]      (grid of SIDE x SIDE vertices, default 1000)

Baseline (same run): the naive way, a Python loop over ``mesh.vertices`` and the BMesh's vertices comparing
``co``. Also shown, for the record, the public ways to read the edit side in bulk (per-vertex ``v.co`` into an
array; the evaluated object's ``to_mesh()``, whose first call after an edit converts the whole BMesh in one
uninterruptible call), then the whole check: drained directly, and through the engine in 8 ms slices as the modal
scan runs it, with the longest single step; both with the bulk reader (where this Blender has numpy) and on the
per-vertex Python path that Blender without numpy uses (the reader switched off exactly as a missing numpy does).
Runs without numpy too (then the bulk rows are skipped).
"""

from __future__ import annotations

import itertools
import operator
import sys
import time
from array import array

from _harness import best_of, bpy, enable_extension, row

SIDE = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
MOVED = 1000
BUDGET_S = 0.008


def build_scene() -> None:
    import bmesh

    bpy.ops.wm.read_homefile(use_empty=True)
    bpy.ops.mesh.primitive_grid_add(x_subdivisions=SIDE - 1, y_subdivisions=SIDE - 1, size=10)
    obj = bpy.context.active_object
    bpy.ops.object.mode_set(mode="EDIT")
    bm = bmesh.from_edit_mesh(obj.data)
    bm.verts.ensure_lookup_table()
    step = len(bm.verts) // MOVED
    for index in range(0, step * MOVED, step):
        bm.verts[index].co.z += 0.25
    bmesh.update_edit_mesh(obj.data)


def _spread(seconds: list[float]) -> str:
    """Best and worst run: the machine may be shared, so one slow step can be someone else's load."""
    return f"{min(seconds) * 1000:.1f} ms best run, {max(seconds) * 1000:.1f} ms worst of {len(seconds)}"


def main() -> None:
    import bmesh

    gd = enable_extension()
    fast = gd.core.bmesh_fastread
    build_scene()
    obj = bpy.context.active_object
    mesh = obj.data
    check = gd.checks.editmode_sync
    findings: list = []

    def naive_loop() -> None:
        bm = bmesh.from_edit_mesh(mesh)
        moved = sum(1 for vertex, edit in zip(mesh.vertices, bm.verts, strict=True) if vertex.co != edit.co)
        assert moved == MOVED, moved

    def python_bulk() -> None:
        bm = bmesh.from_edit_mesh(mesh)
        co = array("f", itertools.chain.from_iterable(map(operator.attrgetter("co"), bm.verts)))
        old = array("f", bytes(12 * len(mesh.vertices)))
        mesh.vertices.foreach_get("co", old)
        tally = gd.core.editdiff.MoveTally()
        tally.add(old, co)
        assert tally.moved == MOVED

    def evaluated_to_mesh() -> None:
        # A fresh depsgraph evaluation each time (a scan sees the mesh right after an edit, not yet converted).
        bm = bmesh.from_edit_mesh(mesh)
        bm.verts[0].co.x += 0.0
        bmesh.update_edit_mesh(mesh)
        evaluated = obj.evaluated_get(bpy.context.evaluated_depsgraph_get())
        temp = evaluated.to_mesh()
        co = array("f", bytes(12 * len(temp.vertices)))
        temp.vertices.foreach_get("co", co)
        evaluated.to_mesh_clear()

    def drain() -> None:
        findings[:] = [i for i in check.run(bpy.data, bpy.context) if isinstance(i, gd.core.findings.Finding)]

    longest: list[float] = []
    slices: list[int] = []

    def engine_sliced(after_edit: bool = False) -> None:
        if after_edit:  # an edit leaves the BMesh lookup table dirty: the scan rebuilds it in one C call
            bmesh.from_edit_mesh(mesh)
            bmesh.update_edit_mesh(mesh, destructive=True)
        engine = gd.runner.make_engine([check.INFO.id])
        count = 1
        while not engine.step(BUDGET_S):
            count += 1
        slices.append(count)
        longest.append(engine.longest_step_s)

    def step_stats() -> str:
        # Every generator step timed on its own (what decides whether one modal tick can overrun its budget): wall
        # time, and this thread's CPU time, which a shared machine's other load does not inflate.
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(3):
            engine = gd.runner.make_engine([check.INFO.id])
            while not engine.done:
                started, started_cpu = time.perf_counter(), time.thread_time()
                engine._advance()
                wall.append(time.perf_counter() - started)
                cpu.append(time.thread_time() - started_cpu)

        def spread(values: list[float]) -> str:
            values = sorted(values)
            p50, p90 = values[len(values) // 2], values[int(len(values) * 0.9)]
            return f"median {p50 * 1000:.1f} / p90 {p90 * 1000:.1f} / max {values[-1] * 1000:.1f} ms"

        return f"single check steps over 3 scans ({len(wall)}): wall {spread(wall)}; CPU {spread(cpu)}"

    def whole_check(label: str, repeats: int) -> None:
        whole = best_of(repeats, drain)
        print(row(f"the whole check, drained directly ({label})", whole, baseline))
        cpu = best_of(repeats, drain, clock=time.process_time)
        print(row(f"  the same, this process's CPU time ({label})", cpu, baseline))
        slices.clear()
        longest.clear()
        sliced = best_of(repeats, engine_sliced)
        print(row(f"the whole check in {BUDGET_S * 1000:.0f} ms engine slices ({label})", sliced, baseline))
        print(
            f"  speed-up over the naive loop: {baseline / whole:.1f}x; slices: {slices[-1]}; "
            f"longest single step per run: {_spread(longest)} (budget {BUDGET_S * 1000:.0f} ms)"
        )
        print("  " + step_stats())
        [finding] = findings
        print(f"  finding: {finding.severity} {finding.message}  (edit side read: {finding.details['edit_read']})")

    count = len(mesh.vertices)
    print(
        f"editmode_sync on a {count:,}-vertex grid in Edit Mode, {MOVED:,} vertices moved, "
        f"Blender {bpy.app.version_string}, Python {sys.version.split()[0]}, numpy "
        f"{'available' if fast.numpy_available() else 'NOT available'}, bulk reader "
        f"{'verified for this version' if fast.version_verified(bpy.app.version) else 'not verified here'}"
    )
    baseline = best_of(1, naive_loop)
    print(row("baseline: Python loop over mesh.vertices and bm.verts", baseline))
    print(row("public API: per-vertex v.co into an array + foreach_get", best_of(2, python_bulk), baseline))
    print(row("public API: evaluated to_mesh(), first call after an edit", best_of(2, evaluated_to_mesh), baseline))
    if fast.can_gather(bpy.app.version):
        whole_check("bulk reader", 5)
        longest.clear()
        after_edit = best_of(5, lambda: engine_sliced(after_edit=True))
        print(row("bulk reader in slices right after an edit (incl. update_edit_mesh)", after_edit, baseline))
        print(f"  longest single step per run right after an edit: {_spread(longest)} (lookup table rebuilt)")
    # The Python path, exactly as in a Blender without numpy: the reader module sees no numpy.
    numpy_module, fast.np = fast.np, None
    try:
        whole_check("per-vertex Python path, as without numpy", 2)
    finally:
        fast.np = numpy_module
    started = time.perf_counter()
    obj.update_from_editmode()
    print(row("for the record: the sync fix, update_from_editmode()", time.perf_counter() - started, baseline))


if __name__ == "__main__":
    main()
