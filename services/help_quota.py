"""The daily allowance of learning help (DAILY_HELP_QUOTA), apart from the reply allowance.

Feedback, translation, word look-ups, explanations and hints each cost one unit. The mechanism is
the reply quota's (services/quota.py): the check and the increment are one
`INSERT … ON CONFLICT DO UPDATE … WHERE used + 1 <= limit RETURNING used`, exact under any
concurrency on SQLite and PostgreSQL. Administrators are not counted. A refused helper raises
HelpQuotaExceeded and never touches the reply allowance (a different table).
"""

from datetime import date, datetime
from functools import cache

from sqlalchemy import Executable, Integer, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import HelpUsage, User
from db.upsert import dialect_insert
from services.errors import AccountDisabled, HelpQuotaExceeded, UserNotFound
from services.quota import QuotaStatus, quota_day, resets_at
from services.roles import is_admin
from services.settings import get_settings

# The same shape as the reply allowance's status ('12 of 50 helps left, more at 00:00').
HelpStatus = QuotaStatus


async def status(user_id: int, now: datetime | None = None) -> HelpStatus:
    """What is used and left of today's help allowance."""
    async with sessionmaker().begin() as session:
        return await status_in(session, user_id, now)


async def consume(user_id: int, now: datetime | None = None) -> HelpStatus:
    """Charge one helper call in its own transaction; raises HelpQuotaExceeded (nothing charged) at 0."""
    async with sessionmaker().begin() as session:
        return await consume_in(session, user_id, now)


async def refund(user_id: int, day: date) -> None:
    """Give back one unit charged to `day` (the helper could not answer), never below zero."""
    async with sessionmaker().begin() as session:
        await refund_in(session, user_id, day)


async def refund_in(session: AsyncSession, user_id: int, day: date) -> None:
    """refund inside the caller's transaction (with what else the failed helper call writes)."""
    await session.execute(
        update(HelpUsage)
        .where(HelpUsage.user_id == user_id, HelpUsage.day == day, HelpUsage.used >= 1)
        .values(used=HelpUsage.used - 1)
    )


async def consume_in(session: AsyncSession, user_id: int, now: datetime | None = None) -> HelpStatus:
    """Charge one helper call inside the caller's transaction and return the allowance after it.

    Two prebuilt Core statements (a feedback request starts with this on every learner line)."""
    account = (await session.execute(_ACCOUNT, {'b_user_id': user_id})).first()
    if account is None:
        raise UserNotFound
    if not account.is_active:
        raise AccountDisabled
    day = quota_day(now)
    limit = get_settings().daily_help_quota
    if account.is_admin:
        return HelpStatus(day=day, used=0, limit=limit, unlimited=True, resets_at=resets_at(day))
    if limit < 1:
        raise HelpQuotaExceeded(limit, resets_at(day))
    charge = _charge_statement(session.get_bind().dialect.name)
    used = (await session.execute(charge, {'b_user_id': user_id, 'b_day': day, 'b_limit': limit})).scalar()
    if used is None:
        raise HelpQuotaExceeded(limit, resets_at(day))
    return HelpStatus(day=day, used=used, limit=limit, unlimited=False, resets_at=resets_at(day))


async def status_in(session: AsyncSession, user_id: int, now: datetime | None = None) -> HelpStatus:
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound
    day = quota_day(now)
    used = await session.scalar(
        select(HelpUsage.used).where(HelpUsage.user_id == user_id, HelpUsage.day == day)
    )
    return HelpStatus(
        day=day,
        used=used or 0,
        limit=get_settings().daily_help_quota,
        unlimited=is_admin(user),
        resets_at=resets_at(day),
    )


_USERS = User.__table__
_ACCOUNT = select(_USERS.c.is_active, _USERS.c.is_admin).where(_USERS.c.id == bindparam('b_user_id'))


@cache
def _charge_statement(dialect: str) -> Executable:
    """One more unit today if `b_limit` allows it; RETURNING the units used (nothing when refused)."""
    table = HelpUsage.__table__
    insert = dialect_insert(dialect)(table).values(
        user_id=bindparam('b_user_id'), day=bindparam('b_day'), used=1
    )
    return insert.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.day],
        set_={'used': table.c.used + 1},
        where=table.c.used + 1 <= bindparam('b_limit', type_=Integer),
    ).returning(table.c.used)
