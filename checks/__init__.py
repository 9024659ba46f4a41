"""The checks, one module per check, each of the same small shape:

- ``INFO``: a :class:`core.findings.CheckInfo` (stable id, topic key, title, one-line description, default severity);
- ``run(data, context)``: a generator that reads what it needs from Blender and yields
  :class:`core.findings.Finding` and :class:`core.findings.Progress` in small steps (each well under the modal
  scan's time budget). Checks never touch UI and never change data.

``ALL_CHECKS`` is the explicit, ordered registry; add a module here to ship a check.
"""

from __future__ import annotations

from types import ModuleType

from . import editmode_sync, library_name_collisions, non_utf8_paths, relative_paths

ALL_CHECKS: tuple[ModuleType, ...] = (library_name_collisions, relative_paths, non_utf8_paths, editmode_sync)


def check_ids() -> tuple[str, ...]:
    return tuple(module.INFO.id for module in ALL_CHECKS)


def by_id(check_id: str) -> ModuleType | None:
    for module in ALL_CHECKS:
        if module.INFO.id == check_id:
            return module
    return None
