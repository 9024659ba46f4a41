"""The modal scan's pacing without a window: a fake clock plays the UI loop."""

from __future__ import annotations

import pytest
from gotcha_doctor.core.pacing import TickPacer


class Loop:
    """A clock for a window whose event loop takes ``ui_s`` per pass, plus whatever each tick works."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def play(pacer: TickPacer, loop: Loop, ui_s: float, ticks: int) -> list[float]:
    budgets = []
    for _ in range(ticks):
        budget = pacer.budget()
        budgets.append(budget)
        loop.now += budget + ui_s  # the tick works its budget, then the loop draws and waits
    return budgets


def test_the_first_tick_works_the_floor_then_four_times_what_the_loop_takes() -> None:
    loop = Loop()
    pacer = TickPacer(floor_s=0.008, clock=loop)
    budgets = play(pacer, loop, ui_s=0.010, ticks=40)
    assert budgets[0] == 0.008
    assert budgets[-1] == pytest.approx(0.040, rel=0.01)  # share 0.8: work = 0.8 / 0.2 x the loop's 10 ms
    assert budgets == sorted(budgets)


def test_a_slow_loop_gets_the_ceiling_never_more() -> None:
    loop = Loop()
    pacer = TickPacer(floor_s=0.008, clock=loop)
    assert max(play(pacer, loop, ui_s=0.150, ticks=20)) == 0.1


def test_a_fast_loop_never_goes_below_the_floor() -> None:
    loop = Loop()
    budgets = play(TickPacer(floor_s=0.02, clock=loop), loop, ui_s=0.0001, ticks=30)
    assert min(budgets) == 0.02


def test_redraws_are_spaced() -> None:
    loop = Loop()
    pacer = TickPacer(redraw_every_s=0.25, clock=loop)
    due = []
    for _ in range(100):
        due.append(pacer.redraw_due())
        loop.now += 0.01
    assert due[0] and sum(due) == 4  # at 0, 0.25, 0.5, 0.75 s over one second
