"""Blender data kept in module globals and class attributes of add-ons, extensions and scripts ("Undo/Redo",
"Help! My script crashes Blender").

An ID kept across undo, redo, reload or deletion is freed under the add-on's feet (the next access raises
ReferenceError); sub-data kept (a vertex, ``mesh.vertices``, a Vector wrapping ``obj.location``, a BMesh) can crash
Blender when read after its container changes. The check walks the namespaces of every enabled add-on's and
extension's modules, of script modules (``__main__``, Texts imported as modules) and of scripts whose functions are
still registered as handlers, through lists, tuples, dicts, sets and the add-on's own objects, to a bounded depth.

Read-only: namespaces are read through ``__dict__`` slots, containers through the built-in types' methods; no
add-on code runs, nothing held is dereferenced except IDs (see ``_session``).
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import bpy

from ..core import heldrefs
from ..core.findings import CheckInfo, Finding, Progress
from ..core.owners import Owner
from . import _session

INFO = CheckInfo(
    id="held_references",
    topic="undo-invalidation",
    title="Held Blender data",
    description="Module globals and class attributes of add-ons and scripts that keep Blender data (freed by undo, "
    "reload or deletion)",
    severity="WARNING",
)

_MAX_LISTED = 20  # held items described in a finding's details (the count is exact)
_SKIPPED_CLASS_ATTRIBUTES = frozenset({"bl_rna", "__annotations__", "__dict__", "__weakref__", "__doc__"})


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    addons = _session.addon_modules(context)
    scripts = _session.script_modules()
    namespaces = list(_namespaces(addons, scripts))
    yield Progress(0.0)
    if not namespaces:
        return
    # One count of work for all the namespaces and variables: most variables are small, so a step covers many.
    ticker = heldrefs.Ticker()
    # Progress by the work expected (one module can hold most of it: a big list, many classes), not by module count.
    sizes = [[_size(value) for value in list(dict.values(namespace))] for _owner, _name, namespace in namespaces]
    total = sum(sum(entries) for entries in sizes) or 1
    done = 0
    for (owner, module_name, namespace), entry_sizes in zip(namespaces, sizes, strict=True):
        yield from _scan_namespace(owner, module_name, namespace, addons, scripts, ticker, done, entry_sizes, total)
        done += sum(entry_sizes)
        yield Progress(done / total)


_SIZED = (list, tuple, dict, set, frozenset)


@dataclass(slots=True)
class _Position:
    """Where the check is while walking one variable: its fraction, moved by ``step`` per tick of the walk (a tick is
    ``Ticker.every`` visits), never past the variable's ``end``."""

    fraction: float
    end: float
    step: float

    def advance(self) -> None:
        self.fraction = min(self.end, self.fraction + self.step)


def _size(value: Any) -> int:
    """About how many visits a variable costs: 1, or its length for a built-in container (read through the
    built-in type's own ``__len__``, never a subclass's), or its attributes for a class."""
    kind = type(value)
    if kind in _SIZED:
        return 1 + min(heldrefs.MAX_VISITS, kind.__len__(value))
    if issubclass(kind, type):
        return 1 + len(type.__dict__["__dict__"].__get__(value))
    return 1


def _namespaces(addons: frozenset[str], scripts: frozenset[str]) -> Iterator[tuple[Owner, str, dict[str, Any]]]:
    """(owner, module name, namespace) of every module that belongs to an add-on, extension or script, and of
    script namespaces kept alive only by registered handlers (a Text run once that registered a handler)."""
    known: set[int] = set()
    for name, owner, namespace in _session.owned_namespaces(addons, scripts):
        known.add(id(namespace))
        yield owner, name, namespace
    for function in _handler_functions():
        _module, code = _session.callable_parts(function)
        script = _globals_of(function)
        if script is None or id(script) in known:
            continue
        known.add(id(script))
        script_name = script.get("__name__")
        label = f"{script_name if type(script_name) is str else '?'} ({code.co_filename if code else 'unknown file'})"
        yield _session.Owner("script", label), label, script


def _handler_functions() -> Iterator[Any]:
    handlers = bpy.app.handlers
    for name in dir(handlers):
        functions = getattr(handlers, name)
        if type(functions) is list:
            yield from list(functions)


def _globals_of(function: Any) -> dict[str, Any] | None:
    for _ in range(8):
        kind = type(function)
        if kind is types.MethodType:
            function = function.__func__
        elif kind is types.FunctionType:
            return function.__globals__
        else:
            return None
    return None


def _scan_namespace(
    owner: Owner,
    module_name: str,
    namespace: dict[str, Any],
    addons: frozenset[str],
    scripts: frozenset[str],
    ticker: heldrefs.Ticker,
    done: int,
    sizes: list[int],
    total: int,
) -> Iterator[Finding | Progress]:
    for number, (name, value) in enumerate(list(dict.items(namespace))):
        # The progress moves within a variable too (a big list takes several slices): from where it starts, by the
        # visits counted, up to where it ends.
        position = _Position(done / total, 0.0, ticker.every / total)
        done += sizes[number] if number < len(sizes) else 0  # a module may have grown since it was sized
        position.end = done / total
        if ticker.visit():
            yield Progress(position.fraction)
        if type(name) is not str or name.startswith("__"):
            continue
        kind = type(value)
        if kind is types.ModuleType or kind is types.FunctionType or kind is types.BuiltinFunctionType:
            continue
        if issubclass(kind, type):
            if type.__dict__["__dict__"].__get__(value).get("__module__") == module_name:
                yield from _scan_class(owner, module_name, name, value, addons, scripts, ticker, position)
            continue
        yield from _scan_root(owner, module_name, name, value, addons, scripts, "module global", ticker, position)


def _scan_class(
    owner: Owner,
    module_name: str,
    class_name: str,
    klass: type,
    addons: frozenset[str],
    scripts: frozenset[str],
    ticker: heldrefs.Ticker,
    position: _Position,
) -> Iterator[Finding | Progress]:
    for name, value in list(type.__dict__["__dict__"].__get__(klass).items()):
        if name in _SKIPPED_CLASS_ATTRIBUTES or name.startswith("__"):
            continue
        if issubclass(type(value), (types.FunctionType, staticmethod, classmethod, property, type)):
            continue
        yield from _scan_root(
            owner, module_name, f"{class_name}.{name}", value, addons, scripts, "class attribute", ticker, position
        )


def _scan_root(
    owner: Owner,
    module_name: str,
    variable: str,
    value: Any,
    addons: frozenset[str],
    scripts: frozenset[str],
    where: str,
    ticker: heldrefs.Ticker,
    position: _Position,
) -> Iterator[Finding | Progress]:
    def own_object(item: Any) -> bool:
        """Walk into instances of the same owner's classes (``state.target``), never other code's objects."""
        item_module = type.__dict__["__dict__"].__get__(type(item)).get("__module__")
        return type(item_module) is str and _session.owner_of_module(item_module, addons, scripts) == owner

    stats = heldrefs.WalkStats()
    hits: list[heldrefs.Hit] = []
    for hit in heldrefs.walk(value, _session.classify, stats, ticker=ticker, descend_into=own_object):
        if hit is None:
            position.advance()
            yield Progress(position.fraction)
        else:
            hits.append(hit)
    if hits:
        yield _finding(owner, module_name, variable, where, hits, stats)


def _finding(
    owner: Owner, module_name: str, variable: str, where: str, hits: list[heldrefs.Hit], stats: heldrefs.WalkStats
) -> Finding:
    held = [_session.describe(hit.value, hit.kind) for hit in hits[:_MAX_LISTED]]
    # Counted by kind over all hits (only the first ones are described: describing reads Blender data).
    count = len(hits)
    topic = _session.topic_for(held + [{"kind": hit.kind} for hit in hits[_MAX_LISTED:]])
    target = _session.first_id(held)
    what = _session.summary_text(held)
    if count > len(held):
        what += f" ({count} items in all)"
    paths = [variable + hit.path for hit in hits[:_MAX_LISTED]]
    place = paths[0] if count == 1 else variable
    consequence = (
        "undo, redo, reloading the file or deleting the data frees it, and the next access raises ReferenceError"
        if topic == "undo-invalidation"
        else "sub-data moves or is freed when its container changes (undo, mode switch, adding items), and reading "
        "it then can crash Blender"
    )
    message = (
        f"{owner.label} keeps {what} in the {where} {place} (module {module_name}): {consequence}. "
        "Keep names or indices and look the data up when it is needed."
    )
    return Finding(
        check=INFO.id,
        topic=topic,
        severity=INFO.severity,
        message=message,
        id_type=None if target is None else target["id_type"],
        id_name=None if target is None else target["name"],
        library=None if target is None else target["library"],
        details={
            "owner": owner.module,
            "owner_kind": owner.kind,
            "module": module_name,
            "variable": variable,
            "where": where,
            "paths": paths,
            "held": held,
            "held_count": count,
            "walk_truncated": stats.truncated,
        },
    )
