"""Migrations: they build exactly the schema the models describe, on SQLite and PostgreSQL."""

import asyncio
import os
import sys
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from db.engine import async_url, build_engine
from db.migrate import ROOT, alembic_config, include_object_for
from db.models import Base
from tests.conftest import POSTGRES_URL


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


@pytest.mark.skipif(not POSTGRES_URL, reason='TEST_POSTGRES_URL not set')
async def test_reply_leases_are_unlogged_on_postgresql(postgres_database: str) -> None:
    """The heartbeat table skips PostgreSQL's write-ahead log; the messages stay durable."""
    engine = build_engine(postgres_database)
    try:
        async with engine.connect() as connection:
            persistence = dict(
                (
                    await connection.execute(
                        text(
                            "SELECT relname, relpersistence::text FROM pg_class WHERE relname IN ('reply_leases', 'messages')"
                        )
                    )
                ).all()
            )
    finally:
        await engine.dispose()
    assert persistence == {'reply_leases': 'u', 'messages': 'p'}


@pytest.mark.skipif(not POSTGRES_URL, reason='TEST_POSTGRES_URL not set')
async def test_replicas_migrating_at_once_take_turns(tmp_path: Path) -> None:
    """Three `manage.py migrate` started together on one empty PostgreSQL database all succeed."""
    name = f'speakroom_race_{uuid.uuid4().hex[:10]}'
    await _on_server(f'CREATE DATABASE {name}')
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        environment = {**os.environ, 'DATABASE_URL': url}
        replicas = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                str(ROOT / 'manage.py'),
                'migrate',
                cwd=tmp_path,
                env=environment,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            for _ in range(3)
        ]
        outputs = await asyncio.gather(*(replica.communicate() for replica in replicas))
        assert [replica.returncode for replica in replicas] == [0, 0, 0], outputs
        engine = build_engine(url)
        try:
            async with engine.connect() as connection:
                versions = (await connection.execute(text('SELECT version_num FROM alembic_version'))).all()
                differences = await connection.run_sync(schema_differences)
        finally:
            await engine.dispose()
        head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
        assert ([row[0] for row in versions], differences) == ([head], [])
    finally:
        await _on_server(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')


async def _on_server(statement: str) -> None:
    server = build_engine(POSTGRES_URL or '')
    try:
        async with server.connect() as connection:
            await connection.execution_options(isolation_level='AUTOCOMMIT')
            await connection.execute(text(statement))
    finally:
        await server.dispose()
