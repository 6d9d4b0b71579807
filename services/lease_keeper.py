"""One heartbeat per process: the leases of all of this process's running replies, renewed in one
statement about once a second, on a database connection of its own.

Every reply this process writes (services/generation.py) is held here from its start until its final
state is saved. About every HEARTBEAT_SECONDS the keeper writes, in one UPDATE, each held lease's
heartbeat (and the text of those whose text changed since the last beat) and reads back their cancel
flags (services/leases.py, `renew_all_in`); then it stops each reply asked to stop (Stop on any
process) and each whose lease is gone (declared interrupted, deleted or restarted elsewhere).

Its connection is its own (an engine of one connection on the same database, db/engine.py), not the
shared pool: a pool emptied by page traffic must never delay a heartbeat, or another process would
judge a live reply abandoned after STALE_AFTER_SECONDS and refund it although its text had reached the
learner (bench/RESULTS.md, "Heartbeats"). A reply stays held while its final write waits for a pooled
connection, for the same reason. A beat that fails is logged and tried again at the next one; the
keeper never dies of it. It starts with the first reply and stops (its connection closed) at the app's
shut-down.
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from db import engine as database
from services import leases

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Held:
    reply_id: int
    attempt: int
    text: Callable[[], str]
    # Called once when the reply should stop: Stop was asked for, or its lease is gone.
    stop: Callable[[], None]
    written: str | None = None
    stopped: bool = False


_held: dict[int, _Held] = {}
_keeper: asyncio.Task | None = None
_stopping = asyncio.Event()


def hold(reply_id: int, attempt: int, text: Callable[[], str], stop: Callable[[], None]) -> None:
    """Keep the lease of `reply_id` (in `attempt`) alive with `text()` until let_go(); call `stop()` when
    the reply is asked to stop or loses its lease. Starts the keeper if it is not running."""
    _held[reply_id] = _Held(reply_id, attempt, text, stop)
    _start()


def let_go(reply_id: int, attempt: int) -> None:
    """No more heartbeats for this reply: its final state is saved (or was refused)."""
    held = _held.get(reply_id)
    if held is not None and held.attempt == attempt:  # not a newer attempt started meanwhile
        del _held[reply_id]


async def stop() -> None:
    """Stop the keeper after its current beat and close its connection (the app's shut-down)."""
    global _keeper
    if _keeper is not None:
        _stopping.set()
        if _keeper.get_loop() is asyncio.get_running_loop():  # one left by an ended loop (tests) is gone
            await asyncio.wait([_keeper])
        _keeper = None


def _start() -> None:
    global _keeper, _stopping
    loop = asyncio.get_running_loop()
    if _keeper is None or _keeper.done() or _keeper.get_loop() is not loop:
        _stopping = asyncio.Event()
        _keeper = asyncio.create_task(_keep(_stopping), name='lease keeper')


async def _keep(stopping: asyncio.Event) -> None:
    own: AsyncEngine | None = None
    try:
        while True:
            try:
                async with asyncio.timeout(leases.HEARTBEAT_SECONDS):
                    await stopping.wait()
                return
            except TimeoutError:
                pass
            if not _held:
                continue
            try:
                own = own or database.own_engine()
                await _beat(own)
            except Exception:  # the database may be unreachable for a moment: renew at the next beat
                log.warning('could not renew the leases of %d running replies', len(_held), exc_info=True)
    finally:
        if own is not None:
            await own.dispose()


async def _beat(own: AsyncEngine) -> None:
    held = list(_held.values())
    texts = [entry.text() for entry in held]
    renewals = [
        leases.Renewal(entry.reply_id, entry.attempt, None if text == entry.written else text)
        for entry, text in zip(held, texts, strict=True)
    ]
    async with own.begin() as connection:
        cancels = await leases.renew_all_in(connection, renewals)
    for entry, text in zip(held, texts, strict=True):
        if _held.get(entry.reply_id) is not entry:  # saved meanwhile
            continue
        entry.written = text
        cancel = cancels.get(entry.reply_id)
        if cancel is None:  # the lease is gone: nothing left to renew
            del _held[entry.reply_id]
        if cancel is not False and not entry.stopped:
            entry.stopped = True
            entry.stop()
