"""``gotcha_doctor scan PATH... [--jobs N] ...`` over many files: the Blender side of the orchestration in
``core/batch_run.py``. It only knows how to start a worker (this Blender binary, or the bpy module's launcher),
which Blender version and checks the workers run, and this extension's version for the cache.
"""

from __future__ import annotations

import base64
import os
import shutil
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from typing import Any

import bpy

from . import batch_worker, runner
from .core.batch_run import BatchOptions, BatchOutcome, run_batch
from .core.pool import PoolConfig, PoolError, run_pool
from .core.scan_cache import ScanCache, default_dir, source_fingerprint
from .core.text import display

ROOT = os.path.dirname(os.path.abspath(__file__))


def tool_version() -> str:
    """The manifest's version plus a digest of the sources that decide findings (for the cache)."""
    try:
        with open(os.path.join(ROOT, "blender_manifest.toml"), "rb") as stream:
            version = str(tomllib.load(stream).get("version", "0"))
    except (OSError, tomllib.TOMLDecodeError):
        version = "0"
    return f"{version}+{source_fingerprint(ROOT, extra=[os.path.join(ROOT, 'batch_worker.py')])}"


def default_worker_command() -> list[str] | None:
    """How to start this Blender's command line in background mode (the worker command is appended); None in the
    bpy module, which has no binary: its launcher passes its own."""
    if not bpy.app.binary_path:
        return None
    return [bpy.app.binary_path, "--background", "--command", "gotcha_doctor"]


def scan_many(
    paths: Sequence[str],
    args: Any,
    worker_command: Sequence[str] | None,
    say: Any,
) -> int:
    from .core.batch_run import exit_status

    command = list(worker_command or default_worker_command() or [])
    if not command:
        say("gotcha_doctor: no Blender binary to start workers with (use tools/gotcha_cli.py)\n", sys.stderr)
        return 2
    # The checks are resolved here and named to every worker (local or on a cluster), so all run the same ones and
    # the cache knows which ran: by default the enabled checks about what a file stores (batch_worker).
    try:
        checks = ",".join(runner.parse_check_ids(args.checks)) if args.checks.strip() else ""
    except runner.UnknownChecksError as error:
        say(f"gotcha_doctor: {error}\n", sys.stderr)
        return 2
    checks = checks or ",".join(batch_worker.file_check_ids())
    command += ["worker", "--checks", checks]
    # The folders given: a file's project root when nothing above it marks one (a .git, a catalog file). As base64
    # of their bytes, like the files sent to workers: a name that is not UTF-8 survives any command line.
    scanned = sorted({os.path.abspath(path) for path in paths if os.path.isdir(path)})
    for folder in scanned:
        command += ["--scanned", base64.b64encode(os.fsencode(folder)).decode("ascii")]
    options = BatchOptions(
        blender_version=bpy.app.version_string,
        tool_version=tool_version(),
        checks=checks,
        use_cache=not args.no_cache,
        json_path=args.json_path,
        sarif_path=args.sarif_path,
        junit_path=args.junit_path,
        fail_on=args.fail_on,
    )
    cache = (
        ScanCache(args.cache_dir or default_dir(), options.tool_version, options.blender_version, checks, scanned)
        if options.use_cache
        else None
    )
    # Workers' temporary files (and crash logs Blender writes on a crash) go to a folder removed at the end.
    scratch = tempfile.mkdtemp(prefix="gotcha-doctor-workers-")
    env = dict(os.environ, TMPDIR=scratch, TEMP=scratch, TMP=scratch)
    try:
        if args.dask:
            try:
                from .dask_run import dask_executor
            except ImportError as error:
                say(f"gotcha_doctor: --dask needs the dask.distributed package here ({error})\n", sys.stderr)
                return 2
            execute = dask_executor(args.dask, command, args.jobs, args.timeout)
        else:
            config = PoolConfig(command=command, jobs=args.jobs, timeout=args.timeout, env=env)

            def execute(files: Any, on_result: Any, prepare: Any) -> Any:
                return run_pool(files, config, on_result, prepare)[0]

        outcome: BatchOutcome = run_batch(paths, options, execute, sys.stdout, cache=cache)
    except PoolError as error:
        say(f"gotcha_doctor: {error}\n", sys.stderr)
        return 2
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for line in outcome.write_errors:
        say(f"gotcha_doctor: {line}\n", sys.stderr)
    for label, path in (("JSON", args.json_path), ("SARIF", args.sarif_path), ("JUnit", args.junit_path)):
        if path and not any(path in line for line in outcome.write_errors):
            say(f"{label} report written to {display(os.path.abspath(path))}\n")
    return exit_status(outcome, args.fail_on)
