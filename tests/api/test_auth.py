"""POST /api/auth/register, /token, /refresh, /logout."""

import httpx
import pytest
from sqlalchemy import update

from db.engine import sessionmaker
from db.models import User
from services.settings import load_settings
from tests.api.conftest import PASSWORD, assert_error, bearer, sign_up


def client_from(client: httpx.AsyncClient, address: str) -> httpx.AsyncClient:
    """Another client of the same in-process API whose requests come from `address`."""
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=transport.app, client=(address, 50000)), base_url=client.base_url
    )


async def test_register_creates_an_account(client: httpx.AsyncClient) -> None:
    """201 with the account, the username normalised; no password hash in sight."""
    response = await client.post(
        '/api/auth/register', json={'username': ' Mina ', 'email': 'Mina@Example.com', 'password': PASSWORD}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body['username'], body['email'], body['display_name']) == ('mina', 'mina@example.com', 'mina')
    assert PASSWORD not in response.text and '$2b$' not in response.text  # neither password nor hash


async def test_register_refuses_bad_fields_with_their_messages(client: httpx.AsyncClient) -> None:
    """422 invalid_input naming every refused field, in the sign-up page's words."""
    response = await client.post(
        '/api/auth/register', json={'username': 'a!', 'email': 'nope', 'password': 'short'}
    )
    error = assert_error(response, 422, 'invalid_input')
    assert set(error['fields']) == {'username', 'email', 'password'}
    assert error['fields']['password'] == 'Password must be at least 8 characters.'


async def test_register_conflict_is_409(client: httpx.AsyncClient) -> None:
    """A taken username answers 409 already_registered; a taken email is refused without confirming it."""
    await sign_up(client, 'mina')
    taken_name = await client.post(
        '/api/auth/register', json={'username': 'MINA', 'email': 'other@example.com', 'password': PASSWORD}
    )
    assert assert_error(taken_name, 409, 'already_registered')['fields'] == {
        'username': 'This username is already taken.'
    }
    taken_email = await client.post(
        '/api/auth/register', json={'username': 'other', 'email': 'mina@example.com', 'password': PASSWORD}
    )
    error = assert_error(taken_email, 422, 'invalid_input')
    assert error['fields'] == {'email': 'This email cannot be used. If it is yours, log in instead.'}
    assert 'already' not in taken_email.text and 'exists' not in taken_email.text


async def test_register_refuses_a_common_password_saying_why(client: httpx.AsyncClient) -> None:
    """zxcvbn's reason comes back in the password field."""
    response = await client.post(
        '/api/auth/register', json={'username': 'mina', 'email': 'mina@example.com', 'password': '12345678'}
    )
    error = assert_error(response, 422, 'invalid_input')
    assert 'This is a top-10 common password.' in error['fields']['password']


async def test_register_is_throttled_per_client_address(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SIGNUP_ADDRESS_MAX sign-ups from one address: 429 with Retry-After; another address goes on."""
    monkeypatch.setenv('SIGNUP_ADDRESS_MAX', '2')
    load_settings()
    await sign_up(client, 'mina')
    await sign_up(client, 'jun')
    body = {'username': 'sora', 'email': 'sora@example.com', 'password': PASSWORD}
    throttled = await client.post('/api/auth/register', json=body)
    assert assert_error(throttled, 429, 'signup_throttled')['message'].startswith('Too many sign-ups')
    assert 0 < int(throttled.headers['retry-after']) <= 30
    async with client_from(client, '203.0.113.9') as elsewhere:
        assert (await elsewhere.post('/api/auth/register', json=body)).status_code == 201


@pytest.mark.parametrize(
    ('body', 'status', 'code'),
    [
        ('{"username": ', 400, 'invalid_json'),
        ('{"username": "mina"}', 422, 'validation_error'),
        (
            '{"username": "mina", "email": "m@example.com", "password": "amber-kettle-58", "admin": true}',
            422,
            'validation_error',
        ),
        ('[]', 422, 'validation_error'),
    ],
    ids=['broken-json', 'missing-fields', 'unknown-field', 'not-an-object'],
)
async def test_register_malformed_bodies(
    client: httpx.AsyncClient, body: str, status: int, code: str
) -> None:
    """Broken JSON is 400; missing, unknown or mistyped fields are 422 — all in the error shape."""
    response = await client.post(
        '/api/auth/register', content=body, headers={'Content-Type': 'application/json'}
    )
    assert_error(response, status, code)


async def test_token_by_username_or_email(client: httpx.AsyncClient) -> None:
    """Both log in; the pair is two JWTs with their lifetimes."""
    await sign_up(client, 'mina')
    for login in ('mina', 'MINA@example.com'):
        response = await client.post('/api/auth/token', json={'username': login, 'password': PASSWORD})
        assert response.status_code == 200
        body = response.json()
        assert (body['token_type'], body['expires_in'], body['refresh_expires_in']) == ('bearer', 900, 604800)
        assert body['access_token'].count('.') == 2 and body['access_token'] != body['refresh_token']


async def test_token_wrong_password_then_throttled(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wrong passwords are 401; past the page's shared limit 429 with Retry-After, even for the right one."""
    monkeypatch.setenv('LOGIN_MAX_FAILURES', '2')
    load_settings()
    await sign_up(client, 'mina')
    for _ in range(2):
        wrong = await client.post('/api/auth/token', json={'username': 'mina', 'password': 'wrong-password'})
        assert assert_error(wrong, 401, 'invalid_credentials')['message'] == 'Wrong username or password'
    throttled = await client.post('/api/auth/token', json={'username': 'mina', 'password': PASSWORD})
    assert_error(throttled, 429, 'login_throttled')
    assert 0 < int(throttled.headers['retry-after']) <= 30
    unknown = await client.post('/api/auth/token', json={'username': 'nobody', 'password': PASSWORD})
    assert_error(unknown, 401, 'invalid_credentials')


async def test_token_throttle_is_per_client_address(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wrong passwords from another address slow that address down, never the owner's."""
    monkeypatch.setenv('LOGIN_MAX_FAILURES', '2')
    load_settings()
    await sign_up(client, 'mina')
    async with client_from(client, '203.0.113.9') as stranger:
        for _ in range(3):
            await stranger.post('/api/auth/token', json={'username': 'mina', 'password': 'wrong-password'})
        refused = await stranger.post('/api/auth/token', json={'username': 'mina', 'password': PASSWORD})
        assert_error(refused, 429, 'login_throttled')
    owner = await client.post('/api/auth/token', json={'username': 'mina', 'password': PASSWORD})
    assert owner.status_code == 200, owner.text


async def test_refresh_rotates_and_reuse_revokes_the_family(client: httpx.AsyncClient) -> None:
    """A refresh gives a working new pair; replaying the old refresh token ends the whole session."""
    account = await sign_up(client)
    rotated = await client.post('/api/auth/refresh', json={'refresh_token': account.refresh})
    assert rotated.status_code == 200
    fresh = rotated.json()
    assert fresh['refresh_token'] != account.refresh
    assert (await client.get('/api/me', headers=bearer(fresh['access_token']))).status_code == 200
    reused = await client.post('/api/auth/refresh', json={'refresh_token': account.refresh})
    assert_error(reused, 401, 'invalid_token')
    assert reused.headers['www-authenticate'].startswith('Bearer')
    # The thief's or the owner's newer tokens of that family are dead too: both must log in again.
    assert_error(
        await client.post('/api/auth/refresh', json={'refresh_token': fresh['refresh_token']}),
        401,
        'invalid_token',
    )
    assert_error(await client.get('/api/me', headers=bearer(fresh['access_token'])), 401, 'invalid_token')
    other_session = await client.post('/api/auth/token', json={'username': 'mina', 'password': PASSWORD})
    assert (
        await client.get('/api/me', headers=bearer(other_session.json()['access_token']))
    ).status_code == 200


async def test_logout_revokes_refresh_and_access_tokens(client: httpx.AsyncClient) -> None:
    """After log-out neither token of that session works; logging out again is harmless."""
    account = await sign_up(client)
    response = await client.post('/api/auth/logout', json={'refresh_token': account.refresh})
    assert response.status_code == 204 and response.content == b''
    assert_error(
        await client.post('/api/auth/refresh', json={'refresh_token': account.refresh}), 401, 'invalid_token'
    )
    assert_error(await client.get('/api/me', headers=account.headers), 401, 'invalid_token')
    assert (await client.post('/api/auth/logout', json={'refresh_token': account.refresh})).status_code == 204
    assert_error(
        await client.post('/api/auth/logout', json={'refresh_token': 'not-a-token'}), 401, 'invalid_token'
    )


async def test_a_disabled_accounts_tokens_stop_working(client: httpx.AsyncClient) -> None:
    """Disabling an account ends its access and refresh tokens (403) and its log-ins."""
    account = await sign_up(client)
    async with sessionmaker().begin() as session:
        await session.execute(update(User).where(User.id == account.id).values(is_active=False))
    assert_error(await client.get('/api/me', headers=account.headers), 403, 'account_disabled')
    assert_error(
        await client.post('/api/auth/refresh', json={'refresh_token': account.refresh}),
        403,
        'account_disabled',
    )
    login = await client.post('/api/auth/token', json={'username': 'mina', 'password': PASSWORD})
    assert_error(login, 403, 'account_disabled')


async def test_a_password_with_a_line_break_after_digits_is_judged_not_a_crash(
    client: httpx.AsyncClient,
) -> None:
    """Digits before a line break once crashed zxcvbn's date matcher (a 500): it is judged like any other."""
    body = {'username': 'lea', 'email': 'lea@example.com', 'password': 'amber-kettle-58123\n'}
    assert (await client.post('/api/auth/register', json=body)).status_code == 201
