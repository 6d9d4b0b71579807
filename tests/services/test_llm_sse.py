"""Reading a streamed completion's Server-Sent Events from the raw HTTP response (services/llm/sse.py)."""

from collections.abc import AsyncIterator

import httpx2
import pytest

from services.llm import sse


def response_of(*blocks: bytes) -> httpx2.Response:
    """A streamed response whose body arrives in these blocks."""

    async def body() -> AsyncIterator[bytes]:
        for block in blocks:
            yield block

    return httpx2.Response(200, content=body())


async def read(response: httpx2.Response) -> list[dict]:
    return [chunk async for chunk in sse.chunks(response)]


async def test_events_split_anywhere_are_read_whole() -> None:
    """Blocks cut inside lines, CRLF endings, comments, other fields and data over two lines: the chunks as sent."""
    response = response_of(
        b': keep-alive\n\nevent: message\r\nid: 1\r\ndata: {"choices": [{"delta": {"con',
        b'tent": "Hel"}}]}\r\n\r\ndata: {"choices": [{"delta": \n',
        b'data: {"content": "lo"}}]}\n\n',
        b'data:{"choices": []}\n\ndata: [DONE]\n\n',
    )
    assert await read(response) == [
        {'choices': [{'delta': {'content': 'Hel'}}]},
        {'choices': [{'delta': {'content': 'lo'}}]},
        {'choices': []},
    ]


async def test_nothing_after_done_is_read_as_a_chunk() -> None:
    """`data: [DONE]` ends the chunks; what the body still holds is read away, not returned."""
    response = response_of(b'data: {"n": 1}\n\ndata: [DONE]\n\n', b'data: {"n": 2}\n\n')
    assert await read(response) == [{'n': 1}]


async def test_an_event_cut_off_by_the_end_of_the_body_is_dropped() -> None:
    """A last event without its blank line is incomplete: not returned (as the format says)."""
    assert await read(response_of(b'data: {"n": 1}\n\ndata: {"n": 2}\n')) == [{'n': 1}]


async def test_an_error_event_is_reported() -> None:
    """`{"error": ...}` inside the stream (vLLM, LiteLLM) raises StreamReportedError after the chunks before it."""
    response = response_of(b'data: {"n": 1}\n\n', b'data: {"error": {"message": "overloaded"}}\n\n')
    chunks = []
    with pytest.raises(sse.StreamReportedError, match='overloaded'):
        async for chunk in sse.chunks(response):
            chunks.append(chunk)
    assert chunks == [{'n': 1}]


@pytest.mark.parametrize('data', [b'not json', b'[1, 2]', b'"text"'])
async def test_a_data_line_that_is_no_json_object_is_unreadable(data: bytes) -> None:
    """Data that is not a JSON object raises ValueError (the backend's `unreadable stream`)."""
    with pytest.raises(ValueError):
        await read(response_of(b'data: ' + data + b'\n\n'))
