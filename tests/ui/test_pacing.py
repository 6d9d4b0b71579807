"""Redraws of a streaming reply: at most every 80 ms on a quiet process, further apart on a busy one; no wait
for a change that comes later than that."""

import pytest

from ui import pacing
from ui.pacing import REDRAW_SECONDS, SLOWEST_SECONDS, RedrawPacer


def test_a_quiet_loop_redraws_every_80_ms() -> None:
    """Waits that come back on time keep the pace at 80 ms."""
    pacer = RedrawPacer()
    for _unused in range(10):
        pacer.observe(0.001)
    assert abs(pacer.interval - REDRAW_SECONDS) < 0.005


def test_a_busy_loop_redraws_less_often_then_recovers() -> None:
    """Waits 100 ms late stretch the pace to about 280 ms (at most 400); on-time waits bring it back."""
    pacer = RedrawPacer()
    for _unused in range(20):
        pacer.observe(0.1)
    assert 0.25 < pacer.interval <= SLOWEST_SECONDS
    for _unused in range(20):
        pacer.observe(5.0)
    assert pacer.interval == SLOWEST_SECONDS
    for _unused in range(30):
        pacer.observe(0.0)
    assert pacer.interval < REDRAW_SECONDS + 0.01


async def test_the_first_redraw_and_a_change_after_the_interval_do_not_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first piece is drawn at once; a change that comes after the interval is drawn at once too, with no
    wait of its own (a wait after every redraw woke the process once more per piece)."""
    waits = sleeps_recorded(monkeypatch)
    pacer = RedrawPacer()
    await pacer.settle()
    pacer.drawn_at -= REDRAW_SECONDS + 0.02  # the next piece came 100 ms after the last redraw
    await pacer.settle()
    assert waits == []


async def test_a_change_sooner_than_the_interval_waits_out_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change 30 ms after a redraw waits ~50 ms more, so the changes meanwhile are drawn together."""
    waits = sleeps_recorded(monkeypatch)
    pacer = RedrawPacer()
    await pacer.settle()
    pacer.drawn_at -= 0.03
    await pacer.settle()
    assert len(waits) == 1 and 0.04 < waits[0] <= 0.05 + 0.001


async def test_late_wake_ups_for_changes_stretch_the_interval() -> None:
    """Changes the page woke for 100 ms late (a busy loop) stretch the pace as late waits do."""
    pacer = RedrawPacer()
    for _unused in range(20):
        pacer.drawn_at -= 1.0  # pieces a second apart: no wait, only their lateness is learnt
        await pacer.settle(0.1)
    assert 0.25 < pacer.interval <= SLOWEST_SECONDS


def sleeps_recorded(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pacer's waits (seconds asked), not slept."""
    asked: list[float] = []

    async def sleep(seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(pacing.asyncio, 'sleep', sleep)
    return asked
