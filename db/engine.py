"""The async engine and session factory, created when the app starts (never at import)."""

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry

from db.ping import PostgresPing, SqlitePing
from db.sqlite_one_hop import OneHopDBAPI

log = logging.getLogger(__name__)
# A wait this long for a pooled connection is logged: the pool is too small for the load (or a
# connection is held across something slow).
SLOW_CHECKOUT_SECONDS = 0.25
# The execution option of read_only()'s connections on SQLite: _sqlite_begin_immediate opens no transaction.
_READ_ONLY = 'speakroom_read_only'

_engine: AsyncEngine | None = None
_ping: SqlitePing | PostgresPing | None = None  # the health check's own connection (db/ping.py)
_sessionmaker: async_sessionmaker[AsyncSession] | None = None
_database_url: str | None = None


def async_url(database_url: str) -> URL:
    """Map plain `sqlite:///` and `postgresql://` URLs onto the async drivers (aiosqlite, asyncpg)."""
    url = make_url(database_url)
    driver_by_backend = {'sqlite': 'sqlite+aiosqlite', 'postgresql': 'postgresql+asyncpg'}
    backend = url.get_backend_name()
    if url.drivername in driver_by_backend:
        url = url.set(drivername=driver_by_backend[url.drivername])
    elif backend == 'postgres':
        url = url.set(drivername='postgresql+asyncpg')
    if url.drivername == 'postgresql+psycopg2':
        url = url.set(drivername='postgresql+asyncpg')
    return url


def build_engine(database_url: str, pool_size: int = 20, max_overflow: int = 10) -> AsyncEngine:
    """An engine tuned for its backend: WAL and a busy timeout on SQLite, a checked pool of `pool_size`
    (plus `max_overflow` at peaks) on PostgreSQL."""
    url = async_url(database_url)
    if url.get_backend_name() == 'sqlite':
        if url.database and url.database != ':memory:':
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # One connection per process: SQLite has one writer at a time anyway, and queueing for the
        # connection in asyncio is far cheaper than SQLite's busy handler, which sleeps in steps of
        # up to 100 ms while it waits for the lock (measured: 50 concurrent sends 600 ms -> see bench).
        # OneHopDBAPI: one hand-over to aiosqlite's thread per statement instead of three or four (a
        # burst of sends queues on this connection behind every hand-over; db/sqlite_one_hop.py).
        engine = create_async_engine(
            url,
            connect_args={'timeout': 30},
            pool_size=1,
            max_overflow=0,
            pool_timeout=60,
            module=OneHopDBAPI(),
        )
        event.listen(engine.sync_engine, 'connect', _sqlite_pragmas)
        event.listen(engine.sync_engine, 'begin', _sqlite_begin_immediate)
        return engine
    # No pool_pre_ping: on asyncpg it is three round trips per checkout (BEGIN, ';', ROLLBACK), each
    # waiting for a busy event loop while the connection is held; measured, it was half of a lease
    # renewal's round trips and kept the pool full under load (bench/RESULTS.md). A connection the
    # server closed (a restart) is noticed locally instead, at checkout, and replaced.
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=max_overflow, poolclass=_LoggedWaitPool
    )
    event.listen(engine.sync_engine, 'checkout', _replace_if_closed)
    return engine


async def connect(database_url: str, pool_size: int = 20, max_overflow: int = 10) -> None:
    """Create the process-wide engine (called from the app's start-up)."""
    global _engine, _sessionmaker, _database_url
    await dispose()
    _engine = build_engine(database_url, pool_size, max_overflow)
    _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    _database_url = database_url


async def dispose() -> None:
    """Close every pooled connection (called from the app's shut-down)."""
    global _engine, _sessionmaker, _database_url, _ping
    if _ping is not None:
        await _ping.close()
    if _engine is not None:
        await _engine.dispose()
    _engine, _sessionmaker, _database_url, _ping = None, None, None, None


def sessionmaker() -> async_sessionmaker[AsyncSession]:
    """The session factory; one session (one transaction) per user action."""
    if _sessionmaker is None:
        raise RuntimeError('the database is not connected: db.engine.connect() runs at app start-up')
    return _sessionmaker


@asynccontextmanager
async def read_only() -> AsyncIterator[AsyncConnection]:
    """A pooled connection for reads that must neither wait for writers nor make them wait (a look that
    usually finds nothing, every few seconds): each statement runs on its own, autocommitted. On SQLite
    that is no BEGIN IMMEDIATE (no write lock: WAL lets it read beside a writer); on PostgreSQL no BEGIN
    and COMMIT round trips. For reads only: a write here would commit by itself, statement by statement."""
    if _engine is None:
        raise RuntimeError('the database is not connected: db.engine.connect() runs at app start-up')
    async with _engine.connect() as connection:
        if connection.dialect.name == 'sqlite':
            # Not the AUTOCOMMIT isolation level: resetting it on return to the pool would give the
            # transaction control back to the driver (see _sqlite_pragmas).
            await connection.execution_options(**{_READ_ONLY: True})
        else:
            await connection.execution_options(isolation_level='AUTOCOMMIT')
        yield connection


def own_engine() -> AsyncEngine:
    """A separate engine of one connection on the connected database, for work that must never queue
    behind the shared pool (the lease keeper's heartbeats); its user disposes of it."""
    if _database_url is None:
        raise RuntimeError('the database is not connected: db.engine.connect() runs at app start-up')
    return build_engine(_database_url, pool_size=1, max_overflow=0)


async def ping() -> bool:
    """True when the database answers a trivial query (on a connection of the health check's own)."""
    global _ping
    if _engine is None:
        return False
    if _ping is None:
        url = _engine.url
        if url.get_backend_name() == 'postgresql':
            _ping = PostgresPing(url)
        elif url.database not in {None, '', ':memory:'}:
            _ping = SqlitePing(url.database)
        else:  # an in-memory database exists only on the pool's connection
            return await _ping_through_pool()
    return await _ping()


async def _ping_through_pool() -> bool:
    try:
        async with _engine.connect() as connection:
            await connection.execute(text('SELECT 1'))
        return True
    except Exception:  # any failure means "not reachable" for a health check
        return False


def _replace_if_closed(dbapi_connection, _record, _proxy) -> None:
    # asyncpg saw the socket close (the server restarted or ended the session): the pool retries with
    # a new connection instead of handing out one whose first statement would fail.
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError('PostgreSQL closed this connection')


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Take transaction control away from the driver so that _sqlite_begin_immediate decides.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers work during a write; busy_timeout makes writers queue instead of failing;
    # foreign keys are off by default in SQLite and our cascades depend on them.
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA busy_timeout=30000')
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:
    # A deferred BEGIN that reads and later writes can fail at once with "database is locked" when
    # another writer got there first; BEGIN IMMEDIATE takes the write lock up front, so concurrent
    # transactions queue on busy_timeout instead (SQLite has one writer at a time anyway).
    # read_only()'s connections open none: the driver is in autocommit mode (_sqlite_pragmas), so each
    # of their statements reads beside a writer instead of queueing for the write lock.
    if not connection.get_execution_options().get(_READ_ONLY):
        connection.exec_driver_sql('BEGIN IMMEDIATE')


class _LoggedWaitPool(AsyncAdaptedQueuePool):
    """The usual asyncio queue pool, logging every checkout that had to wait for a free connection."""

    def _do_get(self) -> ConnectionPoolEntry:
        began = time.monotonic()
        try:
            return super()._do_get()
        finally:
            if (waited := time.monotonic() - began) >= SLOW_CHECKOUT_SECONDS:
                log.warning(
                    'waited %.2f s for a database connection (%d in use, pool %d + overflow %d)',
                    waited, self.checkedout(), self.size(), self._max_overflow,
                )  # fmt: skip
