"""The daily allowance of AI replies, enforced by single atomic statements in the database.

Exact under any concurrency (tabs, users, processes): the check and the increment are one
`INSERT … ON CONFLICT DO UPDATE … WHERE used + 1 <= limit RETURNING used`, which PostgreSQL runs
under the row lock and SQLite under its single-writer lock. No read-modify-write anywhere.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import Executable, Integer, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import DailyUsage, User
from db.upsert import dialect_insert, session_insert
from services.errors import AccountDisabled, QuotaExceeded, UserNotFound
from services.roles import is_admin
from services.settings import get_settings


@dataclass(frozen=True, slots=True)
class QuotaStatus:
    """Today's allowance of replies (this module) or of learning help (services/help_quota.py)."""

    day: date
    used: int
    limit: int  # the day's allowance including replies an admin granted
    unlimited: bool  # admins are never counted
    resets_at: datetime  # next midnight in QUOTA_TIMEZONE (aware)

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def exhausted(self) -> bool:
        return not self.unlimited and self.remaining == 0


async def status(user_id: int, now: datetime | None = None) -> QuotaStatus:
    """What is used and left today for this account."""
    async with sessionmaker().begin() as session:
        return await status_in(session, user_id, now)


async def grant_extra(user_id: int, extra: int, now: datetime | None = None) -> QuotaStatus:
    """Give an account `extra` more replies for today only (admin action)."""
    async with sessionmaker().begin() as session:
        return await grant_extra_in(session, user_id, extra, now)


async def grant_extra_in(
    session: AsyncSession, user_id: int, extra: int, now: datetime | None = None
) -> QuotaStatus:
    """grant_extra inside the caller's transaction: one atomic upsert adding to today's bonus."""
    day = quota_day(now)
    table = DailyUsage.__table__
    insert = session_insert(session)(DailyUsage).values(user_id=user_id, day=day, used=0, bonus=extra)
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.user_id, table.c.day],
            set_={'bonus': table.c.bonus + insert.excluded.bonus},
        )
    )
    return await status_in(session, user_id, now)


async def consume_in(session: AsyncSession, user_id: int, now: datetime | None = None) -> QuotaStatus:
    """Charge one reply inside the caller's transaction and return the allowance after it.

    Admins are not counted (`unlimited`, nothing charged). Raises QuotaExceeded without changing
    anything when the day's allowance is used up.
    """
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound
    return await charge_in(session, user_id, user.is_active, is_admin(user), user.daily_limit, now)


async def charge_in(
    session: AsyncSession,
    user_id: int,
    is_active: bool,
    unlimited: bool,
    daily_limit: int | None,
    now: datetime | None = None,
) -> QuotaStatus:
    """consume_in for a caller that has read the account already (a send reads it with its room).

    One prebuilt statement (compiled once per dialect): the charge is a bound-parameter upsert.
    """
    if not is_active:  # disabled by an admin while a page was still open: no more replies
        raise AccountDisabled
    day = quota_day(now)
    limit = daily_limit if daily_limit is not None else get_settings().daily_quota
    if unlimited:  # admins are never counted
        return QuotaStatus(day=day, used=0, limit=limit, unlimited=True, resets_at=resets_at(day))
    dialect = session.get_bind().dialect.name
    statement = _charge_statement(dialect) if limit >= 1 else _charge_bonus_statement()
    charged = (
        await session.execute(statement, {'b_user_id': user_id, 'b_day': day, 'b_limit': limit})
    ).first()
    if charged is None:
        current = await status_in(session, user_id, now)
        raise QuotaExceeded(current.limit, current.resets_at)
    return QuotaStatus(
        day=day, used=charged.used, limit=limit + charged.bonus, unlimited=False, resets_at=resets_at(day)
    )


async def refund_in(session: AsyncSession, user_id: int, day: date) -> None:
    """Give back one reply charged to `day` (a failed or empty reply), never going below zero."""
    await session.execute(
        update(DailyUsage)
        .where(DailyUsage.user_id == user_id, DailyUsage.day == day, DailyUsage.used >= 1)
        .values(used=DailyUsage.used - 1)
    )


async def status_in(session: AsyncSession, user_id: int, now: datetime | None = None) -> QuotaStatus:
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound
    day = quota_day(now)
    row = (
        await session.execute(
            select(DailyUsage.used, DailyUsage.bonus).where(
                DailyUsage.user_id == user_id, DailyUsage.day == day
            )
        )
    ).first()
    used, bonus = (row.used, row.bonus) if row else (0, 0)
    return QuotaStatus(
        day=day,
        used=used,
        limit=_base_limit(user) + bonus,
        unlimited=is_admin(user),
        resets_at=resets_at(day),
    )


def quota_day(now: datetime | None = None) -> date:
    """Today in QUOTA_TIMEZONE (not the server's zone, which may differ between replicas)."""
    zone = day_zone()
    return (now or datetime.now(zone)).astimezone(zone).date()


def resets_at(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=day_zone())


def day_zone() -> ZoneInfo:
    """QUOTA_TIMEZONE: where the app's days start and end (pages show times in it too)."""
    return ZoneInfo(get_settings().quota_timezone)


def _base_limit(user: User) -> int:
    return user.daily_limit if user.daily_limit is not None else get_settings().daily_quota


@cache
def _charge_statement(dialect: str) -> Executable:
    """Charge one reply if the day's allowance (`limit` plus the day's bonus) has room; RETURNING used, bonus."""
    table = DailyUsage.__table__
    insert = dialect_insert(dialect)(table).values(
        user_id=bindparam('b_user_id'), day=bindparam('b_day'), used=1, bonus=0
    )
    return insert.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.day],
        set_={'used': table.c.used + 1},
        where=table.c.used + 1 <= bindparam('b_limit', type_=Integer) + table.c.bonus,
    ).returning(table.c.used, table.c.bonus)


@cache
def _charge_bonus_statement() -> Executable:
    """A zero allowance: only granted extra replies (an existing row) can be spent."""
    table = DailyUsage.__table__
    return (
        update(table)
        .where(table.c.user_id == bindparam('b_user_id'), table.c.day == bindparam('b_day'))
        .where(table.c.used + 1 <= table.c.bonus)
        .values(used=table.c.used + 1)
        .returning(table.c.used, table.c.bonus)
    )
