"""Missions: two to four goals a room sets the learner (e.g. "order a drink with a size").

A learner line achieves an open mission when the helper names it with `evidence` that occurs in that
very line (LEARNING.md's guard: evidence the learner did not write ticks nothing). The check rides
on the line's `turn_feedback` (services/feedback.py adds the open missions to that request); when the
room's feedback is Off or End only, services/feedback.py calls `check_line` instead: a separate
`mission_check` request (one help unit) in the same background task. The partner is told about the
open missions (services/prompt.py) so it can create openings for them.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Room, RoomMission, utcnow
from i18n import _
from services import help_quota, llm_tasks
from services.corrections import MissionDone
from services.errors import HelperUnavailable, HelpQuotaExceeded, RoomNotFound

log = logging.getLogger(__name__)

TASK = 'mission_check'
MIN_MISSIONS, MAX_MISSIONS = 2, 4
MISSION_MAX_LENGTH = 120
EVIDENCE_MAX_LENGTH = 300
MAX_TOKENS = 300


@dataclass(frozen=True, slots=True)
class MissionInfo:
    id: int
    text: str
    done: bool
    evidence: str | None  # the learner's words that achieved it


@dataclass(frozen=True, slots=True)
class OpenMission:
    """A mission not yet achieved, as the helper is told about it."""

    id: int
    text: str


class MissionCheck(BaseModel):
    """The `mission_check` answer; also its JSON schema."""

    missions_done: list[MissionDone] = Field(default_factory=list)


def mission_lines(text: str) -> tuple[str, ...]:
    """The editor's `Missions` textarea: one mission per non-blank line."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def missions_error(missions: Sequence[str]) -> str | None:
    """Why these missions cannot be saved (None: they can): none, or two to four of at most 120 characters.
    In the language being served (the editor shows it as the field's error)."""
    if missions and not MIN_MISSIONS <= len(missions) <= MAX_MISSIONS:
        return _('Give {min} to {max} missions, one per line (or none).', min=MIN_MISSIONS, max=MAX_MISSIONS)
    if any(len(mission) > MISSION_MAX_LENGTH for mission in missions):
        return _('Each mission must be at most {max} characters.', max=MISSION_MAX_LENGTH)
    return None


async def room_missions(user_id: int, room_id: int) -> tuple[MissionInfo, ...]:
    """The missions of one of the learner's rooms, in order; RoomNotFound for others' rooms."""
    async with sessionmaker().begin() as session:
        room = await session.get(Room, room_id)
        if room is None or room.user_id != user_id:
            raise RoomNotFound
        rows = await _rows(session, room_id)
        return tuple(MissionInfo(row.id, row.text, row.done_at is not None, row.evidence) for row in rows)


async def mission_texts(session: AsyncSession, room_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The mission texts of a page of rooms, in one query."""
    if not room_ids:
        return {}
    found: dict[int, tuple[str, ...]] = {}
    rows = await session.execute(
        select(RoomMission.room_id, RoomMission.text)
        .where(RoomMission.room_id.in_(room_ids))
        .order_by(RoomMission.room_id, RoomMission.position)
    )
    for room_id, text in rows:
        found[room_id] = (*found.get(room_id, ()), text)
    return found


async def replace_missions(session: AsyncSession, room_id: int, texts: Sequence[str]) -> None:
    """Save a room's missions; a mission whose text is unchanged keeps its tick."""
    current = {row.text: row for row in await _rows(session, room_id)}
    gone = [row.id for text, row in current.items() if text not in texts]
    if gone:
        await session.execute(delete(RoomMission).where(RoomMission.id.in_(gone)))
    for position, text in enumerate(dict.fromkeys(texts)):
        if (row := current.get(text)) is not None:
            row.position = position
        else:
            session.add(RoomMission(room_id=room_id, position=position, text=text))


async def open_missions(session: AsyncSession, room_id: int) -> list[OpenMission]:
    return [OpenMission(row.id, row.text) for row in await _rows(session, room_id) if row.done_at is None]


def missions_instruction(missions: Sequence[OpenMission]) -> str:
    """What a helper is told about the open missions (turn_feedback and mission_check alike)."""
    listed = '\n'.join(f'- id "{mission.id}": {mission.text}' for mission in missions)
    return (
        "The learner's open missions in this role-play:\n"
        f'{listed}\n'
        'In "missions_done" list only the missions this one line of the learner achieves, each with "id" '
        'and "evidence": the exact words from the learner\'s line that achieve it, copied character for '
        'character. What the partner said never counts. None achieved: [].'
    )


async def check_line(user_id: int, message_id: int, line: str, missions: Sequence[OpenMission]) -> list[int]:
    """`mission_check` for one learner line (rooms whose feedback is Off or End only): the missions it
    ticked; never raises."""
    if not missions or await llm_tasks.unavailable_note(TASK):
        return []
    try:
        charged = await help_quota.consume(user_id)
    except HelpQuotaExceeded:
        return []
    system = (
        f'You check whether a language learner achieved role-play missions. {missions_instruction(missions)}'
    )
    try:
        answer = await llm_tasks.structured(
            TASK, MissionCheck, system, f'The learner wrote: {line}', max_tokens=MAX_TOKENS
        )
    except HelperUnavailable as problem:
        log.info('mission check of message %s unavailable: %s', message_id, problem)
        if not charged.unlimited:
            await help_quota.refund(user_id, charged.day)
        return []
    if answer.data is None:
        return []
    return await tick(message_id, line, missions, answer.data.missions_done)


async def tick(
    message_id: int, line: str, missions: Sequence[OpenMission], done: Sequence[MissionDone]
) -> list[int]:
    """Mark the missions the line achieved (evidence must occur in `line`); the ids ticked."""
    async with sessionmaker().begin() as session:
        return await tick_in(session, message_id, line, missions, done)


async def tick_in(
    session: AsyncSession,
    message_id: int,
    line: str,
    missions: Sequence[OpenMission],
    done: Sequence[MissionDone],
) -> list[int]:
    """tick inside the caller's transaction (the feedback card that names them is written with them)."""
    open_ids = {str(mission.id): mission.id for mission in missions}
    said = _folded(line)
    chosen = {
        open_ids[item.id.strip()]: item.evidence.strip()
        for item in done
        if item.id.strip() in open_ids and item.evidence.strip() and _folded(item.evidence) in said
    }
    if not chosen:
        return []
    ticked: list[int] = []
    for mission_id, evidence in chosen.items():
        row = await session.get(RoomMission, mission_id)
        if row is None or row.done_at is not None:  # deleted, or ticked meanwhile by another line
            continue
        row.done_at, row.evidence, row.message_id = utcnow(), evidence[:EVIDENCE_MAX_LENGTH], message_id
        ticked.append(mission_id)
    return ticked


async def session_missions(
    session: AsyncSession, room_id: int, first_id: int, last_id: int
) -> tuple[int, int, tuple[str, ...]]:
    """For a session report: (missions done, missions in all, the ones achieved by lines of this session)."""
    rows = await _rows(session, room_id)
    this_session = tuple(row.text for row in rows if row.message_id and first_id <= row.message_id <= last_id)
    return sum(row.done_at is not None for row in rows), len(rows), this_session


def _folded(text: str) -> str:
    return ' '.join(text.casefold().split())


async def _rows(session: AsyncSession, room_id: int) -> list[RoomMission]:
    found = await session.execute(
        select(RoomMission).where(RoomMission.room_id == room_id).order_by(RoomMission.position)
    )
    return list(found.scalars())
