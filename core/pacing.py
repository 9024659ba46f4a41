"""How much a modal scan does per timer tick: what the window's event loop leaves, not a fixed slice.

Two figures matter to a user: how long the window stops answering (one tick's work plus the loop's own pass: event
handling and, when something was tagged, drawing) and how much longer the scan takes than the same scan run at once.
A fixed few milliseconds per tick makes the scan many times slower wherever a pass of the loop costs tens of
milliseconds (drawing, with software OpenGL a hundred); a large fixed slice freezes the window.

So the pacer measures the loop: the time from the end of one tick's work to the start of the next is the loop's own
pass. A stall, as the user meets it, is a tick's work next to a pass on either side: the pass just before it (known
exactly when the tick starts) or the one that will follow it (predicted from the recent passes: the second longest of
them, so one quick pass does not invite a long stall and one slow one does not shrink the next ticks). Each tick works
for what keeps both within the target, up to a ceiling.

Redraws of the progress are asked for only every so often, and on time (no tick works far past the time one is due);
the tick that asks for one does only the floor's work:
a redraw is most of a pass and its cost is the hardest to predict (it grows with what the panel shows, and software
OpenGL composites the whole window), while the tick after it knows exactly what the drawing took. When the loop alone
takes longer than the target (a very slow machine), the work is kept at a share of the loop's time, so the scan still
moves; the window is slow there anyway.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# The longest the window should wait (one tick's work next to a pass of the loop), kept 30 ms under the 200 ms a user
# notices: a tick ends after the step that crosses its budget, and a step is not always as short as the last ones.
STALL_S = 0.17
CEILING_S = 0.14  # the most one tick works, whatever the loop leaves
SLOW_LOOP_SHARE = 0.5  # on a loop slower than the target, work this share of its pass
REDRAW_EVERY_S = 0.3  # progress is redrawn this often (the state itself moves every tick): seen every < 0.5 s
# A redraw due this soon is asked for at once (a tick that short would cost a pass of the loop for little work); no
# tick works further than LATE_S past the time a redraw is due.
EARLY_S = 0.05
LATE_S = 0.05
_RECENT = 8  # passes remembered


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
    _passes: deque[float] = field(default_factory=lambda: deque(maxlen=_RECENT), repr=False)  # after plain ticks

    def start(self) -> tuple[float, bool]:
        """At the start of a tick: (its work budget in seconds, whether it should ask for a redraw of the progress)."""
        now = self.clock()
        pass_before = 0.0
        if self._last_start is not None and self._last_work is not None:
            pass_before = max(0.0, now - self._last_start - self._last_work)
            if not self._last_redrew:
                self._passes.append(pass_before)
        self._last_start, self._last_work = now, None
        due = None if self._last_redraw is None else self._last_redraw + self.redraw_every_s
        redraw = due is None or now >= due - EARLY_S
        if redraw:
            self._last_redraw = now
        self._last_redrew = redraw
        budget = self._budget(redraw, pass_before)
        if due is not None and not redraw and now + budget > due + LATE_S:
            # A full tick just before the redraw was due showed the same progress for 0.46 s in a window (0.3 s
            # asked): the tick stops where the redraw is due.
            budget = max(self.floor_s, due - now)
        return budget, redraw

    def finished(self) -> None:
        """At the end of a tick's work: how long it took is what separates the work from the loop's pass."""
        if self._last_start is not None:
            self._last_work = self.clock() - self._last_start

    def _budget(self, redraw: bool, pass_before: float) -> float:
        if redraw or not self._passes:
            # The drawing comes next, or no plain pass is measured yet: the first ticks of a scan also run its least
            # predictable steps (a check starting its child process), so they stay small until the loop is known.
            return self.floor_s
        # The pass to come: the second longest of the recent ones, cautious, yet one pass slowed by something else
        # (another program, the user dragging a panel) does not shrink the next eight ticks.
        ordered = sorted(self._passes)
        predicted = ordered[-2] if len(ordered) > 1 else ordered[-1] if ordered else 0.0
        if predicted >= self.stall_s:
            return min(self.ceiling_s, max(self.floor_s, SLOW_LOOP_SHARE * predicted))  # the window is slow anyway
        # After one slow drawing (not the loop's usual pace) the target still holds: the next tick works less.
        return min(self.ceiling_s, max(self.floor_s, self.stall_s - max(predicted, pass_before)))
