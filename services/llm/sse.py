"""The chunks of a streamed chat completion, read from its raw HTTP response (Server-Sent Events).

The openai client's own stream (`AsyncStream`) decodes each event through a line decoder, an event object,
a JSON read and typed checks of the result; an OpenAI-compatible stream is one `data:` line of JSON per
event, which is all that is read here. Measured on the app's streamed turn (bench/RESULTS.md, issue 17).
"""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx2

DONE = '[DONE]'
# After `data: [DONE]` the rest of the body (normally just its end) is read for this long at most, so the
# connection is reused (HTTP/1.1 keeps a connection only once its response was read to the end).
DRAIN_SECONDS = 0.1


class StreamReportedError(Exception):
    """An `{"error": ...}` event inside the stream (vLLM, LiteLLM report failures so)."""


async def chunks(response: httpx2.Response) -> AsyncIterator[dict[str, Any]]:
    """Each JSON chunk of the stream, until `data: [DONE]` or the end of the body.

    Raises ValueError for an event that is not a JSON object, StreamReportedError for an error event,
    and the transport's httpx2 errors as they come. The caller closes the response.
    """
    events = _event_data(response.aiter_bytes())
    async for data in events:
        if data == DONE:
            break
        chunk = json.loads(data)
        if not isinstance(chunk, dict):
            raise ValueError('not a JSON object')
        if chunk.get('error'):
            raise StreamReportedError(str(chunk['error'])[:200])
        yield chunk
    else:
        return
    with contextlib.suppress(httpx2.HTTPError, ValueError, TimeoutError):
        async with asyncio.timeout(DRAIN_SECONDS):
            async for _ in events:
                pass


async def _event_data(body: AsyncIterator[bytes]) -> AsyncIterator[str]:
    """The data of each event (its `data:` lines joined by newlines), as the Server-Sent Events format
    reads them: an event ends at a blank line; other fields and comments are skipped; lines end in LF
    or CRLF. An event cut off by the end of the body is dropped, as the format says."""
    rest = b''
    data: list[bytes] = []
    async for block in body:
        lines = (rest + block).split(b'\n')
        rest = lines.pop()
        for line in lines:
            if line.endswith(b'\r'):
                line = line[:-1]
            if not line:
                if data:
                    yield b'\n'.join(data).decode()
                    data = []
            elif line.startswith(b'data:'):
                data.append(line[6:] if line[5:6] == b' ' else line[5:])
