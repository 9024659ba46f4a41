"""The modal scan's pacing without a window: a fake clock plays the UI loop."""

from __future__ import annotations

import random

import pytest
from gotcha_doctor.core.pacing import CEILING_S, EARLY_S, LATE_S, SLOW_LOOP_SHARE, STALL_S, TickPacer


class Loop:
    """A clock for a window whose event loop takes ``plain_s`` per pass, ``redraw_s`` after a tick that asked for a
    redraw, plus whatever each tick works."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def play(pacer: TickPacer, loop: Loop, plain_s: float, redraw_s: float, ticks: int) -> list[tuple[float, bool]]:
    """(budget, redraw) of each tick, each tick working its budget and the loop then taking its pass."""
    seen = []
    for _ in range(ticks):
        budget, redraw = pacer.start()
        seen.append((budget, redraw))
        loop.now += budget  # the tick works its budget
        pacer.finished()
        loop.now += redraw_s if redraw else plain_s  # then the loop handles events, draws what was tagged
    return seen


def stalls(seen: list[tuple[float, bool]], plain_s: float, redraw_s: float) -> list[float]:
    """How long the window stops answering around each tick: its work next to the pass before or the pass after."""
    after = [redraw_s if redraw else plain_s for _budget, redraw in seen]
    before = [0.0, *after[:-1]]
    return [max(b, a) + budget for (budget, _redraw), b, a in zip(seen, before, after, strict=True)]


def wall(seen: list[tuple[float, bool]], plain_s: float, redraw_s: float) -> float:
    return sum(budget + (redraw_s if redraw else plain_s) for budget, redraw in seen)


def test_the_first_tick_works_the_floor_then_what_keeps_each_pass_within_the_stall_target() -> None:
    loop = Loop()
    pacer = TickPacer(floor_s=0.008, stall_s=0.18, ceiling_s=0.15, redraw_every_s=0.4, clock=loop)
    seen = play(pacer, loop, plain_s=0.030, redraw_s=0.090, ticks=60)
    assert seen[0] == (0.008, True)  # nothing measured yet; the first tick shows the progress at once
    assert seen[1] == (0.008, False)  # only a drawing measured: the loop's plain pass is not known yet
    assert seen[2] == (0.15, False)
    settled = seen[20:]
    after_redraw = {round(budget, 6) for (budget, _), (_, redraw) in zip(settled[1:], settled, strict=False) if redraw}
    others = {
        round(budget, 6)
        for (budget, redraw), (_, redraw_before) in zip(settled[1:], settled, strict=False)
        if not redraw and not redraw_before
    }
    assert {round(budget, 6) for budget, redraw in settled if redraw} == {0.008}  # the drawing comes next: the floor
    assert after_redraw == {round(0.18 - 0.090, 6)}  # the tick after it knows what the drawing took
    assert others == {0.15}  # the others: 0.18 - 0.03 = 0.15, the ceiling
    assert max(stalls(settled, 0.030, 0.090)) <= 0.18 + 1e-9
    # Wall time over work once settled, what "modal / synchronous" comes to: a redraw every third tick here (the
    # fourth would start 2 ms before the redraw is due), (0.008 + 0.09 + 0.15 of work) in 0.098 + 0.12 + 0.18 s.
    work = sum(budget for budget, _redraw in settled)
    assert wall(settled, 0.030, 0.090) / work == pytest.approx(0.398 / 0.248, rel=0.05)


def test_redraws_are_asked_for_every_so_often() -> None:
    loop = Loop()
    pacer = TickPacer(redraw_every_s=0.4, clock=loop)
    seen = play(pacer, loop, plain_s=0.02, redraw_s=0.05, ticks=40)
    times, now = [], 0.0
    for budget, redraw in seen:
        if redraw:
            times.append(now)
        now += budget + (0.05 if redraw else 0.02)
    assert times[0] == 0.0
    assert all(0.4 - EARLY_S <= b - a <= 0.4 + LATE_S + 0.02 + 0.008 for a, b in zip(times, times[1:], strict=False))


def test_no_tick_works_far_past_the_time_a_redraw_is_due() -> None:
    """In a window, a full tick that started just before the redraw was due showed the same progress for 0.46 s
    (0.3 s asked for). Each redraw is asked for at most LATE_S plus the floor and one pass of the loop after it is
    due, never more than EARLY_S before; the work between redraws is not cut for it."""
    loop = Loop()
    pacer = TickPacer(redraw_every_s=0.3, clock=loop)
    passes = random.Random(1)  # a loop whose passes vary, as a window's do (seeded: the same run each time)
    asked, work = [], 0.0
    for _ in range(4000):
        budget, redraw = pacer.start()
        if redraw:
            asked.append(loop.now)
        loop.now += budget
        work += budget
        pacer.finished()
        loop.now += passes.uniform(0.065, 0.12) if redraw else passes.uniform(0.005, 0.04)
    gaps = [b - a for a, b in zip(asked, asked[1:], strict=False)]
    assert 0.3 - EARLY_S <= min(gaps) and max(gaps) <= 0.3 + LATE_S + pacer.floor_s + 0.04
    assert loop.now / work < 1.65  # 1.62 here, as without the cut (which let a gap reach 0.44 s here)


def test_a_loop_slower_than_the_target_still_gets_a_share_of_work() -> None:
    loop = Loop()
    pacer = TickPacer(floor_s=0.008, redraw_every_s=1.0, clock=loop)
    seen = play(pacer, loop, plain_s=0.25, redraw_s=0.4, ticks=30)
    assert SLOW_LOOP_SHARE * 0.25 < CEILING_S
    settled = seen[10:]
    # Every tick but the redraws works its share of the loop's plain pass, also the one after a 0.4 s drawing.
    assert {round(b, 6) for b, r in settled if not r} == {round(SLOW_LOOP_SHARE * 0.25, 6)}
    assert {round(b, 6) for b, r in settled if r} == {0.008}


def test_one_slow_pass_is_not_counted_two_are() -> None:
    loop = Loop()
    pacer = TickPacer(floor_s=0.008, redraw_every_s=100.0, clock=loop)  # one redraw, at the start
    play(pacer, loop, plain_s=0.02, redraw_s=0.02, ticks=10)

    def slow_pass() -> float:
        budget, _ = pacer.start()
        loop.now += budget
        pacer.finished()
        loop.now += 0.12  # the user dragged something: one slow pass of the loop
        return budget

    slow_pass()
    assert pacer.start()[0] == pytest.approx(STALL_S - 0.12)  # the tick right after it: the stall is that pass + work
    pacer.finished()
    loop.now += 0.02
    assert pacer.start()[0] == CEILING_S  # one slow pass among the last eight: the second longest is 20 ms
    pacer.finished()
    loop.now += 0.02
    slow_pass()
    assert pacer.start()[0] == pytest.approx(STALL_S - 0.12)  # after the pass itself
    pacer.finished()
    loop.now += 0.02
    assert pacer.start()[0] == pytest.approx(STALL_S - 0.12)  # two of them among the last eight: now they count
    pacer.finished()
    later = play(pacer, loop, plain_s=0.02, redraw_s=0.02, ticks=9)
    assert later[-1][0] == CEILING_S  # eight passes later they no longer count


def test_a_fast_loop_never_goes_below_the_floor() -> None:
    loop = Loop()
    seen = play(TickPacer(floor_s=0.02, stall_s=0.01, clock=loop), loop, plain_s=0.015, redraw_s=0.015, ticks=30)
    assert min(budget for budget, _ in seen) == 0.02


def test_after_one_very_slow_pass_the_next_tick_works_next_to_nothing() -> None:
    loop = Loop()
    pacer = TickPacer(floor_s=0.008, redraw_every_s=100.0, clock=loop)
    play(pacer, loop, plain_s=0.02, redraw_s=0.02, ticks=10)
    budget, _ = pacer.start()
    loop.now += budget
    pacer.finished()
    loop.now += 0.3  # a drawing that took 0.3 s: whatever the next tick does adds to that stall
    assert pacer.start()[0] == 0.008  # not a share of that pass: it is not the loop's usual pace
