"""The Blender side of many-files scanning: open a file, scan it, report, reset, next (protocol in core/pool.py).

Started by the parent as ``gotcha_doctor worker [--checks IDS] [--scanned FOLDER_BASE64]...``. Files are opened
with ``use_scripts=False`` (embedded scripts and drivers never run) and ``load_ui=False``; after each file the worker
loads an empty file and clears the findings, so nothing of one file (data, findings, handlers' counters) reaches the
next.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

import bpy

from . import preferences, properties, runner
from .checks import FILE_CHECKS
from .core.batch import OK, UNREADABLE
from .core.blend_open import newer_file_reason, not_a_readable_file, open_failure_reason
from .core.pool import RESULT_FD_ENV


def file_check_ids() -> list[str]:
    """The enabled checks about what a file stores (checks.FILE_CHECKS): what a many-files scan runs by default."""
    wanted = {module.INFO.id for module in FILE_CHECKS}
    return [check_id for check_id in preferences.enabled_check_ids() if check_id in wanted]


def open_blend(path: str, *, load_ui: bool = False) -> str | None:
    """Open ``path`` read-only for scanning; None when it opened, else one short line saying why not."""
    problem = not_a_readable_file(path)
    if problem is not None:
        return problem
    try:
        # load_ui=False: the scan needs no UI; use_scripts=False: never run the file's embedded scripts.
        bpy.ops.wm.open_mainfile(filepath=path, load_ui=load_ui, use_scripts=False)
    except (RuntimeError, UnicodeDecodeError) as error:
        if _is_open(path):
            # Blender opened it and reports an error about a library it could not read (damaged, from a newer
            # Blender): the file is scanned, and the path check says which library and what came from it.
            return None
        # Blender's message names the path; a path that is not UTF-8 makes the message itself undecodable.
        reason = open_failure_reason(str(error) if isinstance(error, RuntimeError) else "", path)
        return newer_file_reason(path, reason, (bpy.app.version[0], bpy.app.version[1]))
    return None


def _is_open(path: str) -> bool:
    """True when ``path`` is the file open now (between two files the session holds an unsaved empty one)."""
    try:
        current = bpy.data.filepath
    except UnicodeDecodeError:  # a path that is not UTF-8 cannot be compared: not taken as open
        return False
    if not current:
        return False
    if os.path.normpath(current) == os.path.normpath(path):
        return True
    try:
        return os.path.samefile(current, path)
    except (OSError, ValueError):
        return False


def scan_open_file(check_ids: Sequence[str], scanned: Sequence[str] = ()) -> dict[str, Any]:
    """The report of a synchronous scan of the open file (nothing is stored in the window manager)."""
    return runner.report(runner.scan_findings(check_ids, scanned))


def scan_file(path: str, check_ids: Sequence[str], scanned: Sequence[str] = ()) -> dict[str, Any]:
    """One protocol result message for ``path``; ``scanned``: the folders the scan was given (the project root
    when nothing marks one)."""
    error = open_blend(path)
    if error is not None:
        return {"event": "result", "status": UNREADABLE, "error": error, "report": None}
    message = {"event": "result", "status": OK, "error": None, "report": scan_open_file(check_ids, scanned)}
    written_by = tuple(bpy.data.version)
    if written_by > tuple(bpy.app.version_file):
        # Blender opens it, but what this version does not know is not read, so not scanned either.
        message["warning"] = (
            f"written by a newer Blender ({'.'.join(map(str, written_by))}) than this one "
            f"({bpy.app.version_string}): data this version does not know is not read, so not scanned"
        )
    return message


def reset() -> None:
    """Free the scanned file: an empty file in its place, no findings left."""
    bpy.ops.wm.read_homefile(use_empty=True)
    state = properties.state()
    properties.clear_findings(state)
    state.has_scanned = False


def _send(stream: TextIO, message: dict[str, Any]) -> None:
    stream.write(json.dumps(message, ensure_ascii=False) + "\n")
    stream.flush()


def serve(check_ids: Sequence[str], commands: Any = None, scanned: Sequence[str] = ()) -> int:
    """Answer files from stdin until EOF. Returns the exit status (0)."""
    fd = int(os.environ[RESULT_FD_ENV])
    commands = commands if commands is not None else sys.stdin.buffer
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        reset()
        _send(out, {"event": "ready", "blender_version": bpy.app.version_string})
        for line in commands:
            line = line.strip()
            if not line:
                break
            path = os.fsdecode(base64.b64decode(line))
            _send(out, scan_file(path, check_ids, scanned))
            reset()
            _send(out, {"event": "ready", "blender_version": bpy.app.version_string})
    return 0
