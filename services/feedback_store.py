"""Feedback rows: written (store_in, finish_in) and read into frozen dataclasses (services/feedback.py and
its neighbours)."""

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Literal

from sqlalchemy import Executable, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Correction, Message, MessageFeedback, utcnow
from db.upsert import dialect_insert
from services import llm_tasks
from services.corrections import DiffPart, Edit, word_diff
from services.errors import CorrectionNotFound, MessageNotFound
from services.missions import OpenMission

FeedbackStatus = Literal['pending', 'ready', 'unavailable', 'off']
# A pending row older than this belongs to a process that died: it is shown as unavailable.
STALE_AFTER = timedelta(seconds=llm_tasks.HELPER_TIMEOUT_SECONDS + 40)


@dataclass(slots=True)
class Checking:
    """A learner line whose feedback (and missions) this process is checking; `done` is set once stored.

    What was stored is handed to the pages waiting here, so they need not read back what was just
    written: `feedback` (None: read it) and whether any mission was ticked.
    """

    user_id: int
    done: asyncio.Event = field(default_factory=asyncio.Event)
    feedback: 'FeedbackInfo | None' = None
    missions_ticked: bool = True  # until known, a waiting missions panel reads them


# message id -> its check, for feedback written in this process
running: dict[int, Checking] = {}


@dataclass(frozen=True, slots=True)
class LineContext:
    """What a line's feedback is written from, as the send that stored the line read it (no second read)."""

    mode: str  # the room's feedback_mode
    text: str
    spoken: bool
    partner_line: str | None  # the partner's reply before the line
    language: str
    level: str
    native: str  # the learner's own language
    open_missions: Sequence[OpenMission]


@dataclass(frozen=True, slots=True)
class CorrectionInfo:
    id: int
    message_id: int
    original: str  # exactly as the learner wrote it, at text[start:end]
    replacement: str
    category: str  # one of corrections.CATEGORIES
    severity: str  # 'high' | 'medium' | 'low'
    explanation: str  # short, in the learner's own language ('' from a plain rewrite)
    start: int
    end: int
    dismissed: bool  # the learner said "not a mistake" (kept, flagged)
    long_explanation: str | None  # from `Why?` (explain), once asked
    diff: tuple[DiffPart, ...]  # removed/added words of original -> replacement


@dataclass(frozen=True, slots=True)
class FeedbackInfo:
    message_id: int
    status: FeedbackStatus
    mode: str  # the room's feedback_mode when the line was sent
    corrected: str | None  # the line with the accepted edits applied (`Better:`); None without errors
    natural_alternative: str | None
    tier: str | None  # the ladder rung that answered: 'A', 'B' or 'C'
    note: str | None  # why it is unavailable
    corrections: tuple[CorrectionInfo, ...]  # highest severity first
    diff: tuple[DiffPart, ...]  # removed/added words of the learner's line -> corrected

    @property
    def has_errors(self) -> bool:
        return any(not correction.dismissed for correction in self.corrections)


async def finished_check(user_id: int, message_id: int, timeout_seconds: float) -> Checking | None:
    """The check of the line in this process once done; None when it runs nowhere here or timed out."""
    if (checking := running.get(message_id)) is None:
        return None
    if checking.user_id != user_id:
        raise MessageNotFound
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(checking.done.wait(), timeout_seconds)
    return checking if checking.done.is_set() else None


async def own_line(session: AsyncSession, user_id: int, message_id: int) -> Message:
    message = await session.get(Message, message_id)
    if message is None or message.user_id != user_id or message.role != 'user':
        raise MessageNotFound
    return message


async def owned_correction(session: AsyncSession, user_id: int, correction_id: int) -> Correction:
    """The correction when it belongs to one of `user_id`'s lines; CorrectionNotFound otherwise."""
    correction = await session.get(Correction, correction_id)
    if correction is None:
        raise CorrectionNotFound
    row = await session.get(MessageFeedback, correction.message_id)
    if row is None or row.user_id != user_id:
        raise CorrectionNotFound
    return correction


async def infos(session: AsyncSession, messages: list[Message]) -> dict[int, FeedbackInfo]:
    ids = [message.id for message in messages]
    rows = {
        row.message_id: row
        for row in (await session.execute(select(MessageFeedback).where(MessageFeedback.message_id.in_(ids))))
        .scalars()
        .all()
    }
    corrections: dict[int, list[Correction]] = {}
    found = await session.execute(
        select(Correction).where(Correction.message_id.in_(ids)).order_by(Correction.position)
    )
    for correction in found.scalars():
        corrections.setdefault(correction.message_id, []).append(correction)
    return {
        message.id: info_of(message, rows.get(message.id), corrections.get(message.id, []))
        for message in messages
    }


def info_of(message: Message, row: MessageFeedback | None, corrections: list[Correction]) -> FeedbackInfo:
    now = utcnow()
    if row is None:  # being started (here or in another process), or a line older than this feature
        starting = message.id in running or now - message.created_at < STALE_AFTER
        status, mode, note = ('pending' if starting else 'off'), '', None
    else:
        status, mode, note = row.status, row.mode, row.note
        if status == 'pending' and message.id not in running and now - row.updated_at > STALE_AFTER:
            status, note = 'unavailable', llm_tasks.BUSY_NOTE
    outcome = _Outcome(row.corrected, row.natural_alternative, row.tier) if row else _Outcome()
    return _info(message.id, message.content, outcome, corrections, status, mode, note)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a finished check wrote on the card besides its status."""

    corrected: str | None = None
    alternative: str | None = None
    tier: str | None = None


def _info(
    message_id: int,
    text: str,
    outcome: _Outcome,
    corrections: list[Correction],
    status: str,
    mode: str,
    note: str | None,
) -> FeedbackInfo:
    return FeedbackInfo(
        message_id=message_id,
        status=status,  # type: ignore[arg-type]
        mode=mode,
        corrected=outcome.corrected,
        natural_alternative=outcome.alternative,
        tier=outcome.tier,
        note=note,
        corrections=tuple(correction_info(correction) for correction in corrections),
        diff=word_diff(text, outcome.corrected) if outcome.corrected else (),
    )


def correction_info(correction: Correction) -> CorrectionInfo:
    return CorrectionInfo(
        id=correction.id, message_id=correction.message_id, original=correction.original,
        replacement=correction.replacement, category=correction.category, severity=correction.severity,
        explanation=correction.explanation, start=correction.start, end=correction.end,
        dismissed=correction.dismissed, long_explanation=correction.long_explanation,
        diff=word_diff(correction.original, correction.replacement),
    )  # fmt: skip


async def store_in(
    session: AsyncSession, user_id: int, message_id: int, mode: str, *, status: str, note: str | None = None
) -> FeedbackInfo | None:
    """The line's card in `status` (created, or reset when it is written again): as the page shows it
    when it was created (None when reset: its earlier corrections are not read here)."""
    row = await session.get(MessageFeedback, message_id)
    if row is None:
        session.add(
            MessageFeedback(message_id=message_id, user_id=user_id, status=status, mode=mode, note=note)
        )
        return FeedbackInfo(message_id, status, mode, None, None, None, note, (), ())  # type: ignore[arg-type]
    row.status, row.mode, row.note = status, mode, note
    return None


async def mark_pending_in(session: AsyncSession, user_id: int, message_id: int, mode: str) -> None:
    """The line's card pending: created, or reset when the line is checked again (store_in's 'pending' in one
    statement instead of a read and a write: every learner line starts so)."""
    statement = _pending_statement(session.get_bind().dialect.name)
    now = utcnow()
    await session.execute(
        statement, {'b_message_id': message_id, 'b_user_id': user_id, 'b_mode': mode, 'b_now': now}
    )


async def finish_in(
    session: AsyncSession,
    message_id: int,
    *,
    text: str,
    status: str,
    note: str | None = None,
    tier: str | None = None,
    edits: Sequence[Edit] = (),
    corrected: str | None = None,
    alternative: str | None = None,
) -> FeedbackInfo | None:
    """The card's outcome, with its corrections, as the page shows it (the line is `text`); None when the
    line was deleted meanwhile."""
    outcome = _Outcome(corrected, alternative, tier)
    finished = (
        update(_FEEDBACK)  # one statement, RETURNING the mode, instead of reading the row and writing it
        .where(_FEEDBACK.c.message_id == message_id)
        .values(status=status, note=note, tier=tier, corrected=corrected, natural_alternative=alternative)
        .returning(_FEEDBACK.c.mode)
    )
    mode = (await session.execute(finished)).scalar()
    if mode is None:  # the message (or its room) was deleted meanwhile
        return None
    corrections = [_correction(message_id, position, edit) for position, edit in enumerate(edits)]
    session.add_all(corrections)
    if corrections:
        await session.flush()  # their ids, which the card's buttons name
    return _info(message_id, text, outcome, corrections, status, mode, note)


def _correction(message_id: int, position: int, edit: Edit) -> Correction:
    return Correction(
        message_id=message_id, position=position, original=edit.original, replacement=edit.replacement,
        category=edit.category, severity=edit.severity, explanation=edit.explanation, start=edit.start,
        end=edit.end, dismissed=False, long_explanation=None,
    )  # fmt: skip


_FEEDBACK = MessageFeedback.__table__


@cache
def _pending_statement(dialect: str) -> Executable:
    """A pending card for `b_message_id`, or the existing one reset to pending (status, mode and note, as
    store_in resets them)."""
    insert = dialect_insert(dialect)(_FEEDBACK).values(
        message_id=bindparam('b_message_id'), user_id=bindparam('b_user_id'), status='pending',
        mode=bindparam('b_mode'), note=None, created_at=bindparam('b_now'), updated_at=bindparam('b_now'),
    )  # fmt: skip
    return insert.on_conflict_do_update(
        index_elements=[_FEEDBACK.c.message_id],
        set_={
            'status': 'pending',
            'mode': insert.excluded.mode,
            'note': None,
            'updated_at': insert.excluded.updated_at,
        },
    )
