"""The OpenAI-compatible backend against a real HTTP fake server, with the real openai client."""

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx2
import pytest

from services.llm.base import (
    CUT_SHORT,
    ChatTurn,
    CutShort,
    LLMBadResponse,
    LLMRateLimited,
    LLMTimeout,
    LLMUnavailable,
)
from services.llm.openai_backend import OpenAIBackend
from tests.fakes.openai_server import FakeLLMServer

TURNS = [ChatTurn('system', 'Be brief.'), ChatTurn('user', 'Hello')]
Connect = Callable[..., OpenAIBackend]


@pytest.fixture
async def connect(fake_llm: FakeLLMServer) -> AsyncIterator[Connect]:
    """Makes backends aimed at the fake server (options override the defaults) and closes them afterwards."""
    made: list[OpenAIBackend] = []

    def make(**options: Any) -> OpenAIBackend:
        defaults = {'model': 'fake-model', 'api_key': 'test-key', 'base_url': fake_llm.base_url}
        made.append(OpenAIBackend(**(defaults | options)))
        return made[-1]

    yield make
    for backend in made:
        await backend.aclose()


async def collect(backend: OpenAIBackend, **options: Any) -> list[str]:
    return [piece async for piece in backend.stream(TURNS, max_tokens=50, **options)]


async def wait_for(condition: Callable[[], bool], seconds: float = 2.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    return condition()


async def test_a_reply_cut_at_max_tokens_ends_with_cut_short(
    fake_llm: FakeLLMServer, connect: Connect
) -> None:
    """finish_reason 'length' becomes a last CUT_SHORT piece; a natural 'stop' does not."""
    assert not any(isinstance(piece, CutShort) for piece in await collect(connect()))
    fake_llm.honour_max_tokens = True
    fake_llm.reply = 'word ' * 80
    pieces = await collect(connect())
    assert pieces[-1] is CUT_SHORT
    assert ''.join(pieces) == 'word ' * 50


async def test_streams_the_reply_in_pieces(fake_llm: FakeLLMServer, connect: Connect) -> None:
    """The reply arrives in several pieces that join to the server's text; the request is well formed."""
    pieces = await collect(connect())
    assert len(pieces) > 3
    assert ''.join(pieces) == fake_llm.reply
    sent = fake_llm.requests[-1]
    assert (sent['model'], sent['max_tokens'], sent['stream'], sent['temperature']) == (
        'fake-model',
        50,
        True,
        0.7,
    )
    assert sent['messages'] == [
        {'role': 'system', 'content': 'Be brief.'},
        {'role': 'user', 'content': 'Hello'},
    ]
    assert 'response_format' not in sent
    assert fake_llm.request_headers[-1]['authorization'] == 'Bearer test-key'
    assert fake_llm.stream_endings == ['done']


async def test_rate_limits_are_retried_then_reported(fake_llm: FakeLLMServer, connect: Connect) -> None:
    """Two 429s are retried away; more than the retries allow become LLMRateLimited."""
    fake_llm.fail_next(429, times=2)
    assert ''.join(await collect(connect(max_retries=2))) == fake_llm.reply
    assert fake_llm.request_count == 3
    fake_llm.fail_next(429, times=3)
    with pytest.raises(LLMRateLimited):
        await collect(connect(max_retries=2))
    assert fake_llm.request_count == 6


@pytest.mark.parametrize('status', [500, 503])
async def test_server_errors_are_retryable_bad_responses(
    fake_llm: FakeLLMServer, connect: Connect, status: int
) -> None:
    """5xx after the retries is an LLMBadResponse that says retrying may help."""
    fake_llm.fail_next(status, times=5)
    with pytest.raises(LLMBadResponse) as failure:
        await collect(connect(max_retries=1))
    assert failure.value.retryable
    assert f'HTTP {status}' in str(failure.value)
    assert fake_llm.request_count == 2


async def test_bad_key_is_not_retryable(fake_llm: FakeLLMServer, connect: Connect) -> None:
    """401 tells the operator to check the key and is not worth retrying."""
    fake_llm.fail_next(401)
    with pytest.raises(LLMBadResponse) as failure:
        await collect(connect(max_retries=2))
    assert not failure.value.retryable
    assert 'LLM_API_KEY' in str(failure.value)
    assert fake_llm.request_count == 1


async def test_unreachable_server(connect: Connect) -> None:
    """Nothing listening on the port: LLMUnavailable, quickly."""
    with socket.socket() as probe:  # a port that was free a moment ago, so nothing listens there
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    with pytest.raises(LLMUnavailable):
        await collect(connect(base_url=f'http://127.0.0.1:{port}/v1', max_retries=0))


async def test_a_silent_server_times_out(fake_llm: FakeLLMServer, connect: Connect) -> None:
    """A server that never answers gives LLMTimeout after the read timeout."""
    fake_llm.hang_next()
    started = time.monotonic()
    with pytest.raises(LLMTimeout):
        await collect(connect(timeout_seconds=0.5, max_retries=0))
    assert time.monotonic() - started < 5


async def test_silence_between_tokens_times_out(fake_llm: FakeLLMServer, connect: Connect) -> None:
    """A stream that stalls after its first piece longer than the read timeout is an LLMTimeout."""
    fake_llm.chunk_delay = 3.0
    received: list[str] = []
    with pytest.raises(LLMTimeout):
        async for piece in connect(timeout_seconds=0.3, max_retries=0).stream(TURNS, max_tokens=50):
            received.append(piece)
    assert received == ['Hello! ']


async def test_a_stream_broken_half_way(fake_llm: FakeLLMServer, connect: Connect) -> None:
    """Pieces that arrived are yielded, then the break is reported as LLMUnavailable."""
    fake_llm.break_stream_after(3)
    received: list[str] = []
    with pytest.raises(LLMUnavailable, match='connection broke'):
        async for piece in connect(max_retries=0).stream(TURNS, max_tokens=50):
            received.append(piece)
    assert ''.join(received) == 'Hello! Nice to '
    assert fake_llm.stream_endings == ['broken']


async def test_json_schema_is_requested_and_falls_back(fake_llm: FakeLLMServer, connect: Connect) -> None:
    """A schema is sent as response_format; a server that rejects it (400) is asked again without."""
    schema = {'type': 'object', 'properties': {'dish': {'type': 'string'}}, 'required': ['dish']}
    fake_llm.json_reply = '{"dish": "Tea"}'
    assert ''.join(await collect(connect(), json_schema=schema)) == '{"dish": "Tea"}'
    assert fake_llm.requests[-1]['response_format'] == {
        'type': 'json_schema',
        'json_schema': {'name': 'reply', 'schema': schema},
    }
    fake_llm.reset()
    fake_llm.fail_next(400)
    assert ''.join(await collect(connect(max_retries=0), json_schema=schema)) == fake_llm.reply
    assert 'response_format' in fake_llm.requests[0]
    assert 'response_format' not in fake_llm.requests[1]


async def test_closing_early_ends_the_server_stream(fake_llm: FakeLLMServer, connect: Connect) -> None:
    """aclose() after the first piece returns at once and the server sees the client leave."""
    fake_llm.chunk_delay = 0.2
    stream = connect().stream(TURNS, max_tokens=50)
    first = await anext(stream)
    started = time.monotonic()
    await stream.aclose()
    assert first == 'Hello! '
    assert time.monotonic() - started < 0.5
    assert await wait_for(lambda: fake_llm.stream_endings == ['abandoned'])


async def test_cancelling_the_task_stops_the_stream(fake_llm: FakeLLMServer, connect: Connect) -> None:
    """A cancelled consumer (Stop) ends promptly without leaking an openai exception."""
    fake_llm.chunk_delay = 0.2
    pieces: list[str] = []

    async def consume() -> None:
        async for piece in connect().stream(TURNS, max_tokens=50):
            pieces.append(piece)

    task = asyncio.create_task(consume())
    assert await wait_for(lambda: bool(pieces))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(pieces) < 5
    assert await wait_for(lambda: fake_llm.stream_endings == ['abandoned'])


async def test_an_injected_http_client_is_used_and_left_open(fake_llm: FakeLLMServer) -> None:
    """A caller's httpx2 client carries the requests, with our timeout, and stays open after aclose()."""
    seen: list[str] = []

    async def record(request: httpx2.Request) -> None:
        seen.append(request.url.path)

    async with httpx2.AsyncClient(event_hooks={'request': [record]}) as http_client:
        backend = OpenAIBackend(
            model='fake-model',
            api_key='k',
            base_url=fake_llm.base_url,
            timeout_seconds=0.3,  # httpx2's own default would wait 5 s
            max_retries=0,
            http_client=http_client,
        )
        fake_llm.hang_next()
        with pytest.raises(LLMTimeout):
            await collect(backend)
        assert ''.join(await collect(backend)) == fake_llm.reply
        await backend.aclose()
        assert not http_client.is_closed
    assert seen == ['/v1/chat/completions', '/v1/chat/completions']


async def test_model_is_discovered_when_not_configured(fake_llm: FakeLLMServer, connect: Connect) -> None:
    """With LLM_MODEL unset the first model the server lists is used."""
    backend = connect(model='')
    assert backend.label == 'OpenAI-compatible server'
    await collect(backend)
    assert (backend.label, fake_llm.requests[-1]['model']) == ('fake-model', 'fake-model')


async def test_requests_skip_the_sdks_typed_walk(
    fake_llm: FakeLLMServer, connect: Connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streamed and one-shot requests go through the client's plain `post`, not `chat.completions.create`
    (its walk of the request against typed parameters and a model object per chunk were a third of the
    app's CPU per streamed turn)."""
    from openai.resources.chat.completions import AsyncCompletions

    async def typed_create(*args: object, **kwargs: object) -> None:
        raise AssertionError('chat.completions.create was called')

    monkeypatch.setattr(AsyncCompletions, 'create', typed_create)
    backend = connect()
    assert ''.join(await collect(backend)) == fake_llm.reply
    assert await backend.complete(TURNS, max_tokens=20) == fake_llm.reply


async def test_an_error_event_in_the_stream_is_a_bad_response() -> None:
    """Pieces before an `{"error": ...}` event are yielded, then LLMBadResponse says the stream reported an error."""
    body = (
        b'data: {"choices": [{"delta": {"content": "Hello"}}]}\n\n'
        b'data: {"error": {"message": "the model is overloaded"}}\n\n'
    )

    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=body, headers={'content-type': 'text/event-stream'})

    async with httpx2.AsyncClient(transport=httpx2.MockTransport(answer)) as http_client:
        backend = OpenAIBackend(
            model='m', api_key='k', base_url='http://llm.test/v1', http_client=http_client
        )
        received: list[str] = []
        with pytest.raises(LLMBadResponse, match='stream reported an error'):
            async for piece in backend.stream(TURNS, max_tokens=50):
                received.append(piece)
    assert received == ['Hello']


async def test_a_server_that_hangs_up_before_answering_is_unavailable(connect: Connect) -> None:
    """A connection closed before any answer is LLMUnavailable (the connection broke), not a timeout."""

    async def hang_up(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(hang_up, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        with pytest.raises(LLMUnavailable):
            await collect(connect(base_url=f'http://127.0.0.1:{port}/v1', max_retries=0))


async def test_a_finished_stream_leaves_its_connection_for_the_next(
    fake_llm: FakeLLMServer, connect: Connect
) -> None:
    """Two replies one after the other come over one connection (the first was read to its end)."""
    backend = connect()
    assert ''.join(await collect(backend)) == fake_llm.reply
    assert ''.join(await collect(backend)) == fake_llm.reply
    assert fake_llm.stream_endings == ['done', 'done']
    assert len(fake_llm.client_ports) == 2
    assert fake_llm.client_ports[0] == fake_llm.client_ports[1]
