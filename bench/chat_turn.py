"""Chat-turn latency through the app's chat service vs a direct openai-client call, in one run.

Both paths stream from the same fake OpenAI-compatible server over real HTTP; the reply takes about
two seconds (CHUNKS pieces, CHUNK_DELAY apart). "App" is what a page does for one turn: charge the
quota and commit the message (SQLite), start the background reply, follow it until done and save
it. Reported: time to first token and full turn, p50/p95, at 1 and at 50 concurrent users, and the
app/direct ratios. Run: `.venv/bin/python -m bench.chat_turn` (writes bench/RESULTS.md's section).
"""

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

from openai import AsyncOpenAI

from db import engine
from db.migrate import upgrade
from services import accounts, chat, rooms
from services.rooms import RoomDraft
from services.settings import load_settings

CHUNKS = 20
CHUNK_DELAY = 0.1  # 20 x 0.1 s: a two-second reply
ROUNDS = {1: 15, 50: 3}  # concurrency: rounds (1 user x 15 turns; 50 users x 3 rounds = 150 turns)
REPLY = ' '.join(f'w{i}' for i in range(CHUNKS))


async def main(database: str | None) -> str:
    with tempfile.TemporaryDirectory() as workdir, _fake_server_process() as base_url:
        database = database or f'sqlite:///{workdir}/bench.db'
        os.environ.update(
            DATABASE_URL=database, DATA_DIR=workdir, SECRET_KEY='bench', BCRYPT_ROUNDS='4',
            LLM_BASE_URL=base_url, LLM_MODEL='fake-model', DAILY_QUOTA='10000',
        )  # fmt: skip
        load_settings()
        await upgrade(database)
        await engine.connect(database)
        direct_client = AsyncOpenAI(base_url=base_url, api_key='x', max_retries=0)
        users = await _users(max(ROUNDS))
        lines = []
        for concurrency, rounds in ROUNDS.items():
            direct, app = [], []
            for _ in range(rounds):  # interleaved, so drift on the machine hits both paths alike
                direct += await asyncio.gather(*(_direct_turn(direct_client) for _ in range(concurrency)))
                app += await asyncio.gather(*(_app_turn(*users[i]) for i in range(concurrency)))
            lines.append(_row(concurrency, direct, app))
        await direct_client.close()
        await engine.dispose()
    return _report(lines)


@contextlib.contextmanager
def _fake_server_process() -> Iterator[str]:
    """The fake LLM server in its own process, as a real one would be (no GIL shared with the app)."""
    command = [
        sys.executable,
        '-m',
        'tests.fakes.openai_server',
        '--reply',
        REPLY,
        '--chunk-delay',
        str(CHUNK_DELAY),
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        server.terminate()
        server.wait(timeout=10)


async def _users(count: int) -> list[tuple[int, int]]:
    pairs = []
    for index in range(count):
        user = await accounts.register(
            f'bench{index}',
            f'bench{index}@example.com',
            'amber-kettle-58',
            'amber-kettle-58',
            client_address=f'bench-{index}',  # sign-ups are throttled per address: one each
        )
        room = await rooms.create_room(
            user.id, RoomDraft('Bench', 'en', 'Benchmark.', 'Partner', 'Learner', 'B1')
        )
        pairs.append((user.id, room.id))
    return pairs


async def _direct_turn(client: AsyncOpenAI) -> tuple[float, float]:
    started = time.perf_counter()
    first = None
    stream = await client.chat.completions.create(
        model='fake-model', messages=[{'role': 'user', 'content': 'hello'}], stream=True, max_tokens=400
    )
    async for chunk in stream:
        if first is None and chunk.choices and chunk.choices[0].delta.content:
            first = time.perf_counter() - started
    return first or 0.0, time.perf_counter() - started


async def _app_turn(user_id: int, room_id: int) -> tuple[float, float]:
    started = time.perf_counter()
    first = None
    turn = await chat.send_message(user_id, room_id, 'hello')
    assert turn is not None
    async for snapshot in chat.follow(user_id, turn.reply.id):
        if first is None and snapshot.content:
            first = time.perf_counter() - started
        if snapshot.status != 'pending':
            assert snapshot.status == 'complete', snapshot
    return first or 0.0, time.perf_counter() - started


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _row(concurrency: int, direct: list[tuple[float, float]], app: list[tuple[float, float]]) -> str:
    cells = []
    for index in (0, 1):  # time to first token, full turn
        d = [sample[index] for sample in direct]
        a = [sample[index] for sample in app]
        cells += [
            f'{statistics.median(d) * 1000:.0f} / {_percentile(d, 0.95) * 1000:.0f}',
            f'{statistics.median(a) * 1000:.0f} / {_percentile(a, 0.95) * 1000:.0f}',
            f'{statistics.median(a) / statistics.median(d):.3f}',
        ]
    return f'| {concurrency} | {len(app)} | ' + ' | '.join(cells) + ' |'


def _report(lines: list[str]) -> str:
    header = (
        '| users | turns | TTFT direct p50/p95 ms | TTFT app p50/p95 ms | TTFT ratio p50 '
        '| turn direct p50/p95 ms | turn app p50/p95 ms | turn ratio p50 |\n'
        '|---|---|---|---|---|---|---|---|'
    )
    return header + '\n' + '\n'.join(lines)


if __name__ == '__main__':
    # BENCH_DATABASE_URL=postgresql://... measures on PostgreSQL; the default is a temporary SQLite file.
    print(asyncio.run(main(os.environ.get('BENCH_DATABASE_URL'))))
