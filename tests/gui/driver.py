"""Observer that runs inside a real, windowed Blender during the window tests (tests/gui/).

    blender FILE.blend --python tests/gui/driver.py -- --log LOG.jsonl [--cmd CMD.json]

It never clicks or types itself: the host drives the UI with xdotool, like a user. This script only records
what Blender's own state says, one JSON object per line in LOG.jsonl (append-only, flushed every ~50 ms so the
host can follow it):

- ``ready``     once the window, the file and the extension are there (Blender version, extension module)
- ``geom``      window / area / region rectangles in X screen coordinates (top-left origin) when they change,
                plus the sidebar's active tab (``Region.active_panel_category``)
- ``state``     the extension's window-manager state whenever it changes: is_running, progress, cancelled,
                findings count, active finding, active object, selected objects, last registered operator
- ``ticks``     timestamps of this script's own ``bpy.app.timers`` callback (requested every 5 ms): a gap
                between two ticks is time the event loop was not getting back to timers (UI frozen)
- ``draws``     timestamps of redraws: the 3D View sidebar region (``draw_handler_add(..., 'UI', 'POST_PIXEL')``),
                the 3D viewport region ('WINDOW'), the other editors of the layout (outliner, properties,
                timeline, the 3D View's header) and calls of the Gotcha Doctor panel's draw (``Panel.append``),
                with the duration of each of those draws (``panel_ms``: from a ``Panel.prepend`` to the append)
- ``scan_end``  when a scan stops: count, cancelled flag and the first findings (for the row-click check)
- ``cmd``       commands the host wrote to CMD.json (``{"seq": N, "cmd": "quit"|"mark", ...}``)

All times are ``time.time()`` so the host can put them on the same timeline as its own steps.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
import traceback

import bpy

EXTENSION_ID = "gotcha_doctor"
TICK_S = 0.005
FLUSH_S = 0.05


def _args() -> dict[str, str]:
    argv = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else []
    out: dict[str, str] = {}
    for i in range(0, len(argv) - 1, 2):
        out[argv[i].lstrip("-")] = argv[i + 1]
    return out


ARGS = _args()
LOG_PATH = ARGS.get("log", "/tmp/gotcha-gui-driver.jsonl")
CMD_PATH = ARGS.get("cmd", "")


class Recorder:
    def __init__(self, path: str) -> None:
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - lives as long as Blender
        self.pending: list[str] = []
        self.ticks: list[float] = []
        # region -> timestamps; "panel_ms": how long each draw() of the Gotcha Doctor panel took (layout only)
        self.draws: dict[str, list[float]] = {"ui": [], "viewport": [], "panel": [], "panel_ms": []}
        for other in OTHER_EDITORS:
            self.draws[other] = []
        self.last_flush = 0.0
        self.last_state: dict | None = None
        self.last_geom: dict | None = None
        self.ready = False
        self.cmd_seq = -1
        self.was_running = False
        self.errors = 0
        self.baseline_until = 0.0

    def emit(self, kind: str, **fields) -> None:
        fields = {"k": kind, "t": time.time(), **fields}
        self.pending.append(json.dumps(fields, ensure_ascii=False, default=str))

    def flush(self, force: bool = False) -> None:
        now = time.time()
        if not force and now - self.last_flush < FLUSH_S:
            return
        self.last_flush = now
        if self.ticks:
            self.emit("ticks", ts=self.ticks)
            self.ticks = []
        for region, stamps in self.draws.items():
            if stamps:
                self.emit("draws", region=region, ts=stamps)
                self.draws[region] = []
        if self.pending:
            self.file.write("\n".join(self.pending) + "\n")
            self.file.flush()
            self.pending = []


# The other editors of the default layout: when one of them redraws during a scan, the pass that draws it is longer.
OTHER_EDITORS = {
    "outliner": ("SpaceOutliner", "WINDOW"),
    "properties": ("SpaceProperties", "WINDOW"),
    "timeline": ("SpaceDopeSheetEditor", "WINDOW"),
    "view3d_header": ("SpaceView3D", "HEADER"),
}

REC = Recorder(LOG_PATH)

# Python's cyclic garbage collector stops the whole interpreter while it runs: its pauses are logged, so a stall of
# the UI can be told apart from the scan's own work. (The callback only appends; the tick writes the records.)
_GC_STARTED: list[float] = []
_GC_PAUSES: list[tuple[float, int, float]] = []  # (end time, generation, milliseconds)


def _on_gc(phase: str, info: dict) -> None:
    if phase == "start":
        _GC_STARTED[:] = [time.perf_counter()]
    elif _GC_STARTED:
        took_ms = (time.perf_counter() - _GC_STARTED[0]) * 1000
        if took_ms >= 5.0:
            _GC_PAUSES.append((time.time(), int(info.get("generation", -1)), round(took_ms, 1)))


gc.callbacks.append(_on_gc)

# Depsgraph evaluations (depsgraph_update_pre .. _post) likewise: what Blender does between two of the scan's ticks.
_DEPSGRAPH_STARTED: list[float] = []
_DEPSGRAPH_UPDATES: list[tuple[float, float]] = []  # (end time, milliseconds)


@bpy.app.handlers.persistent
def _on_depsgraph_pre(*_args) -> None:
    _DEPSGRAPH_STARTED[:] = [time.perf_counter()]


@bpy.app.handlers.persistent
def _on_depsgraph_post(*_args) -> None:
    if _DEPSGRAPH_STARTED:
        _DEPSGRAPH_UPDATES.append((time.time(), round((time.perf_counter() - _DEPSGRAPH_STARTED[0]) * 1000, 1)))


bpy.app.handlers.depsgraph_update_pre.append(_on_depsgraph_pre)
bpy.app.handlers.depsgraph_update_post.append(_on_depsgraph_post)


def _gd_state():
    wm = bpy.context.window_manager
    return getattr(wm, "gotcha_doctor", None) if wm is not None else None


def _ext_module() -> str | None:
    for name in sys.modules:
        if name.startswith("bl_ext.") and name.endswith("." + EXTENSION_ID):
            return name
    return None


def _geometry() -> dict | None:
    wm = bpy.context.window_manager
    if wm is None or not wm.windows:
        return None
    win = wm.windows[0]
    screen = win.screen
    geom: dict = {
        "window": {"x": win.x, "y": win.y, "w": win.width, "h": win.height},
        "ui_scale": bpy.context.preferences.system.ui_scale,
        "pixel_size": bpy.context.preferences.system.pixel_size,
        "areas": [],
    }

    def rect(x: int, y: int, w: int, h: int) -> dict:
        # Blender: window coordinates, origin bottom-left. X: screen coordinates, origin top-left.
        return {"x": win.x + x, "y": win.y + (win.height - (y + h)), "w": w, "h": h}

    for area in screen.areas:
        entry = {"type": area.type, **rect(area.x, area.y, area.width, area.height), "regions": []}
        if area.type == "VIEW_3D":
            entry["show_region_ui"] = area.spaces.active.show_region_ui
        for region in area.regions:
            if region.width <= 1 or region.height <= 1:
                continue
            r = {"type": region.type, **rect(region.x, region.y, region.width, region.height)}
            if region.type == "UI":
                try:
                    r["category"] = region.active_panel_category
                except Exception:  # noqa: BLE001 - older Blender or no categories
                    r["category"] = None
            entry["regions"].append(r)
        geom["areas"].append(entry)
    return geom


def _state() -> dict:
    st = _gd_state()
    view_layer = bpy.context.view_layer
    active = view_layer.objects.active if view_layer is not None else None
    wm = bpy.context.window_manager
    ops = wm.operators if wm is not None else []
    out: dict = {
        "active_object": active.name if active is not None else None,
        "active_mode": active.mode if active is not None else None,
        "selected": sorted(o.name for o in view_layer.objects.selected)[:20] if view_layer is not None else [],
        # operators that ran with REGISTER (the redo stack): tells the host that a click ran an operator
        "n_ops": len(ops),
        # a scan must not mark the file dirty (only observable with a real window; always True in the bpy module)
        "is_dirty": bool(bpy.data.is_dirty),
        "last_op": ops[-1].bl_idname if len(ops) else None,
        # Blender keeps at most 32 operators in that list: a new one is told by its address once the list is full
        "last_op_id": ops[-1].as_pointer() if len(ops) else None,
        "text_editors": _text_editors(wm),
    }
    if st is None:
        out["registered"] = False
        return out
    out.update(
        registered=True,
        is_running=bool(st.is_running),
        progress=round(float(st.progress), 5),
        cancelled=bool(st.cancelled),
        n_findings=len(st.findings),
        has_scanned=bool(getattr(st, "has_scanned", False)),
        active_index=int(getattr(st, "active_index", -1)),
        status=str(getattr(st, "status", "")),
        poll_answer=_poll_answer(st),
    )
    return out


def _text_editors(wm) -> list[dict]:
    """The Text Editors of every window: which text each shows, and the line its cursor is on (1-based)."""
    found = []
    for window in wm.windows if wm is not None else ():
        for area in window.screen.areas:
            if area.type == "TEXT_EDITOR":
                text = area.spaces.active.text
                found.append(
                    {"text": text.name if text else None, "line": text.current_line_index + 1 if text else None}
                )
    return found


def _poll_answer(st) -> dict | None:
    """The poll explainer's answer in the findings list (gotcha.explain_poll), if any: operator, severity, message.

    The explainer appends its answer and makes it active, so only the active and the last item are looked at: reading
    every item (``findings[i]`` walks the list, and an item's fields are read through the extension) on each 5 ms tick
    cost the window more than the scan itself once a scan had listed thousands of findings.
    """
    count = len(st.findings)
    for index in dict.fromkeys((st.active_index, count - 1)):
        if not 0 <= index < count:
            continue
        item = st.findings[index]
        if item.check == "operator_poll":
            module = _ext_module()
            details = sys.modules[module].properties.finding_details(item) if module else {}
            passing = details.get("passing_context") or {}
            return {
                "operator": details.get("operator"),
                "severity": item.severity,
                "message": item.message[:4000],
                "polled": details.get("polled"),
                "passing_ui_type": passing.get("ui_type"),
                "verified": passing.get("verified"),
                "active": index == st.active_index,
            }
    return None


def _step_profile() -> dict:
    """The finished scan's generator steps per check (count, total ms, longest ms), kept by the extension's runner."""
    module = _ext_module()
    profile = getattr(sys.modules[module].runner, "last_step_profile", {}) if module else {}
    return {
        check: [int(n), round(total * 1000, 1), round(longest * 1000, 1)]
        for check, (n, total, longest) in profile.items()
    }


def _tick_profile() -> list | None:
    """The finished modal scan's timer ticks (count, total ms of work, longest ms), kept by the extension's runner."""
    module = _ext_module()
    ticks = getattr(sys.modules[module].runner, "last_tick_profile", None) if module else None
    return [int(ticks[0]), round(ticks[1] * 1000, 1), round(ticks[2] * 1000, 1)] if ticks else None


def _tick_times() -> list:
    """Each tick of the finished modal scan: (wall-clock start, ms of work, ms budget), kept by the extension's runner."""
    module = _ext_module()
    times = getattr(sys.modules[module].runner, "last_tick_times", None) if module else None
    return [[round(t, 4), round(took * 1000, 1), round(budget * 1000, 1)] for t, took, budget in times or ()]


def _findings_sample(limit: int = 200) -> list[dict]:
    """The first ``limit`` findings, plus the active one wherever it is in the list."""
    st = _gd_state()
    if st is None:
        return []
    out = []
    wanted = list(range(min(limit, len(st.findings))))
    if 0 <= st.active_index < len(st.findings) and st.active_index not in wanted:
        wanted.append(st.active_index)
    for i in wanted:
        f = st.findings[i]
        out.append(
            {
                "index": i,
                "check": f.check,
                "topic": f.topic,
                "severity": f.severity,
                "id_type": f.id_type,
                "id_name": f.id_name,
                "library": f.library,
                "line": _finding_line(f),
            }
        )
    return out


def _finding_line(item) -> int | None:
    """The line a Text finding is about (from its details, kept by the extension), else None."""
    module = _ext_module()
    if item.id_type != "TEXT" or not module:
        return None
    line = sys.modules[module].properties.finding_details(item).get("line")
    return line if isinstance(line, int) else None


def _visible_row_order() -> list[int]:
    """Finding indices in the order the panel's list shows them (the extension sorts by severity)."""
    st = _gd_state()
    mod = _ext_module()
    if st is None or mod is None:
        return []
    try:
        panels = sys.modules.get(mod + ".panels.main")
        order = panels.severity_order(st.findings)  # new position of each item
        rows = sorted(range(len(order)), key=lambda i: order[i])
        return rows[:50]
    except Exception:  # noqa: BLE001 - only a hint for the host
        return list(range(min(50, len(st.findings))))


def _read_cmd() -> None:
    if not CMD_PATH or not os.path.exists(CMD_PATH):
        return
    try:
        with open(CMD_PATH, encoding="utf-8") as fh:
            cmd = json.load(fh)
    except (OSError, ValueError):
        return  # half-written; next tick
    if cmd.get("seq", -1) <= REC.cmd_seq:
        return
    REC.cmd_seq = cmd["seq"]
    REC.emit("cmd", **cmd)
    if cmd.get("cmd") == "redraw_baseline":
        # Tag the sidebar and the status bar for redraw on every tick for a while, like a scan's modal() does,
        # without any scan work: the baseline cost of those redraws on this machine (software OpenGL under Xvfb).
        REC.baseline_until = time.time() + float(cmd.get("seconds", 2.0))
        REC.emit("baseline", start=time.time(), end=REC.baseline_until)
    elif cmd.get("cmd") == "scan_only":
        # A synchronous scan of the named checks (the scan's own triggers, button / F3 / Esc, are tested by real
        # events above); it gives the click step a list of object findings to click on.
        bpy.ops.gotcha.scan(checks=cmd.get("checks", ""))
        REC.emit("scan_only", state=_state())
    elif cmd.get("cmd") == "open_no_ui":
        # What File › Open does with "Load UI" unticked, while a scan runs: the window manager, and the extension's
        # state in it, survive the load. (The one load the host cannot click: the file browser's option.)
        REC.emit("before_load_no_ui", state=_state())  # in the same call as the load: what it really met
        bpy.ops.wm.open_mainfile(filepath=bpy.data.filepath, load_ui=False)
        REC.emit("opened_no_ui", state=_state())
    elif cmd.get("cmd") == "sync_scan":
        # The same scan as the Scan button's, run synchronously in this session: what the modal scan is held to.
        started = time.perf_counter()
        bpy.ops.gotcha.scan()
        REC.emit("sync_scan", seconds=time.perf_counter() - started, state=_state())
    elif cmd.get("cmd") == "snapshot":
        REC.emit("findings", order=_visible_row_order(), items=_findings_sample(), state=_state())
    elif cmd.get("cmd") == "quit":
        REC.flush(force=True)
        os._exit(0)  # no "save changes?" dialog; the log is already flushed


def _tick() -> float:
    now = time.time()
    REC.ticks.append(now)
    try:
        if not REC.ready:
            if bpy.context.window_manager is not None and bpy.context.window_manager.windows:
                REC.ready = True
                REC.emit(
                    "ready",
                    blender=bpy.app.version_string,
                    file=bpy.data.filepath,
                    ext_module=_ext_module(),
                    registered=_gd_state() is not None,
                    n_objects=len(bpy.data.objects),
                    n_images=len(bpy.data.images),
                    n_libraries=len(bpy.data.libraries),
                )
        if _DEPSGRAPH_UPDATES:
            REC.emit("depsgraph", updates=list(_DEPSGRAPH_UPDATES))
            _DEPSGRAPH_UPDATES.clear()
        if _GC_PAUSES:
            for ended, generation, took_ms in _GC_PAUSES:
                REC.emit("gc", ended=ended, generation=generation, ms=took_ms)
            _GC_PAUSES.clear()
        state = _state()
        if state != REC.last_state:
            REC.emit("state", **state)
            REC.last_state = state
            running = state.get("is_running", False)
            if REC.was_running and not running:
                REC.emit(
                    "scan_end",
                    state=state,
                    order=_visible_row_order(),
                    items=_findings_sample(),
                    profile=_step_profile(),
                    ticks=_tick_profile(),
                    tick_times=_tick_times(),
                )
            REC.was_running = running
        geom = _geometry()
        if geom != REC.last_geom:
            REC.emit("geom", **(geom or {}))
            REC.last_geom = geom
        _read_cmd()
        if now < REC.baseline_until:
            _tag_like_a_scan()
    except Exception:  # noqa: BLE001 - a driver bug must show in the log, not kill the timer
        REC.errors += 1
        if REC.errors < 20:
            REC.emit("error", where="tick", trace=traceback.format_exc())
    REC.flush()
    return TICK_S


def _tag_like_a_scan() -> None:
    wm = bpy.context.window_manager
    for win in wm.windows:
        for area in win.screen.areas:
            if area.type in {"VIEW_3D", "STATUSBAR"}:
                for region in area.regions:
                    if area.type == "STATUSBAR" or region.type == "UI":
                        region.tag_redraw()


def _draw_cb(region: str) -> None:
    REC.draws[region].append(time.time())


_panel_started = [0.0]


def _panel_draw_begin(self, context) -> None:  # prepended to the extension's panel
    _panel_started[0] = time.perf_counter()


def _panel_draw(self, context) -> None:  # appended to the extension's panel: counts its draws and their cost
    REC.draws["panel"].append(time.time())
    started, _panel_started[0] = _panel_started[0], 0.0
    REC.draws["panel_ms"].append(round((time.perf_counter() - started) * 1000, 2) if started else None)


def _install() -> None:
    REC.emit("start", argv=sys.argv, pid=os.getpid())
    bpy.types.SpaceView3D.draw_handler_add(_draw_cb, ("ui",), "UI", "POST_PIXEL")
    bpy.types.SpaceView3D.draw_handler_add(_draw_cb, ("viewport",), "WINDOW", "POST_PIXEL")
    for key, (space, region) in OTHER_EDITORS.items():
        getattr(bpy.types, space).draw_handler_add(_draw_cb, (key,), region, "POST_PIXEL")
    panel = getattr(bpy.types, "VIEW3D_PT_gotcha_doctor", None)
    if panel is not None:
        panel.prepend(_panel_draw_begin)
        panel.append(_panel_draw)
    else:
        REC.emit("error", where="install", trace="VIEW3D_PT_gotcha_doctor is not registered")
    bpy.app.timers.register(_tick, first_interval=0.0, persistent=True)
    REC.flush(force=True)


_install()
