"""GET/PATCH /api/me and GET /api/quota."""

import httpx

from tests.api.conftest import assert_error, sign_up


async def test_me_reads_the_tokens_account(client: httpx.AsyncClient) -> None:
    """The profile of the account the token belongs to."""
    account = await sign_up(client)
    body = (await client.get('/api/me', headers=account.headers)).json()
    assert (body['id'], body['username'], body['nickname'], body['is_admin']) == (
        account.id,
        'mina',
        '',
        False,
    )


async def test_patch_me_changes_only_what_is_sent(client: httpx.AsyncClient) -> None:
    """A nickname alone keeps the bio; the display name follows the nickname."""
    account = await sign_up(client)
    first = await client.patch(
        '/api/me', json={'nickname': ' 미나 ', 'bio': 'Learning English.'}, headers=account.headers
    )
    assert first.status_code == 200
    second = await client.patch('/api/me', json={'nickname': 'Mina'}, headers=account.headers)
    assert (second.json()['nickname'], second.json()['bio'], second.json()['display_name']) == (
        'Mina',
        'Learning English.',
        'Mina',
    )
    assert (await client.get('/api/me', headers=account.headers)).json()['nickname'] == 'Mina'


async def test_patch_me_refuses_overlong_and_unknown_fields(client: httpx.AsyncClient) -> None:
    """Over the page's limits, or a field that is not editable: 422 naming the field."""
    account = await sign_up(client)
    too_long = await client.patch('/api/me', json={'bio': 'x' * 301}, headers=account.headers)
    assert 'bio' in assert_error(too_long, 422, 'validation_error')['fields']
    sneaky = await client.patch('/api/me', json={'is_admin': True}, headers=account.headers)
    assert 'is_admin' in assert_error(sneaky, 422, 'validation_error')['fields']
    assert (await client.get('/api/me', headers=account.headers)).json()['is_admin'] is False


async def test_quota_shows_the_days_allowance(client: httpx.AsyncClient) -> None:
    """A new account has 5 of 5 left and a reset time in the future."""
    account = await sign_up(client)
    body = (await client.get('/api/quota', headers=account.headers)).json()
    assert (body['used'], body['limit'], body['remaining'], body['unlimited']) == (0, 5, 5, False)
    assert body['resets_at'] > body['day']
