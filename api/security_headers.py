"""Security headers on every HTTP response, and Secure cookies whenever the request came over HTTPS.

The Content-Security-Policy is as tight as NiceGUI's runtime allows (checked in Chromium by
tests/e2e/test_security_headers.py, which fails on any CSP violation on the main pages and /docs):
- NiceGUI writes its page setup as inline scripts (import map, elements, `addStyle`) without nonces,
  and Vue compiles element templates at run time with `new Function`; `ui.run_javascript` evaluates
  code too: hence 'unsafe-inline' and 'unsafe-eval' for scripts. Everything else loads from this host.
- Quasar and NiceGUI set style attributes, and the in-browser Tailwind compiler writes <style>
  elements: 'unsafe-inline' for styles.
- Images only from this host, data: and blob:, so Markdown in a reply cannot fetch a remote image
  (a tracking pixel); no plugins, no <base>, no framing by other sites (clickjacking).
- connect-src 'self' covers socket.io's polling and its websocket to this host (CSP 3).

`request.url.scheme` is https only when the connection was TLS, or a proxy listed in TRUSTED_PROXIES said
so (X-Forwarded-Proto, applied by uvicorn before this middleware): only then HSTS and Secure cookies.
"""

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = '; '.join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',  # frame-ancestors for browsers without CSP 2
}
HSTS = 'max-age=31536000'  # a year; no includeSubDomains: other sites may live on sibling hosts
# Responses without their own Cache-Control may carry someone's data (JSON of /api, audio, pages): the
# browser must not keep them, or they stay readable after Log out. Static files set their own caching.
NO_STORE = 'private, no-store'
STATIC_PREFIXES = ('/_nicegui/', '/assets/', '/docs-assets/', '/favicon.ico')


def install(app: Starlette) -> None:
    """Make SecurityHeaders the outermost layer of `app`, whatever middleware is added later.

    NiceGUI adds its session middleware (the cookie's Set-Cookie) only inside ui.run, after main.py's
    add_middleware calls, so a middleware added the usual way would never see that cookie to mark it
    Secure. Wrapping the built stack instead keeps this layer outside everything. Idempotent.
    """
    build = app.build_middleware_stack  # the class's, or a layer installed before this one
    if getattr(build, 'adds_security_headers', False):
        return

    def build_with_headers() -> ASGIApp:
        return SecurityHeaders(build())

    build_with_headers.adds_security_headers = True  # type: ignore[attr-defined]
    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]


class SecurityHeaders:
    """Pure ASGI (streaming responses pass through untouched): headers are added to the response start."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        over_https = scope.get('scheme') == 'https'
        static = scope['path'].startswith(STATIC_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message['type'] == 'http.response.start':
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault('Cache-Control', NO_STORE)
                if over_https:
                    headers.setdefault('Strict-Transport-Security', HSTS)
                    _secure_cookies(headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure_cookies(headers: MutableHeaders) -> None:
    """Add the Secure attribute to every cookie set on an HTTPS response that lacks it."""
    cookies = headers.getlist('set-cookie')
    if not cookies:
        return
    del headers['set-cookie']
    for cookie in cookies:
        attributes = {part.strip().split('=', 1)[0].lower() for part in cookie.split(';')[1:]}
        headers.append('set-cookie', cookie if 'secure' in attributes else f'{cookie}; Secure')
