"""The editmode_sync check on a 1,000,000-vertex mesh in Edit Mode with 1,000 moved vertices.

    python benchmarks/bench_editmode.py [SIDE]      (grid of SIDE x SIDE vertices, default 1000)

Baseline (same run): the naive way, a Python loop over ``mesh.vertices`` and the BMesh's vertices comparing
``co``. Also shown, for the record, the other ways to read the edit side in bulk (per-vertex ``v.co`` into numpy;
the evaluated object's ``to_mesh()``, whose first call converts the BMesh), then the whole check (drained
directly, and through the engine in 8 ms slices as the modal scan runs it, with the longest single step).
"""

from __future__ import annotations

import itertools
import operator
import sys
import time

import numpy as np
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
        co = np.fromiter(itertools.chain.from_iterable(map(operator.attrgetter("co"), bm.verts)), np.float32)
        old = np.empty(len(mesh.vertices) * 3, np.float32)
        mesh.vertices.foreach_get("co", old)
        assert int(np.any(co.reshape(-1, 3) != old.reshape(-1, 3), axis=1).sum()) == MOVED

    def evaluated_to_mesh() -> None:
        # A fresh depsgraph evaluation each time (a scan sees the mesh right after an edit, not yet converted).
        bm = bmesh.from_edit_mesh(mesh)
        bm.verts[0].co.x += 0.0
        bmesh.update_edit_mesh(mesh)
        evaluated = obj.evaluated_get(bpy.context.evaluated_depsgraph_get())
        temp = evaluated.to_mesh()
        co = np.empty(len(temp.vertices) * 3, np.float32)
        temp.attributes["position"].data.foreach_get("vector", co)
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

    count = len(mesh.vertices)
    print(
        f"editmode_sync on a {count:,}-vertex grid in Edit Mode, {MOVED:,} vertices moved, "
        f"Blender {bpy.app.version_string}"
    )
    baseline = best_of(1, naive_loop)
    print(row("baseline: Python loop over mesh.vertices and bm.verts", baseline))
    print(row("per-vertex v.co into numpy + foreach_get (for the record)", best_of(2, python_bulk), baseline))
    print(
        row("evaluated to_mesh(), first call after an edit (for the record)", best_of(2, evaluated_to_mesh), baseline)
    )
    whole = best_of(5, drain)
    print(row("the whole check, drained directly (EXEC / CLI)", whole, baseline))
    sliced = best_of(5, engine_sliced)
    print(row(f"the whole check in {BUDGET_S * 1000:.0f} ms engine slices (modal scan, no ticks)", sliced, baseline))
    print(
        f"  speed-up over the naive loop: {baseline / whole:.0f}x; slices: {slices[-1]}; "
        f"longest single step per run: {_spread(longest)} (budget {BUDGET_S * 1000:.0f} ms)"
    )
    longest.clear()
    after_edit = best_of(5, lambda: engine_sliced(after_edit=True))
    print(row("the check in slices after an edit (timing includes update_edit_mesh)", after_edit, baseline))
    print(
        f"  longest single step per run right after an edit: {_spread(longest)} "
        "(the step that rebuilds the lookup table is one C call)"
    )
    step_times: list[float] = []
    for _ in range(5):
        # Every generator step timed on its own (what decides whether one modal tick can overrun its budget).
        engine = gd.runner.make_engine([check.INFO.id])
        while not engine.done:
            started = time.perf_counter()
            engine._advance()
            step_times.append(time.perf_counter() - started)
    step_times.sort()
    p50, p90 = step_times[len(step_times) // 2], step_times[int(len(step_times) * 0.9)]
    print(
        f"  single check steps over 5 scans ({len(step_times)}): median {p50 * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms, "
        f"max {step_times[-1] * 1000:.1f} ms (on a loaded machine the max includes being descheduled)"
    )
    [finding] = findings
    print(f"  finding: {finding.severity} {finding.message}  (edit side read: {finding.details['edit_read']})")
    started = time.perf_counter()
    obj.update_from_editmode()
    print(row("for the record: the sync fix, update_from_editmode()", time.perf_counter() - started, baseline))


if __name__ == "__main__":
    main()
