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


@router.patch(
    '/me',
    summary='Change nickname, bio, My language and/or Interface language',
    responses=documented(400, 422),
)
async def update_me(body: ProfileUpdate, user: CurrentUser) -> UserOut:
    """Only the fields sent change; an empty string clears nickname or bio, and `ui_language: null` sent
    explicitly makes the pages follow the browser's language again."""
    nickname = user.nickname if body.nickname is None else body.nickname
    bio = user.bio if body.bio is None else body.bio
    updated = await accounts.update_profile(user.id, nickname, bio)
    if body.native_language is not None:
        updated = await accounts.set_native_language(user.id, body.native_language)
    if 'ui_language' in body.model_fields_set:
        updated = await accounts.set_ui_language(user.id, body.ui_language)
    return UserOut.of(updated)


@router.get('/quota', summary="Today's AI replies: used, left, and when the day resets")
async def read_quota(user: CurrentUser) -> QuotaOut:
    """The day is counted in QUOTA_TIMEZONE; administrators are `unlimited`."""
    return QuotaOut.of(await quota.status(user.id))
