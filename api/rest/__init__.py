"""The REST API: its own FastAPI application mounted at /api, documented at /docs and /openapi.json.

A separate application (rather than routes on NiceGUI's) keeps the API's concerns to /api by
construction: its error handlers (one JSON error shape), its CORS, and its OpenAPI schema, which
lists only /api operations and none of NiceGUI's or the pages' routes.
"""

from copy import deepcopy
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.routing import compile_path

from api.rest import (
    admin,
    auth,
    conversation,
    errors,
    history,
    learning,
    links,
    me,
    messages,
    reports,
    rooms,
    vocabulary,
)
from api.rest.cors import ApiCors
from api.rest.language import ApiLanguage

PREFIX = '/api'
DOCS_ASSETS = '/docs-assets'  # under /docs…, which the page guard leaves public
DESCRIPTION = """\
Everything the SpeakRoom pages do, for other clients: accounts, rooms, chat (whole or streamed
replies), the daily allowance, history search and replies read aloud.

**Authentication**: `POST /api/auth/token` with a username (or email) and password returns an access
token (15 minutes) and a refresh token (7 days). Send `Authorization: Bearer <access token>`; when it
expires, `POST /api/auth/refresh` returns a new pair. Each refresh token works once.

**Errors** always look like `{"error": {"code": "not_found", "message": "Room not found"}}`; refused
input adds `fields`. 429 answers carry `Retry-After` in seconds.
"""
TAGS = [
    {'name': 'auth', 'description': 'Accounts and tokens'},
    {'name': 'account', 'description': 'The signed-in account'},
    {'name': 'rooms', 'description': 'Role-play rooms'},
    {'name': 'messages', 'description': 'Conversation, replies and their audio'},
    {'name': 'history', 'description': 'Search across rooms'},
    {'name': 'admin', 'description': 'Accounts and allowances (ADMIN_USERNAMES only; 404 for others)'},
    {'name': 'learning', 'description': 'Feedback on your lines, translations, words, hints, help allowance'},
    {'name': 'vocabulary', 'description': 'The vocabulary notebook, its spaced review (FSRS) and progress'},
    {'name': 'reports', 'description': 'Practice sessions, their reports and the mistake log'},
]


def _operation_id(route: APIRoute) -> str:
    return route.name  # the handler's name: create_room, send_message … (readable client method names)


api_app = FastAPI(
    title='SpeakRoom API',
    version='1.0.0',
    description=DESCRIPTION,
    openapi_tags=TAGS,
    docs_url=None,  # served at /docs and /openapi.json below, with the /api paths in full
    redoc_url=None,
    openapi_url=None,
    generate_unique_id_function=_operation_id,
)
errors.install(api_app)
api_app.add_middleware(ApiCors)
api_app.add_middleware(ApiLanguage)  # outside CORS: even its refusals are answered in the asked language
for module in (auth, me, rooms, messages, conversation, history, admin, learning):
    api_app.include_router(module.router)
api_app.include_router(vocabulary.router)
api_app.include_router(reports.router)

router = APIRouter(include_in_schema=False)
router.mount(PREFIX, api_app)
# Swagger UI's files come from a PyPI package, not a CDN: /docs works on machines without internet.
router.mount(
    DOCS_ASSETS, StaticFiles(directory=Path(fastapi_offline.__file__).parent / 'static'), name='docs-assets'
)
_schema: dict[str, Any] | None = None


def openapi_schema() -> dict[str, Any]:
    """The API's OpenAPI document with full paths (/api/rooms, not /rooms) and links; built once."""
    global _schema
    if _schema is None:
        schema = deepcopy(api_app.openapi())
        schema['paths'] = {PREFIX + path: item for path, item in schema['paths'].items()}
        links.add_links(schema)
        _schema = schema
    return _schema


async def _method_not_allowed(request: Request, _error: Exception) -> JSONResponse:
    """405 with an Allow header listing every method of the path (Starlette names only the first route's)."""
    allowed = sorted(
        method.upper()
        for template, operations in openapi_schema()['paths'].items()
        if compile_path(template)[0].match(request.url.path)
        for method in operations
    )
    return errors.error_response(
        405,
        'method_not_allowed',
        errors.HTTP_PHRASES['Method Not Allowed'],
        headers={'Allow': ', '.join(allowed)},
    )


api_app.add_exception_handler(405, _method_not_allowed)


@router.get('/openapi.json')
async def openapi() -> JSONResponse:
    return JSONResponse(openapi_schema())


@router.get('/docs')
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url='/openapi.json',
        title='SpeakRoom API',
        swagger_js_url=f'{DOCS_ASSETS}/swagger-ui-bundle.js',
        swagger_css_url=f'{DOCS_ASSETS}/swagger-ui.css',
        swagger_favicon_url=f'{DOCS_ASSETS}/favicon.png',
        swagger_ui_parameters={'persistAuthorization': True, 'displayRequestDuration': True},
    )
