"""``gotcha.scan``: EXEC runs every enabled check to the end; INVOKE in a window runs them modally from a
window timer, each tick working for what keeps the window's event loop answering (core.pacing), with progress in
the panel and the status bar; Esc cancels and keeps partial results. No redraw hacks: only the regions that show
progress are tagged for redraw, a few times a second.
"""

from __future__ import annotations

import time
from typing import Any

import bpy
from bpy.props import StringProperty

from .. import preferences, properties, runner
from ..core.pacing import TickPacer
from ..core.text import display

_TIMER_INTERVAL_S = 0.01
_STATUS_EVERY_S = 1.0  # the status bar's progress while the panel shows it too


class GOTCHA_OT_scan(bpy.types.Operator):
    bl_idname = "gotcha.scan"
    bl_label = "Gotcha Doctor: Scan"
    bl_description = (
        "Scan the open file for Blender Python API gotchas (paths, Edit Mode data, name collisions, ...) "
        "and list what was found; read-only"
    )
    # No UNDO: a scan changes nothing, so it must not add an undo step.
    bl_options = {"REGISTER"}

    checks: StringProperty(
        name="Checks",
        description="Comma-separated check ids to run; empty runs every enabled check",
        default="",
        options={"SKIP_SAVE"},
    )

    _scan: runner.ModalScan | None = None
    _pacer: TickPacer | None = None
    _timer: Any = None
    _status_shown_at: float = 0.0

    @classmethod
    def poll(cls, context: Any) -> bool:
        if properties.state(context).is_running:
            cls.poll_message_set("A scan is already running (press Esc in its window to cancel it)")
            return False
        return True

    def execute(self, context: Any) -> set[str]:
        try:
            check_ids = runner.parse_check_ids(self.checks)
        except runner.UnknownChecksError as error:
            self.report({"ERROR"}, str(error))
            return {"CANCELLED"}
        state = properties.state(context)
        runner.run_sync(check_ids, state)
        properties.tag_panel_redraw(context)
        self.report({"INFO"}, f"Gotcha Doctor: {state.status}")
        return {"FINISHED"}

    def invoke(self, context: Any, event: Any) -> set[str]:
        if bpy.app.background or context.window is None:
            return self.execute(context)  # no event loop: a modal operator would never get a tick
        try:
            check_ids = runner.parse_check_ids(self.checks)
        except runner.UnknownChecksError as error:
            self.report({"ERROR"}, str(error))
            return {"CANCELLED"}
        self._scan = runner.ModalScan(properties.state(context), check_ids)
        self._pacer = TickPacer(floor_s=preferences.time_budget_s(context))
        wm = context.window_manager
        self._timer = wm.event_timer_add(_TIMER_INTERVAL_S, window=context.window)
        wm.modal_handler_add(self)
        wm.progress_begin(0, 100)
        _show_progress(context)
        return {"RUNNING_MODAL"}

    def modal(self, context: Any, event: Any) -> set[str]:
        try:
            return self._modal(context, event)
        except Exception as error:  # noqa: BLE001 - never leave a scan stuck "running" with its timer alive
            self._end(context)
            state = properties.state(context)
            state.is_running = False
            state.status = f"Scan stopped by an internal error: {type(error).__name__}: {display(str(error))}"
            self.report({"ERROR"}, f"Gotcha Doctor: {state.status}")
            return {"CANCELLED"}

    def _modal(self, context: Any, event: Any) -> set[str]:
        scan = self._scan
        assert scan is not None
        state = properties.state(context)
        if event.type == "ESC" and event.value == "PRESS":
            scan.cancel(state)
            self._end(context)
            self.report({"WARNING"}, f"Gotcha Doctor: scan cancelled, {scan.stored} findings kept (partial)")
            return {"CANCELLED"}
        if event.type != "TIMER":
            # Any timer event ticks the scan (Event has no attribute naming its timer); all other events pass
            # through, so the UI stays usable while the scan runs.
            return {"PASS_THROUGH"}
        # The work of this tick adapts to what the window's event loop takes (core.pacing); the progress is
        # redrawn only every so often, as a redraw is most of a loop's cost, and ticks that redraw work less.
        # Where it is seen: the panel when a window shows it, with the status bar now and then (a redraw of the
        # status bar, measured in a real window, cost about as much as one of the sidebar); else the status bar.
        pacer = self._pacer
        assert pacer is not None
        budget, redraw = pacer.start()
        outcome = scan.tick(state, budget)
        if outcome == "running":
            if redraw:
                context.window_manager.progress_update(int(scan.engine.progress * 100))
                shown = properties.panel_shown(context)
                now = time.perf_counter()
                status = not shown or now - self._status_shown_at >= _STATUS_EVERY_S
                if status:
                    self._status_shown_at = now
                _show_progress(context, sidebar=shown, status=status)
            pacer.finished()
            return {"RUNNING_MODAL"}
        self._end(context)
        if outcome == "file-loaded":
            self.report({"WARNING"}, "Gotcha Doctor: another file was loaded during the scan; scan stopped")
            return {"CANCELLED"}
        self.report({"INFO"}, f"Gotcha Doctor: {state.status}")
        return {"FINISHED"}

    def cancel(self, context: Any) -> None:
        # Blender calls this when it drops the modal handler without an event for us (e.g. on a file load): end the
        # timer, progress and status text, and never leave the state "running".
        self._end(context)
        state = properties.state(context)
        if state.is_running:
            runner.stop_interrupted(state, "Blender ended the scan (a file was loaded or its window closed)")

    def _end(self, context: Any) -> None:
        wm = context.window_manager
        if self._timer is not None:
            wm.event_timer_remove(self._timer)
            self._timer = None
        wm.progress_end()
        if context.workspace is not None:
            context.workspace.status_text_set(None)
        self._scan = None
        properties.tag_panel_redraw(context)


def _show_progress(context: Any, sidebar: bool = True, status: bool = True) -> None:
    if sidebar:
        properties.tag_panel_redraw(context)
    if status and context.workspace is not None:
        context.workspace.status_text_set(_draw_status_progress)  # also tags the status bar for redraw


def _draw_status_progress(header: Any, context: Any) -> None:
    state = properties.state(context)
    row = header.layout.row(align=True)
    row.label(text="Gotcha Doctor", icon="VIEWZOOM")
    row.progress(factor=state.progress, type="BAR", text=f"{state.progress * 100:.0f}%  {state.status}  (Esc cancels)")


classes: tuple[type, ...] = (GOTCHA_OT_scan,)
