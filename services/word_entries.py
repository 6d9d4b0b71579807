"""Notebook entries (saved words): the one-statement save and the entry as pages and the API see it.

Shared by services/vocabulary.py (words from replies), services/notebook.py (from corrections and
reports, listing, exports) and services/vocabulary_review.py (FSRS review).
"""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import SavedWord, utcnow
from db.upsert import session_insert

SENTENCE_MAX_LENGTH = 300
SENTENCE_END = re.compile(r'(?<=[.!?。！？])\s+|\n+')
ORIGINS = ('reply', 'correction', 'report')


@dataclass(frozen=True, slots=True)
class NotebookEntry:
    id: int
    language: str
    lemma: str
    form: str  # as it stood in the sentence ('' when it is the lemma itself)
    pos: str
    meaning: str
    level: str | None  # CEFR (English only), computed offline
    origin: str  # one of ORIGINS
    source_sentence: str | None  # kept when the message is deleted
    source_message_id: int | None  # None once the message was deleted
    source_room_id: int | None  # the message's room (None with it)
    due: datetime
    state: int  # fsrs.State value
    created_at: datetime

    @property
    def message_deleted(self) -> bool:
        return self.source_message_id is None and bool(self.source_sentence)

    @property
    def source_link(self) -> str | None:
        """`/rooms/{id}?message={mid}`, or None when the message is gone."""
        if self.source_message_id is None or self.source_room_id is None:
            return None
        return f'/rooms/{self.source_room_id}?message={self.source_message_id}'


def sentence_with(text: str, word: str) -> str:
    """The sentence of `text` holding `word` (case-insensitive), else its first one; at most 300 characters."""
    sentences = [part.strip() for part in SENTENCE_END.split(text) if part and part.strip()] or ['']
    needle = word.casefold()
    chosen = next(
        (sentence for sentence in sentences if needle and needle in sentence.casefold()), sentences[0]
    )
    if len(chosen) <= SENTENCE_MAX_LENGTH:
        return chosen
    at = max(0, chosen.casefold().find(needle))
    start = max(0, min(at - SENTENCE_MAX_LENGTH // 2, len(chosen) - SENTENCE_MAX_LENGTH))
    return chosen[start : start + SENTENCE_MAX_LENGTH]


async def upsert(
    session: AsyncSession, user_id: int, language: str, lemma: str, **values: object
) -> SavedWord:
    """Insert the entry unless (learner, language, lemma) exists; either way return the stored row.

    One statement: a double click or two tabs saving at once still make one entry, and saving again
    changes nothing (the first source sentence and the review schedule stay).
    """
    insert = session_insert(session)(SavedWord)
    await session.execute(
        insert.values(
            user_id=user_id, language=language, lemma=lemma, due=utcnow(), **values
        ).on_conflict_do_nothing()
    )
    row = await session.scalar(
        select(SavedWord).where(
            SavedWord.user_id == user_id, SavedWord.language == language, SavedWord.lemma == lemma
        )
    )
    assert row is not None
    return row


def entry_of(row: SavedWord, room_id: int | None) -> NotebookEntry:
    return NotebookEntry(
        id=row.id, language=row.language, lemma=row.lemma, form=row.form, pos=row.pos, meaning=row.meaning,
        level=row.level, origin=row.origin, source_sentence=row.source_sentence,
        source_message_id=row.source_message_id, source_room_id=room_id if row.source_message_id else None,
        due=row.due, state=row.state, created_at=row.created_at,
    )  # fmt: skip
