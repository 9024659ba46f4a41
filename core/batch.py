"""Many files: which files a ``scan PATH...`` covers, the result of each, the summary and the batch report.

Blender-free: the worker pool (:mod:`.pool`), the cache (:mod:`.scan_cache`) and the output formats build on this.
The batch JSON (schema ``gotcha-doctor/batch/1``) has one entry per file: ``blend_file`` (absolute), ``status``
(``ok`` | ``unreadable`` | ``crashed`` | ``timeout``), ``error`` (one line or null) and ``report`` (the
``gotcha-doctor/report/1`` object for ``ok``, else null); a ``summary`` counts files per status and findings per
severity. A file that is not ``ok`` counts as an ERROR for ``--fail-on``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .findings import SEVERITIES, severity_rank
from .report import FAIL_ON_CHOICES, counts, fails
from .text import display, has_surrogates, path_bytes_b64, readable

SCHEMA = "gotcha-doctor/batch/1"
OK, UNREADABLE, CRASHED, TIMEOUT = "ok", "unreadable", "crashed", "timeout"
STATUSES: tuple[str, ...] = (OK, UNREADABLE, CRASHED, TIMEOUT)


@dataclass
class FileResult:
    """What became of one file (or of a folder that could not be listed)."""

    blend_file: str  # absolute; may hold surrogate escapes (bytes that are not UTF-8)
    status: str
    error: str | None = None  # one line, or None
    report: dict[str, Any] | None = None  # the report/1 object when status is ok
    seconds: float = 0.0  # time spent on this file (open + scan, both attempts), 0 for a cache hit
    attempts: int = 0  # worker attempts (0: not opened, e.g. a cache hit or a file gone before it was sent)
    cached: bool = False  # the result came from the cache, the file was not opened
    signal: str | None = None  # for crashed: the signal that ended the worker ("SIGSEGV")
    extra: dict[str, Any] = field(default_factory=dict)  # more facts for the entry, e.g. a teardown abort

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(self.report["findings"]) if self.report else []


def one_line(text: str, limit: int = 300) -> str:
    """A message squeezed to one displayable line (Blender's errors span lines; paths may not be UTF-8)."""
    parts = [part.strip() for part in str(text).splitlines() if part.strip()]
    return display(" ".join(parts) if parts else "unknown error", limit)


# --- which files -------------------------------------------------------------------------------------------------


def is_blend_name(name: str) -> bool:
    """``*.blend`` (any case); never ``*.blend1``, ``*.blend2``... backups, which end in a digit."""
    return name.lower().endswith(".blend")


@dataclass
class Collected:
    files: list[str]  # absolute paths, each file once, in a stable order
    problems: list[FileResult]  # paths that do not exist and folders that cannot be listed


def collect(paths: Iterable[str]) -> Collected:
    """The .blend files of ``paths``: a file is taken as given (whatever its name), a folder for every ``*.blend``
    below it, recursively, following links to folders but never entering a folder twice (symlink loops end).

    A path that does not exist and a folder that cannot be listed become ``unreadable`` results; nothing stops.
    A file reached twice (through links or repeated arguments) is scanned once.
    """
    files: list[str] = []
    problems: list[FileResult] = []
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()

    def add_file(path: str, info: os.stat_result) -> None:
        key = (info.st_dev, info.st_ino)
        if key not in seen_files:
            seen_files.add(key)
            files.append(path)

    def walk_dir(top: str) -> None:
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                info = os.stat(folder)
            except OSError as error:
                problems.append(FileResult(folder, UNREADABLE, f"cannot read folder: {_reason(error)}"))
                continue
            key = (info.st_dev, info.st_ino)
            if key in seen_dirs:
                continue  # a link back to a folder already walked: a loop or a second way in
            seen_dirs.add(key)
            try:
                with os.scandir(folder) as entries:
                    listed = sorted(entries, key=lambda e: e.name)
            except OSError as error:
                problems.append(FileResult(folder, UNREADABLE, f"cannot list folder: {_reason(error)}"))
                continue
            subdirs = []
            for entry in listed:
                try:
                    if entry.is_dir():  # follows links
                        subdirs.append(entry.path)
                    elif is_blend_name(entry.name) and entry.is_file():
                        add_file(entry.path, entry.stat())
                except OSError:
                    continue  # a dangling link or an entry gone meanwhile: nothing to scan there
            stack.extend(reversed(subdirs))

    for given in paths:
        path = os.path.abspath(given)
        try:
            info = os.stat(path)
        except OSError as error:
            problems.append(FileResult(path, UNREADABLE, f"cannot open: {_reason(error)}"))
            continue
        if stat.S_ISDIR(info.st_mode):
            walk_dir(path)
        elif stat.S_ISREG(info.st_mode):
            add_file(path, info)
        else:  # a pipe, socket or device: reading one may block forever, so it is never opened
            problems.append(FileResult(path, UNREADABLE, "cannot open: not a regular file (a pipe, socket or device)"))
    return Collected(files, problems)


def _reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or folder"
    if isinstance(error, PermissionError):
        return "permission denied"
    return one_line(error.strerror or str(error))


# --- summary, report, exit status --------------------------------------------------------------------------------


def summarize(results: Sequence[FileResult], seconds: float) -> dict[str, Any]:
    """``files``, a count per status, ``findings`` per severity, ``cached`` (files not opened) and ``seconds``."""
    summary: dict[str, Any] = {"files": len(results)}
    for status in STATUSES:
        summary[status] = sum(1 for r in results if r.status == status)
    tally = dict.fromkeys(SEVERITIES, 0)
    for result in results:
        for severity, n in counts(result.findings).items():
            tally[severity] += n
    summary["findings"] = tally
    summary["cached"] = sum(1 for r in results if r.cached)
    summary["seconds"] = round(seconds, 3)
    return summary


def entry(result: FileResult) -> dict[str, Any]:
    """One ``files`` entry of the batch JSON; every string UTF-8 safe, a non-UTF-8 path kept as base64 too."""
    item: dict[str, Any] = {
        "blend_file": readable(result.blend_file),
        "status": result.status,
        "error": result.error,
        "report": result.report if result.status == OK else None,
        "seconds": round(result.seconds, 3),
        "cached": result.cached,
    }
    if has_surrogates(result.blend_file):
        item["blend_file_base64"] = path_bytes_b64(result.blend_file)
    if result.signal:
        item["signal"] = result.signal
    item.update(result.extra)
    return item


def build_batch(results: Sequence[FileResult], seconds: float, blender_version: str) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "blender_version": blender_version,
        "files": [entry(r) for r in results],
        "summary": summarize(results, seconds),
    }


def sort_results(results: Iterable[FileResult]) -> list[FileResult]:
    """By path (bytes order), so a report does not depend on which worker finished first."""
    return sorted(results, key=lambda r: os.fsencode(r.blend_file))


def result_fails(result: FileResult, fail_on: str) -> bool:
    """A file that is not ok counts as an ERROR; otherwise its findings decide."""
    if fail_on not in FAIL_ON_CHOICES:
        raise ValueError(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, not {fail_on!r}")
    if result.status != OK:
        return fail_on != "never"
    return fails(result.findings, fail_on)


def batch_fails(results: Iterable[FileResult], fail_on: str) -> bool:
    return any(result_fails(r, fail_on) for r in results)


def worst_severity(result: FileResult) -> str | None:
    """ERROR for a file that is not ok, else its most severe finding's severity (None without findings)."""
    if result.status != OK:
        return "ERROR"
    severities = [f["severity"] for f in result.findings]
    return min(severities, key=severity_rank) if severities else None


def result_line(result: FileResult) -> str:
    """One line per file, for plain progress output and the end of a run."""
    path = display(result.blend_file, 400)
    if result.status == OK:
        tally = counts(result.findings)
        text = ", ".join(f"{tally[s]} {s.lower()}" for s in SEVERITIES)
        note = " (cached)" if result.cached else ""
        extra = "".join(f"; {result.extra[key]}" for key in ("warning", "teardown") if result.extra.get(key))
        return f"ok {path}: {text}{note}{extra}"
    return f"{result.status} {path}: {result.error or result.status}"


def summary_line(summary: Mapping[str, Any]) -> str:
    statuses = ", ".join(f"{summary[s]} {s}" for s in STATUSES)
    findings = ", ".join(f"{summary['findings'][s]} {s.lower()}" for s in SEVERITIES)
    rate = summary["files"] / summary["seconds"] if summary["seconds"] else 0.0
    return (
        f"{summary['files']} files in {summary['seconds']:.1f} s ({rate:.1f} files/s): {statuses}; "
        f"findings: {findings}; {summary['cached']} from the cache"
    )


ResultCallback = Callable[[FileResult], None]
