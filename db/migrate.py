"""Bring a database to the newest schema (`python manage.py migrate`, which `make run` does first)."""

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from db.engine import build_engine

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / 'alembic.ini'))
    config.set_main_option('script_location', str(ROOT / 'migrations'))
    config.set_main_option('sqlalchemy.url', database_url.replace('%', '%%'))
    return config


async def upgrade(database_url: str, revision: str = 'head') -> None:
    """Run the migrations up to `revision` on one connection (usable inside a running event loop)."""
    engine = build_engine(database_url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_upgrade_on, alembic_config(database_url), revision)
            await connection.commit()
    finally:
        await engine.dispose()


def _upgrade_on(connection: Connection, config: Config, revision: str) -> None:
    config.attributes['connection'] = connection
    command.upgrade(config, revision)


def include_object_for(dialect: str) -> Callable[..., bool]:
    """Autogenerate's filter on `dialect`: an object marked `info={'only_on': name}` exists only there
    (e.g. the PostgreSQL trigram index, which SQLite does not have)."""

    def include_object(
        obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
    ) -> bool:
        only_on = getattr(obj, 'info', {}).get('only_on') or getattr(compare_to, 'info', {}).get('only_on')
        return only_on is None or only_on == dialect

    return include_object
