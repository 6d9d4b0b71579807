"""The language of an /api request: its `Accept-Language` header, for every message the API writes.

In the whole app pages/session.py's AuthMiddleware has chosen it already; this middleware makes the API
application speak it on its own too (mounted elsewhere, or called in-process by tests), and covers the
validation messages written while a request is read. No header leaves DEFAULT_UI_LANGUAGE.
"""

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from i18n import negotiate, using_language


class ApiLanguage:
    """Pure ASGI middleware: the rest of the request (route, error handlers, a streamed body) runs in the
    language its Accept-Language asks for."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        with using_language(request_language(Headers(scope=scope))):
            await self.app(scope, receive, send)


def request_language(headers: Headers) -> str | None:
    """The supported language the client asks for (the pseudo-language en-XA included), or None."""
    return negotiate(headers.get('accept-language'))
