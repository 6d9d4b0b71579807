"""Alembic environment: async engines, and a connection handed in by db.migrate when there is one."""

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from db.engine import build_engine
from db.migrate import include_object_for
from db.models import Base

target_metadata = Base.metadata
# The advisory lock that serialises migrations on PostgreSQL (any fixed 64-bit number; this spells SPEAKRM).
MIGRATION_LOCK_KEY = 0x535045414B524D


def run_migrations_offline() -> None:
    context.configure(
        url=context.config.get_main_option('sqlalchemy.url'),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    if connection.dialect.name == 'postgresql':
        # Replicas starting together migrate one at a time: the others wait here, then find nothing to do.
        # A transaction-level lock: it is held until the migrations are committed (alembic then runs them
        # inside this transaction), so nobody reads the old version in between.
        connection.execute(text('SELECT pg_advisory_xact_lock(:key)'), {'key': MIGRATION_LOCK_KEY})
    # Batch mode lets ALTER TABLE work on SQLite (it rebuilds the table), a no-op on PostgreSQL.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object_for(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = build_engine(context.config.get_main_option('sqlalchemy.url'))
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
elif (shared_connection := context.config.attributes.get('connection')) is not None:
    do_run_migrations(shared_connection)
else:
    asyncio.run(run_async_migrations())
