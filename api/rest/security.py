"""Bearer authentication for /api: `Authorization: Bearer <access token>` on every protected route."""

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.rest.errors import BEARER_CHALLENGE, ApiError
from i18n import lazy_text
from services import api_tokens
from services.accounts import UserInfo

bearer = HTTPBearer(
    auto_error=False,  # we answer a missing token ourselves, in the API's error shape
    bearerFormat='JWT',
    description='An access token from `POST /api/auth/token` (valid 15 minutes; renew it with '
    '`POST /api/auth/refresh`).',
)


async def current_user(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> UserInfo:
    """The account of the request's access token; 401 without a valid one, 403 for a disabled account."""
    if credentials is None:
        raise ApiError(
            401,
            'not_authenticated',
            lazy_text('Send an access token: Authorization: Bearer <token>.'),
            headers=BEARER_CHALLENGE,
        )
    return await api_tokens.authenticate(credentials.credentials)


CurrentUser = Annotated[UserInfo, Depends(current_user)]
