"""Who is signed in: the browser session (signed cookie + server-side user storage) and the page guard."""

from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from services import accounts, chat
from services.accounts import UserInfo
from services.errors import UserNotFound
from ui.frame import frame

# Reachable without a session: the sign-in pages, health, the API (bearer tokens), docs, static files,
# and /audio, which answers 404 by itself (a redirect to /login is useless to an audio element).
PUBLIC_PREFIXES = (
    '/_nicegui',
    '/api',
    '/auth/',
    '/assets',
    '/audio/',
    '/docs',
    '/openapi.json',
    '/healthz',
    '/favicon.ico',
    '/robots.txt',
)
PUBLIC_PAGES = frozenset({'/login', '/signup'})
ACTIVE_CHECK_SECONDS = 60.0


class AuthMiddleware(BaseHTTPMiddleware):
    """Sends signed-out visitors of any page to /login, remembering where they wanted to go."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        if path in PUBLIC_PAGES or path.startswith(PUBLIC_PREFIXES) or app.storage.user.get('user_id'):
            return await call_next(request)
        target = path + (f'?{request.url.query}' if request.url.query else '')
        login = '/login' if path == '/' else f'/login?next={quote(target, safe="")}'
        return RedirectResponse(login, status_code=303)


def log_in(user: UserInfo) -> None:
    app.storage.user.clear()
    app.storage.user['user_id'] = user.id


def log_out() -> None:
    app.storage.user.clear()
    ui.navigate.to('/login')


async def current_user() -> UserInfo | None:
    """The signed-in account, or None (and the session is cleared) when it is gone or disabled."""
    user_id = app.storage.user.get('user_id')
    if user_id is None:
        return None
    try:
        user = await accounts.get_user(int(user_id))
    except UserNotFound:
        user = None
    if user is None or not user.is_active:
        app.storage.user.clear()
        return None
    return user


def safe_next(target: str | None, default: str = '/rooms') -> str:
    """Only same-site paths: '/x' yes; 'https://evil', '//evil', '/\\evil' no (open-redirect guard)."""
    if not target or not target.startswith('/') or target.startswith(('//', '/\\')):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or '\\' in target or any(ord(char) < 32 for char in target):
        return default
    return target


def user_frame(user: UserInfo, page_title: str):
    """The signed-in frame for `user`, with `Log out` wired to end this session.

    An open page also checks now and then that the account is still enabled: an admin's `Disable`
    reaches a tab that makes no request for a while too.
    """
    ui.timer(ACTIVE_CHECK_SECONDS, lambda: _log_out_if_disabled(user.id), immediate=False)
    return frame(
        page_title,
        user_name=user.display_name,
        on_logout=log_out,
        is_admin=user.is_admin,
        model_label=chat.model_label(),
    )


async def _log_out_if_disabled(user_id: int) -> None:
    try:
        still_active = (await accounts.get_user(user_id)).is_active
    except UserNotFound:
        still_active = False
    if not still_active:
        log_out()


def to_login(next_path: str | None = None) -> RedirectResponse:
    return RedirectResponse(
        '/login' + (f'?next={quote(next_path, safe="")}' if next_path else ''), status_code=303
    )
