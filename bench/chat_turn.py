"""Chat-turn latency through the app's chat service vs a direct openai-client call, in one run.

Both paths stream from the same fake OpenAI-compatible server over real HTTP; the reply takes about
two seconds (CHUNKS pieces, CHUNK_DELAY apart). "App" is what a page does for one turn: charge the
quota and commit the message (SQLite), start the background reply, follow it until done and save
it. Reported: time to first token and full turn, p50/p95, at 1 and at 50 concurrent users, and the
app/direct ratios; then the database work of one turn (statements and round trips of the send, and of
the whole turn with the background reply and feedback, counted at 1 user) and the process CPU per turn.
Run: `.venv/bin/python -m bench.chat_turn` (writes bench/RESULTS.md's section).
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
from sqlalchemy import event

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
        counter = _DatabaseCounter()
        lines, work = [], []
        for concurrency, rounds in ROUNDS.items():
            direct, app = [], []
            cpu = {'direct': 0.0, 'app': 0.0}
            counted = counter.snapshot()
            for _ in range(rounds):  # interleaved, so drift on the machine hits both paths alike
                started = time.process_time()
                direct += await asyncio.gather(*(_direct_turn(direct_client) for _ in range(concurrency)))
                cpu['direct'] += time.process_time() - started
                started = time.process_time()
                app += await asyncio.gather(*(_app_turn(*users[i], counter) for i in range(concurrency)))
                cpu['app'] += time.process_time() - started
            lines.append(_row(concurrency, direct, app))
            work.append(_work_row(concurrency, counter, counted, len(app), cpu))
        await direct_client.close()
        await engine.dispose()
    return _report(lines, work)


class _DatabaseCounter:
    """Statements and round trips to the database, from SQLAlchemy's engine events.

    A round trip is a statement, a commit or a rollback; on PostgreSQL also the BEGIN asyncpg sends and the
    pool's pre-ping at each checkout (SQLite's BEGIN IMMEDIATE is a statement; its commit a call).
    """

    def __init__(self) -> None:
        self.statements = self.round_trips = 0
        self.sends = self.send_statements = self.send_round_trips = 0
        sync_engine = engine.sessionmaker().kw['bind'].sync_engine
        postgresql = sync_engine.dialect.name == 'postgresql'
        event.listen(sync_engine, 'before_cursor_execute', self._statement)
        for name in ('commit', 'rollback') + (('begin',) if postgresql else ()):
            event.listen(sync_engine, name, self._round_trip)
        if postgresql and sync_engine.pool._pre_ping:
            event.listen(sync_engine.pool, 'checkout', self._round_trip)

    def snapshot(self) -> tuple[int, int]:
        return self.statements, self.round_trips

    def _statement(self, *_args: object) -> None:
        self.statements += 1
        self.round_trips += 1

    def _round_trip(self, *_args: object) -> None:
        self.round_trips += 1


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


async def _app_turn(user_id: int, room_id: int, counter: _DatabaseCounter) -> tuple[float, float]:
    started = time.perf_counter()
    first = None
    before = counter.snapshot()
    turn = await chat.send_message(user_id, room_id, 'hello')
    assert turn is not None
    counter.sends += 1  # exact at 1 user (nothing else runs during a send), an upper bound at 50
    counter.send_statements += counter.statements - before[0]
    counter.send_round_trips += counter.round_trips - before[1]
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


def _work_row(
    concurrency: int, counter: _DatabaseCounter, counted: tuple[int, int], turns: int, cpu: dict[str, float]
) -> str:
    if concurrency == 1:  # the send's and the whole turn's database work, exact with one user
        statements, round_trips = counter.statements - counted[0], counter.round_trips - counted[1]
        send = (
            f'{counter.send_statements / counter.sends:.1f} / {counter.send_round_trips / counter.sends:.1f}'
        )
        turn = f'{statements / turns:.1f} / {round_trips / turns:.1f}'
    else:
        send = turn = '(as at 1)'
    counter.sends = counter.send_statements = counter.send_round_trips = 0
    cpu_cells = f'{cpu["direct"] / turns * 1000:.1f} / {cpu["app"] / turns * 1000:.1f}'
    return f'| {concurrency} | {send} | {turn} | {cpu_cells} |'


def _report(lines: list[str], work: list[str]) -> str:
    header = (
        '| users | turns | TTFT direct p50/p95 ms | TTFT app p50/p95 ms | TTFT ratio p50 '
        '| turn direct p50/p95 ms | turn app p50/p95 ms | turn ratio p50 |\n'
        '|---|---|---|---|---|---|---|---|'
    )
    work_header = (
        '| users | statements / round trips per send | statements / round trips per turn '
        '| process CPU ms per turn direct / app |\n'
        '|---|---|---|---|'
    )
    return header + '\n' + '\n'.join(lines) + '\n\n' + work_header + '\n' + '\n'.join(work)


if __name__ == '__main__':
    # BENCH_DATABASE_URL=postgresql://... measures on PostgreSQL; the default is a temporary SQLite file.
    print(asyncio.run(main(os.environ.get('BENCH_DATABASE_URL'))))
