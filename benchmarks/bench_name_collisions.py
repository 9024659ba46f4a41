"""The library_name_collisions check on 100,000 empty objects: total time and longest single step.

    python benchmarks/bench_name_collisions.py [COUNT]        (default 100000)

Two files: COUNT local empty objects alone (no library: nothing can collide), and the same with a library linking
10 objects, each with a local twin (10 findings), so the check must read every name. Baselines, same run: a plain
Python loop reading every object's name and library in one go (no slicing: the least any walk can cost, but one
step), and the check's previous walk (a slice of 250 datablocks per step, each slice taken from the collection's
head: quadratic).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from _harness import SCRATCH, best_of, bpy, enable_extension, row, steps

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
TWINS = [f"Twin_{i}" for i in range(10)]
BUDGET_S = 0.008


def build(with_library: bool) -> None:
    bpy.ops.wm.read_homefile(use_empty=True)
    if with_library:
        for name in TWINS:
            bpy.context.scene.collection.objects.link(bpy.data.objects.new(name, None))
        bpy.ops.wm.save_as_mainfile(filepath=str(SCRATCH / "lib.blend"))
        bpy.ops.wm.read_homefile(use_empty=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(SCRATCH / "main.blend"))
    objects = bpy.data.objects
    for number in range(COUNT):
        objects.new(f"Empty_{number:06d}", None)
    if with_library:
        with bpy.data.libraries.load(str(SCRATCH / "lib.blend"), link=True) as (_source, target):
            target.objects = list(TWINS)
        for obj in target.objects:
            bpy.context.scene.collection.objects.link(obj)
        for name in TWINS:
            objects.new(name, None)


def naive_loop() -> None:
    owners: dict[str, list[Any]] = {}
    for obj in bpy.data.objects:
        library = obj.library
        owners.setdefault(obj.name, []).append(None if library is None else library.filepath)


def previous_walk() -> Iterator[float]:
    """The check's former walk over objects: a slice from the head and len() for every 250 datablocks."""
    collection = bpy.data.objects
    owners: dict[str, list[Any]] = {}
    for start in range(0, len(collection), 250):
        for datablock in collection[start : start + 250]:
            library = datablock.library
            owners.setdefault(datablock.name, []).append(None if library is None else library.filepath)
        yield start / len(collection)  # its progress fraction asked len() each time


def main() -> None:
    gd = enable_extension()
    check = gd.checks.library_name_collisions
    finding_type = gd.core.findings.Finding
    print(f"library_name_collisions, {COUNT:,} empty objects, Blender {bpy.app.version_string}")
    for with_library in (False, True):
        build(with_library)
        expected = len(TWINS) if with_library else 0
        found = [f for f in check.run(bpy.data, bpy.context) if isinstance(f, finding_type)]
        assert len(found) == expected, len(found)
        label = "with a library, 10 twins" if with_library else "no library"
        print(f" {label}:")
        baseline = best_of(3, naive_loop)
        print(row("baseline: plain loop over name and library, one step", baseline))
        old_total, old_longest, old_steps = min(steps(previous_walk) for _ in range(2))
        print(row(f"previous walk ({old_steps} steps, longest {old_longest * 1000:.1f} ms)", old_total, baseline))
        new_total, new_longest, new_steps = min(steps(lambda: check.run(bpy.data, bpy.context)) for _ in range(3))
        print(row(f"the check ({new_steps} steps, longest {new_longest * 1000:.2f} ms)", new_total, baseline))
        print(
            f"  check vs previous walk: {old_total / max(new_total, 1e-6):.0f}x faster; longest step "
            f"{new_longest * 1000:.2f} ms (budget {BUDGET_S * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    main()
