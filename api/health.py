"""GET /healthz: is the app up and its database reachable (for load balancers and `make run`)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from services import health

router = APIRouter()
HEALTH_PATH = '/healthz'


def install(app: Starlette) -> None:
    """Answer `GET /healthz` ahead of the middleware stack (the route stays for the OpenAPI document).

    Each of NiceGUI's middlewares is a BaseHTTPMiddleware that runs the rest of the stack in a task of
    its own and passes the answer through memory streams: a dozen turns of the event loop per request,
    and beside a page being built each turn waits for one slice of that page. The load balancer's
    check needs no session, no sign-in and no compression, so it skips them (bench/pages.py: /healthz
    p95 beside the chat page of a 20,000-message room). Install before security_headers, which stays
    outside this layer.
    """
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: HealthFirst(build())  # type: ignore[method-assign]


@router.get('/healthz', tags=['health'], summary='Health check')
async def healthz() -> JSONResponse:
    """200 with `{"status": "ok"}` when the database answers, 503 otherwise."""
    result = await health.check()
    body = {
        'status': 'ok' if result.ok else 'unavailable',
        'database': 'ok' if result.database_reachable else 'unreachable',
    }
    return JSONResponse(body, status_code=200 if result.ok else 503)


@router.get('/robots.txt', include_in_schema=False)
async def robots() -> PlainTextResponse:
    """Crawlers may read the sign-in pages; everything else is private to its learner."""
    return PlainTextResponse('User-agent: *\nAllow: /login\nAllow: /signup\nDisallow: /\n')


class HealthFirst:
    """Pure ASGI: a GET or HEAD of /healthz is answered here; everything else goes on to `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] == 'http' and scope['path'] == HEALTH_PATH and scope['method'] in {'GET', 'HEAD'}:
            await (await healthz())(scope, receive, send)
            return
        await self.app(scope, receive, send)
