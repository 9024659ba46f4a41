"""Many files: ``scan TREE --jobs N`` against blender-asset-tracer's ``bat list`` over the same files with the same
number of processes, side by side in one run; throughput from 1 to N jobs; memory of one worker over thousands of
files.

    python3 tools/dev.py bench bench_batch [--files 300] [--jobs 2] [--memory-files 3000]

The tree is generated here with the bpy module (varied real files: meshes with modifiers, materials with present and
missing textures, linked libraries, particle systems, text blocks, compressed files), in a temporary folder removed
at the end. BAT runs from its own venv (requirements/bat.txt; ``tools/dev.py`` makes it). Both sides are timed end
to end (process start-up included), alternating, best of ``--repeats``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import _harness
from _harness import bpy

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import dev  # noqa: E402 - tools/dev.py makes the BAT venv


def build_tree(root: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` varied .blend files under ``root`` (a few folders deep) and a shared library they link from."""
    rng = random.Random(seed)
    (root / "textures").mkdir(parents=True)
    for i in range(8):
        (root / "textures" / f"tex{i}.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # present (not decoded by either tool)
    bpy.ops.wm.read_homefile(use_empty=True)
    for i in range(4):
        mesh = bpy.data.meshes.new(f"LibMesh{i}")
        mesh.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
        obj = bpy.data.objects.new(f"Prop{i}", mesh)
        bpy.context.scene.collection.objects.link(obj)
    library = root / "lib" / "props.blend"
    library.parent.mkdir()
    bpy.ops.wm.save_as_mainfile(filepath=str(library), compress=False)
    files = [library]
    for index in range(count - 1):
        bpy.ops.wm.read_homefile(use_empty=True)
        folder = root / f"show{index % 3}" / f"seq{index % 7:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"shot{index:04d}.blend"
        bpy.ops.wm.save_as_mainfile(filepath=str(path), compress=False)  # saved first: "//" paths are relative
        for o in range(rng.randint(1, 30)):
            bpy.ops.mesh.primitive_uv_sphere_add(segments=rng.choice((8, 16, 32)), ring_count=rng.choice((6, 12)))
            obj = bpy.context.object
            obj.name = f"Obj{o}"
            if rng.random() < 0.4:
                obj.modifiers.new("Subsurf", "SUBSURF")
            if rng.random() < 0.2:
                obj.modifiers.new("Array", "ARRAY")
            material = bpy.data.materials.new(f"Mat{o}")
            material.use_nodes = True
            node = material.node_tree.nodes.new("ShaderNodeTexImage")
            image = bpy.data.images.new(f"img{o}.png", 1, 1)
            image.source = "FILE"
            present = rng.random() < 0.8
            image.filepath = f"//../../textures/tex{o % 8}.png" if present else f"//textures/missing{o}.png"
            node.image = image
            obj.data.materials.append(material)
        if rng.random() < 0.3:
            rel = os.path.relpath(library, folder)
            with bpy.data.libraries.load(str(library), link=True, relative=True) as (source, target):
                target.objects = list(source.objects[: rng.randint(1, 4)])
            for obj in target.objects:
                bpy.context.scene.collection.objects.link(obj)
            assert rel
        if rng.random() < 0.15:
            bpy.ops.mesh.primitive_ico_sphere_add()
            emitter = bpy.context.object
            emitter.modifiers.new("Particles", "PARTICLE_SYSTEM")
            emitter.particle_systems[0].settings.count = 50
        if rng.random() < 0.2:
            text = bpy.data.texts.new("rig_ui.py")
            text.write("import bpy\n" * rng.randint(1, 50))
        bpy.ops.wm.save_as_mainfile(filepath=str(path), compress=rng.random() < 0.25)
        files.append(path)
    bpy.ops.wm.read_homefile(use_empty=True)
    for backup in root.rglob("*.blend1"):
        backup.unlink()
    return files


def ours(tree: Path, jobs: int, out: Path) -> tuple[float, dict]:
    env = dict(os.environ, GOTCHA_DOCTOR_SCAN_CACHE=str(out.parent / "cache"))
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "gotcha_cli.py"), "scan", str(tree), "--jobs", str(jobs), "--no-cache",
         "--json", str(out), "--fail-on", "never"],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    return seconds, json.loads(out.read_text("utf-8"))["summary"]


def bat_list(bat: str, files: list[Path], jobs: int) -> tuple[float, int]:
    """``bat list FILE`` for every file, ``jobs`` at a time; returns (seconds, how many exited 0)."""

    def one(path: Path) -> int:
        return subprocess.run([bat, "list", str(path)], capture_output=True).returncode

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        codes = list(pool.map(one, files))
    return time.perf_counter() - started, sum(1 for c in codes if c == 0)


def worker_memory(gd, files: list[Path], total: int, every: int) -> list[tuple[int, float]]:
    """RSS (MB) of one Blender worker after every ``every`` files, over ``total`` files (the tree repeated)."""
    pool = importlib.import_module(gd.__name__ + ".core.pool")
    paths = [str(files[i % len(files)]) for i in range(total)]
    launcher = [sys.executable, str(REPO / "tools" / "gotcha_cli.py"), "worker"]
    samples: list[tuple[int, float]] = []
    done = [0]

    def rss_of_children() -> float:
        me = str(os.getpid())
        worst = 0.0
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == me and "VmRSS" in fields:
                worst = max(worst, int(fields["VmRSS"].split()[0]) / 1024)
        return worst

    def on_result(_result: object) -> None:
        done[0] += 1
        if done[0] == 1 or done[0] % every == 0:
            samples.append((done[0], rss_of_children()))

    pool.run_pool(paths, pool.PoolConfig(launcher, jobs=1, timeout=300), on_result=on_result)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--memory-files", type=int, default=3000)
    args = parser.parse_args()
    gd = _harness.enable_extension()
    work = _harness.SCRATCH / "bench-batch"
    tree = work / "tree"
    try:
        started = time.perf_counter()
        files = build_tree(tree, args.files)
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"tree: {len(files)} .blend files, {size:.0f} MB, built in {time.perf_counter() - started:.0f} s")
        bat = str(dev.venv_python("bat").parent / "bat")
        out = work / "batch.json"
        best_ours, best_bat, summary, bat_ok = float("inf"), float("inf"), {}, 0
        for _ in range(args.repeats):  # alternating, so both see the same machine load
            seconds, bat_ok = bat_list(bat, files, args.jobs)
            best_bat = min(best_bat, seconds)
            seconds, summary = ours(tree, args.jobs, out)
            best_ours = min(best_ours, seconds)
        n = len(files)
        print(f"\n{n} files, {args.jobs} processes each, best of {args.repeats}, wall time incl. start-up:")
        print(f"  gotcha_doctor scan --jobs {args.jobs}: {best_ours:6.1f} s  {n / best_ours:6.1f} files/s  "
              f"({summary['ok']} ok, {summary['unreadable']} unreadable, {sum(summary['findings'].values())} findings)")  # fmt: skip
        print(
            f"  bat list, {args.jobs} at a time:      {best_bat:6.1f} s  {n / best_bat:6.1f} files/s  ({bat_ok} exit 0)"
        )
        print(f"  throughput ratio: {best_bat / best_ours:.1f}x bat list (target >= 3x)")
        print("\nthroughput from 1 job up:")
        base = None
        for jobs in sorted({1, 2, args.jobs, 4}):
            seconds, _summary = ours(tree, jobs, out)
            base = base or seconds
            print(f"  --jobs {jobs}: {seconds:6.1f} s  {n / seconds:6.1f} files/s  ({base / seconds:.2f}x --jobs 1)")
        if args.memory_files:
            print(f"\none worker's memory over {args.memory_files} files (the tree repeated):")
            started = time.perf_counter()
            samples = worker_memory(gd, files, args.memory_files, max(1, args.memory_files // 10))
            elapsed = time.perf_counter() - started
            print("  " + ", ".join(f"{count}: {mb:.0f} MB" for count, mb in samples))
            print(f"  {args.memory_files / elapsed:.1f} files/s in one worker ({elapsed:.0f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
