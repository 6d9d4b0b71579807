"""The sweeper's look for abandoned replies, every few seconds in every process, beside the writers."""

import asyncio

import pytest

from services import reply_recovery
from tests.helpers import write_lock_held_elsewhere


async def test_the_sweepers_look_does_not_wait_for_a_writer(database: str) -> None:
    """While another process holds SQLite's write lock, the look finds nothing at once (with BEGIN IMMEDIATE
    it queued for the lock, up to busy_timeout, 30 s, and every writer then queued behind it)."""
    if database != 'sqlite':
        pytest.skip("SQLite's write lock")
    with write_lock_held_elsewhere():
        assert await asyncio.wait_for(reply_recovery.recover_interrupted(), timeout=3) == 0
