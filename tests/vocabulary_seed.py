"""Rooms, lines and notebook entries written straight to the database, for the notebook and progress tests."""

from datetime import datetime

from db.engine import sessionmaker
from db.models import Correction, Message, MessageFeedback
from services import rooms, vocabulary
from services.rooms import RoomDraft
from services.vocabulary import SavedWordInfo


async def room_with_reply(
    user_id: int, reply: str, language: str = 'en', title: str = 'Café'
) -> tuple[int, int]:
    """(room id, reply id): a room whose only message is an AI reply `reply`."""
    room = await rooms.create_room(
        user_id, RoomDraft(title, language, 'Ordering coffee.', 'Barista', 'Me', 'A2')
    )
    async with sessionmaker().begin() as session:
        message = Message(room_id=room.id, user_id=user_id, role='assistant', content=reply)
        session.add(message)
        await session.flush()
        return room.id, message.id


async def saved(user_id: int, word: str, meaning: str, reply: str, lemma: str | None = None) -> SavedWordInfo:
    """A word saved from a new reply `reply` (as the word popup's `Save word` does)."""
    _, reply_id = await room_with_reply(user_id, reply)
    return await vocabulary.save_word(user_id, reply_id, lemma or word, meaning, 'noun', word=word)


async def learner_line(
    user_id: int,
    room_id: int,
    text: str,
    at: datetime,
    corrections: list[tuple[str, str, str]] | None = None,
    dismissed: bool = False,
    recording_id: int | None = None,
) -> int:
    """A learner line sent at `at`; with `corrections` [(original, replacement, category)] its feedback is ready."""
    async with sessionmaker().begin() as session:
        message = Message(
            room_id=room_id,
            user_id=user_id,
            role='user',
            content=text,
            created_at=at,
            recording_id=recording_id,
        )
        session.add(message)
        await session.flush()
        if corrections is not None:
            session.add(
                MessageFeedback(
                    message_id=message.id, user_id=user_id, status='ready', mode='full', created_at=at
                )
            )
            await session.flush()
            for position, (original, replacement, category) in enumerate(corrections):
                start = text.find(original)
                session.add(
                    Correction(
                        message_id=message.id, position=position, original=original, replacement=replacement,
                        category=category, severity='high', explanation=f'Use "{replacement}".', start=start,
                        end=start + len(original), dismissed=dismissed,
                    )
                )  # fmt: skip
        return message.id
