"""Feedback latency next to the reply's: from Send to the feedback card's data being stored, and to the
reply's first token and its end, in one run.

Both go through the app's services as the chat page uses them: `chat.send_message` commits the line
and starts the reply and the feedback side by side; `chat.follow` gives the reply as it grows and
`feedback.wait_feedback` wakes the moment the feedback is stored (the card is drawn right after, on
the same event loop). The fake OpenAI-compatible server streams the reply (CHUNKS pieces CHUNK_DELAY
apart after FIRST_TOKEN s) and answers the `turn_feedback` helper after HELPER_DELAY s, so the
figures show the app's own share on top of those delays. Run: `.venv/bin/python -m bench.feedback_latency`.
"""

import asyncio
import json
import os
import statistics
import tempfile
import time

from db import engine
from db.migrate import upgrade
from services import accounts, chat, feedback, rooms
from services.rooms import RoomDraft
from services.settings import load_settings
from tests.fakes.openai_server import FakeLLMServer

TURNS = 12
CHUNKS, CHUNK_DELAY, FIRST_TOKEN, HELPER_DELAY = 20, 0.05, 0.3, 0.8
LINE = 'I go to the park yesterday.'
FEEDBACK = {
    'has_errors': True,
    'corrected': 'I went to the park yesterday.',
    'natural_alternative': '',
    'corrections': [
        {'original': 'go', 'replacement': 'went', 'category': 'verb_tense', 'severity': 'high',
         'explanation': '어제 일이므로 과거형을 씁니다.'}
    ],
}  # fmt: skip


async def main() -> str:
    with tempfile.TemporaryDirectory() as workdir, FakeLLMServer() as server:
        server.reply = ' '.join(f'w{i}' for i in range(CHUNKS))
        server.chunk_delay, server.first_token_delay, server.helper_delay = (
            CHUNK_DELAY,
            FIRST_TOKEN,
            HELPER_DELAY,
        )
        server.task_replies['turn_feedback'] = json.dumps(FEEDBACK)
        database = f'sqlite:///{workdir}/bench.db'
        os.environ.update(
            DATABASE_URL=database, DATA_DIR=workdir, SECRET_KEY='bench', BCRYPT_ROUNDS='4',
            LLM_BASE_URL=server.base_url, LLM_MODEL='fake-model', DAILY_QUOTA='1000', DAILY_HELP_QUOTA='1000',
        )  # fmt: skip
        load_settings()
        await upgrade(database)
        await engine.connect(database)
        user = await accounts.register(
            'bench', 'bench@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
        )
        room = await rooms.create_room(user.id, RoomDraft('Park', 'en', 'A walk.', 'Friend', 'Me', 'A2'))
        turns = [await _turn(user.id, room.id) for _ in range(TURNS)]
        await feedback.shutdown()
        await engine.dispose()
    return _report(turns)


async def _turn(user_id: int, room_id: int) -> tuple[float, float, float]:
    """(reply first token, reply done, feedback stored) in seconds after Send."""
    started = time.perf_counter()
    turn = await chat.send_message(user_id, room_id, LINE)
    assert turn is not None and turn.user_message is not None

    async def reply() -> tuple[float, float]:
        first = None
        async for snapshot in chat.follow(user_id, turn.reply.id):
            if first is None and snapshot.content:
                first = time.perf_counter() - started
        return first or 0.0, time.perf_counter() - started

    async def notes() -> float:
        info = await feedback.wait_feedback(user_id, turn.user_message.id)
        assert info.status == 'ready', info
        return time.perf_counter() - started

    (first, done), stored = await asyncio.gather(reply(), notes())
    return first, done, stored


def _report(turns: list[tuple[float, float, float]]) -> str:
    def cell(values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return f'{statistics.median(values) * 1000:.0f} / {p95 * 1000:.0f}'

    firsts, dones, stored = (list(column) for column in zip(*turns, strict=True))
    model_reply = FIRST_TOKEN + CHUNKS * CHUNK_DELAY
    return '\n'.join([
        '| from Send to | p50 / p95 ms | the fake model alone takes |',
        '|---|---|---|',
        f'| the reply\'s first token | {cell(firsts)} | {FIRST_TOKEN * 1000:.0f} ms |',
        f'| the reply finished | {cell(dones)} | {model_reply * 1000:.0f} ms |',
        f'| the feedback stored (card shown) | {cell(stored)} | {HELPER_DELAY * 1000:.0f} ms |',
        f'\n{TURNS} turns, one learner, SQLite; feedback Gentle (the default).',
    ])  # fmt: skip


if __name__ == '__main__':
    print(asyncio.run(main()))
