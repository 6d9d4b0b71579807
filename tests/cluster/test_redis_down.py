"""The app with NICEGUI_REDIS_URL keeps working when Redis is unreachable: at start, or stopped mid-run."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from deploy.cluster import redis_command, wait_for_port
from tests.api.conftest import API_VARIABLES
from tests.app_process import free_port, serving
from tests.cluster.test_cluster import ROOM, browser_session, signed_up
from tests.conftest import ISOLATED_VARIABLES
from tests.fakes.openai_server import FakeLLMServer

SECRET_KEY = 'cluster-test-secret-key'  # browser_session signs with the cluster test's key


def test_pages_and_replies_work_when_redis_was_never_reachable(
    tmp_path: Path, fake_llm: FakeLLMServer
) -> None:
    """Redis on a closed port: /login opens, and a learner signs up, sends and gets a reply."""
    with app_with_redis(tmp_path, fake_llm, f'redis://127.0.0.1:{free_port()}/0') as url:
        assert httpx.get(f'{url}/healthz').status_code == 200
        login = httpx.get(f'{url}/login')
        assert login.status_code == 200 and 'SpeakRoom' in login.text
        assert a_reply_arrives(url, 'nored')


@pytest.mark.skipif(shutil.which('redis-server') is None, reason='redis-server not installed')
def test_a_signed_in_learner_carries_on_when_redis_stops(tmp_path: Path, fake_llm: FakeLLMServer) -> None:
    """Redis stops mid-run: the open session still opens /rooms, /login opens, replies still arrive."""
    redis_port = free_port()
    redis_server = subprocess.Popen(
        redis_command(redis_port),
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(redis_port)
        with app_with_redis(tmp_path, fake_llm, f'redis://127.0.0.1:{redis_port}/0') as url:
            headers = signed_up(url, 'stays')
            cookie = browser_session(url, f'redis://127.0.0.1:{redis_port}/0', headers)
            assert httpx.get(f'{url}/rooms', cookies={'session': cookie}).status_code == 200
            redis_server.kill()
            redis_server.wait()
            assert httpx.get(f'{url}/rooms', cookies={'session': cookie}).status_code == 200
            assert httpx.get(f'{url}/login').status_code == 200
            assert a_reply_arrives(url, 'after')
    finally:
        redis_server.kill()
        redis_server.wait()


@contextmanager
def app_with_redis(tmp_path: Path, fake_llm: FakeLLMServer, redis_url: str) -> Iterator[str]:
    """main.py over this test's migrated SQLite copy with NICEGUI_REDIS_URL (a real environment variable)."""
    workdir = tmp_path / 'app'
    workdir.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(('PYTEST_', 'NICEGUI_')) and key not in {*ISOLATED_VARIABLES, *API_VARIABLES}
    }
    env |= {
        'HOST': '127.0.0.1',
        'PORT': str(free_port()),
        'DATABASE_URL': os.environ['DATABASE_URL'],
        'DATA_DIR': str(workdir / 'data'),
        'SECRET_KEY': SECRET_KEY,
        'LLM_BASE_URL': fake_llm.base_url,
        'LLM_MODEL': 'fake-model',
        'NICEGUI_REDIS_URL': redis_url,
    }
    with serving(workdir, env) as url:
        yield url


def a_reply_arrives(url: str, username: str) -> bool:
    headers = signed_up(url, username)
    room_id = httpx.post(f'{url}/api/rooms', json=ROOM, headers=headers).json()['id']
    sent = httpx.post(
        f'{url}/api/rooms/{room_id}/messages', json={'text': 'Hello'}, headers=headers, timeout=30
    )
    return sent.status_code == 200 and sent.json()['reply']['status'] == 'complete'
