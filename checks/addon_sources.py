"""The enabled add-ons' and extensions' Python source, linted (on demand: ``bpy.ops.gotcha.lint_addons()``).

Each enabled add-on's module file (or package folder) is read from disk and linted by ``core.lint`` for the running
Blender version; nothing is imported, executed or changed. Findings are listed by add-on, file and line, and name
the add-on in ``details`` (``addon``, ``file`` relative to the add-on's folder, ``line``, ``column``, ``rule``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import bpy

from ..core.findings import CheckInfo, Finding, Progress
from ..core.lint.config import Config, ConfigError, load_config
from ..core.lint.tree import lint_paths
from ..core.topics import TOPICS

INFO = CheckInfo(
    id="addon_sources",
    topic="stale-reference",
    title="Add-on source",
    description="The enabled add-ons' and extensions' source linted for Gotchas (kept references, threads, "
    "sys.exit, // paths, …), by add-on, file and line",
    severity="WARNING",
)


def enabled_addons(context: Any) -> list[tuple[str, str]]:
    """(module name, file or package folder) of each enabled add-on whose source is on disk, sorted by name."""
    found = []
    for name in context.preferences.addons.keys():
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None) if module is not None else None
        if not path or not os.path.isfile(path):
            continue
        if os.path.basename(path) == "__init__.py":
            path = os.path.dirname(path)
        found.append((name, path))
    return sorted(found)


def _project_config(path: str) -> Config | None:
    """The add-on's own ``[tool.gotcha-doctor]`` (its folder's pyproject.toml), e.g. to leave its tests out."""
    if not os.path.isdir(path):
        return None
    try:
        return (
            load_config(os.path.join(path, "pyproject.toml"))
            if os.path.isfile(os.path.join(path, "pyproject.toml"))
            else None
        )
    except ConfigError:
        return None


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    addons = enabled_addons(context)
    target = f"{bpy.app.version[0]}.{bpy.app.version[1]}"
    for done, (name, path) in enumerate(addons):
        base = path if os.path.isdir(path) else os.path.dirname(path)
        problems: list[str] = []
        config = _project_config(path)
        findings, _files = lint_paths(
            [path], target_blender=target, problem=problems.append, relative_to=base, config=config
        )
        for finding in sorted(findings, key=lambda f: (f.file, f.line, f.column)):
            if finding.topic not in TOPICS:
                continue  # a file that does not parse: Blender says so when it loads the add-on
            yield Finding(
                check=INFO.id,
                topic=finding.topic,
                severity=finding.severity,
                message=f"{name}: {finding.file}:{finding.line}: {finding.message}",
                details={
                    "addon": name,
                    "file": finding.file,
                    "path": os.path.join(base, finding.file),
                    "line": finding.line,
                    "column": finding.column,
                    "rule": finding.rule,
                },
            )
        yield Progress((done + 1) / max(1, len(addons)))
