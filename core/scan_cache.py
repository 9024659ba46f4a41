"""Incremental many-files scans: the result of a file that has not changed is taken from a cache, not opened again.

A file is unchanged when its size and modification time are those recorded, or, when only its time moved (a
checkout, a copy, a touch), when its content hash is (BLAKE2b of the bytes); and the result was made by the same
Gotcha Doctor (version and source), the same Blender version and the same checks. Only ``ok`` and ``unreadable``
results are kept (a crash or a timeout is always tried again).

The cache lives outside the scanned tree (``GOTCHA_DOCTOR_SCAN_CACHE``, else ``$XDG_CACHE_HOME/gotcha-doctor/
scan-cache``, else ``~/.cache/gotcha-doctor/scan-cache``): one small JSON file per scanned path, named by the hash
of the path, written atomically, so concurrent runs never see half an entry and nothing is written beside the
scanned files.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from .batch import OK, UNREADABLE, FileResult

FORMAT = 1
CHUNK = 1 << 20


def default_dir() -> str:
    if os.environ.get("GOTCHA_DOCTOR_SCAN_CACHE"):
        return os.environ["GOTCHA_DOCTOR_SCAN_CACHE"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gotcha-doctor", "scan-cache")


def content_hash(path: str) -> str:
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def source_fingerprint(root: str, folders: Iterable[str] = ("core", "checks"), extra: Iterable[str] = ()) -> str:
    """A short digest of the names, sizes and times of the Python files that decide findings: a changed check
    makes new results even when the version number did not move (a development tree)."""
    digest = hashlib.blake2b(digest_size=6)
    names: list[str] = list(extra)
    for folder in folders:
        top = os.path.join(root, folder)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            names.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    for name in names:
        try:
            info = os.stat(name)
        except OSError:
            continue
        digest.update(f"{os.path.relpath(name, root)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class ScanCache:
    def __init__(
        self, directory: str, tool_version: str, blender_version: str, checks: str, scanned: Sequence[str] = ()
    ) -> None:
        self.directory = directory
        # ``scanned``: the folders given, which may be a file's project root: results judged against other roots
        # are not reused. Kept as base64 of their bytes, like the file's path (a name may not be UTF-8).
        folders = [base64.b64encode(os.fsencode(folder)).decode("ascii") for folder in scanned]
        self.identity = {"tool": tool_version, "blender": blender_version, "checks": checks, "scanned_b64": folders}
        self.hits = 0
        self.misses = 0

    def _entry_path(self, path: str) -> str:
        name = hashlib.sha256(os.fsencode(path)).hexdigest()
        return os.path.join(self.directory, name[:2], name + ".json")

    def lookup(self, path: str, info: os.stat_result) -> FileResult | None:
        """The cached result of ``path`` (stat ``info`` taken now) or None."""
        entry = self._read(path) if stat.S_ISREG(info.st_mode) else None
        if entry is None or entry.get("size") != info.st_size:
            self.misses += 1
            return None
        if entry.get("mtime_ns") != info.st_mtime_ns:
            try:
                same = content_hash(path) == entry.get("content")
            except OSError:
                same = False
            if not same:
                self.misses += 1
                return None
            entry["mtime_ns"] = info.st_mtime_ns
            self._write(path, entry)  # the next run settles it by size and time again
        self.hits += 1
        return FileResult(
            path, entry["status"], entry.get("error"), report=entry.get("report"), cached=True, attempts=0
        )

    def _read(self, path: str) -> dict[str, Any] | None:
        try:
            with open(self._entry_path(path), encoding="utf-8") as stream:
                entry = json.load(stream)
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT:
            return None
        if any(entry.get(key) != value for key, value in self.identity.items()):
            return None
        if entry.get("path_b64") != base64.b64encode(os.fsencode(path)).decode("ascii"):
            return None  # a hash collision of two paths: never hand one file's result to another
        return entry

    def store(self, path: str, info_before: os.stat_result, result: FileResult) -> None:
        """Keep ``result`` when the file is still as it was when it was sent (same size and time)."""
        if result.status not in (OK, UNREADABLE) or result.cached:
            return
        try:
            now = os.stat(path)
            if not stat.S_ISREG(now.st_mode):
                return  # never hashed: reading a pipe may block
            if (now.st_size, now.st_mtime_ns) != (info_before.st_size, info_before.st_mtime_ns):
                return  # changed during the scan: the result may describe neither version
            content = content_hash(path)
        except OSError:
            return
        entry = {
            "format": FORMAT,
            **self.identity,
            "path_b64": base64.b64encode(os.fsencode(path)).decode("ascii"),
            "size": now.st_size,
            "mtime_ns": now.st_mtime_ns,
            "content": content,
            "status": result.status,
            "error": result.error,
            "report": result.report,
        }
        self._write(path, entry)

    def _write(self, path: str, entry: dict[str, Any]) -> None:
        target = self._entry_path(path)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(entry, stream, ensure_ascii=False)
            os.replace(temp, target)
        except OSError:
            pass  # a cache that cannot be written only makes the next run slower
