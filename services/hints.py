"""`Hint`: what the learner could say next (TASK: next_line_hints), at the room's level.

The idea and the glosses are in the learner's own language, the lines in the room's language. Each
hint shown is recorded (HintUse, after the room's latest message) for the session figures.
"""

from dataclasses import dataclass

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from db.engine import sessionmaker
from db.models import HintUse, Message, User
from services import help_quota, llm_tasks
from services.errors import HelperUnavailable
from services.feedback_prompts import hints_prompt
from services.rooms import owned_room

TASK = 'next_line_hints'
MAX_LINES = 3
MAX_KEYWORDS = 5
RECENT_MESSAGES = 6


class HintLineModel(BaseModel):
    text: str
    gloss: str = ''


class HintsModel(BaseModel):
    """The `next_line_hints` answer (LEARNING.md)."""

    idea: str = ''
    keywords: list[str] = Field(default_factory=list)
    lines: list[HintLineModel] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HintLine:
    text: str  # in the room's language, ready to put into `Message`
    gloss: str  # its meaning in the learner's language


@dataclass(frozen=True, slots=True)
class Hints:
    idea: str
    keywords: tuple[str, ...]
    lines: tuple[HintLine, ...]  # up to 3


async def next_line_hints(user_id: int, room_id: int) -> Hints:
    """Suggestions for the learner's next line; one help unit (HelpQuotaExceeded at 0).

    Raises RoomNotFound (missing or not yours) or HelperUnavailable (its text is the note to show).
    """
    async with sessionmaker().begin() as session:
        room = await owned_room(session, user_id, room_id)
        user = await session.get(User, user_id)
        assert user is not None
        recent = (
            await session.execute(
                select(Message.id, Message.role, Message.content)
                .where(Message.room_id == room.id, Message.status.in_(('complete', 'stopped')))
                .order_by(Message.id.desc())
                .limit(RECENT_MESSAGES)
            )
        ).all()
        turns = [('Learner' if row.role == 'user' else 'Partner', row.content) for row in reversed(recent)]
        system, text = hints_prompt(
            room.situation, room.my_role, room.ai_role, turns, room.language, room.level, user.native_language
        )
        latest_id = recent[0].id if recent else None
    if note := await llm_tasks.unavailable_note(TASK):
        raise HelperUnavailable(note)
    charged = await help_quota.consume(user_id)
    try:
        answer = await llm_tasks.structured(TASK, HintsModel, system, text, max_tokens=500)
        assert answer.data is not None  # a structured task without a plain rung answers with data
        lines = tuple(
            HintLine(line.text.strip(), line.gloss.strip()) for line in answer.data.lines if line.text.strip()
        )
        if not lines:
            raise HelperUnavailable(llm_tasks.BUSY_NOTE)
    except HelperUnavailable:
        if not charged.unlimited:
            await help_quota.refund(user_id, charged.day)
        raise
    async with sessionmaker().begin() as session:
        session.add(HintUse(user_id=user_id, room_id=room_id, message_id=latest_id))
    keywords = tuple(word.strip() for word in answer.data.keywords if word.strip())[:MAX_KEYWORDS]
    return Hints(idea=answer.data.idea.strip(), keywords=keywords, lines=lines[:MAX_LINES])


async def hint_count(user_id: int, room_id: int, after_message_id: int | None = None) -> int:
    """How many hints the learner used in the room (after `after_message_id`, e.g. a session's start)."""
    async with sessionmaker().begin() as session:
        await owned_room(session, user_id, room_id)
        query = select(func.count()).select_from(HintUse).where(HintUse.room_id == room_id)
        if after_message_id is not None:
            query = query.where(HintUse.message_id > after_message_id)
        return await session.scalar(query) or 0
