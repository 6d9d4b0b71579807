"""Schemathesis over /openapi.json against the real app in a subprocess, authenticated with a real token."""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from api.rest.links import LINKS
from api.rest.schemas import ROOM_EXAMPLE
from tests.api.conftest import API_VARIABLES, PASSWORD
from tests.app_process import ROOT, free_port, serving
from tests.conftest import ISOLATED_VARIABLES
from tests.fakes.openai_server import DEFAULT_REPLY, FakeLLMServer

SCHEMATHESIS = Path(sys.executable).with_name('schemathesis')
ADMIN = 'mina'
# Every check, positive_data_acceptance included: whatever the document calls valid, the server takes.
# A fixed seed keeps the run reproducible.
ARGUMENTS = ['--checks', 'all', '--max-examples', '20', '--seed', '20261122', '--request-timeout', '30']
ARGUMENTS += ['--max-failures', '10', '--report', 'json', '--report-json-path', 'report.json']
# The stateful phase follows the links the document publishes, and only those (not links schemathesis
# guesses from names), so this run proves them: a warning that an operation only ever saw 404s (made-up
# ids) fails it. Guessed links would also pair "clear a room's conversation" (DELETE …/messages) with
# reading it, and take the empty conversation that follows for a deleted resource still served.
CONFIG = """
[phases.stateful.inference]
algorithms = []

[phases.stateful]
max-steps = 12  # long enough chains to go from a message to its feedback, a correction and a saved word

[phases.stateful.generation]
max-examples = 100

[warnings]
fail-on = ["missing_test_data", "validation_mismatch", "unsupported_regex", "unresolvable_reference"]

# Two rules no JSON Schema can state, so a schema-valid value may still be refused there (both documented
# in the field's description): a password's strength (zxcvbn, checked on registration) and whether a rooms
# cursor is one the server issued (it is opaque). Only for those two operations is a 422 also accepted
# as the answer to valid data; every other operation must take whatever its schema allows.
[[operations]]
include-operation-id = ["register", "list_rooms"]
checks.positive_data_acceptance.expected-statuses = [
    "2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"
]

# Most generated passwords are easy to guess ("aaaaaaaa"), so registration mostly answers 422, which
# schemathesis reports as a schema stricter than documented (and can only be silenced per operation,
# missing test data with it: registration takes no ids). Its 2xx and 422 answers are still checked above.
[[operations]]
include-operation-id = "register"
warnings = false
"""
# The partner's feedback finds a mistake in lines with "One" (the examples' "One latte, please."), so the
# stateful phase reaches the corrections (dismiss, explain, save) through the links from the feedback.
ONE_MISTAKE = {
    'has_errors': True,
    'corrected': 'A latte, please.',
    'natural_alternative': '',
    'corrections': [
        {'original': 'One', 'replacement': 'A', 'category': 'article', 'severity': 'low', 'explanation': 'A.'}
    ],
}


def sometimes_empty(body: dict) -> str:
    """A message in four (length 1, 5, 9 … ) gets an empty reply, which fails: there are replies to retry;
    the others get one to translate and look words up in."""
    return '' if len(str(body['messages'][-1]['content'])) % 4 == 1 else DEFAULT_REPLY


@contextmanager
def running_app(workdir: Path, llm_url: str) -> Iterator[str]:
    """main.py on a free port over this test's migrated SQLite copy; the fake LLM answers, espeak-ng speaks."""
    port = free_port()
    with serving(
        workdir, app_environment(workdir, llm_url) | {'HOST': '127.0.0.1', 'PORT': str(port)}
    ) as url:
        yield url


def app_environment(workdir: Path, llm_url: str) -> dict[str, str]:
    """The app's settings (and `manage.py`'s, run on the same database)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(('PYTEST_', 'NICEGUI_')) and key not in {*ISOLATED_VARIABLES, *API_VARIABLES}
    }
    return env | {
        'DATABASE_URL': os.environ['DATABASE_URL'],  # the test's own copy of the migrated template
        'DATA_DIR': str(workdir / 'data'),
        'SECRET_KEY': 'schemathesis-secret-key',
        'LLM_BASE_URL': llm_url,
        'LLM_MODEL': 'fake-model',
        'TTS_ENGINE': 'espeak',  # a voice for every language, so no 503 "no voice" answers
        'DAILY_QUOTA': '100',  # let most generated messages reach the model, not the 429
    }


def promote(workdir: Path, llm_url: str, username: str) -> None:
    """`python manage.py promote USERNAME` on the running app's database, as an operator does."""
    command = [sys.executable, str(ROOT / 'manage.py'), 'promote', username]
    subprocess.run(
        command, cwd=workdir, env=app_environment(workdir, llm_url), check=True, capture_output=True
    )


def test_schemathesis_finds_no_server_errors_or_schema_violations(
    tmp_path: Path, fake_llm: FakeLLMServer
) -> None:
    """Every operation fuzzed with every check, then chained by the document's links: no failure."""
    assert SCHEMATHESIS.exists(), 'schemathesis is a test dependency: pip install -e ".[test]"'
    fake_llm.reply_for = sometimes_empty
    fake_llm.task_replies['turn_feedback'] = ONE_MISTAKE
    (tmp_path / 'schemathesis.toml').write_text(CONFIG)
    with running_app(tmp_path, fake_llm.base_url) as url, httpx.Client(base_url=url, timeout=30) as http:
        account = {'username': ADMIN, 'email': 'mina@example.com', 'password': PASSWORD}
        assert http.post('/api/auth/register', json=account).status_code == 201
        promote(
            tmp_path, fake_llm.base_url, ADMIN
        )  # the fuzzer's account, so the admin operations are reached
        token = http.post('/api/auth/token', json={'username': ADMIN, 'password': PASSWORD}).json()
        authorization = f'Bearer {token["access_token"]}'
        headers = {'Authorization': authorization}
        room = http.post('/api/rooms', json=ROOM_EXAMPLE, headers=headers).json()  # generated ids may hit it
        # Reply 2 (the documented example id) failed, so retrying it from the examples works.
        failed = http.post(f'/api/rooms/{room["id"]}/messages', json={'text': 'One latte'}, headers=headers)
        assert failed.json()['reply'] == failed.json()['reply'] | {'id': 2, 'status': 'failed'}
        # Reply 4 (the example of a reply to translate or look a word up in, such as "meet") is complete.
        sent = http.post(f'/api/rooms/{room["id"]}/messages', json={'text': 'A latte'}, headers=headers)
        assert sent.json()['reply'] == sent.json()['reply'] | {'id': 4, 'content': DEFAULT_REPLY}
        command = [str(SCHEMATHESIS), 'run', f'{url}/openapi.json', '-H', f'Authorization: {authorization}']
        run = subprocess.run(
            [*command, *ARGUMENTS],
            cwd=tmp_path,  # its schemathesis.toml; its .hypothesis folder lands in the test's temporary folder
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, 'NO_COLOR': '1'},
        )
    failures = run.stdout.find('FAILURES')  # the failures first: the summary alone names no operation
    assert run.returncode == 0, (
        run.stdout[max(failures, 0) :][:8000] + run.stdout[-3000:] + run.stderr[-2000:]
    )
    report = json.loads((tmp_path / 'report.json').read_text())
    assert report['operations']['tested'] == report['operations']['selected'] > 0
    assert report['phases']['stateful']['status'] == 'success'
    links = re.search(r'API Links:\s+(\d+) covered / \d+ selected / (\d+) total', run.stdout)
    assert links, run.stdout[-3000:]
    assert int(links[2]) == len(LINKS)  # every published link is valid and nothing was guessed
    assert int(links[1]) >= len(LINKS) // 2, run.stdout[-3000:]
