"""/api learning routes: feedback, dismiss, explain, translate, gloss, words, hints, help allowance."""

import httpx
import pytest

from services.settings import load_settings
from tests.api.conftest import Account, assert_error, make_room, sign_up
from tests.fakes.openai_server import FakeLLMServer

FEEDBACK = {
    'has_errors': True,
    'corrected': 'I went to the café.',
    'natural_alternative': 'I stopped by the café.',
    'corrections': [
        {
            'original': 'go',
            'replacement': 'went',
            'category': 'verb_tense',
            'severity': 'high',
            'explanation': '과거형',
        }
    ],
}


async def exchange(client: httpx.AsyncClient, account: Account, **room: str) -> tuple[int, int, dict]:
    """(learner line id, reply id, the line's finished feedback) after one turn."""
    made = await make_room(client, account, **room)
    turn = await client.post(
        f'/api/rooms/{made["id"]}/messages', json={'text': 'I go to the café.'}, headers=account.headers
    )
    assert turn.status_code == 200, turn.text
    line_id, reply_id = turn.json()['user_message']['id'], turn.json()['reply']['id']
    notes = await client.get(
        f'/api/messages/{line_id}/feedback', params={'wait': 'true'}, headers=account.headers
    )
    assert notes.status_code == 200, notes.text
    return line_id, reply_id, notes.json()


async def test_a_line_has_feedback_and_the_message_shows_it(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer
) -> None:
    """The feedback has the correction at its offsets; GET /messages/{id} carries it; replies carry none."""
    fake_llm.task_replies['turn_feedback'] = FEEDBACK
    account = await sign_up(client)
    line_id, reply_id, notes = await exchange(client, account)
    assert (notes['status'], notes['has_errors'], notes['corrected']) == (
        'ready',
        True,
        'I went to the café.',
    )
    [correction] = notes['corrections']
    assert (correction['original'], correction['start'], correction['end']) == ('go', 2, 4)
    assert [part['kind'] for part in correction['diff']] == ['removed', 'added']
    line = (await client.get(f'/api/messages/{line_id}', headers=account.headers)).json()
    assert (
        line['content'] == 'I go to the café.' and line['feedback']['corrections'][0]['replacement'] == 'went'
    )
    reply = (await client.get(f'/api/messages/{reply_id}', headers=account.headers)).json()
    assert reply['feedback'] is None and reply['role'] == 'assistant'
    assert_error(
        await client.get(f'/api/messages/{reply_id}/feedback', headers=account.headers), 404, 'not_found'
    )


async def test_dismiss_and_explain_a_correction(client: httpx.AsyncClient, fake_llm: FakeLLMServer) -> None:
    """'Not a mistake' flags it; explain answers in plain text and is free the second time."""
    fake_llm.task_replies['turn_feedback'] = FEEDBACK
    fake_llm.task_replies['explain'] = '어제 일이라서 과거형을 씁니다.'
    account = await sign_up(client)
    _, _, notes = await exchange(client, account)
    correction_id = notes['corrections'][0]['id']
    for _ in range(2):
        explained = await client.post(f'/api/corrections/{correction_id}/explain', headers=account.headers)
        assert explained.json() == {'correction_id': correction_id, 'text': '어제 일이라서 과거형을 씁니다.'}
    help_left = (await client.get('/api/help-quota', headers=account.headers)).json()
    assert (help_left['used'], help_left['remaining'], help_left['limit']) == (2, 48, 50)
    dismissed = await client.post(f'/api/corrections/{correction_id}/dismiss', headers=account.headers)
    assert dismissed.json()['corrections'][0]['dismissed'] is True and dismissed.json()['has_errors'] is False


async def test_translate_gloss_save_and_list_words(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer
) -> None:
    """A reply translated (then cached), a word looked up with its level, saved once, listed."""
    fake_llm.reply = 'Your flight leaves at nine.'
    fake_llm.task_replies['translate'] = '비행기는 9시에 출발합니다.'
    fake_llm.task_replies['word_gloss'] = {'lemma': 'leave', 'pos': 'verb', 'meaning': '출발하다', 'note': ''}
    account = await sign_up(client)
    _, reply_id, _ = await exchange(client, account, feedback_mode='off')
    first = await client.post(f'/api/messages/{reply_id}/translate', headers=account.headers)
    second = await client.post(
        f'/api/messages/{reply_id}/translate', json={'language': 'ko'}, headers=account.headers
    )
    assert (first.json()['text'], first.json()['cached'], second.json()['cached']) == (
        '비행기는 9시에 출발합니다.',
        False,
        True,
    )
    looked_up = await client.post(
        f'/api/messages/{reply_id}/gloss', json={'word': 'leaves'}, headers=account.headers
    )
    assert (looked_up.json()['lemma'], looked_up.json()['level']) == ('leave', 'A2')
    word = {'message_id': reply_id, 'lemma': 'leave', 'meaning': '출발하다', 'pos': 'verb'}
    saved = [(await client.post('/api/words', json=word, headers=account.headers)).json() for _ in range(2)]
    assert saved[0]['id'] == saved[1]['id']
    listed = (await client.get('/api/words', headers=account.headers)).json()
    assert ([item['lemma'] for item in listed['items']], listed['next_cursor']) == (['leave'], None)
    blank = await client.post(f'/api/messages/{reply_id}/gloss', json={'word': ' '}, headers=account.headers)
    assert assert_error(blank, 422, 'invalid_input')['message'] == (
        'Choose a word or phrase of at most 60 characters.'
    )
    elsewhere = await client.post(
        f'/api/messages/{reply_id}/gloss', json={'word': 'banana'}, headers=account.headers
    )
    assert assert_error(elsewhere, 404, 'not_found')['message'] == 'That word is not in this reply.'


async def test_hints_and_the_help_limit(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hints come with glosses; at the help limit a helper is a 429 with Retry-After, replies go on."""
    monkeypatch.setenv('DAILY_HELP_QUOTA', '1')
    load_settings()
    account = await sign_up(client)
    room = await make_room(client, account, feedback_mode='off')
    found = await client.post(f'/api/rooms/{room["id"]}/hints', headers=account.headers)
    assert found.status_code == 200 and found.json()['lines'][0]['text'] == 'One latte, please.'
    refused = await client.post(f'/api/rooms/{room["id"]}/hints', headers=account.headers)
    assert_error(refused, 429, 'help_quota_exceeded')
    assert int(refused.headers['Retry-After']) >= 1
    turn = await client.post(
        f'/api/rooms/{room["id"]}/messages', json={'text': 'Hello'}, headers=account.headers
    )
    assert turn.json()['quota']['used'] == 1


async def test_feedback_mode_in_rooms_and_my_language_in_me(client: httpx.AsyncClient) -> None:
    """Rooms start Gentle and can be changed; a wrong mode is a 422; My language is on /api/me."""
    account = await sign_up(client)
    room = await make_room(client, account)
    assert room['feedback_mode'] == 'gentle'
    changed = await client.patch(
        f'/api/rooms/{room["id"]}', json={'feedback_mode': 'full'}, headers=account.headers
    )
    assert changed.json()['feedback_mode'] == 'full'
    titled = await client.patch(f'/api/rooms/{room["id"]}', json={'title': 'New'}, headers=account.headers)
    assert titled.json()['feedback_mode'] == 'full'
    wrong = await client.patch(
        f'/api/rooms/{room["id"]}', json={'feedback_mode': 'loud'}, headers=account.headers
    )
    assert_error(wrong, 422, 'validation_error')
    me = await client.patch('/api/me', json={'native_language': 'ja'}, headers=account.headers)
    assert me.json()['native_language'] == 'ja'


async def test_other_accounts_get_404s(client: httpx.AsyncClient, fake_llm: FakeLLMServer) -> None:
    """Someone else's line, correction, reply and room are not found, in the API's error shape."""
    fake_llm.task_replies['turn_feedback'] = FEEDBACK
    owner = await sign_up(client)
    line_id, reply_id, notes = await exchange(client, owner)
    other = await sign_up(client, 'jun')
    correction_id = notes['corrections'][0]['id']
    room_id = (await client.get(f'/api/messages/{line_id}', headers=owner.headers)).json()['room_id']
    for method, path, body in [
        ('GET', f'/api/messages/{line_id}', None),
        ('GET', f'/api/messages/{line_id}/feedback', None),
        ('POST', f'/api/corrections/{correction_id}/dismiss', None),
        ('POST', f'/api/corrections/{correction_id}/explain', None),
        ('POST', f'/api/messages/{reply_id}/translate', None),
        ('POST', f'/api/messages/{reply_id}/gloss', {'word': 'Hello'}),
        ('POST', '/api/words', {'message_id': reply_id, 'lemma': 'hello'}),
        ('POST', f'/api/rooms/{room_id}/hints', None),
    ]:
        response = await client.request(method, path, json=body, headers=other.headers)
        assert_error(response, 404, 'not_found')
    assert_error(
        await client.get('/api/messages/2147483648/feedback', headers=other.headers), 422, 'validation_error'
    )
