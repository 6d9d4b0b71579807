"""Words the learner looked up in replies, saved or not: the session report counts them as new words."""

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.learning_models import WordLookup
from db.models import Message


async def record(user_id: int, message_id: int, lemma: str, level: str | None) -> None:
    """Remember that `lemma` was looked up in the reply `message_id` (once per reply and lemma)."""
    try:
        async with sessionmaker().begin() as session:
            exists = await session.scalar(
                select(WordLookup.id).where(WordLookup.message_id == message_id, WordLookup.lemma == lemma)
            )
            if exists is None:
                session.add(WordLookup(user_id=user_id, message_id=message_id, lemma=lemma, level=level))
    except IntegrityError:  # the same look-up from another tab at the same moment: one row is enough
        pass


async def looked_up(
    session: AsyncSession, messages_in_range: ColumnElement[bool], leave_out: set[str]
) -> list[tuple[str, str | None, int]]:
    """(lemma, level, reply id) of the words looked up in the replies `messages_in_range` selects, in the
    order they were looked up, leaving out lemmas in `leave_out` (lower case)."""
    rows = (
        await session.execute(
            select(WordLookup.lemma, WordLookup.level, WordLookup.message_id)
            .join(Message, Message.id == WordLookup.message_id)
            .where(messages_in_range)
            .order_by(WordLookup.id)
        )
    ).all()
    found, seen = [], set(leave_out)
    for lemma, level, message_id in rows:
        if lemma.lower() not in seen:
            seen.add(lemma.lower())
            found.append((lemma, level, message_id))
    return found
