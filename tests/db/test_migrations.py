"""Migrations: they build exactly the schema the models describe, on SQLite and PostgreSQL."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from db.engine import async_url, build_engine
from db.migrate import include_object_for
from db.models import Base


def schema_differences(connection: Connection) -> list:
    options = {'include_object': include_object_for(connection.dialect.name)}
    return compare_metadata(MigrationContext.configure(connection, opts=options), Base.metadata)


@pytest.mark.usefixtures('database')
async def test_migrated_schema_matches_models() -> None:
    """Alembic finds nothing to autogenerate after `upgrade head`."""
    engine = build_engine(os.environ['DATABASE_URL'])
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(schema_differences)
    finally:
        await engine.dispose()
    assert differences == []


@pytest.mark.parametrize(
    ('given', 'expected'),
    [
        ('sqlite:///./data/speakroom.db', 'sqlite+aiosqlite:///./data/speakroom.db'),
        ('postgresql://u:p@db:5432/speak', 'postgresql+asyncpg://u:p@db:5432/speak'),
        ('postgres://u@db/speak', 'postgresql+asyncpg://u@db/speak'),
        ('postgresql+psycopg2://u@db/speak', 'postgresql+asyncpg://u@db/speak'),
        ('sqlite+aiosqlite:///x.db', 'sqlite+aiosqlite:///x.db'),
    ],
)
def test_plain_urls_map_to_async_drivers(given: str, expected: str) -> None:
    """Plain SQLite/PostgreSQL URLs are accepted and mapped to aiosqlite/asyncpg."""
    assert async_url(given).render_as_string(hide_password=False) == expected
