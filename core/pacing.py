"""How much a modal scan does per timer tick: what the window's event loop leaves, not a fixed slice.

Two figures matter to a user: how long the window stops answering (one tick's work plus the loop's own pass: event
handling and, when something was tagged, drawing) and how much longer the scan takes than the same scan run at once.
A fixed few milliseconds per tick makes the scan many times slower wherever a pass of the loop costs tens of
milliseconds (drawing, with software OpenGL a hundred); a large fixed slice freezes the window.

So the pacer measures the loop: the time from the end of one tick's work to the start of the next is the loop's own
pass. Passes after a tick that asked for a redraw (the progress bar) cost more than the others, so the two kinds are
measured apart, and each tick works for what keeps *its* pass within the stall target: the recent passes of its kind
(the second longest of them, so one quick pass does not invite a long stall and one slow one does not shrink the
next ticks), subtracted from the target. Redraws are
asked for only every so often: on their ticks the work is smaller, the others work up to the ceiling. When the loop
alone takes longer than the target (a very slow machine), the work is kept at a share of the loop's time, so the scan
still moves; the window is slow there anyway.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

STALL_S = 0.18  # the longest the window should wait: one tick's work plus the loop's own pass
CEILING_S = 0.15  # the most one tick works, whatever the loop leaves
SLOW_LOOP_SHARE = 0.5  # on a loop slower than the target, work this share of its pass
REDRAW_EVERY_S = 0.4  # progress is redrawn this often (the state itself moves every tick)
_RECENT = 8  # passes of each kind remembered


@dataclass
class TickPacer:
    floor_s: float = 0.008
    stall_s: float = STALL_S
    ceiling_s: float = CEILING_S
    redraw_every_s: float = REDRAW_EVERY_S
    clock: Callable[[], float] = time.perf_counter
    _last_start: float | None = field(default=None, repr=False)
    _last_work: float | None = field(default=None, repr=False)
    _last_redrew: bool = field(default=False, repr=False)
    _last_redraw: float | None = field(default=None, repr=False)
    _passes: dict[bool, deque[float]] = field(
        default_factory=lambda: {False: deque(maxlen=_RECENT), True: deque(maxlen=_RECENT)}, repr=False
    )

    def start(self) -> tuple[float, bool]:
        """At the start of a tick: (its work budget in seconds, whether it should ask for a redraw of the progress)."""
        now = self.clock()
        if self._last_start is not None and self._last_work is not None:
            self._passes[self._last_redrew].append(max(0.0, now - self._last_start - self._last_work))
        self._last_start, self._last_work = now, None
        redraw = self._last_redraw is None or now - self._last_redraw >= self.redraw_every_s
        if redraw:
            self._last_redraw = now
        self._last_redrew = redraw
        return self._budget(redraw), redraw

    def finished(self) -> None:
        """At the end of a tick's work: how long it took is what separates the work from the loop's pass."""
        if self._last_start is not None:
            self._last_work = self.clock() - self._last_start

    def _budget(self, redraw: bool) -> float:
        passes = self._passes[redraw] or self._passes[not redraw]
        if not passes:
            return self.floor_s  # nothing measured yet
        # The second longest of the recent passes: cautious, yet one pass slowed by something else (another program,
        # the user dragging a panel) does not shrink the next eight ticks.
        ordered = sorted(passes)
        loop_s = ordered[-2] if len(ordered) > 1 else ordered[-1]
        fits = self.stall_s - loop_s
        return min(self.ceiling_s, max(self.floor_s, fits, SLOW_LOOP_SHARE * loop_s))
