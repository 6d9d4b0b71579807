"""/api/rooms/{id}/messages (send, stream, page) and /api/messages/{id}/audio."""

import asyncio
import itertools
import json
from datetime import datetime

import httpx
import pytest

from services.settings import load_settings
from tests.api.conftest import Account, assert_error, make_room, sign_up
from tests.fakes.openai_server import FakeLLMServer


async def send(
    client: httpx.AsyncClient, account: Account, room_id: int, text: str, **params
) -> httpx.Response:
    return await client.post(
        f'/api/rooms/{room_id}/messages', json={'text': text}, params=params, headers=account.headers
    )


def parse_events(stream: str) -> list[tuple[str, dict]]:
    """(event, data) for each Server-Sent Event in the body."""
    events = []
    for block in stream.strip().split('\n\n'):
        fields = dict(line.split(': ', 1) for line in block.splitlines())
        events.append((fields['event'], json.loads(fields['data'])))
    return events


async def test_send_waits_for_and_returns_the_reply(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer
) -> None:
    """The turn comes back whole: the stored message, the complete reply, the quota after it."""
    account = await sign_up(client)
    room = await make_room(client, account)
    response = await send(client, account, room['id'], '  One latte, please.  ')
    assert response.status_code == 200, response.text
    turn = response.json()
    assert (turn['user_message']['role'], turn['user_message']['content']) == ('user', 'One latte, please.')
    assert (turn['reply']['status'], turn['reply']['content']) == ('complete', fake_llm.reply)
    assert (turn['quota']['used'], turn['quota']['remaining']) == (1, 4)
    assert fake_llm.requests[-1]['messages'][-1] == {'role': 'user', 'content': 'One latte, please.'}


async def test_send_streams_server_sent_events(client: httpx.AsyncClient, fake_llm: FakeLLMServer) -> None:
    """`stream=true`: start, growing deltas, then done with the final reply — which is also stored."""
    fake_llm.chunk_delay = 0.02
    account = await sign_up(client)
    room = await make_room(client, account)
    response = await send(client, account, room['id'], 'Hello', stream='true')
    assert response.status_code == 200
    assert response.headers['content-type'].startswith('text/event-stream')
    events = parse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == 'start' and names[-1] == 'done' and names.count('delta') >= 3
    texts = [data['text'] for name, data in events if name == 'delta']
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(texts))
    done = events[-1][1]
    assert (done['status'], done['content'], done['id']) == (
        'complete',
        fake_llm.reply,
        events[0][1]['reply']['id'],
    )
    stored = (await client.get(f'/api/rooms/{room["id"]}/messages', headers=account.headers)).json()
    assert stored['items'][0]['content'] == fake_llm.reply


async def test_a_failed_reply_says_why_and_is_refunded(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer
) -> None:
    """The LLM answering 500: the message stays, the reply is `failed` with an error, the unit comes back."""
    fake_llm.fail_next(500, times=10)
    account = await sign_up(client)
    room = await make_room(client, account)
    turn = (await send(client, account, room['id'], 'Hello?')).json()
    assert turn['reply']['status'] == 'failed' and turn['reply']['error']
    assert (await client.get('/api/quota', headers=account.headers)).json()['used'] == 0


async def test_messages_page_backwards_with_a_cursor(client: httpx.AsyncClient, monkeypatch) -> None:
    """Newest first; `next_cursor` leads to older pages and is null on the last."""
    monkeypatch.setenv('DAILY_QUOTA', '20')
    load_settings()
    account = await sign_up(client)
    room = await make_room(client, account)
    for index in range(3):
        assert (await send(client, account, room['id'], f'message {index}')).status_code == 200
    path = f'/api/rooms/{room["id"]}/messages'
    first = (await client.get(path, params={'limit': 4}, headers=account.headers)).json()
    assert [item['role'] for item in first['items']] == ['assistant', 'user', 'assistant', 'user']
    assert first['items'][1]['content'] == 'message 2'
    second = (
        await client.get(path, params={'limit': 4, 'before': first['next_cursor']}, headers=account.headers)
    ).json()
    assert [item['content'] for item in second['items']][1] == 'message 0'
    assert second['next_cursor'] is None
    ids = [item['id'] for item in first['items'] + second['items']]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 6
    assert_error(
        await client.get(path, params={'limit': 0}, headers=account.headers), 422, 'validation_error'
    )


async def test_blank_and_overlong_messages_are_refused_free(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer
) -> None:
    """Blank text and text over 2000 characters are 422; nothing is stored, charged or asked."""
    account = await sign_up(client)
    room = await make_room(client, account)
    assert_error(await send(client, account, room['id'], '   '), 422, 'invalid_input')
    assert (
        'text'
        in assert_error(await send(client, account, room['id'], 'x' * 2001), 422, 'validation_error')[
            'fields'
        ]
    )
    assert (await client.get(f'/api/rooms/{room["id"]}/messages', headers=account.headers)).json()[
        'items'
    ] == []
    assert fake_llm.request_count == 0


async def test_concurrent_sends_respect_the_quota_exactly(
    client: httpx.AsyncClient, fake_llm: FakeLLMServer
) -> None:
    """Eight sends at once: five answered, three 429 with Retry-After; the LLM asked exactly five times."""
    fake_llm.first_token_delay = 0.05  # keep replies in flight while the other requests arrive
    account = await sign_up(client)
    room = await make_room(client, account)
    responses = await asyncio.gather(
        *(send(client, account, room['id'], f'try {index}') for index in range(8))
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * 5 + [429] * 3
    refused = [response for response in responses if response.status_code == 429]
    quota = (await client.get('/api/quota', headers=account.headers)).json()
    seconds_left = (datetime.fromisoformat(quota['resets_at']) - datetime.now().astimezone()).total_seconds()
    for response in refused:
        assert_error(response, 429, 'quota_exceeded')
        assert abs(int(response.headers['retry-after']) - seconds_left) < 5
    assert fake_llm.request_count == 5
    assert (quota['used'], quota['remaining']) == (5, 0)
    page = (await client.get(f'/api/rooms/{room["id"]}/messages', headers=account.headers)).json()
    assert len(page['items']) == 10


async def test_reply_audio_is_owner_only(client: httpx.AsyncClient) -> None:
    """The owner hears the reply (WAV from Piper); the learner's own message, or B asking, is 404."""
    owner = await sign_up(client, 'owner')
    intruder = await sign_up(client, 'intruder')
    room = await make_room(client, owner)
    turn = (await send(client, owner, room['id'], 'Hello')).json()
    audio = await client.get(f'/api/messages/{turn["reply"]["id"]}/audio', headers=owner.headers)
    assert audio.status_code == 200
    assert (audio.headers['content-type'], audio.content[:4]) == ('audio/wav', b'RIFF')
    assert audio.headers['cache-control'] == 'private, no-store'
    mine = await client.get(f'/api/messages/{turn["user_message"]["id"]}/audio', headers=owner.headers)
    assert_error(mine, 404, 'not_found')
    theirs = await client.get(f'/api/messages/{turn["reply"]["id"]}/audio', headers=intruder.headers)
    assert_error(theirs, 404, 'not_found')
    assert_error(await client.get('/api/messages/999999/audio', headers=owner.headers), 404, 'not_found')


@pytest.mark.parametrize('language', ['ko'])
async def test_audio_without_a_voice_is_503(client: httpx.AsyncClient, language: str) -> None:
    """With only Piper (English) configured, a Korean reply has no voice: 503 in the error shape."""
    account = await sign_up(client)
    room = await make_room(client, account, language=language)
    turn = (await send(client, account, room['id'], '안녕하세요')).json()
    response = await client.get(f'/api/messages/{turn["reply"]["id"]}/audio', headers=account.headers)
    assert 'Korean' in assert_error(response, 503, 'tts_unavailable')['message']


async def test_get_one_message_whole_or_followed(client: httpx.AsyncClient, fake_llm: FakeLLMServer) -> None:
    """GET /api/messages/{id} returns the message (owner only); `stream=true` follows it to `done`."""
    account = await sign_up(client)
    room = await make_room(client, account)
    turn = (await send(client, account, room['id'], 'Hello')).json()
    reply_id = turn['reply']['id']
    got = await client.get(f'/api/messages/{reply_id}', headers=account.headers)
    assert got.status_code == 200, got.text
    assert (got.json()['status'], got.json()['content']) == ('complete', fake_llm.reply)
    streamed = await client.get(
        f'/api/messages/{reply_id}', params={'stream': 'true'}, headers=account.headers
    )
    assert streamed.headers['content-type'].startswith('text/event-stream')
    assert [(name, data['content']) for name, data in parse_events(streamed.text)] == [
        ('done', fake_llm.reply)
    ]
    stranger = await sign_up(client, 'stranger')
    assert_error(await client.get(f'/api/messages/{reply_id}', headers=stranger.headers), 404, 'not_found')
    assert_error(await client.get('/api/messages/0', headers=account.headers), 422, 'validation_error')
