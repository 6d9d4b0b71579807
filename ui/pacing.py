"""How often a streaming reply is redrawn: at most every REDRAW_SECONDS on a quiet process, less often on a
busy one, so a process with many replies streaming at once spends less of its event loop on redraws
(each redraw is a websocket message and a frame the browser draws) and more on the next learner's first words.

The pacer learns how late the event loop runs from how late the page wakes for each change (and for its own
waits) and adds twice that lateness, smoothed, to the interval, up to SLOWEST_SECONDS. Measured under load
(bench/load_pages.py, bench/RESULTS.md): see "Redraws paced by the event loop's lateness".

It waits only for a change that comes sooner than the interval after the last redraw: a wait after every
redraw was one more wake-up of the process per streamed piece whenever the model's pieces come slower than
that (~0.25 ms of CPU each on this machine kind, ~5 ms of a 21-piece turn; bench/RESULTS.md, issue 17).
"""

import asyncio
import math

REDRAW_SECONDS = 0.08
SLOWEST_SECONDS = 0.4
SMOOTHING = 0.3  # weight of the newest lateness


class RedrawPacer:
    """Paces the redraws of one streaming reply: `settle` before each redraw after the first."""

    def __init__(self) -> None:
        self.lateness = 0.0
        # The event loop's clock at the last redraw: none yet, so the first piece is drawn at once.
        self.drawn_at = -math.inf

    @property
    def interval(self) -> float:
        return min(SLOWEST_SECONDS, REDRAW_SECONDS + 2 * self.lateness)

    async def settle(self, late: float = 0.0) -> None:
        """Before the next redraw, for a change the page woke for `late` seconds after it was made: waits out
        the rest of the interval since the last redraw, if any is left (the changes that come meanwhile are
        drawn together); then the redraw counts as made now."""
        self.observe(late)
        loop = asyncio.get_running_loop()
        now = loop.time()
        rest = self.drawn_at + self.interval - now
        if rest > 0:
            await asyncio.sleep(rest)
            self.observe(loop.time() - now - rest)
        self.drawn_at = loop.time()

    def observe(self, late: float) -> None:
        """A wake-up came `late` seconds after it was due."""
        self.lateness += SMOOTHING * (max(0.0, late) - self.lateness)
