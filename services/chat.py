"""Chat turns: the learner's message is committed (and the quota charged) before the model is called."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Message, utcnow
from i18n import catalogue_text, lazy_text
from services import feedback, generation, quota, reply_recovery, reply_setup, send_turn
from services.errors import InvalidInput, MessageNotFound, NothingToRegenerate, NothingToRetry
from services.llm.base import DETAILED_MESSAGES, LLMError
from services.llm.provider import get_backend
from services.quota import QuotaStatus
from services.rooms import owned_room
from services.stored_text import shown

# Awaited by a live follower between a change and the state it takes next (follow): how late it woke for it.
Pause = Callable[[float], Awaitable[None]]

log = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 2000
HISTORY_PAGE = 500  # the most earlier messages a prompt is built from
LOG_PAGE = 50  # messages the chat page shows at first, and adds per `Load earlier messages`
INTERRUPTED = reply_recovery.INTERRUPTED


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
            {
                'message': lazy_text(
                    'Your message is {length} characters long; the limit is {limit}.',
                    length=len(text),
                    limit=MESSAGE_MAX_LENGTH,
                )
            }
        )
    backend = get_backend()
    async with sessionmaker().begin() as session:  # one transaction, six statements (services/send_turn.py)
        stored = await send_turn.store_send(session, user_id, room_id, text, recording_id, backend)
    speech = stored.speech
    user_info = MessageInfo(
        id=stored.user_message_id, room_id=room_id, role='user', content=text, status='complete', error=None,
        model=None, created_at=stored.created_at, recording_id=speech.recording_id if speech else None,
        speech_score=speech.score if speech else None, hard_words=speech.hard_words if speech else (),
    )  # fmt: skip
    reply_info = MessageInfo(
        id=stored.reply_id, room_id=room_id, role='assistant', content='', status='pending', error=None,
        model=backend.label, created_at=stored.created_at,
    )  # fmt: skip
    reply_setup.start(user_id, stored.room.scenario, reply_info, backend, stored.turns)
    room = stored.room
    line = feedback.LineContext(
        mode=room.feedback_mode, text=text, spoken=speech is not None, partner_line=stored.partner_line,
        language=room.language, level=room.level, native=room.native_language, open_missions=stored.open_missions,
    )  # fmt: skip
    # Beside the reply, never delaying it (it starts at the reply's first text), from what the send read
    # (unless the history read stopped before the partner's last line).
    feedback.start_feedback(
        user_id, user_info.id, line if stored.partner_line_known else None, after_reply=reply_info.id
    )
    return Turn(user_message=user_info, reply=reply_info, quota=stored.quota)


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
        restartable = ('complete', 'failed', 'stopped') if regenerate else ('failed', 'stopped')
        if not await generation.restart_in(session, reply, restartable, backend.label):
            raise NothingToRegenerate if regenerate else NothingToRetry
        room = await owned_room(session, user_id, reply.room_id)
        quota_after = await quota.consume_in(session, user_id)
        reply.charged_day = None if quota_after.unlimited else quota_after.day
        room.last_activity_at = utcnow()
        turns = await reply_setup.prompt_turns(session, room, reply.id, backend)
        reply_info = _info(reply)
    reply_setup.start(user_id, room.scenario, reply_info, backend, turns, reply.attempt)
    return Turn(user_message=None, reply=reply_info, quota=quota_after)


async def stop_reply(user_id: int, reply_id: int) -> MessageInfo:
    """Stop a reply being written, in whichever process; what was written so far is kept, and so is the
    charge once the model was asked (services/generation.py). Waits a few seconds at most for it to be
    saved, then returns its state."""
    await get_message(user_id, reply_id)  # ownership first
    await generation.stop(reply_id)
    return await get_message(user_id, reply_id)


async def get_message(user_id: int, message_id: int) -> MessageInfo:
    """One message; a reply being written shows its text so far (one whose writer is gone is failed)."""
    async with sessionmaker().begin() as session:
        message = await owned_message(session, user_id, message_id)
        texts, abandoned = await reply_recovery.progress_in(session, [message])
    if await reply_recovery.fail_abandoned(abandoned):
        return await get_message(user_id, message_id)
    return _shown(message, texts)


async def list_messages(user_id: int, room_id: int, limit: int = LOG_PAGE) -> list[MessageInfo]:
    """The room's latest `limit` messages, oldest first. Replies orphaned by a dead process become failed."""
    return list(reversed(await messages_before(user_id, room_id, None, limit)))


async def messages_before(user_id: int, room_id: int, before_id: int | None, limit: int) -> list[MessageInfo]:
    """One page of the room's history, newest first: up to `limit` messages older than `before_id`
    (the latest when None). Replies being written show their text so far (failed if their writer is gone)."""
    return await messages_page(user_id, room_id, limit, before_id=before_id)


async def messages_page(
    user_id: int, room_id: int, limit: int, before_id: int | None = None, after_id: int | None = None
) -> list[MessageInfo]:
    """Up to `limit` messages: older than `before_id` (or the latest) newest first, or newer than
    `after_id` oldest first. Replies being written show their text so far (failed if their writer is gone)."""
    async with sessionmaker().begin() as session:
        await owned_room(session, user_id, room_id)
        query = select(Message).where(Message.room_id == room_id)
        if before_id is not None:
            query = query.where(Message.id < before_id).order_by(Message.id.desc())
        elif after_id is not None:
            query = query.where(Message.id > after_id).order_by(Message.id)
        else:
            query = query.order_by(Message.id.desc())
        rows = (await session.execute(query.limit(limit))).scalars().all()
        texts, abandoned = await reply_recovery.progress_in(session, rows)
    if await reply_recovery.fail_abandoned(abandoned):
        return await messages_page(user_id, room_id, limit, before_id, after_id)
    return [_shown(message, texts) for message in rows]


async def follow(
    user_id: int, reply_id: int, poll_seconds: float = 0.5, pause: Pause | None = None
) -> AsyncIterator[MessageInfo]:
    """The reply as it grows, ending with its final state.

    A reply generated in this process is followed live, from memory; one generated elsewhere
    (another app process) is followed through its lease, read every `poll_seconds`. Live, `pause` is awaited
    after each change before the next growing state is taken, with how late (seconds) the follower woke for
    the change: changes that come meanwhile go into that one state (a page's redraws: ui/pacing.py).
    """
    running = generation.running(reply_id)
    if running is not None and running.user_id == user_id:
        template = await get_message(user_id, reply_id) if running.info is None else running.info
        while not running.done:
            changed = running.changed
            yield _with_state(template, running.text, 'pending', None)
            await changed.wait()
            if pause is not None and not running.done:  # the final state is shown at once
                await pause(asyncio.get_running_loop().time() - running.changed_at)
        if not running.superseded:
            yield _with_state(template, running.text, running.status, running.error)
            return
    shown = None
    while True:
        message = await get_message(user_id, reply_id)
        if message != shown:
            yield message
            shown = message
        if message.status != 'pending':
            return
        await asyncio.sleep(poll_seconds)


async def recover_interrupted() -> int:
    """Fail and refund replies whose writer is gone (no heartbeat for ~15 s). Returns how many."""
    return await reply_recovery.recover_interrupted()


async def warm_up() -> None:
    """Create the model backend now (imports its client; the embedded model also loads its file)."""
    backend = get_backend()
    load = getattr(backend, 'load', None)
    if load is not None:
        try:
            await load()
        except LLMError as problem:  # not fatal: the chat page explains it when a reply is asked for
            log.warning('the language model is not ready: %s', problem)


def error_text(error: str) -> str:
    """Why a reply failed (stored in English, services/generation.py) in the reader's language."""
    return shown(error, DETAILED_MESSAGES)


def model_label() -> str:
    """Which model answers, for the page header (its label is stored with replies in English)."""
    return catalogue_text(get_backend().label)


async def owned_message(session: AsyncSession, user_id: int, message_id: int) -> Message:
    message = await session.get(Message, message_id)
    if message is None or message.user_id != user_id:
        raise MessageNotFound
    return message


def _shown(message: Message, texts: dict[int, str]) -> MessageInfo:
    """The message as stored, or with the text so far of a reply being written."""
    info = _info(message)
    return replace(info, content=texts[message.id]) if message.id in texts else info


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
