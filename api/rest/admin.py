"""/api/admin: the admin page's operations for ADMIN_USERNAMES (a 404 for every other account)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.rest.errors import ApiError, documented
from api.rest.params import MAX_ID, UserId, text, whole_number
from api.rest.schemas import Strict
from api.rest.security import CurrentUser
from i18n import lazy_text
from services import admin
from services.admin import GRANT_MAX, LIMIT_MAX, AccountRow

AccountFilter = text(100)
SELF_DISABLE = lazy_text('You cannot disable your own account.')
router = APIRouter(prefix='/admin', tags=['admin'], responses=documented(401, 403, 404))


class AccountOut(BaseModel):
    id: int
    username: str
    email: str
    nickname: str
    is_active: bool
    is_admin: bool
    created_at: datetime
    custom_limit: int | None = Field(description='null: the DAILY_QUOTA default applies')
    daily_limit: int
    used_today: int
    bonus_today: int = Field(description='Extra replies granted for today')
    remaining_today: int
    replies_total: int
    room_count: int
    last_active_at: datetime | None

    @classmethod
    def of(cls, row: AccountRow) -> 'AccountOut':
        return cls(
            id=row.id, username=row.username, email=row.email, nickname=row.nickname, is_active=row.is_active,
            is_admin=row.is_admin, created_at=row.created_at, custom_limit=row.custom_limit,
            daily_limit=row.daily_limit, used_today=row.used_today, bonus_today=row.bonus_today,
            remaining_today=row.remaining_today, replies_total=row.replies_total, room_count=row.room_count,
            last_active_at=row.last_active_at,
        )  # fmt: skip


class AccountPageOut(BaseModel):
    items: list[AccountOut]
    total: int


class GrantIn(Strict):
    extra: whole_number(1, GRANT_MAX) = Field(description='Extra replies for today only')


class AccountUpdate(Strict):
    daily_limit: whole_number(0, LIMIT_MAX) | None = Field(
        default=None, description='Replies per day; null goes back to the default'
    )
    is_active: bool | None = Field(default=None, description='false disables the account')


@router.get('/users', summary="Accounts with today's usage", responses=documented(422))
async def list_users(
    user: CurrentUser,
    q: Annotated[AccountFilter, Query(description='Part of a username, email or nickname')] = '',
    offset: int = Query(default=0, ge=0, le=MAX_ID),
    limit: int = Query(default=25, ge=1, le=100),
) -> AccountPageOut:
    """Newest accounts first."""
    page = await admin.list_accounts(user.id, q, offset, limit)
    return AccountPageOut(items=[AccountOut.of(row) for row in page.rows], total=page.total)


@router.get('/users/{user_id}', summary='One account with its usage', responses=documented(422))
async def read_user(user_id: UserId, user: CurrentUser) -> AccountOut:
    """404 when there is no such account."""
    return AccountOut.of(await admin.account(user.id, user_id))


@router.post('/users/{user_id}/grant', summary='Extra replies for today', responses=documented(400, 422))
async def grant_replies(user_id: UserId, body: GrantIn, user: CurrentUser) -> AccountOut:
    """Adds to today's allowance (QUOTA_TIMEZONE); tomorrow the account is back to its limit."""
    return AccountOut.of(await admin.grant_extra(user.id, user_id, body.extra))


@router.patch(
    '/users/{user_id}', summary='Set the daily limit, disable or enable', responses=documented(400, 409, 422)
)
async def update_user(user_id: UserId, body: AccountUpdate, user: CurrentUser) -> AccountOut:
    """Only the fields sent change (`daily_limit: null` sent explicitly restores the default).
    Disabling revokes the account's tokens at once; an admin cannot disable themselves (409)."""
    changes = body.model_dump(exclude_unset=True)
    if changes.get('is_active') is False and user_id == user.id:
        # A well-formed request that conflicts with who is asking; and a 404 first for a non-admin.
        await admin.account(user.id, user_id)
        raise ApiError(409, 'conflict', SELF_DISABLE, fields={'is_active': SELF_DISABLE})
    row = None
    if 'daily_limit' in changes:
        row = await admin.set_daily_limit(user.id, user_id, changes['daily_limit'])
    if changes.get('is_active') is not None:
        row = await admin.set_active(user.id, user_id, changes['is_active'])
    if row is None:
        row = await admin.account(user.id, user_id)
    return AccountOut.of(row)
