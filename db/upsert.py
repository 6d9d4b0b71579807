"""The backend's own INSERT, which has ON CONFLICT … DO UPDATE / DO NOTHING (SQLAlchemy's generic one has not):
PostgreSQL's or SQLite's, the two backends the app runs on."""

from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

DialectInsert = Callable[[Any], postgresql.Insert | sqlite.Insert]


def dialect_insert(dialect: str) -> DialectInsert:
    """`postgresql.insert` for 'postgresql', else `sqlite.insert`."""
    return postgresql.insert if dialect == 'postgresql' else sqlite.insert


def session_insert(session: AsyncSession) -> DialectInsert:
    """The INSERT of the database `session` is bound to."""
    return dialect_insert(session.get_bind().dialect.name)
