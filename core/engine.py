"""The scan engine: walks the checks' generators in time-boxed slices.

The same engine serves the synchronous scan (run to the end), the modal scan (one slice per timer tick) and the
command line. It never touches Blender itself; checks do, through the generators they return.
A check that raises becomes one ERROR finding naming the check and the exception; the other checks still run.
"""

from __future__ import annotations

import gc
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .findings import CheckInfo, Finding, Progress

# A check's generator yields findings, progress, or a list of findings (many in one step: a step costs about half a
# microsecond, which adds up over tens of thousands of findings).
CheckRun = Callable[[], Iterator["Finding | Progress | list[Finding]"]]
_FINDING_TYPE = frozenset({Finding})  # what a yielded list may hold


@dataclass
class ScanState:
    """What the checks of one scan get from outside Blender's data, made by the runner for each engine and passed
    explicitly to checks that declare ``uses_scan_state``; it lives as long as that engine, so nothing outlives the
    scan.

    - ``check_ids``: the planned order;
    - ``project_root``: the folder that holds the whole project (the preference, resolved; else the nearest folder
      holding a version-control checkout or an asset library, or the .blend's own: ``core.paths.project_root``);
    - ``project_root_marker``: what was found there (``.git``...), "" for the preference or the .blend's folder;
    - ``changes``: counters the runner bumps on edits, undo/redo and file loads (read live: a check compares them to
      tell whether the file changed since an earlier check of the same scan);
    - ``takes``: the hand-over keys each planned check takes (``CheckInfo.takes``);
    - ``handover``: plain values one check hands to a later one, by key.
    """

    check_ids: tuple[str, ...]
    project_root: str = ""
    project_root_marker: str = ""
    changes: Mapping[str, int] = field(default_factory=dict)
    takes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    handover: dict[str, Any] = field(default_factory=dict)

    def taken_after(self, check_id: str, key: str) -> bool:
        """True when a check planned after ``check_id`` in this scan takes the hand-over ``key``."""
        ids = self.check_ids
        later = ids[ids.index(check_id) + 1 :] if check_id in ids else ()
        return any(key in self.takes.get(other, ()) for other in later)

    def change_count(self) -> tuple[tuple[str, int], ...]:
        """The change counters now, as one comparable value."""
        return tuple(sorted(self.changes.items()))


@dataclass
class PlannedCheck:
    info: CheckInfo
    start: CheckRun  # makes a fresh generator of the check's findings and progress


@dataclass
class _Parked:
    """A check set aside while it waits on a child process (it has yielded no finding yet)."""

    index: int
    live: Iterator[Finding | Progress | list[Finding]]
    fraction: float
    until_idle: bool = False  # stepped aside (not waiting): goes on once no unstarted check is left


@dataclass
class ScanEngine:
    """Runs the planned checks one at a time; ``index`` is the planned check now running.

    A check that yields ``Progress(waiting=True)`` or ``Progress(step_aside=True)`` before its first finding is parked
    while later checks run: a check that waits on a child process (library_data_modified reads library files in
    another Blender) then costs the scan little more than the child's own time. Waiting checks are looked at between
    two checks; a check that stepped aside goes on once no unstarted check is left. A waiting step always ends the
    slice, so a modal scan gives the window its time back instead of waiting inside a tick.
    """

    checks: Sequence[PlannedCheck]
    clock: Callable[[], float] = time.perf_counter
    scan_state: ScanState | None = None  # the state the runner handed to this scan's checks, if any
    findings: list[Finding] = field(default_factory=list)
    index: int = 0  # the planned check now running; len(checks) once every check has finished
    check_fraction: float = 0.0
    # Per check id: [generator steps, their total seconds, the longest one] (what a modal slice can cost).
    step_profile: dict[str, list[float]] = field(default_factory=dict)
    waiting: bool = False  # the last slice ended because the running check waits on a child process
    _live: Iterator[Finding | Progress | list[Finding]] | None = None
    _current_findings: list[Finding] = field(default_factory=list)
    _unstarted: list[int] = field(default_factory=list)  # planned checks not started yet, in order
    _parked: list[_Parked] = field(default_factory=list)
    _finished: int = 0
    _cancelled_at: float | None = None  # the progress when cancelled (parked checks' share included)

    def __post_init__(self) -> None:
        self._unstarted = list(range(1, len(self.checks)))

    @property
    def done(self) -> bool:
        return self.index >= len(self.checks)

    @property
    def progress(self) -> float:
        if not self.checks:
            return 1.0
        if self._cancelled_at is not None:
            return self._cancelled_at
        parked = sum(entry.fraction for entry in self._parked)
        running = 0.0 if self.done else self.check_fraction
        return min(1.0, (self._finished + running + parked) / len(self.checks))

    @property
    def longest_step_s(self) -> float:
        """The longest single generator step seen, for budgeting honesty."""
        return max((profile[2] for profile in self.step_profile.values()), default=0.0)

    @property
    def pending(self) -> list[Finding]:
        """Findings the running check has yielded so far; dropped again if that check is restarted."""
        return list(self._current_findings)

    @property
    def current_title(self) -> str:
        return "" if self.done else self.checks[self.index].info.title

    def step(self, budget_s: float) -> bool:
        """Run checks for about ``budget_s`` seconds of work; returns True when every check has finished.

        The budget is checked between generator steps, so a check must yield often (each step well under the
        budget) for the modal scan to stay responsive; a step that would likely end past the budget (as long as the
        last one) is left to the next slice. A waiting step ends the slice early (``waiting``).
        """
        deadline = self.clock() + budget_s
        self.waiting = False
        while not self.done:
            check_id = self.checks[self.index].info.id
            started = self.clock()
            waited = self._advance()
            now = self.clock()
            took = now - started
            profile = self.step_profile.get(check_id)
            if profile is None:
                self.step_profile[check_id] = [1, took, took]
            else:
                profile[0] += 1
                profile[1] += took
                if took > profile[2]:
                    profile[2] = took
            if waited:
                self.waiting = True
                break
            # Stop before a step that would likely end past the deadline (steps of one check take about as long
            # as each other): the slice overshoots its budget by less than one step.
            if now + took >= deadline:
                break
        return self.done

    def run_to_end(self) -> list[Finding]:
        """Run every check to the end at once (the synchronous scan).

        A scan makes tens of thousands of small objects (findings, their details) and frees none of them, so the
        cyclic garbage collector's passes, full ones over every object in the process included, find nothing to free
        while costing up to a third of a big scan: they are paused until the scan ends, then allowed again (nothing
        is lost: the next pass sees everything)."""
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            while not self.step(3600.0):
                if self.waiting:
                    time.sleep(_WAIT_POLL_S)  # only a child process has work left: let it have the CPU
        finally:
            if was_enabled:
                gc.enable()
        return self.findings

    def restart_current(self) -> None:
        """Drop the running check's generator and its findings so far and start it again; parked checks start
        again too, later.

        Used when the file changed between two slices (undo, redo, load, edits): a suspended generator may hold
        references to Blender data that no longer exist, so it must never be resumed.
        """
        self._drop_live()
        self._current_findings = []
        self.check_fraction = 0.0
        for entry in self._parked:
            _close(entry.live)
        self._unstarted = sorted(self._unstarted + [entry.index for entry in self._parked])
        self._parked = []

    def cancel(self) -> None:
        """Stop: keep the findings of finished checks and those the running check has yielded so far."""
        self._cancelled_at = self.progress
        self.findings.extend(self._current_findings)
        self._current_findings = []
        self._drop_live()
        for entry in self._parked:
            _close(entry.live)  # parked checks have yielded no finding
        self._parked = []

    def _drop_live(self) -> None:
        live, self._live = self._live, None
        if live is not None:
            _close(live)

    def _advance(self) -> bool:
        """One generator step of the running check; True when it only waits."""
        planned = self.checks[self.index]
        try:
            if self._live is None:
                self._live = planned.start()
            item = next(self._live)
        except StopIteration:
            self._finish_current()
            return False
        except Exception as error:  # noqa: BLE001 - a failing check becomes a finding, not a dead scan
            self._current_findings.append(check_failed_finding(planned.info, error))
            self._live = None
            self._finish_current()
            return False
        return self._take(planned, item)

    def _take(self, planned: PlannedCheck, item: object) -> bool:
        if isinstance(item, Finding):
            self._current_findings.append(item)
        elif isinstance(item, Progress):
            self.check_fraction = min(1.0, max(0.0, item.fraction))
            if item.step_aside and self._unstarted and not self._current_findings and self._live is not None:
                self._parked.append(_Parked(self.index, self._live, self.check_fraction, until_idle=True))
                self._live = None
                self._start(self._unstarted.pop(0))
                return False
            if item.waiting:
                if self._unstarted and not self._current_findings and self._live is not None:
                    self._parked.append(_Parked(self.index, self._live, self.check_fraction))
                    self._live = None
                    self._start(self._unstarted.pop(0))
                return True
        elif type(item) is list and {*map(type, item)} <= _FINDING_TYPE:  # in C: lists of 50,000 findings
            self._current_findings.extend(item)
        else:
            self._current_findings.append(
                check_failed_finding(
                    planned.info, TypeError(f"yielded {type(item).__name__}, not Finding/Progress/list of Finding")
                )
            )
            self._drop_live()
            self._finish_current()
        return False

    def _start(self, index: int) -> None:
        self.index = index
        self.check_fraction = 0.0
        self._current_findings = []
        self._live = None

    def _finish_current(self) -> None:
        self.findings.extend(self._current_findings)
        self._current_findings = []
        self._live = None
        self._finished += 1
        self.check_fraction = 0.0
        self._next_current()

    def _next_current(self) -> None:
        """Between two checks: a parked check that has stopped waiting goes on first; else the next unstarted check;
        else a check that stepped aside; else the parked checks in turn (each waits as the running check); else every
        check has finished."""
        for position, entry in enumerate(self._parked):
            if entry.until_idle:
                continue  # it has work, and waits only for the unstarted checks to run first
            planned = self.checks[entry.index]
            try:
                item = next(entry.live)
            except StopIteration:
                del self._parked[position]
                self._start(entry.index)
                self._finish_current()
                return
            except Exception as error:  # noqa: BLE001 - a failing check becomes a finding, not a dead scan
                del self._parked[position]
                self._start(entry.index)
                self._current_findings.append(check_failed_finding(planned.info, error))
                self._finish_current()
                return
            if isinstance(item, Progress) and item.waiting:
                entry.fraction = min(1.0, max(0.0, item.fraction))
                continue
            del self._parked[position]  # it has work again: it runs now
            self._start(entry.index)
            self._live = entry.live
            self.check_fraction = entry.fraction
            self._take(planned, item)
            return
        if self._unstarted:
            self._start(self._unstarted.pop(0))
        elif self._parked:
            aside = [entry for entry in self._parked if entry.until_idle]
            entry = aside[0] if aside else self._parked[0]
            self._parked.remove(entry)
            self._start(entry.index)
            self._live = entry.live
            self.check_fraction = entry.fraction
        else:
            self._start(len(self.checks))


_WAIT_POLL_S = 0.002  # the synchronous scan's sleep while only a child process works


def _close(live: Iterator[Finding | Progress | list[Finding]]) -> None:
    if hasattr(live, "close"):
        try:
            live.close()
        except Exception:  # noqa: BLE001 - a check's cleanup failing must not kill the scan
            pass


def check_failed_finding(info: CheckInfo, error: BaseException) -> Finding:
    return Finding(
        check=info.id,
        topic=info.topic,
        severity="ERROR",
        message=f'The check "{info.title}" failed ({type(error).__name__}: {error}); the other checks still ran.',
        details={
            "check_failed": True,
            "exception": type(error).__name__,
            "error": str(error),
            "traceback": "".join(traceback.format_exception(type(error), error, error.__traceback__))[-4000:],
        },
    )
