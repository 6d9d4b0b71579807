"""The vocabulary notebook: saving from corrections and reports, the paged list, deleting, exports, audio.

Words from AI replies are saved by services/vocabulary.py (`save_word`); every way in ends in the
same one-entry-per-(learner, language, lemma) upsert (services/word_entries.py).
"""

import asyncio
import csv
import hashlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import Message, Room, SavedWord
from i18n import _, lazy_text
from services import feedback_store, tts, word_entries
from services.errors import InvalidInput, MessageNotFound, WordNotFound
from services.like import LIKE_ESCAPE, contains_pattern
from services.vocabulary import (
    LEMMA_MAX_LENGTH,
    MEANING_MAX_LENGTH,
    cefr_level,
    meaning_length_error,
    word_length_error,
)
from services.word_entries import NotebookEntry

SEARCH_MAX_LENGTH = 100
EXPORT_MAX_ENTRIES = 20_000  # one download stays bounded; far above any real notebook
ANKI_MODEL_ID = 1_733_140_014  # fixed: re-imported decks update their notes instead of duplicating
# The CSV's header row, in the language of whoever exports (the English names are the columns' ids).
CSV_COLUMNS = (
    lazy_text('word'),
    lazy_text('form'),
    lazy_text('meaning'),
    lazy_text('part_of_speech'),
    lazy_text('level'),
    lazy_text('language'),
    lazy_text('sentence'),
    lazy_text('source'),
    lazy_text('added'),
    lazy_text('due'),
)


@dataclass(frozen=True, slots=True)
class EntryPage:
    items: list[NotebookEntry]  # newest first
    next_cursor: int | None  # `before_id` of the next (older) page; None on the last


@dataclass(frozen=True, slots=True)
class AnkiNames:
    """What the deck shows of itself (note type, fields, card, deck), in the exporting learner's language."""

    note_type: str
    word: str
    meaning: str
    sentence: str
    level: str
    card: str
    deck: str


@dataclass(frozen=True, slots=True)
class ExportFile:
    content: bytes
    filename: str
    media_type: str


async def save_correction_word(user_id: int, correction_id: int) -> NotebookEntry:
    """`Save` on a correction: its replacement goes into the notebook, with the corrected sentence.

    Raises CorrectionNotFound (missing or someone else's) or InvalidInput (an empty replacement: a
    deleted word is nothing to learn).
    """
    async with sessionmaker().begin() as session:
        correction = await feedback_store.owned_correction(session, user_id, correction_id)
        lemma = ' '.join(correction.replacement.split())[:LEMMA_MAX_LENGTH]
        if not lemma:
            raise InvalidInput(
                {'correction': lazy_text('This correction removes words; there is no word to save.')}
            )
        message = await session.get(Message, correction.message_id)
        room = await session.get(Room, message.room_id) if message else None
        assert message is not None and room is not None
        corrected = (
            message.content[: correction.start] + correction.replacement + message.content[correction.end :]
        )
        meaning = correction.explanation.strip() or _('Instead of "{original}"', original=correction.original)
        values = dict(
            pos='', meaning=meaning[:MEANING_MAX_LENGTH], form='', origin='correction',
            source_sentence=word_entries.sentence_with(corrected, lemma), source_message_id=message.id,
        )  # fmt: skip
        language = room.language
    return await _save(user_id, language, lemma, values)


async def save_report_word(user_id: int, message_id: int, word: str, meaning: str = '') -> NotebookEntry:
    """A word from the session report, with the learner's or the partner's line it came from.

    Raises MessageNotFound (not one of your messages) or InvalidInput (blank or too long).
    """
    lemma, meaning = ' '.join(word.split()), meaning.strip()
    if not lemma or len(lemma) > LEMMA_MAX_LENGTH:
        raise InvalidInput({'word': word_length_error()})
    if len(meaning) > MEANING_MAX_LENGTH:
        raise InvalidInput({'meaning': meaning_length_error()})
    async with sessionmaker().begin() as session:
        message = await session.get(Message, message_id)
        if message is None or message.user_id != user_id:
            raise MessageNotFound
        room = await session.get(Room, message.room_id)
        assert room is not None
        language = room.language
        values = dict(
            pos='', meaning=meaning, form='', origin='report', source_message_id=message.id,
            source_sentence=word_entries.sentence_with(message.content, lemma),
        )  # fmt: skip
    return await _save(user_id, language, lemma, values)


async def entries(user_id: int, search: str = '', before_id: int | None = None, limit: int = 20) -> EntryPage:
    """One page of the notebook, newest first; `search` matches the word or its meaning (literally)."""
    limit = max(1, min(limit, 100))
    query = _with_room(select(SavedWord, Message.room_id)).where(SavedWord.user_id == user_id)
    if search := search.strip()[:SEARCH_MAX_LENGTH]:
        pattern = contains_pattern(search)
        query = query.where(
            or_(
                SavedWord.lemma.ilike(pattern, escape=LIKE_ESCAPE),
                SavedWord.meaning.ilike(pattern, escape=LIKE_ESCAPE),
            )
        )
    if before_id is not None:
        query = query.where(SavedWord.id < before_id)
    async with sessionmaker().begin() as session:
        rows = (await session.execute(query.order_by(SavedWord.id.desc()).limit(limit + 1))).all()
    items = [word_entries.entry_of(row, room_id) for row, room_id in rows[:limit]]
    return EntryPage(items=items, next_cursor=items[-1].id if len(rows) > limit else None)


async def get_entry(user_id: int, word_id: int) -> NotebookEntry:
    async with sessionmaker().begin() as session:
        row, room_id = await owned_entry(session, user_id, word_id)
        return word_entries.entry_of(row, room_id)


async def delete_word(user_id: int, word_id: int) -> None:
    """Remove an entry (and its review history). Raises WordNotFound."""
    async with sessionmaker().begin() as session:
        await owned_entry(session, user_id, word_id)
        await session.execute(delete(SavedWord).where(SavedWord.id == word_id))


async def word_audio(user_id: int, word_id: int) -> tts.Speech:
    """The word read aloud in its language (cached like every clip). Raises WordNotFound, TTSUnavailable."""
    entry = await get_entry(user_id, word_id)
    return await tts.synthesize(entry.lemma, entry.language)


async def export_csv(user_id: int) -> ExportFile:
    """Every entry (oldest first) as CSV, UTF-8 with a BOM so spreadsheet programs read Korean correctly."""
    rows = await _all_entries(user_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column) for column in CSV_COLUMNS])
    deleted = _('(message deleted)')
    for entry in rows:
        source = entry.source_link or (deleted if entry.message_deleted else '')
        writer.writerow(
            [entry.lemma, entry.form, entry.meaning, entry.pos, entry.level or '', entry.language,
             entry.source_sentence or '', source, entry.created_at.date().isoformat(), entry.due.isoformat()]
        )  # fmt: skip
    return ExportFile(('\ufeff' + buffer.getvalue()).encode(), 'speakroom-vocabulary.csv', 'text/csv')


async def export_anki(user_id: int) -> ExportFile:
    """Every entry as an Anki deck (.apkg): the word on the front, meaning and sentence on the back."""
    rows = await _all_entries(user_id)
    names = AnkiNames(
        note_type=_('SpeakRoom word'), word=_('Word'), meaning=_('Meaning'), sentence=_('Sentence'),
        level=_('Level'), card=_('Meaning → word'), deck=_('SpeakRoom vocabulary'),
    )  # fmt: skip
    data = await asyncio.to_thread(_anki_package, user_id, rows, names)  # zip and SQLite: off the event loop
    return ExportFile(data, 'speakroom-vocabulary.apkg', 'application/octet-stream')


async def owned_entry(session: AsyncSession, user_id: int, word_id: int) -> tuple[SavedWord, int | None]:
    """The entry with its message's room id when it is `user_id`'s; WordNotFound otherwise."""
    found = (
        await session.execute(_with_room(select(SavedWord, Message.room_id)).where(SavedWord.id == word_id))
    ).first()
    if found is None or found[0].user_id != user_id:
        raise WordNotFound
    return found[0], found[1]


def _with_room(query):
    return query.outerjoin(Message, Message.id == SavedWord.source_message_id)


async def _save(user_id: int, language: str, lemma: str, values: dict) -> NotebookEntry:
    level = await cefr_level(lemma, language)
    async with sessionmaker().begin() as session:
        row = await word_entries.upsert(session, user_id, language, lemma, level=level, **values)
        _, room_id = await owned_entry(session, user_id, row.id)
        return word_entries.entry_of(row, room_id)


async def _all_entries(user_id: int) -> list[NotebookEntry]:
    query = (
        _with_room(select(SavedWord, Message.room_id))
        .where(SavedWord.user_id == user_id)
        .order_by(SavedWord.id)
        .limit(EXPORT_MAX_ENTRIES)
    )
    async with sessionmaker().begin() as session:
        return [word_entries.entry_of(row, room_id) for row, room_id in (await session.execute(query)).all()]


def _anki_package(user_id: int, rows: list[NotebookEntry], names: AnkiNames) -> bytes:
    import genanki  # only an export needs it

    model = genanki.Model(
        ANKI_MODEL_ID,
        names.note_type,
        fields=[
            {'name': names.word},
            {'name': names.meaning},
            {'name': names.sentence},
            {'name': names.level},
        ],
        templates=[
            {
                'name': names.card,
                'qfmt': f'<div class="cue">{{{{{names.meaning}}}}}</div>',
                'afmt': f'{{{{FrontSide}}}}<hr id="answer"><div class="word">{{{{{names.word}}}}}</div>'
                f'<div class="sentence">{{{{{names.sentence}}}}}</div><div class="level">{{{{{names.level}}}}}</div>',
            }
        ],
    )
    deck_id = int.from_bytes(hashlib.sha256(f'speakroom-deck-{user_id}'.encode()).digest()[:4]) | 1 << 30
    deck = genanki.Deck(deck_id, names.deck)
    for entry in rows:
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[
                    _html(entry.lemma),
                    _html(entry.meaning),
                    _html(entry.source_sentence or ''),
                    entry.level or '',
                ],
                guid=genanki.guid_for('speakroom', user_id, entry.language, entry.lemma),
            )
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / 'deck.apkg'
        genanki.Package(deck).write_to_file(str(path))
        return path.read_bytes()


def _html(text: str) -> str:
    """Anki fields are HTML: the learner's and the model's text must show as text, never run."""
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
