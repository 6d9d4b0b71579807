"""CORS for /api only, and only for the origins in CORS_ORIGINS (off when it is empty, the default)."""

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from services.settings import get_settings


class ApiCors:
    """Starlette's CORSMiddleware, built from the current settings (rebuilt when CORS_ORIGINS changes).

    Reading the setting per request keeps it in the one place configuration comes from, and lets a
    test switch it without rebuilding the application. No credentials: the API uses bearer tokens,
    never cookies, so other sites gain nothing they could not do with a token of their own.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._origins: tuple[str, ...] = ()
        self._cors: ASGIApp = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origins = tuple(
            origin.strip().rstrip('/') for origin in get_settings().cors_origins.split(',') if origin.strip()
        )
        if scope['type'] != 'http' or not origins:
            await self.app(scope, receive, send)
            return
        if origins != self._origins:
            self._cors = CORSMiddleware(
                self.app,
                allow_origins=list(origins),
                allow_methods=['GET', 'POST', 'PATCH', 'DELETE'],
                allow_headers=['Authorization', 'Content-Type'],
                expose_headers=['Retry-After', 'WWW-Authenticate'],
                max_age=600,
            )
            self._origins = origins
        await self._cors(scope, receive, send)
