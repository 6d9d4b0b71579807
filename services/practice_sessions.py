"""Practice sessions: a room's conversation divided into sessions, each ended with a stored report.

A session starts with the first learner line after the previous session ended (`End session`) or
after a pause of SESSION_PAUSE with no message in the room; `End session` ends the current one at the
room's latest message. The report (services/session_figures.py, services/session_report.py) is made
then and stored, so reopening it shows the same figures and note. Lines said before a pause, in a
session never ended, are in no report.

In `End only` rooms the session's learner lines are checked when it ends (services/feedback.py), the
latest END_ONLY_MAX_LINES of them, so the report has corrections.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Message, MessageFeedback, PracticeSession, User
from services import feedback
from services.errors import NothingToReport, SessionNotFound
from services.rooms import MAX_ROW_ID, owned_room
from services.session_figures import session_figures
from services.session_report import SessionReport, StoredReport, coach_note, dump, load

SESSION_PAUSE = timedelta(minutes=30)  # no message for this long: the next learner line starts a new session
END_ONLY_MAX_LINES = 30
WALK_CHUNK = 500  # messages read at a time while looking back for the session's start
PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class Bounds:
    first_id: int
    last_id: int
    started_at: datetime
    since: datetime  # hints asked from here on count (the message before the session, or its start)


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """A line of the report list (/history, the API)."""

    id: int
    room_id: int
    room_title: str
    started_at: datetime
    ended_at: datetime
    learner_turns: int
    error_free_share: float | None


@dataclass(frozen=True, slots=True)
class ReportPage:
    items: list[ReportSummary]
    next_cursor: int | None  # pass as `before_id` for the next (older) page


async def end_session(user_id: int, room_id: int) -> SessionReport:
    """End the room's current session and make its report; NothingToReport with no learner line in it."""
    async with sessionmaker().begin() as session:
        room = await owned_room(session, user_id, room_id)
        user = await session.get(User, user_id)
        assert user is not None
        bounds = await _current_bounds(session, room_id)
        language, level, title, mode, native = (
            room.language,
            room.level,
            room.title,
            room.feedback_mode,
            user.native_language,
        )
        unchecked = await _unchecked_lines(session, room_id, bounds) if mode == 'end_only' else []
    if unchecked:
        await feedback.check_at_session_end(user_id, unchecked)
    async with sessionmaker().begin() as session:
        figures = await session_figures(
            session, room_id, level, language, bounds.first_id, bounds.last_id, bounds.since
        )
    note, from_model, focus = await coach_note(user_id, figures, language, level, native)
    stored = StoredReport(title, language, level, figures, note, from_model, focus)
    async with sessionmaker().begin() as session:
        await owned_room(session, user_id, room_id)  # deleted meanwhile: RoomNotFound
        overlapping = await session.scalar(
            select(PracticeSession).where(
                PracticeSession.room_id == room_id, PracticeSession.last_message_id >= bounds.first_id
            )
        )
        if overlapping is not None:  # ended twice at once (two tabs): the first report stands
            return _report(overlapping, load(overlapping.report))
        row = PracticeSession(
            user_id=user_id, room_id=room_id, first_message_id=bounds.first_id, last_message_id=bounds.last_id,
            started_at=bounds.started_at, report=dump(stored),
        )  # fmt: skip
        session.add(row)
        await session.flush()
        return _report(row, stored)


async def get_report(user_id: int, session_id: int) -> SessionReport:
    """A stored report of the learner's; SessionNotFound for others' and missing ones (the same)."""
    async with sessionmaker().begin() as session:
        row = await session.get(PracticeSession, session_id) if 0 < session_id <= MAX_ROW_ID else None
        if row is None or row.user_id != user_id:
            raise SessionNotFound
        return _report(row, load(row.report))


async def list_reports(user_id: int, before_id: int | None = None, limit: int = 20) -> ReportPage:
    """One page of the learner's reports, newest first; pass `next_cursor` as `before_id` for older ones."""
    limit = max(1, min(limit, PAGE_MAX))
    query = select(PracticeSession).where(PracticeSession.user_id == user_id)
    if before_id is not None:
        query = query.where(PracticeSession.id < before_id)
    async with sessionmaker().begin() as session:
        rows = (await session.scalars(query.order_by(PracticeSession.id.desc()).limit(limit + 1))).all()
        items = [_summary(row) for row in rows[:limit]]
    return ReportPage(items=items, next_cursor=items[-1].id if len(rows) > limit else None)


async def _current_bounds(session: AsyncSession, room_id: int) -> Bounds:
    """The current session: after the last ended one, from the first learner line after the last pause."""
    boundary = (
        await session.scalar(
            select(func.max(PracticeSession.last_message_id)).where(PracticeSession.room_id == room_id)
        )
        or 0
    )
    last_id: int | None = None
    first: tuple[int, datetime] | None = None  # the earliest learner line seen since the pause
    later: datetime | None = None  # the time of the message after the one being looked at
    upper = None
    while True:
        query = select(Message.id, Message.role, Message.created_at).where(
            Message.room_id == room_id, Message.id > boundary
        )
        if upper is not None:
            query = query.where(Message.id < upper)
        rows = (await session.execute(query.order_by(Message.id.desc()).limit(WALK_CHUNK))).all()
        for message_id, role, created_at in rows:
            if later is not None and later - created_at >= SESSION_PAUSE and first is not None:
                return Bounds(first[0], last_id or first[0], first[1], created_at)
            last_id = last_id or message_id
            if role == 'user':
                first = (message_id, created_at)
            later = created_at
        if len(rows) < WALK_CHUNK:
            break
        upper = rows[-1][0]
    if first is None or last_id is None:
        raise NothingToReport
    previous = await session.scalar(
        select(Message.created_at)
        .where(Message.room_id == room_id, Message.id < first[0])
        .order_by(Message.id.desc())
        .limit(1)
    )
    return Bounds(first[0], last_id, first[1], previous or first[1])


async def _unchecked_lines(session: AsyncSession, room_id: int, bounds: Bounds) -> list[int]:
    """The session's learner lines left unchecked during the chat (`End only`), the latest ones."""
    ids = (
        await session.scalars(
            select(Message.id)
            .outerjoin(MessageFeedback, MessageFeedback.message_id == Message.id)
            .where(
                Message.room_id == room_id, Message.role == 'user',
                Message.id >= bounds.first_id, Message.id <= bounds.last_id,
                or_(MessageFeedback.message_id.is_(None), and_(MessageFeedback.status == 'off', MessageFeedback.mode == 'end_only')),
            )
            .order_by(Message.id.desc())
            .limit(END_ONLY_MAX_LINES)
        )
    ).all()  # fmt: skip
    return sorted(ids)


def _report(row: PracticeSession, stored: StoredReport) -> SessionReport:
    return SessionReport(
        id=row.id, room_id=row.room_id, room_title=stored.room_title, language=stored.language, level=stored.level,
        started_at=row.started_at, ended_at=row.ended_at, figures=stored.figures, note=stored.note,
        note_from_model=stored.note_from_model, focus_next=stored.focus_next,
    )  # fmt: skip


def _summary(row: PracticeSession) -> ReportSummary:
    stored = load(row.report)
    return ReportSummary(
        id=row.id, room_id=row.room_id, room_title=stored.room_title, started_at=row.started_at,
        ended_at=row.ended_at, learner_turns=stored.figures.learner_turns,
        error_free_share=stored.figures.error_free_share,
    )  # fmt: skip
