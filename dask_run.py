"""``scan PATH... --dask ADDRESS``: the same many-files scan on an existing Dask distributed cluster.

Blender-free like ``core`` (it runs in the client and on the Dask workers), but outside it: it needs ``distributed``.

The client (this process) sends chunks of files as tasks; each task runs on a Dask worker thread, which keeps one
Blender worker process alive across tasks (started on its first chunk, replaced when it crashes or hangs, exactly as
in the local pool: :class:`.core.pool._Slot`), so Blender start-up is paid once per Dask worker thread, not per file or
per chunk. Results come back as plain values and go through the same summary, cache and formats as a local run (``core/batch_run.py``).

What a Dask worker needs: ``distributed`` (same version as the client, same Python minor version), and a Blender
with Gotcha Doctor installed. The code of this package travels with the tasks (pickled by value), so the workers
need no copy of it. The Blender command is the client's unless the worker's environment sets
``GOTCHA_DOCTOR_BLENDER`` (a Blender binary path: ``$GOTCHA_DOCTOR_BLENDER -b -c gotcha_doctor worker``).
``distributed`` is imported only here, only when ``--dask`` is used.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from .core.batch import CRASHED, UNREADABLE, FileResult, one_line
from .core.pool import PoolConfig, PoolError, PoolStats, _Slot

BLENDER_ENV = "GOTCHA_DOCTOR_BLENDER"
MAX_CHUNK = 50
# Keeps one pool slot (one Blender worker) per Dask worker thread, across tasks. Stored on the Dask worker object:
# this module's globals are fresh for each task, as its code arrives by value.
_SLOTS_ATTR = "_gotcha_doctor_slots"


def chunk_size(files: int, workers: int) -> int:
    """About four chunks per worker (so a slow chunk does not hold the end of the run), at most MAX_CHUNK files."""
    return max(1, min(MAX_CHUNK, math.ceil(files / max(1, workers * 4))))


def chunks(files: Sequence[str], size: int) -> list[list[str]]:
    return [list(files[i : i + size]) for i in range(0, len(files), size)]


def worker_command(client_command: Sequence[str]) -> list[str]:
    """The Blender worker command on this Dask worker: its own Blender if it says so, else the client's."""
    blender = os.environ.get(BLENDER_ENV)
    if not blender:
        return list(client_command)
    tail = list(client_command[client_command.index("worker") :]) if "worker" in client_command else ["worker"]
    return [blender, "--background", "--command", "gotcha_doctor", *tail]


def scan_chunk(files: Sequence[str], command: Sequence[str], timeout: float) -> list[dict[str, Any]]:
    """Runs on a Dask worker: scan ``files`` with this thread's Blender worker; plain dicts back."""
    from distributed import get_worker

    dask_worker = get_worker()
    slots: dict[int, Any] = dask_worker.__dict__.setdefault(_SLOTS_ATTR, {})
    lock: threading.Lock = dask_worker.__dict__.setdefault(_SLOTS_ATTR + "_lock", threading.Lock())
    key = threading.get_ident()
    with lock:
        slot = slots.get(key)
        if slot is None:
            scratch = os.path.join(dask_worker.local_directory, "gotcha-doctor")
            os.makedirs(scratch, exist_ok=True)
            env = dict(os.environ, TMPDIR=scratch, TEMP=scratch, TMP=scratch)
            config = PoolConfig(command=worker_command(command), jobs=1, timeout=timeout, env=env)
            slot = slots[key] = _Slot(config, PoolStats(), threading.Lock())
    out = []
    for path in files:
        try:
            os.stat(path)
        except OSError as error:
            reason = "no such file on this worker" if isinstance(error, FileNotFoundError) else error.strerror
            result = FileResult(path, UNREADABLE, f"cannot open: {one_line(str(reason))}")
        else:
            result = slot.scan(path)
        out.append(dataclasses.asdict(result))
    return out


def _chunk_task() -> Callable[[Sequence[str], Sequence[str], float], list[dict[str, Any]]]:
    """The task function, made here so plain pickle cannot name it: distributed then uses cloudpickle, which ships
    it, and what it uses from this package, by value (see :func:`_register_by_value`)."""

    def scan_chunk_task(files: Sequence[str], command: Sequence[str], timeout: float) -> list[dict[str, Any]]:
        return scan_chunk(files, command, timeout)

    return scan_chunk_task


def _register_by_value() -> None:
    """Ship this package's code with the tasks: the workers need no copy of Gotcha Doctor's Python."""
    import cloudpickle

    # This module and every module of core, each by name (cloudpickle looks up the module a function or class
    # comes from); nothing else of the extension is used on a worker.
    core = __name__.rsplit(".", 1)[0] + ".core"
    for name in [__name__, core, *(n for n in sys.modules if n.startswith(core + "."))]:
        if name not in cloudpickle.list_registry_pickle_by_value():
            cloudpickle.register_pickle_by_value(sys.modules[name])


def dask_executor(
    address: str, command: Sequence[str], jobs: int, timeout: float, connect_timeout: float | None = None
) -> Callable[[Sequence[str], Callable[[FileResult], None], Callable[[str], FileResult | None]], list[FileResult]]:
    """An executor for :func:`.core.batch_run.run_batch` that sends the work to the cluster at ``address``."""
    from distributed import Client, as_completed

    if connect_timeout is None:
        connect_timeout = float(os.environ.get("GOTCHA_DOCTOR_DASK_CONNECT_TIMEOUT", "30"))

    def execute(
        files: Sequence[str], on_result: Callable[[FileResult], None], prepare: Callable[[str], FileResult | None]
    ) -> list[FileResult]:
        _register_by_value()
        results: list[FileResult] = []
        try:
            client = Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise PoolError(f"cannot reach the Dask scheduler at {address}: {one_line(str(error))}") from None
        try:
            workers = len(client.scheduler_info().get("workers", {})) or 1
            pending = []
            for path in files:
                early = prepare(path)  # a file gone since it was listed: reported here, never sent
                if early is not None:
                    results.append(early)
                    on_result(early)
                else:
                    pending.append(path)
            task = _chunk_task()
            futures = {
                client.submit(task, chunk, list(command), timeout, pure=False): chunk
                for chunk in chunks(pending, chunk_size(len(pending), workers))
            }
            for future in as_completed(list(futures), loop=client.loop):
                chunk = futures[future]
                try:
                    items = future.result()
                except Exception as error:  # noqa: BLE001 - a lost worker or a task error: its files get a status
                    items = [
                        dataclasses.asdict(FileResult(path, CRASHED, f"Dask task failed: {one_line(repr(error))}"))
                        for path in chunk
                    ]
                for item in items:
                    result = FileResult(**item)
                    results.append(result)
                    on_result(result)
        finally:
            client.close()
        return results

    return execute
