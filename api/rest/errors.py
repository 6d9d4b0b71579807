"""Every /api error in one JSON shape: `{"error": {"code": "...", "message": "..."}}` (+ `fields`).

The handlers are registered on the API's own FastAPI application (mounted at /api), so they never
touch NiceGUI's pages, which keep their HTML error pages.
"""

import logging
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.rest.language import request_language
from api.rest.validation_messages import problem_message
from i18n import LazyText, _, lazy_text, using_language
from services import api_tokens, tts
from services.errors import (
    AccountDisabled,
    CorrectionNotFound,
    HelperUnavailable,
    HelpQuotaExceeded,
    InvalidCredentials,
    InvalidInput,
    LoginThrottled,
    MessageNotFound,
    NotAnAdmin,
    NothingToRegenerate,
    NothingToReport,
    NothingToRetry,
    QuotaExceeded,
    ReauthenticationRequired,
    RoomCreationThrottled,
    RoomLimitReached,
    RoomNotFound,
    ServiceError,
    SessionNotFound,
    SignUpThrottled,
    UserNotFound,
    WordNotFound,
    WordNotInReply,
)

log = logging.getLogger(__name__)

# Service errors the API expects, with their status and code; anything else is a 500.
SERVICE_ERRORS: dict[type[ServiceError], tuple[int, str]] = {
    InvalidInput: (422, 'invalid_input'),
    InvalidCredentials: (401, 'invalid_credentials'),
    api_tokens.InvalidToken: (401, 'invalid_token'),
    AccountDisabled: (403, 'account_disabled'),
    RoomNotFound: (404, 'not_found'),
    MessageNotFound: (404, 'not_found'),
    UserNotFound: (404, 'not_found'),
    NotAnAdmin: (404, 'not_found'),  # the admin API does not exist for anyone else
    NothingToRetry: (409, 'conflict'),
    NothingToRegenerate: (409, 'conflict'),
    LoginThrottled: (429, 'login_throttled'),
    SignUpThrottled: (429, 'signup_throttled'),
    QuotaExceeded: (429, 'quota_exceeded'),
    tts.TTSUnavailable: (503, 'tts_unavailable'),
    CorrectionNotFound: (404, 'not_found'),
    HelpQuotaExceeded: (429, 'help_quota_exceeded'),
    HelperUnavailable: (503, 'helper_unavailable'),
    RoomLimitReached: (409, 'room_limit_reached'),
    RoomCreationThrottled: (429, 'too_many_rooms'),
}
# The vocabulary notebook (api/rest/vocabulary.py): someone else's entry or correction is simply not found.
SERVICE_ERRORS |= {WordNotFound: (404, 'not_found'), CorrectionNotFound: (404, 'not_found')}
# Sessions and the mistake log (api/rest/reports.py).
SERVICE_ERRORS |= {SessionNotFound: (404, 'not_found'), NothingToReport: (409, 'conflict')}
# A word looked up in a reply: a well-formed word that reply does not have is not found there.
SERVICE_ERRORS |= {WordNotInReply: (404, 'not_found')}
# A change that needs a fresh log-in (no /api route asks for one today; mapped so it never becomes a 500).
SERVICE_ERRORS |= {ReauthenticationRequired: (403, 'reauthentication_required')}
HTTP_CODES = {
    400: 'bad_request', 401: 'not_authenticated', 403: 'forbidden', 404: 'not_found',
    405: 'method_not_allowed', 409: 'conflict', 413: 'too_large', 415: 'unsupported_media_type',
    422: 'validation_error', 429: 'too_many_requests',
}  # fmt: skip
BEARER_CHALLENGE = {'WWW-Authenticate': 'Bearer'}
# Starlette's default `detail` is the status's English phrase: these are put in the reader's language.
HTTP_PHRASES = {
    'Bad Request': lazy_text('Bad Request'),
    'Unauthorized': lazy_text('Unauthorized'),
    'Forbidden': lazy_text('Forbidden'),
    'Not Found': lazy_text('Not Found'),
    'Method Not Allowed': lazy_text('Method Not Allowed'),
    'Conflict': lazy_text('Conflict'),
    'Request Entity Too Large': lazy_text('Request Entity Too Large'),
    'Content Too Large': lazy_text('Content Too Large'),
    'Unsupported Media Type': lazy_text('Unsupported Media Type'),
    'Unprocessable Entity': lazy_text('Unprocessable Entity'),
    'Unprocessable Content': lazy_text('Unprocessable Content'),
    'Too Many Requests': lazy_text('Too Many Requests'),
    'Internal Server Error': lazy_text('Internal Server Error'),
    'Service Unavailable': lazy_text('Service Unavailable'),
}
INVALID_JSON = lazy_text('The request body is not valid JSON.')
REQUEST_FAILED = lazy_text('Request failed')
INTERNAL_ERROR = lazy_text('Something went wrong on our side. Please try again.')


class ErrorDetail(BaseModel):
    code: str = Field(examples=['not_found'], description='Stable, machine-readable')
    message: str = Field(examples=['Room not found'], description='Readable, fit to show a user')
    fields: dict[str, str] | None = Field(
        default=None, description='Per-field messages when the input was refused', examples=[None]
    )


class ErrorResponse(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """Raised by routes for errors that do not come from a service (messages may be lazy texts: they are
    put into the request's language, from Accept-Language, when the response is made)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str | LazyText,
        *,
        fields: Mapping[str, object] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers = fields, headers


def error_response(
    status: int,
    code: str,
    message: str | LazyText,
    *,
    fields: Mapping[str, object] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The error shape; lazy texts (messages of services/errors.py) are put into words now."""
    written = {name: str(text) for name, text in fields.items()} if fields is not None else None
    body = ErrorResponse(error=ErrorDetail(code=code, message=str(message), fields=written))
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry documenting these error statuses with the error shape."""
    described = {
        400: 'Malformed request (e.g. a body that is not JSON)',
        401: 'Missing, invalid or expired token, or wrong username or password',
        403: 'The account is disabled',
        404: 'Not found, or not yours',
        409: 'Conflicts with existing data',
        422: 'Input refused; `fields` says why per field',
        429: 'Too many requests: see Retry-After (seconds)',
        503: 'No voice can read this language aloud, or a learning helper cannot answer, right now',
    }
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {'model': ErrorResponse, 'description': described[status]}
        if status == 429:
            entry['headers'] = {
                'Retry-After': {'description': 'Seconds to wait', 'schema': {'type': 'integer'}}
            }
        responses[status] = entry
    return responses


def install(app: FastAPI) -> None:
    """Register the handlers on the API application."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)


async def _api_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return error_response(error.status, error.code, error.message, fields=error.fields, headers=error.headers)


async def _service_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ServiceError)
    status, code = next(
        (mapped for kind, mapped in SERVICE_ERRORS.items() if isinstance(error, kind)),
        (500, 'internal_error'),
    )
    if status == 500:
        log.error('unmapped service error %r', error)
    headers: dict[str, str] = {}
    if isinstance(error, QuotaExceeded | HelpQuotaExceeded):
        headers['Retry-After'] = str(seconds_until(error.resets_at))
    elif isinstance(error, LoginThrottled | SignUpThrottled | RoomCreationThrottled):
        headers['Retry-After'] = str(error.retry_after_seconds)
    elif isinstance(error, api_tokens.InvalidToken):
        headers['WWW-Authenticate'] = 'Bearer error="invalid_token"'
    fields = error.field_errors if isinstance(error, InvalidInput) else None
    return error_response(status, code, str(error), fields=fields, headers=headers or None)


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = error.errors()
    if any(problem.get('type') == 'json_invalid' for problem in problems):
        return error_response(400, 'invalid_json', INVALID_JSON)
    fields: dict[str, str] = {}
    for problem in problems:
        # ('body', 'title') -> 'title'; ('query', 'limit') -> 'limit'; a whole-body problem -> 'body'
        location = [str(part) for part in problem.get('loc', ()) if part not in {'body', 'query', 'path'}]
        fields.setdefault('.'.join(location) or 'body', problem_message(problem))
    if all(problem.get('type') == 'invalid_input' for problem in problems):
        # Only the API's own field rules (api/rest/params.py) refused it: answer as the services would.
        return error_response(422, 'invalid_input', ' '.join(fields.values()), fields=fields)
    message = ' '.join(_('{field}: {problem}.', field=name, problem=text) for name, text in fields.items())
    return error_response(422, 'validation_error', message, fields=fields)


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    detail = error.detail if isinstance(error.detail, str) else REQUEST_FAILED
    message = HTTP_PHRASES.get(detail, detail) if isinstance(detail, str) else detail
    headers = dict(error.headers or {})
    return error_response(
        error.status_code, HTTP_CODES.get(error.status_code, 'http_error'), message, headers=headers or None
    )


async def _internal_error(request: Request, _error: Exception) -> JSONResponse:
    # Starlette re-raises the exception after this response, so the server logs it with its traceback.
    # This handler runs outside the API's middleware (api/rest/language.py), so it reads the language itself.
    with using_language(request_language(request.headers)):
        return error_response(500, 'internal_error', INTERNAL_ERROR)


def seconds_until(moment: datetime) -> int:
    """Whole seconds from now until `moment`, at least 1 (a Retry-After of 0 invites a busy loop)."""
    return max(1, math.ceil((moment - datetime.now(UTC)).total_seconds()))
