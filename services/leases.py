"""Leases on running replies, so several app processes on one database agree on who writes which reply.

The process that starts a reply inserts its lease in the same transaction that makes the reply
pending. While it writes, it renews the lease about once a second with the text so far, in one
statement that also reads the cancel flag (so Stop from any process reaches it). Staleness is judged
on the database's clock: a pending reply whose lease has not been renewed for STALE_AFTER_SECONDS
(or that has none and is older than that) belongs to a process that is gone.
"""

import os
import secrets
import socket
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Message, ReplyLease

# The owner renews its leases this often; followers on other processes poll about as often.
HEARTBEAT_SECONDS = 1.0
# No renewal for this long: the owner is gone (a crash, a frozen host, a lost network).
STALE_AFTER_SECONDS = 15
# Every process looks for abandoned replies this often (so a crash is noticed within ~20 s).
SWEEP_SECONDS = 5.0

# This process, as lease owner: a restarted process (same host, maybe the same pid) is a new owner.
OWNER = f'{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}'


@dataclass(frozen=True, slots=True)
class Progress:
    """A pending reply as its lease tells it: the text so far, and whether its owner is alive."""

    reply_id: int
    attempt: int
    text: str
    fresh: bool


@dataclass(frozen=True, slots=True)
class Abandoned:
    """A pending reply whose owner is gone, with what it had written."""

    reply_id: int
    user_id: int
    attempt: int
    text: str


async def claim_in(session: AsyncSession, reply_id: int, attempt: int) -> None:
    """Make this process the writer of `reply_id` (in the transaction that makes the reply pending)."""
    await session.execute(delete(ReplyLease).where(ReplyLease.reply_id == reply_id))
    session.add(ReplyLease(reply_id=reply_id, attempt=attempt, owner=OWNER, text='', cancel=False))
    await session.flush()


async def renew(reply_id: int, attempt: int, text: str | None) -> bool | None:
    """The owner's heartbeat, with the text so far (None: unchanged since the last one).

    Returns the cancel flag, or None when the lease is gone (the reply was deleted, declared
    interrupted or restarted): the owner should stop then too.
    """
    values = {'heartbeat_at': func.now()} if text is None else {'heartbeat_at': func.now(), 'text': text}
    async with sessionmaker().begin() as session:
        return await session.scalar(
            update(ReplyLease)
            .where(ReplyLease.reply_id == reply_id, ReplyLease.attempt == attempt, ReplyLease.owner == OWNER)
            .values(values)
            .returning(ReplyLease.cancel)
        )


async def request_cancel(reply_ids: Collection[int]) -> None:
    """Ask the owners of these replies to stop (whichever process they run in)."""
    if reply_ids:
        async with sessionmaker().begin() as session:
            await session.execute(
                update(ReplyLease).where(ReplyLease.reply_id.in_(list(reply_ids))).values(cancel=True)
            )


async def progress_in(session: AsyncSession, reply_ids: Collection[int]) -> dict[int, Progress]:
    """The leases of these replies (those that have one), with freshness judged on the database clock."""
    if not reply_ids:
        return {}
    fresh = ReplyLease.heartbeat_at >= stale_cutoff(session)
    rows = await session.execute(
        select(ReplyLease.reply_id, ReplyLease.attempt, ReplyLease.text, fresh).where(
            ReplyLease.reply_id.in_(list(reply_ids))
        )
    )
    return {row[0]: Progress(row[0], row[1], row[2], bool(row[3])) for row in rows}


async def abandoned_in(session: AsyncSession, reply_ids: Collection[int] | None = None) -> list[Abandoned]:
    """Pending replies (all, or these) whose lease is stale, or missing past the grace period."""
    cutoff = stale_cutoff(session)
    query = (
        select(Message.id, Message.user_id, Message.attempt, func.coalesce(ReplyLease.text, ''))
        .outerjoin(ReplyLease, ReplyLease.reply_id == Message.id)
        .where(Message.status == 'pending', _abandoned(cutoff))
    )
    if reply_ids is not None:
        query = query.where(Message.id.in_(list(reply_ids)))
    return [Abandoned(*row) for row in await session.execute(query)]


async def is_abandoned_in(session: AsyncSession, reply_id: int) -> bool:
    """Whether the pending reply's owner is gone; locks its lease so the owner cannot renew meanwhile."""
    cutoff = stale_cutoff(session)
    await session.execute(
        select(ReplyLease.reply_id).where(ReplyLease.reply_id == reply_id).with_for_update()
    )
    found = await session.scalar(
        select(Message.id)
        .outerjoin(ReplyLease, ReplyLease.reply_id == Message.id)
        .where(Message.id == reply_id, _abandoned(cutoff))
    )
    return found is not None


async def release_in(session: AsyncSession, reply_id: int) -> None:
    """The reply has ended: its lease goes."""
    await session.execute(delete(ReplyLease).where(ReplyLease.reply_id == reply_id))


def stale_cutoff(session: AsyncSession, seconds: float = STALE_AFTER_SECONDS) -> ColumnElement[datetime]:
    """The database's "now" minus `seconds`: heartbeats older than this are stale."""
    if session.get_bind().dialect.name == 'sqlite':
        # CURRENT_TIMESTAMP's format (UTC, to the second), which is how SQLite stores the heartbeats.
        return func.datetime('now', f'-{int(seconds)} seconds')
    return func.now() - timedelta(seconds=seconds)


def _abandoned(cutoff: ColumnElement[datetime]) -> ColumnElement[bool]:
    # No lease at all: a reply made pending before leases existed, or whose lease a PostgreSQL crash
    # emptied (UNLOGGED). The lease is inserted with the pending state, so the grace is only a margin.
    return or_(
        ReplyLease.heartbeat_at < cutoff,
        and_(ReplyLease.reply_id.is_(None), Message.created_at < cutoff),
    )
