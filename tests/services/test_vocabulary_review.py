"""The notebook (saves from replies, corrections and reports; one entry per lemma) and FSRS review."""

import csv
import io
import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from i18n import using_language
from services import accounts, chat_edits, notebook, vocabulary, vocabulary_review
from services.errors import CorrectionNotFound, MessageNotFound, WordNotFound
from services.vocabulary_review import ReviewRating
from tests.vocabulary_seed import learner_line, room_with_reply, saved

pytestmark = pytest.mark.usefixtures('database')

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def learner(name: str = 'mina') -> int:
    return (
        await accounts.register(
            name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
        )
    ).id


async def test_saving_the_same_word_three_ways_gives_one_entry() -> None:
    """A reply, a correction and a report saving 'ticket' make one entry, with the first sentence kept."""
    user_id = await learner()
    first = await saved(user_id, 'ticket', '표', 'Here is your ticket. Enjoy the show.')
    again = await saved(user_id, 'ticket', 'another meaning', 'A ticket costs ten dollars.')
    room_id, _ = await room_with_reply(user_id, 'Hello.')
    line = await learner_line(user_id, room_id, 'I bought a tiket.', NOW, [('tiket', 'ticket', 'spelling')])
    corrections = await correction_ids(line)
    from_correction = await notebook.save_correction_word(user_id, corrections[0])
    from_report = await notebook.save_report_word(user_id, line, ' ticket ')
    [entry] = (await notebook.entries(user_id)).items
    assert again.id == first.id == from_correction.id == from_report.id == entry.id
    assert (entry.lemma, entry.meaning, entry.source_sentence, entry.origin) == (
        'ticket', '표', 'Here is your ticket.', 'reply',
    )  # fmt: skip


async def test_a_correction_saves_its_replacement_with_the_corrected_sentence() -> None:
    """`Save` on a correction keeps the replacement, its explanation and the line as corrected."""
    user_id = await learner()
    room_id, _ = await room_with_reply(user_id, 'How was your weekend?')
    line = await learner_line(
        user_id, room_id, 'Yesterday I goed to the park.', NOW, [('goed', 'went', 'verb_form')]
    )
    entry = await notebook.save_correction_word(user_id, (await correction_ids(line))[0])
    assert (entry.lemma, entry.meaning, entry.source_sentence) == (
        'went', 'Use "went".', 'Yesterday I went to the park.',
    )  # fmt: skip
    assert entry.source_link == f'/rooms/{room_id}?message={line}' and entry.level == 'A2'
    stranger = await learner('stranger')
    with pytest.raises(CorrectionNotFound):
        await notebook.save_correction_word(stranger, (await correction_ids(line))[0])
    with pytest.raises(MessageNotFound):
        await notebook.save_report_word(stranger, line, 'park')


async def test_a_deleted_message_keeps_the_sentence_and_shows_the_marker() -> None:
    """Deleting the source message keeps the entry's sentence; the link gives way to the marker."""
    user_id = await learner()
    entry = await saved(user_id, 'passport', '여권', 'Please have your passport ready.')
    assert entry.source_message_id is not None
    await chat_edits.delete_exchange(user_id, entry.source_message_id)
    [kept] = (await notebook.entries(user_id)).items
    assert kept.source_sentence == 'Please have your passport ready.'
    assert kept.message_deleted and kept.source_link is None


async def test_due_counts_follow_the_injected_clock() -> None:
    """New words are due at once; a Good rating moves the card out of the due list until FSRS says."""
    user_id = await learner()
    await saved(user_id, 'ticket', '표', 'Here is your ticket.')
    await saved(user_id, 'gate', '탑승구', 'Go to gate five.')
    later = datetime.now(UTC) + timedelta(seconds=1)
    assert await vocabulary_review.due_count(user_id, later) == 2
    card = await vocabulary_review.next_card(user_id, later)
    assert card is not None and card.entry.lemma == 'ticket'
    outcome = await vocabulary_review.review(user_id, card.entry.id, ReviewRating.good, later)
    assert await vocabulary_review.due_count(user_id, later) == 1
    assert await vocabulary_review.due_count(user_id, outcome.due) == 2
    assert await vocabulary_review.due_count(user_id, outcome.due - timedelta(seconds=1)) == 1


async def test_fsrs_schedule_matches_the_fsrs_package() -> None:
    """The same ratings at the same times give the due date and stability `fsrs` computes itself."""
    user_id = await learner()
    entry = await saved(user_id, 'ticket', '표', 'Here is your ticket.')
    reference, scheduler = Card(), Scheduler(enable_fuzzing=False)
    moment = datetime.now(UTC) + timedelta(seconds=1)
    for rating in (Rating.Good, Rating.Good, Rating.Hard, Rating.Again, Rating.Good, Rating.Easy):
        outcome = await vocabulary_review.review(user_id, entry.id, ReviewRating(int(rating)), moment)
        reference, _ = scheduler.review_card(reference, rating, review_datetime=moment)
        assert outcome.due == reference.due
        assert outcome.stability == pytest.approx(reference.stability)
        assert outcome.difficulty == pytest.approx(reference.difficulty)
        assert outcome.state == int(reference.state)
        moment = reference.due + timedelta(hours=3)


async def test_a_review_card_blanks_the_word_and_an_exact_answer_suggests_good() -> None:
    """The sentence shows a blank where the word stood; ' Passport ' pre-selects Good, 'pass' nothing."""
    user_id = await learner()
    await saved(user_id, 'passports', '여권', 'Show me your passports, please.', lemma='passport')
    card = await vocabulary_review.next_card(user_id, datetime.now(UTC) + timedelta(seconds=1))
    assert card is not None
    assert (card.cloze, card.cue, card.answer) == ('Show me your _____, please.', '여권', 'passports')
    assert vocabulary_review.suggested_rating('  PASSPORTS ', card) is ReviewRating.good
    assert vocabulary_review.suggested_rating('passport', card) is ReviewRating.good  # the lemma is right too
    assert vocabulary_review.suggested_rating('pass', card) is None
    assert vocabulary_review.suggested_rating('', card) is None


async def test_others_entries_are_not_found() -> None:
    """Review, delete and audio of another learner's entry all answer WordNotFound."""
    owner, stranger = await learner(), await learner('stranger')
    entry = await saved(owner, 'ticket', '표', 'Here is your ticket.')
    with pytest.raises(WordNotFound):
        await vocabulary_review.review(stranger, entry.id, ReviewRating.good)
    with pytest.raises(WordNotFound):
        await notebook.delete_word(stranger, entry.id)
    await notebook.delete_word(owner, entry.id)
    assert (await notebook.entries(owner)).items == []


async def test_csv_and_anki_exports_hold_every_entry(tmp_path: Path) -> None:
    """The CSV lists word, meaning, level, sentence and source; the .apkg's notes hold the same words."""
    user_id = await learner()
    first = await saved(user_id, 'ticket', '표 <b>', 'Here is your ticket.')
    await saved(user_id, '커피', 'coffee', '커피 한 잔 주세요.')
    exported = await notebook.export_csv(user_id)
    rows = list(csv.DictReader(io.StringIO(exported.content.decode('utf-8-sig'))))
    assert [(row['word'], row['meaning'], row['level']) for row in rows] == [
        ('ticket', '표 <b>', 'A1'),
        ('커피', 'coffee', ''),
    ]
    assert rows[0]['sentence'] == 'Here is your ticket.'
    assert rows[0]['source'].endswith(f'?message={first.source_message_id}')
    deck = await notebook.export_anki(user_id)
    with zipfile.ZipFile(io.BytesIO(deck.content)) as package:
        (tmp_path / 'collection.anki2').write_bytes(package.read('collection.anki2'))
    with sqlite3.connect(tmp_path / 'collection.anki2') as database:
        notes = [row[0].split('\x1f') for row in database.execute('SELECT flds FROM notes ORDER BY id')]
    assert sorted(note[:3] for note in notes) == sorted(
        [['ticket', '표 &lt;b&gt;', 'Here is your ticket.'], ['커피', 'coffee', '커피 한 잔 주세요.']]
    )


async def test_a_korean_export_names_its_columns_fields_and_deck_in_korean(tmp_path: Path) -> None:
    """CSV header, Anki field names and deck name in the exporter's language; the words stay as saved."""
    user_id = await learner()
    await saved(user_id, 'ticket', '표', 'Here is your ticket.')
    with using_language('ko'):
        exported = await notebook.export_csv(user_id)
        deck = await notebook.export_anki(user_id)
    header, row = list(csv.reader(io.StringIO(exported.content.decode('utf-8-sig'))))
    assert (header[:3], row[:3]) == (['단어', '형태', '뜻'], ['ticket', '', '표'])
    with zipfile.ZipFile(io.BytesIO(deck.content)) as package:
        (tmp_path / 'collection.anki2').write_bytes(package.read('collection.anki2'))
    with sqlite3.connect(tmp_path / 'collection.anki2') as database:
        models, decks = database.execute('SELECT models, decks FROM col').fetchone()
    [model] = json.loads(models).values()
    assert [field['name'] for field in model['flds']] == ['단어', '뜻', '문장', '레벨']
    assert '{{뜻}}' in model['tmpls'][0]['qfmt']
    assert 'SpeakRoom 단어장' in {deck['name'] for deck in json.loads(decks).values()}


async def test_due_words_for_the_partner_are_of_the_rooms_language() -> None:
    """At most three due words, of the room's language only, most overdue first."""
    user_id = await learner()
    for word in ('ticket', 'gate', 'luggage', 'boarding'):
        await saved(user_id, word, 'x', f'The {word} is here.')
    _, reply = await room_with_reply(user_id, '커피 주세요.', language='ko')
    await vocabulary.save_word(user_id, reply, '커피', 'coffee')
    from db.engine import sessionmaker

    async with sessionmaker().begin() as session:
        words = await vocabulary_review.due_lemmas(
            session, user_id, 'en', datetime.now(UTC) + timedelta(seconds=1)
        )
    assert words == ['ticket', 'gate', 'luggage']


async def correction_ids(message_id: int) -> list[int]:
    from sqlalchemy import select

    from db.engine import sessionmaker
    from db.models import Correction

    async with sessionmaker().begin() as session:
        return list(
            await session.scalars(
                select(Correction.id).where(Correction.message_id == message_id).order_by(Correction.position)
            )
        )
