"""The mistake log: every correction of the learner's lines across rooms, newest first, until marked learned.

Dismissed corrections ("not a mistake") are not listed. `Mark learned` sets a flag on the correction:
it leaves the log, and reports made before keep it (they are stored when the session ends).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db.engine import sessionmaker
from db.models import Correction, Message, MessageFeedback, Room
from i18n import lazy_text
from services.corrections import CATEGORIES
from services.errors import InvalidInput
from services.feedback_store import owned_correction
from services.rooms import LANGUAGES

PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class Mistake:
    correction_id: int
    message_id: int
    room_id: int
    room_title: str
    language: str
    said: str  # the learner's whole line
    original: str
    replacement: str
    category: str
    explanation: str
    said_at: datetime


@dataclass(frozen=True, slots=True)
class MistakePage:
    items: list[Mistake]
    next_cursor: int | None  # pass as `before_id` for the next (older) page


async def mistake_log(
    user_id: int,
    *,
    category: str | None = None,
    language: str | None = None,
    before_id: int | None = None,
    limit: int = 20,
) -> MistakePage:
    """One page of the learner's mistakes not yet learned, newest first, optionally of one category/language."""
    if category is not None and category not in CATEGORIES:
        raise InvalidInput({'category': lazy_text('Choose one of the listed categories.')})
    if language is not None and language not in LANGUAGES:
        raise InvalidInput({'language': lazy_text('Choose one of the listed languages.')})
    limit = max(1, min(limit, PAGE_MAX))
    query = (
        select(Correction, Message, Room.title, Room.language)
        .join(MessageFeedback, MessageFeedback.message_id == Correction.message_id)
        .join(Message, Message.id == Correction.message_id)
        .join(Room, Room.id == Message.room_id)
        .where(
            MessageFeedback.user_id == user_id, Correction.dismissed.is_(False), Correction.learned.is_(False)
        )
    )
    if category is not None:
        query = query.where(Correction.category == category)
    if language is not None:
        query = query.where(Room.language == language)
    if before_id is not None:
        query = query.where(Correction.id < before_id)
    async with sessionmaker().begin() as session:
        rows = (await session.execute(query.order_by(Correction.id.desc()).limit(limit + 1))).all()
    items = [
        Mistake(
            correction_id=correction.id, message_id=message.id, room_id=message.room_id, room_title=title,
            language=room_language, said=message.content, original=correction.original,
            replacement=correction.replacement, category=correction.category, explanation=correction.explanation,
            said_at=message.created_at,
        )
        for correction, message, title, room_language in rows[:limit]
    ]  # fmt: skip
    return MistakePage(items=items, next_cursor=items[-1].correction_id if len(rows) > limit else None)


async def mark_learned(user_id: int, correction_id: int, learned: bool = True) -> None:
    """Take a mistake out of the log (or put it back); CorrectionNotFound for others' and missing ones."""
    async with sessionmaker().begin() as session:
        correction = await owned_correction(session, user_id, correction_id)
        correction.learned = learned
