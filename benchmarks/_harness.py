"""Shared set-up for benchmarks: Blender with the extension enabled from this source tree, user files in a temp dir."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRATCH = Path(tempfile.mkdtemp(prefix="gotcha-doctor-bench-"))
os.environ.setdefault("BLENDER_USER_RESOURCES", str(SCRATCH / "user-resources"))

import bpy  # noqa: E402 - after BLENDER_USER_RESOURCES

MODULE = "bl_ext.gdbench.gotcha_doctor"


def _raise(error: BaseException) -> None:
    raise error


def enable_extension():
    """Returns the enabled extension package."""
    addon_utils = importlib.import_module("addon_utils")  # importable only after bpy
    repo_dir = SCRATCH / "repo"
    repo_dir.mkdir(exist_ok=True)
    link = repo_dir / "gotcha_doctor"
    if not link.exists():
        link.symlink_to(REPO, target_is_directory=True)
    bpy.context.preferences.extensions.repos.new(
        name="gdbench", module="gdbench", custom_directory=str(repo_dir), source="USER"
    )
    addon_utils.enable(MODULE, default_set=True, handle_error=_raise)
    return sys.modules[MODULE]


def best_of(repeats: int, function: Callable[[], object]) -> float:
    """Best wall time in seconds over ``repeats`` runs (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def row(label: str, seconds: float, baseline: float | None = None) -> str:
    ratio = "" if baseline is None else f"  ({seconds / baseline:.2f}x baseline)"
    return f"  {label:<58} {seconds * 1000:9.1f} ms{ratio}"
