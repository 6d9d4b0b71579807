"""The PostgreSQL pool: sized by DATABASE_POOL_SIZE / DATABASE_MAX_OVERFLOW, a wait for it logged."""

import asyncio
import logging

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import build_engine
from services.settings import load_settings


async def test_a_checkout_beyond_the_configured_pool_waits_and_is_logged(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """With a pool of 1 + 1, a third connection waits until one is returned, and the wait is logged."""
    monkeypatch.setenv('DATABASE_POOL_SIZE', '1')
    monkeypatch.setenv('DATABASE_MAX_OVERFLOW', '1')
    settings = load_settings()
    engine = build_engine(postgres_database, settings.database_pool_size, settings.database_max_overflow)
    caplog.set_level(logging.WARNING, logger='db.engine')
    try:
        async with engine.connect() as first, engine.connect() as second:
            assert await first.scalar(text('SELECT 1')) == await second.scalar(text('SELECT 1')) == 1
            third = asyncio.create_task(_select_one(engine))
            await asyncio.sleep(0.4)
            assert not third.done()
        assert await third == 1
    finally:
        await engine.dispose()
    assert (
        'waited 0.' in caplog.text
        and 'for a database connection (2 in use, pool 1 + overflow 1)' in caplog.text
    )


async def _select_one(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return await connection.scalar(text('SELECT 1'))


async def test_taking_a_pooled_connection_costs_no_round_trip(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten transactions on a pooled connection send ten statements, no liveness probe before each."""
    sent: list[str] = []
    original = asyncpg.connection.Connection.fetchrow

    async def counted(self: asyncpg.Connection, query: str, *args: object, **kwargs: object) -> object:
        sent.append(query)
        return await original(self, query, *args, **kwargs)

    monkeypatch.setattr(asyncpg.connection.Connection, 'fetchrow', counted)
    engine = build_engine(postgres_database, pool_size=1, max_overflow=0)
    try:
        for _number in range(10):
            assert await _select_one(engine) == 1
    finally:
        await engine.dispose()
    assert ';' not in sent


async def test_a_connection_the_server_closed_is_replaced_at_checkout(postgres_database: str) -> None:
    """PostgreSQL ends the pooled connection (a restart): the next transaction gets a new one and works."""
    engine = build_engine(postgres_database, pool_size=1, max_overflow=0)
    try:
        async with engine.connect() as connection:
            backend = await connection.scalar(text('SELECT pg_backend_pid()'))
        admin = build_engine(postgres_database)
        async with admin.connect() as other:
            await other.execute(text('SELECT pg_terminate_backend(:pid)'), {'pid': backend})
        await admin.dispose()
        await asyncio.sleep(0.2)  # the closed socket reaches the client
        async with engine.connect() as connection:
            assert await connection.scalar(text('SELECT pg_backend_pid()')) != backend
    finally:
        await engine.dispose()
