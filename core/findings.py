"""The value types every check produces: findings and progress steps.

A finding names its datablock by value -- (id_type, name, library filepath) -- never by a ``bpy`` object, so a
report stays valid across undo, redo, reload, renames and deletion (see the "Help! My script crashes Blender"
gotcha: hold keys, not references).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

# Most severe first; the order is used for sorting and for ``--fail-on``.
SEVERITIES: tuple[str, ...] = ("ERROR", "WARNING", "INFO")


def severity_rank(severity: str) -> int:
    """0 for ERROR (most severe), 1 for WARNING, 2 for INFO."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class CheckInfo:
    """Metadata every check module exposes as ``INFO``."""

    id: str
    topic: str
    title: str
    description: str
    severity: str  # default severity of its findings
    # True: run() takes a third argument, the scan's ScanState (core.engine): the project root, change counters, and
    # plain values handed from one check to a later one of the same scan (e.g. one file walk serving two checks).
    uses_scan_state: bool = False
    # Hand-over keys this check takes from an earlier check of the same scan, when there is one (ScanState.handover).
    takes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"check {self.id!r}: unknown severity {self.severity!r}")


@dataclass(slots=True)
class Finding:
    check: str
    topic: str
    severity: str
    message: str
    id_type: str | None = None
    id_name: str | None = None
    library: str | None = None  # the owning Library's filepath as stored, None for local data
    details: dict[str, Any] = field(default_factory=dict)
    # Stable keys of the fixes offered for this finding; the UI maps each to its operator (operators.FIX_OPERATORS),
    # which takes ``finding_index``.
    fixes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"finding of {self.check!r}: unknown severity {self.severity!r}")


@dataclass(frozen=True)
class Progress:
    """Yielded by a check between findings: how far it is, 0..1 of its own work.

    ``waiting``: the check has nothing to do until something outside this process (a child process) finishes; the
    engine then ends the slice at once (the window gets its time back) and may run other checks meanwhile.
    ``step_aside``: the check can go on, but would rather let the checks not started yet run first (it has started a
    child process whose work overlaps theirs); it goes on once none is left.
    """

    fraction: float
    waiting: bool = False
    step_aside: bool = False


def timed_share(elapsed_s: float, expected_s: float) -> float:
    """How far a wait of about ``expected_s`` seconds is after ``elapsed_s``, when nothing better is known (a child
    process that reports nothing yet): ``1 - e^-t/T``, 63 % at the expected time and never quite 1, so the progress
    still moves, more slowly, when the wait runs long."""
    if expected_s <= 0:
        return 1.0
    return 1.0 - math.exp(-max(0.0, elapsed_s) / expected_s)
