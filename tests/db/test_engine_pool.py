"""The PostgreSQL pool: sized by DATABASE_POOL_SIZE / DATABASE_MAX_OVERFLOW, a wait for it logged."""

import asyncio
import logging

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
