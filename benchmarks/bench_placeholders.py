"""relative_paths' search for placeholders (linked datablocks renamed or deleted in their library) in a big file.

    python benchmarks/bench_placeholders.py [COUNT]        (default 100000)

A file of COUNT local images that links 10 objects from a library, 3 of which were renamed there since: Blender
keeps an empty placeholder for each (``ID.is_missing``). Only a file that links something pays for the search.
Baseline, same run: a plain Python loop over every datablock of every collection reading ``library`` and
``is_missing`` (a wrapper each, one step). Timed: the check's search (the flag read in bulk with ``foreach_get``,
a collection per step), and the whole relative_paths check on the same file for scale.
"""

from __future__ import annotations

import sys

from _harness import SCRATCH, best_of, bpy, enable_extension, row, steps

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
LINKED = [f"Prop_{i}" for i in range(10)]
RENAMED = LINKED[:3]


def build() -> None:
    bpy.ops.wm.read_homefile(use_empty=True)
    for name in LINKED:
        bpy.context.scene.collection.objects.link(bpy.data.objects.new(name, None))
    library = SCRATCH / "props.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(library))
    bpy.ops.wm.read_homefile(use_empty=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(SCRATCH / "placeholders.blend"))
    with bpy.data.libraries.load(str(library), link=True) as (_source, target):
        target.objects = list(LINKED)
    for obj in target.objects:
        bpy.context.scene.collection.objects.link(obj)
    images = bpy.data.images
    for number in range(COUNT):
        image = images.new(f"img{number:06d}", 1, 1)
        image.use_fake_user = True
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.open_mainfile(filepath=str(library))
    for name in RENAMED:
        bpy.data.objects[name].name = name + "_renamed"
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.open_mainfile(filepath=str(SCRATCH / "placeholders.blend"))


def naive_loop(collections: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for attr in collections:
        for datablock in getattr(bpy.data, attr):
            library = datablock.library
            if library is not None and datablock.is_missing:
                found.setdefault(library.name, []).append(f"{datablock.id_type}:{datablock.name}")
    return found


def main() -> None:
    gd = enable_extension()
    check = gd.checks.relative_paths
    collections = [
        attr
        for attr in gd.core.datablocks.COLLECTION_BY_ID_TYPE.values()
        if attr != "libraries" and getattr(bpy.data, attr, None) is not None
    ]
    build()
    expected = {"props.blend": sorted(f"OBJECT:{name}" for name in RENAMED)}
    searched: dict[str, list[str]] = {}
    for _step in check._find_placeholders(bpy.data, set(), searched):
        pass
    assert searched == expected and naive_loop(collections) == {"props.blend": expected["props.blend"]}, searched
    print(f"relative_paths' placeholder search, {COUNT:,} images + a library, Blender {bpy.app.version_string}")
    baseline = best_of(3, lambda: naive_loop(collections))
    print(row("baseline: plain loop, a wrapper per datablock, one step", baseline))
    total, longest, count = min(steps(lambda: check._find_placeholders(bpy.data, set(), {})) for _ in range(5))
    print(row(f"the search ({count} steps, longest {longest * 1000:.1f} ms)", total, baseline))
    whole = best_of(3, lambda: gd.runner.make_engine(["relative_paths"]).run_to_end())
    print(row("the whole relative_paths check on this file, for scale", whole, baseline))
    print(f"  search vs plain loop: {baseline / max(total, 1e-6):.1f}x faster; {total / whole:.0%} of the check")


if __name__ == "__main__":
    main()
