"""GET /healthz: is the app up and its database reachable (for load balancers and `make run`)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse

from services import health

router = APIRouter()


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
