"""/api/auth: register, log in for a token pair, refresh it (rotation), log out."""

from fastapi import APIRouter, Request, Response

from api.rest.errors import ApiError, documented
from api.rest.schemas import RefreshRequest, RegisterRequest, TokenRequest, TokenResponse, UserOut
from services import accounts, api_tokens
from services.errors import UsernameTaken

router = APIRouter(prefix='/auth', tags=['auth'])


@router.post(
    '/register',
    status_code=201,
    summary='Create an account',
    responses=documented(400, 409, 422, 429),
)
async def register(body: RegisterRequest, request: Request) -> UserOut:
    """The same rules as the sign-up page; 409 when the username is taken; sign-ups from one client
    address are throttled (429 with Retry-After)."""
    try:
        user = await accounts.register(
            body.username, body.email, body.password, body.password, client_address=client_address(request)
        )
    except UsernameTaken as refused:
        raise ApiError(409, 'already_registered', str(refused), fields=refused.field_errors) from None
    return UserOut.of(user)


@router.post(
    '/token',
    summary='Log in: username or email and password for an access and a refresh token',
    responses=documented(400, 401, 403, 422, 429),
)
async def issue_token(body: TokenRequest, request: Request) -> TokenResponse:
    """Wrong passwords count towards the same throttle as the log-in page (429 with Retry-After)."""
    user = await accounts.authenticate(body.username, body.password, client_address=client_address(request))
    return TokenResponse.of(await api_tokens.issue_tokens(user.id))


@router.post(
    '/refresh',
    summary='Exchange a refresh token for a new pair',
    responses=documented(400, 401, 403, 422),
)
async def refresh_token(body: RefreshRequest) -> TokenResponse:
    """Each refresh token works once; using one a second time logs that whole session out (401)."""
    return TokenResponse.of(await api_tokens.rotate(body.refresh_token))


@router.post(
    '/logout',
    status_code=204,
    response_class=Response,
    summary='Log out: revoke the refresh token and its access tokens',
    responses=documented(400, 401, 422),
)
async def logout(body: RefreshRequest) -> Response:
    """Idempotent for a token that is still well-formed and unexpired."""
    await api_tokens.revoke(body.refresh_token)
    return Response(status_code=204)


def client_address(request: Request) -> str:
    """The caller's address as the server sees it (behind TRUSTED_PROXIES, uvicorn has already put the
    forwarded client there); X-Forwarded-For is never read here, as anyone can send it."""
    return request.client.host if request.client is not None else ''
