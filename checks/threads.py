"""Python threads and pending ``threading.Timer``s left running in the session ("Strange Errors when Using the
'Threading' Module").

Blender's Python API is not thread safe: a thread that outlives the script that started it and touches Blender
data crashes drawing code at random. Each thread other than the main one is attributed to the add-on, extension
or script whose code it runs: its target function's module (or the module of its overridden ``run``); for a
thread of a pool (the standard library's code), the first frame of its current stack that belongs to one.

Read-only: threads are listed with ``threading.enumerate()``; their attributes are read from ``__dict__`` and
their current frames from ``sys._current_frames()`` (a snapshot); no thread is joined, started or signalled.
Python does not record where a thread was started, so a finding says where its code is defined (the qualified
name shows an enclosing function, e.g. ``register.<locals>.poll``) and what it runs now.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Iterator
from typing import Any

from ..core import heldrefs
from ..core.findings import CheckInfo, Finding, Progress
from ..core.owners import Owner
from . import _session

INFO = CheckInfo(
    id="threads",
    topic="threading",
    title="Running threads",
    description="Threads and pending threading.Timer objects started by add-ons and scripts",
    severity="WARNING",
)

_MAX_FRAMES = 64  # stack frames looked at per thread


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    addons = _session.addon_modules(context)
    scripts = _session.script_modules()
    main = threading.main_thread()
    current = threading.current_thread()
    threads = [thread for thread in threading.enumerate() if thread is not main and thread is not current]
    frames = sys._current_frames()  # noqa: SLF001 - the documented way to see other threads' stacks
    yield Progress(0.0)
    for done, thread in enumerate(threads, 1):
        finding = _finding(thread, frames, addons, scripts)
        if finding is not None:
            yield finding
        yield Progress(done / len(threads))


def _code_of(thread: threading.Thread, attributes: dict[str, Any]) -> tuple[str, Any]:
    """(how, callable): what the thread runs -- a Timer's function, the target, or an overridden run()."""
    if "function" in attributes and issubclass(type(thread), threading.Timer):
        return "timer function", attributes["function"]
    target = attributes.get("_target")
    if target is not None:
        return "target", target
    for klass in type(thread).__mro__:
        if klass is threading.Thread:
            break
        run_method = type.__dict__["__dict__"].__get__(klass).get("run")
        if run_method is not None:
            return "run() of its class", run_method
    return "thread class", type(thread)


def _stack(frame: types.FrameType | None) -> list[tuple[str | None, str, int, str]]:
    """(module, file, line, function) from the innermost frame outwards."""
    found: list[tuple[str | None, str, int, str]] = []
    while frame is not None and len(found) < _MAX_FRAMES:
        name = frame.f_globals.get("__name__")
        code = frame.f_code
        found.append((name if type(name) is str else None, code.co_filename, frame.f_lineno, code.co_name))
        frame = frame.f_back
    return found


def _finding(
    thread: threading.Thread, frames: dict[int, types.FrameType], addons: frozenset[str], scripts: frozenset[str]
) -> Finding | None:
    attributes = heldrefs.instance_dict(thread) or {}
    how, code_object = _code_of(thread, attributes)
    module, code = _session.callable_parts(code_object)
    owner = _session.owner_of_module(module, addons, scripts)
    ident = attributes.get("_ident")
    stack = _stack(frames.get(ident)) if type(ident) is int else []
    attributed_by = how
    if owner.kind not in ("extension", "add-on", "script"):
        for frame_module, _file, _line, _function in stack:
            frame_owner = _session.owner_of_module(frame_module, addons, scripts)
            if frame_owner.kind in ("extension", "add-on", "script"):
                owner, attributed_by = frame_owner, "running stack"
                break
    if owner.is_blender:
        return None  # Blender's own code
    name = attributes.get("_name")
    is_timer = issubclass(type(thread), threading.Timer)
    pending = is_timer and not _event_is_set(attributes.get("finished"))
    running_now = next(
        ((file, line, function) for frame_module, file, line, function in stack if frame_module == module),
        stack[0][1:] if stack else None,
    )
    qualname = getattr(code, "co_qualname", None) if code is not None else None
    defined = _session.code_location(code)
    return _make_finding(
        owner,
        thread_name=name if type(name) is str else "?",
        kind=type(thread).__name__,
        is_timer=is_timer,
        pending=pending,
        interval=attributes.get("interval") if is_timer else None,
        daemon=bool(attributes.get("_daemonic")),
        module=module,
        function=qualname or (code.co_name if code is not None else None),
        defined=defined,
        running_now=running_now,
        attributed_by=attributed_by,
    )


def _event_is_set(event: Any) -> bool:
    flags = heldrefs.instance_dict(event) if event is not None else None
    return bool(flags.get("_flag")) if flags else False


def _make_finding(
    owner: Owner,
    *,
    thread_name: str,
    kind: str,
    is_timer: bool,
    pending: bool,
    interval: Any,
    daemon: bool,
    module: str | None,
    function: str | None,
    defined: str | None,
    running_now: tuple[str, int, str] | None,
    attributed_by: str,
) -> Finding:
    known_owner = owner.kind in ("extension", "add-on", "script")
    who = owner.label if known_owner else f"an unknown owner (code in {owner.module})"
    if is_timer and pending:
        what = f'a threading.Timer "{thread_name}" that will call {function or "a function"}'
        if type(interval) in (int, float):
            what += f" after {interval:g} s"
    else:
        what = f'a thread "{thread_name}" ({kind}{", daemon" if daemon else ""}) running {function or "unknown code"}'
    where = f" defined at {defined}" if defined else ""
    now = f"; now at {running_now[0]}:{running_now[1]} in {running_now[2]}()" if running_now else ""
    message = (
        f"{who} left {what}{where}{now}. Blender's Python API is not thread safe: a thread that outlives its "
        "script and touches Blender data crashes at random. Join threads before the script ends, or use "
        "bpy.app.timers / a modal operator for periodic work."
    )
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity="WARNING" if known_owner else "INFO",
        message=message,
        details={
            "owner": owner.module,
            "owner_kind": owner.kind,
            "thread_name": thread_name,
            "thread_class": kind,
            "timer": is_timer,
            "timer_pending": pending,
            "timer_interval": interval if type(interval) in (int, float) else None,
            "daemon": daemon,
            "module": module,
            "function": function,
            "defined_at": defined,
            "running_at": None if running_now is None else f"{running_now[0]}:{running_now[1]}",
            "attributed_by": attributed_by,
        },
    )
