"""Redraws of a streaming reply: 80 ms apart on a quiet process, further apart on a busy one."""

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


async def test_waits_measure_their_own_lateness() -> None:
    """A wait on an idle loop is barely late."""
    pacer = RedrawPacer()
    await pacer.wait()
    assert pacer.lateness < 0.03
