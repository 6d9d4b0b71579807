"""Shared fixtures: an isolated environment per test, migrated databases on SQLite and PostgreSQL."""

import asyncio
import os
import shutil
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db import engine
from db.engine import build_engine
from db.migrate import upgrade
from db.models import Base
from services import feedback, lease_keeper
from services.llm import provider
from services.settings import load_settings
from tests import patient_user  # noqa: F401  (every simulated user waits long enough under load)
from tests.fakes.openai_server import FakeLLMServer

POSTGRES_URL = os.environ.get('TEST_POSTGRES_URL')
REQUIRE_POSTGRES = os.environ.get('SPEAKROOM_REQUIRE_POSTGRES') == '1'
# Configuration a developer's shell or .env might carry that must never leak into a test.
ISOLATED_VARIABLES = (
    'HOST',
    'PORT',
    'DATABASE_URL',
    'DATA_DIR',
    'SECRET_KEY',
    'LLM_BASE_URL',
    'LLM_API_KEY',
    'LLM_MODEL',
    'OPENAI_API_KEY',
    'DAILY_QUOTA',
    'QUOTA_TIMEZONE',
    'TTS_ENGINE',
    'GITHUB_CLIENT_ID',
    'GITHUB_CLIENT_SECRET',
    'KAKAO_CLIENT_ID',
    'KAKAO_CLIENT_SECRET',
    'ADMIN_USERNAMES',
    'STT_MODEL_PATH',
    'STT_BASE_URL',
    'STT_API_KEY',
    'STT_MODEL',
    'TTS_CACHE_MEGABYTES',
    'LLM_CONTEXT_TOKENS',
    'LLM_TIMEOUT_SECONDS',
    'ACCESS_TOKEN_MINUTES',
    'REFRESH_TOKEN_DAYS',
    'CORS_ORIGINS',
    'TRUSTED_PROXIES',
    'MAX_RECORDINGS_PER_ACCOUNT',
    'RECORDING_RETENTION_DAYS',
    'LOGIN_ADDRESS_MAX_FAILURES',
    'SIGNUP_ADDRESS_MAX',
    'SIGNUP_WINDOW_SECONDS',
    'SESSION_IDLE_MINUTES',
    'SESSION_MAX_HOURS',
    'REAUTH_MINUTES',
    'DAILY_HELP_QUOTA',
    'MAX_ROOMS_PER_USER',
    'DEFAULT_UI_LANGUAGE',
    'DATABASE_POOL_SIZE',
    'DATABASE_MAX_OVERFLOW',
    'DRAIN_SECONDS',
)


@pytest.fixture(scope='session')
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per run; each test gets a copy (much faster than migrating again)."""
    path = tmp_path_factory.mktemp('template') / 'speakroom.db'
    run_blocking(upgrade(f'sqlite:///{path}'))
    return path


@pytest.fixture(scope='session')
def postgres_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this run (dropped at the end)."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail('SPEAKROOM_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set')
        pytest.skip('TEST_POSTGRES_URL not set (.ci/run starts a throwaway PostgreSQL and sets it)')
    name = f'speakroom_test_{uuid.uuid4().hex[:10]}'
    run_blocking(_admin_statement(f'CREATE DATABASE {name}'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    run_blocking(upgrade(url))
    yield url
    run_blocking(_admin_statement(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)'))


@pytest.fixture(scope='session')
def fake_llm_server() -> Iterator[FakeLLMServer]:
    """One fake OpenAI-compatible server for the run (starting uvicorn per test would cost ~0.1 s each)."""
    with FakeLLMServer() as server:
        yield server


@pytest.fixture
def fake_llm(fake_llm_server: FakeLLMServer) -> FakeLLMServer:
    """The fake server with its defaults restored and its records cleared for this test."""
    fake_llm_server.reset()
    return fake_llm_server


@pytest.fixture
def use_fake_llm(fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch) -> FakeLLMServer:
    """The app's LLM settings point at the fake server (use with `pytest.mark.usefixtures`)."""
    monkeypatch.setenv('LLM_BASE_URL', fake_llm.base_url)
    monkeypatch.setenv('LLM_MODEL', 'fake-model')
    load_settings()
    return fake_llm


@pytest.fixture(autouse=True)
def test_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_template: Path) -> Path:
    """Every test: its own SQLite copy, data folder and working directory, and fast bcrypt."""
    for name in ISOLATED_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    database = tmp_path / 'speakroom.db'
    shutil.copy(sqlite_template, database)
    monkeypatch.chdir(tmp_path)  # so a developer's .env is not read
    monkeypatch.setenv('DATABASE_URL', f'sqlite:///{database}')
    monkeypatch.setenv('DATA_DIR', str(tmp_path / 'data'))
    monkeypatch.setenv('SECRET_KEY', 'test-secret-key-not-for-production')
    monkeypatch.setenv('BCRYPT_ROUNDS', '4')
    load_settings()
    return tmp_path


@pytest.fixture(params=['sqlite', 'postgresql'])
async def database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    """The engine connected to an empty, migrated database; runs the test once per backend."""
    if request.param == 'postgresql':
        url = request.getfixturevalue('postgres_database')
        monkeypatch.setenv('DATABASE_URL', url)
        load_settings()
        await _truncate_all(url)
    await engine.connect(os.environ['DATABASE_URL'])
    yield request.param
    await feedback.shutdown()  # feedback still being written in the background must not outlive its database
    await lease_keeper.stop()  # the heartbeats' own connection belongs to this test's event loop
    await provider.close_backend()  # its HTTP client belongs to this test's event loop
    await engine.dispose()


def run_blocking(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to completion from sync code, even while an event loop runs in this thread."""
    result: list[Any] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coroutine))
        except BaseException as error:  # re-raised in the caller's thread
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


async def _admin_statement(statement: str) -> None:
    admin = build_engine(POSTGRES_URL or '')
    try:
        async with admin.connect() as connection:
            await connection.execution_options(isolation_level='AUTOCOMMIT')
            await connection.execute(text(statement))
    finally:
        await admin.dispose()


async def _truncate_all(url: str) -> None:
    tables = ', '.join(table.name for table in Base.metadata.sorted_tables)
    cleaner = build_engine(url)
    try:
        async with cleaner.begin() as connection:
            await connection.execute(text(f'TRUNCATE {tables} RESTART IDENTITY CASCADE'))
    finally:
        await cleaner.dispose()


@pytest.fixture
def hand_overs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls handed to aiosqlite's thread, by name, while the test runs."""
    seen: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(
        self: aiosqlite.Connection, function: object, *args: object, **kwargs: object
    ) -> object:
        seen.append(getattr(function, '__name__', repr(function)))
        return await original(self, function, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, '_execute', counted)
    return seen
