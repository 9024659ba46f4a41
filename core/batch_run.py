"""One many-files scan from start to end, Blender-free: which files, the cache, the executor (the local worker pool
or a Dask cluster), progress, the batch report and its CI formats, the exit status.

The Blender side only says how to start a worker and which Blender and checks it runs (``batch_cli.py``).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from .batch import UNREADABLE, FileResult, batch_fails, build_batch, collect, one_line, sort_results, summary_line
from .batch_formats import junit_xml, sarif_log
from .progress import ProgressReporter
from .scan_cache import ScanCache
from .text import display

# (files, on_result, prepare) -> results; on_result is called from the caller's thread as each file finishes.
Executor = Callable[
    [Sequence[str], Callable[[FileResult], None], Callable[[str], "FileResult | None"]], list[FileResult]
]


@dataclass
class BatchOptions:
    blender_version: str
    tool_version: str
    checks: str = ""  # comma-separated check ids the workers run ("" = their enabled checks)
    use_cache: bool = True
    cache_dir: str | None = None
    json_path: str | None = None
    sarif_path: str | None = None
    junit_path: str | None = None
    fail_on: str = "error"
    sarif_root: str | None = None  # paths under it are relative in SARIF (default: the working directory)


@dataclass
class BatchOutcome:
    results: list[FileResult]
    batch: dict[str, Any]
    seconds: float
    write_errors: list[str] = field(default_factory=list)
    cache_hits: int = 0


def run_batch(
    paths: Sequence[str],
    options: BatchOptions,
    execute: Executor,
    progress_stream: TextIO,
    is_terminal: bool | None = None,
    cache: ScanCache | None = None,
) -> BatchOutcome:
    started = time.monotonic()
    collected = collect(paths)
    total = len(collected.files) + len(collected.problems)
    progress = ProgressReporter(total, progress_stream, is_terminal)
    results: list[FileResult] = []

    def record(result: FileResult) -> None:
        results.append(result)
        progress.file_done(result)

    for problem in collected.problems:
        record(problem)

    sent_stats: dict[str, os.stat_result] = {}
    to_scan: list[str] = []
    for path in collected.files:
        try:
            info = os.stat(path)
        except OSError as error:
            record(FileResult(path, UNREADABLE, f"cannot open: {one_line(error.strerror or str(error))}"))
            continue
        hit = cache.lookup(path, info) if cache else None
        if hit is not None:
            record(hit)
            continue
        sent_stats[path] = info
        to_scan.append(path)

    def prepare(path: str) -> FileResult | None:
        """Just before a file goes to a worker: one that vanished meanwhile is unreadable, never a crash."""
        try:
            sent_stats[path] = os.stat(path)
        except OSError as error:
            reason = "no such file (deleted during the run)" if isinstance(error, FileNotFoundError) else None
            return FileResult(path, UNREADABLE, f"cannot open: {reason or one_line(error.strerror or str(error))}")
        return None

    def finished(result: FileResult) -> None:
        if cache and result.blend_file in sent_stats and result.attempts:
            cache.store(result.blend_file, sent_stats[result.blend_file], result)
        record(result)

    if to_scan:
        execute(to_scan, finished, prepare)
    seconds = time.monotonic() - started
    ordered = sort_results(results)
    batch = build_batch(ordered, seconds, options.blender_version)
    progress.finish(summary_line(batch["summary"]))
    outcome = BatchOutcome(ordered, batch, seconds, cache_hits=cache.hits if cache else 0)
    write_outputs(outcome, options)
    return outcome


def write_outputs(outcome: BatchOutcome, options: BatchOptions) -> None:
    """Each requested file; a failure to write one is one line in ``write_errors`` (the others are still written)."""
    root = options.sarif_root or os.getcwd()
    jobs: list[tuple[str | None, Callable[[], bytes]]] = [
        (options.json_path, lambda: (json.dumps(outcome.batch, ensure_ascii=False, indent=2) + "\n").encode()),
        (
            options.sarif_path,
            lambda: (
                json.dumps(sarif_log(outcome.results, options.tool_version, root), ensure_ascii=False, indent=2) + "\n"
            ).encode(),
        ),
        (options.junit_path, lambda: junit_xml(outcome.results, options.fail_on, outcome.seconds)),
    ]
    for path, render in jobs:
        if not path:
            continue
        try:
            with open(path, "wb") as stream:
                stream.write(render())
        except OSError as error:
            outcome.write_errors.append(f"cannot write {display(path)}: {one_line(error.strerror or str(error))}")


def exit_status(outcome: BatchOutcome, fail_on: str) -> int:
    """0 nothing at or above ``fail_on`` (a file that is not ok counts as an ERROR), 1 something is, 2 an output
    file could not be written."""
    if outcome.write_errors:
        return 2
    return 1 if batch_fails(outcome.results, fail_on) else 0
