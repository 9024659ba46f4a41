"""The scan engine without Blender: checks are plain generators here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gotcha_doctor.core.engine import PlannedCheck, ScanEngine, ScanState
from gotcha_doctor.core.findings import CheckInfo, Finding, Progress, timed_share


def info(check_id: str) -> CheckInfo:
    return CheckInfo(check_id, "sys-exit", check_id.title(), "a test check", "INFO")


def counting(check_id: str, count: int, closed: list[str] | None = None) -> PlannedCheck:
    def run() -> Iterator[Finding | Progress]:
        try:
            for index in range(count):
                yield Finding(check_id, "sys-exit", "INFO", f"{check_id} {index}")
                yield Progress((index + 1) / count)
        finally:
            if closed is not None:
                closed.append(check_id)

    return PlannedCheck(info(check_id), run)


class Clock:
    """A clock that moves only when a step is taken: every read after the first of a step adds ``tick`` seconds."""

    def __init__(self, tick: float) -> None:
        self.now = 0.0
        self.tick = tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


def test_sliced_run_equals_the_run_to_the_end_and_progress_only_grows() -> None:
    whole = ScanEngine([counting("a", 20), counting("b", 7)]).run_to_end()
    engine = ScanEngine([counting("a", 20), counting("b", 7)], clock=Clock(0.001))
    progress = []
    slices = 0
    while not engine.step(0.005):
        slices += 1
        progress.append(engine.progress)
    assert engine.findings == whole and len(whole) == 27
    assert slices >= 5 and progress == sorted(progress) and engine.progress == 1.0
    assert [f.message for f in whole[:2]] == ["a 0", "a 1"] and whole[-1].message == "b 6"


def test_pending_findings_cancel_and_restart() -> None:
    closed: list[str] = []
    engine = ScanEngine([counting("a", 3), counting("b", 50, closed)], clock=Clock(1.0))
    while len(engine.pending) < 2 or engine.current_title != "B":
        engine.step(0.0)
    assert len(engine.findings) == 3
    engine.restart_current()  # the file changed: the running check starts again, its generator is closed
    assert closed == ["b"] and engine.pending == [] and engine.check_fraction == 0.0 and len(engine.findings) == 3
    while len(engine.pending) < 5:
        engine.step(0.0)
    partial = engine.pending
    engine.cancel()
    assert engine.findings[3:] == partial and [f.message for f in partial] == [f"b {n}" for n in range(5)]
    assert closed == ["b", "b"]


def test_a_failing_check_becomes_one_error_finding_and_the_others_still_run() -> None:
    def broken() -> Iterator[Finding | Progress]:
        yield Finding("broken", "sys-exit", "INFO", "before")
        raise KeyError("boom")

    engine = ScanEngine([PlannedCheck(info("broken"), broken), counting("after", 2)])
    before, failed, *rest = engine.run_to_end()
    assert before.message == "before"
    assert failed.check == "broken" and failed.severity == "ERROR"
    assert failed.message == "The check \"Broken\" failed (KeyError: 'boom'); the other checks still ran."
    assert failed.details["check_failed"] is True and failed.details["exception"] == "KeyError"
    assert "raise KeyError" in failed.details["traceback"]
    assert [f.message for f in rest] == ["after 0", "after 1"]


def test_a_list_of_findings_is_one_step() -> None:
    def many() -> Iterator[object]:
        yield [Finding("many", "sys-exit", "INFO", f"m {n}") for n in range(3)]
        yield Progress(0.5)
        yield []
        yield Finding("many", "sys-exit", "INFO", "m 3")

    engine = ScanEngine([PlannedCheck(info("many"), many)])  # type: ignore[arg-type]
    engine.step(0.0)
    assert [f.message for f in engine.pending] == ["m 0", "m 1", "m 2"]
    assert [f.message for f in engine.run_to_end()] == ["m 0", "m 1", "m 2", "m 3"]


def test_a_list_holding_anything_else_is_a_bad_yield() -> None:
    def odd() -> Iterator[object]:
        yield [Finding("odd", "sys-exit", "INFO", "fine"), "not a finding"]

    (finding,) = ScanEngine([PlannedCheck(info("odd"), odd)]).run_to_end()  # type: ignore[arg-type]
    assert finding.severity == "ERROR" and "yielded list, not Finding/Progress/list of Finding" in finding.message


def test_a_bad_yield_is_reported() -> None:
    def odd() -> Iterator[object]:
        yield "not a finding"

    engine = ScanEngine([PlannedCheck(info("odd"), odd)])  # type: ignore[arg-type]
    (finding,) = engine.run_to_end()
    assert finding.severity == "ERROR" and "yielded str, not Finding/Progress" in finding.message
    assert engine.done and engine.progress == 1.0


def test_no_checks_is_done_at_once() -> None:
    engine = ScanEngine([])
    assert engine.done and engine.progress == 1.0 and engine.run_to_end() == [] and engine.current_title == ""


def test_scan_state_hand_over_and_change_count() -> None:
    changes = {"edits": 0, "loads": 0}
    takes = {"relative_paths": (), "non_utf8_paths": ("looks",)}
    state = ScanState(("relative_paths", "non_utf8_paths"), project_root="/p", changes=changes, takes=takes)
    assert state.taken_after("relative_paths", "looks")
    assert not state.taken_after("non_utf8_paths", "looks")  # nothing runs after it
    assert not state.taken_after("relative_paths", "other") and not state.taken_after("editmode_sync", "looks")
    reverse = ScanState(("non_utf8_paths", "relative_paths"), takes=takes)
    assert not reverse.taken_after("relative_paths", "looks")
    before = state.change_count()
    changes["edits"] += 1  # read live: the runner's handlers bump the same mapping
    assert state.change_count() != before


def waiting(check_id: str, polls: int, log: list[str], closed: list[str] | None = None) -> PlannedCheck:
    """A check that waits on "a child process" for ``polls`` looks, then yields two findings."""

    def run() -> Iterator[Finding | Progress]:
        try:
            log.append(f"{check_id} started")
            for poll in range(polls):
                log.append(f"{check_id} poll {poll}")
                yield Progress(0.5, waiting=True)
            yield Finding(check_id, "sys-exit", "INFO", f"{check_id} 0")
            yield Finding(check_id, "sys-exit", "INFO", f"{check_id} 1")
        finally:
            if closed is not None:
                closed.append(check_id)

    return PlannedCheck(info(check_id), run)


def test_a_waiting_check_is_parked_while_the_next_checks_run() -> None:
    log: list[str] = []
    engine = ScanEngine([waiting("child", 3, log), counting("a", 2), counting("b", 2)])
    messages = [f.message for f in engine.run_to_end()]
    # The child's first look parks it; "a" runs; between "a" and "b" the child is looked at again (still waiting);
    # after "b" it is looked at once more, then runs as the last check, to its end.
    assert log == ["child started", "child poll 0", "child poll 1", "child poll 2"]
    assert messages == ["a 0", "a 1", "b 0", "b 1", "child 0", "child 1"]
    assert engine.done and engine.progress == 1.0 and not engine.waiting


def test_a_waiting_step_ends_the_slice_and_progress_only_grows() -> None:
    log: list[str] = []
    engine = ScanEngine([counting("a", 2), waiting("child", 4, log)], clock=Clock(0.0001))
    slices, progress = 0, []
    while not engine.step(10.0):  # a budget far above the work: only waiting ends these slices
        slices += 1
        progress.append(engine.progress)
        assert engine.waiting and engine.current_title == "Child"  # nothing left to run meanwhile
    assert slices == 4 and progress == sorted(progress) and engine.progress == 1.0
    assert [f.message for f in engine.findings] == ["a 0", "a 1", "child 0", "child 1"]


def test_a_check_that_has_found_something_is_never_parked() -> None:
    log: list[str] = []

    def found_then_waits() -> Iterator[Finding | Progress]:
        yield Finding("early", "sys-exit", "INFO", "early 0")
        log.append("waiting")
        yield Progress(0.5, waiting=True)
        yield Finding("early", "sys-exit", "INFO", "early 1")

    engine = ScanEngine([PlannedCheck(info("early"), found_then_waits), counting("a", 1)])
    assert engine.step(10.0) is False and engine.waiting and engine.current_title == "Early"
    assert [f.message for f in engine.run_to_end()] == ["early 0", "early 1", "a 0"]


def test_restart_and_cancel_close_parked_checks() -> None:
    log: list[str] = []
    closed: list[str] = []
    engine = ScanEngine([waiting("child", 100, log, closed), counting("a", 50, closed)], clock=Clock(1.0))
    engine.step(0.0)  # the child's first look: parked, "a" is now the running check
    engine.step(0.0)
    assert engine.current_title == "A" and len(engine.pending) == 1
    engine.restart_current()  # an edit: "a" starts again, the parked child is closed and planned again
    assert closed == ["a", "child"] and engine.pending == []
    while engine.current_title != "Child":
        engine.step(0.0)
    engine.step(0.0)  # planned again after "a", started afresh, waiting
    assert log.count("child started") == 2 and engine.waiting
    before = engine.progress
    engine.cancel()
    assert engine.progress == before > 0.5  # the parked child's share is not taken back
    assert closed == ["a", "child", "a", "child"]  # "a" ran to its end, then the cancel closed the child
    assert [f.message for f in engine.findings] == [f"a {n}" for n in range(50)]


def test_a_slice_stops_before_a_step_that_would_end_past_its_budget() -> None:
    clock = Clock(0.002)  # every step takes 2 ms on this clock
    engine = ScanEngine([counting("a", 40)], clock=clock)
    start = clock.now
    engine.step(0.010)
    # deadline at 12 ms: steps end at 6 and 10 ms; a third would end at 14 ms, so it waits for the next slice.
    assert len(engine.pending) == 1 and engine.check_fraction == 1 / 40  # finding, progress: two steps
    assert clock.now - start == pytest.approx(0.010)


def test_a_check_that_steps_aside_goes_on_once_no_unstarted_check_is_left() -> None:
    log: list[str] = []

    def aside() -> Iterator[Finding | Progress]:
        log.append("started its child")
        yield Progress(0.2, step_aside=True)
        log.append("reads its own side")
        yield Finding("aside", "sys-exit", "INFO", "aside 0")

    engine = ScanEngine([PlannedCheck(info("aside"), aside), counting("a", 2), counting("b", 1)], clock=Clock(0.001))
    titles = []
    while not engine.step(10.0):
        titles.append(engine.current_title)
    # Stepping aside ends no slice and costs no look between the other checks: it simply goes on after them.
    assert titles == [] and not engine.waiting
    assert log == ["started its child", "reads its own side"]
    assert [f.message for f in engine.findings] == ["a 0", "a 1", "b 0", "aside 0"]


def test_stepping_aside_with_nothing_left_to_run_just_goes_on() -> None:
    def aside() -> Iterator[Finding | Progress]:
        yield Progress(0.2, step_aside=True)
        yield Finding("aside", "sys-exit", "INFO", "aside 0")

    engine = ScanEngine([counting("a", 1), PlannedCheck(info("aside"), aside)])
    assert [f.message for f in engine.run_to_end()] == ["a 0", "aside 0"]


def test_a_timed_share_keeps_moving_when_the_wait_runs_long() -> None:
    """While a child reports nothing, a check's progress follows the time it usually takes: 63 % at that time, and
    still moving (more slowly) at ten times it, never reaching the end."""
    assert timed_share(0.0, 2.0) == 0.0
    assert timed_share(2.0, 2.0) == pytest.approx(0.632, abs=0.001)
    times = [0.1 * step for step in range(1, 201)]  # to 10x the expected 2 s, in ticks of 0.1 s
    shares = [timed_share(t, 2.0) for t in times]
    assert all(later > earlier for earlier, later in zip(shares, shares[1:], strict=False)) and shares[-1] < 1.0
    assert timed_share(-1.0, 2.0) == 0.0 and timed_share(5.0, 0.0) == 1.0
