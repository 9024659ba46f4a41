"""Find what a Python value holds, to a bounded depth, without running any of its code.

Used by the session checks to find Blender data kept in module globals, class attributes, handler closures and
defaults ("Help! My script crashes Blender", "Undo/Redo"). Blender-free: the caller passes ``classify``, which says
whether one object is Blender data (and what kind); this module only walks containers.

Never runs code of the values it walks: containers are read through the built-in types' own methods
(``dict.items(d)``, ``list.__iter__``...), so a subclass's overridden ``__iter__``/``items``/``__getattr__`` is never
called; instance attributes are read only through the standard ``__dict__`` slot, never through properties.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 3  # a variable (depth 0) -> its items (1) -> their items (2) -> theirs (3)
MAX_VISITS = 200_000  # per variable: a bound on the work for one root, however big the structure
TICK_EVERY = 500  # visits between two ticks (the caller yields a progress step on each): a few milliseconds
MAX_HITS = 10_000  # findings are summarised per variable; beyond this only counting would be wrong anyway

# Values that hold nothing. Type tests use issubclass(type(x), ...), never isinstance(x, ...): isinstance falls back
# to reading ``x.__class__``, which a class may define as a property (its code would run).
_ATOMS = (str, bytes, int, float, complex, bool, type(None))

Classify = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class Hit:
    path: str  # from the variable, e.g. "targets[2]", "cache['a'].obj"
    value: Any
    kind: str  # what ``classify`` said


@dataclass
class WalkStats:
    visits: int = 0
    truncated: bool = False  # stopped at MAX_VISITS: there may be more


@dataclass
class Ticker:
    """Counts visits across several walks, so a caller walking many small roots still ticks every ``every`` visits
    (counted per walk, a namespace of small variables would never tick)."""

    every: int = TICK_EVERY
    count: int = 0

    def visit(self) -> bool:
        """Counts one visit; True when a tick is due."""
        self.count += 1
        if self.count < self.every:
            return False
        self.count = 0
        return True


def _is_plain_function(value: Any) -> bool:
    return issubclass(
        type(value), (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type, types.ModuleType)
    )


def instance_dict(value: Any) -> dict[str, Any] | None:
    """An object's ``__dict__`` when it comes from the standard slot (never a property or ``__getattr__``)."""
    for klass in type(value).__mro__:
        descriptor = type.__dict__["__dict__"].__get__(klass).get("__dict__")
        if descriptor is None:
            continue
        if type(descriptor) is types.GetSetDescriptorType and descriptor.__objclass__ is klass:
            found = descriptor.__get__(value, type(value))
            return found if type(found) is dict else None
        return None  # a class defines its own __dict__ (a property?): do not run it
    return None


# Containers that own the Blender data they hold for as long as they live, so keeping them is the documented way:
# ``bpy.utils.previews.new()`` (an add-on's custom icons, freed by ``bpy.utils.previews.remove()``; undo, file
# loads and mode switches never touch them). Tested by the type's module and name, as Blender defines it.
_OWNING_CONTAINERS = frozenset({("bpy.utils.previews", "ImagePreviewCollection")})


def children(value: Any, *, instances: bool) -> Iterator[tuple[str, Any]]:
    """(path suffix, item) for the items of a container, read through the built-in types' methods only."""
    kind = type(value)
    # The class's own namespace, read directly: never raises, whatever the type (a C type has no __module__ there).
    if (type.__dict__["__dict__"].__get__(kind).get("__module__"), kind.__name__) in _OWNING_CONTAINERS:
        return
    if issubclass(kind, dict):
        for key, item in list(dict.items(value)):
            yield f"[{_key_text(key)}]", item
            if not issubclass(type(key), _ATOMS):
                yield f".keys()[{_key_text(key)}]", key
    elif issubclass(kind, (list, tuple)):
        base = list if issubclass(kind, list) else tuple
        for index, item in enumerate(list(base.__iter__(value))):
            yield f"[{index}]", item
    elif issubclass(kind, (set, frozenset)):
        base_set = set if issubclass(kind, set) else frozenset
        for index, item in enumerate(list(base_set.__iter__(value))):
            yield f"{{item {index}}}", item
    elif instances and not _is_plain_function(value):
        attributes = instance_dict(value)
        if attributes:
            for name, item in list(dict.items(attributes)):
                if type(name) is str and not name.startswith("__"):
                    yield f".{name}", item


def _key_text(key: Any) -> str:
    if issubclass(type(key), _ATOMS):
        text = repr(key)
        return text if len(text) <= 60 else text[:57] + "..."
    return f"<{type(key).__name__}>"


def walk(
    root: Any,
    classify: Classify,
    stats: WalkStats,
    *,
    max_depth: int = MAX_DEPTH,
    max_visits: int = MAX_VISITS,
    ticker: Ticker | None = None,
    descend_into: Callable[[Any], bool] = lambda _value: False,
) -> Iterator[Hit | None]:
    """Depth-first over ``root``: yields a :class:`Hit` for each object ``classify`` names, and ``None`` whenever
    ``ticker`` says a tick is due (one shared by a caller's walks; by default the walk's own, every ``TICK_EVERY``
    visits), so a caller can yield between slices of a huge structure. Blender data found is not walked into.
    ``descend_into(value)`` says whether a plain Python object's instance attributes are walked. Containers are
    snapshot (copied) when entered and their items visited lazily, so no single visit is big."""
    seen: set[int] = set()
    hits = 0
    ticks = ticker if ticker is not None else Ticker()
    # Each entry: (path of the container, its remaining items, depth of those items).
    stack: list[tuple[str, Iterator[tuple[str, Any]], int]] = [("", iter([("", root)]), 0)]
    while stack:
        base, items, depth = stack[-1]
        try:
            suffix, value = next(items)
        except StopIteration:
            stack.pop()
            continue
        except RuntimeError:  # a container changed size while copied (another thread): skip the rest of it
            stack.pop()
            continue
        stats.visits += 1
        if ticks.visit():
            yield None
        if stats.visits > max_visits:
            stats.truncated = True
            return
        kind = classify(value)
        if kind is not None:
            hits += 1
            yield Hit(base + suffix, value, kind)
            if hits >= MAX_HITS:
                stats.truncated = True
                return
            continue
        if depth >= max_depth or issubclass(type(value), _ATOMS):
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        stack.append((base + suffix, children(value, instances=descend_into(value)), depth + 1))
