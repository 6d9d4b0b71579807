"""/api/me and /api/quota: the token's account, its profile and its daily allowance."""

from fastapi import APIRouter

from api.rest.errors import documented
from api.rest.schemas import ProfileUpdate, QuotaOut, UserOut
from api.rest.security import CurrentUser
from services import accounts, quota

router = APIRouter(tags=['account'], responses=documented(401, 403))


@router.get('/me', summary='The account of the access token')
async def read_me(user: CurrentUser) -> UserOut:
    """Who the token belongs to."""
    return UserOut.of(user)


@router.patch('/me', summary='Change nickname and/or bio', responses=documented(400, 422))
async def update_me(body: ProfileUpdate, user: CurrentUser) -> UserOut:
    """Only the fields sent change; an empty string clears one."""
    nickname = user.nickname if body.nickname is None else body.nickname
    bio = user.bio if body.bio is None else body.bio
    return UserOut.of(await accounts.update_profile(user.id, nickname, bio))


@router.get('/quota', summary="Today's AI replies: used, left, and when the day resets")
async def read_quota(user: CurrentUser) -> QuotaOut:
    """The day is counted in QUOTA_TIMEZONE; administrators are `unlimited`."""
    return QuotaOut.of(await quota.status(user.id))
