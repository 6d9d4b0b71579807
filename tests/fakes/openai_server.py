"""A fake OpenAI-compatible server: real HTTP on 127.0.0.1, served by uvicorn in a background thread.

Tests, benchmarks and the browser tests' app subprocess talk to it exactly as they would to OpenAI,
Ollama or vLLM (streaming Server-Sent Events included); its behaviour is set per test: the reply,
delays, HTTP failures, hangs, and streams that break half-way. Every request body is recorded.
"""

import argparse
import asyncio
import json
import re
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes.threaded import ThreadedServer

DEFAULT_REPLY = 'Hello! Nice to meet you. How can I help you today?'
DEFAULT_MODEL = 'fake-model'
# What helper requests (system message starting `TASK: <name>`) get unless a test scripts `task_replies`.
DEFAULT_TASK_REPLIES: dict[str, Any] = {
    'turn_feedback': {'has_errors': False, 'corrected': '', 'natural_alternative': '', 'corrections': []},
    'explain': 'This form is needed here because of the tense of the sentence.',
    'translate': '안녕하세요! 만나서 반가워요. 오늘 무엇을 도와드릴까요?',
    'word_gloss': {'lemma': 'meet', 'pos': 'verb', 'meaning': '만나다', 'note': ''},
    'next_line_hints': {
        'idea': '음료를 주문해 보세요.',
        'keywords': ['latte', 'please'],
        'lines': [{'text': 'One latte, please.', 'gloss': '라테 한 잔 주세요.'}],
    },
    'session_report': {'note': 'Well done.', 'focus_next': []},
    'mission_check': {'missions_done': []},
}
UNPARSABLE_REPLY = 'Sorry, I am not able to help with that right now.'


class FakeLLMServer(ThreadedServer):
    """`with FakeLLMServer() as server:` — point a client at `server.base_url` and configure the rest.

    Settable at any time (read per request): `reply`, `reply_for(body) -> str`, `json_reply` (answers
    requests with a JSON `response_format`), `chunk_delay`, `first_token_delay`, `honour_max_tokens`.
    Records: `requests`, `request_headers`, `stream_endings`, `client_ports`. The queued behaviours (`fail_next`, `hang_next`, `break_stream_after`)
    and the records are guarded by a lock, since the server runs in its own thread.

    Helper requests (the system message's first line is `TASK: <name>`) are routed apart: they are
    recorded in `helper_requests` (not `requests`) and never consume the queued behaviours above.
    `task_replies[name]` scripts the answer (a dict is sent as JSON; a callable gets the body); a
    structured task asked in plain text (rung C: no response_format, no 'JSON schema' in the prompt)
    gets `plain_replies[name]`, else the scripted answer's 'corrected'. `refuse_response_format`
    answers 400 to any request with response_format; `helpers_unparsable` answers prose instead of JSON;
    `helper_delay` delays helper answers; `fail_helpers_next` queues HTTP failures for helpers only.
    """

    thread_name = 'fake-llm'

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        super().__init__()
        self.model = model
        self._lock = threading.Lock()
        self.reset()

    # -- configuration -------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to a prompt, correct server with no records."""
        with self._lock:
            self.reply: str = DEFAULT_REPLY
            self.reply_for: Callable[[dict], str] | None = None
            self.json_reply: str | None = None
            self.chunk_delay: float = 0.0
            # Count each word as a token and stop at the request's max_tokens (finish_reason 'length').
            self.honour_max_tokens = False
            self.first_token_delay: float = 0.0
            self.requests: list[dict] = []
            self.request_headers: list[dict[str, str]] = []
            self._failures: list[tuple[int, dict | None, dict | None]] = []
            self._hangs = 0
            self._break_after: int | None = None
            # How each streamed reply ended: 'done', 'broken' (on purpose) or 'abandoned' (the client left).
            self.stream_endings: list[str] = []
            self.task_replies: dict[str, Any] = dict(DEFAULT_TASK_REPLIES)
            self.plain_replies: dict[str, str] = {}
            self.refuse_response_format = False
            self.helpers_unparsable = False
            self.helper_delay: float = 0.0
            self.helper_requests: list[dict] = []
            self._helper_failures: list[int] = []
            # Per streamed reply: seconds its first piece and its end came later than the delays ask.
            self.stream_lateness: list[tuple[float, float]] = []
            self._helpers_reported = 0
            # The client's port of each (non-helper) chat request: one port for two requests = one connection.
            self.client_ports: list[int] = []

    def fail_next(
        self, status: int, times: int = 1, body: dict | None = None, headers: dict | None = None
    ) -> None:
        """The next `times` requests answer `status` with an OpenAI-style error body."""
        with self._lock:
            self._failures.extend([(status, body, headers)] * times)

    def hang_next(self, times: int = 1) -> None:
        """The next `times` requests never answer (until the server stops), to exercise timeouts."""
        with self._lock:
            self._hangs += times

    def break_stream_after(self, chunks: int) -> None:
        """The next streamed reply sends `chunks` pieces, then drops the connection without [DONE]."""
        with self._lock:
            self._break_after = chunks

    def fail_helpers_next(self, status: int, times: int = 1) -> None:
        """The next `times` helper (TASK:) requests answer `status`."""
        with self._lock:
            self._helper_failures.extend([status] * times)

    def helper_requests_for(self, task: str) -> list[dict]:
        """The helper requests that named `task` on their TASK line."""
        with self._lock:
            return [body for body in self.helper_requests if task_of(body) == task]

    @property
    def request_count(self) -> int:
        """How many chat-completion requests arrived (failed, hung and retried ones included)."""
        return len(self.requests)

    @property
    def base_url(self) -> str:
        """What an OpenAI client takes as `base_url`, e.g. 'http://127.0.0.1:41234/v1'."""
        return f'http://127.0.0.1:{self.port}/v1'

    # -- HTTP -----------------------------------------------------------------------------------
    def routes(self) -> list[Route]:
        return [
            Route('/v1/chat/completions', self._chat_completions, methods=['POST']),
            Route('/v1/models', self._models, methods=['GET']),
            Route('/stats', self._stats, methods=['GET']),
        ]

    async def _stats(self, _request: Request) -> Response:
        """How late the streams were (benchmarks read it: is this server what slows the app down?)."""
        with self._lock:  # both since the last call
            lateness, self.stream_lateness = self.stream_lateness, []
            helpers, self._helpers_reported = (
                len(self.helper_requests) - self._helpers_reported,
                len(self.helper_requests),
            )
        return JSONResponse({'streams': len(lateness), 'lateness': lateness, 'helper_requests': helpers})

    async def _models(self, _request: Request) -> Response:
        return JSONResponse(
            {'object': 'list', 'data': [{'id': self.model, 'object': 'model', 'owned_by': 'fake'}]}
        )

    async def _chat_completions(self, request: Request) -> Response:
        arrived = time.monotonic()
        body = await request.json()
        if (task := task_of(body)) is not None:
            return await self._helper(task, body)
        with self._lock:
            self.requests.append(body)
            self.request_headers.append(dict(request.headers))
            self.client_ports.append(request.client.port if request.client else 0)
            failure = self._failures.pop(0) if self._failures else None
            hang = self._hangs > 0
            self._hangs -= 1 if hang else 0
            break_after, self._break_after = (self._break_after, None) if body.get('stream') else (None, None)
        if hang:
            await self._sleep_until_stopped(60)
            return Response(status_code=504)
        if failure is not None:
            return _error_response(*failure)
        text = self._text_for(body)
        if not body.get('stream'):
            await asyncio.sleep(self.first_token_delay)
            return JSONResponse(_completion(text, body.get('model', self.model)))
        pieces = re.findall(r'\S+\s*|\s+', text)
        limit = body.get('max_tokens') if self.honour_max_tokens else None
        finish_reason = 'length' if limit is not None and len(pieces) > limit else 'stop'
        return StreamingResponse(
            self._events(pieces[:limit], body.get('model', self.model), break_after, finish_reason, arrived),
            media_type='text/event-stream',
        )

    async def _helper(self, task: str, body: dict[str, Any]) -> Response:
        """A helper request: scripted per task, answered whole (or streamed when asked to stream)."""
        with self._lock:
            self.helper_requests.append(body)
            failure = self._helper_failures.pop(0) if self._helper_failures else None
        await asyncio.sleep(self.helper_delay)
        if failure is not None:
            return _error_response(failure, None, None)
        if self.refuse_response_format and 'response_format' in body:
            return _error_response(400, None, None)
        text = UNPARSABLE_REPLY if self.helpers_unparsable else self._helper_text(task, body)
        if body.get('stream'):
            return StreamingResponse(
                self._events([text], body.get('model', self.model), None, 'stop'),
                media_type='text/event-stream',
            )
        return JSONResponse(_completion(text, body.get('model', self.model)))

    def _helper_text(self, task: str, body: dict[str, Any]) -> str:
        scripted = self.task_replies.get(task, '')
        if callable(scripted):
            scripted = scripted(body)
        system = body['messages'][0].get('content') or ''
        wants_json = 'response_format' in body or 'JSON schema' in system
        if not wants_json and not isinstance(scripted, str):  # a structured task asked in plain text
            return self.plain_replies.get(task) or str(scripted.get('corrected', ''))
        return scripted if isinstance(scripted, str) else json.dumps(scripted, ensure_ascii=False)

    def _text_for(self, body: dict[str, Any]) -> str:
        wants_json = (body.get('response_format') or {}).get('type') in {'json_schema', 'json_object'}
        if wants_json and self.json_reply is not None:
            return self.json_reply
        return self.reply_for(body) if self.reply_for is not None else self.reply

    async def _events(
        self,
        pieces: list[str],
        model: str,
        break_after: int | None,
        finish_reason: str,
        arrived: float | None = None,
    ) -> AsyncIterator[str]:
        completion_id = f'chatcmpl-{uuid.uuid4().hex[:12]}'
        ending = 'abandoned'  # unless it gets to the end: Starlette cancels us when the client hangs up
        arrived = time.monotonic() if arrived is None else arrived
        first_late = 0.0
        try:
            yield _sse(_chunk(completion_id, model, {'role': 'assistant', 'content': ''}))
            await asyncio.sleep(self.first_token_delay)
            for index, piece in enumerate(pieces):
                if break_after is not None and index >= break_after:
                    ending = 'broken'
                    raise ConnectionResetError('the fake server drops the stream on purpose')
                if index:
                    await asyncio.sleep(self.chunk_delay)
                else:
                    first_late = time.monotonic() - arrived - self.first_token_delay
                yield _sse(_chunk(completion_id, model, {'content': piece}))
            yield _sse(_chunk(completion_id, model, {}, finish_reason=finish_reason))
            yield 'data: [DONE]\n\n'
            ending = 'done'
            expected = self.first_token_delay + self.chunk_delay * max(0, len(pieces) - 1)
            with self._lock:
                self.stream_lateness.append((first_late, time.monotonic() - arrived - expected))
        finally:
            with self._lock:
                self.stream_endings.append(ending)

    async def _sleep_until_stopped(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.stopping:
            await asyncio.sleep(0.05)


def task_of(body: dict[str, Any]) -> str | None:
    """The task named on the first line of the system message (`TASK: <name>`), None for the partner's reply."""
    messages = body.get('messages') or []
    first = messages[0] if messages else {}
    content = first.get('content') if first.get('role') == 'system' else None
    if isinstance(content, str) and content.startswith('TASK: '):
        return content.splitlines()[0].removeprefix('TASK: ').strip()
    return None


def _sse(payload: dict) -> str:
    return f'data: {json.dumps(payload)}\n\n'


def _chunk(completion_id: str, model: str, delta: dict, finish_reason: str | None = None) -> dict:
    return {
        'id': completion_id,
        'object': 'chat.completion.chunk',
        'created': int(time.time()),
        'model': model,
        'choices': [{'index': 0, 'delta': delta, 'finish_reason': finish_reason}],
    }


def _completion(text: str, model: str) -> dict:
    return {
        'id': f'chatcmpl-{uuid.uuid4().hex[:12]}',
        'object': 'chat.completion',
        'created': int(time.time()),
        'model': model,
        'choices': [{'index': 0, 'message': {'role': 'assistant', 'content': text}, 'finish_reason': 'stop'}],
        'usage': {'prompt_tokens': 1, 'completion_tokens': 1, 'total_tokens': 2},
    }


def _error_response(status: int, body: dict | None, headers: dict | None) -> Response:
    kinds = {400: 'invalid_request_error', 401: 'authentication_error', 429: 'rate_limit_exceeded'}
    default = {
        'error': {
            'message': f'fake failure {status}',
            'type': kinds.get(status, 'server_error'),
            'code': None,
        }
    }
    # The openai client ignores 'Retry-After: 0' (it only honours delays > 0) and backs off 0.5 s, 1 s, ...
    # instead; 'retry-after-ms', which it reads first, keeps retried tests fast. `headers` can override.
    retry = {'Retry-After': '0', 'retry-after-ms': '1'} if status == 429 or status >= 500 else {}
    return JSONResponse(body or default, status_code=status, headers=retry | (headers or {}))


def main() -> None:
    parser = argparse.ArgumentParser(description='Serve a fake OpenAI-compatible API until interrupted.')
    parser.add_argument('--port', type=int, default=0, help='0 (the default): a free port, see stdout')
    parser.add_argument('--reply', default=DEFAULT_REPLY)
    parser.add_argument('--chunk-delay', type=float, default=0.0)
    parser.add_argument('--first-token-delay', type=float, default=0.0)
    arguments = parser.parse_args()
    if arguments.port:
        # ThreadedServer always binds a free port (so parallel runs never collide); read the URL from stdout.
        parser.error('only --port 0 is supported: the chosen base URL is printed on stdout')
    with FakeLLMServer() as server:
        server.reply, server.chunk_delay = arguments.reply, arguments.chunk_delay
        server.first_token_delay = arguments.first_token_delay
        print(server.base_url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == '__main__':
    main()
