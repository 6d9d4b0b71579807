"""Who is signed in: the browser session (signed cookie + server-side user storage) and the page guard.

Log-in and log-out leave the page through /auth/session (api/browser_session.py), which swaps the
session id; services/sessions.py decides when a session has ended.
"""

from urllib.parse import quote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, storage, ui
from starlette.types import ASGIApp, Receive, Scope, Send

from i18n import SUPPORTED_LANGUAGES, negotiate, using_language
from pages.session_watch import watch_session
from services import chat, sessions
from services.accounts import UserInfo
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
# Requests that never need the session checked against the database.
STATIC_PREFIXES = ('/_nicegui', '/assets', '/favicon.ico', '/healthz')


class AuthMiddleware:
    """Ends sessions that have ended (their storage is emptied before any route reads it) and sends
    signed-out visitors of any page to /login, remembering where they wanted to go.

    Plain ASGI, not BaseHTTPMiddleware: that one runs each request in a task of its own behind memory
    streams, several more event-loop turns per request, and during a long page build every turn of
    another request waits for a slice of that build (bench/pages.py, /healthz beside the big room)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http' or scope['path'].startswith(STATIC_PREFIXES):
            # Includes socket.io: its events speak the language kept on their page's client (ui/language.py).
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = request.url.path
        user = None
        if app.storage.user.get('user_id') is not None:
            user = await sessions.signed_in_user(app.storage.user)
        if path in PUBLIC_PAGES or path.startswith(PUBLIC_PREFIXES) or user is not None:
            with using_language(request_language(request, user)):
                await self.app(scope, receive, send)
            return
        target = path + (f'?{request.url.query}' if request.url.query else '')
        login = '/login' if path == '/' else f'/login?next={quote(target, safe="")}'
        await RedirectResponse(login, status_code=303)(scope, receive, send)


def request_language(request: Request, user: UserInfo | None) -> str | None:
    """The interface language for this request: the account's choice, then the visitor's menu choice
    (pages only), then the browser's Accept-Language; None leaves DEFAULT_UI_LANGUAGE."""
    browser = negotiate(request.headers.get('accept-language'))
    if request.url.path.startswith('/api'):
        return browser  # API clients say what they want per request
    visitor = app.storage.user.get(sessions.VISITOR_LANGUAGE_KEY)
    return (user.ui_language if user is not None else None) or visitor or browser


def page_session() -> sessions.Record:
    """The session record of the browser this page belongs to (the session of the request that built it).

    An event handler normally sees that request already; NiceGUI's simulated user does not set it for
    clicks, so it is set here from the page's client, which is the same request in a real browser.
    """
    storage.request_contextvar.set(ui.context.client.request)
    return app.storage.user


def log_in(user: UserInfo, destination: str) -> None:
    """Sign `user` in under a new session id: the browser takes the /auth/session hop to `destination`."""
    ticket = sessions.issue_ticket(page_session(), user.id, safe_next(destination), reauthenticated=True)
    ui.navigate.to('/auth/session?' + urlencode({'ticket': ticket}))


def choose_visitor_language(language: str) -> None:
    """The visitors' `Language` menu: remember the choice in this browser's session and show the page in it."""
    if language in SUPPORTED_LANGUAGES:
        page_session()[sessions.VISITOR_LANGUAGE_KEY] = language
        ui.navigate.reload()


def visitor_language() -> str | None:
    """The language this browser's visitor chose in the `Language` menu, if any."""
    return page_session().get(sessions.VISITOR_LANGUAGE_KEY)


def log_out() -> None:
    """End this session at once (every tab of this browser), then swap the session id on the way out.

    The visitor's menu language is a choice of the browser, not of the account: it stays."""
    record = page_session()
    language = record.get(sessions.VISITOR_LANGUAGE_KEY)
    record.clear()
    if language:
        record[sessions.VISITOR_LANGUAGE_KEY] = language
    ticket = sessions.issue_ticket(record, None, '/login', reauthenticated=False)
    ui.navigate.to('/auth/session?' + urlencode({'ticket': ticket}))


async def current_user() -> UserInfo | None:
    """The signed-in account, or None (and the session is cleared) when it is gone, disabled or ended."""
    return await sessions.signed_in_user(page_session())


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

    The page's session is checked now and then (pages/session_watch.py): an admin's `Disable`, a
    password change or "End all sessions" elsewhere reaches a tab that makes no request too.
    """
    watch_session(ui.context.client, log_out)
    return frame(
        page_title,
        user_name=user.display_name,
        on_logout=log_out,
        is_admin=user.is_admin,
        model_label=chat.model_label(),
    )


def to_login(next_path: str | None = None) -> RedirectResponse:
    return RedirectResponse(
        '/login' + (f'?next={quote(next_path, safe="")}' if next_path else ''), status_code=303
    )
