"""``gotcha.scan``: EXEC runs every enabled check to the end; INVOKE in a window runs them modally from a
window timer, a few milliseconds of work per tick, with progress in the panel and the status bar; Esc cancels
and keeps partial results. No redraw hacks: only the regions that show progress are tagged for redraw.
"""

from __future__ import annotations

from typing import Any

import bpy
from bpy.props import StringProperty  # type: ignore[attr-defined]

from .. import preferences, properties, runner
from ..core.engine import ScanEngine

_TIMER_INTERVAL_S = 0.01


class GOTCHA_OT_scan(bpy.types.Operator):
    bl_idname = "gotcha.scan"
    bl_label = "Gotcha Doctor: Scan"
    bl_description = (
        "Scan the open file for Blender Python API gotchas (paths, Edit Mode data, name collisions, ...) "
        "and list what was found; read-only"
    )
    # No UNDO: a scan changes nothing, so it must not add an undo step.
    bl_options = {"REGISTER"}

    checks: StringProperty(  # type: ignore[valid-type]
        name="Checks",
        description="Comma-separated check ids to run; empty runs every enabled check",
        default="",
        options={"SKIP_SAVE"},
    )

    _engine: ScanEngine | None = None
    _timer: Any = None
    _stored: int = 0
    _seen_changes: tuple[int, int] = (0, 0)

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
        state = properties.state(context)
        runner.begin(state, check_ids)
        state.is_running = True
        state.status = "Scanning…"
        self._engine = runner.make_engine(check_ids)
        self._stored = 0
        self._seen_changes = (runner.change_counters["edits"], runner.change_counters["loads"])
        wm = context.window_manager
        self._timer = wm.event_timer_add(_TIMER_INTERVAL_S, window=context.window)
        wm.modal_handler_add(self)
        wm.progress_begin(0, 100)
        context.workspace.status_text_set(_draw_status_progress)
        return {"RUNNING_MODAL"}

    def modal(self, context: Any, event: Any) -> set[str]:
        state = properties.state(context)
        engine = self._engine
        assert engine is not None
        if event.type == "ESC" and event.value == "PRESS":
            engine.cancel()
            self._stored = runner.store_new(state, engine, self._stored)
            self._end(context, cancelled=True)
            self.report({"WARNING"}, f"Gotcha Doctor: scan cancelled, {self._stored} findings kept (partial)")
            return {"CANCELLED"}
        if event.type != "TIMER" or event.timer is not self._timer:
            return {"PASS_THROUGH"}  # the UI stays usable while the scan runs

        edits, loads = runner.change_counters["edits"], runner.change_counters["loads"]
        if loads != self._seen_changes[1]:
            engine.cancel()
            self._stored = runner.store_new(state, engine, self._stored)
            self._end(context, cancelled=True)
            self.report({"WARNING"}, "Gotcha Doctor: another file was loaded during the scan; scan stopped")
            return {"CANCELLED"}
        if edits != self._seen_changes[0]:
            engine.restart_current()  # the suspended check may hold data that was just freed

        done = engine.step(preferences.time_budget_s(context))
        self._stored = runner.store_new(state, engine, self._stored)
        state.progress = engine.progress
        state.status = f"Scanning: {engine.current_title}" if not done else state.status
        context.window_manager.progress_update(int(engine.progress * 100))
        _tag_progress_regions(context)
        if context.workspace is not None:
            context.workspace.status_text_set(_draw_status_progress)  # also tags the status bar for redraw
        # Our own writes above are to the window manager; read counters after them so they never count as edits.
        self._seen_changes = (runner.change_counters["edits"], runner.change_counters["loads"])
        if done:
            self._end(context, cancelled=False)
            self.report({"INFO"}, f"Gotcha Doctor: {state.status}")
            return {"FINISHED"}
        return {"RUNNING_MODAL"}

    def _end(self, context: Any, *, cancelled: bool) -> None:
        wm = context.window_manager
        if self._timer is not None:
            wm.event_timer_remove(self._timer)
            self._timer = None
        wm.progress_end()
        if context.workspace is not None:
            context.workspace.status_text_set(None)
        assert self._engine is not None
        runner.finish(properties.state(context), self._engine, cancelled=cancelled)
        self._engine = None
        _tag_progress_regions(context)


def _draw_status_progress(header: Any, context: Any) -> None:
    state = properties.state(context)
    row = header.layout.row(align=True)
    row.label(text="Gotcha Doctor", icon="VIEWZOOM")
    row.progress(factor=state.progress, type="BAR", text=f"{state.progress * 100:.0f}%  {state.status}  (Esc cancels)")


def _tag_progress_regions(context: Any) -> None:
    """Redraw only what shows progress: the 3D View sidebars (the panel) and the status bar."""
    screen = context.screen
    if screen is None:
        return
    for area in screen.areas:
        if area.type == "VIEW_3D":
            for region in area.regions:
                if region.type == "UI":
                    region.tag_redraw()


classes: tuple[type, ...] = (GOTCHA_OT_scan,)
