"""The OpenAI-compatible backend against a real HTTP fake server, with the real openai client."""

import asyncio
import time

import pytest

from services.llm.base import ChatTurn, LLMBadResponse, LLMRateLimited, LLMTimeout, LLMUnavailable
from services.llm.openai_backend import OpenAIBackend
from tests.fakes.openai_server import FakeLLMServer

TURNS = [ChatTurn('system', 'Be brief.'), ChatTurn('user', 'Hello')]


def backend_for(server: FakeLLMServer, **options: object) -> OpenAIBackend:
    return OpenAIBackend(model='fake-model', api_key='test-key', base_url=server.base_url, **options)


async def collect(backend: OpenAIBackend, **options: object) -> list[str]:
    return [piece async for piece in backend.stream(TURNS, max_tokens=50, **options)]


async def test_streams_the_reply_in_pieces(fake_llm: FakeLLMServer) -> None:
    """The reply arrives in several pieces that join to the server's text; the request is well formed."""
    pieces = await collect(backend_for(fake_llm))
    assert len(pieces) > 3
    assert ''.join(pieces) == fake_llm.reply
    sent = fake_llm.requests[-1]
    assert (sent['model'], sent['max_tokens'], sent['stream']) == ('fake-model', 50, True)
    assert sent['messages'] == [
        {'role': 'system', 'content': 'Be brief.'},
        {'role': 'user', 'content': 'Hello'},
    ]
    assert fake_llm.request_headers[-1]['authorization'] == 'Bearer test-key'


async def test_rate_limits_are_retried_then_reported(fake_llm: FakeLLMServer) -> None:
    """Two 429s are retried away; more than the retries allow become LLMRateLimited."""
    fake_llm.fail_next(429, times=2)
    assert ''.join(await collect(backend_for(fake_llm, max_retries=2))) == fake_llm.reply
    assert fake_llm.request_count == 3
    fake_llm.fail_next(429, times=3)
    with pytest.raises(LLMRateLimited):
        await collect(backend_for(fake_llm, max_retries=2))


@pytest.mark.parametrize('status', [500, 503])
async def test_server_errors_are_retryable_bad_responses(fake_llm: FakeLLMServer, status: int) -> None:
    """5xx after the retries is an LLMBadResponse that says retrying may help."""
    fake_llm.fail_next(status, times=5)
    with pytest.raises(LLMBadResponse) as failure:
        await collect(backend_for(fake_llm, max_retries=1))
    assert failure.value.retryable
    assert f'HTTP {status}' in str(failure.value)


async def test_bad_key_is_not_retryable(fake_llm: FakeLLMServer) -> None:
    """401 tells the operator to check the key and is not worth retrying."""
    fake_llm.fail_next(401)
    with pytest.raises(LLMBadResponse) as failure:
        await collect(backend_for(fake_llm, max_retries=0))
    assert not failure.value.retryable
    assert 'LLM_API_KEY' in str(failure.value)


async def test_unreachable_server() -> None:
    """Nothing listening: LLMUnavailable, quickly."""
    backend = OpenAIBackend(model='m', api_key='k', base_url='http://127.0.0.1:9/v1', max_retries=0)
    with pytest.raises(LLMUnavailable):
        await collect(backend)


async def test_a_silent_server_times_out(fake_llm: FakeLLMServer) -> None:
    """A server that never answers gives LLMTimeout after the read timeout."""
    fake_llm.hang_next()
    started = time.monotonic()
    with pytest.raises(LLMTimeout):
        await collect(backend_for(fake_llm, timeout_seconds=0.5, max_retries=0))
    assert time.monotonic() - started < 5


async def test_a_stream_broken_half_way(fake_llm: FakeLLMServer) -> None:
    """Pieces that arrived are yielded, then the break is reported as LLMUnavailable."""
    fake_llm.break_stream_after(3)
    received: list[str] = []
    with pytest.raises(LLMUnavailable, match='connection broke'):
        async for piece in backend_for(fake_llm, max_retries=0).stream(TURNS, max_tokens=50):
            received.append(piece)
    assert len(received) == 3


async def test_json_schema_is_requested_and_falls_back(fake_llm: FakeLLMServer) -> None:
    """A schema is sent as response_format; a server that rejects it (400) is asked again without."""
    schema = {'type': 'object', 'properties': {'dish': {'type': 'string'}}, 'required': ['dish']}
    fake_llm.json_reply = '{"dish": "Tea"}'
    assert ''.join(await collect(backend_for(fake_llm), json_schema=schema)) == '{"dish": "Tea"}'
    assert fake_llm.requests[-1]['response_format']['json_schema']['schema'] == schema
    fake_llm.reset()
    fake_llm.fail_next(400)
    assert ''.join(await collect(backend_for(fake_llm, max_retries=0), json_schema=schema)) == fake_llm.reply
    assert 'response_format' in fake_llm.requests[0]
    assert 'response_format' not in fake_llm.requests[1]


async def test_closing_early_stops_reading(fake_llm: FakeLLMServer) -> None:
    """aclose() after the first piece returns at once, long before the slow reply would end."""
    fake_llm.chunk_delay = 0.2
    stream = backend_for(fake_llm).stream(TURNS, max_tokens=50)
    first = await anext(stream)
    started = time.monotonic()
    await stream.aclose()
    assert first
    assert time.monotonic() - started < 0.5


async def test_cancelling_the_task_stops_the_stream(fake_llm: FakeLLMServer) -> None:
    """A cancelled consumer (Stop) ends promptly without leaking an openai exception."""
    fake_llm.chunk_delay = 0.2
    pieces: list[str] = []

    async def consume() -> None:
        async for piece in backend_for(fake_llm).stream(TURNS, max_tokens=50):
            pieces.append(piece)

    task = asyncio.create_task(consume())
    while not pieces:
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(pieces) < 5


async def test_model_is_discovered_when_not_configured(fake_llm: FakeLLMServer) -> None:
    """With LLM_MODEL unset the first model the server lists is used."""
    backend = OpenAIBackend(model='', api_key='k', base_url=fake_llm.base_url)
    assert backend.label == 'OpenAI-compatible server'
    await collect(backend)
    assert (backend.label, fake_llm.requests[-1]['model']) == ('fake-model', 'fake-model')
