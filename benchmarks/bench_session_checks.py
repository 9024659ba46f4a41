"""The session checks under load: every generator step timed against the modal scan's 8 ms budget.

Session: ADDONS extensions enabled from source (each one module with a few hundred globals, a class with
attributes, a list holding 50 Objects, a persistent handler with a closure, a timer function), DATABLOCKS datablocks
(empty objects and meshes, some names at the limit) and LINKED objects linked from a library file, of which some were
changed by Python after linking.

Figures per check: steps, median / 99th percentile / longest step, total. Baseline (same run): the same reading
done naively in one go (no slicing, no safety rules): ``[name for name in collection.keys()]`` over every
collection for the names; ``vars(module)`` of every add-on module plus ``isinstance`` on each value for the held
references; and for the library comparison the child process alone (``subprocess.run`` of a bare ``import bpy``).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time

from _harness import SCRATCH, bpy, enable_extension, row

ADDONS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
DATABLOCKS = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
LINKED = int(sys.argv[3]) if len(sys.argv) > 3 else 2_000
BUDGET_S = 0.008

ADDON_SOURCE = """\
import bpy

SETTINGS = {{f"key_{{i}}": i for i in range(200)}}
NAMES = [f"name_{{i}}" for i in range(300)]
HELD = []
{globals}


class BENCH{index}_Cache:
    size = 10
    label = "cache"
    table = {{"a": 1, "b": [1, 2, 3]}}


def tick():
    return 1.0


def make_handler(obj):
    @bpy.app.handlers.persistent
    def on_frame(scene, depsgraph=None):
        obj.name
    return on_frame


def register():
    objects = bpy.data.objects
    start = ({index} * 50) % max(1, len(objects) - 50)
    HELD.extend(objects[start : start + 50])
    if HELD:
        bpy.app.handlers.frame_change_post.append(make_handler(HELD[0]))
    bpy.app.timers.register(tick, first_interval=3600.0)


def unregister():
    pass
"""

MANIFEST = """\
schema_version = "1.0.0"
id = "bench_addon_{index:03d}"
version = "1.0.0"
name = "bench_addon_{index:03d}"
tagline = "Benchmark add-on"
maintainer = "bench"
type = "add-on"
blender_version_min = "4.2.0"
license = ["SPDX:GPL-3.0-or-later"]
"""


def build_session() -> None:
    import addon_utils

    started = time.perf_counter()
    bpy.ops.wm.read_homefile(use_empty=True)
    library = SCRATCH / "lib.blend"
    for index in range(LINKED):
        bpy.context.scene.collection.objects.link(bpy.data.objects.new(f"Linked_{index:05d}", None))
    bpy.ops.wm.save_as_mainfile(filepath=str(library))
    bpy.ops.wm.read_homefile(use_empty=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(SCRATCH / "main.blend"))
    with bpy.data.libraries.load(str(library), link=True, relative=True) as (_source, target):
        target.objects = [f"Linked_{index:05d}" for index in range(LINKED)]
    for obj in target.objects:
        bpy.context.scene.collection.objects.link(obj)
    for obj in target.objects[::100]:
        obj.location.x = 1.0  # changed by Python: 1 in 100 linked objects
    half = DATABLOCKS // 2
    for index in range(half):
        bpy.data.objects.new(f"Object_{index:06d}", None)
    for index in range(DATABLOCKS - half):
        bpy.data.meshes.new(f"Mesh_{index:06d}")
    for index in range(20):
        bpy.data.meshes.new(f"{index:02d}_" + "x" * 300)  # cut at the limit
    print(f"  datablocks built in {time.perf_counter() - started:.1f} s", flush=True)

    repo = SCRATCH / "bench-repo"
    for index in range(ADDONS):
        folder = repo / f"bench_addon_{index:03d}"
        folder.mkdir(parents=True)
        extra = "\n".join(f"VALUE_{n} = {n}" for n in range(100))
        (folder / "__init__.py").write_text(ADDON_SOURCE.format(index=index, globals=extra), encoding="utf-8")
        (folder / "blender_manifest.toml").write_text(MANIFEST.format(index=index), encoding="utf-8")
    bpy.context.preferences.extensions.repos.new(
        name="benchrepo", module="benchrepo", custom_directory=str(repo), source="USER"
    )
    for index in range(ADDONS):
        addon_utils.enable(f"bl_ext.benchrepo.bench_addon_{index:03d}", default_set=True, handle_error=_raise)
    print(f"  {ADDONS} add-ons enabled, session ready in {time.perf_counter() - started:.1f} s", flush=True)


def _raise(error: BaseException) -> None:
    raise error


def time_steps(gd, module) -> tuple[list[float], list[float], int]:
    """Each generator step timed on its own, as the engine runs it: wall time (what the modal budget counts, including
    time the process is descheduled on a loaded machine) and this thread's CPU time."""
    steps: list[float] = []
    cpu: list[float] = []
    findings = 0
    generator = module.run(bpy.data, bpy.context)
    clock, cpu_clock = time.perf_counter, time.thread_time
    while True:
        started, cpu_started = clock(), cpu_clock()
        try:
            item = next(generator)
        except StopIteration:
            steps.append(clock() - started)
            cpu.append(cpu_clock() - cpu_started)
            break
        steps.append(clock() - started)
        cpu.append(cpu_clock() - cpu_started)
        findings += isinstance(item, gd.core.findings.Finding)
    return steps, cpu, findings


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def naive_names() -> None:
    for attr in dir(bpy.data):
        collection = getattr(bpy.data, attr, None)
        if isinstance(collection, bpy.types.bpy_prop_collection):
            [len(name.encode()) for name in collection.keys()]


def naive_globals() -> None:
    for name, module in list(sys.modules.items()):
        if name.startswith("bl_ext.benchrepo."):
            for value in vars(module).values():
                isinstance(value, bpy.types.bpy_struct)
                if isinstance(value, list):
                    for item in value:
                        isinstance(item, bpy.types.bpy_struct)


def bare_child() -> None:
    subprocess.run([sys.executable, "-c", "import bpy"], capture_output=True, check=True)


def main() -> None:
    gd = enable_extension()
    print(f"bpy {bpy.app.version_string}: {ADDONS} add-ons, {DATABLOCKS:,} datablocks, {LINKED:,} linked objects")
    build_session()
    baselines = {
        "name_limits": ("naive: every name's bytes, collection.keys(), one go", naive_names),
        "held_references": ("naive: vars() of the add-on modules + isinstance, one go", naive_globals),
        "library_data_modified": ("the child process alone (python -c 'import bpy')", bare_child),
    }
    for module in gd.checks.ALL_CHECKS:
        if module.INFO.id not in {
            "name_limits",
            "threads",
            "held_references",
            "handlers_timers",
            "addon_code",
            "library_data_modified",
        }:
            continue
        steps, cpu, findings = time_steps(gd, module)
        over = sum(1 for step in steps if step > BUDGET_S)
        print(
            f"{module.INFO.id}: {len(steps):,} steps, {findings:,} findings; step wall median "
            f"{statistics.median(steps) * 1000:.3f} ms, p99 {_p99(steps) * 1000:.2f} ms, longest "
            f"{max(steps) * 1000:.2f} ms ({over} over {BUDGET_S * 1000:.0f} ms); step CPU p99 {_p99(cpu) * 1000:.2f} ms, "
            f"longest {max(cpu) * 1000:.2f} ms"
        )
        total = sum(steps)
        baseline = baselines.get(module.INFO.id)
        if baseline is not None:
            label, function = baseline
            started = time.perf_counter()
            function()
            reference = time.perf_counter() - started
            print(row(f"{module.INFO.id} total (wall, sum of steps)", total, reference))
            print(row(label, reference))
        else:
            print(row(f"{module.INFO.id} total (wall, sum of steps)", total))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
