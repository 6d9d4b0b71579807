"""Schemathesis over /openapi.json against the real app in a subprocess, authenticated with a real token."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from api.rest.schemas import ROOM_EXAMPLE
from tests.api.conftest import API_VARIABLES, PASSWORD
from tests.app_process import free_port, serving
from tests.conftest import ISOLATED_VARIABLES
from tests.fakes.openai_server import FakeLLMServer

SCHEMATHESIS = Path(sys.executable).with_name('schemathesis')
# Every check but positive_data_acceptance: the services' rules (a deliverable-looking email, required
# text that is more than spaces) are stricter than a JSON schema can say, so some schema-valid input
# is rightly a 422. A fixed seed keeps the run reproducible.
ARGUMENTS = ['--checks', 'all', '--exclude-checks', 'positive_data_acceptance', '--max-examples', '12']
ARGUMENTS += ['--seed', '20261122', '--request-timeout', '30', '--max-failures', '10']


@contextmanager
def running_app(workdir: Path, llm_url: str) -> Iterator[str]:
    """main.py on a free port over this test's migrated SQLite copy; the fake LLM answers, espeak-ng speaks."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(('PYTEST_', 'NICEGUI_')) and key not in {*ISOLATED_VARIABLES, *API_VARIABLES}
    }
    env |= {
        'HOST': '127.0.0.1',
        'PORT': str(port),
        'DATABASE_URL': os.environ['DATABASE_URL'],  # the test's own copy of the migrated template
        'DATA_DIR': str(workdir / 'data'),
        'SECRET_KEY': 'schemathesis-secret-key',
        'LLM_BASE_URL': llm_url,
        'LLM_MODEL': 'fake-model',
        'TTS_ENGINE': 'espeak',  # a voice for every language, so no 503 "no voice" answers
        'DAILY_QUOTA': '100',  # let most generated messages reach the model, not the 429
    }
    with serving(workdir, env) as url:
        yield url


def test_schemathesis_finds_no_server_errors_or_schema_violations(
    tmp_path: Path, fake_llm: FakeLLMServer
) -> None:
    """Every operation, fuzzed and replayed statefully: no 5xx, responses match the documented schemas."""
    assert SCHEMATHESIS.exists(), 'schemathesis is a test dependency: pip install -e ".[test]"'
    with running_app(tmp_path, fake_llm.base_url) as url, httpx.Client(base_url=url, timeout=30) as http:
        account = {'username': 'mina', 'email': 'mina@example.com', 'password': PASSWORD}
        assert http.post('/api/auth/register', json=account).status_code == 201
        token = http.post('/api/auth/token', json={'username': 'mina', 'password': PASSWORD}).json()
        authorization = f'Bearer {token["access_token"]}'
        room = ROOM_EXAMPLE  # a room to find, so generated ids sometimes hit one
        assert http.post('/api/rooms', json=room, headers={'Authorization': authorization}).status_code == 201
        command = [str(SCHEMATHESIS), 'run', f'{url}/openapi.json', '-H', f'Authorization: {authorization}']
        run = subprocess.run(
            [*command, *ARGUMENTS],
            cwd=tmp_path,  # its .hypothesis folder lands in the test's temporary folder
            capture_output=True,
            text=True,
            timeout=240,
            env={**os.environ, 'NO_COLOR': '1'},
        )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert ' passed' in run.stdout and 'Tested: 35' in run.stdout
