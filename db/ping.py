"""The health check's database read, on a connection of its own, in as few turns of the event loop as
can be.

Beside a page being built every turn of the event loop waits for a slice of that page, and every
hand-over to a thread waits for the GIL at each step (5 ms switch interval) while the loop's thread is
busy: through the pool /healthz took 55-70 ms there (bench/pages.py). Its own connection also means a
busy process, whose pool is all in use, is not taken for a dead one.
- SQLite: the database header's schema version on a connection kept open, read on the event loop: tens
  of microseconds that never wait for a lock (a read in WAL mode takes none a writer holds); through
  aiosqlite it was six or more hand-overs to its thread per query.
- PostgreSQL: `SELECT 1` on an asyncpg connection kept open: one round trip (through the pool it was
  three: BEGIN, the query, ROLLBACK).
"""

import asyncio
import sqlite3

import asyncpg
from sqlalchemy.engine import URL

SQLITE_BUSY_SECONDS = 0.05  # a read waits only for WAL recovery by another connection, which is rare
POSTGRES_TIMEOUT_SECONDS = 5.0


class SqlitePing:
    """Reads the database's header with a connection of its own, opened at the first ping and kept."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None

    async def __call__(self) -> bool:
        """True when the database file answers a read (it never suspends: no thread, no wait)."""
        try:
            if self._connection is None:
                # mode=rw: a missing file is an error, not a new empty database.
                self._connection = sqlite3.connect(
                    f'file:{self._path}?mode=rw', uri=True, timeout=SQLITE_BUSY_SECONDS
                )
            # The schema version is in the file's header: reading it proves the file is there and readable.
            self._connection.execute('PRAGMA schema_version').fetchone()
            return True
        except Exception:  # any failure means "not reachable" for a health check
            await self.close()  # the next ping opens the file again (it may have been replaced or restored)
            return False

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class PostgresPing:
    """`SELECT 1` on an asyncpg connection of its own, opened at the first ping and kept."""

    def __init__(self, url: URL) -> None:
        self._dsn = url.set(drivername='postgresql').render_as_string(hide_password=False)
        self._connection: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()  # one query at a time on the connection; concurrent checks share it

    async def __call__(self) -> bool:
        """True when the server answers a trivial query; a kept connection the server closed (a restart)
        is replaced at once, so one ping after a restart is not a false alarm."""
        async with self._lock:  # one query at a time on the connection; concurrent checks queue here
            for _attempt in range(2):
                try:
                    if self._connection is None or self._connection.is_closed():
                        self._connection = await asyncpg.connect(self._dsn, timeout=POSTGRES_TIMEOUT_SECONDS)
                    await self._connection.fetchval('SELECT 1', timeout=POSTGRES_TIMEOUT_SECONDS)
                    return True
                except Exception:  # any failure means "not reachable" for a health check
                    await self.close()
            return False

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.terminate()  # no goodbye round trip: it may be the dead connection
