"""Stored paths whose bytes are not UTF-8, and names Windows cannot hold ("Unicode Problems" gotcha).

Owners: every stored path (see checks._path_owners), the .blend's own path and its libraries' paths. The rules are
in core.non_utf8_rules. When ``relative_paths`` runs earlier in the same scan, its walk gathers the references this
check needs (usually a handful), so the file is walked once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core import non_utf8_rules
from ..core.engine import ScanState
from ..core.findings import CheckInfo, Finding, Progress
from ..core.non_utf8_rules import evaluate, utf8_candidates
from . import _path_owners as owners
from ._path_owners import WalkContext

INFO = CheckInfo(
    id=non_utf8_rules.CHECK,
    topic=non_utf8_rules.TOPIC,
    title="Non-UTF-8 and non-portable paths",
    description="Paths whose bytes are not UTF-8 (printing or assigning them raises) and names Windows cannot hold",
    severity="WARNING",
    uses_scan_state=True,
    takes=(owners.LOOKS,),  # what relative_paths' walk gathered, when it ran earlier in the scan
)

__all__ = ["INFO", "evaluate", "run", "utf8_candidates"]
_BATCH = 400  # references judged per step


def run(data: Any, context: Any, scan: ScanState | None = None) -> Iterator[Finding | Progress]:
    shared = owners.take_looks(scan, data)
    if shared is not None:
        # relative_paths ran earlier in this scan and gathered, in its walk, every path that may need a look:
        # judge those (usually a handful) instead of walking the file again.
        for start in range(0, len(shared), _BATCH):
            for ref in shared[start : start + _BATCH]:
                yield from evaluate(ref)
            yield Progress(min(1.0, (start + _BATCH) / len(shared)))
        yield Progress(1.0)
        return
    # Library files are resolved only for the walker's "//" bases; existence does not matter here.
    files, _missing = owners.library_files(data, lambda _path: True)
    ctx = WalkContext(data.filepath, files, set())
    for fraction, refs in owners.walk(data, ctx, only_looks=True):
        for ref in refs:
            yield from evaluate(ref)
        yield Progress(fraction)
