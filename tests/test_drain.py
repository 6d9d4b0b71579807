"""SIGTERM drains: replies being written when the app process is told to stop get DRAIN_SECONDS to finish
(a process taken out of rotation finishes its replies, then stops); those still running then end stopped."""

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from bench.page_learners import Learner
from tests.app_process import ROOT, free_port, serving_process
from tests.fakes.openai_server import FakeLLMServer

WORDS = [f'word{n:02d}' for n in range(40)]


async def test_a_reply_being_written_at_sigterm_is_finished_before_the_process_stops(
    tmp_path: Path, fake_llm: FakeLLMServer
) -> None:
    """Sent on the chat page, SIGTERM at its first words: the reply is saved complete, whole, charged once."""
    fake_llm.reply, fake_llm.chunk_delay = ' '.join(WORDS), 0.1  # 4 s of writing after SIGTERM
    reply, _seen_at_sigterm = await reply_after_sigterm(tmp_path, fake_llm, drain_seconds=None)
    assert reply == ('complete', ' '.join(WORDS), None, 1)


async def test_a_reply_longer_than_the_drain_window_ends_stopped_with_its_text_so_far(
    tmp_path: Path, fake_llm: FakeLLMServer
) -> None:
    """DRAIN_SECONDS=3 and a 20 s reply: it is saved stopped with the words written by then, still charged."""
    fake_llm.reply, fake_llm.chunk_delay = ' '.join(WORDS), 0.5  # two words a second
    reply, seen_at_sigterm = await reply_after_sigterm(tmp_path, fake_llm, drain_seconds=3)
    status, content, error, charged = reply
    assert (status, error, charged) == ('stopped', None, 1)  # the model was asked: Stop's charging rule
    assert content.startswith(seen_at_sigterm) and not content.endswith(WORDS[-1])
    # The lease lags the text by at most a second (2 words): the rest was written during the drain.
    assert len(content.split()) >= len(seen_at_sigterm.split()) + 4


async def reply_after_sigterm(
    tmp_path: Path, fake_llm: FakeLLMServer, drain_seconds: float | None
) -> tuple[tuple[str, str, str | None, int], str]:
    """Send on the chat page, SIGTERM the app once the reply is being written: the saved reply and units
    used, and the reply's text in its lease at that moment."""
    database = tmp_path / 'app.db'
    env = {key: value for key, value in os.environ.items() if not key.startswith(('PYTEST_', 'NICEGUI_'))}
    env |= {
        'PORT': str(free_port()), 'HOST': '127.0.0.1', 'DATABASE_URL': f'sqlite:///{database}',
        'DATA_DIR': str(tmp_path / 'data'), 'SECRET_KEY': 'drain-test', 'BCRYPT_ROUNDS': '4',
        'LLM_BASE_URL': fake_llm.base_url, 'LLM_MODEL': 'fake-model', 'TTS_ENGINE': 'espeak',
    }  # fmt: skip
    if drain_seconds is not None:
        env['DRAIN_SECONDS'] = str(drain_seconds)
    subprocess.run([sys.executable, str(ROOT / 'manage.py'), 'migrate'], cwd=tmp_path, env=env, check=True)
    with serving_process(tmp_path, env) as (url, process):
        learner = Learner('mina', httpx.AsyncClient(base_url=url, timeout=60))
        try:
            await learner.sign_up()
            await learner.log_in()
            await learner.open_chat()
            turn = asyncio.create_task(learner.turn('Tell me a story', WORDS[0], WORDS[-1]))
            seen_at_sigterm = await wait_for_lease_text(database)
            process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(process.wait, 60)
            turn.cancel()
        finally:
            await learner.close()
    with sqlite3.connect(database) as connection:
        status, content, error = connection.execute(
            "SELECT status, content, error FROM messages WHERE role = 'assistant'"
        ).fetchone()
        charged = connection.execute('SELECT COALESCE(SUM(used), 0) FROM daily_usage').fetchone()[0]
    return (status, content, error, charged), seen_at_sigterm


async def wait_for_lease_text(database: Path) -> str:
    """The reply's text in its lease once it holds some: the model is streaming it (renewed once a second)."""
    for _attempt in range(200):
        with sqlite3.connect(database) as connection:
            if found := connection.execute("SELECT text FROM reply_leases WHERE text <> ''").fetchone():
                return found[0]
        await asyncio.sleep(0.05)
    raise AssertionError('the reply never started streaming')
