"""The one error shape for unknown /api paths and methods, and CORS (off unless configured, /api only)."""

import httpx
import pytest

from services.settings import load_settings
from tests.api.conftest import assert_error, sign_up

ORIGIN = 'https://app.example.com'


async def test_unknown_api_paths_and_methods_use_the_error_shape(client: httpx.AsyncClient) -> None:
    """404 and 405 under /api are JSON errors like every other."""
    assert_error(await client.get('/api/no-such-thing'), 404, 'not_found')
    wrong_method = await client.put('/api/rooms')
    assert_error(wrong_method, 405, 'method_not_allowed')
    assert 'GET' in wrong_method.headers['allow']


async def test_cors_is_off_by_default(client: httpx.AsyncClient) -> None:
    """Without CORS_ORIGINS no browser origin is allowed."""
    preflight = await client.options(
        '/api/rooms', headers={'Origin': ORIGIN, 'Access-Control-Request-Method': 'GET'}
    )
    assert 'access-control-allow-origin' not in preflight.headers
    account = await sign_up(client)
    response = await client.get('/api/me', headers=account.headers | {'Origin': ORIGIN})
    assert 'access-control-allow-origin' not in response.headers


async def test_cors_origins_enable_it_for_the_api_only(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listed origin may call /api (preflight and errors included); others may not; /healthz is untouched."""
    monkeypatch.setenv('CORS_ORIGINS', f'{ORIGIN}/, https://other.example.com')
    load_settings()
    preflight = await client.options(
        '/api/rooms',
        headers={
            'Origin': ORIGIN,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'Authorization, Content-Type',
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers['access-control-allow-origin'] == ORIGIN
    assert 'authorization' in preflight.headers['access-control-allow-headers'].lower()
    unauthenticated = await client.get('/api/me', headers={'Origin': ORIGIN})
    assert unauthenticated.status_code == 401
    assert unauthenticated.headers['access-control-allow-origin'] == ORIGIN
    stranger = await client.get('/api/me', headers={'Origin': 'https://evil.example.com'})
    assert 'access-control-allow-origin' not in stranger.headers
    health = await client.get('/healthz', headers={'Origin': ORIGIN})
    assert 'access-control-allow-origin' not in health.headers
