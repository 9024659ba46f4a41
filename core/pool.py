"""A pool of worker processes (Blender, in practice), each opening and scanning many files in turn.

Blender-free: the pool starts any command that speaks the worker protocol below, so the orchestration (queue,
retries, timeouts, statuses) is tested without Blender, and the Blender side (``batch_worker.py``) stays thin.

Protocol. The parent writes one line per file to the worker's stdin: the path's bytes in base64 (a path may hold
any byte but NUL, newlines included). The worker writes JSON lines to the file descriptor named by the environment
variable ``GOTCHA_DOCTOR_RESULT_FD`` (Blender prints its own chatter on stdout and stderr):

- ``{"event": "ready", "blender_version": "5.0.1"}`` once started, and again after each file once it has reset
  itself (freed the file) for the next one;
- ``{"event": "result", "status": "ok" | "unreadable", "error": null | "...", "report": {...} | null}`` per file,
  with ``"warning": "..."`` when the file opened but not fully (written by a newer Blender).

A worker that dies or says nothing for ``timeout`` seconds while it has a file is killed and replaced; that file is
tried once more in a fresh worker, then reported ``crashed`` (with the signal) or ``timeout``. A worker that dies
while freeing a file it already reported (old smoke caches make Blender abort there) keeps that file's report, and
the next file goes to a fresh worker: the abort is noted on the file, never blamed on the next one.
"""

from __future__ import annotations

import base64
import collections
import json
import os
import select
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .batch import CRASHED, OK, TIMEOUT, UNREADABLE, FileResult, one_line

RESULT_FD_ENV = "GOTCHA_DOCTOR_RESULT_FD"
ATTEMPTS = 2  # the first try and one more in a fresh worker


class PoolError(Exception):
    """The workers cannot start at all (wrong command, Blender missing): the run cannot go on."""


@dataclass
class PoolConfig:
    command: Sequence[str]  # argv of one worker
    jobs: int = 1
    timeout: float = 120.0  # seconds a worker may spend on one file (open + scan)
    start_timeout: float = 120.0  # seconds a worker may take to start
    max_files_per_worker: int = 0  # > 0: replace a worker after this many files (bounds memory); 0: never
    env: Mapping[str, str] | None = None  # worker environment (default: this process's)
    cwd: str | None = None


def signal_name(returncode: int | None) -> str | None:
    """``-11`` -> ``"SIGSEGV"``; None for a normal exit."""
    if returncode is None or returncode >= 0:
        return None
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def exit_description(returncode: int | None) -> str:
    name = signal_name(returncode)
    if name:
        return f"killed by {name}"
    if returncode is None:
        return "did not exit"
    # A shell-style 128+N exit (a crash handler that re-raised) says which signal too.
    if returncode > 128 and returncode - 128 in {s.value for s in signal.Signals}:
        return f"exit status {returncode} ({signal.Signals(returncode - 128).name})"
    return f"exit status {returncode}"


class WorkerDied(Exception):
    def __init__(self, returncode: int | None, last_output: str) -> None:
        super().__init__(exit_description(returncode))
        self.returncode = returncode
        self.last_output = last_output


class WorkerTimeout(Exception):
    pass


class Worker:
    """One worker process and its result pipe."""

    def __init__(self, config: PoolConfig) -> None:
        read_fd, write_fd = os.pipe()
        env = dict(config.env if config.env is not None else os.environ)
        env[RESULT_FD_ENV] = str(write_fd)
        try:
            self.process = subprocess.Popen(
                list(config.command),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                env=env,
                cwd=config.cwd,
                start_new_session=True,  # Ctrl-C reaches the parent, which stops the workers itself
            )
        except OSError as error:
            os.close(read_fd)
            os.close(write_fd)
            raise PoolError(
                f"cannot start a worker ({one_line(str(config.command[0]))}): {one_line(str(error))}"
            ) from error
        os.close(write_fd)
        self._fd = read_fd
        # The pool thread closes its worker while the caller's thread may kill it (a run ending): one of them closes
        # each pipe, never both (a second os.close() could close a descriptor reused meanwhile).
        self._closing = threading.Lock()
        self._buffer = b""
        self._output: collections.deque[str] = collections.deque(maxlen=40)
        self._drain = threading.Thread(target=self._drain_output, daemon=True)
        self._drain.start()
        self.files_done = 0
        self.blender_version = ""

    def _drain_output(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self._output.append(raw.decode("utf-8", "replace").rstrip())

    def last_output(self) -> str:
        """The last line Blender printed that looks like a reason (for a crash message)."""
        self._drain.join(timeout=1.0)
        for line in reversed(self._output):
            if line.strip():
                return line.strip()
        return ""

    def read_message(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerTimeout()
            ready, _, _ = select.select([self._fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._fd, 1 << 20)
            if not chunk:
                self.process.wait()
                raise WorkerDied(self.process.returncode, self.last_output())
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            # Only the worker writes on this pipe: a line that is not a message means it is broken. Replace it.
            self.kill()
            raise WorkerDied(
                self.process.returncode, f"unreadable message from the worker: {one_line(repr(line[:120]))}"
            )
        return message

    def wait_ready(self, timeout: float) -> None:
        message = self.read_message(timeout)
        if message.get("event") != "ready":
            raise WorkerDied(None, f"unexpected message from worker: {one_line(str(message)[:200])}")
        self.blender_version = str(message.get("blender_version") or self.blender_version)

    def send(self, path: str) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(base64.b64encode(os.fsencode(path)) + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            self.process.wait()
            raise WorkerDied(self.process.returncode, self.last_output()) from None

    def close(self, grace: float = 5.0) -> None:
        """Ask the worker to stop (EOF on stdin), then kill it if it does not."""
        if self.process.poll() is None:
            self._close_stdin()
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_fd()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._close_fd()

    def _close_fd(self) -> None:
        with self._closing:
            fd, self._fd = self._fd, -1
            if fd >= 0:
                os.close(fd)
        self._close_stdin()

    def _close_stdin(self) -> None:
        with self._closing:
            stdin = self.process.stdin
            if stdin is not None and not stdin.closed:
                try:
                    stdin.close()
                except OSError:  # the worker is gone: what it had not read is lost anyway
                    pass


@dataclass
class PoolStats:
    workers_started: int = 0
    teardown_aborts: int = 0
    blender_versions: set[str] = field(default_factory=set)


class _Slot:
    """One place in the pool: at most one live worker at a time, replaced when it dies, hangs or is retired."""

    def __init__(self, config: PoolConfig, stats: PoolStats, lock: threading.Lock) -> None:
        self.config = config
        self.stats = stats
        self.lock = lock
        self.worker: Worker | None = None
        self.failed_starts = 0

    def live_worker(self) -> Worker:
        while self.worker is None:
            worker = Worker(self.config)
            with self.lock:
                self.stats.workers_started += 1
            try:
                worker.wait_ready(self.config.start_timeout)
            except (WorkerDied, WorkerTimeout) as error:
                worker.kill()
                self.failed_starts += 1
                if self.failed_starts >= ATTEMPTS:
                    reason = str(error) if isinstance(error, WorkerDied) else "did not start in time"
                    detail = error.last_output if isinstance(error, WorkerDied) else ""
                    raise PoolError(
                        f"the worker ({one_line(' '.join(self.config.command), 200)}) {reason}"
                        + (f": {one_line(detail, 200)}" if detail else "")
                    ) from None
                continue
            self.failed_starts = 0
            with self.lock:
                self.stats.blender_versions.add(worker.blender_version)
            self.worker = worker
        return self.worker

    def drop_worker(self, kill: bool) -> None:
        if self.worker is not None:
            if kill:
                self.worker.kill()
            else:
                self.worker.close()
            self.worker = None

    def scan(self, path: str) -> FileResult:
        started = time.monotonic()
        failure: FileResult | None = None
        for attempt in range(1, ATTEMPTS + 1):
            worker = self.live_worker()
            try:
                worker.send(path)
                message = worker.read_message(self.config.timeout)
            except WorkerTimeout:
                self.drop_worker(kill=True)
                failure = FileResult(
                    path, TIMEOUT, f"no result after {self.config.timeout:g} s (tried {attempt} times)"
                )
                continue
            except WorkerDied as died:
                self.drop_worker(kill=True)
                reason = f"Blender {exit_description(died.returncode)} while opening or scanning this file"
                if died.last_output:
                    reason += f" ({one_line(died.last_output, 200)})"
                failure = FileResult(
                    path, CRASHED, f"{reason} (tried {attempt} times)", signal=signal_name(died.returncode)
                )
                continue
            result = self._result_from(path, message)
            result.attempts = attempt
            worker.files_done += 1
            self._after_result(worker, result)
            result.seconds = time.monotonic() - started
            return result
        assert failure is not None
        failure.attempts = ATTEMPTS
        failure.seconds = time.monotonic() - started
        return failure

    def _after_result(self, worker: Worker, result: FileResult) -> None:
        """The worker frees the file and says it is ready again; dying there keeps this file's result."""
        try:
            worker.wait_ready(self.config.timeout)
        except WorkerDied as died:
            self.drop_worker(kill=True)
            with self.lock:
                self.stats.teardown_aborts += 1
            what = exit_description(died.returncode)
            result.extra["teardown"] = f"Blender {what} while closing this file, after it was scanned"
            if died.last_output:
                result.extra["teardown"] += f" ({one_line(died.last_output, 200)})"
            return
        except WorkerTimeout:
            self.drop_worker(kill=True)
            result.extra["teardown"] = f"Blender took over {self.config.timeout:g} s to close this file"
            return
        limit = self.config.max_files_per_worker
        if limit and worker.files_done >= limit:
            self.drop_worker(kill=False)

    @staticmethod
    def _result_from(path: str, message: Mapping[str, Any]) -> FileResult:
        status = message.get("status")
        if message.get("event") != "result" or status not in (OK, UNREADABLE):
            return FileResult(path, CRASHED, f"unexpected message from worker: {one_line(str(message)[:200])}")
        report = message.get("report") if status == OK else None
        error = message.get("error")
        result = FileResult(path, status, one_line(error) if error else None, report=report)
        if message.get("warning"):
            result.extra["warning"] = one_line(str(message["warning"]))
        return result


def run_pool(
    files: Sequence[str],
    config: PoolConfig,
    on_result: Callable[[FileResult], None] | None = None,
    prepare: Callable[[str], FileResult | None] | None = None,
) -> tuple[list[FileResult], PoolStats]:
    """Scan ``files`` with ``config.jobs`` workers; results in completion order (``on_result`` sees each as it
    comes, from the calling thread). ``prepare(path)`` runs in a pool thread just before a file is sent and may
    answer it without a worker (a file deleted meanwhile). Raises PoolError when workers cannot start at all."""
    queue = collections.deque(files)
    lock = threading.Lock()
    done: collections.deque[FileResult | BaseException] = collections.deque()
    wake = threading.Condition()
    stats = PoolStats()
    stop = threading.Event()

    def serve(slot: _Slot) -> None:
        try:
            while not stop.is_set():
                with lock:
                    if not queue:
                        break
                    path = queue.popleft()
                result = prepare(path) if prepare else None
                if result is None:
                    result = slot.scan(path)
                with wake:
                    done.append(result)
                    wake.notify()
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread, which re-raises it
            with wake:
                done.append(error)
                wake.notify()
        finally:
            slot.drop_worker(kill=False)

    jobs = max(1, min(config.jobs, len(files)))
    slots = [_Slot(config, stats, lock) for _ in range(jobs)]
    threads = [threading.Thread(target=serve, args=(slot,), daemon=True) for slot in slots]
    for thread in threads:
        thread.start()
    results: list[FileResult] = []
    try:
        while len(results) < len(files):
            with wake:
                while not done:
                    if not any(t.is_alive() for t in threads) and not done:
                        break
                    wake.wait(0.5)
                if not done:
                    break
                item = done.popleft()
            if isinstance(item, BaseException):
                raise item
            results.append(item)
            if on_result:
                on_result(item)
    finally:
        stop.set()
        with lock:
            queue.clear()
        for slot in slots:
            worker = slot.worker  # once: the slot's thread may drop it at the same moment
            if worker is not None:
                worker.kill()
        for thread in threads:
            thread.join(timeout=10)
    return results, stats
