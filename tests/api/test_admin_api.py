"""/api/admin: the admin page's operations over the API, and a 404 for every other account."""

import httpx

from services import roles
from tests.api.conftest import PASSWORD, assert_error, make_room, sign_up


async def test_learners_get_404_everywhere(client: httpx.AsyncClient) -> None:
    """Every admin route answers a learner as if it did not exist."""
    mina = await sign_up(client, 'mina')
    other = await sign_up(client, 'other')
    for method, path, body in (
        ('GET', '/api/admin/users', None),
        ('POST', f'/api/admin/users/{other.id}/grant', {'extra': 3}),
        ('PATCH', f'/api/admin/users/{other.id}', {'is_active': False}),
    ):
        response = await client.request(method, path, json=body, headers=mina.headers)
        assert_error(response, 404, 'not_found')


async def test_disabling_oneself_is_a_conflict_for_an_admin_and_404_for_a_learner(
    client: httpx.AsyncClient,
) -> None:
    """A well-formed request the server cannot honour is a 409, not a 422; a learner still sees no admin API."""
    boss = await sign_up(client, 'boss')
    await roles.promote('boss')
    mina = await sign_up(client, 'mina')
    own = await client.patch(f'/api/admin/users/{mina.id}', json={'is_active': False}, headers=mina.headers)
    assert_error(own, 404, 'not_found')
    refused = await client.patch(
        f'/api/admin/users/{boss.id}', json={'is_active': False, 'daily_limit': 5}, headers=boss.headers
    )
    assert assert_error(refused, 409, 'conflict')['message'] == 'You cannot disable your own account.'
    account = (await client.get(f'/api/admin/users/{boss.id}', headers=boss.headers)).json()
    assert account['is_active'] is True and account['custom_limit'] is None


async def test_list_grant_limit_and_disable(client: httpx.AsyncClient) -> None:
    """The admin lists accounts with usage, grants replies, sets a limit, disables and enables."""
    boss = await sign_up(client, 'boss')
    await roles.promote('boss')
    mina = await sign_up(client, 'mina')
    room = await make_room(client, mina)
    sent = await client.post(f'/api/rooms/{room["id"]}/messages', json={'text': 'Hi'}, headers=mina.headers)
    assert sent.status_code == 200
    listed = (await client.get('/api/admin/users?q=MIN', headers=boss.headers)).json()
    assert listed['total'] == 1
    assert {key: listed['items'][0][key] for key in ('username', 'used_today', 'replies_total', 'room_count')} == {
        'username': 'mina', 'used_today': 1, 'replies_total': 1, 'room_count': 1,
    }  # fmt: skip

    granted = await client.post(f'/api/admin/users/{mina.id}/grant', json={'extra': 3}, headers=boss.headers)
    assert (granted.json()['bonus_today'], granted.json()['remaining_today']) == (3, 7)
    assert (await client.get('/api/quota', headers=mina.headers)).json()['limit'] == 8
    assert_error(
        await client.post(f'/api/admin/users/{mina.id}/grant', json={'extra': 0}, headers=boss.headers),
        422,
        'validation_error',
    )

    limited = await client.patch(
        f'/api/admin/users/{mina.id}', json={'daily_limit': 20}, headers=boss.headers
    )
    assert (limited.json()['custom_limit'], limited.json()['daily_limit']) == (20, 20)
    reset = await client.patch(
        f'/api/admin/users/{mina.id}', json={'daily_limit': None}, headers=boss.headers
    )
    assert (reset.json()['custom_limit'], reset.json()['daily_limit']) == (None, 5)

    disabled = await client.patch(
        f'/api/admin/users/{mina.id}', json={'is_active': False}, headers=boss.headers
    )
    assert disabled.json()['is_active'] is False
    assert (await client.get('/api/me', headers=mina.headers)).status_code in {401, 403}
    login = await client.post('/api/auth/token', json={'username': 'mina', 'password': PASSWORD})
    assert_error(login, 403, 'account_disabled')
    assert_error(
        await client.patch(f'/api/admin/users/{boss.id}', json={'is_active': False}, headers=boss.headers),
        409,
        'conflict',
    )
    enabled = await client.patch(
        f'/api/admin/users/{mina.id}', json={'is_active': True}, headers=boss.headers
    )
    assert enabled.json()['is_active'] is True
    assert_error(await client.get('/api/admin/users/999999', headers=boss.headers), 404, 'not_found')
    assert_error(
        await client.patch('/api/admin/users/999999', json={}, headers=boss.headers), 404, 'not_found'
    )
