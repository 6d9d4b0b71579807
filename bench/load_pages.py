"""Simulated learners on the real chat page, through HAProxy to 1 and 2 app processes, with Chromium canaries.

Each learner (bench/page_learners.py) is a tab without a browser: NiceGUI's own page protocol over
python-socketio (bench/page_client.py). For every (processes, learners) pair a fresh PostgreSQL
database and cluster (deploy/cluster.py: Redis, N `main.py`, HAProxy) are started; the learners get an
account and a room over the API, log in on /login, wait until the closed login tabs are gone, open their
chat page (RSS of the app processes before and after: memory per idle connected client), then each
sends TURNS messages (first Send at a random moment within RAMP seconds, THINK seconds after each reply)
while CANARIES real Chromium pages send one message each. The fake LLM (own process) waits
FIRST_TOKEN_DELAY before its first piece, then sends TOKENS_PER_SECOND pieces a second.
Reported: first token as the client sees it (p50/p95) and its overhead over the model's own, the whole
turn, errors, socket disconnects and reloads, RSS per client idle and at the peak while streaming, CPU
per app process, this benchmark's own CPU and event-loop lag, and replies charged in the database
against complete replies seen; then what the turns waited on (bench/load_probes.py): the pools' waits for
a connection, PostgreSQL's connections and CPU, the fake LLM's CPU and how late its streams were.

Run: `source .ci/postgres.sh && BENCH_DATABASE_URL=$TEST_POSTGRES_URL .venv/bin/python -m bench.load_pages`
(`--learners 50 100 200`, `--processes 1 2`, `--canaries 2`); needs haproxy and redis-server.
"""

import argparse
import asyncio
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.load import _cpu_seconds, _direct_first_token, _fresh_database, _rss_mb
from bench.load_probes import Probes, probes_table
from bench.page_canaries import Canaries
from bench.page_learners import Learner, Turn, charged_replies
from deploy.cluster import Cluster, running_cluster
from tests.app_process import ROOT

PIECES = 40
REPLY = ' '.join(f'piece{n:02d}' for n in range(PIECES))
FIRST, LAST = 'piece00', f'piece{PIECES - 1:02d}'
FIRST_TOKEN_DELAY = 0.4
TOKENS_PER_SECOND = 30
TURNS, RAMP, THINK = 2, 5.0, 3.0
SETUP_AT_ONCE = 10
LOGIN_TABS_GONE = 33.0  # main.py's reconnect_timeout (30 s): a closed tab's client lives that long
IDLE_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--learners', type=int, nargs='+', default=[50, 100])
    parser.add_argument('--processes', type=int, nargs='+', default=[1, 2])
    parser.add_argument('--canaries', type=int, default=2)
    arguments = parser.parse_args()
    server_url = os.environ.get('BENCH_DATABASE_URL') or os.environ.get('TEST_POSTGRES_URL')
    if not server_url:
        sys.exit('set BENCH_DATABASE_URL (a PostgreSQL server; a database is made for each run)')
    load_before = os.getloadavg()
    rows = []
    with _fake_llm() as (llm_url, llm_pid), tempfile.TemporaryDirectory(prefix='speakroom-pages-') as folder:
        model = asyncio.run(_direct_first_token(llm_url))
        for processes in arguments.processes:
            for learners in arguments.learners:
                workdir = Path(folder) / f'p{processes}-l{learners}'
                row = _run(server_url, (llm_url, llm_pid), processes, learners, arguments.canaries, workdir)
                rows.append(row | {'processes': processes, 'learners': learners})
                print(_row(row | {'processes': processes, 'learners': learners}, model), file=sys.stderr)
    print(_report(rows, model, load_before, os.getloadavg()))


@contextmanager
def _fake_llm() -> Iterator[tuple[str, int]]:
    command = [sys.executable, '-m', 'tests.fakes.openai_server', '--reply', REPLY]
    command += ['--first-token-delay', str(FIRST_TOKEN_DELAY), '--chunk-delay', str(1 / TOKENS_PER_SECOND)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip(), server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)


def _run(
    server_url: str, llm: tuple[str, int], processes: int, learners: int, canaries: int, workdir: Path
) -> dict:
    database = asyncio.run(_fresh_database(server_url))
    env = dict(os.environ) | {
        'SECRET_KEY': 'bench-load-pages', 'LLM_BASE_URL': llm[0], 'LLM_MODEL': 'fake-model',
        'DAILY_QUOTA': '1000', 'BCRYPT_ROUNDS': '4', 'SIGNUP_ADDRESS_MAX': '100000', 'TTS_ENGINE': 'espeak',
    }  # fmt: skip
    workdir.mkdir(parents=True)
    with running_cluster(database, processes, workdir, env) as cluster:
        logs = [workdir / app.name / 'server.log' for app in cluster.apps]
        return asyncio.run(_measure(cluster, database, learners, canaries, llm, logs))


async def _measure(
    cluster: Cluster, database: str, count: int, canary_count: int, llm: tuple[str, int], logs: list[Path]
) -> dict:
    pids = [app.process.pid for app in cluster.apps]
    learners = [
        Learner(f'learner{n}', httpx.AsyncClient(base_url=cluster.proxy_url, timeout=120))
        for n in range(count)
    ]
    setup_errors: list[str] = []
    at_once = asyncio.Semaphore(SETUP_AT_ONCE)

    async def limited(step: Coroutine[Any, Any, None]) -> bool:
        async with at_once:
            try:
                await step
                return True
            except Exception as problem:
                setup_errors.append(f'{type(problem).__name__}: {problem}'[:120])
                return False

    try:
        ready = await asyncio.gather(*(limited(_signed_in(learner)) for learner in learners))
        active = [learner for learner, ok in zip(learners, ready, strict=True) if ok]
        async with Canaries(cluster.proxy_url, canary_count) as canaries:
            await asyncio.sleep(LOGIN_TABS_GONE)
            rss_before = [_rss_mb(pid) for pid in pids]
            opened = await asyncio.gather(*(limited(learner.open_chat()) for learner in active))
            active = [learner for learner, ok in zip(active, opened, strict=True) if ok]
            await asyncio.sleep(IDLE_SECONDS)
            rss_idle = [_rss_mb(pid) for pid in pids]
            async with Probes(database, llm[1], llm[0]) as probes:
                outcome = await _load(active, canaries, pids)
        charged = await charged_replies(database)
    finally:
        await asyncio.gather(*(learner.close() for learner in learners), return_exceptions=True)
    turns, canary_turns = outcome['turns'], outcome['canary_turns']
    seen = sum(turn.done is not None for turn in turns + canary_turns)
    connected = len(active) + canary_count
    return outcome | {
        'errors': [turn.error for turn in turns + canary_turns if turn.error] + setup_errors,
        'disconnects': sum(learner.page.disconnects for learner in learners),
        'reloads': sum(learner.page.reloads for learner in learners),
        'idle_kib': (sum(rss_idle) - sum(rss_before)) * 1024 / max(1, connected),
        'stream_kib': (sum(outcome['rss_peak']) - sum(rss_before)) * 1024 / max(1, connected),
        'rss_before': rss_before,
        'charged': charged,
        'seen': seen,
        'probes': probes.report(logs),
    }


async def _signed_in(learner: Learner) -> None:
    await learner.sign_up()
    await learner.log_in()


async def _load(learners: list[Learner], canaries: Canaries, pids: list[int]) -> dict:
    """Every learner's turns and the canaries' one turn each; CPU, peak RSS and this process's lag."""
    peak = [_rss_mb(pid) for pid in pids]
    lags: list[float] = []

    async def sample() -> None:
        while True:
            began = time.monotonic()
            await asyncio.sleep(0.1)
            lags.append(time.monotonic() - began - 0.1)
            peak[:] = [max(old, _rss_mb(pid)) for old, pid in zip(peak, pids, strict=True)]

    async def canary_turns() -> list[Turn]:
        await asyncio.sleep(RAMP)  # in the thick of it
        return await canaries.turns(FIRST, LAST)

    sampler = asyncio.create_task(sample())
    cpu_before, own_before, started = [_cpu_seconds(pid) for pid in pids], _own_cpu(), time.monotonic()
    learner_turns, canary_results = await asyncio.gather(
        asyncio.gather(*(_turns(learner) for learner in learners)), canary_turns()
    )
    elapsed = time.monotonic() - started
    sampler.cancel()
    return {
        'turns': [turn for turns in learner_turns for turn in turns],
        'canary_turns': canary_results,
        'cpu': [(_cpu_seconds(pid) - before) / elapsed for pid, before in zip(pids, cpu_before, strict=True)],
        'own_cpu': (_own_cpu() - own_before) / elapsed,
        'lag': sorted(lags),
        'rss_peak': peak,
        'elapsed': elapsed,
    }


async def _turns(learner: Learner) -> list[Turn]:
    await asyncio.sleep(random.uniform(0, RAMP))
    turns = []
    for number in range(TURNS):
        if number:
            await asyncio.sleep(THINK)
        turns.append(await learner.turn(f'Hello there, round {number}', FIRST, LAST))
    return turns


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _percentile(values: list[float], percent: int) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round((len(values) - 1) * percent / 100))] if values else float('nan')


def _row(row: dict, model: float) -> str:
    first = [turn.first_token for turn in row['turns'] if turn.first_token is not None]
    done = [turn.done for turn in row['turns'] if turn.done is not None]
    canary = [turn.first_token for turn in row['canary_turns'] if turn.first_token is not None]
    p50, p95 = _percentile(first, 50), _percentile(first, 95)
    cells = [
        str(row['processes']),
        str(row['learners']),
        str(len(row['turns'])),
        f'{p50 * 1000:.0f} / {p95 * 1000:.0f}',
        f'{(p50 - model) * 1000:.0f} / {(p95 - model) * 1000:.0f}',
        f'{_percentile(done, 50) * 1000:.0f} / {_percentile(done, 95) * 1000:.0f}',
        ' / '.join(f'{seconds * 1000:.0f}' for seconds in canary) or '–',
        str(len(row['errors'])),
        f'{row["disconnects"]} / {row["reloads"]}',
        f'{row["idle_kib"]:.0f}',
        f'{row["stream_kib"]:.0f}',
        ' / '.join(f'{share * 100:.0f} %' for share in row['cpu']),
        f'{row["own_cpu"] * 100:.0f} % / {_percentile(row["lag"], 95) * 1000:.0f} ms',
        f'{row["charged"]} / {row["seen"]}' + (' exact' if row['charged'] == row['seen'] else ' WRONG'),
    ]
    return '| ' + ' | '.join(cells) + ' |'


def _report(rows: list[dict], model: float, load_before: tuple, load_after: tuple) -> str:
    header = [
        'processes', 'learners', 'turns', 'first token p50/p95 ms', 'overhead p50/p95 ms',
        'whole turn p50/p95 ms', 'Chromium canaries first token ms', 'errors', 'disconnects / reloads',
        'RSS per idle client KiB', 'RSS per client streaming (peak) KiB', 'CPU per app process',
        'bench client CPU / loop lag p95', 'replies charged / seen',
    ]  # fmt: skip
    errors = sorted({error for row in rows for error in row['errors']})
    lines = [
        f"The fake LLM's own first token (direct): {model * 1000:.0f} ms; reply {PIECES} pieces at "
        f'{TOKENS_PER_SECOND}/s; {TURNS} turns per learner; load average before '
        f'{" / ".join(f"{v:.1f}" for v in load_before)}, after {" / ".join(f"{v:.1f}" for v in load_after)}',
        '',
        '| ' + ' | '.join(header) + ' |',
        '|' + '---|' * len(header),
        *(_row(row, model) for row in rows),
        '',
        probes_table(rows),
    ]
    return '\n'.join(lines + ([f'\nErrors seen: {"; ".join(errors)}'] if errors else []))


if __name__ == '__main__':
    main()
