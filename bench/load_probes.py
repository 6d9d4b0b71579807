"""What the app waits on during bench/load_pages.py's turns: PostgreSQL, the pools, the fake LLM.

Sampled every half second while the learners send: PostgreSQL's connections by state
(`pg_stat_activity`: running a statement, idle inside a transaction, waiting for a lock), PostgreSQL's
and the fake LLM's CPU. Afterwards: the pools' waits for a connection (the app logs each wait of
≥ 0.25 s, db/engine.py) and how late the fake LLM's streams were against their own delays (its
`/stats`: when late, the model server, not the app, is what the learners wait for).
"""

import asyncio
import re
import time
from collections import Counter
from pathlib import Path

import asyncpg
import httpx

from bench.load import CLOCK_TICKS, _cpu_seconds

SAMPLE_SECONDS = 0.5
POOL_WAIT = re.compile(r'waited (\d+\.\d+) s for a database connection')
ACTIVITY = """
    SELECT count(*), count(*) FILTER (WHERE state = 'active'),
           count(*) FILTER (WHERE state LIKE 'idle in transaction%'),
           count(*) FILTER (WHERE wait_event_type = 'Lock')
    FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
"""
# What the connections idle inside a transaction ran last: which code path holds them.
HOLDERS = """
    SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 70) FROM pg_stat_activity
    WHERE datname = current_database() AND state LIKE 'idle in transaction%'
"""


class Probes:
    """`async with Probes(database_url, llm_pid, llm_url) as probes:` around the turns; then `report(logs)`."""

    def __init__(self, database_url: str, llm_pid: int, llm_url: str) -> None:
        self.database_url = database_url.replace('postgresql+asyncpg://', 'postgresql://')
        self.llm_pid, self.llm_root = llm_pid, llm_url.removesuffix('/v1')
        self.samples: list[tuple[int, int, int, int]] = []
        self.cpu: dict[str, float] = {}
        self.holders: Counter[str] = Counter()

    async def __aenter__(self) -> 'Probes':
        self.connection = await asyncpg.connect(self.database_url)
        data_directory = Path(await self.connection.fetchval('SHOW data_directory'))
        self.postmaster = int((data_directory / 'postmaster.pid').read_text().split()[0])
        async with httpx.AsyncClient() as client:  # forget the streams of earlier rows
            await client.get(f'{self.llm_root}/stats')
        self.began = time.monotonic()
        self.cpu_before = {'postgres': self._postgres_cpu(), 'fake LLM': _cpu_seconds(self.llm_pid)}
        self.sampler = asyncio.create_task(self._sample())
        return self

    async def __aexit__(self, *_: object) -> None:
        self.sampler.cancel()
        elapsed = time.monotonic() - self.began
        after = {'postgres': self._postgres_cpu(), 'fake LLM': _cpu_seconds(self.llm_pid)}
        self.cpu = {name: (after[name] - self.cpu_before[name]) / elapsed for name in after}
        async with httpx.AsyncClient() as client:
            self.llm_stats = (await client.get(f'{self.llm_root}/stats')).json()
        await self.connection.close()

    def report(self, app_logs: list[Path]) -> dict:
        waits = [float(match) for log in app_logs for match in POOL_WAIT.findall(log.read_text())]
        lateness = self.llm_stats['lateness']
        columns = list(zip(*self.samples, strict=True)) or [[0]] * 4
        return {
            'pg_connections_max': max(columns[0]),
            'pg_active_max': max(columns[1]),
            'pg_idle_in_transaction_max': max(columns[2]),
            'pg_lock_waits_max': max(columns[3]),
            'postgres_cpu': self.cpu['postgres'],
            'llm_cpu': self.cpu['fake LLM'],
            'pool_waits': len(waits),
            'pool_wait_max': max(waits, default=0.0),
            'llm_first_late_p95': _p95([first for first, _end in lateness]),
            'llm_end_late_p95': _p95([end for _first, end in lateness]),
            'llm_helper_requests': self.llm_stats['helper_requests'],
            'idle_in_transaction_after': self.holders.most_common(6),
        }

    async def _sample(self) -> None:
        while True:
            self.samples.append(tuple(await self.connection.fetchrow(ACTIVITY)))
            self.holders.update(row[0] for row in await self.connection.fetch(HOLDERS))
            await asyncio.sleep(SAMPLE_SECONDS)

    def _postgres_cpu(self) -> float:
        """The postmaster, its living children (backends, writers) and those that ended (its cutime)."""
        fields = Path(f'/proc/{self.postmaster}/stat').read_text().rsplit(')', 1)[1].split()
        total = (int(fields[13]) + int(fields[14])) / CLOCK_TICKS + _cpu_seconds(self.postmaster)
        for stat in Path('/proc').glob('[0-9]*/stat'):
            try:
                if int(stat.read_text().rsplit(')', 1)[1].split()[1]) == self.postmaster:
                    total += _cpu_seconds(int(stat.parent.name))
            except (OSError, ValueError):
                continue  # a process that ended meanwhile
        return total


def probes_table(rows: list[dict]) -> str:
    """One line per run: where the time went (bench/load_pages.py's rows, each with its `probes`)."""
    header = [
        'processes', 'learners', 'pool waits ≥ 0.25 s (max s)', 'PostgreSQL connections max (active / idle in '
        'transaction / waiting for a lock)', 'PostgreSQL CPU', 'fake LLM CPU',
        'fake LLM late p95 ms (first piece / end)', 'helper requests',
    ]  # fmt: skip
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    for row in rows:
        probe = row['probes']
        cells = [
            row['processes'], row['learners'], f'{probe["pool_waits"]} ({probe["pool_wait_max"]:.1f})',
            f'{probe["pg_connections_max"]} ({probe["pg_active_max"]} / {probe["pg_idle_in_transaction_max"]}'
            f' / {probe["pg_lock_waits_max"]})', f'{probe["postgres_cpu"] * 100:.0f} %',
            f'{probe["llm_cpu"] * 100:.0f} %',
            f'{probe["llm_first_late_p95"] * 1000:.0f} / {probe["llm_end_late_p95"] * 1000:.0f}',
            probe['llm_helper_requests'],
        ]  # fmt: skip
        lines.append('| ' + ' | '.join(str(cell) for cell in cells) + ' |')
    return '\n'.join(lines)


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round((len(values) - 1) * 0.95))] if values else float('nan')
