"""The health check's database ping, next to a long write."""

import asyncio

import pytest
from sqlalchemy import text

from db import engine

pytestmark = pytest.mark.usefixtures('database')


async def test_the_ping_answers_while_another_transaction_writes() -> None:
    """/healthz's ping reads: it does not wait for the write lock another request holds (SQLite's
    BEGIN IMMEDIATE would wait up to busy_timeout, 30 s, and a load balancer would drop the process)."""
    async with engine.sessionmaker().begin() as writing:
        await writing.execute(text('UPDATE users SET username = username WHERE id = -1'))
        assert await asyncio.wait_for(engine.ping(), timeout=3) is True
