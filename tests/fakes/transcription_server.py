"""A fake OpenAI-compatible transcription server: real HTTP on 127.0.0.1, uvicorn in a background thread.

Answers POST /v1/audio/transcriptions (multipart, as the openai client sends it) with a verbose_json body
whose text and words are set per test; `fail_next` answers HTTP errors instead. Every request's form
fields and uploaded file are recorded.
"""

import threading
from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.threaded import ThreadedServer

DEFAULT_TEXT = 'I would like a large coffee with milk, please.'


@dataclass(frozen=True, slots=True)
class TranscriptionRequest:
    fields: dict[str, list[str]]  # every form field but the file, in order of appearance
    file_name: str
    file_bytes: bytes
    authorization: str


class FakeTranscriptionServer(ThreadedServer):
    """`with FakeTranscriptionServer() as server:` — set STT_BASE_URL to `server.base_url`."""

    thread_name = 'fake-stt'

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Back to a correct server answering DEFAULT_TEXT, with no records."""
        with self._lock:
            self.text = DEFAULT_TEXT
            self.requests: list[TranscriptionRequest] = []
            self._failures: list[int] = []

    def fail_next(self, status: int, times: int = 1) -> None:
        """The next `times` requests answer `status` with an OpenAI-style error body."""
        with self._lock:
            self._failures.extend([status] * times)

    @property
    def base_url(self) -> str:
        return f'http://127.0.0.1:{self.port}/v1'

    def routes(self) -> list[Route]:
        return [Route('/v1/audio/transcriptions', self._transcriptions, methods=['POST'])]

    async def _transcriptions(self, request: Request) -> Response:
        form = await request.form()
        fields: dict[str, list[str]] = {}
        upload: UploadFile | None = None
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                upload = value
            else:
                fields.setdefault(key, []).append(value)
        file_bytes = await upload.read() if upload is not None else b''
        with self._lock:
            self.requests.append(
                TranscriptionRequest(
                    fields,
                    upload.filename or '' if upload is not None else '',
                    file_bytes,
                    request.headers.get('authorization', ''),
                )
            )
            failure = self._failures.pop(0) if self._failures else None
            text = self.text
        if failure is not None:
            body = {'error': {'message': f'fake failure {failure}', 'type': 'server_error', 'code': None}}
            return JSONResponse(body, status_code=failure)
        words, clock = [], 0.0
        for word in text.split():  # like OpenAI: words without punctuation, a made-up 0.3 s each
            words.append({'word': word.strip('.,!?'), 'start': clock, 'end': clock + 0.3})
            clock += 0.3
        return JSONResponse(
            {
                'task': 'transcribe',
                'language': fields.get('language', ['english'])[0],
                'duration': clock,
                'text': text,
                'words': words,
            }
        )
