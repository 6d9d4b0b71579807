"""Any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp server) through the official async client."""

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx2
import openai
from openai import AsyncOpenAI

from services.llm.base import ChatTurn, LLMBadResponse, LLMError, LLMRateLimited, LLMTimeout, LLMUnavailable

TEMPERATURE = 0.7


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
    ) -> None:
        self._model = model  # '' means: the first model the server lists (e.g. a single-model Ollama)
        self._context_tokens = context_tokens
        # The read timeout is per chunk, so it bounds silence between tokens, not the whole reply.
        self._client = AsyncOpenAI(
            api_key=api_key,
            base_url=base_url,
            max_retries=max_retries,
            timeout=openai.Timeout(timeout_seconds, connect=connect_timeout_seconds),
        )
        self._model_lock = asyncio.Lock()

    @property
    def label(self) -> str:
        return self._model or 'OpenAI-compatible server'

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
            try:
                stream = await self._client.chat.completions.create(**request)
            except openai.BadRequestError:
                if 'response_format' not in request:
                    raise
                # Many local servers reject response_format; the prompt asks for JSON anyway and the
                # reader of the reply is tolerant, so ask once more without it.
                del request['response_format']
                stream = await self._client.chat.completions.create(**request)
            try:
                async for chunk in stream:
                    if chunk.choices and (piece := chunk.choices[0].delta.content):
                        yield piece
            except (openai.APIConnectionError, httpx2.HTTPError) as error:
                raise LLMUnavailable('the connection broke') from error
            finally:
                # Stop (aclose or cancel) ends the HTTP stream, so the server stops generating too.
                await stream.close()
        except openai.APIError as error:
            raise _translated(error) from error

    async def aclose(self) -> None:
        await self._client.close()

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
    if isinstance(error, openai.APITimeoutError):
        return LLMTimeout()
    if isinstance(error, openai.APIConnectionError):
        return LLMUnavailable()
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        translated: LLMError = LLMBadResponse('check LLM_API_KEY')
        translated.retryable = False
        return translated
    if isinstance(error, openai.APIStatusError):
        translated = LLMBadResponse(f'HTTP {error.status_code}')
        translated.retryable = error.status_code >= 500
        return translated
    return LLMUnavailable('the connection broke')
