"""Feedback on learner lines through the fake server, routed on the `TASK:` line."""

import json

import pytest

from db.engine import sessionmaker
from db.models import Message, Recording
from services import accounts, chat, export, feedback, generation, help_quota, llm_tasks, quota, rooms
from services.errors import CorrectionNotFound, InvalidInput, MessageNotFound
from services.feedback_explain import explain
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')

LINE = 'Yesterday I go to the school and buy a apple.'


def edit(original: str, replacement: str, category: str = 'verb_tense', severity: str = 'high') -> dict:
    return {
        'original': original,
        'replacement': replacement,
        'category': category,
        'severity': severity,
        'explanation': '과거 시제를 써야 해요.',
    }


def answer(corrected: str, *edits: dict) -> dict:
    return {
        'has_errors': bool(edits),
        'corrected': corrected,
        'natural_alternative': '',
        'corrections': list(edits),
    }


async def learner_and_room(mode: str = 'gentle', name: str = 'mina') -> tuple[int, int]:
    user = await accounts.register(name, f'{name}@example.com', 'password1', 'password1')
    room = await rooms.create_room(
        user.id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2', feedback_mode=mode)
    )
    return user.id, room.id


async def send_and_wait(user_id: int, room_id: int, text: str = LINE) -> feedback.FeedbackInfo:
    turn = await chat.send_message(user_id, room_id, text)
    assert turn is not None and turn.user_message is not None
    await generation.wait(turn.reply.id)
    return await feedback.wait_feedback(user_id, turn.user_message.id, timeout_seconds=10)


async def test_feedback_is_stored_with_offsets_the_app_computed(fake_llm: FakeLLMServer) -> None:
    """A JSON answer becomes corrections located in the learner's text, and `Better:` applies them."""
    fake_llm.task_replies['turn_feedback'] = answer(
        'Yesterday I went to the school and bought an apple.', edit('go', 'went'), edit('buy a', 'bought an')
    )
    user_id, room_id = await learner_and_room()
    info = await send_and_wait(user_id, room_id)
    assert (info.status, info.tier, info.has_errors) == ('ready', 'A', True)
    assert info.corrected == 'Yesterday I went to the school and bought an apple.'
    assert [(c.original, c.replacement, LINE[c.start : c.end]) for c in info.corrections] == [
        ('go', 'went', 'go'),
        ('buy a', 'bought an', 'buy a'),
    ]
    assert info.corrections[0].explanation == '과거 시제를 써야 해요.'
    assert [(part.kind, part.text.strip()) for part in info.corrections[1].diff] == [
        ('removed', 'buy a'),
        ('added', 'bought an'),
    ]
    sent = fake_llm.helper_requests_for('turn_feedback')[0]
    assert sent['messages'][0]['content'].startswith('TASK: turn_feedback\n')
    assert 'Korean' in sent['messages'][0]['content']  # explanations in the learner's own language
    assert sent['response_format']['json_schema']['name'] == 'turn_feedback'


async def test_the_partner_reply_carries_no_task_and_no_corrections(fake_llm: FakeLLMServer) -> None:
    """The streamed reply is asked for exactly as before: no TASK line, one request, its own text."""
    fake_llm.task_replies['turn_feedback'] = answer('Yesterday I went to the school.', edit('go', 'went'))
    user_id, room_id = await learner_and_room()
    await send_and_wait(user_id, room_id)
    assert len(fake_llm.requests) == 1 and fake_llm.requests[0]['stream'] is True
    assert not fake_llm.requests[0]['messages'][0]['content'].startswith('TASK:')
    reply = (await chat.list_messages(user_id, room_id))[-1]
    assert reply.content == fake_llm.reply


async def test_a_400_to_response_format_falls_back_to_the_schema_in_the_prompt(
    fake_llm: FakeLLMServer,
) -> None:
    """Rung B answers after a 400; the next line goes straight to B, and the admin sees it remembered."""
    fake_llm.refuse_response_format = True
    fake_llm.task_replies['turn_feedback'] = answer('Yesterday I went to the school.', edit('go', 'went'))
    user_id, room_id = await learner_and_room()
    info = await send_and_wait(user_id, room_id)
    assert (info.status, info.tier, [c.replacement for c in info.corrections]) == ('ready', 'B', ['went'])
    first, second = fake_llm.helper_requests_for('turn_feedback')
    assert 'response_format' in first and 'response_format' not in second
    assert 'JSON schema' in second['messages'][0]['content']
    await send_and_wait(user_id, room_id, 'I go home.')
    assert len(fake_llm.helper_requests_for('turn_feedback')) == 3  # no second 400
    remembered = await llm_tasks.helper_rungs()
    assert [(rung.model, rung.task, rung.rung) for rung in remembered] == [
        ('fake-model', 'turn_feedback', 'B')
    ]


async def test_a_plain_rewrite_is_diffed_into_edits(fake_llm: FakeLLMServer) -> None:
    """Rung C: no usable JSON, but a one-line rewrite; the app makes word edits of category 'other'."""
    fake_llm.refuse_response_format = True
    fake_llm.task_replies['turn_feedback'] = lambda body: (
        'I cannot do JSON.' if 'JSON schema' in body['messages'][0]['content'] else 'I went to the school.'
    )
    user_id, room_id = await learner_and_room()
    info = await send_and_wait(user_id, room_id, 'I go to the school.')
    assert (info.status, info.tier, info.corrected) == ('ready', 'C', 'I went to the school.')
    assert [(c.original, c.replacement, c.category) for c in info.corrections] == [('go', 'went', 'other')]


async def test_an_unparsable_answer_is_quietly_unavailable_and_refunded(fake_llm: FakeLLMServer) -> None:
    """Prose at every rung: the card is unavailable with a note, the chat goes on, no help unit is spent."""
    fake_llm.helpers_unparsable = True
    user_id, room_id = await learner_and_room()
    info = await send_and_wait(user_id, room_id)
    assert (info.status, info.note) == ('unavailable', 'Feedback is not available with this model.')
    assert (await help_quota.status(user_id)).used == 0
    assert (await chat.list_messages(user_id, room_id))[-1].status == 'complete'


async def test_an_edit_not_in_the_text_is_dropped(fake_llm: FakeLLMServer) -> None:
    """An invented `original` never reaches the learner; the real one does."""
    fake_llm.task_replies['turn_feedback'] = answer(
        'Yesterday I went to the school.', edit('goed', 'went'), edit('go', 'went', severity='low')
    )
    user_id, room_id = await learner_and_room()
    info = await send_and_wait(user_id, room_id)
    assert [c.original for c in info.corrections] == ['go']


async def test_a_corrected_line_equal_to_the_input_means_no_errors(fake_llm: FakeLLMServer) -> None:
    """`corrected` equal ignoring case and spacing: no corrections, whatever else the model listed."""
    fake_llm.task_replies['turn_feedback'] = answer('yesterday i go to  the school.', edit('go', 'goes'))
    user_id, room_id = await learner_and_room()
    info = await send_and_wait(user_id, room_id, 'Yesterday I go to the school.')
    assert (info.status, info.corrections, info.corrected, info.has_errors) == ('ready', (), None, False)


@pytest.mark.parametrize(('mode', 'kept'), [('gentle', 2), ('full', 5)])
async def test_edits_are_capped_highest_severity_first(fake_llm: FakeLLMServer, mode: str, kept: int) -> None:
    """Gentle shows 2 edits and Full 5, the most serious first."""
    text = 'a b c d e f'
    edits = [edit(word, word * 2, 'other', 'low') for word in 'abcd'] + [
        edit(word, word * 2, 'other', 'high') for word in 'ef'
    ]
    fake_llm.task_replies['turn_feedback'] = answer('aa bb cc dd ee ff', *edits)
    user_id, room_id = await learner_and_room(mode)
    info = await send_and_wait(user_id, room_id, text)
    assert [c.original for c in info.corrections] == ['e', 'f', 'a', 'b', 'c'][:kept]


@pytest.mark.parametrize('mode', ['off', 'end_only'])
async def test_off_and_end_only_send_no_request(fake_llm: FakeLLMServer, mode: str) -> None:
    """No helper request during the chat; the reply still comes; no help unit spent."""
    user_id, room_id = await learner_and_room(mode)
    info = await send_and_wait(user_id, room_id)
    assert (info.status, info.mode) == ('off', mode)
    assert fake_llm.helper_requests == [] and len(fake_llm.requests) == 1
    assert (await help_quota.status(user_id)).used == 0


async def test_each_turn_spends_one_reply_and_one_help_unit(fake_llm: FakeLLMServer) -> None:
    """Feedback never spends the reply allowance: one reply per turn, one help unit per line."""
    user_id, room_id = await learner_and_room()
    await send_and_wait(user_id, room_id)
    await send_and_wait(user_id, room_id, 'And a muffin.')
    assert (await quota.status(user_id)).used == 2
    assert (await help_quota.status(user_id)).used == 2


async def test_spoken_lines_drop_punctuation_casing_and_spelling(fake_llm: FakeLLMServer) -> None:
    """On a recorded line, edits the recogniser caused are not the learner's and are dropped."""
    fake_llm.task_replies['turn_feedback'] = answer(
        'Yesterday, I went to school.',
        edit('Yesterday', 'Yesterday,', 'punctuation_casing', 'low'),
        edit('scool', 'school', 'spelling', 'medium'),
        edit('go', 'went'),
    )
    user_id, room_id = await learner_and_room()
    text = 'Yesterday I go to scool'
    async with sessionmaker().begin() as session:
        recording = Recording(
            user_id=user_id, room_id=room_id, mime_type='audio/webm', data=b'x', duration_seconds=1.0,
            transcript=text, words=json.dumps([]),
        )  # fmt: skip
        session.add(recording)
        await session.flush()
        line = Message(room_id=room_id, user_id=user_id, role='user', content=text, recording_id=recording.id)
        session.add(line)
    feedback.start_feedback(user_id, line.id)
    info = await feedback.wait_feedback(user_id, line.id, timeout_seconds=10)
    assert [c.original for c in info.corrections] == ['go']


async def test_dismiss_explain_and_ownership(fake_llm: FakeLLMServer) -> None:
    """'Not a mistake' keeps the correction flagged; `Why?` costs one unit once; others get not-found."""
    fake_llm.task_replies['turn_feedback'] = answer('Yesterday I went to the school.', edit('go', 'went'))
    fake_llm.task_replies['explain'] = '어제 일이므로 과거형 went를 씁니다.'
    user_id, room_id = await learner_and_room()
    info = await send_and_wait(user_id, room_id)
    correction = info.corrections[0]
    assert await explain(user_id, correction.id) == '어제 일이므로 과거형 went를 씁니다.'
    assert await explain(user_id, correction.id) == '어제 일이므로 과거형 went를 씁니다.'
    assert len(fake_llm.helper_requests_for('explain')) == 1
    assert (await help_quota.status(user_id)).used == 2  # the line's feedback, then one explanation
    dismissed = await feedback.dismiss_correction(user_id, correction.id)
    assert dismissed.corrections[0].dismissed and not dismissed.has_errors
    other_id, _ = await learner_and_room(name='jun')
    with pytest.raises(MessageNotFound):
        await feedback.get_feedback(other_id, info.message_id)
    with pytest.raises(CorrectionNotFound):
        await feedback.dismiss_correction(other_id, correction.id)
    with pytest.raises(CorrectionNotFound):
        await explain(other_id, correction.id)


async def test_export_carries_the_feedback(fake_llm: FakeLLMServer) -> None:
    """The JSON export has each line's corrections; the Markdown shows `Better:` under the line."""
    fake_llm.task_replies['turn_feedback'] = answer('Yesterday I went to the school.', edit('go', 'went'))
    user_id, room_id = await learner_and_room()
    await send_and_wait(user_id, room_id, 'Yesterday I go to the school.')
    document = json.loads((await export.export_room(user_id, room_id, 'json')).content)
    line = document['messages'][0]
    assert line['feedback']['corrected'] == 'Yesterday I went to the school.'
    assert [(c['original'], c['start'], c['end']) for c in line['feedback']['corrections']] == [
        ('go', 12, 14)
    ]
    assert 'feedback' not in document['messages'][1]
    markdown = (await export.export_room(user_id, room_id, 'markdown')).content.decode()
    assert '> Better: Yesterday I went to the school.' in markdown


async def test_the_feedback_mode_is_kept_by_edits_and_changed_on_its_own() -> None:
    """A new room is Gentle; an edit without a mode keeps it; set_feedback_mode changes only it."""
    user_id, room_id = await learner_and_room('full')
    edited = await rooms.update_room(
        user_id, room_id, RoomDraft('Bar', 'en', 'Drinks.', 'Barman', 'Guest', 'B1')
    )
    assert (edited.title, edited.feedback_mode) == ('Bar', 'full')
    assert (await rooms.set_feedback_mode(user_id, room_id, 'end_only')).feedback_mode == 'end_only'
    with pytest.raises(InvalidInput):
        await rooms.set_feedback_mode(user_id, room_id, 'loud')
    user = await accounts.register('jun', 'jun@example.com', 'password1', 'password1')
    created = await rooms.create_room(
        user.id, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Customer', 'A2')
    )
    assert created.feedback_mode == 'gentle'
