"""Replies generated in background tasks, so a closed tab or a lost connection never loses one.

Each running reply is a task owned by this process; pages follow its text as it grows. When the
task ends, the reply is written once (complete, stopped or failed). A reply is charged once its
request went to the model: a failed one (the server erred, timed out or answered nothing) gives its
quota unit back, a stopped one does not, or Stop before the first token would buy unlimited model
calls; only a reply stopped before its request was made is refunded. Other processes see the
result in the database.
"""

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from db.engine import sessionmaker
from db.models import Message
from services import quota
from services.llm.base import ChatTurn, CutShort, LLMBackend, LLMError, LLMTimeout

log = logging.getLogger(__name__)

# A reply may take at most this long in all; older pending replies are treated as interrupted.
GENERATION_TIMEOUT_SECONDS = 300.0
# Where a sentence ends: . ! ? … before a space or the end (then closing quotes or brackets), or the
# full-width 。！？ of Japanese and Chinese, which need no space after them.
INTERRUPTED = 'The reply was interrupted (the server restarted). Press Retry.'
SENTENCE_END = re.compile(r'[.!?…]["”’)\]]*(?=\s|$)|[。！？][」』]*')


@dataclass(eq=False)
class Generation:
    reply_id: int
    user_id: int
    text: str = ''
    status: str = 'pending'
    error: str | None = None
    task: asyncio.Task | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    # The caller's snapshot of the reply (id, room, model, time), so followers need no database read.
    info: Any = None
    # Set when the request goes to the model: from then on a Stop keeps the quota unit spent.
    model_called: bool = False
    # Set by shutdown(): a reply the server cuts off before any text is the server's failure, not a Stop.
    server_stopped: bool = False

    @property
    def done(self) -> bool:
        return self.status != 'pending'

    def publish(self) -> None:
        """Wake every follower; they re-read the state and wait on the fresh event."""
        event, self.changed = self.changed, asyncio.Event()
        event.set()


_running: dict[int, Generation] = {}


def start(
    reply_id: int,
    user_id: int,
    backend: LLMBackend,
    turns: Sequence[ChatTurn],
    *,
    max_tokens: int,
    json_schema: dict[str, Any] | None = None,
    info: Any = None,
) -> Generation:
    """Generate the reply for the committed pending message `reply_id` in a background task."""
    generation = Generation(reply_id=reply_id, user_id=user_id, info=info)
    _running[reply_id] = generation
    generation.task = asyncio.create_task(
        _run(generation, backend, list(turns), max_tokens, json_schema), name=f'reply {reply_id}'
    )
    return generation


def running(reply_id: int) -> Generation | None:
    return _running.get(reply_id)


async def stop(reply_id: int) -> None:
    """Stop a running reply and wait until its final state is saved."""
    generation = _running.get(reply_id)
    if generation is not None and generation.task is not None:
        generation.task.cancel()
        await asyncio.wait([generation.task])
        if _running.get(reply_id) is generation:  # cancelled before it ever ran: _run saved nothing
            await _save(generation, 'stopped', None)


async def wait(reply_id: int) -> None:
    """Wait until a reply running in this process is finished and saved (no-op otherwise)."""
    generation = _running.get(reply_id)
    if generation is not None and generation.task is not None:
        await asyncio.wait([generation.task])


async def shutdown() -> None:
    """Stop every running reply (server shut-down); each is saved as stopped with its text so far,
    one with no text yet as failed (refunded, with Retry)."""
    for generation in _running.values():
        generation.server_stopped = True
    tasks = [generation.task for generation in _running.values() if generation.task is not None]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks)


async def _run(
    generation: Generation,
    backend: LLMBackend,
    turns: list[ChatTurn],
    max_tokens: int,
    json_schema: dict[str, Any] | None,
) -> None:
    try:
        cut_short = False
        async with asyncio.timeout(GENERATION_TIMEOUT_SECONDS):
            generation.model_called = True
            async for piece in backend.stream(turns, max_tokens=max_tokens, json_schema=json_schema):
                cut_short = cut_short or isinstance(piece, CutShort)
                generation.text += piece
                generation.publish()
        if cut_short and json_schema is None:  # JSON cut short is unreadable anyway; the card parser copes
            generation.text = end_at_sentence(generation.text)
        if generation.text.strip():
            status, error = 'complete', None
        else:
            status, error = 'failed', 'The AI partner returned an empty reply.'
    except asyncio.CancelledError:
        if generation.server_stopped and not generation.text.strip():
            status, error = 'failed', INTERRUPTED
        else:
            status, error = 'stopped', None
    except TimeoutError:
        status, error = 'failed', str(LLMTimeout())
    except LLMError as failure:
        status, error = 'failed', str(failure)
    except Exception:  # a bug must not leave the reply pending forever or keep the quota unit
        log.exception('reply %s failed unexpectedly', generation.reply_id)
        status, error = 'failed', 'Something went wrong while writing the reply.'
    await _save(generation, status, error)


async def _save(generation: Generation, status: str, error: str | None) -> None:
    try:
        await finish(
            generation.reply_id,
            generation.user_id,
            generation.text,
            status,
            error,
            model_called=generation.model_called,
        )
    finally:
        generation.status, generation.error = status, error
        _running.pop(generation.reply_id, None)
        generation.publish()


def end_at_sentence(text: str) -> str:
    """A reply cut off at the token limit, ended at its last complete sentence (or with '…' when
    that would drop most of it), so the learner never reads half a sentence."""
    text = text.rstrip()
    ends = [match.end() for match in SENTENCE_END.finditer(text)]
    if ends and ends[-1] >= len(text) * 0.4:
        return text[: ends[-1]].rstrip()
    return text + '…' if text else text


async def finish(
    reply_id: int, user_id: int, text: str, status: str, error: str | None, *, model_called: bool = True
) -> None:
    """Save a reply's final state; refund its quota unit when the server failed ('failed': an LLM
    error, a timeout, an empty answer, a dead process) or the model was never asked."""
    async with sessionmaker().begin() as session:
        message = await session.get(Message, reply_id)
        if message is None:  # the room was deleted while the reply was being written
            return
        message.content, message.status, message.error = text, status, error
        if message.charged_day is not None and (status == 'failed' or not model_called):
            await quota.refund_in(session, user_id, message.charged_day)
            message.charged_day = None
