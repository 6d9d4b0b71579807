"""The hot path of a send (chat.send_message): its one transaction in six prebuilt Core statements.

When many learners press Send at once they share one event loop (and on SQLite one connection): each
statement is a round trip during which the loop runs everyone else's work while this transaction holds
its connection, and building ORM statements and objects was most of a send's CPU (bench/RESULTS.md,
"Chat turn"). So a send reads everything it needs in one statement and writes with statements built
once (SQLAlchemy compiles each once per dialect and caches it):
1. the room with its owner's account and its open missions (ownership is checked here);
2. the quota charge, quota.charge_in's single atomic upsert (exact under any concurrency);
3. both messages, in one multi-row INSERT … RETURNING id;
4. the room's last activity;
5. the reply's lease (a new reply has none to replace: leases.claim_in deletes one first);
6. the history the prompt is built from (it includes the learner's message just stored).
On PostgreSQL 3-5 are one statement (data-modifying CTEs): in a burst every send's transactions run side
by side and each round trip waits for everyone else's work on the event loop, so two fewer round trips
per send shorten each of them (bench/RESULTS.md, "Chat turn"). SQLite has no such CTEs and queues its
sends on one connection, where a statement costs one hand-over (db/sqlite_one_hop.py).
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Executable, Row, and_, bindparam, false, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Message, ReplyLease, Room, RoomMission, User, utcnow
from services import leases, quota, recordings, reply_setup
from services.errors import RoomNotFound
from services.llm.base import ChatTurn, LLMBackend
from services.missions import OpenMission
from services.prompt import system_prompt
from services.quota import QuotaStatus
from services.rooms import MAX_ROW_ID, room_info
from services.vocabulary_review import due_lemmas

_ROOMS, _USERS, _MISSIONS = Room.__table__, User.__table__, RoomMission.__table__
_MESSAGES, _LEASES = Message.__table__, ReplyLease.__table__

# One row per open mission (at least one row: the outer join), each with the room and its owner's account.
_ROOM_ACCOUNT_MISSIONS = (
    select(
        _ROOMS,
        _USERS.c.is_active,
        _USERS.c.is_admin,
        _USERS.c.daily_limit,
        _USERS.c.native_language,
        _MISSIONS.c.id.label('mission_id'),
        _MISSIONS.c.text.label('mission_text'),
    )
    .select_from(
        _ROOMS.join(_USERS, _USERS.c.id == _ROOMS.c.user_id).outerjoin(
            _MISSIONS, and_(_MISSIONS.c.room_id == _ROOMS.c.id, _MISSIONS.c.done_at.is_(None))
        )
    )
    .where(_ROOMS.c.id == bindparam('room_id'), _ROOMS.c.user_id == bindparam('user_id'))
    .order_by(_MISSIONS.c.position)
)
# RETURNING says which row is which by its role: no order to rely on, so both go in one statement.
_INSERT_MESSAGES = insert(_MESSAGES).returning(_MESSAGES.c.id, _MESSAGES.c.role)
_TOUCH_ROOM = (
    update(_ROOMS).where(_ROOMS.c.id == bindparam('room_id')).values(last_activity_at=bindparam('now'))
)
_INSERT_LEASE = insert(_LEASES).values(
    reply_id=bindparam('reply_id'), attempt=0, owner=bindparam('owner'), text='', cancel=False
)
_MESSAGE_COLUMNS = (
    'room_id', 'user_id', 'error', 'created_at', 'attempt', 'role', 'content', 'status', 'model',
    'charged_day', 'recording_id', 'speech_score', 'hard_words',
)  # fmt: skip


def _store_in_one_statement() -> Executable:
    """PostgreSQL: both messages, the room's activity and the reply's lease in one statement."""
    stored = (
        insert(_MESSAGES)
        .values([{name: bindparam(f'{prefix}_{name}') for name in _MESSAGE_COLUMNS} for prefix in ('u', 'r')])
        .returning(_MESSAGES.c.id, _MESSAGES.c.role)
        .cte('stored')
    )
    leased = insert(_LEASES).from_select(
        ['reply_id', 'attempt', 'owner', 'text', 'cancel'],
        select(stored.c.id, literal(0), bindparam('owner'), literal(''), false()).where(
            stored.c.role == 'assistant'
        ),
    )
    # Inside a CTE SQLAlchemy fills in no `onupdate` default: the room's updated_at is set here.
    touched = _TOUCH_ROOM.values(updated_at=bindparam('now')).cte('touched')
    return select(stored.c.id, stored.c.role).add_cte(touched, leased.cte('leased'))


_STORE_IN_ONE_STATEMENT = _store_in_one_statement()


@dataclass(frozen=True, slots=True)
class StoredSend:
    """What a send's transaction stored and read: enough to start the reply and the line's feedback."""

    room: Row  # the room's columns (attribute access like a Room) and its owner's account flags
    user_message_id: int
    reply_id: int
    created_at: datetime
    speech: recordings.SpeechSignal | None
    quota: QuotaStatus
    turns: list[ChatTurn]
    open_missions: tuple[OpenMission, ...]
    # The reply before the learner's message (None: none, or not among the history read).
    partner_line: str | None
    partner_line_known: bool


async def store_send(
    session: AsyncSession,
    user_id: int,
    room_id: int,
    text: str,
    recording_id: int | None,
    backend: LLMBackend,
) -> StoredSend:
    """Check the room, charge one reply, store the learner's message and the pending reply with its lease,
    and build the prompt, in the caller's transaction. Raises RoomNotFound, AccountDisabled, QuotaExceeded."""
    found = (
        (await session.execute(_ROOM_ACCOUNT_MISSIONS, {'room_id': room_id, 'user_id': user_id})).all()
        if 0 < room_id <= MAX_ROW_ID
        else []
    )
    if not found:
        raise RoomNotFound
    room = found[0]
    missions = tuple(
        OpenMission(row.mission_id, row.mission_text) for row in found if row.mission_id is not None
    )
    charged = await quota.charge_in(session, user_id, room.is_active, room.is_admin, room.daily_limit)
    now = utcnow()
    speech = (
        await recordings.signal_for_message(session, user_id, room_id, recording_id, text)
        if recording_id is not None
        else None
    )
    common = {'room_id': room_id, 'user_id': user_id, 'error': None, 'created_at': now, 'attempt': 0}
    learner_line = {
        **common, 'role': 'user', 'content': text, 'status': 'complete', 'model': None, 'charged_day': None,
        'recording_id': speech.recording_id if speech else None, 'speech_score': speech.score if speech else None,
        'hard_words': json.dumps(speech.hard_words) if speech else None,
    }  # fmt: skip
    reply = {
        **common, 'role': 'assistant', 'content': '', 'status': 'pending', 'model': backend.label,
        'charged_day': None if charged.unlimited else charged.day,
        'recording_id': None, 'speech_score': None, 'hard_words': None,
    }  # fmt: skip
    if session.bind.dialect.name == 'postgresql':
        parameters = {'room_id': room_id, 'now': now, 'owner': leases.OWNER}
        for prefix, line in (('u', learner_line), ('r', reply)):
            parameters.update({f'{prefix}_{name}': line[name] for name in _MESSAGE_COLUMNS})
        ids = {row.role: row.id for row in await session.execute(_STORE_IN_ONE_STATEMENT, parameters)}
    else:
        ids = {row.role: row.id for row in await session.execute(_INSERT_MESSAGES, [learner_line, reply])}
        await session.execute(_TOUCH_ROOM, {'room_id': room_id, 'now': now})
        await session.execute(_INSERT_LEASE, {'reply_id': ids['assistant'], 'owner': leases.OWNER})
    user_message_id, reply_id = ids['user'], ids['assistant']
    earlier = await reply_setup.earlier_messages(session, room_id, reply_id)
    due_words = await due_lemmas(session, user_id, room.language) if room.use_due_words else []
    system = system_prompt(room_info(room), due_words, [mission.text for mission in missions])
    partner = _partner_line(earlier, user_message_id)
    return StoredSend(
        room=room,
        user_message_id=user_message_id,
        reply_id=reply_id,
        created_at=now,
        speech=speech,
        quota=charged,
        turns=reply_setup.fitted_turns(system, earlier, room.scenario, backend),
        open_missions=missions,
        partner_line=partner,
        partner_line_known=partner is not None or len(earlier) < reply_setup.PROMPT_HISTORY_MESSAGES,
    )


def _partner_line(earlier: Sequence[Row], user_message_id: int) -> str | None:
    """The latest reply before the learner's message (`earlier` is newest first)."""
    return next(
        (row.content for row in earlier if row.id < user_message_id and row.role == 'assistant'), None
    )
