"""The checks, one module per check, each of the same small shape:

- ``INFO``: a :class:`core.findings.CheckInfo` (stable id, topic key, title, one-line description, default severity);
- ``run(data, context)`` (``run(data, context, scan)`` with ``INFO.uses_scan_state``): a generator that reads what it
  needs from Blender and yields :class:`core.findings.Finding` (or a list of them, for many at once) and
  :class:`core.findings.Progress` in small steps (each well under the modal scan's time budget). Checks never touch
  UI and never change data.

``ALL_CHECKS`` is the explicit, ordered registry; add a module here to ship a check.
"""

from __future__ import annotations

from types import ModuleType

from ..core.findings import CheckInfo
from . import (
    addon_code,
    addon_sources,
    editmode_sync,
    embedded_scripts,
    handlers_timers,
    held_references,
    library_data_modified,
    library_name_collisions,
    name_limits,
    non_utf8_paths,
    operator_poll,
    relative_paths,
    threads,
)

ALL_CHECKS: tuple[ModuleType, ...] = (
    # First: it reads the library files in a child process, which works while the engine runs the other checks.
    library_data_modified,
    library_name_collisions,
    relative_paths,
    non_utf8_paths,
    editmode_sync,
    # The session around the file: names at the limit, then what add-ons and scripts leave running or hold.
    name_limits,
    threads,
    held_references,
    handlers_timers,
    addon_code,
    # The file's own scripts (Text datablocks), linted.
    embedded_scripts,
)
# What the file itself stores: a many-files scan runs only these by default. The others look at the running
# session (threads, handlers, add-ons, Python-held references, edits made since loading), which in a worker that has
# just opened the file is the worker's own, and one of them reads each library file in a child process.
FILE_CHECKS: tuple[ModuleType, ...] = (
    library_name_collisions,
    relative_paths,
    non_utf8_paths,
    editmode_sync,
    name_limits,
    embedded_scripts,  # the file's own scripts (never run by the worker: it opens files with scripts disabled)
)
# Run on demand, never by a scan (the poll explainer answers for one operator at a time); listed so that their
# findings get a title and an entry in the list's filter.
ON_DEMAND_CHECKS: tuple[ModuleType, ...] = (operator_poll, addon_sources)


def check_ids() -> tuple[str, ...]:
    return tuple(module.INFO.id for module in ALL_CHECKS)


def by_id(check_id: str) -> ModuleType | None:
    for module in ALL_CHECKS:
        if module.INFO.id == check_id:
            return module
    return None


def info(check_id: str) -> CheckInfo | None:
    """The metadata of any check, scan or on-demand."""
    for module in (*ALL_CHECKS, *ON_DEMAND_CHECKS):
        if module.INFO.id == check_id:
            return module.INFO
    return None
