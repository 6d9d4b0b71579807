"""Chat turns: the learner's message is committed (and the quota charged) before the model is called."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Message, Room, utcnow
from services import feedback, generation, quota, recordings
from services.errors import InvalidInput, MessageNotFound, NothingToRegenerate, NothingToRetry
from services.llm.base import ChatTurn, LLMBackend, LLMError
from services.llm.provider import get_backend
from services.prompt import RECIPE_SCHEMA, build_turns, partner_prompt
from services.quota import QuotaStatus
from services.rooms import owned_room
from services.scenarios import kind_of

log = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 2000
HISTORY_PAGE = 500
SINCE_MAX = 5000
# Replies still pending after this long belong to a process that died; they are failed and refunded.
STALE_AFTER = timedelta(seconds=generation.GENERATION_TIMEOUT_SECONDS + 30)
INTERRUPTED = 'The reply was interrupted (the server restarted). Press Retry.'


@dataclass(frozen=True, slots=True)
class MessageInfo:
    id: int
    room_id: int
    role: str  # 'user' | 'assistant'
    content: str
    status: str  # 'complete' | 'pending' | 'failed' | 'stopped'
    error: str | None
    model: str | None
    created_at: datetime
    recording_id: int | None = None  # a spoken message: the learner's recording
    speech_score: float | None = None
    hard_words: tuple[str, ...] = ()  # words the recogniser found hard (a signal, not a grade)


@dataclass(frozen=True, slots=True)
class Turn:
    """What one send (or retry) started: the stored message, the pending reply, the quota after it."""

    user_message: MessageInfo | None
    reply: MessageInfo
    quota: QuotaStatus


async def send_message(user_id: int, room_id: int, text: str, recording_id: int | None = None) -> Turn | None:
    """Store the learner's message, charge one reply and start generating it; None for blank text.

    Raises RoomNotFound, QuotaExceeded (nothing stored, nothing called) or InvalidInput (too long).
    """
    text = text.strip()
    if not text:
        return None
    if len(text) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            {'message': f'Your message is {len(text)} characters long; the limit is {MESSAGE_MAX_LENGTH}.'}
        )
    backend = get_backend()
    async with sessionmaker().begin() as session:
        room = await owned_room(session, user_id, room_id)
        quota_after = await quota.consume_in(session, user_id)
        charged_day = None if quota_after.unlimited else quota_after.day
        now = utcnow()
        user_message = Message(room_id=room.id, user_id=user_id, role='user', content=text, created_at=now)
        if recording_id is not None and (
            signal := await recordings.signal_for_message(session, user_id, room.id, recording_id, text)
        ):
            user_message.recording_id, user_message.speech_score = signal.recording_id, signal.score
            user_message.hard_words = json.dumps(signal.hard_words)
        reply = _pending_reply(room, user_id, backend, charged_day, now)
        session.add_all([user_message, reply])
        room.last_activity_at = now
        await session.flush()
        turns = await _prompt(session, room, reply.id, backend)
        user_info, reply_info = _info(user_message), _info(reply)
    _start(room, reply_info, backend, turns)
    feedback.start_feedback(user_id, user_info.id)  # beside the reply, never delaying it
    return Turn(user_message=user_info, reply=reply_info, quota=quota_after)


async def retry_reply(user_id: int, reply_id: int) -> Turn:
    """Generate a failed or stopped reply again (costs one reply, like sending)."""
    return await _generate_again(user_id, reply_id, regenerate=False)


async def regenerate_reply(user_id: int, reply_id: int) -> Turn:
    """Write the room's latest reply anew, whatever its state (costs one reply, like sending).

    Raises NothingToRegenerate for an earlier reply (the conversation after it was built on it)
    or one still being written.
    """
    return await _generate_again(user_id, reply_id, regenerate=True)


async def _generate_again(user_id: int, reply_id: int, regenerate: bool) -> Turn:
    backend = get_backend()
    async with sessionmaker().begin() as session:
        reply = await owned_message(session, user_id, reply_id)
        if regenerate:
            latest_id = await session.scalar(
                select(func.max(Message.id)).where(Message.room_id == reply.room_id)
            )
            if reply.role != 'assistant' or reply.id != latest_id or reply.status == 'pending':
                raise NothingToRegenerate
        elif reply.role != 'assistant' or reply.status not in {'failed', 'stopped'}:
            raise NothingToRetry
        if generation.running(reply_id):
            raise NothingToRegenerate if regenerate else NothingToRetry
        room = await owned_room(session, user_id, reply.room_id)
        quota_after = await quota.consume_in(session, user_id)
        reply.charged_day = None if quota_after.unlimited else quota_after.day
        reply.status, reply.content, reply.error, reply.model = 'pending', '', None, backend.label
        room.last_activity_at = utcnow()
        turns = await _prompt(session, room, reply.id, backend)
        reply_info = _info(reply)
    _start(room, reply_info, backend, turns)
    return Turn(user_message=None, reply=reply_info, quota=quota_after)


async def stop_reply(user_id: int, reply_id: int) -> MessageInfo:
    """Stop a reply being written; what was written so far is kept (a reply with no text is refunded)."""
    await get_message(user_id, reply_id)  # ownership first
    await generation.stop(reply_id)
    return await get_message(user_id, reply_id)


async def get_message(user_id: int, message_id: int) -> MessageInfo:
    async with sessionmaker().begin() as session:
        return _info(await owned_message(session, user_id, message_id))


async def list_messages(
    user_id: int, room_id: int, limit: int = HISTORY_PAGE, since_id: int | None = None
) -> list[MessageInfo]:
    """The room's latest messages, oldest first. Replies orphaned by a dead process become failed.

    With `since_id` (a search hit to open the room at) the list reaches back at least to that
    message, a page at a time, up to SINCE_MAX messages.
    """
    messages = list(reversed(await messages_before(user_id, room_id, None, limit)))
    while since_id is not None and messages and messages[0].id > since_id and len(messages) < SINCE_MAX:
        older = await messages_before(user_id, room_id, messages[0].id, HISTORY_PAGE)
        if not older:
            break
        messages = list(reversed(older)) + messages
    return messages


async def messages_before(user_id: int, room_id: int, before_id: int | None, limit: int) -> list[MessageInfo]:
    """One page of the room's history, newest first: up to `limit` messages older than `before_id`
    (the latest when None). Replies orphaned by a dead process become failed."""
    async with sessionmaker().begin() as session:
        await owned_room(session, user_id, room_id)
        query = select(Message).where(Message.room_id == room_id)
        if before_id is not None:
            query = query.where(Message.id < before_id)
        rows = (await session.execute(query.order_by(Message.id.desc()).limit(limit))).scalars().all()
        stale = [message for message in rows if _is_stale(message)]
    for message in stale:
        await generation.finish(message.id, user_id, message.content, 'failed', INTERRUPTED)
    if stale:
        return await messages_before(user_id, room_id, before_id, limit)
    return [_info(message) for message in rows]


async def follow(user_id: int, reply_id: int, poll_seconds: float = 1.0) -> AsyncIterator[MessageInfo]:
    """The reply as it grows, ending with its final state.

    A reply generated in this process is followed live, from memory; one generated elsewhere
    (another app process) is polled from the database.
    """
    running = generation.running(reply_id)
    if running is not None and running.user_id == user_id:
        template = await get_message(user_id, reply_id) if running.info is None else running.info
        while not running.done:
            changed = running.changed
            yield _with_state(template, running.text, 'pending', None)
            await changed.wait()
        yield _with_state(template, running.text, running.status, running.error)
        return
    while True:
        message = await get_message(user_id, reply_id)
        if message.status == 'pending' and utcnow() - message.created_at > STALE_AFTER:
            await generation.finish(reply_id, user_id, message.content, 'failed', INTERRUPTED)
            message = await get_message(user_id, reply_id)
        yield message
        if message.status != 'pending':
            return
        await asyncio.sleep(poll_seconds)


async def recover_interrupted() -> int:
    """At start-up: fail and refund replies left pending by a process that is gone. Returns how many."""
    async with sessionmaker().begin() as session:
        pending = (await session.execute(select(Message).where(Message.status == 'pending'))).scalars().all()
        stale = [(message.id, message.user_id, message.content) for message in pending if _is_stale(message)]
    for message_id, user_id, content in stale:
        await generation.finish(message_id, user_id, content, 'failed', INTERRUPTED)
    return len(stale)


async def warm_up() -> None:
    """Create the model backend now (imports its client; the embedded model also loads its file)."""
    backend = get_backend()
    load = getattr(backend, 'load', None)
    if load is not None:
        try:
            await load()
        except LLMError as problem:  # not fatal: the chat page explains it when a reply is asked for
            log.warning('the language model is not ready: %s', problem)


def model_label() -> str:
    """Which model answers, for the page header."""
    return get_backend().label


def _pending_reply(
    room: Room, user_id: int, backend: LLMBackend, charged_day: date | None, now: datetime
) -> Message:
    return Message(
        room_id=room.id,
        user_id=user_id,
        role='assistant',
        content='',
        status='pending',
        model=backend.label,
        charged_day=charged_day,
        created_at=now,
    )


def _start(room: Room, reply: MessageInfo, backend: LLMBackend, turns: list[ChatTurn]) -> None:
    is_recipe = kind_of(room.scenario) == 'recipe'
    generation.start(
        reply.id,
        room.user_id,
        backend,
        turns,
        max_tokens=_reply_tokens(backend, is_recipe),
        json_schema=RECIPE_SCHEMA if is_recipe else None,
        info=reply,
    )


async def _prompt(session: AsyncSession, room: Room, reply_id: int, backend: LLMBackend) -> list[ChatTurn]:
    """System prompt plus the conversation before `reply_id`, trimmed to the model's context."""
    earlier = (
        (
            await session.execute(
                select(Message)
                .where(Message.room_id == room.id, Message.id < reply_id)
                .order_by(Message.id.desc())
                .limit(HISTORY_PAGE)
            )
        )
        .scalars()
        .all()
    )
    history = [
        ChatTurn('user' if message.role == 'user' else 'assistant', message.content)
        for message in reversed(earlier)
        if message.content.strip() and (message.role == 'user' or message.status in {'complete', 'stopped'})
    ]
    budget = backend.context_tokens - _reply_tokens(backend, kind_of(room.scenario) == 'recipe')
    return build_turns(await partner_prompt(session, room), history, budget_tokens=budget)


def _reply_tokens(backend: LLMBackend, is_recipe: bool) -> int:
    # Small-context (local) models ramble and are slow on a laptop CPU: keep their turns short.
    if backend.context_tokens <= 4096:
        return 500 if is_recipe else 160
    return 700 if is_recipe else 400


async def owned_message(session: AsyncSession, user_id: int, message_id: int) -> Message:
    message = await session.get(Message, message_id)
    if message is None or message.user_id != user_id:
        raise MessageNotFound
    return message


def _is_stale(message: Message) -> bool:
    return (
        message.status == 'pending'
        and generation.running(message.id) is None
        and utcnow() - message.created_at > STALE_AFTER
    )


def _with_state(message: MessageInfo, text: str, status: str, error: str | None) -> MessageInfo:
    return replace(message, content=text, status=status, error=error)


def _info(message: Message) -> MessageInfo:
    return MessageInfo(
        id=message.id,
        room_id=message.room_id,
        role=message.role,
        content=message.content,
        status=message.status,
        error=message.error,
        model=message.model,
        created_at=message.created_at,
        recording_id=message.recording_id,
        speech_score=message.speech_score,
        hard_words=tuple(json.loads(message.hard_words)) if message.hard_words else (),
    )
