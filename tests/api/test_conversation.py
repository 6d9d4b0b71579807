"""/api conversation controls: retry, regenerate, delete an exchange, clear a room, export; room filters."""

import asyncio
import json
from urllib.parse import unquote

import httpx

from tests.api.conftest import assert_error, make_room, sign_up
from tests.fakes.openai_server import FakeLLMServer


async def said(client: httpx.AsyncClient, account, room_id: int, text: str) -> dict:
    """Send `text` and return the finished turn."""
    response = await client.post(
        f'/api/rooms/{room_id}/messages', json={'text': text}, headers=account.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_regenerate_the_latest_reply_only(client: httpx.AsyncClient, fake_llm: FakeLLMServer) -> None:
    """The latest reply is rewritten for one unit; an earlier one is a 409; another user's a 404."""
    account = await sign_up(client)
    room = await make_room(client, account)
    first = await said(client, account, room['id'], 'Hello')
    second = await said(client, account, room['id'], 'A latte')
    fake_llm.reply = 'Rewritten.'
    again = await client.post(f'/api/messages/{second["reply"]["id"]}/regenerate', headers=account.headers)
    assert again.status_code == 200, again.text
    assert (again.json()['reply']['content'], again.json()['quota']['used']) == ('Rewritten.', 3)
    earlier = await client.post(f'/api/messages/{first["reply"]["id"]}/regenerate', headers=account.headers)
    assert_error(earlier, 409, 'conflict')
    stranger = await sign_up(client, 'stranger')
    foreign = await client.post(f'/api/messages/{second["reply"]["id"]}/regenerate', headers=stranger.headers)
    assert_error(foreign, 404, 'not_found')


async def test_retry_a_failed_reply(client: httpx.AsyncClient, fake_llm: FakeLLMServer) -> None:
    """A failed reply is refunded; retry writes it and charges then; a complete one cannot be retried."""
    account = await sign_up(client)
    room = await make_room(client, account)
    fake_llm.fail_next(503, times=10)
    failed = await said(client, account, room['id'], 'Hello?')
    assert failed['reply']['status'] == 'failed'
    fake_llm.reset()
    retried = await client.post(f'/api/messages/{failed["reply"]["id"]}/retry', headers=account.headers)
    assert retried.status_code == 200, retried.text
    assert (retried.json()['reply']['status'], retried.json()['quota']['used']) == ('complete', 1)
    again = await client.post(f'/api/messages/{failed["reply"]["id"]}/retry', headers=account.headers)
    assert_error(again, 409, 'conflict')


async def test_delete_exchange_and_clear(client: httpx.AsyncClient) -> None:
    """DELETE a message takes its reply along; DELETE the room's messages empties it; owners only."""
    account = await sign_up(client)
    room = await make_room(client, account)
    first = await said(client, account, room['id'], 'Hello')
    await said(client, account, room['id'], 'A latte')
    stranger = await sign_up(client, 'stranger')
    foreign = await client.delete(f'/api/messages/{first["user_message"]["id"]}', headers=stranger.headers)
    assert_error(foreign, 404, 'not_found')
    deleted = await client.delete(f'/api/messages/{first["user_message"]["id"]}', headers=account.headers)
    assert deleted.json() == {'deleted': [first['user_message']['id'], first['reply']['id']]}
    assert_error(
        await client.delete(f'/api/rooms/{room["id"]}/messages', headers=stranger.headers), 404, 'not_found'
    )
    cleared = await client.delete(f'/api/rooms/{room["id"]}/messages', headers=account.headers)
    assert cleared.json() == {'deleted_count': 2}
    page = await client.get(f'/api/rooms/{room["id"]}/messages', headers=account.headers)
    assert page.json()['items'] == []


async def test_export_as_markdown_and_json(client: httpx.AsyncClient, fake_llm: FakeLLMServer) -> None:
    """The export is an attachment named after the room; JSON matches the history; owners only."""
    account = await sign_up(client)
    room = await make_room(client, account, title='카페 Morning')
    await said(client, account, room['id'], '라떼 주세요')
    markdown = await client.get(f'/api/rooms/{room["id"]}/export', headers=account.headers)
    assert markdown.status_code == 200
    assert markdown.headers['content-type'].startswith('text/markdown')
    assert unquote(markdown.headers['content-disposition'].split("''", 1)[1]) == '카페-morning.md'
    assert markdown.headers['cache-control'] == 'private, no-store'  # not kept by the browser
    assert '라떼 주세요' in markdown.text and fake_llm.reply in markdown.text
    exported = await client.get(f'/api/rooms/{room["id"]}/export?format=json', headers=account.headers)
    history = (await client.get(f'/api/rooms/{room["id"]}/messages', headers=account.headers)).json()['items']
    assert [m['content'] for m in json.loads(exported.content)['messages']] == [
        m['content'] for m in reversed(history)
    ]
    assert_error(
        await client.get(f'/api/rooms/{room["id"]}/export?format=pdf', headers=account.headers),
        422,
        'validation_error',
    )
    stranger = await sign_up(client, 'stranger')
    assert_error(
        await client.get(f'/api/rooms/{room["id"]}/export', headers=stranger.headers), 404, 'not_found'
    )


async def test_room_list_filters(client: httpx.AsyncClient) -> None:
    """?q= matches titles, ?language= narrows, ?sort=title orders; a bad language is a 422."""
    account = await sign_up(client)
    await make_room(client, account, title='Café')
    await make_room(client, account, title='Airport')
    await make_room(client, account, title='카페', language='ko')

    async def titles(query: str) -> list[str]:
        response = await client.get(f'/api/rooms?{query}', headers=account.headers)
        assert response.status_code == 200, response.text
        return [room['title'] for room in response.json()['items']]

    assert await titles('q=AIR') == ['Airport']
    assert await titles('language=ko') == ['카페']
    assert await titles('sort=title') == ['Airport', 'Café', '카페']
    assert_error(await client.get('/api/rooms?language=xx', headers=account.headers), 422, 'validation_error')


async def test_stop_a_reply_being_written(client: httpx.AsyncClient, fake_llm: FakeLLMServer) -> None:
    """POST .../stop ends a reply mid-way with its text so far; a finished one comes back as it is."""
    fake_llm.chunk_delay = 0.05
    fake_llm.reply = 'word ' * 200
    account = await sign_up(client)
    room = await make_room(client, account)
    sending = asyncio.create_task(
        client.post(f'/api/rooms/{room["id"]}/messages', json={'text': 'Talk'}, headers=account.headers)
    )
    reply: dict = {}
    while not reply.get('content'):
        await asyncio.sleep(0.05)
        page = (await client.get(f'/api/rooms/{room["id"]}/messages', headers=account.headers)).json()
        reply = page['items'][0] if page['items'] and page['items'][0]['role'] == 'assistant' else {}
    assert reply['status'] == 'pending'
    stopped = await client.post(f'/api/messages/{reply["id"]}/stop', headers=account.headers)
    assert stopped.status_code == 200, stopped.text
    assert stopped.json()['status'] == 'stopped'
    assert stopped.json()['content'].startswith('word') and stopped.json()['content'] != fake_llm.reply
    assert (await sending).json()['reply']['status'] == 'stopped'
    again = await client.post(f'/api/messages/{reply["id"]}/stop', headers=account.headers)
    assert (again.status_code, again.json()['content']) == (200, stopped.json()['content'])
    stranger = await sign_up(client, 'stranger')
    assert_error(
        await client.post(f'/api/messages/{reply["id"]}/stop', headers=stranger.headers), 404, 'not_found'
    )
    for bad_id in (0, 2**31):
        assert_error(
            await client.post(f'/api/messages/{bad_id}/stop', headers=account.headers),
            422,
            'validation_error',
        )
