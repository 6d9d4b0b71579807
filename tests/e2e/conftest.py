"""Browser tests: the real app in a subprocess on a free port, driven by Playwright in Debian's Chromium."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.app_process import ROOT, free_port, serving
from tests.fakes.oauth_provider import FakeOAuthProvider
from tests.fakes.openai_server import FakeLLMServer

ADMIN_USERNAME = 'e2e_admin'  # the account the admin journey promotes with `manage.py promote`
ARTIFACTS = Path(__file__).resolve().parent / 'artifacts'
# Where and with which environment each app under test runs (its URL → working folder, environment).
APP_COMMAND_CONTEXT: dict[str, tuple[Path, dict[str, str]]] = {}
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope='session')
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium when present (Playwright's own download needs internet)."""
    args = {**browser_type_launch_args, 'args': CHROMIUM_ARGS}
    if Path(CHROMIUM).exists():
        args['executable_path'] = CHROMIUM
    return args


@pytest.fixture(scope='session')
def e2e_llm() -> Iterator[FakeLLMServer]:
    """The OpenAI-compatible server the app under test talks to (real HTTP on 127.0.0.1)."""
    with FakeLLMServer() as server:
        server.chunk_delay = 0.03
        yield server


@pytest.fixture
def llm(e2e_llm: FakeLLMServer) -> FakeLLMServer:
    """The shared fake server, reset to its defaults for this test."""
    e2e_llm.reset()
    e2e_llm.chunk_delay = 0.03
    return e2e_llm


@pytest.fixture(scope='session')
def e2e_github() -> Iterator[FakeOAuthProvider]:
    """A local GitHub (Authlib's server side) the app under test is configured to use."""
    with FakeOAuthProvider('github') as provider:
        yield provider


@pytest.fixture(scope='session')
def app_server(
    tmp_path_factory: pytest.TempPathFactory, e2e_llm: FakeLLMServer, e2e_github: FakeOAuthProvider
) -> Iterator[str]:
    """The app talking to the fake LLM server."""
    # Piper speaks English offline; TTS_ENGINE=auto would first try Google, and tests never call outside.
    environment = {
        'LLM_BASE_URL': e2e_llm.base_url,
        'LLM_MODEL': 'fake-model',
        'TTS_ENGINE': 'piper',
    }
    yield from run_app(tmp_path_factory, environment | e2e_github.github_settings)


@pytest.fixture
def manage(app_server: str):
    """`manage('promote', 'name')` runs `python manage.py …` on the database of the app under test."""

    def run(*arguments: str) -> None:
        workdir, env = APP_COMMAND_CONTEXT[app_server]
        subprocess.run(
            [sys.executable, str(ROOT / 'manage.py'), *arguments], cwd=workdir, env=env, check=True
        )

    return run


@pytest.fixture(scope='session')
def embedded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with no LLM configured: the embedded model answers, offline."""
    yield from run_app(tmp_path_factory, {})


def run_app(tmp_path_factory: pytest.TempPathFactory, extra_env: dict[str, str]) -> Iterator[str]:
    """`manage.py migrate` then `main.py`, as `make run` does, on a fresh SQLite database."""
    workdir = tmp_path_factory.mktemp('app')
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(('PYTEST_', 'NICEGUI_'))}
    for name in ('LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL', 'OPENAI_API_KEY', 'DATABASE_URL', 'SECRET_KEY'):
        env.pop(name, None)
    env |= app_environment(workdir, port) | extra_env
    subprocess.run([sys.executable, str(ROOT / 'manage.py'), 'migrate'], cwd=workdir, env=env, check=True)
    with serving(workdir, env) as url:
        APP_COMMAND_CONTEXT[url] = (workdir, env)
        yield url


def app_environment(workdir: Path, port: int) -> dict[str, str]:
    """The configuration of the app under test (extended by later fixtures, e.g. a fake LLM)."""
    return {
        'PORT': str(port),
        'HOST': '127.0.0.1',
        'DATABASE_URL': f'sqlite:///{workdir / "speakroom.db"}',
        'DATA_DIR': str(workdir / 'data'),
        'BCRYPT_ROUNDS': '4',
        # Every browser test signs up from 127.0.0.1 against this one server: no sign-up throttle here
        # (tests/services/test_login_throttle.py covers it).
        'SIGNUP_ADDRESS_MAX': '100000',
    }


@pytest.fixture(scope='session')
def base_url(app_server: str) -> str:
    return app_server


@pytest.fixture
def shot(request: pytest.FixtureRequest):
    """`shot('name')` saves a full-page screenshot under tests/e2e/artifacts/<test>-<name>.png.

    It shows the test's `page` unless another page is given (`shot('name', other_page)`).
    """
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str, on: Page | None = None) -> Path:
        path = ARTIFACTS / f'{request.node.name}-{name}.png'
        target = on or request.getfixturevalue('page')
        # Headless Chromium now and then answers a full-page capture with "Unable to capture
        # screenshot" while the page is still laying out (seen once in CI on the gallery); a
        # second try a moment later succeeds, and a screenshot is evidence, not an assertion.
        for attempt in range(3):
            try:
                target.screenshot(path=path, full_page=True)
                return path
            except PlaywrightError:
                if attempt == 2:
                    raise
                target.wait_for_timeout(300)
        return path

    return take
