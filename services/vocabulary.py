"""Words from AI replies: their meaning in context (TASK: word_gloss) and the learner's saved words.

The CEFR level of an English word is computed offline by `cefrpy` (numbers never come from the
model); other languages have no level (None). A saved word is one entry per (learner, language,
lemma): saving it again changes nothing.
"""

import asyncio
import functools
import re
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Message, Room, SavedWord, User
from i18n import LazyText, lazy_text
from services import help_quota, llm_tasks, word_entries, word_lookups
from services.errors import HelperUnavailable, InvalidInput, MessageNotFound, WordNotInReply
from services.feedback_prompts import gloss_prompt

TASK = 'word_gloss'
WORD_MAX_LENGTH = 60
CONTEXT_CHARACTERS = 160  # of the reply on each side of the word, sent as its sentence
LEMMA_MAX_LENGTH = 100
MEANING_MAX_LENGTH = 500
POS_MAX_LENGTH = 40
LETTERS = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")


class GlossModel(BaseModel):
    """The `word_gloss` answer (LEARNING.md)."""

    lemma: str
    pos: str = ''
    meaning: str
    note: str = ''


@dataclass(frozen=True, slots=True)
class Gloss:
    message_id: int
    word: str  # as clicked
    language: str  # the reply's (room's) language
    lemma: str
    pos: str
    meaning: str  # in the learner's language
    note: str
    level: str | None  # CEFR (A1-C2) for English words, computed offline; None otherwise


@dataclass(frozen=True, slots=True)
class SavedWordInfo:
    id: int
    language: str
    lemma: str
    pos: str
    meaning: str
    level: str | None
    source_message_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class WordPage:
    items: list[SavedWordInfo]  # newest first
    next_cursor: int | None  # `before_id` of the next (older) page; None on the last


async def gloss(user_id: int, message_id: int, word_or_phrase: str) -> Gloss:
    """The meaning of a word (or short phrase) of an AI reply, as used there; one help unit.

    Raises MessageNotFound (not an AI reply of yours), InvalidInput (blank or too long), WordNotInReply,
    HelpQuotaExceeded, or HelperUnavailable (its text is the note to show).
    """
    word = ' '.join(word_or_phrase.split())
    if not word or len(word) > WORD_MAX_LENGTH:
        raise InvalidInput(
            {'word': lazy_text('Choose a word or phrase of at most {max} characters.', max=WORD_MAX_LENGTH)}
        )
    async with sessionmaker().begin() as session:
        message, room, user = await _reply_room_user(session, user_id, message_id)
        at = message.content.lower().find(word.lower())
        if at < 0:
            raise WordNotInReply
        sentence = message.content[max(0, at - CONTEXT_CHARACTERS) : at + len(word) + CONTEXT_CHARACTERS]
        system, text = gloss_prompt(word, sentence, room.language, user.native_language)
        language = room.language
    if note := await llm_tasks.unavailable_note(TASK):
        raise HelperUnavailable(note)
    charged = await help_quota.consume(user_id)
    try:
        answer = await llm_tasks.structured(TASK, GlossModel, system, text, max_tokens=250)
    except HelperUnavailable:
        if not charged.unlimited:
            await help_quota.refund(user_id, charged.day)
        raise
    assert answer.data is not None
    lemma = answer.data.lemma.strip()[:LEMMA_MAX_LENGTH] or word
    level = await cefr_level(lemma, language)
    await word_lookups.record(user_id, message_id, lemma, level)  # a new word of this session's report
    return Gloss(
        message_id=message_id, word=word, language=language, lemma=lemma,
        pos=answer.data.pos.strip()[:POS_MAX_LENGTH], meaning=answer.data.meaning.strip()[:MEANING_MAX_LENGTH],
        note=answer.data.note.strip(), level=level,
    )  # fmt: skip


async def save_word(
    user_id: int, message_id: int, lemma: str, meaning: str = '', pos: str = '', word: str = ''
) -> SavedWordInfo:
    """Keep a word from the reply `message_id` (typically a Gloss's lemma, meaning and pos); free.

    `word` is the form clicked (a Gloss's `word`): its sentence of the reply is kept with the entry
    for review. The language is the reply's; the level is computed here. Saving the same lemma again
    returns the existing entry unchanged. Raises MessageNotFound or InvalidInput (blank or too long).
    """
    lemma, meaning, pos, word = ' '.join(lemma.split()), meaning.strip(), pos.strip(), ' '.join(word.split())
    errors = {}
    if not lemma or len(lemma) > LEMMA_MAX_LENGTH:
        errors['lemma'] = word_length_error()
    if len(meaning) > MEANING_MAX_LENGTH:
        errors['meaning'] = meaning_length_error()
    if len(pos) > POS_MAX_LENGTH:
        errors['pos'] = lazy_text('The part of speech must be at most {max} characters.', max=POS_MAX_LENGTH)
    if errors:
        raise InvalidInput(errors)
    async with sessionmaker().begin() as session:
        message, room, _ = await _reply_room_user(session, user_id, message_id)
        language = room.language
        form = word[:LEMMA_MAX_LENGTH] if word and word.casefold() != lemma.casefold() else ''
        sentence = word_entries.sentence_with(message.content, form or lemma)
    level = await cefr_level(lemma, language)
    async with sessionmaker().begin() as session:
        row = await word_entries.upsert(
            session, user_id, language, lemma, pos=pos, meaning=meaning, level=level, form=form,
            source_sentence=sentence, source_message_id=message_id, origin='reply',
        )  # fmt: skip
        return _info(row)


async def saved_words(user_id: int, before_id: int | None = None, limit: int = 50) -> WordPage:
    """One page of the learner's saved words, newest first; pass `next_cursor` as `before_id` for more."""
    limit = max(1, min(limit, 100))
    query = select(SavedWord).where(SavedWord.user_id == user_id)
    if before_id is not None:
        query = query.where(SavedWord.id < before_id)
    async with sessionmaker().begin() as session:
        rows = (await session.execute(query.order_by(SavedWord.id.desc()).limit(limit + 1))).scalars().all()
    items = [_info(row) for row in rows[:limit]]
    return WordPage(items=items, next_cursor=items[-1].id if len(rows) > limit else None)


def word_length_error() -> LazyText:
    return lazy_text('A word of 1 to {max} characters is required.', max=LEMMA_MAX_LENGTH)


def meaning_length_error() -> LazyText:
    return lazy_text('The meaning must be at most {max} characters.', max=MEANING_MAX_LENGTH)


async def cefr_level(word: str, language: str) -> str | None:
    """The CEFR level of an English word or phrase (its hardest known word), offline; None otherwise."""
    if language != 'en':
        return None
    return await asyncio.to_thread(_english_level, word.lower())


def _english_level(text: str) -> str | None:
    analyzer = _analyzer()
    levels = [analyzer.get_average_word_level_CEFR(word) for word in LETTERS.findall(text)]
    known = [level for level in levels if level is not None]
    return str(max(known, key=lambda level: level.value)) if known else None


@functools.cache
def _analyzer():
    from cefrpy import CEFRAnalyzer  # loads its word list (~0.4 s): on first use, in a worker thread

    return CEFRAnalyzer()


async def _reply_room_user(
    session: AsyncSession, user_id: int, message_id: int
) -> tuple[Message, Room, User]:
    message = await session.get(Message, message_id)
    if message is None or message.user_id != user_id or message.role != 'assistant':
        raise MessageNotFound
    room, user = await session.get(Room, message.room_id), await session.get(User, user_id)
    assert room is not None and user is not None
    return message, room, user


def _info(row: SavedWord) -> SavedWordInfo:
    return SavedWordInfo(
        id=row.id, language=row.language, lemma=row.lemma, pos=row.pos, meaning=row.meaning, level=row.level,
        source_message_id=row.source_message_id, created_at=row.created_at,
    )  # fmt: skip
