"""How much a modal scan does per timer tick: what the UI loop leaves, not a fixed slice.

A fixed few milliseconds per tick makes a scan in a window many times slower than the same scan run at once when
each pass of the window's event loop costs tens of milliseconds (drawing, with software OpenGL a hundred). So each
tick works for a share of the interval observed between the starts of the last two ticks (the loop's own time plus
the previous tick's work): with a share of 0.8 the work settles at four times what the loop takes, between a floor
(the preference) and a ceiling that bounds how long the window stops answering. The progress shown is redrawn only
every so often, since a redraw is most of a loop's cost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

SHARE = 0.8
CEILING_S = 0.1  # the longest the UI waits for one tick's work
REDRAW_EVERY_S = 0.25  # progress moves on screen at least this often


@dataclass
class TickPacer:
    floor_s: float = 0.008
    share: float = SHARE
    ceiling_s: float = CEILING_S
    redraw_every_s: float = REDRAW_EVERY_S
    clock: Callable[[], float] = time.perf_counter
    _last_start: float | None = field(default=None, repr=False)
    _last_redraw: float | None = field(default=None, repr=False)

    def budget(self) -> float:
        """The work budget of the tick starting now (call once at its start)."""
        now = self.clock()
        last, self._last_start = self._last_start, now
        if last is None:
            return self.floor_s
        return min(self.ceiling_s, max(self.floor_s, self.share * (now - last)))

    def redraw_due(self) -> bool:
        """True at most once per ``redraw_every_s`` (and on the first call): time to show the progress."""
        now = self.clock()
        if self._last_redraw is not None and now - self._last_redraw < self.redraw_every_s:
            return False
        self._last_redraw = now
        return True
