"""SQLite's engine hands each statement to aiosqlite's thread once, with the driver's usual results and errors."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import build_engine


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = build_engine(f'sqlite:///{tmp_path}/hops.db')
    async with engine.begin() as connection:
        await connection.execute(text('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT UNIQUE)'))
    yield engine
    await engine.dispose()


async def test_a_committed_transaction_is_one_hand_over_per_statement_and_one_to_commit(
    sqlite_engine: AsyncEngine, hand_overs: list[str]
) -> None:
    """BEGIN IMMEDIATE, an INSERT … RETURNING, a SELECT and the commit: four hand-overs, no rollback after."""
    async with sqlite_engine.begin() as connection:
        inserted = await connection.scalar(text("INSERT INTO notes (body) VALUES ('tea') RETURNING id"))
        bodies = (await connection.execute(text('SELECT body FROM notes'))).scalars().all()

    assert inserted == 1 and bodies == ['tea']
    assert len(hand_overs) == 4 and hand_overs[-1] == 'commit'


async def test_row_counts_ids_and_many_rows_read_as_with_the_driver(sqlite_engine: AsyncEngine) -> None:
    """executemany stores every row, UPDATE reports its row count, a plain INSERT its new row id."""
    async with sqlite_engine.begin() as connection:
        await connection.execute(
            text('INSERT INTO notes (body) VALUES (:body)'), [{'body': 'a'}, {'body': 'b'}]
        )
        updated = await connection.execute(text("UPDATE notes SET body = body || '!'"))
        added = await connection.execute(text("INSERT INTO notes (body) VALUES ('c')"))

    assert updated.rowcount == 2 and added.lastrowid == 3
    async with sqlite_engine.connect() as connection:
        bodies = (await connection.execute(text('SELECT body FROM notes ORDER BY id'))).scalars().all()
    assert bodies == ['a!', 'b!', 'c']


async def test_a_failed_transaction_is_rolled_back_and_the_connection_serves_the_next(
    sqlite_engine: AsyncEngine, hand_overs: list[str]
) -> None:
    """A duplicate raises IntegrityError, the transaction's earlier row is gone, and the next one commits."""
    with pytest.raises(IntegrityError):
        async with sqlite_engine.begin() as connection:
            await connection.execute(text("INSERT INTO notes (body) VALUES ('kept?')"))
            await connection.execute(text("INSERT INTO notes (body) VALUES ('twice'), ('twice')"))
    assert 'rollback' in hand_overs

    async with sqlite_engine.begin() as connection:
        await connection.execute(text("INSERT INTO notes (body) VALUES ('next')"))
    async with sqlite_engine.connect() as connection:
        bodies = (await connection.execute(text('SELECT body FROM notes'))).scalars().all()
    assert bodies == ['next']


async def test_a_streamed_read_yields_every_row_and_the_connection_serves_the_next(
    sqlite_engine: AsyncEngine,
) -> None:
    """Rows streamed through a server-side cursor arrive in order, and the next transaction commits."""
    async with sqlite_engine.begin() as connection:
        await connection.execute(
            text('INSERT INTO notes (body) VALUES (:body)'), [{'body': b} for b in 'xyz']
        )
    async with sqlite_engine.connect() as connection:
        streamed = await connection.stream(text('SELECT body FROM notes ORDER BY id'))
        bodies = [row.body async for row in streamed]
    async with sqlite_engine.begin() as connection:
        await connection.execute(text("DELETE FROM notes WHERE body = 'x'"))
    async with sqlite_engine.connect() as connection:
        left = (await connection.execute(text('SELECT body FROM notes ORDER BY id'))).scalars().all()

    assert bodies == ['x', 'y', 'z'] and left == ['y', 'z']
