"""Application handlers and timers that keep Blender data, and handlers that a file load removes ("Undo/Redo",
"Help! My script crashes Blender").

Every list in ``bpy.app.handlers`` (the public ones and Blender's private ``_extension_*`` lists) is read; for each
function its closure cells, defaults, keyword defaults, a bound method's ``self`` and a partial's arguments are
walked for Blender data. A handler that is not marked ``@persistent`` is removed when a file loads (Blender keeps
only plain functions and methods whose function carries the mark): reported as INFO.

``bpy.app.timers`` has no listing (only ``register``, ``unregister`` and ``is_registered``), so timers are found by
asking ``is_registered`` -- a lookup that runs nothing -- about every function the scan can reach without running
code: module-level functions and class methods of enabled add-ons, extensions and script modules, and handler
functions. A timer made on the fly (a lambda, a closure, a ``functools.partial`` or a bound method created when it
was registered) is reachable only from Blender's timer list and cannot be found.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any

import bpy

from ..core import heldrefs
from ..core.findings import CheckInfo, Finding, Progress
from ..core.owners import Owner
from . import _session

INFO = CheckInfo(
    id="handlers_timers",
    topic="undo-invalidation",
    title="Handlers and timers",
    description="Application handlers and timers whose closures or defaults keep Blender data; handlers a file "
    "load removes",
    severity="WARNING",
)

_PER_STEP = 200  # functions looked at between two progress steps
_MAX_LISTED = 20


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    addons = _session.addon_modules(context)
    scripts = _session.script_modules()
    handler_lists = [
        (name, list(getattr(bpy.app.handlers, name)))
        for name in dir(bpy.app.handlers)
        if type(getattr(bpy.app.handlers, name)) is list
    ]
    total = sum(len(functions) for _name, functions in handler_lists) or 1
    seen = 0
    yield Progress(0.0)
    for list_name, functions in handler_lists:
        for index, function in enumerate(functions):
            seen += 1
            module, code = _session.callable_parts(function)
            owner = _session.owner_of_module(module, addons, scripts)
            if owner.is_blender:
                continue
            where = f"bpy.app.handlers.{list_name}[{index}]"
            yield from _held_by(function, owner, module, code, where, "handler", list_name, 0.5 * seen / total)
            if not _is_persistent(function):
                yield _not_persistent(function, owner, module, code, where, list_name)
            if seen % _PER_STEP == 0:
                yield Progress(0.5 * seen / total)
    yield Progress(0.5)
    candidates = list(_timer_candidates(addons, scripts, handler_lists))
    for number, (function, module) in enumerate(candidates, 1):
        if number % _PER_STEP == 0:
            yield Progress(0.5 + 0.5 * number / len(candidates))
        if not bpy.app.timers.is_registered(function):
            continue
        _module, code = _session.callable_parts(function)
        owner = _session.owner_of_module(module, addons, scripts)
        if owner.is_blender:
            continue
        yield from _held_by(
            function, owner, module, code, "bpy.app.timers", "timer", None, 0.5 + 0.5 * number / len(candidates)
        )


def _is_persistent(function: Any) -> bool:
    """What Blender keeps on file load: a function (or a bound method's function) whose ``__dict__`` has the
    ``_bpy_persistent`` key that ``@bpy.app.handlers.persistent`` sets. Anything else is removed."""
    if type(function) is types.MethodType:
        function = function.__func__
    if type(function) is not types.FunctionType:
        return False
    return "_bpy_persistent" in types.FunctionType.__dict__["__dict__"].__get__(function)


def _describe_function(function: Any, code: types.CodeType | None) -> str:
    if code is not None:
        return getattr(code, "co_qualname", code.co_name)
    return type(function).__name__


def _held_by(
    function: Any,
    owner: Owner,
    module: str | None,
    code: types.CodeType | None,
    where: str,
    role: str,
    list_name: str | None,
    fraction: float,
) -> Iterator[Finding | Progress]:
    hits: list[tuple[str, heldrefs.Hit]] = []
    truncated = False
    for label, value in _session.function_values(function):
        stats = heldrefs.WalkStats()
        for hit in heldrefs.walk(value, _session.classify, stats):
            if hit is None:
                yield Progress(fraction)  # a big structure: let the scan breathe
            else:
                hits.append((label, hit))
        truncated = truncated or stats.truncated
    if not hits:
        return
    held = [_session.describe(hit.value, hit.kind) for _label, hit in hits[:_MAX_LISTED]]
    topic = _session.topic_for(held + [{"kind": hit.kind} for _label, hit in hits[_MAX_LISTED:]])
    target = _session.first_id(held)
    name = _describe_function(function, code)
    kept_in = sorted({label for label, _hit in hits})
    paths = [f"{label}{hit.path}" for label, hit in hits[:_MAX_LISTED]]
    what = _session.summary_text(held)
    if len(hits) > len(held):
        what += f" ({len(hits)} items in all)"
    message = (
        f"{owner.label}'s {role} {name} ({where}) keeps {what} in its {', '.join(kept_in)}: the {role} outlives "
        "undo, redo and file loads, and the data it holds is freed by them (the next access raises ReferenceError, "
        "or crashes for sub-data). Look the data up by name inside the function instead."
    )
    yield Finding(
        check=INFO.id,
        topic=topic,
        severity="WARNING",
        message=message,
        id_type=None if target is None else target["id_type"],
        id_name=None if target is None else target["name"],
        library=None if target is None else target["library"],
        details={
            "owner": owner.module,
            "owner_kind": owner.kind,
            "module": module,
            "function": name,
            "defined_at": _session.code_location(code),
            "registered_as": role,
            "handler_list": list_name,
            "paths": paths,
            "held": held,
            "held_count": len(hits),
            "walk_truncated": truncated,
        },
    )


def _not_persistent(
    function: Any, owner: Owner, module: str | None, code: types.CodeType | None, where: str, list_name: str
) -> Finding:
    name = _describe_function(function, code)
    plain = type(function) in (types.FunctionType, types.MethodType)
    fix = (
        "mark it with @bpy.app.handlers.persistent if it should survive"
        if plain
        else f"only functions can be marked persistent (this is a {type(function).__name__})"
    )
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity="INFO",
        message=f"{owner.label}'s handler {name} ({where}) is not persistent: Blender removes it when a file loads "
        f"(File > Open, Revert, a new file), so it silently stops running; {fix}.",
        details={
            "owner": owner.module,
            "owner_kind": owner.kind,
            "module": module,
            "function": name,
            "defined_at": _session.code_location(code),
            "handler_list": list_name,
            "persistent": False,
        },
    )


def _timer_candidates(
    addons: frozenset[str], scripts: frozenset[str], handler_lists: list[tuple[str, list[Any]]]
) -> Iterator[tuple[Any, str | None]]:
    """(function, module) for functions reachable without running code: module-level functions, functions and
    static/class methods in classes of add-on, extension and script modules, and handler functions."""
    seen: set[int] = set()

    def fresh(function: Any) -> bool:
        if id(function) in seen:
            return False
        seen.add(id(function))
        return True

    for name, _owner, namespace in _session.owned_namespaces(addons, scripts):
        for value in list(dict.values(namespace)):
            kind = type(value)
            if kind is types.FunctionType and fresh(value):
                yield value, value.__module__
            elif issubclass(kind, type) and type.__dict__["__dict__"].__get__(value).get("__module__") == name:
                for member in list(type.__dict__["__dict__"].__get__(value).values()):
                    if type(member) in (staticmethod, classmethod):
                        member = member.__func__
                    if type(member) is types.FunctionType and fresh(member):
                        yield member, member.__module__
    for _list_name, functions in handler_lists:
        for function in functions:
            if fresh(function):
                yield function, _session.callable_parts(function)[0]
