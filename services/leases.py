"""Leases on running replies, so several app processes on one database agree on who writes which reply.

The process that starts a reply inserts its lease in the same transaction that makes the reply
pending. While it writes, the process's lease keeper (services/lease_keeper.py) renews the leases of
all its running replies about once a second with their text so far, in one statement that also reads
their cancel flags (so Stop from any process reaches them), on a connection of its own. Staleness is
judged on the database's clock: a pending reply whose lease has not been renewed for STALE_AFTER_SECONDS
(or that has none and is older than that) belongs to a process that is gone.
"""

import os
import secrets
import socket
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Executable,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from db.engine import sessionmaker
from db.models import Message, ReplyLease

# The owner renews its leases this often; followers on other processes poll about as often.
HEARTBEAT_SECONDS = 1.0
# No renewal for this long: the owner is gone (a crash, a frozen host, a lost network).
STALE_AFTER_SECONDS = 15
# Bind parameters stay far below the drivers' limits (~32,000): up to 4 per reply.
RENEWALS_PER_STATEMENT = 1000
# Every process looks for abandoned replies this often (so a crash is noticed within ~20 s).
SWEEP_SECONDS = 5.0

# This process, as lease owner: a restarted process (same host, maybe the same pid) is a new owner.
OWNER = f'{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}'


@dataclass(frozen=True, slots=True)
class Renewal:
    """One running reply's part of a heartbeat: its text so far, or None when unchanged since the last."""

    reply_id: int
    attempt: int
    text: str | None


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


async def renew_all_in(connection: AsyncConnection, renewals: Sequence[Renewal]) -> dict[int, bool]:
    """The owner's heartbeat for all its running replies, in one statement (per RENEWALS_PER_STATEMENT),
    with the text of those whose text changed; returns each renewed lease's cancel flag.

    A reply missing from the answer has lost its lease (deleted, declared interrupted or restarted
    elsewhere): its writer should stop then too. Plain SQL both backends run: a CASE on the reply id for
    the texts (NULL keeps the text), a row-value IN for the (reply, attempt) pairs.
    """
    cancels: dict[int, bool] = {}
    for first in range(0, len(renewals), RENEWALS_PER_STATEMENT):
        chunk = renewals[first : first + RENEWALS_PER_STATEMENT]
        size = _slots_for(len(chunk))
        values: dict[str, Any] = {'b_owner': OWNER}
        for slot in range(size):  # the slots past the chunk stay NULL: they match no lease
            renewal = chunk[slot] if slot < len(chunk) else None
            values[f'b_r{slot}'] = renewal.reply_id if renewal else None
            values[f'b_a{slot}'] = renewal.attempt if renewal else None
            values[f'b_t{slot}'] = renewal.text if renewal else None
        renewed = await connection.execute(_renewal(size), values)
        cancels.update({reply_id: bool(cancel) for reply_id, cancel in renewed})
    return cancels


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


async def abandoned_in(
    session: AsyncSession | AsyncConnection, reply_ids: Collection[int] | None = None
) -> list[Abandoned]:
    """Pending replies (all, or these) whose lease is stale, or missing past the grace period; on a
    session or, for the sweeper's look, a connection (db.engine.read_only())."""
    if reply_ids is None:
        query = _all_abandoned(_dialect_of(session))
    else:
        query = _abandoned_query(stale_cutoff(session)).where(Message.id.in_(list(reply_ids)))
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


def stale_cutoff(
    session: AsyncSession | AsyncConnection, seconds: float = STALE_AFTER_SECONDS
) -> ColumnElement[datetime]:
    """The database's "now" minus `seconds`: heartbeats older than this are stale."""
    return _cutoff_on(_dialect_of(session), seconds)


def _dialect_of(session: AsyncSession | AsyncConnection) -> str:
    return (session if isinstance(session, AsyncConnection) else session.get_bind()).dialect.name


def _cutoff_on(dialect: str, seconds: float) -> ColumnElement[datetime]:
    if dialect == 'sqlite':
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


def _abandoned_query(cutoff: ColumnElement[datetime]) -> Select:
    return (
        select(Message.id, Message.user_id, Message.attempt, func.coalesce(ReplyLease.text, ''))
        .outerjoin(ReplyLease, ReplyLease.reply_id == Message.id)
        .where(Message.status == 'pending', _abandoned(cutoff))
    )


@cache
def _all_abandoned(dialect: str) -> Select:
    """The sweeper's look, built once per backend: building it anew at every look was about a third of
    its CPU (bench/RESULTS.md, issue 17)."""
    return _abandoned_query(_cutoff_on(dialect, STALE_AFTER_SECONDS))


def _slots_for(count: int) -> int:
    """The statement's size for `count` renewals: the next power of two, so a few shapes serve any count."""
    return 1 << max(0, count - 1).bit_length()


@cache
def _renewal(slots: int) -> Executable:
    """The heartbeat statement for up to `slots` renewals, built (and so compiled by SQLAlchemy) once per
    size: building it anew at every beat was most of the lease keeper's CPU (bench/RESULTS.md, issue 17)."""
    leases = ReplyLease.__table__
    ids = [bindparam(f'b_r{slot}', type_=leases.c.reply_id.type) for slot in range(slots)]
    attempts = [bindparam(f'b_a{slot}', type_=leases.c.attempt.type) for slot in range(slots)]
    texts = [bindparam(f'b_t{slot}', type_=leases.c.text.type) for slot in range(slots)]
    text = case(
        *[(reply_id, func.coalesce(text, leases.c.text)) for reply_id, text in zip(ids, texts, strict=True)],
        value=leases.c.reply_id,
        else_=leases.c.text,
    )
    pairs = [tuple_(reply_id, attempt) for reply_id, attempt in zip(ids, attempts, strict=True)]
    return (
        update(leases)
        .where(leases.c.owner == bindparam('b_owner'), tuple_(leases.c.reply_id, leases.c.attempt).in_(pairs))
        .values(heartbeat_at=func.now(), text=text)
        .returning(leases.c.reply_id, leases.c.cancel)
    )
