"""SQLAlchemy's aiosqlite adapter with one thread hand-over per statement instead of three or four.

aiosqlite runs each call on the connection's own thread; SQLAlchemy's adapter makes a call for the
cursor, the execute, the fetch and the close of every statement, and the pool's reset-on-return rolls
back even after a commit. Every call is a hand-over between the event loop's thread and that thread,
and with SQLite's one pooled connection a burst of sends queues behind all of them (a send was 27
hand-overs; bench/RESULTS.md, "Chat turn"). Here a statement runs and is read to the end in one call,
and the rollback is skipped when nothing ran since the last commit or rollback (it would do nothing).
Passed to the engine as its DBAPI (`create_async_engine(module=...)`); the dialect is SQLAlchemy's.
"""

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The aiosqlite DBAPI whose connections run each statement in one hand-over."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *args: Any, **kwargs: Any) -> 'OneHopConnection':
        adapted = super().connect(*args, **kwargs)
        return OneHopConnection(self, adapted._connection)


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ('idle',)

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection) -> None:
        super().__init__(dbapi, connection)
        self.idle = True  # nothing ran since the last commit or rollback (or since connecting)

    def cursor(self, server_side: bool = False) -> Any:
        if server_side:  # streamed results keep SQLAlchemy's own cursor (a hand-over per fetch)
            self.idle = False
            return super().cursor(server_side)
        return OneHopCursor(self)

    def commit(self) -> None:
        super().commit()
        self.idle = True

    def rollback(self) -> None:
        if not self.idle:  # SQLite's rollback outside a transaction does nothing: skip the hand-over
            super().rollback()
            self.idle = True


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statement is executed, read to the end and closed on aiosqlite's thread at once."""

    __slots__ = ('_description', '_lastrowid', '_rowcount')
    _awaitable_cursor_close = False  # there is no driver cursor left open to close

    def __init__(self, adapt_connection: OneHopConnection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # made and closed inside each execute, on aiosqlite's thread
        self._soft_closed_memoized = {}
        self._rows = collections.deque()
        self._description, self._rowcount, self._lastrowid = None, -1, None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return 1

    def execute(self, operation: Any, parameters: Any = None) -> None:
        self._run(False, operation, () if parameters is None else parameters)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> None:
        self._run(True, operation, seq_of_parameters)

    def _run(self, many: bool, operation: Any, parameters: Any) -> None:
        self._adapt_connection.idle = False
        try:
            outcome = await_(self._run_async(many, operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._description, self._rowcount, self._lastrowid, rows = outcome
        self._rows = collections.deque(rows)

    async def _run_async(self, many: bool, operation: Any, parameters: Any) -> tuple:
        async with self._adapt_connection._execute_mutex:
            return await self._connection._execute(
                _statement, self._connection._conn, many, operation, parameters
            )


def _statement(connection: sqlite3.Connection, many: bool, operation: str, parameters: Any) -> tuple:
    """On aiosqlite's thread: run the statement, read every row, close the cursor."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()
