"""Replies being written, as any process sees them: their text so far, and the end of those whose
writer is gone (failed and refunded, the learner's message kept).

A writer is gone when its lease (services/leases.py) went unrenewed for ~15 s on the database clock.
Every process looks for such replies when it starts, when it lists or follows a room, and every few
seconds in a sweeper, so a crashed process is noticed within ~20 s by whichever process is alive.
"""

import asyncio
import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import read_only
from db.models import Message
from services import generation, leases

log = logging.getLogger(__name__)

INTERRUPTED = generation.INTERRUPTED

_sweeper: asyncio.Task | None = None
_stopping = asyncio.Event()


async def progress_in(
    session: AsyncSession, messages: Sequence[Message]
) -> tuple[dict[int, str], list[leases.Abandoned]]:
    """The text so far of the pending replies among `messages`, and those whose writer is gone."""
    pending = [message.id for message in messages if message.status == 'pending']
    if not pending:
        return {}, []
    texts = {reply_id: lease.text for reply_id, lease in (await leases.progress_in(session, pending)).items()}
    for reply_id in pending:
        if (running := generation.running(reply_id)) is not None:  # written here: memory is the freshest
            texts[reply_id] = running.text
    return texts, await leases.abandoned_in(session, pending)


async def fail_abandoned(abandoned: Sequence[leases.Abandoned]) -> int:
    """Fail and refund replies whose writer is gone, unless it renewed its lease meanwhile. How many."""
    failed = 0
    for reply in abandoned:
        failed += await generation.finish(
            reply.reply_id, reply.user_id, reply.text, 'failed', INTERRUPTED,
            attempt=reply.attempt, only_if_abandoned=True,
        )  # fmt: skip
    return failed


async def recover_interrupted() -> int:
    """Fail and refund every reply whose writer is gone. Returns how many."""
    # A read beside the writers (no write lock on SQLite, no ORM session): the look, every few seconds in
    # every process, almost always finds nothing. Each reply found is failed in a write of its own.
    async with read_only() as connection:
        abandoned = await leases.abandoned_in(connection)
    return await fail_abandoned(abandoned)


def start_sweeper() -> None:
    """Look for abandoned replies every few seconds (each process does), until stop_sweeper()."""
    global _sweeper, _stopping
    # One left by an app whose event loop has ended (tests start many) never finishes: replace it.
    if _sweeper is None or _sweeper.done() or _sweeper.get_loop() is not asyncio.get_running_loop():
        _stopping = asyncio.Event()
        _sweeper = asyncio.create_task(_sweep(_stopping), name='reply sweeper')


async def stop_sweeper() -> None:
    """Stop the sweeper (after its current look, so no transaction is cut short)."""
    global _sweeper
    if _sweeper is not None:
        _stopping.set()
        if _sweeper.get_loop() is asyncio.get_running_loop():  # one of an ended loop is gone already
            await asyncio.wait([_sweeper])
        _sweeper = None


async def _sweep(stopping: asyncio.Event) -> None:
    while True:
        try:
            async with asyncio.timeout(leases.SWEEP_SECONDS):
                await stopping.wait()
            return
        except TimeoutError:
            pass
        try:
            if failed := await recover_interrupted():
                log.warning('%d replies abandoned by a process that is gone: failed and refunded', failed)
        except Exception:  # the database may be unreachable for a moment: look again next time
            log.warning('could not look for abandoned replies', exc_info=True)
