"""Two real app processes on one PostgreSQL, seen through the REST API: a reply written by A is seen
growing on B, B stops it, and after `kill -9` of A, B fails and refunds A's reply within 30 s."""

import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db.engine import build_engine
from db.migrate import upgrade
from services.chat import INTERRUPTED
from tests.api.conftest import API_VARIABLES, PASSWORD
from tests.app_process import free_port, serving_process
from tests.conftest import ISOLATED_VARIABLES, POSTGRES_URL, run_blocking
from tests.fakes.openai_server import FakeLLMServer

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason='TEST_POSTGRES_URL not set (needs PostgreSQL)')
ROOM = {
    'title': 'Café',
    'language': 'en',
    'situation': 'Coffee.',
    'ai_role': 'Barista',
    'my_role': 'Me',
    'level': 'A2',
}


def test_a_reply_of_one_process_is_followed_stopped_and_recovered_from_another(
    tmp_path: Path, fake_llm: FakeLLMServer
) -> None:
    """B sees A's reply grow, stops it within 2 s, and fails and refunds it within 30 s of A's kill -9."""
    fake_llm.chunk_delay = 0.1  # ten words a second: a 200-word reply takes 20 s
    fake_llm.reply = ' '.join(f'word{number}' for number in range(200))
    with fresh_database() as url, ExitStack() as stack, ThreadPoolExecutor(2) as pool:
        a_url, a_process = stack.enter_context(serving_process(*app_setup(tmp_path / 'a', url, fake_llm)))
        b_url, _ = stack.enter_context(serving_process(*app_setup(tmp_path / 'b', url, fake_llm)))
        a, b = (
            stack.enter_context(httpx.Client(base_url=a_url)),
            stack.enter_context(httpx.Client(base_url=b_url)),
        )
        headers = signed_up(a)
        room_id = b.post('/api/rooms', json=ROOM, headers=headers).json()['id']

        sent_at = time.monotonic()
        sending = send_in_background(pool, a_url, headers, room_id, 'Tell me a long story')
        reply = wait_for(lambda: latest_reply_with_text(b, headers, room_id), timeout=10)
        first_text_seconds = time.monotonic() - sent_at
        later = wait_for(lambda: longer_than(b, headers, reply, 20), timeout=10)
        assert later['status'] == 'pending' and later['content'].startswith(reply['content'])

        asked = time.monotonic()
        stopped = b.post(f'/api/messages/{reply["id"]}/stop', headers=headers, timeout=10)
        stop_seconds = time.monotonic() - asked
        assert stopped.status_code == 200, stopped.text
        assert stopped.json()['status'] == 'stopped' and stop_seconds < 2
        assert stopped.json()['content'].startswith(later['content'])
        assert sending.result(timeout=10)['reply']['status'] == 'stopped'  # A's own answer agrees

        sending = send_in_background(pool, a_url, headers, room_id, 'And another one')
        doomed = wait_for(lambda: latest_reply_with_text(b, headers, room_id, after=reply['id']), timeout=10)
        assert b.get('/api/quota', headers=headers).json()['used'] == 2
        os.kill(a_process.pid, signal.SIGKILL)
        killed = time.monotonic()
        failed = wait_for(lambda: finished(b, headers, doomed['id']), timeout=30)
        recovery_seconds = time.monotonic() - killed
        assert (failed['status'], failed['error']) == ('failed', INTERRUPTED)
        assert b.get('/api/quota', headers=headers).json()['used'] == 1  # the stopped reply stays charged
        messages = b.get(f'/api/rooms/{room_id}/messages', headers=headers).json()['items']
        assert [m['content'] for m in messages if m['role'] == 'user'] == [
            'And another one',
            'Tell me a long story',
        ]
        with pytest.raises(httpx.TransportError):
            sending.result(timeout=10)
    print(
        f"\nB sees A's first text after {first_text_seconds:.2f} s; Stop on B took {stop_seconds:.2f} s; "
        f'B failed the reply {recovery_seconds:.1f} s after kill -9 of A'
    )


@contextmanager
def fresh_database() -> Iterator[str]:
    """An empty, migrated PostgreSQL database of its own (the app processes sweep every reply in it)."""
    name = f'speakroom_two_{uuid.uuid4().hex[:10]}'
    run_blocking(on_server(f'CREATE DATABASE {name}'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        run_blocking(upgrade(url))
        yield url
    finally:
        run_blocking(on_server(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)'))


async def on_server(statement: str) -> None:
    server = build_engine(POSTGRES_URL or '')
    try:
        async with server.connect() as connection:
            await connection.execution_options(isolation_level='AUTOCOMMIT')
            await connection.execute(text(statement))
    finally:
        await server.dispose()


def app_setup(workdir: Path, database_url: str, fake_llm: FakeLLMServer) -> tuple[Path, dict[str, str]]:
    """One app process's folder and environment: the shared database, secret and fake LLM."""
    workdir.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(('PYTEST_', 'NICEGUI_')) and key not in {*ISOLATED_VARIABLES, *API_VARIABLES}
    }
    return workdir, env | {
        'HOST': '127.0.0.1',
        'PORT': str(free_port()),
        'DATABASE_URL': database_url,
        'DATA_DIR': str(workdir / 'data'),
        'SECRET_KEY': 'two-processes-secret-key',
        'LLM_BASE_URL': fake_llm.base_url,
        'LLM_MODEL': 'fake-model',
    }


def signed_up(client: httpx.Client) -> dict[str, str]:
    account = {'username': 'mina', 'email': 'mina@example.com', 'password': PASSWORD}
    assert client.post('/api/auth/register', json=account).status_code == 201
    tokens = client.post('/api/auth/token', json={'username': 'mina', 'password': PASSWORD}).json()
    return {'Authorization': f'Bearer {tokens["access_token"]}'}


def send_in_background(pool: ThreadPoolExecutor, url: str, headers: dict, room_id: int, words: str) -> Future:
    def send() -> dict:
        with httpx.Client(base_url=url, timeout=60) as client:
            response = client.post(f'/api/rooms/{room_id}/messages', json={'text': words}, headers=headers)
            response.raise_for_status()
            return response.json()

    return pool.submit(send)


def latest_reply_with_text(client: httpx.Client, headers: dict, room_id: int, after: int = 0) -> dict | None:
    """The room's latest reply, once it is pending with some text (and newer than `after`)."""
    items = client.get(f'/api/rooms/{room_id}/messages', headers=headers).json()['items']
    reply = items[0] if items and items[0]['role'] == 'assistant' else None
    if reply and reply['id'] > after and reply['status'] == 'pending' and reply['content']:
        return reply
    return None


def longer_than(client: httpx.Client, headers: dict, reply: dict, characters: int) -> dict | None:
    seen = client.get(f'/api/messages/{reply["id"]}', headers=headers).json()
    return seen if len(seen['content']) > len(reply['content']) + characters else None


def finished(client: httpx.Client, headers: dict, reply_id: int) -> dict | None:
    seen = client.get(f'/api/messages/{reply_id}', headers=headers).json()
    return seen if seen['status'] != 'pending' else None


def wait_for(probe: Callable[[], dict | None], timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while (found := probe()) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f'not seen within {timeout} s')
        time.sleep(0.05)
    return found
