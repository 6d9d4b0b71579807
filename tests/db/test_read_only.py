"""db.engine.read_only(): reads that neither wait for a writer nor keep a transaction open."""

import asyncio

import pytest
from sqlalchemy import text

from db import engine
from db.models import ConfiguredAdmin
from tests.helpers import write_lock_held_elsewhere


async def test_a_read_only_read_sees_committed_rows_beside_a_writer(database: str) -> None:
    """While another connection holds SQLite's write lock, a read-only read answers with the committed rows."""
    if database != 'sqlite':
        pytest.skip("SQLite's write lock")
    async with engine.sessionmaker().begin() as session:
        session.add(ConfiguredAdmin(username='mina', promoted=True))
    with write_lock_held_elsewhere() as writer:
        writer.execute("UPDATE configured_admins SET promoted = 0 WHERE username = 'mina'")
        async with engine.read_only() as connection:
            read = connection.scalar(text("SELECT promoted FROM configured_admins WHERE username = 'mina'"))
            promoted = await asyncio.wait_for(read, timeout=3)  # else it waited busy_timeout, 30 s
    assert promoted == 1


async def test_a_read_only_connection_leaves_no_transaction_open(database: str) -> None:
    """After a read, while the connection is still held, a writer elsewhere gets the write lock at once
    (SQLite) and the server shows the connection idle, not idle in a transaction (PostgreSQL)."""
    async with engine.read_only() as connection:
        assert await connection.scalar(text('SELECT 1')) == 1
        if database == 'sqlite':
            with write_lock_held_elsewhere():  # timeout=0: "database is locked" if the read kept a lock
                pass
        else:
            pid = await connection.scalar(text('SELECT pg_backend_pid()'))
            async with engine.sessionmaker().begin() as session:
                state = await session.scalar(
                    text('SELECT state FROM pg_stat_activity WHERE pid = :pid'), {'pid': pid}
                )
            assert state == 'idle'
