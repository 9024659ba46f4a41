"""How much the time-sliced engine costs, and whether its slices fit the modal budget.

Scene: N linked objects, each with a local twin of the same name (N library-name-collision findings).
Baseline (same run): the check's generator drained directly, no engine. Then the engine run to the end, and the
engine in 8 ms slices as the modal scan runs it (slices counted, longest single step measured).
"""

from __future__ import annotations

import sys
import time

from _harness import SCRATCH, best_of, bpy, enable_extension, row

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
BUDGET_S = 0.008


def build_scene() -> None:
    names = [f"Rock_{i:05d}" for i in range(COUNT)]
    bpy.ops.wm.read_homefile(use_empty=True)
    for name in names:
        bpy.context.scene.collection.objects.link(bpy.data.objects.new(name, None))
    library = SCRATCH / "lib.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(library))
    bpy.ops.wm.read_homefile(use_empty=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(SCRATCH / "main.blend"))
    with bpy.data.libraries.load(str(library), link=True) as (_source, target):
        target.objects = names
    for obj in target.objects:
        bpy.context.scene.collection.objects.link(obj)
        bpy.context.scene.collection.objects.link(bpy.data.objects.new(obj.name, None))


def main() -> None:
    gd = enable_extension()
    build_scene()
    check = gd.checks.library_name_collisions

    def drain() -> None:
        findings = [item for item in check.run(bpy.data, bpy.context) if isinstance(item, gd.core.findings.Finding)]
        assert len(findings) == COUNT, len(findings)

    def engine_to_end() -> None:
        assert len(gd.runner.make_engine([check.INFO.id]).run_to_end()) == COUNT

    slices: list[int] = []
    step_times: list[float] = []

    def engine_sliced() -> None:
        engine = gd.runner.make_engine([check.INFO.id])
        count = 1
        while not engine.step(BUDGET_S):
            count += 1
        slices.append(count)

    def single_steps() -> None:
        # Every generator step timed on its own: what decides whether one modal tick can overrun its budget.
        engine = gd.runner.make_engine([check.INFO.id])
        clock = time.perf_counter
        while not engine.done:
            started = clock()
            engine._advance()
            step_times.append(clock() - started)

    baseline = best_of(5, drain)
    print(f"library_name_collisions on {COUNT:,} collisions ({2 * COUNT:,} objects), Blender {bpy.app.version_string}")
    print(row("baseline: generator drained directly, no engine", baseline))
    print(row("engine, run to the end (EXEC / CLI)", best_of(5, engine_to_end), baseline))
    print(
        row(
            f"engine in {BUDGET_S * 1000:.0f} ms slices (modal scan, ticks not included)",
            best_of(5, engine_sliced),
            baseline,
        )
    )
    best_of(3, single_steps)
    step_times.sort()
    p50, p99 = step_times[len(step_times) // 2], step_times[int(len(step_times) * 0.99)]
    print(
        f"  {min(slices)} slices; single check steps ({len(step_times):,}): median {p50 * 1000:.3f} ms, "
        f"p99 {p99 * 1000:.3f} ms, max {step_times[-1] * 1000:.2f} ms (budget {BUDGET_S * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
