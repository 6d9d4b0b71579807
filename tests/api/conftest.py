"""The REST API tests call the API in-process over ASGI, with the fake LLM answering and Piper speaking."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from nicegui.testing import User

import api
from services.settings import load_settings
from tests.fakes.openai_server import FakeLLMServer

PASSWORD = 'amber-kettle-58'
# Settings this suite adds; a developer's shell must not leak them into a test.
API_VARIABLES = ('CORS_ORIGINS', 'ACCESS_TOKEN_MINUTES', 'REFRESH_TOKEN_DAYS', 'LOGIN_MAX_FAILURES')


@pytest.fixture(autouse=True)
def api_environment(fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch) -> FakeLLMServer:
    """The fake LLM answers, Piper speaks (tests never call Google)."""
    for name in API_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('LLM_BASE_URL', fake_llm.base_url)
    monkeypatch.setenv('LLM_MODEL', 'fake-model')
    monkeypatch.setenv('TTS_ENGINE', 'piper')
    load_settings()
    return fake_llm


@pytest.fixture
async def client(database: str) -> AsyncIterator[httpx.AsyncClient]:
    """The API exactly as main.py mounts it, called in-process (ASGI), on a migrated database.

    Runs each test on SQLite and, when TEST_POSTGRES_URL is set, on PostgreSQL; without NiceGUI's
    per-test start-up it costs milliseconds. `app_client` covers the API inside the whole app.
    """
    app = FastAPI()
    app.include_router(api.router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://test') as http:
        yield http


@pytest.fixture
def app_client(user: User) -> httpx.AsyncClient:
    """An HTTP client calling the whole app in-process (NiceGUI's simulated start-up included)."""
    return user.http_client


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    access: str
    refresh: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.access)


def bearer(token: str) -> dict[str, str]:
    return {'Authorization': f'Bearer {token}'}


async def sign_up(client: httpx.AsyncClient, username: str = 'mina') -> Account:
    """Register through the API and log in for a token pair."""
    created = await client.post(
        '/api/auth/register',
        json={'username': username, 'email': f'{username}@example.com', 'password': PASSWORD},
    )
    assert created.status_code == 201, created.text
    tokens = await client.post('/api/auth/token', json={'username': username, 'password': PASSWORD})
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    return Account(created.json()['id'], username, body['access_token'], body['refresh_token'])


async def make_room(client: httpx.AsyncClient, account: Account, **changes: str) -> dict:
    room = {
        'title': 'Café',
        'language': 'en',
        'situation': 'Ordering coffee.',
        'ai_role': 'Barista',
        'my_role': 'Customer',
        'level': 'A2',
    } | changes
    response = await client.post('/api/rooms', json=room, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def assert_error(response: httpx.Response, status: int, code: str) -> dict:
    """The response is the API's error shape with this status and code; returns the error object."""
    assert response.status_code == status, response.text
    assert response.headers['content-type'].startswith('application/json')
    error = response.json()['error']
    assert error['code'] == code
    assert isinstance(error['message'], str) and error['message']
    return error
