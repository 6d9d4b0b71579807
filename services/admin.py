"""Administration: accounts with today's usage, extra replies, per-account limits, disabling.

Every function takes the acting account first and checks in the database that it is an admin
(NotAnAdmin otherwise, which pages and the API show as a plain 404).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import DailyUsage, Message, Room, User
from i18n import lazy_text
from services import quota, session_ends
from services.errors import InvalidInput, NotAnAdmin, UserNotFound
from services.like import LIKE_ESCAPE, contains_pattern
from services.roles import is_admin
from services.settings import get_settings

GRANT_MAX = 1000
LIMIT_MAX = 10_000
PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: int
    username: str
    email: str
    nickname: str
    is_active: bool
    is_admin: bool  # admins are never counted
    created_at: datetime
    custom_limit: int | None  # None: the DAILY_QUOTA default
    daily_limit: int  # the account's allowance per day (custom or default)
    used_today: int
    bonus_today: int  # extra replies an admin granted for today
    replies_total: int  # AI replies written for this account, ever
    room_count: int
    last_active_at: datetime | None  # the latest activity in any of its rooms

    @property
    def remaining_today(self) -> int:
        return max(0, self.daily_limit + self.bonus_today - self.used_today)


@dataclass(frozen=True, slots=True)
class AccountPage:
    rows: tuple[AccountRow, ...]
    total: int  # accounts matching the search, over all pages


async def list_accounts(admin_id: int, search: str = '', offset: int = 0, limit: int = 25) -> AccountPage:
    """Accounts (newest first) whose username, email or nickname contains `search`, a page at a time."""
    limit = max(1, min(limit, PAGE_MAX))
    async with sessionmaker().begin() as session:
        await require_admin(session, admin_id)
        statement = _accounts(quota.quota_day())
        count = select(func.count()).select_from(User)
        if search := search.strip()[:100]:
            pattern = contains_pattern(search)
            matches = (
                User.username.ilike(pattern, escape=LIKE_ESCAPE)
                | User.email.ilike(pattern, escape=LIKE_ESCAPE)
                | User.nickname.ilike(pattern, escape=LIKE_ESCAPE)
            )
            statement, count = statement.where(matches), count.where(matches)
        rows = await session.execute(statement.order_by(User.id.desc()).offset(max(0, offset)).limit(limit))
        return AccountPage(rows=tuple(_row(row) for row in rows), total=await session.scalar(count) or 0)


async def account(admin_id: int, user_id: int) -> AccountRow:
    """One account's row (UserNotFound when there is none)."""
    async with sessionmaker().begin() as session:
        await require_admin(session, admin_id)
        await _load(session, user_id)
        return await _account(session, user_id)


async def grant_extra(admin_id: int, user_id: int, extra: int) -> AccountRow:
    """`extra` more replies for the account, today only (in QUOTA_TIMEZONE)."""
    if not 1 <= extra <= GRANT_MAX:
        raise InvalidInput({'extra': lazy_text('Grant between 1 and {max} replies.', max=GRANT_MAX)})
    async with sessionmaker().begin() as session:
        await require_admin(session, admin_id)
        await _load(session, user_id)
        await quota.grant_extra_in(session, user_id, extra)
        return await _account(session, user_id)


async def set_daily_limit(admin_id: int, user_id: int, daily_limit: int | None) -> AccountRow:
    """The account's replies per day from now on; None goes back to the DAILY_QUOTA default."""
    if daily_limit is not None and not 0 <= daily_limit <= LIMIT_MAX:
        raise InvalidInput({'daily_limit': lazy_text('A daily limit is between 0 and {max}.', max=LIMIT_MAX)})
    async with sessionmaker().begin() as session:
        await require_admin(session, admin_id)
        (await _load(session, user_id)).daily_limit = daily_limit
        await session.flush()
        return await _account(session, user_id)


async def set_active(admin_id: int, user_id: int, active: bool) -> AccountRow:
    """Enable or disable an account. A disabled one cannot log in, its sessions end on their next
    request, its API tokens are revoked at once, and it gets no more replies. Its sessions stay ended
    when it is enabled again (the account's session generation moves on)."""
    if user_id == admin_id and not active:
        raise InvalidInput({'active': lazy_text('You cannot disable your own account.')})
    async with sessionmaker().begin() as session:
        await require_admin(session, admin_id)
        (await _load(session, user_id)).is_active = active
        if not active:
            await session_ends.end_all_in(session, user_id)
        await session.flush()
        return await _account(session, user_id)


async def set_admin(admin_id: int, user_id: int, make_admin: bool) -> AccountRow:
    """Grant or take away the admin right; an admin cannot take it from themselves (no admin-less lock-out)."""
    if user_id == admin_id and not make_admin:
        raise InvalidInput({'admin': lazy_text('You cannot remove your own admin right.')})
    async with sessionmaker().begin() as session:
        await require_admin(session, admin_id)
        (await _load(session, user_id)).is_admin = make_admin
        await session.flush()
        return await _account(session, user_id)


async def require_admin(session: AsyncSession, admin_id: int) -> None:
    """NotAnAdmin unless `admin_id` is an enabled administrator (checked in the database)."""
    admin = await session.get(User, admin_id)
    if admin is None or not admin.is_active or not is_admin(admin):
        raise NotAnAdmin


async def _load(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound
    return user


async def _account(session: AsyncSession, user_id: int) -> AccountRow:
    row = (await session.execute(_accounts(quota.quota_day()).where(User.id == user_id))).one()
    return _row(row)


def _accounts(today: date) -> Select:
    """Each account with today's usage, its reply and room totals: one statement, grouped subqueries."""
    replies = (
        select(Message.user_id, func.count().label('replies'))
        .where(Message.role == 'assistant', Message.status.in_(('complete', 'stopped')))
        .group_by(Message.user_id)
        .subquery()
    )
    rooms = (
        select(
            Room.user_id, func.count().label('rooms'), func.max(Room.last_activity_at).label('last_active')
        )
        .group_by(Room.user_id)
        .subquery()
    )
    usage = select(DailyUsage).where(DailyUsage.day == today).subquery()
    return (
        select(
            User,
            func.coalesce(usage.c.used, 0).label('used'),
            func.coalesce(usage.c.bonus, 0).label('bonus'),
            func.coalesce(replies.c.replies, 0).label('replies'),
            func.coalesce(rooms.c.rooms, 0).label('rooms'),
            rooms.c.last_active,
        )
        .outerjoin(usage, usage.c.user_id == User.id)
        .outerjoin(replies, replies.c.user_id == User.id)
        .outerjoin(rooms, rooms.c.user_id == User.id)
    )


def _row(row) -> AccountRow:
    user: User = row[0]
    return AccountRow(
        id=user.id,
        username=user.username,
        email=user.email,
        nickname=user.nickname,
        is_active=user.is_active,
        is_admin=is_admin(user),
        created_at=user.created_at,
        custom_limit=user.daily_limit,
        daily_limit=user.daily_limit if user.daily_limit is not None else get_settings().daily_quota,
        used_today=row.used,
        bonus_today=row.bonus,
        replies_total=row.replies,
        room_count=row.rooms,
        last_active_at=row.last_active,
    )
