"""The path checks of two versions of this repository side by side in one process, next to the C operator.

    python benchmarks/bench_paths_ab.py [REVISION [COUNT ...]] [--rounds N]    (defaults: HEAD, 10000)

REVISION (any git revision, e.g. the commit before a change) is exported with ``git archive`` into a temporary
folder and enabled as a second extension next to this working tree; files are generated as in
``bench_paths.py`` (half missing, then nothing missing). Each round times ``report_missing_files()``, then the
old and the new checks through their own scan engine, alternating, so the machine's changing load hits all three
alike: on a busy machine this compares far more fairly than two separate benchmark runs. Prints the best wall
time and process CPU time of each, and the ratios to the C operator.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from _harness import SCRATCH, bpy, enable_extension
from bench_paths import CHECKS, build, quiet_stdout

REPO = Path(__file__).resolve().parents[1]


def import_tree(tree: Path, name: str) -> ModuleType:
    """Imports the extension package found in ``tree`` as ``name``, without registering it (its classes would
    clash with the enabled one's); its scan engine and checks need no registration."""
    spec = importlib.util.spec_from_file_location(name, tree / "__init__.py", submodule_search_locations=[str(tree)])
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    importlib.import_module(f"{name}.runner")
    return package


def export(revision: str) -> Path:
    target = SCRATCH / "old_tree"
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def best(repeats: int, function: Callable[[], object], clock: Callable[[], float]) -> float:
    fastest = float("inf")
    for _ in range(repeats):
        started = clock()
        function()
        fastest = min(fastest, clock() - started)
    return fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # Default HEAD: the working tree against its last commit (an A/A run on a clean tree: the noise floor).
    parser.add_argument("revision", nargs="?", default="HEAD")
    parser.add_argument("counts", nargs="*", type=int, default=[10_000])
    parser.add_argument("--rounds", type=int, default=0, help="rounds (default: 6 up to 20,000 images, else 3)")
    args = parser.parse_args()
    new = enable_extension()
    old = import_tree(export(args.revision), "gotcha_doctor_bench_old")
    print(f"Path checks, {args.revision} vs this working tree, Blender {bpy.app.version_string}")
    for count in args.counts:
        for present in (False, True):
            bpy.ops.wm.open_mainfile(filepath=build(count, present))
            rounds = args.rounds or (6 if count <= 20_000 else 3)

            def c_operator() -> None:
                with quiet_stdout():
                    bpy.ops.file.report_missing_files()

            runs: dict[str, Callable[[], object]] = {
                "C operator": c_operator,
                args.revision: lambda: old.runner.make_engine(CHECKS).run_to_end(),
                "working tree": lambda: new.runner.make_engine(CHECKS).run_to_end(),
            }
            wall = {label: float("inf") for label in runs}
            cpu = dict(wall)
            for _ in range(rounds):
                for label, function in runs.items():
                    wall[label] = min(wall[label], best(1, function, time.perf_counter))
                    cpu[label] = min(cpu[label], best(1, function, time.process_time))
            what = "nothing missing" if present else "half missing"
            print(f"\n{count:,} images ({what}), best of {rounds} alternating rounds")
            for label in runs:
                print(
                    f"  {label:<24} wall {wall[label] * 1000:8.1f} ms ({wall[label] / wall['C operator']:.2f}x)"
                    f"   CPU {cpu[label] * 1000:8.1f} ms ({cpu[label] / cpu['C operator']:.2f}x)"
                )


if __name__ == "__main__":
    try:
        main()
    finally:
        for folder in [*SCRATCH.glob("paths_*"), SCRATCH / "old_tree"]:
            shutil.rmtree(folder, ignore_errors=True)
