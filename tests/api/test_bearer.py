"""Bearer authentication: only our unexpired, untampered access tokens open the API."""

import base64
import json
from datetime import timedelta

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import OctKey

from db.models import utcnow
from services import api_tokens
from tests.api.conftest import Account, assert_error, bearer, sign_up


def tampered(token: str) -> str:
    """The same token with its payload's `sub` changed and the old signature kept."""
    header, payload, signature = token.split('.')
    claims = json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))
    claims['sub'] = str(int(claims['sub']) + 1)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip('=')
    return f'{header}.{forged}.{signature}'


def signed_elsewhere(token: str) -> str:
    """The same claims signed with a key that is not ours."""
    payload = token.split('.')[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))
    return jwt.encode({'alg': 'HS256'}, claims, OctKey.import_key(b'not-our-secret-key-0123456789abc'))


def unsigned(token: str) -> str:
    """The same claims with `alg: none` and no signature."""
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip('=')
    return f'{header}.{token.split(".")[1]}.'


async def test_missing_or_malformed_authorization_is_401(client: httpx.AsyncClient) -> None:
    """No header, another scheme or garbage: 401 with a Bearer challenge."""
    missing = await client.get('/api/me')
    assert_error(missing, 401, 'not_authenticated')
    assert missing.headers['www-authenticate'] == 'Bearer'
    assert_error(
        await client.get('/api/me', headers={'Authorization': 'Basic bWluYTpwYXNzd29yZDE='}),
        401,
        'not_authenticated',
    )
    assert_error(await client.get('/api/me', headers=bearer('garbage')), 401, 'invalid_token')
    assert_error(await client.get('/api/me', headers=bearer('x' * 5000)), 401, 'invalid_token')


@pytest.mark.parametrize(
    'forge', [tampered, signed_elsewhere, unsigned], ids=['tampered', 'other-key', 'alg-none']
)
async def test_forged_tokens_are_401(client: httpx.AsyncClient, forge) -> None:
    """A changed payload, a foreign signature or no signature never passes."""
    account = await sign_up(client)
    await sign_up(client, 'other')  # so a tampered sub names a real account
    assert_error(await client.get('/api/me', headers=bearer(forge(account.access))), 401, 'invalid_token')


async def test_refresh_token_is_not_an_access_token_and_back(client: httpx.AsyncClient) -> None:
    """The `type` claim is checked both ways."""
    account = await sign_up(client)
    assert_error(await client.get('/api/me', headers=bearer(account.refresh)), 401, 'invalid_token')
    used_as_refresh = await client.post('/api/auth/refresh', json={'refresh_token': account.access})
    assert_error(used_as_refresh, 401, 'invalid_token')


async def test_expired_tokens_are_401(client: httpx.AsyncClient) -> None:
    """An access token past its 15 minutes, or a refresh token past its 7 days, is refused."""
    account = await sign_up(client)
    stale_access = await api_tokens.issue_tokens(account.id, now=utcnow() - timedelta(minutes=16))
    assert_error(await client.get('/api/me', headers=bearer(stale_access.access_token)), 401, 'invalid_token')
    refreshed = await client.post('/api/auth/refresh', json={'refresh_token': stale_access.refresh_token})
    assert refreshed.status_code == 200  # the refresh token of that pair is still good
    stale_refresh = await api_tokens.issue_tokens(account.id, now=utcnow() - timedelta(days=8))
    expired = await client.post('/api/auth/refresh', json={'refresh_token': stale_refresh.refresh_token})
    assert_error(expired, 401, 'invalid_token')


async def test_every_protected_route_wants_a_token(client: httpx.AsyncClient) -> None:
    """Each operation that is not under /api/auth answers 401 without a token."""
    calls = [
        ('GET', '/api/me'), ('PATCH', '/api/me'), ('GET', '/api/quota'), ('GET', '/api/rooms'),
        ('POST', '/api/rooms'), ('GET', '/api/rooms/1'), ('PATCH', '/api/rooms/1'), ('DELETE', '/api/rooms/1'),
        ('GET', '/api/rooms/1/messages'), ('POST', '/api/rooms/1/messages'), ('GET', '/api/messages/1/audio'),
        ('GET', '/api/history/search?q=x'),
    ]  # fmt: skip
    for method, path in calls:
        response = await client.request(method, path, json={} if method in {'POST', 'PATCH'} else None)
        assert_error(response, 401, 'not_authenticated')  # before the body or the id is even looked at


async def test_tokens_survive_only_their_own_account(client: httpx.AsyncClient) -> None:
    """GET /api/me answers for the token's account only."""
    mina: Account = await sign_up(client, 'mina')
    other: Account = await sign_up(client, 'other')
    assert (await client.get('/api/me', headers=mina.headers)).json()['username'] == 'mina'
    assert (await client.get('/api/me', headers=other.headers)).json()['username'] == 'other'
