"""The health check's database ping: next to a long write, off the threads, and when the file is gone."""

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from db import engine
from db.ping import SqlitePing


@pytest.mark.usefixtures('database')
async def test_the_ping_answers_while_another_transaction_writes() -> None:
    """/healthz's ping reads: it does not wait for the write lock another request holds (SQLite's
    BEGIN IMMEDIATE would wait up to busy_timeout, 30 s, and a load balancer would drop the process)."""
    async with engine.sessionmaker().begin() as writing:
        await writing.execute(text('UPDATE users SET username = username WHERE id = -1'))
        assert await asyncio.wait_for(engine.ping(), timeout=3) is True


async def test_the_sqlite_ping_stays_on_the_event_loop(database: str) -> None:
    """On SQLite the ping finishes without handing over to a thread (each hand-over waited for the GIL
    beside a page being built: /healthz took 55-70 ms there)."""
    if database != 'sqlite':
        pytest.skip('PostgreSQL is pinged through asyncpg, which needs no thread')
    pinging = engine.ping()
    with pytest.raises(StopIteration) as finished:
        pinging.send(None)  # a coroutine that never suspends ends at its first step
    assert finished.value.value is True


async def test_the_sqlite_ping_says_unreachable_when_the_file_is_gone(tmp_path: Path) -> None:
    """A database file that disappears is reported unreachable, and reachable again once it is back."""
    path = tmp_path / 'app.db'
    sqlite3.connect(path).close()
    ping = SqlitePing(str(path))
    assert await ping() is True
    await ping.close()
    path.rename(tmp_path / 'moved.db')
    assert await ping() is False
    (tmp_path / 'moved.db').rename(path)
    assert await ping() is True
    await ping.close()


async def test_the_ping_answers_while_every_pooled_connection_is_in_use(database: str) -> None:
    """A process whose pool is all taken by long requests is busy, not dead: the ping has a connection
    of its own (through the pool it waited for the pool's 30 s timeout)."""
    pool = engine.sessionmaker().kw['bind'].pool
    held = [await engine.sessionmaker().kw['bind'].connect() for _ in range(pool.size() + pool._max_overflow)]
    try:
        assert await asyncio.wait_for(engine.ping(), timeout=3) is True
    finally:
        for connection in held:
            await connection.close()


async def test_the_ping_reconnects_after_the_server_ended_its_connection(database: str) -> None:
    """PostgreSQL restarted (its sessions ended): the very next ping is already true again."""
    if database != 'postgresql':
        pytest.skip('SQLite has no server')
    assert await engine.ping() is True
    async with engine.sessionmaker().begin() as session:
        await session.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                 "AND datname = current_database() AND query = 'SELECT 1'")
        )  # fmt: skip
    assert await engine.ping() is True
