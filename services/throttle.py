"""Throttles counted in the database, so they hold across processes: a few free attempts per key
within a window, then each further attempt waits, the wait doubling from FIRST_DELAY up to the window.

Growing waits instead of a fixed lock: a person who mistypes waits seconds, a script guessing waits
longer and longer. Attempts that are made to wait are not counted, so hammering does not lengthen
the wait. Rows past their window are deleted by every reservation, so the table stays small.
"""

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import ThrottleAttempt, utcnow

FIRST_DELAY = timedelta(seconds=30)
ADDRESS_MAX_LENGTH = 100  # an IPv6 address is at most 45 characters; anything longer is cut


@dataclass(frozen=True, slots=True)
class Limit:
    """`free_attempts` per `window` for everything counted under `key`."""

    key: str
    free_attempts: int
    window: timedelta


@dataclass(frozen=True, slots=True)
class Reservation:
    """One attempt counted against its limits, or refused (`retry_after_seconds` > 0, nothing counted)."""

    attempt_ids: tuple[int, ...]
    retry_after_seconds: int


async def reserve(limits: Sequence[Limit]) -> Reservation:
    """Count one attempt against every limit, or refuse it when any limit says to wait.

    The attempt is committed *before* the limits are checked: the k-th committed attempt always sees
    at least k-1 others, so parallel attempts cannot slip past a limit together.
    """
    async with sessionmaker().begin() as session:
        now = utcnow()
        await session.execute(delete(ThrottleAttempt).where(ThrottleAttempt.expires_at <= now))
        attempts = [
            ThrottleAttempt(key=limit.key, attempted_at=now, expires_at=now + limit.window)
            for limit in limits
        ]
        session.add_all(attempts)
        await session.flush()
        attempt_ids = tuple(attempt.id for attempt in attempts)
    async with sessionmaker().begin() as session:
        now = utcnow()
        wait = max([await _wait_seconds(session, limit, attempt_ids, now) for limit in limits], default=0)
        if wait:
            await session.execute(delete(ThrottleAttempt).where(ThrottleAttempt.id.in_(attempt_ids)))
            return Reservation(attempt_ids=(), retry_after_seconds=wait)
    return Reservation(attempt_ids=attempt_ids, retry_after_seconds=0)


async def succeeded(reservation: Reservation, forget: Collection[str] = ()) -> None:
    """The attempt succeeded: it stops counting, and the keys in `forget` start afresh."""
    async with sessionmaker().begin() as session:
        await session.execute(
            delete(ThrottleAttempt).where(
                or_(ThrottleAttempt.id.in_(reservation.attempt_ids), ThrottleAttempt.key.in_(list(forget)))
            )
        )


def delay(excess: int, window: timedelta) -> timedelta:
    """The wait after the latest attempt for the `excess`-th attempt beyond the free ones."""
    return min(window, FIRST_DELAY * 2 ** min(excess - 1, 32))


def address_part(client_address: str) -> str:
    return client_address[:ADDRESS_MAX_LENGTH]


async def _wait_seconds(session: AsyncSession, limit: Limit, own_ids: tuple[int, ...], now: datetime) -> int:
    """Seconds this attempt must wait for `limit` (0: it may go ahead)."""
    others, latest = (
        await session.execute(
            select(func.count(), func.max(ThrottleAttempt.attempted_at)).where(
                ThrottleAttempt.key == limit.key,
                ThrottleAttempt.attempted_at > now - limit.window,
                ThrottleAttempt.id.not_in(own_ids),
            )
        )
    ).one()
    excess = others + 1 - limit.free_attempts
    if excess <= 0 or latest is None:
        return 0
    remaining = (latest + delay(excess, limit.window) - now).total_seconds()
    return max(0, math.ceil(remaining))
