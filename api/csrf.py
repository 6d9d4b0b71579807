"""Cross-site request refusal for the HTTP routes the session cookie authenticates (SameSite=Lax alone is
not enough: it is the browser's promise, not the server's check, and older browsers do not keep it).

A state-changing request (POST, PUT, PATCH, DELETE) is served only when it comes from this site: its
Origin names this host (or PUBLIC_BASE_URL); without an Origin, its Referer does; without either, it
carries X-Requested-With, a header no other site can add without a CORS preflight this app never
approves. Otherwise 403. /api is left alone: it authenticates with Authorization headers, which a
browser never adds by itself, and has its own CORS. The websocket is not HTTP and not affected.
"""

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from i18n import _, negotiate, using_language
from services.settings import get_settings

SAFE_METHODS = frozenset({'GET', 'HEAD', 'OPTIONS', 'TRACE'})
EXEMPT_PREFIXES = ('/api/',)
DEFAULT_PORTS = {'http': 80, 'https': 443}


class SameOriginOnly:
    """Pure ASGI middleware: 403 for a cross-site state-changing request to a cookie-authenticated route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http' or scope['method'] in SAFE_METHODS or _exempt(scope['path']):
            await self.app(scope, receive, send)
            return
        if _from_this_site(Headers(scope=scope)):
            await self.app(scope, receive, send)
            return
        # Before the page guard (which knows the account's language): the browser's language, then the default.
        with using_language(negotiate(Headers(scope=scope).get('accept-language'))):
            refusal = JSONResponse({'error': _('Cross-site request refused')}, status_code=403)
        await refusal(scope, receive, send)


def _exempt(path: str) -> bool:
    return path == '/api' or path.startswith(EXEMPT_PREFIXES)


def _from_this_site(headers: Headers) -> bool:
    own = {_host_and_port(headers.get('host', ''), scheme=None)}
    if public := get_settings().public_base_url:
        parts = urlsplit(public)
        own.add(_host_and_port(parts.netloc, parts.scheme))
    if (origin := headers.get('origin')) is not None:
        parts = urlsplit(origin)  # 'null' (sandboxed frames, some redirects) has no host: refused
        return bool(parts.netloc) and _host_and_port(parts.netloc, parts.scheme) in own
    if (referer := headers.get('referer')) is not None:
        parts = urlsplit(referer)
        return bool(parts.netloc) and _host_and_port(parts.netloc, parts.scheme) in own
    return 'x-requested-with' in headers


def _host_and_port(netloc: str, scheme: str | None) -> tuple[str, int | None]:
    """('example.com', None) for example.com, example.com:443 over https, example.com:80 over http."""
    parts = urlsplit(f'//{netloc}')
    try:
        port = parts.port
    except ValueError:  # a malformed port never matches
        return (netloc, -1)
    default_ports = DEFAULT_PORTS.values() if scheme is None else (DEFAULT_PORTS.get(scheme),)
    if port in default_ports:
        port = None
    return ((parts.hostname or '').lower(), port)
