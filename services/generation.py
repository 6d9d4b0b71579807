"""Replies generated in background tasks, so a closed tab or a lost connection never loses one.

Each running reply is a task owned by this process; pages here follow its text from memory. The
process's lease keeper (services/lease_keeper.py) holds the reply's lease (services/leases.py) until it
is saved: about once a second, in one statement for all running replies on a connection of its own, it
writes the text so far there and reads the cancel flag, so other processes see the reply grow and can
stop it. When the task ends, the reply is written once (complete, stopped or failed), only while it is
still pending in the same attempt (tried again when the pool timed out or the connection was lost: the
lease is renewed meanwhile, so no other process takes the reply for abandoned). A reply is charged
once its request went to the model: a failed one (the server erred, timed out or answered nothing)
gives its quota unit back, a stopped one does not (or Stop before the first token would buy unlimited
model calls); only one stopped before its request was made is refunded.
"""

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Message, Translation
from i18n import lazy_text
from services import lease_keeper, leases, quota, reply_writes
from services.llm.base import ChatTurn, CutShort, LLMBackend, LLMError, LLMTimeout
from services.sentence_end import end_at_sentence
from services.stored_text import english

log = logging.getLogger(__name__)

# A reply may take at most this long in all.
GENERATION_TIMEOUT_SECONDS = 300.0
# Stop waits this long for another process's reply to be saved (its owner notices within a heartbeat).
STOP_WAIT_SECONDS = 3.0
STOP_POLL_SECONDS = 0.1
# The final write is tried this often (each try may wait for a pooled connection up to the pool timeout).
FINAL_WRITE_TRIES = 3
# A reply's error is stored in English (the task has no reader), translated when shown (chat.error_text).
INTERRUPTED = english(lazy_text('The reply was interrupted (the server restarted). Press Retry.'))
EMPTY_REPLY = english(lazy_text('The AI partner returned an empty reply.'))
WENT_WRONG = english(lazy_text('Something went wrong while writing the reply.'))


@dataclass(eq=False)
class Generation:
    reply_id: int
    user_id: int
    attempt: int = 0
    text: str = ''
    status: str = 'pending'
    error: str | None = None
    task: asyncio.Task | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    changed_at: float = 0.0  # the event loop's clock at the last publish(): how late a follower wakes
    # The caller's snapshot of the reply (id, room, model, time), so followers need no database read.
    info: Any = None
    # Set when the request goes to the model: from then on a Stop keeps the quota unit spent.
    model_called: bool = False
    # Set by shutdown(): a reply the server cuts off before any text is the server's failure, not a Stop.
    server_stopped: bool = False
    # Saving the final state: cancelling the task now would cut that transaction short.
    closing: bool = False
    # The reply was restarted meanwhile (Retry on another process): followers read the database.
    superseded: bool = False

    @property
    def done(self) -> bool:
        return self.status != 'pending'

    def publish(self) -> None:
        """Wake every follower; they re-read the state and wait on the fresh event."""
        event, self.changed = self.changed, asyncio.Event()
        self.changed_at = asyncio.get_running_loop().time()
        event.set()


_running: dict[int, Generation] = {}


def start(
    reply_id: int,
    user_id: int,
    backend: LLMBackend,
    turns: Sequence[ChatTurn],
    *,
    max_tokens: int,
    json_schema: dict[str, Any] | None = None,
    info: Any = None,
    attempt: int = 0,
) -> Generation:
    """Generate the committed pending reply `reply_id` (whose lease this process claimed in that
    transaction, for `attempt`) in a background task."""
    generation = Generation(reply_id=reply_id, user_id=user_id, attempt=attempt, info=info)
    _running[reply_id] = generation
    generation.task = asyncio.create_task(
        _run(generation, backend, list(turns), max_tokens, json_schema), name=f'reply {reply_id}'
    )
    return generation


async def restart_in(session: AsyncSession, reply: Message, statuses: Sequence[str], model: str) -> bool:
    """Make a finished reply pending again, as a new attempt this process will write (Retry, Regenerate).

    One atomic transition: of two clicks at once (two tabs, two processes) one starts it and the other
    gets False (PostgreSQL re-checks the condition once the first commits; SQLite writes one at a time).
    """
    started = await session.execute(
        update(Message)
        .where(Message.id == reply.id, Message.status.in_(statuses))
        .values(status='pending', content='', error=None, model=model, attempt=Message.attempt + 1)
        .execution_options(synchronize_session=False)
    )
    if started.rowcount != 1:
        return False
    # What was derived from the old text goes with it (a translation would describe another reply).
    await session.execute(delete(Translation).where(Translation.message_id == reply.id))
    await session.refresh(reply)
    await leases.claim_in(session, reply.id, reply.attempt)
    return True


def running(reply_id: int) -> Generation | None:
    return _running.get(reply_id)


async def stop(*reply_ids: int) -> None:
    """Stop replies, whichever process writes them, and wait until they are saved (other processes'
    replies at most STOP_WAIT_SECONDS: their owners find the cancel flag at their next heartbeat)."""
    local = [generation for reply_id in reply_ids if (generation := _running.get(reply_id)) is not None]
    for generation in local:  # before any await: a task not yet started must not get to ask the model
        _cancel(generation)
    await leases.request_cancel(reply_ids)
    if tasks := [generation.task for generation in local if generation.task is not None]:
        await asyncio.wait(tasks)
    for generation in local:
        if _running.get(generation.reply_id) is generation:  # cancelled before it ever ran: nothing saved
            await _save(generation, 'stopped', None)
    remote = [reply_id for reply_id in reply_ids if all(g.reply_id != reply_id for g in local)]
    try:
        async with asyncio.timeout(STOP_WAIT_SECONDS):
            # Another process saves them: the database is the only thing to watch.
            while remote and await _pending_count(remote):  # noqa: ASYNC110
                await asyncio.sleep(STOP_POLL_SECONDS)
    except TimeoutError:
        log.info('replies %s were still being written %s s after Stop', remote, STOP_WAIT_SECONDS)


async def wait(reply_id: int) -> None:
    """Wait until a reply running in this process is finished and saved (no-op otherwise)."""
    generation = _running.get(reply_id)
    if generation is not None and generation.task is not None:
        await asyncio.wait([generation.task])


async def shutdown(drain_seconds: float = 0.0) -> None:
    """Server shut-down (SIGTERM: a deploy, a process taken out of rotation): running replies get
    `drain_seconds` to finish; those still running are then saved as stopped with their text so far,
    one with no text yet as failed (refunded, with Retry)."""
    if drain_seconds and (tasks := [g.task for g in _running.values() if g.task is not None]):
        log.info('letting %d replies finish (at most %s s) before stopping', len(tasks), drain_seconds)
        await asyncio.wait(tasks, timeout=drain_seconds)
    generations = list(_running.values())
    for generation in generations:
        generation.server_stopped = True
        _cancel(generation)
    if tasks := [generation.task for generation in generations if generation.task is not None]:
        await asyncio.wait(tasks)


async def _run(
    generation: Generation,
    backend: LLMBackend,
    turns: list[ChatTurn],
    max_tokens: int,
    json_schema: dict[str, Any] | None,
) -> None:
    lease_keeper.hold(
        generation.reply_id, generation.attempt, lambda: generation.text, lambda: _cancel(generation)
    )
    try:
        cut_short = False
        async with asyncio.timeout(GENERATION_TIMEOUT_SECONDS):
            generation.model_called = True
            async for piece in backend.stream(turns, max_tokens=max_tokens, json_schema=json_schema):
                cut_short = cut_short or isinstance(piece, CutShort)
                generation.text += piece
                generation.publish()
        if cut_short and json_schema is None:  # JSON cut short is unreadable anyway; the card parser copes
            generation.text = end_at_sentence(generation.text)
        if generation.text.strip():
            status, error = 'complete', None
        else:
            status, error = 'failed', EMPTY_REPLY
    except asyncio.CancelledError:
        if generation.server_stopped and not generation.text.strip():
            status, error = 'failed', INTERRUPTED
        else:
            status, error = 'stopped', None
    except TimeoutError:
        status, error = 'failed', english(LLMTimeout())
    except LLMError as failure:
        status, error = 'failed', english(failure)
    except Exception:  # a bug must not leave the reply pending forever or keep the quota unit
        log.exception('reply %s failed unexpectedly', generation.reply_id)
        status, error = 'failed', WENT_WRONG
    try:
        await _save(generation, status, error)
    finally:  # renewed until saved: a final write waiting for a pooled connection is no abandoned reply
        lease_keeper.let_go(generation.reply_id, generation.attempt)


async def _save(generation: Generation, status: str, error: str | None) -> None:
    generation.closing = True
    try:
        for tries_left in reversed(range(FINAL_WRITE_TRIES)):
            try:
                saved = await finish(
                    generation.reply_id, generation.user_id, generation.text, status, error,
                    attempt=generation.attempt, model_called=generation.model_called,
                )  # fmt: skip
                break
            except (PoolTimeout, DBAPIError):  # a full pool, a lost connection: its lease is still renewed
                if not tries_left:
                    raise
                log.warning('could not save reply %s, trying again', generation.reply_id, exc_info=True)
                await asyncio.sleep(leases.HEARTBEAT_SECONDS)
        if not saved:  # declared interrupted, deleted or restarted meanwhile: the database has the truth
            status, error = await _adopt_saved_state(generation, status, error)
    finally:
        generation.status, generation.error = status, error
        _running.pop(generation.reply_id, None)
        generation.publish()


async def finish(
    reply_id: int,
    user_id: int,
    text: str,
    status: str,
    error: str | None,
    *,
    attempt: int | None = None,
    only_if_abandoned: bool = False,
    model_called: bool = True,
) -> bool:
    """Save a reply's final state; refund its quota unit when the server failed ('failed': an LLM
    error, a timeout, an empty answer, a dead process) or the model was never asked.

    Compare-and-set: only a reply still pending (in `attempt`, when given) is written, so a late
    writer cannot overwrite a reply already ended or restarted by Retry. With `only_if_abandoned`, only
    when its lease is stale (checked under lock, so a live owner is never declared interrupted).
    Returns whether it wrote.
    """
    async with sessionmaker().begin() as session:
        if only_if_abandoned:  # lock the reply, then judge its lease (locked too) on the database clock
            locked = await session.scalar(
                reply_writes.locked_pending(attempt is not None),
                {'b_reply_id': reply_id, 'b_attempt': attempt},
            )
            if locked is None or not await leases.is_abandoned_in(session, reply_id):
                return False  # deleted (its room too), ended or restarted meanwhile; or its owner is alive
        # Compare-and-set in one statement: PostgreSQL re-checks the condition under the row lock.
        values = {'b_reply_id': reply_id, 'b_attempt': attempt, 'b_text': text, 'b_status': status}
        write = reply_writes.final_write(attempt is not None)
        saved = (await session.execute(write, {**values, 'b_error': error})).first()
        if saved is None:
            return False  # deleted (its room too), ended or restarted meanwhile
        if saved.charged_day is not None and (status == 'failed' or not model_called):
            await quota.refund_in(session, user_id, saved.charged_day)
            await session.execute(reply_writes.UNCHARGE, {'b_reply_id': reply_id})
        await leases.release_in(session, reply_id)
        return True


def _cancel(generation: Generation) -> None:
    if not generation.closing and generation.task is not None:
        generation.task.cancel()


async def _pending_count(reply_ids: list[int]) -> int:
    async with sessionmaker().begin() as session:
        query = select(func.count()).where(Message.id.in_(reply_ids), Message.status == 'pending')
        return await session.scalar(query) or 0


async def _adopt_saved_state(
    generation: Generation, status: str, error: str | None
) -> tuple[str, str | None]:
    """After a refused final write: the state another process saved (memory's when the reply is gone)."""
    async with sessionmaker().begin() as session:
        saved = (
            await session.execute(
                select(Message.status, Message.error, Message.content).where(
                    Message.id == generation.reply_id
                )
            )
        ).first()
    if saved is None:
        return status, error
    if saved.status == 'pending':  # restarted by Retry elsewhere
        generation.superseded = True
        return status, error
    generation.text = saved.content
    return saved.status, saved.error
