"""The sweeper's look for abandoned replies, every few seconds in every process, beside the writers."""

import asyncio
import os
import sqlite3

import pytest
from sqlalchemy.engine import make_url

from services import reply_recovery


async def test_the_sweepers_look_does_not_wait_for_a_writer(database: str) -> None:
    """While another process holds SQLite's write lock, the look finds nothing at once (with BEGIN IMMEDIATE
    it queued for the lock, up to busy_timeout, 30 s, and every writer then queued behind it)."""
    if database != 'sqlite':
        pytest.skip("SQLite's write lock")
    writer = sqlite3.connect(make_url(os.environ['DATABASE_URL']).database, isolation_level=None)
    try:
        writer.execute('BEGIN IMMEDIATE')
        assert await asyncio.wait_for(reply_recovery.recover_interrupted(), timeout=3) == 0
    finally:
        writer.execute('ROLLBACK')
        writer.close()
