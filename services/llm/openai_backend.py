"""Any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp server) through the official async client."""

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import aiohttp
import httpx2
import openai
from openai import AsyncOpenAI

from i18n import lazy_text
from services.llm import sse
from services.llm.base import (
    CUT_SHORT,
    ChatTurn,
    LLMBadResponse,
    LLMError,
    LLMRateLimited,
    LLMTimeout,
    LLMUnavailable,
    StructuredOutputRefused,
)
from services.stored_text import english

TEMPERATURE = 0.7
COMPLETIONS_PATH = '/chat/completions'

# Stored with each reply (Message.model) in English; the page header shows it translated.
UNNAMED_MODEL = english(lazy_text('OpenAI-compatible server'))


class OpenAIBackend:
    """Streams chat completions; the client retries 429/5xx/connection errors with backoff (Retry-After aware)."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str | None = None,
        context_tokens: int = 8192,
        timeout_seconds: float = 60.0,
        connect_timeout_seconds: float = 5.0,
        max_retries: int = 2,
        http_client: httpx2.AsyncClient | None = None,
    ) -> None:
        """`http_client` (an httpx2.AsyncClient, which openai 3.x uses; a legacy httpx one works too) is
        for custom transports or proxies; whoever passes it in closes it."""
        self._model = model  # '' means: the first model the server lists (e.g. a single-model Ollama)
        self._context_tokens = context_tokens
        self._owns_http_client = http_client is None
        # The read timeout is per chunk, so it bounds silence between tokens, not the whole reply. It is
        # passed explicitly so it applies to an injected http_client too (openai sends it per request).
        # Our own client carries requests over aiohttp (the client's `DefaultAioHttpClient`; NiceGUI
        # depends on aiohttp anyway): its C HTTP parser reads a streamed reply's events for about half the
        # CPU of httpx2's pure-Python stack (httpcore2, h11, a cancel scope per read); bench/RESULTS.md.
        self._client = AsyncOpenAI(
            api_key=api_key,
            base_url=base_url,
            max_retries=max_retries,
            timeout=httpx2.Timeout(timeout_seconds, connect=connect_timeout_seconds),
            http_client=http_client or openai.DefaultAioHttpClient(),
        )
        self._model_lock = asyncio.Lock()

    @property
    def label(self) -> str:
        return self._model or UNNAMED_MODEL

    @property
    def context_tokens(self) -> int:
        return self._context_tokens

    async def stream(
        self, turns: Sequence[ChatTurn], *, max_tokens: int, json_schema: dict[str, Any] | None = None
    ) -> AsyncIterator[str]:
        """Yield reply pieces; every failure surfaces as an LLMError with words a learner understands."""
        request: dict[str, Any] = {
            'model': await self._resolved_model(),
            'messages': [{'role': turn.role, 'content': turn.content} for turn in turns],
            'max_tokens': max_tokens,
            'temperature': TEMPERATURE,
            'stream': True,
        }
        if json_schema is not None:
            request['response_format'] = {
                'type': 'json_schema',
                'json_schema': {'name': 'reply', 'schema': json_schema},
            }
        try:
            response = await self._create(request)
        except openai.APIError as error:
            raise _translated(error) from error
        cut_short = False
        try:
            async for chunk in sse.chunks(response):
                choice = _first_choice(chunk)
                piece = _text_of(choice.get('delta'))
                if piece:
                    yield piece
                cut_short = cut_short or choice.get('finish_reason') == 'length'
        except httpx2.TimeoutException as error:  # silence between tokens longer than the read timeout
            if _broken_not_late(error):
                raise LLMUnavailable('the connection broke') from error
            raise LLMTimeout() from error
        except httpx2.HTTPError as error:
            raise LLMUnavailable('the connection broke') from error
        except sse.StreamReportedError as error:
            raise LLMBadResponse('the stream reported an error') from error
        except ValueError as error:  # a data line that is not a JSON chunk
            raise LLMBadResponse('unreadable stream') from error
        finally:
            # Stop (aclose or cancel) ends the HTTP stream, so the server stops generating too.
            await response.aclose()
        if cut_short:
            yield CUT_SHORT

    @property
    def server(self) -> str:
        return str(self._client.base_url).rstrip('/')

    async def model_name(self) -> str:
        return await self._resolved_model()

    async def complete(
        self,
        turns: Sequence[ChatTurn],
        *,
        max_tokens: int,
        json_schema: dict[str, Any] | None = None,
        schema_name: str = 'reply',
        timeout_seconds: float = 20.0,
    ) -> str:
        """One non-streamed completion, no retries, at most `timeout_seconds` (see LLMBackend.complete)."""
        request: dict[str, Any] = {
            'model': await self._resolved_model(),
            'messages': [{'role': turn.role, 'content': turn.content} for turn in turns],
            'max_tokens': max_tokens,
            'temperature': 0.2,  # helpers want the likeliest answer, not a creative one
        }
        if json_schema is not None:
            request['response_format'] = {
                'type': 'json_schema',
                'json_schema': {'name': schema_name, 'schema': json_schema},
            }
        client = self._client.with_options(max_retries=0, timeout=timeout_seconds)
        try:
            async with asyncio.timeout(timeout_seconds):
                completion = await client.post(COMPLETIONS_PATH, body=request, cast_to=object)
        except TimeoutError as error:
            raise LLMTimeout() from error
        except openai.BadRequestError as error:
            if json_schema is not None:
                raise StructuredOutputRefused('HTTP 400 to response_format') from error
            raise _translated(error) from error
        except openai.APIError as error:
            raise _translated(error) from error
        if not isinstance(completion, dict) or not completion.get('choices'):
            raise LLMBadResponse('no choices')
        return _text_of(_first_choice(completion).get('message')) or ''

    async def aclose(self) -> None:
        """Close the HTTP connections (an `http_client` passed in is left to its owner)."""
        if self._owns_http_client:
            await self._client.close()

    async def _create(self, request: dict[str, Any]) -> httpx2.Response:
        try:
            return await self._post_stream(request)
        except openai.BadRequestError:
            if 'response_format' not in request:
                raise
            # Many local servers (llama.cpp, older Ollama/vLLM) reject response_format with a 400; the
            # prompt asks for JSON anyway and the reply's reader is tolerant, so ask once more without it.
            return await self._post_stream(
                {key: value for key, value in request.items() if key != 'response_format'}
            )

    async def _post_stream(self, request: dict[str, Any]) -> httpx2.Response:
        """The streamed request through the client's own `post` (its retries on 429/5xx and connection
        errors, its timeouts, its typed errors for a refused request), with the body as we built it; the
        response comes back unread, its events read by services/llm/sse.py.

        `chat.completions.create` walks the request against its typed parameters and builds a model
        object per chunk, and the client's own event stream decodes each event through several layers:
        profiled, a third of the app's CPU per streamed turn (issue 17), for a request whose fields are
        all plain JSON already and chunks of which we read two fields.
        """
        return await self._client.post(COMPLETIONS_PATH, body=request, cast_to=httpx2.Response, stream=True)

    async def _resolved_model(self) -> str:
        if self._model:
            return self._model
        async with self._model_lock:
            if not self._model:
                try:
                    models = await self._client.models.list()
                except openai.APIError as error:
                    raise _translated(error) from error
                if not models.data:
                    raise LLMUnavailable('the server lists no models: set LLM_MODEL')
                self._model = models.data[0].id
        return self._model


def _translated(error: openai.APIError) -> LLMError:
    if isinstance(error, openai.RateLimitError):
        return LLMRateLimited()
    if isinstance(error, openai.APITimeoutError) and not _broken_not_late(error):
        return LLMTimeout()
    if isinstance(error, openai.APIConnectionError):  # a timeout that was a refused or broken connection too
        return LLMUnavailable()
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        translated: LLMError = LLMBadResponse('check LLM_API_KEY')
        translated.retryable = False
        return translated
    if isinstance(error, openai.APIStatusError):
        translated = LLMBadResponse(f'HTTP {error.status_code}')
        translated.retryable = error.status_code >= 500
        return translated
    return LLMBadResponse()


def _first_choice(chunk: object) -> dict[str, Any]:
    """The first choice of a chunk or completion as sent (a dict), {} when there is none."""
    if not isinstance(chunk, dict):
        raise ValueError('not a JSON object')  # read as an unreadable stream by the caller
    choices = chunk.get('choices')
    first = choices[0] if isinstance(choices, list) and choices else {}
    return first if isinstance(first, dict) else {}


def _text_of(part: object) -> str | None:
    """The `content` of a delta or message, when it is text."""
    content = part.get('content') if isinstance(part, dict) else None
    return content if isinstance(content, str) else None


def _broken_not_late(error: BaseException) -> bool:
    """A "timeout" that was a refused or dropped connection: the aiohttp transport maps every aiohttp
    connection error to httpx2.ConnectTimeout, real timeouts (aiohttp's ServerTimeoutError) included."""
    cause = error.__cause__
    while cause is not None:
        if isinstance(cause, aiohttp.ServerTimeoutError | asyncio.TimeoutError):
            return False
        if isinstance(cause, aiohttp.ClientConnectionError):
            return True
        cause = cause.__cause__
    return False
