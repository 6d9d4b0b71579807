"""Translation (cached), word look-up and saved words, next-line hints, and their help allowance."""

import pytest

from services import accounts, chat, generation, help_quota, hints, rooms, translation, vocabulary
from services.errors import HelpQuotaExceeded, InvalidInput, MessageNotFound, RoomNotFound, WordNotInReply
from services.rooms import RoomDraft
from services.settings import load_settings
from tests.fakes.openai_server import FakeLLMServer

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')

REPLY = 'Your flight leaves at nine. Please have your passport ready.'


async def conversation(fake_llm: FakeLLMServer, name: str = 'mina') -> tuple[int, int, int, int]:
    """(user id, room id, learner line id, reply id) after one exchange in an English room (Off feedback)."""
    fake_llm.reply = REPLY
    user = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id,
        RoomDraft('Airport', 'en', 'Check-in.', 'Agent', 'Passenger', 'B1', feedback_mode='off'),
    )
    turn = await chat.send_message(user.id, room.id, 'When does my flight leave?')
    assert turn is not None and turn.user_message is not None
    await generation.wait(turn.reply.id)
    return user.id, room.id, turn.user_message.id, turn.reply.id


async def test_a_translation_is_cached_so_a_second_look_is_free(fake_llm: FakeLLMServer) -> None:
    """First look: one TASK: translate request, one help unit; second look: neither."""
    fake_llm.task_replies['translate'] = '비행기는 9시에 출발합니다. 여권을 준비해 주세요.'
    user_id, _, _, reply_id = await conversation(fake_llm)
    first = await translation.translate_reply(user_id, reply_id)
    second = await translation.translate_reply(user_id, reply_id)
    assert (first.text, first.language, first.cached) == (
        '비행기는 9시에 출발합니다. 여권을 준비해 주세요.',
        'ko',
        False,
    )
    assert (second.text, second.cached) == (first.text, True)
    requests = fake_llm.helper_requests_for('translate')
    assert len(requests) == 1 and 'Korean' in requests[0]['messages'][0]['content']
    assert (await help_quota.status(user_id)).used == 1


async def test_a_regenerated_reply_is_translated_afresh(fake_llm: FakeLLMServer) -> None:
    """Regenerate rewrites the reply under the same id: its old translation is not shown for the new text."""
    fake_llm.task_replies['translate'] = '비행기는 9시에 출발합니다.'
    user_id, _, _, reply_id = await conversation(fake_llm)
    await translation.translate_reply(user_id, reply_id)
    fake_llm.reply = 'Boarding starts at half past eight.'
    await chat.regenerate_reply(user_id, reply_id)
    await generation.wait(reply_id)
    fake_llm.task_replies['translate'] = '탑승은 8시 반에 시작합니다.'
    again = await translation.translate_reply(user_id, reply_id)
    assert (again.text, again.cached) == ('탑승은 8시 반에 시작합니다.', False)
    assert 'Boarding starts' in fake_llm.helper_requests_for('translate')[-1]['messages'][-1]['content']


async def test_translation_follows_my_language_and_owns_its_reply(fake_llm: FakeLLMServer) -> None:
    """Japanese as My language asks for Japanese; a learner line or another's reply is not found."""
    user_id, _, line_id, reply_id = await conversation(fake_llm)
    await accounts.set_native_language(user_id, 'ja')
    assert (await translation.translate_reply(user_id, reply_id)).language == 'ja'
    assert 'Japanese' in fake_llm.helper_requests_for('translate')[0]['messages'][0]['content']
    with pytest.raises(MessageNotFound):
        await translation.translate_reply(user_id, line_id)
    other_id, *_ = await conversation(fake_llm, 'jun')
    with pytest.raises(MessageNotFound):
        await translation.translate_reply(other_id, reply_id)
    with pytest.raises(InvalidInput):
        await accounts.set_native_language(user_id, 'xx')


async def test_at_zero_help_a_helper_is_refused_without_a_request(
    fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DAILY_HELP_QUOTA=0: translation is refused, the model is not asked, the reply allowance is untouched."""
    monkeypatch.setenv('DAILY_HELP_QUOTA', '0')
    load_settings()
    user_id, _, _, reply_id = await conversation(fake_llm)
    with pytest.raises(HelpQuotaExceeded):
        await translation.translate_reply(user_id, reply_id)
    assert fake_llm.helper_requests == []


async def test_a_gloss_has_the_meaning_from_the_model_and_the_level_from_cefrpy(
    fake_llm: FakeLLMServer,
) -> None:
    """'leaves' → lemma 'leave', meaning in Korean, CEFR A2 computed offline; one help unit."""
    fake_llm.task_replies['word_gloss'] = {'lemma': 'leave', 'pos': 'verb', 'meaning': '출발하다', 'note': ''}
    user_id, _, _, reply_id = await conversation(fake_llm)
    found = await vocabulary.gloss(user_id, reply_id, 'leaves')
    assert (found.lemma, found.meaning, found.level, found.language) == ('leave', '출발하다', 'A2', 'en')
    sent = fake_llm.helper_requests_for('word_gloss')[0]
    assert sent['response_format']['json_schema']['name'] == 'word_gloss'
    assert (await help_quota.status(user_id)).used == 1
    with pytest.raises(WordNotInReply, match='That word is not in this reply'):
        await vocabulary.gloss(user_id, reply_id, 'banana')
    with pytest.raises(InvalidInput):
        await vocabulary.gloss(user_id, reply_id, ' ')


async def test_saving_a_word_twice_keeps_one_entry(fake_llm: FakeLLMServer) -> None:
    """Duplicate saves give one entry, with its level; the list pages newest first."""
    user_id, _, _, reply_id = await conversation(fake_llm)
    first = await vocabulary.save_word(user_id, reply_id, 'leave', '출발하다', 'verb')
    again = await vocabulary.save_word(user_id, reply_id, 'leave', 'something else')
    assert again.id == first.id and (again.meaning, again.level) == ('출발하다', 'A2')
    await vocabulary.save_word(user_id, reply_id, 'passport', '여권', 'noun')
    page = await vocabulary.saved_words(user_id, limit=1)
    assert [word.lemma for word in page.items] == ['passport'] and page.next_cursor is not None
    rest = await vocabulary.saved_words(user_id, before_id=page.next_cursor, limit=1)
    assert ([word.lemma for word in rest.items], rest.next_cursor) == (['leave'], None)


async def test_hints_suggest_lines_and_are_counted(fake_llm: FakeLLMServer) -> None:
    """Up to three lines with Korean glosses; the use is recorded for the room; one help unit."""
    fake_llm.task_replies['next_line_hints'] = {
        'idea': '좌석을 물어보세요.',
        'keywords': ['window', 'aisle'],
        'lines': [{'text': f'Line {number}', 'gloss': f'줄 {number}'} for number in range(1, 5)],
    }
    user_id, room_id, _, _ = await conversation(fake_llm)
    found = await hints.next_line_hints(user_id, room_id)
    assert found.idea == '좌석을 물어보세요.' and found.keywords == ('window', 'aisle')
    assert [(line.text, line.gloss) for line in found.lines] == [
        ('Line 1', '줄 1'),
        ('Line 2', '줄 2'),
        ('Line 3', '줄 3'),
    ]
    assert REPLY in fake_llm.helper_requests_for('next_line_hints')[0]['messages'][1]['content']
    assert await hints.hint_count(user_id, room_id) == 1
    assert (await help_quota.status(user_id)).used == 1
    other_id, *_ = await conversation(fake_llm, 'jun')
    with pytest.raises(RoomNotFound):
        await hints.next_line_hints(other_id, room_id)
