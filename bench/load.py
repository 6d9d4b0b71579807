"""Load through HAProxy on 1, 2 and 3 app processes (deploy/cluster.py), at the same load each time.

USERS learners, each with its own cookie jar (so HAProxy spreads them), sign up and send ROUNDS + 1
messages over the REST API, streamed (`?stream=true`: what a page shows, as Server-Sent Events); the
daily quota is ROUNDS, so the last one must be refused. The fake LLM runs in its own process and
streams a two-second reply. Reported per process count: time to first token seen by the client
(p50/p95) and its overhead over the fake LLM's own first token, errors, quota exactness, memory and
CPU per process, and (2+ processes) how long after `kill -9` of a process its reply ends failed.
REST clients, not pages: memory per open page and page reloads need the socket.io client (not done).
Run: `BENCH_DATABASE_URL=postgresql://… .venv/bin/python -m bench.load` (deploy/cluster.sh's
PostgreSQL or .ci/postgres.sh's TEST_POSTGRES_URL); needs haproxy and redis-server.
"""

import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from openai import AsyncOpenAI

from bench.chat_turn import _fake_server_process
from deploy.cluster import Cluster, running_cluster

USERS = int(os.environ.get('BENCH_USERS', '30'))
ROUNDS = 2
PROCESS_COUNTS = (1, 2, 3)
ROOM = {'title': 'Café', 'language': 'en', 'situation': 'Coffee.', 'ai_role': 'Barista', 'my_role': 'Me'}
PASSWORD = 'amber-kettle-58'
CLOCK_TICKS = os.sysconf('SC_CLK_TCK')


def main() -> None:
    server_url = os.environ.get('BENCH_DATABASE_URL') or os.environ.get('TEST_POSTGRES_URL')
    if not server_url:
        sys.exit('set BENCH_DATABASE_URL (a PostgreSQL server; a database is made for each run)')
    with _fake_server_process() as llm_url, tempfile.TemporaryDirectory(prefix='speakroom-load-') as folder:
        direct = asyncio.run(_direct_first_token(llm_url))
        rows = [
            _run(server_url, llm_url, count, Path(folder) / f'n{count}', direct) for count in PROCESS_COUNTS
        ]
    print(_report(rows, direct))


def _run(server_url: str, llm_url: str, processes: int, workdir: Path, direct: float) -> list[str]:
    database = asyncio.run(_fresh_database(server_url))
    env = dict(os.environ) | {
        'SECRET_KEY': 'bench-load',
        'LLM_BASE_URL': llm_url,
        'LLM_MODEL': 'fake-model',
        'DAILY_QUOTA': str(ROUNDS),
        'BCRYPT_ROUNDS': '4',
        'SIGNUP_ADDRESS_MAX': '100000',
    }
    workdir.mkdir(parents=True)
    with running_cluster(database, processes, workdir, env) as cluster:
        rss_idle = [_rss_mb(app.process.pid) for app in cluster.apps]
        cpu_before = [_cpu_seconds(app.process.pid) for app in cluster.apps]
        started = time.monotonic()
        outcome = asyncio.run(_load(cluster))
        elapsed = time.monotonic() - started
        cpu = [
            (_cpu_seconds(app.process.pid) - before) / elapsed
            for app, before in zip(cluster.apps, cpu_before, strict=True)
        ]
        recovery = asyncio.run(_recovery_seconds(cluster)) if processes > 1 else None
    first_tokens = sorted(outcome['first_tokens'])
    p50, p95 = _percentile(first_tokens, 50), _percentile(first_tokens, 95)
    return [
        str(processes),
        str(len(first_tokens)),
        f'{p50 * 1000:.0f} / {p95 * 1000:.0f}',
        f'{(p50 - direct) * 1000:.0f}',
        str(outcome['errors']),
        'exact' if outcome['quota_exact'] else 'WRONG',
        ' / '.join(
            f'{idle:.0f}→{peak:.0f}' for idle, peak in zip(rss_idle, outcome['rss_peak'], strict=True)
        ),
        ' / '.join(f'{share * 100:.0f} %' for share in cpu),
        '–' if recovery is None else f'{recovery:.1f}',
    ]


async def _load(cluster: Cluster) -> dict:
    clients = [httpx.AsyncClient(base_url=cluster.proxy_url, timeout=120) for _ in range(USERS)]
    try:
        learners = await asyncio.gather(
            *(_signed_up(client, f'learner{n}') for n, client in enumerate(clients))
        )
        peak: list[float] = [0.0] * len(cluster.apps)

        async def sample_memory() -> None:
            while True:
                peak[:] = [
                    max(old, _rss_mb(app.process.pid)) for old, app in zip(peak, cluster.apps, strict=True)
                ]
                await asyncio.sleep(0.5)

        sampler = asyncio.create_task(sample_memory())
        turns = await asyncio.gather(
            *(_turns(client, *learner) for client, learner in zip(clients, learners, strict=True))
        )
        sampler.cancel()
        quotas = await asyncio.gather(
            *(client.get('/api/quota', headers=h) for client, (h, _) in zip(clients, learners, strict=True))
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    first_tokens = [seconds for user in turns for seconds in user['first_tokens']]
    return {
        'first_tokens': first_tokens,
        'errors': sum(user['errors'] for user in turns),
        'quota_exact': all(q.json()['used'] == ROUNDS for q in quotas) and all(u['refused'] for u in turns),
        'rss_peak': peak,
    }


async def _turns(client: httpx.AsyncClient, headers: dict, room_id: int) -> dict:
    """ROUNDS streamed turns, then one more that the quota must refuse."""
    first_tokens, errors = [], 0
    for _ in range(ROUNDS):
        first_token, status = await _streamed_turn(client, headers, room_id)
        if first_token is None or status != 'complete':
            errors += 1
        else:
            first_tokens.append(first_token)
    refused = await client.post(f'/api/rooms/{room_id}/messages', json={'text': 'One more'}, headers=headers)
    return {'first_tokens': first_tokens, 'errors': errors, 'refused': refused.status_code == 429}


async def _streamed_turn(client: httpx.AsyncClient, headers: dict, room_id: int) -> tuple[float | None, str]:
    sent = time.monotonic()
    first_token, event, status = None, '', 'error'
    url = f'/api/rooms/{room_id}/messages?stream=true'
    async with client.stream('POST', url, json={'text': 'Hello there'}, headers=headers) as response:
        if response.status_code != 200:
            return None, f'http {response.status_code}'
        async for line in response.aiter_lines():
            if line.startswith('event: '):
                event = line.removeprefix('event: ')
            elif line.startswith('data: ') and event == 'delta' and first_token is None:
                first_token = time.monotonic() - sent
            elif line.startswith('data: ') and event == 'done':
                status = json.loads(line.removeprefix('data: '))['status']
    return first_token, status


async def _recovery_seconds(cluster: Cluster) -> float:
    """kill -9 of app1 while it writes a reply: seconds until app2 shows that reply failed."""
    async with (
        httpx.AsyncClient(base_url=cluster.proxy_url, cookies={'SRV': 'app1'}, timeout=120) as on_a,
        httpx.AsyncClient(base_url=cluster.proxy_url, cookies={'SRV': 'app2'}, timeout=10) as on_b,
    ):
        headers, room_id = await _signed_up(on_b, 'crash')
        sending = asyncio.create_task(
            on_a.post(f'/api/rooms/{room_id}/messages', json={'text': 'Hi'}, headers=headers)
        )
        # Polling another process over HTTP: no event to wait for.
        while not (  # noqa: ASYNC110
            items := (await on_b.get(f'/api/rooms/{room_id}/messages', headers=headers)).json()['items']
        ) or (items[0]['role'] != 'assistant'):
            await asyncio.sleep(0.05)
        os.kill(cluster.apps[0].process.pid, signal.SIGKILL)
        killed = time.monotonic()
        while (await on_b.get(f'/api/messages/{items[0]["id"]}', headers=headers)).json()[  # noqa: ASYNC110
            'status'
        ] == 'pending':
            await asyncio.sleep(0.1)
        sending.cancel()
        return time.monotonic() - killed


async def _signed_up(client: httpx.AsyncClient, username: str) -> tuple[dict, int]:
    account = {'username': username, 'email': f'{username}@example.com', 'password': PASSWORD}
    (await client.post('/api/auth/register', json=account)).raise_for_status()
    tokens = (await client.post('/api/auth/token', json={'username': username, 'password': PASSWORD})).json()
    headers = {'Authorization': f'Bearer {tokens["access_token"]}'}
    room = await client.post('/api/rooms', json=ROOM | {'level': 'A2'}, headers=headers)
    room.raise_for_status()
    return headers, room.json()['id']


async def _direct_first_token(llm_url: str) -> float:
    """The fake LLM's own time to first token (median of five direct calls)."""
    client = AsyncOpenAI(base_url=llm_url, api_key='x', max_retries=0)
    seconds = []
    for _ in range(5):
        sent = time.monotonic()
        stream = await client.chat.completions.create(
            model='fake-model', messages=[{'role': 'user', 'content': 'Hi'}], stream=True
        )
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                seconds.append(time.monotonic() - sent)
                break
        await stream.close()
    await client.close()
    return statistics.median(seconds)


async def _fresh_database(server_url: str) -> str:
    name = f'speakroom_load_{uuid.uuid4().hex[:10]}'
    connection = await asyncpg.connect(server_url)
    try:
        await connection.execute(f'CREATE DATABASE {name}')
    finally:
        await connection.close()
    return server_url.rsplit('/', 1)[0] + f'/{name}'


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f'/proc/{pid}/status').read_text()
    except OSError:
        return 0.0
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith('VmRSS:')) / 1024


def _cpu_seconds(pid: int) -> float:
    fields = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def _percentile(values: list[float], percent: int) -> float:
    return values[min(len(values) - 1, round(len(values) * percent / 100))] if values else float('nan')


def _report(rows: list[list[str]], direct: float) -> str:
    header = [
        'processes',
        'turns',
        'first token p50/p95 ms',
        'overhead p50 ms',
        'errors',
        'quota',
        'RSS MB at start→max under load, per process',
        'CPU per process',
        'kill -9 → failed s',
    ]
    lines = [
        f'{USERS} learners x {ROUNDS} streamed turns (+1 refused) through HAProxy; '
        f"the fake LLM's own first token: {direct * 1000:.0f} ms",
        '',
        '| ' + ' | '.join(header) + ' |',
        '|' + '---|' * len(header),
    ]
    return '\n'.join(lines + ['| ' + ' | '.join(row) + ' |' for row in rows])


if __name__ == '__main__':
    main()
