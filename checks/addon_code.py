"""The code of enabled add-ons and extensions, through the linter's rules: property ``update=`` callbacks that call
operators ("Abusing RNA property callbacks"), operators that change data without ``UNDO`` ("Modifying Blender Data &
Undo"), ``sys.exit()`` ("sys.exit").

Which files: the source files of every loaded module of each enabled add-on and extension installed by the user
(Blender's bundled add-ons are Blender's code, not the user's). Nothing is imported or run: the files are read and
linted (``core.lint.lint_source``, Blender-free) in a child Python process, since linting one big module takes longer
than a modal step (0.35 s for a 3,800-line exporter); the scan starts it in one step and polls it. Results are
remembered per file (path, size, modification time), so a later scan lints only what changed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import bpy

from ..core import background
from ..core.findings import CheckInfo, Finding, Progress, timed_share
from ..core.owners import Owner
from . import _session

INFO = CheckInfo(
    id="addon_code",
    topic="rna-callback-abuse",
    title="Add-on code",
    description="Add-on and extension code that calls operators from property callbacks, changes data without an "
    "undo step, or calls sys.exit()",
    severity="WARNING",
)

TOPICS = ("rna-callback-abuse", "undo-missing-step", "sys-exit")
CHILD_TIMEOUT_S = 120.0
_MAX_FILE_BYTES = 5 * 1024 * 1024
_FILES_PER_STEP = 20  # file system calls (realpath, stat) per step

# (real path, size, mtime_ns) -> lint findings as dicts. Plain values only; lives as long as the extension.
_CACHE: dict[tuple[str, int, int], list[dict[str, Any]]] = {}

# Runs in the child (plain Python). argv[-1]: a JSON task {"core": folder of core/, "files": [...], "select": [...],
# "out": path}. Loads core/ as the package "gd_core" (its modules import each other relatively) and lints each file.
_CHILD = r"""
import importlib.util, json, os, sys
task = json.load(open(sys.argv[-1], encoding="utf-8"))
spec = importlib.util.spec_from_file_location(
    "gd_core", os.path.join(task["core"], "__init__.py"), submodule_search_locations=[task["core"]]
)
core = importlib.util.module_from_spec(spec); sys.modules["gd_core"] = core; spec.loader.exec_module(core)
from gd_core.lint import lint_source
result = {}
for path in task["files"]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8", "surrogateescape")
        result[path] = [f.to_dict() for f in lint_source(text, path, select=task["select"])]
    except Exception as error:
        result[path] = {"error": f"{type(error).__name__}: {error}"[:300]}
with open(task["out"], "w", encoding="utf-8") as out:
    json.dump(result, out)
"""


def child_command(task_path: str) -> list[str]:
    python = sys.executable
    if not python or (bpy.app.binary_path and os.path.realpath(python) == os.path.realpath(bpy.app.binary_path)):
        return [bpy.app.binary_path, "-b", "--factory-startup", "--python-expr", _CHILD, "--", task_path]
    return [python, "-I", "-c", _CHILD, task_path]


def _blender_script_dirs() -> list[str]:
    """Folders of Blender's own scripts (bundled add-ons included), real paths with a trailing separator."""
    system_resource = getattr(bpy.utils, "system_resource")  # noqa: B009 - missing from the type stubs
    path = system_resource("SCRIPTS")
    return [os.path.join(os.path.realpath(path), "")] if path else []


# Gotcha Doctor's own package: its code is linted where it is developed, not in the user's session (about a hundred
# files the child would parse on every first scan).
_OWN_PACKAGE = __package__.rsplit(".", 1)[0] if __package__ else ""


def addon_module_files(context: Any) -> list[tuple[str, Owner, str]]:
    """(file name as loaded, owner, module name) of each loaded ``.py`` module of enabled add-ons and extensions,
    Gotcha Doctor's own excepted. Plain dictionary reads only; the file system is asked later, a few files per step."""
    addons = _session.addon_modules(context)
    found = []
    for name, module in sorted(list(sys.modules.items()), key=lambda pair: pair[0]):
        owner = _session.owner_of_module(name, addons, frozenset())
        if owner.kind not in ("extension", "add-on") or owner.module == _OWN_PACKAGE:
            continue
        namespace = _session.module_dict(module)
        filename = None if namespace is None else namespace.get("__file__")
        if type(filename) is str and filename.endswith(".py"):
            found.append((filename, owner, name))
    return found


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    loaded = addon_module_files(context)
    if not loaded:
        return
    bundled = _blender_script_dirs()
    files: dict[str, tuple[Owner, str]] = {}  # real path -> (owner, module name)
    keys: dict[str, tuple[str, int, int]] = {}
    for number, (filename, owner, module_name) in enumerate(loaded, 1):
        real = os.path.realpath(filename)
        if real not in files and not any(real.startswith(folder) for folder in bundled):
            try:
                stat = os.stat(real)
            except OSError:  # the file went away since it was imported
                stat = None
            if stat is not None:
                files[real] = (owner, module_name)
                keys[real] = (real, stat.st_size, stat.st_mtime_ns)
        if number % _FILES_PER_STEP == 0:
            yield Progress(0.05 * number / len(loaded))
    yield Progress(0.05)
    to_lint = [path for path, key in keys.items() if key not in _CACHE and key[1] <= _MAX_FILE_BYTES]
    if to_lint:
        yield from _lint_in_child(to_lint, keys)
    yield Progress(0.9)
    for number, (path, (owner, module_name)) in enumerate(sorted(files.items()), 1):
        for item in _CACHE.get(keys[path], []):
            yield _finding(owner, module_name, path, item)
        if number % 50 == 0:
            yield Progress(0.9 + 0.1 * number / len(files))


def _lint_in_child(paths: list[str], keys: dict[str, tuple[str, int, int]]) -> Iterator[Finding | Progress]:
    scratch = tempfile.mkdtemp(prefix="gotcha-doctor-addon-lint-")
    process: subprocess.Popen[bytes] | None = None
    try:
        task_path, out_path = os.path.join(scratch, "task.json"), os.path.join(scratch, "out.json")
        core = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "core")
        with open(task_path, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"core": core, "files": paths, "select": list(TOPICS), "out": out_path}))
        started = time.perf_counter()
        with open(os.path.join(scratch, "stderr.txt"), "wb") as errors:
            process = background.start(child_command(task_path), stdout=subprocess.DEVNULL, stderr=errors)
        while process.poll() is None:
            if time.perf_counter() - started > CHILD_TIMEOUT_S:
                yield _failed(f"the linter took more than {CHILD_TIMEOUT_S:g} s")
                return
            yield Progress(0.1 + 0.7 * timed_share(time.perf_counter() - started, 5.0), waiting=True)
        if process.returncode != 0 or not os.path.isfile(out_path):
            with open(os.path.join(scratch, "stderr.txt"), encoding="utf-8", errors="replace") as handle:
                yield _failed(f"exit status {process.returncode}: {handle.read().strip()[-300:]}")
            return
        with open(out_path, encoding="utf-8") as handle:
            results = json.load(handle)
        for path, result in results.items():
            if isinstance(result, list):
                _CACHE[keys[path]] = result
            else:
                yield _failed(f"{path}: {result.get('error')}")
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def _finding(owner: Owner, module_name: str, path: str, item: dict[str, Any]) -> Finding:
    line = item.get("line")
    return Finding(
        check=INFO.id,
        topic=item.get("topic") or INFO.topic,
        severity=item.get("severity", INFO.severity),
        message=f"{owner.label}, {path}:{line}: {item.get('message', '')}",
        details={
            "owner": owner.module,
            "owner_kind": owner.kind,
            "module": module_name,
            "rule": item.get("rule"),
            "file": path,
            "line": line,
            "column": item.get("column"),
            **{key: value for key, value in (item.get("details") or {}).items() if key not in ("owner", "file")},
        },
    )


def _failed(reason: str) -> Finding:
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity="INFO",
        message=f"Could not lint add-on code: {reason}.",
        details={"reason": reason},
    )
