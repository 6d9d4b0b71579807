"""The page-load benchmark's learners (bench/page_learners.py) against a real app process and its socket."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.page_learners import Learner, charged_replies
from tests.app_process import ROOT, free_port, serving
from tests.fakes.openai_server import FakeLLMServer

PIECES = [f'piece{n:02d}' for n in range(12)]


@pytest.fixture
def app_url(tmp_path: Path, fake_llm: FakeLLMServer) -> Iterator[str]:
    """`main.py` (migrated SQLite, fast bcrypt) talking to the fake LLM, which streams twelve pieces."""
    fake_llm.reply = ' '.join(PIECES)
    fake_llm.first_token_delay, fake_llm.chunk_delay = 0.2, 0.03
    env = {key: value for key, value in os.environ.items() if not key.startswith(('PYTEST_', 'NICEGUI_'))}
    env |= {
        'PORT': str(free_port()), 'HOST': '127.0.0.1', 'DATABASE_URL': f'sqlite:///{tmp_path / "app.db"}',
        'DATA_DIR': str(tmp_path / 'data'), 'SECRET_KEY': 'bench-test', 'BCRYPT_ROUNDS': '4',
        'SIGNUP_ADDRESS_MAX': '1000', 'DAILY_QUOTA': '50', 'LLM_BASE_URL': fake_llm.base_url,
        'LLM_MODEL': 'fake-model', 'TTS_ENGINE': 'espeak',
    }  # fmt: skip
    subprocess.run([sys.executable, str(ROOT / 'manage.py'), 'migrate'], cwd=tmp_path, env=env, check=True)
    with serving(tmp_path, env) as url:
        yield url


async def test_two_learners_see_their_replies_stream_on_the_chat_page_and_each_is_charged(
    app_url: str, tmp_path: Path
) -> None:
    """Two socket.io learners log in on /login, send on their chat page and see two whole replies; 4 charged."""
    learners = [Learner(f'pages{n}', httpx.AsyncClient(base_url=app_url, timeout=60)) for n in range(2)]
    try:
        for learner in learners:
            await learner.sign_up()
            await learner.log_in()
            await learner.open_chat()
        turns = []
        for text in ('Hello there', 'A latte, please'):  # the second reply is told apart from the first
            turns += await asyncio.gather(
                *(learner.turn(text, PIECES[0], PIECES[-1]) for learner in learners)
            )
        pages = [learner.page for learner in learners]
    finally:
        await asyncio.gather(*(learner.close() for learner in learners))
    assert [turn.error for turn in turns] == [None] * 4
    for turn in turns:
        assert turn.first_token is not None and turn.done is not None
        assert 0.2 <= turn.first_token <= turn.done  # not before the model's own first-token delay
        # The reply is seen growing (its new words come as `append` calls), not only once it is whole:
        # eleven more pieces 30 ms apart follow the first.
        assert turn.done - turn.first_token >= 0.15
    assert [page.disconnects + page.reloads for page in pages] == [0, 0]
    assert await charged_replies(f'sqlite:///{tmp_path / "app.db"}') == 4
