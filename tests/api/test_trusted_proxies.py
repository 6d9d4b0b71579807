"""X-Forwarded-For/-Proto count only from TRUSTED_PROXIES: checked on the real app (uvicorn applies them)."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.api.conftest import API_VARIABLES
from tests.app_process import free_port, serving
from tests.conftest import ISOLATED_VARIABLES
from tests.fakes.openai_server import FakeLLMServer

FORWARDED = {'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9'}


@contextmanager
def running_app(workdir: Path, llm_url: str, trusted_proxies: str) -> Iterator[str]:
    """main.py on a free port over this test's migrated SQLite copy, trusting `trusted_proxies`."""
    workdir.mkdir()
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(('PYTEST_', 'NICEGUI_')) and key not in {*ISOLATED_VARIABLES, *API_VARIABLES}
    }
    env |= {
        'HOST': '127.0.0.1',
        'PORT': str(port),
        'DATABASE_URL': os.environ['DATABASE_URL'],
        'DATA_DIR': str(workdir / 'data'),
        'SECRET_KEY': 'proxy-test-secret-key',
        'LLM_BASE_URL': llm_url,
        'LLM_MODEL': 'fake-model',
        'TRUSTED_PROXIES': trusted_proxies,
    }
    with serving(workdir, env) as url:
        yield url


def test_forwarded_https_counts_only_from_a_trusted_proxy(tmp_path: Path, fake_llm: FakeLLMServer) -> None:
    """By default a client claiming HTTPS gets no Secure cookie; from a listed proxy it does, with HSTS."""
    with running_app(tmp_path / 'trusting-none', fake_llm.base_url, '') as url:
        direct = httpx.get(f'{url}/login', headers=FORWARDED)
    assert direct.status_code == 200
    assert 'secure' not in direct.headers['set-cookie'].lower()
    assert 'strict-transport-security' not in direct.headers
    with running_app(tmp_path / 'trusting-localhost', fake_llm.base_url, '127.0.0.1') as url:
        proxied = httpx.get(f'{url}/login', headers=FORWARDED)
        plain = httpx.get(f'{url}/login')
    assert proxied.status_code == 200
    assert proxied.headers['set-cookie'].lower().endswith('; secure')
    assert proxied.headers['strict-transport-security'].startswith('max-age=')
    assert 'secure' not in plain.headers['set-cookie'].lower()  # the proxy said plain HTTP: no Secure
