"""How often a streaming reply is redrawn: every REDRAW_SECONDS on a quiet process, less often on a
busy one, so a process with many replies streaming at once spends less of its event loop on redraws
(each redraw is a websocket message and a frame the browser draws) and more on the next learner's first words.

The pacer measures how late its own waits come back (a busy event loop wakes sleepers late) and adds
twice that lateness, smoothed, to the next wait, up to SLOWEST_SECONDS. Measured under load
(bench/load_pages.py, bench/RESULTS.md): see "Redraws paced by the event loop's lateness".
"""

import asyncio

REDRAW_SECONDS = 0.08
SLOWEST_SECONDS = 0.4
SMOOTHING = 0.3  # weight of the newest lateness


class RedrawPacer:
    """Waits between two redraws of one streaming reply."""

    def __init__(self) -> None:
        self.lateness = 0.0

    @property
    def interval(self) -> float:
        return min(SLOWEST_SECONDS, REDRAW_SECONDS + 2 * self.lateness)

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        asked = self.interval
        started = loop.time()
        await asyncio.sleep(asked)
        self.observe(loop.time() - started - asked)

    def observe(self, late: float) -> None:
        """One wait came back `late` seconds after it was due."""
        self.lateness += SMOOTHING * (max(0.0, late) - self.lateness)
