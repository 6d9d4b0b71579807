"""Server time of the pages a big account opens, and /healthz for everyone else meanwhile, in one run.

Seeds one learner with 5,000 rooms, one of them holding 20,000 messages (bulk insert), a word to
search for planted early in that room, then starts the real app (`main.py` in a subprocess, as
`make run` does) and times, RUNS times each: /rooms, the big room, the big room opened at the early
search hit, /history with that word, `GET /api/rooms`, and the export (API, and the page's
download route when the app has one). A second client (its own process, one kept-alive connection:
bench/health_probe.py) asks /healthz every 20 ms the whole time; its p95 is reported per page. Times are wall-clock on 127.0.0.1 from request to the last byte (a
page's HTML is complete only once the server has built the page), so they are the server's time.

The signed-in browser session is made the way NiceGUI keeps one: a signed session cookie naming a
user-storage file that holds the user id.

Run: `.venv/bin/python -m bench.pages` (SQLite in a temporary folder), or on PostgreSQL:
`source .ci/postgres.sh && BENCH_DATABASE_URL=$TEST_POSTGRES_URL .venv/bin/python -m bench.pages`.
"""

import asyncio
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from itsdangerous import TimestampSigner
from sqlalchemy import insert, select

from db import engine
from db.engine import sessionmaker
from db.migrate import upgrade
from db.models import Message, Room
from services import accounts, sessions
from services.accounts import UserInfo
from services.settings import load_settings
from tests.app_process import ROOT, free_port, serving

ROOMS = 5_000
BIG_ROOM_MESSAGES = 20_000
RUNS = int(os.environ.get('BENCH_RUNS', '5'))
SECRET = 'bench-secret'
USERNAME, PASSWORD = 'bench', 'amber-kettle-58'
WORD = 'zeppelin'  # said once, early in the big room's history
HIT_AT = 300  # the planted line is the big room's 300th message
SENTENCES = [
    'Could I have a small coffee with oat milk, please? I am in a bit of a hurry this morning.',
    'Of course! One small oat-milk coffee. Would you like anything to eat with it today?',
    'Tell me about a time you solved a hard problem at work, and what you learned from it.',
    '따뜻한 커피 한 잔 주세요, 그리고 케이크도요. 여기서 먹고 갈게요.',
]


async def main(database: str | None) -> str:
    with tempfile.TemporaryDirectory() as workdir:
        database = database or f'sqlite:///{workdir}/bench.db'
        env_values = {
            'DATABASE_URL': database, 'DATA_DIR': workdir, 'SECRET_KEY': SECRET, 'BCRYPT_ROUNDS': '4',
            'DAILY_QUOTA': '10000', 'TTS_ENGINE': 'espeak', 'PORT': str(free_port()),
        }  # fmt: skip
        os.environ.update(env_values)
        load_settings()
        await upgrade(database)
        await engine.connect(database)
        try:
            user, big_room, hit_id = await _seed()
        finally:
            await engine.dispose()
        cookie = _session_cookie(Path(workdir), user)
        env = {**os.environ, **env_values, 'PYTHONPATH': str(ROOT)}
        with serving(Path(workdir), env) as base_url:
            rows = await asyncio.to_thread(_measure, base_url, cookie, big_room, hit_id, _child_pid())
    return _report(database.split(':', 1)[0], rows)


async def _seed() -> tuple[UserInfo, int, int]:
    """The learner, 5,000 rooms and the big room's 20,000 messages; returns (user, big room, hit id)."""
    user = await accounts.register(
        USERNAME, f'{USERNAME}@example.com', PASSWORD, PASSWORD, client_address='127.0.0.1'
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
    async with sessionmaker().begin() as session:
        await session.execute(
            insert(Room),
            [
                {'user_id': user.id, 'title': f'Room {n:04d}', 'language': 'en', 'situation': 'Ordering coffee.',
                 'ai_role': 'Barista', 'my_role': 'Customer', 'level': 'B1',
                 'created_at': start + timedelta(minutes=n), 'last_activity_at': start + timedelta(minutes=n)}
                for n in range(ROOMS)
            ],
        )  # fmt: skip
        big_room = (await session.execute(select(Room.id).order_by(Room.id).limit(1))).scalar_one()
    rows = [
        {
            'room_id': big_room, 'user_id': user.id, 'role': 'user' if n % 2 == 0 else 'assistant',
            'content': f'{WORD.capitalize()}s over the harbour!' if n == HIT_AT else SENTENCES[n % len(SENTENCES)],
            'status': 'complete', 'created_at': start + timedelta(seconds=n),
        }
        for n in range(BIG_ROOM_MESSAGES)
    ]  # fmt: skip
    for batch in range(0, len(rows), 5000):
        async with sessionmaker().begin() as session:
            await session.execute(insert(Message), rows[batch : batch + 5000])
    async with sessionmaker().begin() as session:
        hit_id = (
            await session.execute(select(Message.id).where(Message.content.like(f'%{WORD.capitalize()}%')))
        ).scalar_one()
    return user, big_room, hit_id


def _session_cookie(workdir: Path, user: UserInfo) -> str:
    """A signed-in browser: Starlette's signed session cookie and NiceGUI's user storage file, holding
    the session record a log-in makes (services/sessions.new_session) in the app's storage folder."""
    session_id = str(uuid.uuid4())
    storage = workdir / 'nicegui'  # main.py keeps NiceGUI's storage in DATA_DIR/nicegui
    storage.mkdir(exist_ok=True)
    record = sessions.new_session(user, reauthenticated=False)
    (storage / f'storage-user-{session_id}.json').write_text(json.dumps(record))
    payload = base64.b64encode(json.dumps({'id': session_id}).encode())
    return 'session=' + TimestampSigner(SECRET).sign(payload).decode()


def _measure(
    base_url: str, cookie: str, big_room: int, hit_id: int, server_pid: int
) -> list[tuple[str, list[float], list[float], int, float]]:
    """(what, ms per open, /healthz ms meanwhile, bytes of the last answer, server CPU ms per open) per target."""
    token = _token(base_url)
    page, api = {'Cookie': cookie}, {'Authorization': f'Bearer {token}'}
    targets = [
        ('/rooms (5,000 rooms)', '/rooms', page),
        ('/rooms/{big} (20,000 messages)', f'/rooms/{big_room}', page),
        ('/rooms/{big}?message= early hit', f'/rooms/{big_room}?message={hit_id}', page),
        ('/history?q= (one hit, 20,000 messages)', f'/history?q={WORD}', page),
        ('GET /api/rooms', '/api/rooms', api),
        ('GET /api/rooms/{big}/export (md)', f'/api/rooms/{big_room}/export?format=markdown', api),
        ('GET /api/rooms/{big}/export (json)', f'/api/rooms/{big_room}/export?format=json', api),
        ('page download /rooms/{big}/export (md)', f'/rooms/{big_room}/export?format=markdown', page),
    ]
    probe_cpu = _healthz_cpu(base_url, server_pid)
    with _health_probe(base_url) as idle:  # the machine's own noise: /healthz while nothing else runs
        time.sleep(3)
    rows = [('(nothing else: /healthz baseline)', [0.0], idle, 0, 0.0)]
    for name, path, headers in targets:
        # An untimed first open warms the target up; the page download route exists only after the fix.
        if _status(base_url + path, headers) == 404:
            continue
        with _health_probe(base_url) as health:
            samples, size = [], 0
            cpu_before = _cpu_seconds(server_pid)
            for _ in range(RUNS):
                began = time.perf_counter()
                size = len(_get(base_url + path, headers))
                samples.append((time.perf_counter() - began) * 1000)
            cpu_total = _cpu_seconds(server_pid) - cpu_before
        cpu = (cpu_total - len(health) * probe_cpu) * 1000 / RUNS  # less the probe's own /healthz answers
        rows.append((name, samples, health, size, cpu))
        print(f'{name}: {statistics.median(samples):.0f} ms', file=sys.stderr)
    return rows


def _token(base_url: str) -> str:
    answer = httpx.post(
        f'{base_url}/api/auth/token', json={'username': USERNAME, 'password': PASSWORD}, timeout=60
    )
    return answer.raise_for_status().json()['access_token']


def _get(url: str, headers: dict[str, str]) -> bytes:
    answer = httpx.get(url, headers=headers, timeout=600)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.content


def _status(url: str, headers: dict[str, str]) -> int:
    return httpx.get(url, headers=headers, timeout=600).status_code


def _healthz_cpu(base_url: str, server_pid: int, count: int = 200) -> float:
    """Server CPU seconds one /healthz answer costs (to take the probe's share out of a page's)."""
    before = _cpu_seconds(server_pid)
    for _ in range(count):
        _get(f'{base_url}/healthz', {})
    return (_cpu_seconds(server_pid) - before) / count


def _child_pid() -> int:
    """The app's process: this process's only child (`serving` started it)."""
    children = [
        int(stat.parent.name)
        for stat in Path('/proc').glob('[0-9]*/stat')
        if _stat_fields(stat) and int(_stat_fields(stat)[1]) == os.getpid()
    ]
    assert len(children) == 1, children
    return children[0]


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = _stat_fields(Path(f'/proc/{pid}/stat'))
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def _stat_fields(stat: Path) -> list[str]:
    """/proc/<pid>/stat after the command name (which may contain spaces): state, ppid, …"""
    try:
        return stat.read_text().rsplit(')', 1)[1].split()
    except OSError:  # the process ended meanwhile
        return []


@contextmanager
def _health_probe(base_url: str) -> Iterator[list[float]]:
    """Another client's /healthz, every 20 ms from a process of its own (bench/health_probe.py), while
    the block runs; the list holds its answer times (ms) once the block has ended."""
    samples: list[float] = []
    probe = subprocess.Popen(
        [sys.executable, '-m', 'bench.health_probe', base_url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        yield samples
    finally:
        output, _errors = probe.communicate('', timeout=60)  # stdin closed: the probe stops
        samples.extend(float(line) for line in output.split())


def _report(backend: str, rows: list[tuple[str, list[float], list[float], int, float]]) -> str:
    lines = [
        f'| {backend}: what ({RUNS} runs) | p50 / max ms | server CPU ms per open '
        '| /healthz meanwhile p95 / max ms | answer size |',
        '|---|---|---|---|---|',
    ]
    for name, samples, health, size, cpu in rows:
        health = health or [float('nan')]  # the probe had no time to answer (a very fast target)
        if not size:  # the baseline row: nothing was opened
            lines.append(f'| {name} | – | – | {_p95(health):.0f} / {max(health):.0f} | – |')
            continue
        lines.append(
            f'| {name} | {statistics.median(samples):.0f} / {max(samples):.0f} | {cpu:.0f} '
            f'| {_p95(health):.0f} / {max(health):.0f} | {_size(size)} |'
        )
    return '\n'.join(lines)


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method='inclusive')[-1] if len(samples) > 1 else samples[0]


def _size(size: int) -> str:
    return f'{size / 1_000_000:.1f} MB' if size >= 1_000_000 else f'{size / 1000:.0f} kB'


if __name__ == '__main__':
    print(asyncio.run(main(os.environ.get('BENCH_DATABASE_URL'))))
