"""Sessions and their reports through the fake server: figures by the app, one coach note by the model."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from db.engine import sessionmaker
from db.models import Message, Recording, utcnow
from services import accounts, chat, feedback, generation, help_quota, practice_sessions, rooms, vocabulary
from services.errors import NothingToReport, SessionNotFound
from services.rooms import RoomDraft
from services.session_report import PLAIN_NOTE, markdown
from tests.fakes.openai_server import FakeLLMServer

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')

FIXES = {
    'Yesterday I go to the park.': ('Yesterday I went to the park.', 'go', 'went', 'verb_tense'),
    'I saw a elephant.': ('I saw an elephant.', 'a elephant', 'an elephant', 'article'),
}


def scripted_feedback(body: dict) -> dict:
    """The fake teacher: one edit for the two lines of FIXES, none for any other line."""
    line = body['messages'][-1]['content'].split('The learner wrote: ')[-1]
    if line not in FIXES:
        return {'has_errors': False, 'corrected': line, 'natural_alternative': '', 'corrections': []}
    corrected, original, replacement, category = FIXES[line]
    return {
        'has_errors': True,
        'corrected': corrected,
        'natural_alternative': '',
        'corrections': [
            {'original': original, 'replacement': replacement, 'category': category, 'severity': 'high',
             'explanation': f'{category} 설명'}
        ],
    }  # fmt: skip


async def learner_and_room(mode: str = 'gentle', name: str = 'mina') -> tuple[int, int]:
    user = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2', feedback_mode=mode)
    )
    return user.id, room.id


async def say(user_id: int, room_id: int, text: str) -> int:
    turn = await chat.send_message(user_id, room_id, text)
    assert turn is not None and turn.user_message is not None
    await generation.wait(turn.reply.id)
    await feedback.wait_feedback(user_id, turn.user_message.id, timeout_seconds=10)
    return turn.user_message.id


async def say_aloud(user_id: int, room_id: int, text: str, seconds: float, hard_words: list[str]) -> None:
    async with sessionmaker().begin() as session:
        recording = Recording(
            user_id=user_id, room_id=room_id, mime_type='audio/webm', data=b'x', duration_seconds=seconds,
            transcript=text, words=json.dumps([]),
        )  # fmt: skip
        session.add(recording)
        await session.flush()
        line = Message(
            room_id=room_id, user_id=user_id, role='user', content=text, recording_id=recording.id,
            hard_words=json.dumps(hard_words),
        )  # fmt: skip
        session.add(line)
    feedback.start_feedback(user_id, line.id)
    await feedback.wait_feedback(user_id, line.id, timeout_seconds=10)


async def seeded_session(fake_llm: FakeLLMServer, mode: str = 'gentle') -> tuple[int, int]:
    fake_llm.task_replies['turn_feedback'] = scripted_feedback
    fake_llm.reply = 'The exquisite cake was delicious.'
    user_id, room_id = await learner_and_room(mode)
    for line in ('Yesterday I go to the park.', 'I saw a elephant.', 'I like coffee.'):
        await say(user_id, room_id, line)
    await say_aloud(user_id, room_id, 'I walked home quickly', 6.0, ['quickly'])
    return user_id, room_id


async def test_report_figures_are_counted_by_the_app(fake_llm: FakeLLMServer) -> None:
    """Turns, words, error-free share, errors by category, new words and speaking figures are exact."""
    fake_llm.task_replies['session_report'] = {
        'note': 'Good work on past tense!',
        'focus_next': [{'topic': 'Articles', 'why': 'a/an before vowels'}],
    }
    user_id, room_id = await seeded_session(fake_llm)
    report = await practice_sessions.end_session(user_id, room_id)
    figures = report.figures
    assert (figures.learner_turns, figures.words, figures.mean_words_per_turn, figures.distinct_words) == (
        4, 17, 4.2, 14,
    )  # fmt: skip
    assert (figures.checked_turns, figures.error_free_turns, figures.error_free_share) == (4, 2, 0.5)
    assert [(item.category, item.count) for item in figures.errors] == [('article', 1), ('verb_tense', 1)]
    example = figures.errors[1].examples[0]
    assert (example.said, example.original, example.replacement) == (
        'Yesterday I go to the park.',
        'go',
        'went',
    )
    assert [(pair.said, pair.better) for pair in figures.better] == [
        ('Yesterday I go to the park.', 'Yesterday I went to the park.'),
        ('I saw a elephant.', 'I saw an elephant.'),
    ]
    assert [(word.word, word.level, word.source) for word in figures.new_words] == [
        ('exquisite', 'B2', 'partner')
    ]
    assert 'delicious' not in {word.word for word in figures.new_words}  # A1: not above the room's A2
    assert (figures.spoken_turns, figures.words_per_minute, figures.hard_words) == (1, 40.0, ('quickly',))
    assert (report.note, report.note_from_model) == ('Good work on past tense!', True)
    assert [(point.topic, point.why) for point in report.focus_next] == [('Articles', 'a/an before vowels')]
    assert len(fake_llm.helper_requests_for('session_report')) == 1
    assert (await help_quota.status(user_id)).used == 5  # four lines checked, one report
    assert await practice_sessions.get_report(user_id, report.id) == report  # stored: reopening is the same
    assert '- Article: 1' in markdown(report)


async def test_report_still_made_when_the_model_fails(fake_llm: FakeLLMServer) -> None:
    """A failing `session_report` request leaves every figure and a plain note; its unit is given back."""
    user_id, room_id = await seeded_session(fake_llm)
    fake_llm.fail_helpers_next(500, times=3)
    report = await practice_sessions.end_session(user_id, room_id)
    assert (report.note, report.note_from_model, report.focus_next) == (PLAIN_NOTE, False, ())
    assert report.figures.learner_turns == 4 and len(report.figures.errors) == 2
    assert (await help_quota.status(user_id)).used == 4


async def test_sessions_are_split_by_end_session_and_by_a_pause(fake_llm: FakeLLMServer) -> None:
    """After `End session` or 30 minutes of silence the next learner line starts a new session."""
    user_id, room_id = await learner_and_room()
    await say(user_id, room_id, 'Hello there.')
    first = await practice_sessions.end_session(user_id, room_id)
    assert first.figures.learner_turns == 1
    with pytest.raises(NothingToReport):
        await practice_sessions.end_session(user_id, room_id)
    old_id = await say(user_id, room_id, 'One coffee please.')
    async with sessionmaker().begin() as session:
        await session.execute(
            update(Message).where(Message.id >= old_id).values(created_at=utcnow() - timedelta(minutes=45))
        )
    await say(user_id, room_id, 'A tea too.')
    await say(user_id, room_id, 'Thank you.')
    second = await practice_sessions.end_session(user_id, room_id)
    assert second.figures.learner_turns == 2  # the line before the pause belongs to an earlier session
    page = await practice_sessions.list_reports(user_id, limit=1)
    assert [item.id for item in page.items] == [second.id] and page.next_cursor == second.id
    older = await practice_sessions.list_reports(user_id, before_id=page.next_cursor)
    assert [item.id for item in older.items] == [first.id] and older.next_cursor is None
    other_id, _ = await learner_and_room(name='jun')
    with pytest.raises(SessionNotFound):
        await practice_sessions.get_report(other_id, first.id)


async def test_end_only_lines_are_checked_when_the_session_ends(fake_llm: FakeLLMServer) -> None:
    """`End only`: nothing is asked during the chat; ending the session checks the lines for the report."""
    user_id, room_id = await seeded_session(fake_llm, mode='end_only')
    assert fake_llm.helper_requests_for('turn_feedback') == []
    report = await practice_sessions.end_session(user_id, room_id)
    assert len(fake_llm.helper_requests_for('turn_feedback')) == 4
    assert [(item.category, item.count) for item in report.figures.errors] == [
        ('article', 1),
        ('verb_tense', 1),
    ]
    assert report.figures.error_free_share == 0.5


async def test_words_looked_up_but_not_saved_are_new_words_of_the_report(fake_llm: FakeLLMServer) -> None:
    """A word only looked up in a reply is listed once with its reply (to save it from the report); a
    word looked up and saved is listed once, as saved, and no longer among the partner's words."""
    user_id, room_id = await seeded_session(fake_llm)
    messages = await chat.list_messages(user_id, room_id)
    reply_id = next(message.id for message in reversed(messages) if message.role == 'assistant')
    fake_llm.task_replies['word_gloss'] = {'lemma': 'cake', 'pos': 'noun', 'meaning': '케이크'}
    await vocabulary.gloss(user_id, reply_id, 'cake')
    await vocabulary.gloss(user_id, reply_id, 'cake')  # looked up twice: one new word
    fake_llm.task_replies['word_gloss'] = {'lemma': 'exquisite', 'pos': 'adjective', 'meaning': '정교한'}
    gloss = await vocabulary.gloss(user_id, reply_id, 'exquisite')
    await vocabulary.save_word(user_id, reply_id, gloss.lemma, gloss.meaning, gloss.pos, gloss.word)
    report = await practice_sessions.end_session(user_id, room_id)
    assert [(word.word, word.source, word.message_id) for word in report.figures.new_words] == [
        ('exquisite', 'saved', None),
        ('cake', 'looked_up', reply_id),
    ]
