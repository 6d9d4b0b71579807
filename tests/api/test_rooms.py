"""/api/rooms: CRUD, validation, and never another user's room."""

import httpx
import pytest

from tests.api.conftest import assert_error, make_room, sign_up


async def test_room_lifecycle(client: httpx.AsyncClient) -> None:
    """Create, list, read, change (partly), delete; then it is gone."""
    account = await sign_up(client)
    room = await make_room(client, account)
    assert (room['title'], room['language_name'], room['scenario']) == ('Café', 'English', None)
    listed = (await client.get('/api/rooms', headers=account.headers)).json()['items']
    assert [(item['id'], item['message_count']) for item in listed] == [(room['id'], 0)]
    assert (await client.get(f'/api/rooms/{room["id"]}', headers=account.headers)).json() == room
    changed = await client.patch(
        f'/api/rooms/{room["id"]}',
        json={'level': 'B1', 'slow_speech': True, 'scenario': 'cafe-order'},
        headers=account.headers,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body['level'], body['title'], body['slow_speech'], body['scenario']) == (
        'B1',
        'Café',
        True,
        'cafe-order',
    )
    cleared = await client.patch(f'/api/rooms/{room["id"]}', json={'scenario': None}, headers=account.headers)
    assert cleared.json()['scenario'] is None and cleared.json()['level'] == 'B1'
    deleted = await client.delete(f'/api/rooms/{room["id"]}', headers=account.headers)
    assert deleted.status_code == 204
    assert_error(await client.get(f'/api/rooms/{room["id"]}', headers=account.headers), 404, 'not_found')
    assert (await client.get('/api/rooms', headers=account.headers)).json()['items'] == []


@pytest.mark.parametrize(
    ('changes', 'status', 'field'),
    [
        ({'title': '   '}, 422, 'title'),  # the service's rule: required after trimming
        ({'title': 'x' * 81}, 422, 'title'),
        ({'situation': 'x' * 501}, 422, 'situation'),
        ({'language': 'xx'}, 422, 'language'),
        ({'level': 'D1'}, 422, 'level'),
        ({'scenario': 'no-such-scenario'}, 422, 'scenario'),
    ],
)
async def test_create_room_refuses_bad_fields(
    client: httpx.AsyncClient, changes: dict, status: int, field: str
) -> None:
    """Every field has the editor's limit; the error names it."""
    account = await sign_up(client)
    room = {
        'title': 'Café',
        'language': 'en',
        'situation': 'Coffee.',
        'ai_role': 'Barista',
        'my_role': 'Me',
        'level': 'A2',
    }
    response = await client.post('/api/rooms', json=room | changes, headers=account.headers)
    assert response.status_code == status
    assert field in response.json()['error']['fields']


async def test_another_users_room_is_404_everywhere(client: httpx.AsyncClient) -> None:
    """B cannot read, change, delete, list or post in A's room; A's room is untouched."""
    owner = await sign_up(client, 'owner')
    intruder = await sign_up(client, 'intruder')
    room = await make_room(client, owner)
    path = f'/api/rooms/{room["id"]}'
    assert_error(await client.get(path, headers=intruder.headers), 404, 'not_found')
    assert_error(await client.patch(path, json={'title': 'Mine'}, headers=intruder.headers), 404, 'not_found')
    assert_error(await client.delete(path, headers=intruder.headers), 404, 'not_found')
    assert_error(await client.get(f'{path}/messages', headers=intruder.headers), 404, 'not_found')
    assert_error(
        await client.post(f'{path}/messages', json={'text': 'hi'}, headers=intruder.headers), 404, 'not_found'
    )
    assert (await client.get('/api/rooms', headers=intruder.headers)).json()['items'] == []
    assert (await client.get(path, headers=owner.headers)).json()['title'] == 'Café'


@pytest.mark.parametrize('room_id', ['0', '-1', '99999999999999999999', 'abc'])
async def test_impossible_room_ids_are_422(client: httpx.AsyncClient, room_id: str) -> None:
    """Ids outside the column's range are refused before reaching the database."""
    account = await sign_up(client)
    assert_error(await client.get(f'/api/rooms/{room_id}', headers=account.headers), 422, 'validation_error')


async def test_missing_room_is_404(client: httpx.AsyncClient) -> None:
    """A room id nobody has is the same 404 as someone else's."""
    account = await sign_up(client)
    assert (
        assert_error(await client.get('/api/rooms/4242', headers=account.headers), 404, 'not_found')[
            'message'
        ]
        == 'Room not found'
    )


@pytest.mark.parametrize('title', ['\\u0000', '\\ud800'], ids=['nul', 'lone-surrogate'])
async def test_text_no_database_can_store_is_422(client: httpx.AsyncClient, title: str) -> None:
    """NUL characters (PostgreSQL refuses them) and unpaired surrogates (not UTF-8) are refused up front."""
    account = await sign_up(client)
    body = '{"title": "Caf%s", "language": "en", "situation": "s", "ai_role": "a", "my_role": "m", "level": "A2"}'
    response = await client.post(
        '/api/rooms', content=body % title, headers=account.headers | {'Content-Type': 'application/json'}
    )
    assert 'title' in assert_error(response, 422, 'validation_error')['fields']
    login = await client.post(
        '/api/auth/token',
        content='{"username": "mina", "password": "pass\\u0000word"}',
        headers={'Content-Type': 'application/json'},
    )
    assert 'password' in assert_error(login, 422, 'validation_error')['fields']
    search = await client.get('/api/history/search', params={'q': 'a\x00b'}, headers=account.headers)
    assert 'q' in assert_error(search, 422, 'validation_error')['fields']
