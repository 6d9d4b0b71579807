"""GET /api/rooms a page at a time (cursor and limit); room creation's cap and rate limit over the API."""

import httpx
import pytest

from services import room_limits
from services.settings import load_settings
from tests.api.conftest import assert_error, make_room, sign_up


async def test_room_list_pages_with_a_cursor(client: httpx.AsyncClient) -> None:
    """`limit` bounds a page; `next_cursor` continues with the same sort until it is null."""
    account = await sign_up(client)
    for title in ('Delta', 'alpha', 'Charlie', 'bravo', 'Echo'):
        await make_room(client, account, title=title)
    titles, cursor = [], None
    while True:
        query = 'sort=title&limit=2' + (f'&cursor={cursor}' if cursor else '')
        response = await client.get(f'/api/rooms?{query}', headers=account.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body['items']) <= 2
        titles += [room['title'] for room in body['items']]
        if (cursor := body['next_cursor']) is None:
            break
    assert titles == ['alpha', 'bravo', 'Charlie', 'Delta', 'Echo']
    default = (await client.get('/api/rooms', headers=account.headers)).json()
    assert len(default['items']) == 5 and default['next_cursor'] is None
    for query in ('cursor=garbage', 'limit=101', 'limit=0'):
        response = await client.get(f'/api/rooms?{query}', headers=account.headers)
        assert response.status_code == 422, query


async def test_room_creation_cap_and_rate_limit(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond MAX_ROOMS_PER_USER: 409 with a clear message; too many too fast: 429 with Retry-After."""
    monkeypatch.setenv('MAX_ROOMS_PER_USER', '2')
    load_settings()
    account = await sign_up(client)
    await make_room(client, account)
    room = await make_room(client, account)
    room_body = {k: room[k] for k in ('title', 'language', 'situation', 'ai_role', 'my_role', 'level')}
    refused = await client.post('/api/rooms', json=room_body, headers=account.headers)
    assert_error(refused, 409, 'room_limit_reached')
    assert 'the most an account can have' in refused.json()['error']['message']
    monkeypatch.setattr(room_limits, 'CREATIONS_PER_WINDOW', 3)
    await client.delete(f'/api/rooms/{room["id"]}', headers=account.headers)
    third = await make_room(client, account)  # the third room made in this window
    await client.delete(f'/api/rooms/{third["id"]}', headers=account.headers)
    throttled = await client.post('/api/rooms', json=room_body, headers=account.headers)
    assert_error(throttled, 429, 'too_many_rooms')
    assert 0 < int(throttled.headers['Retry-After']) <= 600
