"""Shared set-up for benchmarks: Blender with the extension enabled from this source tree, user files in a temp dir."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from blender_session import enable_extension as _enable  # noqa: E402 - after the path entry

SCRATCH = Path(tempfile.mkdtemp(prefix="gotcha-doctor-bench-"))
atexit.register(shutil.rmtree, SCRATCH, True)  # registered before bpy's own exit handler, so it runs after it
os.environ.setdefault("BLENDER_USER_RESOURCES", str(SCRATCH / "user-resources"))
# Blender's caches (thumbnails of saved files, shader cache) stay out of the home folder, run directly or not.
os.environ.setdefault("XDG_CACHE_HOME", str(SCRATCH / "cache"))

import bpy  # noqa: E402, F401 - after BLENDER_USER_RESOURCES; re-exported to the benchmarks


def enable_extension():
    """Returns the enabled extension package (and imports bpy with user files isolated)."""
    return _enable("gdbench")


def best_of(repeats: int, function: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    """Best time in seconds over ``repeats`` runs (the least disturbed by other load): wall time, or pass
    ``clock=time.process_time`` for this process's CPU time."""
    best = float("inf")
    for _ in range(repeats):
        started = clock()
        function()
        best = min(best, clock() - started)
    return best


def best_alternating(repeats: int, *functions: Callable[[], object]) -> list[float]:
    """Best wall time in seconds of each function over ``repeats`` rounds, the functions taking turns within a
    round: a burst of load from other programs then slows both sides of a comparison, not one, so a ratio of two
    best times swings far less than with each side timed in a block of its own."""
    best = [float("inf")] * len(functions)
    for _ in range(repeats):
        for position, function in enumerate(functions):
            started = time.perf_counter()
            function()
            best[position] = min(best[position], time.perf_counter() - started)
    return best


def row(label: str, seconds: float, baseline: float | None = None) -> str:
    ratio = "" if baseline is None else f"  ({seconds / baseline:.2f}x baseline)"
    return f"  {label:<58} {seconds * 1000:9.1f} ms{ratio}"


def steps(generator: Callable[[], Iterator[Any]]) -> tuple[float, float, int]:
    """(total, longest single step, steps) for draining the generator one step at a time."""
    clock = time.perf_counter
    longest = 0.0
    count = 0
    started = clock()
    iterator = generator()
    while True:
        step_start = clock()
        try:
            next(iterator)
        except StopIteration:
            break
        longest = max(longest, clock() - step_start)
        count += 1
    return clock() - started, longest, count
