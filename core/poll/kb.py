"""Reading poll knowledge bases (KBs): which file answers for a Blender version, and one operator's entry in it.

A KB is ``kb-<version>.json.gz`` (made by the sweep, sweep.py): ``recipes`` (a list of passing contexts) and ``ops``
(per operator what the sweep observed). Shipped KBs live in the extension's ``poll_kb/`` folder; a KB built by the
user's own Blender (for a version without a shipped one) lives in the extension's user folder. Blender-free: the
explainer hands in the folders and the version.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from typing import Any

from .recipe import Recipe

SCHEMA = "gotcha-doctor/poll-kb/2"

# What the sweep records per operator (absent = false / none). docs/poll.md describes each.
ENTRY_KEYS = frozenset(
    {
        "passes_by_default",  # poll passed in the default context (factory startup, no override)
        "recipe",  # index of the verified passing context in ``recipes``
        "crashed_in",  # where poll crashed Blender: recipe indexes, null = the default context
        "polling_stopped",  # crashed in the sweep's crash_limit contexts, so not polled in the contexts after them
        "message",  # Blender's own poll message in the default context (only when it says more than the generic)
        "message_call_safe",  # the call right after a failed poll raised the poll error (never executed)
        "nondeterministic",  # poll gave two answers in the same context
        "passes_in_editors",  # safety-map editors where poll passed (empty scene): "DOPESHEET", "VIEW_3D:UI"
        "ignores_active_override",  # poll reads the view layer's active object, not an overridden one
        "why_unknown",  # why no passing context is known
    }
)


class KBError(ValueError):
    """A KB file that cannot be read; str() is a one-line reason."""


@dataclass(frozen=True)
class Entry:
    """One operator's entry, with recipe indexes resolved."""

    passes_by_default: bool = False
    recipe: Recipe | None = None
    crashed_in: tuple[Recipe | None, ...] = ()  # None: the default context
    polling_stopped: bool = False  # the sweep polled it no more after those crashes
    message: str | None = None
    message_call_safe: bool = False
    nondeterministic: bool = False
    passes_in_editors: tuple[str, ...] = ()
    ignores_active_override: bool = False
    why_unknown: str | None = None

    @property
    def crashed(self) -> bool:
        return bool(self.crashed_in)


class KnowledgeBase:
    """A loaded KB. ``ops`` and ``recipes`` are the file's own data (tests may add an entry to ``ops``)."""

    def __init__(self, data: dict[str, Any], source: str = "") -> None:
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            found = data.get("schema") if isinstance(data, dict) else type(data).__name__
            raise KBError(f"{source or 'knowledge base'}: schema {found!r}, expected {SCHEMA}")
        self.source = source
        self.blender_version: str = str(data.get("blender_version", "?"))
        self.built_by: str = str(data.get("built_by", "shipped"))
        self.recipes: list[dict[str, Any]] = list(data.get("recipes", []))
        self.ops: dict[str, dict[str, Any]] = dict(data.get("ops", {}))
        self.swept_editors: frozenset[str] = frozenset(data.get("swept_editors", ()))
        self.data = data

    @classmethod
    def read(cls, path: str) -> KnowledgeBase:
        try:
            with gzip.open(path, "rb") as handle:
                data = json.loads(handle.read().decode("utf-8"))
        except (OSError, EOFError, ValueError) as error:  # gzip, UTF-8 and JSON errors are all ValueError/OSError
            raise KBError(f"{os.path.basename(path)}: not a readable knowledge base ({error})") from error
        return cls(data, path)

    def entry(self, idname: str) -> Entry | None:
        item = self.ops.get(idname)
        if item is None:
            return None
        recipe_index = item.get("recipe")
        return Entry(
            passes_by_default=bool(item.get("passes_by_default")),
            recipe=self.recipe(recipe_index) if recipe_index is not None else None,
            crashed_in=tuple(None if index is None else self.recipe(index) for index in item.get("crashed_in", ())),
            polling_stopped=bool(item.get("polling_stopped")),
            message=item.get("message"),
            message_call_safe=bool(item.get("message_call_safe")),
            nondeterministic=bool(item.get("nondeterministic")),
            passes_in_editors=tuple(item.get("passes_in_editors", ())),
            ignores_active_override=bool(item.get("ignores_active_override")),
            why_unknown=item.get("why_unknown"),
        )

    def recipe(self, index: int) -> Recipe:
        return Recipe.from_json(self.recipes[index])

    def group_recipes(self, group: str) -> list[dict[str, Any]]:
        """The passing recipes of an operator group (the part before the dot), most used first."""
        counts: dict[int, int] = {}
        for idname, item in self.ops.items():
            if idname.split(".")[0] == group and item.get("recipe") is not None:
                counts[item["recipe"]] = counts.get(item["recipe"], 0) + 1
        return [self.recipes[index] for index, _ in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))]


def kb_files(folders: list[str]) -> dict[str, str]:
    """version -> path of every ``kb-<version>.json.gz`` in the folders; a later folder wins for the same version."""
    found: dict[str, str] = {}
    for folder in folders:
        if not folder or not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.startswith("kb-") and name.endswith(".json.gz"):
                found[name[len("kb-") : -len(".json.gz")]] = os.path.join(folder, name)
    return found


def choose(files: dict[str, str], version: str) -> tuple[str | None, str]:
    """(path, how it matched) for ``version`` ("4.5.15"): the exact version, else the newest KB of the same
    major.minor series ("same series (4.5.3)"), else (None, "none"). Another series is never used: its operators
    and polls differ."""
    if version in files:
        return files[version], "exact"
    series = version.split(".")[:2]
    same = sorted((v for v in files if v.split(".")[:2] == series), key=_version_key)
    if same:
        return files[same[-1]], f"same series ({same[-1]})"
    return None, "none"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def encode(data: dict[str, Any]) -> bytes:
    """The bytes of a KB file: sorted, compact JSON, gzip with mtime 0 (the same sweep gives the same bytes)."""
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return gzip.compress(raw, mtime=0)


def coverage(data: dict[str, Any]) -> dict[str, Any]:
    """Of the operators whose poll fails in the default context, how many have a verified passing context."""
    failing = [op for op, item in data["ops"].items() if not item.get("passes_by_default")]
    covered = [op for op in failing if "recipe" in data["ops"][op]]
    percent = 100.0 * len(covered) / len(failing) if failing else 100.0
    return {
        "operators": len(data["ops"]),
        "failing": len(failing),
        "covered": len(covered),
        "percent": percent,
        "missing": sorted(set(failing) - set(covered)),
    }
