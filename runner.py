"""Glue between the Blender-free scan engine and Blender: plans the checks, stores findings, builds reports,
and watches for changes to the file while a modal scan is suspended between timer ticks.
"""

from __future__ import annotations

import functools
import os
import time
import uuid
from collections.abc import Sequence
from typing import Any

import bpy

from . import preferences, properties
from .checks import ALL_CHECKS, by_id
from .core import paths
from .core.datablocks import collection_name
from .core.engine import PlannedCheck, ScanEngine, ScanState
from .core.findings import Finding
from .core.report import build_report, count_by_severity, summary

# Counters bumped by handlers; plain ints, never Blender data. The modal scan compares them between ticks:
# an undo/redo/edit may free the data a suspended check generator refers to, so that check is restarted,
# and a file load ends the scan (its findings would describe another file).
change_counters = {"edits": 0, "loads": 0}
# Names this process; with the load counter it says which load of a file a scan saw (findings_token).
_PROCESS = uuid.uuid4().hex[:12]


def findings_token() -> str:
    """Which load of the open file this is: a scan stores it, and its findings describe that load only (a file
    reopened, reverted or replaced with Load UI off keeps the old findings in the window manager)."""
    return f"{_PROCESS}:{change_counters['loads']}"


class UnknownChecksError(ValueError):
    pass


def parse_check_ids(text: str) -> list[str]:
    """``"id1, id2"`` -> ids, validated against the registry; empty text means every enabled check."""
    # Each check once, in the order first named: a check named twice would run twice and double its findings.
    wanted = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not wanted:
        return preferences.enabled_check_ids()
    unknown = [check_id for check_id in wanted if by_id(check_id) is None]
    if unknown:
        known = ", ".join(module.INFO.id for module in ALL_CHECKS)
        raise UnknownChecksError(f"Unknown check {', '.join(repr(u) for u in unknown)}; known checks: {known}")
    return wanted


def make_engine(check_ids: Sequence[str], scanned: Sequence[str] = ()) -> ScanEngine:
    """``scanned``: the folders a many-files scan was given, the project root when nothing marks one (see
    core.paths.project_root)."""
    root = paths.project_root(preferences.project_root_setting(), bpy.data.filepath, scanned=scanned)
    scan_state = ScanState(
        tuple(check_ids),
        project_root=root.path,
        project_root_marker=root.marker,
        changes=change_counters,
        takes={check_id: _module(check_id).INFO.takes for check_id in check_ids},
    )
    planned = []
    for check_id in check_ids:
        module = _module(check_id)
        # bpy.data / bpy.context are the module-level proxies, re-read by the generator on each step.
        extra = (scan_state,) if module.INFO.uses_scan_state else ()
        planned.append(PlannedCheck(module.INFO, functools.partial(module.run, bpy.data, bpy.context, *extra)))
    return ScanEngine(planned, scan_state=scan_state)


def _module(check_id: str) -> Any:
    module = by_id(check_id)
    if module is None:  # parse_check_ids validates what users give; this is a caller's mistake
        raise UnknownChecksError(f"Unknown check {check_id!r}")
    return module


def begin(state: Any, check_ids: Sequence[str]) -> None:
    properties.clear_findings(state)
    state.active_index = 0
    state.cancelled = False
    state.has_scanned = True
    state.progress = 0.0
    state.blend_file = os.fsencode(bpy.data.filepath)
    state.scanned_in = findings_token()
    state.checks_run = ",".join(check_ids)


# The last finished scan's step profile (check id -> steps, total seconds, longest step): plain values, for
# benchmarks and the window tests' observer.
last_step_profile: dict[str, list[float]] = {}
# The last modal scan's ticks: [count, total seconds of work, the longest tick], and each tick's (wall-clock start,
# seconds of work, budget) so an observer can line the ticks up with the window's own stalls.
last_tick_profile: list[float] = []
last_tick_times: list[tuple[float, float, float]] = []
_TICK_TIMES_KEPT = 20_000


def finish(state: Any, engine: ScanEngine, *, cancelled: bool) -> None:
    last_step_profile.clear()
    last_step_profile.update({check_id: list(values) for check_id, values in engine.step_profile.items()})
    state.is_running = False
    state.cancelled = cancelled
    state.progress = engine.progress if cancelled else 1.0
    tally = count_by_severity(finding.severity for finding in engine.findings)
    state.status = f"{'Cancelled: partial results, ' if cancelled else ''}{summary(tally)}"


class ModalScan:
    """One interactive scan, advanced one timer tick at a time. Plain Python, so it is tested without a window.

    Between two ticks the user may edit, undo, redo or load a file. The running check's suspended generator may then
    hold references to freed data ("Help! My script crashes Blender"), so it is never resumed: an edit restarts that
    check, a load stops the scan (the findings would describe another file).
    """

    def __init__(self, state: Any, check_ids: Sequence[str]) -> None:
        begin(state, check_ids)
        state.is_running = True
        state.status = "Scanning…"
        self.engine = make_engine(check_ids)
        self.stored = 0
        self.restarts = 0
        self._seen = dict(change_counters)
        self._token = state.scanned_in
        self.ticks = [0, 0.0, 0.0]  # count, total seconds, longest
        last_tick_times.clear()

    def tick(self, state: Any, budget_s: float) -> str:
        """Runs one slice; returns "running", "finished" or "file-loaded" (the scan was stopped)."""
        started, wall = time.perf_counter(), time.time()
        try:
            return self._tick(state, budget_s)
        finally:
            took = time.perf_counter() - started
            self.ticks[0] += 1
            self.ticks[1] += took
            self.ticks[2] = max(self.ticks[2], took)
            last_tick_profile[:] = self.ticks
            if len(last_tick_times) < _TICK_TIMES_KEPT:
                last_tick_times.append((wall, took, budget_s))

    def _tick(self, state: Any, budget_s: float) -> str:
        if change_counters["loads"] != self._seen["loads"]:
            # The load handler has already marked this scan stopped; a scan started since then owns the state.
            if not (state.is_running and state.scanned_in != self._token):
                self.cancel(state)
            return "file-loaded"
        if change_counters["edits"] != self._seen["edits"]:
            self.engine.restart_current()
            self.restarts += 1
            # Take back what was shown of the restarted check: it is found again from the start.
            properties.remove_findings_from(state, len(self.engine.findings))
            self.stored = len(state.findings)
        # Listing a finding costs about a microsecond (properties.add_findings), a small part of finding it, so what
        # a slice found is listed in the same tick.
        self.engine.step(budget_s)
        finished = self.engine.findings
        # Findings of finished checks and, so the list fills as the scan goes, those of the running check.
        # What is listed is always a prefix of (finished findings + pending ones): add only the new tail.
        new = finished[self.stored :] + self.engine.pending[max(0, self.stored - len(finished)) :]
        properties.add_findings(state, new)
        self.stored += len(new)
        done = self.engine.done
        state.progress = self.engine.progress
        if done:
            finish(state, self.engine, cancelled=False)
        else:
            state.status = f"Scanning: {self.engine.current_title}"
        # Read after our own writes (to the window manager) so they never count as edits.
        self._seen = dict(change_counters)
        return "finished" if done else "running"

    def cancel(self, state: Any) -> None:
        """Esc: keep what was found so far, marked as cancelled."""
        self.engine.cancel()
        properties.add_findings(state, self.engine.findings[self.stored :])
        self.stored = len(self.engine.findings)
        finish(state, self.engine, cancelled=True)


def run_sync(check_ids: Sequence[str], state: Any) -> ScanEngine:
    """The synchronous scan (EXEC, scripts)."""
    begin(state, check_ids)
    engine = make_engine(check_ids)
    engine.run_to_end()
    properties.add_findings(state, engine.findings)
    finish(state, engine, cancelled=False)
    return engine


def scanned_file_changed(state: Any) -> bool:
    """True when the open file is not the one the findings describe: another path, or a file loaded since the
    scan (even under the same path, or unsaved like the one scanned)."""
    return bool(state.blend_file != os.fsencode(bpy.data.filepath) or state.scanned_in != findings_token())


def scan_findings(check_ids: Sequence[str], scanned: Sequence[str] = ()) -> list[Finding]:
    """The findings of a synchronous scan, not stored anywhere (the command line)."""
    return make_engine(check_ids, scanned).run_to_end()


def report(findings: Sequence[Finding], *, cancelled: bool = False) -> dict[str, Any]:
    """The report of ``findings`` about the open file, in this Blender."""
    return build_report(
        findings, blender_version=bpy.app.version_string, blend_file=bpy.data.filepath, cancelled=cancelled
    )


def report_from_state(state: Any) -> dict[str, Any]:
    """The report of the listed findings (the last scan's, and an explanation), about the file they describe."""
    return build_report(
        properties.listed_findings(state),
        blender_version=bpy.app.version_string,
        blend_file=os.fsdecode(state.blend_file),
        # A scan still running has found part of what it will: the report says so (callers refuse to export it).
        cancelled=state.cancelled or state.is_running,
    )


@bpy.app.handlers.persistent
def _on_edit(*_args: Any) -> None:
    change_counters["edits"] += 1


@bpy.app.handlers.persistent
def _on_load(*_args: Any) -> None:
    change_counters["loads"] += 1
    # A load can drop a modal scan without an event to end it (a file opened with Load UI off keeps the window
    # manager, and with it a state saying "running" for good: Scan, Explain and Clear stay disabled).
    for window_manager in bpy.data.window_managers:
        state = getattr(window_manager, "gotcha_doctor", None)
        if state is None:
            continue
        properties.forget_unknown(state)  # a list saved in the file names findings of another session
        if state.is_running:
            stop_interrupted(state, "another file was loaded during the scan")


def stop_interrupted(state: Any, why: str) -> None:
    """End a scan that stopped without finishing or Esc: its findings are partial (and may be about another file)."""
    state.is_running = False
    state.cancelled = True
    state.status = f"Stopped: {why} (partial results)"


_HANDLERS = (
    (bpy.app.handlers.depsgraph_update_post, _on_edit),
    (bpy.app.handlers.undo_post, _on_edit),
    (bpy.app.handlers.redo_post, _on_edit),
    (bpy.app.handlers.load_post, _on_load),
)


def register_handlers() -> None:
    for handlers, function in _HANDLERS:
        if function not in handlers:
            handlers.append(function)


def unregister_handlers() -> None:
    for handlers, function in _HANDLERS:
        if function in handlers:
            handlers.remove(function)


def lookup_datablock(id_type: str, name: str, library: str | None) -> Any:
    """The datablock a finding names, looked up fresh; None when it no longer exists."""
    attr = collection_name(id_type)
    collection = getattr(bpy.data, attr, None) if attr else None
    if collection is None:
        return None
    return collection.get((name, library))
