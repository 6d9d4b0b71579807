"""Feedback on every learner line (`turn_feedback`), written in the background beside the partner's reply.

`chat.send_message` calls `start_feedback` after its transaction: the partner's reply streams as
always (it never contains corrections and never waits for this; the feedback starts once the reply
shows its first text, so a burst of sends reaches the model before any feedback request). Per room `feedback_mode`: 'off'
sends no request, 'end_only' none during the chat (the session report does it), 'gentle' (default)
shows at most 2 edits and 'full' at most 5. One help unit per line (services/help_quota.py), given
back when the helper cannot answer. The guards live in services/corrections.py.

Statuses: 'pending' (being written), 'ready', 'unavailable' (`note` says why, fit to show, stored in
English: services/stored_text.py translates it when shown), 'off'.
The dataclasses returned (FeedbackInfo, CorrectionInfo) are defined in services/feedback_store.py.

Entry points for the pages (each one transaction or one helper call; typed errors from services/errors.py):
- here: get_feedback, feedback_for_messages (a room's lines), wait_feedback (await the card),
  dismiss_correction ("not a mistake"); feedback_explain.explain (`Why?`, one help unit once);
- translation.translate_reply (`Translate`, cached), vocabulary.gloss / save_word / saved_words (word
  popup, `Save word`), hints.next_line_hints / hint_count (`Hint`), help_quota.status (help left);
- llm_tasks.unavailable_note(task) (None, or the note to show instead of a button, e.g. on the built-in
  model), rooms.FEEDBACK_MODES / set_feedback_mode (`Feedback` select), accounts.set_native_language.
HelpQuotaExceeded and HelperUnavailable carry messages fit to show as they are.
"""

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db.engine import sessionmaker
from db.models import Message, Room, User
from services import generation, help_quota, llm_tasks, missions
from services.corrections import (
    TurnFeedback,
    apply_edits,
    edits_from_rewrite,
    guarded_edits,
    plausible_rewrite,
)
from services.errors import HelperUnavailable, HelpQuotaExceeded, MessageNotFound
from services.feedback_prompts import feedback_prompt, rewrite_prompt
from services.feedback_store import (
    Checking,
    CorrectionInfo,
    FeedbackInfo,
    FeedbackStatus,
    LineContext,
    finish_in,
    finished_check,
    infos,
    mark_pending_in,
    own_line,
    owned_correction,
    running,
    store_in,
)
from services.stored_text import english

__all__ = ['CorrectionInfo', 'FeedbackInfo', 'FeedbackStatus', 'LineContext']

log = logging.getLogger(__name__)

TASK = 'turn_feedback'
MAX_TOKENS = 700
MANY_LIMIT = 500
# Feedback beside a reply starts at the reply's first text, or after this long without one.
REPLY_FIRST_SECONDS = 10.0
SESSION_END_CONCURRENCY = 4  # `End only` lines checked at once when a session ends

_tasks: set[asyncio.Task] = set()  # strong references, so running tasks are not garbage-collected


def start_feedback(
    user_id: int, message_id: int, line: LineContext | None = None, after_reply: int | None = None
) -> None:
    """Write the feedback of the committed learner message `message_id` in a background task (from `line`
    when the caller has it, else read from the database).

    With `after_reply`, it starts once that reply (running here) shows its first text: when many learners
    send at once, the feedback requests of some do not hold up the replies of the others.
    """
    running[message_id] = Checking(user_id)
    task = asyncio.create_task(
        _run(user_id, message_id, line=line, after_reply=after_reply), name=f'feedback {message_id}'
    )
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def check_at_session_end(user_id: int, message_ids: Sequence[int]) -> None:
    """`End only` rooms: write the feedback of a session's learner lines now (one help unit each), awaited.

    Edits are capped as in Full (the report is where they are shown); lines already checked are redone
    only when they were left 'off' during the chat (services/practice_sessions.py picks them).
    """
    gate = asyncio.Semaphore(SESSION_END_CONCURRENCY)

    async def check(message_id: int) -> None:
        async with gate:
            running[message_id] = Checking(user_id)
            await _run(user_id, message_id, at_session_end=True)

    await asyncio.gather(*(check(message_id) for message_id in message_ids))


async def get_feedback(user_id: int, message_id: int) -> FeedbackInfo:
    """The feedback of one of the learner's own lines; MessageNotFound for replies and others' messages."""
    async with sessionmaker().begin() as session:
        message = await own_line(session, user_id, message_id)
        return (await infos(session, [message]))[message.id]


async def feedback_for_messages(user_id: int, message_ids: Sequence[int]) -> dict[int, FeedbackInfo]:
    """The feedback of the learner's lines among `message_ids` (up to 500; others' and replies are left out)."""
    ids = list(dict.fromkeys(message_ids))[:MANY_LIMIT]
    async with sessionmaker().begin() as session:
        lines = (
            await session.execute(
                select(Message).where(Message.id.in_(ids), Message.user_id == user_id, Message.role == 'user')
            )
        ).scalars()
        return await infos(session, list(lines))


def checking_here(message_id: int, mode: str) -> FeedbackInfo | None:
    """The feedback of a line being checked in this process right now (pending, no read needed), else None."""
    if (checking := running.get(message_id)) is None or checking.done.is_set():
        return None
    return FeedbackInfo(message_id, 'pending', mode, None, None, None, None, (), ())


async def wait_feedback(
    user_id: int, message_id: int, timeout_seconds: float = 30.0, poll_seconds: float = 0.5
) -> FeedbackInfo:
    """The feedback once no longer pending (or after `timeout_seconds`): written here, handed over as it
    was stored (nothing read); elsewhere, polled from the database."""
    deadline = asyncio.get_running_loop().time() + timeout_seconds
    if (checking := await finished_check(user_id, message_id, timeout_seconds)) and checking.feedback:
        return checking.feedback  # (only once stored: None before, and when the line was deleted)
    while True:
        info = await get_feedback(user_id, message_id)
        left = deadline - asyncio.get_running_loop().time()
        if info.status != 'pending' or left <= 0:
            return info
        event = checking.done if (checking := running.get(message_id)) else None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait() if event else asyncio.sleep(poll_seconds), min(left, 5.0))


async def wait_checked(user_id: int, message_id: int, timeout_seconds: float = 30.0) -> bool:
    """Until the line's checks (feedback, missions) are stored; whether a mission may have been ticked.
    Checked in this process: nothing is read meanwhile, and it is known (False: none was); elsewhere the
    feedback is polled (MessageNotFound: not their line)."""
    if message_id not in running:
        await wait_feedback(user_id, message_id, timeout_seconds)
        return True
    checking = await finished_check(user_id, message_id, timeout_seconds)
    return checking is None or checking.missions_ticked or checking.feedback is None


async def dismiss_correction(user_id: int, correction_id: int, dismissed: bool = True) -> FeedbackInfo:
    """The learner says "not a mistake": the correction is kept but flagged (and no longer counted)."""
    async with sessionmaker().begin() as session:
        correction = await owned_correction(session, user_id, correction_id)
        correction.dismissed = dismissed
        message = await own_line(session, user_id, correction.message_id)
        await session.flush()
        return (await infos(session, [message]))[message.id]


async def _run(
    user_id: int,
    message_id: int,
    at_session_end: bool = False,
    line: LineContext | None = None,
    after_reply: int | None = None,
) -> None:
    checking = running.get(message_id) or Checking(user_id)
    try:
        if after_reply is not None:
            await _reply_started(after_reply)
        line = line or await _read_line(user_id, message_id)
        await _write_feedback(user_id, message_id, at_session_end, line, checking)
    except (MessageNotFound, IntegrityError):  # the line (or its room) was deleted meanwhile
        checking.feedback = None
    except Exception:  # a bug must not leave the card pending forever
        log.exception('feedback of message %s failed unexpectedly', message_id)
        checking.feedback, checking.missions_ticked = None, True  # the pages read what is stored
        await _finish(message_id, status='unavailable', note=english(llm_tasks.BUSY_NOTE))
    finally:
        running.pop(message_id, None)
        checking.done.set()


async def _reply_started(reply_id: int) -> None:
    """Until the reply (running here) shows its first text or has ended, at most REPLY_FIRST_SECONDS."""
    running_reply = generation.running(reply_id)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(REPLY_FIRST_SECONDS):
            while running_reply is not None and not running_reply.text and not running_reply.done:
                await running_reply.changed.wait()


async def _read_line(user_id: int, message_id: int) -> LineContext:
    async with sessionmaker().begin() as session:
        message = await own_line(session, user_id, message_id)
        room = await session.get(Room, message.room_id)
        user = await session.get(User, user_id)
        assert room is not None and user is not None
        partner_line = await session.scalar(
            select(Message.content)
            .where(Message.room_id == room.id, Message.id < message.id, Message.role == 'assistant')
            .order_by(Message.id.desc())
            .limit(1)
        )
        return LineContext(
            mode=room.feedback_mode, text=message.content, spoken=message.recording_id is not None,
            partner_line=partner_line, language=room.language, level=room.level, native=user.native_language,
            open_missions=await missions.open_missions(session, room.id),
        )  # fmt: skip


async def _write_feedback(
    user_id: int, message_id: int, at_session_end: bool, line: LineContext, checking: Checking
) -> None:
    """Writes the line's feedback and ticks its missions; what was stored goes into `checking`."""
    mode, text, spoken, partner_line = line.mode, line.text, line.spoken, line.partner_line
    language, level, native, open_missions = line.language, line.level, line.native, list(line.open_missions)
    checking.missions_ticked = False

    async def check_missions() -> None:  # missions: their own request
        if await missions.check_line(user_id, message_id, text, open_missions):
            checking.missions_ticked = True

    if mode == 'off' or (mode == 'end_only' and not at_session_end):  # no request at all during the chat
        await check_missions()
        checking.feedback = await _store(user_id, message_id, mode, status='off')
        return
    model = await llm_tasks.ladder_model()  # before the transaction: it may ask the model server
    async with sessionmaker().begin() as session:  # the rung, the unit and the card: one transaction
        start, note = await llm_tasks.ladder_start_in(session, TASK, model)
        if note is None:
            try:
                charged = await help_quota.consume_in(session, user_id)
                await mark_pending_in(session, user_id, message_id, mode)
            except HelpQuotaExceeded as refused:  # nothing was written: the card says why instead
                checking.feedback = await store_in(
                    session, user_id, message_id, mode, status='unavailable', note=english(refused)
                )
                return
    if note:
        await check_missions()  # missions may still be checked
        checking.feedback = await _store(user_id, message_id, mode, status='unavailable', note=english(note))
        return
    system, user_text = feedback_prompt(text, partner_line, language, level, native, open_missions)
    plain = llm_tasks.PlainFallback(
        *rewrite_prompt(text, language), accept=lambda answer: plausible_rewrite(text, answer)
    )
    try:
        answer = await llm_tasks.structured(
            TASK, TurnFeedback, system, user_text, max_tokens=MAX_TOKENS, plain=plain, start=start
        )
    except HelperUnavailable as problem:
        async with sessionmaker().begin() as session:  # the unit back with the card saying why
            if not charged.unlimited:
                await help_quota.refund_in(session, user_id, charged.day)
            checking.feedback = await finish_in(
                session, message_id, text=text, status='unavailable', note=english(problem)
            )
        await check_missions()
        return
    cap = 'full' if mode == 'end_only' else mode
    if answer.data is None and open_missions:  # a plain rewrite (rung C) says nothing about missions
        await check_missions()
    if answer.data is not None:
        edits = guarded_edits(text, answer.data, mode=cap, spoken=spoken)
        alternative = answer.data.natural_alternative.strip() or None
    else:
        edits = edits_from_rewrite(text, answer.text or '', mode=cap, spoken=spoken)
        alternative = None
    corrected = apply_edits(text, edits) if edits else None
    async with sessionmaker().begin() as session:  # the card with the missions the line achieved
        if answer.data is not None and open_missions:
            ticked = await missions.tick_in(
                session, message_id, text, open_missions, answer.data.missions_done
            )
            checking.missions_ticked = checking.missions_ticked or bool(ticked)
        checking.feedback = await finish_in(
            session, message_id, text=text, status='ready', tier=answer.rung, edits=edits, corrected=corrected,
            alternative=alternative,
        )  # fmt: skip


async def _store(
    user_id: int, message_id: int, mode: str, *, status: str, note: str | None = None
) -> FeedbackInfo | None:
    async with sessionmaker().begin() as session:
        return await store_in(session, user_id, message_id, mode, status=status, note=note)


async def _finish(message_id: int, *, status: str, note: str | None = None) -> None:
    async with sessionmaker().begin() as session:
        await finish_in(session, message_id, text='', status=status, note=note)


async def shutdown() -> None:
    """Stop feedback still being written (server shut-down); those lines show as unavailable later."""
    tasks = list(_tasks)
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks)
