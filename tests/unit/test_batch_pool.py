"""The worker pool's decisions with a protocol-speaking stand-in worker (tests/unit/fake_worker.py): retries in a
fresh worker, crashed with the signal, timeout, an abort while freeing a file keeps its report, recycling, a run
that always finishes. The same pool with real Blender workers: tests/blender/test_batch_scan.py."""

import os
import sys
import threading
import time
from pathlib import Path

import pytest
from gotcha_doctor.core.batch import CRASHED, OK, TIMEOUT, UNREADABLE
from gotcha_doctor.core.pool import PoolConfig, PoolError, Worker, exit_description, run_pool, signal_name

FAKE = [sys.executable, str(Path(__file__).with_name("fake_worker.py"))]


def files(tmp_path: Path, **contents: str) -> list[str]:
    paths = []
    for name, text in contents.items():
        path = tmp_path / f"{name}.blend"
        path.write_text(text)
        paths.append(str(path))
    return paths


def by_name(results):
    return {Path(r.blend_file).stem: r for r in results}


def test_every_file_gets_its_status_and_the_run_finishes(tmp_path):
    paths = files(tmp_path, a="x\ny", b="crash", c="unreadable", d="crash-once", e="z")
    seen = []
    results, stats = run_pool(paths, PoolConfig(FAKE, jobs=1, timeout=20), on_result=seen.append)
    assert len(results) == 5 and seen == results
    got = by_name(results)
    assert got["a"].status == OK and [f["id_name"] for f in got["a"].findings] == ["x", "y"]
    assert got["a"].attempts == 1
    assert got["b"].status == CRASHED and got["b"].signal == "SIGSEGV" and got["b"].attempts == 2
    assert got["b"].error == "Blender killed by SIGSEGV while opening or scanning this file (tried 2 times)"
    assert got["c"].status == UNREADABLE and got["c"].error == "Failed to read blend file second line"
    # Crashed once, then ok in a fresh worker: the second try counts.
    assert got["d"].status == OK and got["d"].attempts == 2 and got["d"].error is None
    assert got["e"].status == OK
    # The first worker, then a fresh one after each of b's two crashes and d's crash.
    assert stats.workers_started == 1 + 3


def test_several_workers_share_the_files(tmp_path):
    paths = files(tmp_path, **{f"f{i}": "slow" for i in range(6)})
    results, stats = run_pool(paths, PoolConfig(FAKE, jobs=3, timeout=20))
    assert sorted(r.blend_file for r in results) == sorted(paths) and all(r.status == OK for r in results)
    assert 1 <= len({r.report["pid"] for r in results}) <= 3 and stats.workers_started <= 3


def test_a_hanging_file_times_out_twice_then_is_reported(tmp_path):
    paths = files(tmp_path, hang="hang", after="ok")
    started = time.monotonic()
    results, stats = run_pool(paths, PoolConfig(FAKE, jobs=1, timeout=0.5), on_result=None)
    got = by_name(results)
    assert got["hang"].status == TIMEOUT and got["hang"].attempts == 2
    assert got["hang"].error == "no result after 0.5 s (tried 2 times)"
    assert got["after"].status == OK
    assert time.monotonic() - started < 15  # the hung workers were killed, not waited for (they sleep 60 s)
    assert stats.workers_started == 3


def test_an_abort_while_freeing_keeps_the_report_and_never_blames_the_next_file(tmp_path):
    paths = files(tmp_path, a_smoke="abort-on-close", b_next="ok")
    results, stats = run_pool(paths, PoolConfig(FAKE, jobs=1, timeout=20))
    got = by_name(results)
    assert got["a_smoke"].status == OK and got["a_smoke"].attempts == 1
    assert got["a_smoke"].findings[0]["id_name"] == "abort-on-close"
    assert got["a_smoke"].extra["teardown"] == (
        "Blender killed by SIGABRT while closing this file, after it was scanned "
        "(terminate called: can't clean grid cache)"
    )
    assert got["b_next"].status == OK and got["b_next"].attempts == 1 and "teardown" not in got["b_next"].extra
    assert stats.teardown_aborts == 1 and stats.workers_started == 2


def test_workers_are_recycled_after_max_files(tmp_path):
    paths = files(tmp_path, **{f"f{i}": "ok" for i in range(5)})
    results, stats = run_pool(paths, PoolConfig(FAKE, jobs=1, timeout=20, max_files_per_worker=2))
    pids = [r.report["pid"] for r in sorted(results, key=lambda r: r.blend_file)]
    assert [pids.count(p) for p in dict.fromkeys(pids)] == [2, 2, 1]
    assert stats.workers_started == 3


def test_workers_that_cannot_start_stop_the_run_with_one_line(tmp_path):
    paths = files(tmp_path, a="ok")
    env = dict(os.environ, FAKE_WORKER_START="die")
    with pytest.raises(PoolError, match=r"exit status 3$"):
        run_pool(paths, PoolConfig(FAKE, jobs=1, timeout=5, env=env))
    with pytest.raises(PoolError, match="cannot start a worker"):
        run_pool(paths, PoolConfig([str(tmp_path / "no-such-blender")], jobs=1))


def test_prepare_answers_a_file_without_a_worker(tmp_path):
    paths = files(tmp_path, a="ok", gone="ok")
    Path(paths[1]).unlink()

    def prepare(path):
        from gotcha_doctor.core.batch import FileResult

        return None if os.path.exists(path) else FileResult(path, UNREADABLE, "deleted")

    results, _ = run_pool(paths, PoolConfig(FAKE, jobs=1, timeout=20), prepare=prepare)
    assert {Path(r.blend_file).stem: r.status for r in results} == {"a": OK, "gone": UNREADABLE}


def test_a_worker_that_writes_nonsense_is_replaced(tmp_path):
    paths = files(tmp_path, bad="garbage", good="ok")
    results, stats = run_pool(paths, PoolConfig(FAKE, jobs=1, timeout=20))
    got = by_name(results)
    assert got["bad"].status == CRASHED and got["bad"].attempts == 2
    assert "unreadable message from the worker: b'this is not a message'" in got["bad"].error
    assert got["good"].status == OK and stats.workers_started == 3


def test_signal_and_exit_descriptions():
    assert signal_name(-11) == "SIGSEGV" and signal_name(-6) == "SIGABRT" and signal_name(0) is None
    assert exit_description(-9) == "killed by SIGKILL"
    assert exit_description(134) == "exit status 134 (SIGABRT)"
    assert exit_description(1) == "exit status 1"


def test_a_worker_closed_and_killed_at_once_closes_its_pipe_once(monkeypatch):
    """A run's end: the pool thread closes its worker while the caller's thread kills it. Its result pipe is closed
    once (a second close could hit a descriptor that reused the number meanwhile) and neither call raises."""
    real_close = os.close
    closed: list[int] = []

    def counting_close(fd: int) -> None:
        closed.append(fd)
        real_close(fd)

    monkeypatch.setattr(os, "close", counting_close)
    for _round in range(10):
        worker = Worker(PoolConfig(FAKE, jobs=1, timeout=20))
        worker.wait_ready(20)
        fd = worker._fd
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def call(method, start=start, errors=errors) -> None:
            start.wait()
            try:
                method()
            except BaseException as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)

        threads = [threading.Thread(target=call, args=(method,)) for method in (worker.close, worker.kill)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == [] and closed.count(fd) == 1
        closed.clear()
