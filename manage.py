"""Operator commands: `python manage.py migrate`, `promote USERNAME`, `demote USERNAME`."""

import argparse
import asyncio
import sys

from db import engine
from db.migrate import upgrade
from services import roles
from services.errors import UserNotFound
from services.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='manage.py', description=__doc__)
    commands = parser.add_subparsers(dest='command', required=True)
    commands.add_parser('migrate', help='bring the database (DATABASE_URL) to the newest schema')
    for name, text in (
        ('promote', 'make an account an administrator'),
        ('demote', 'take the admin right away'),
    ):
        commands.add_parser(name, help=text).add_argument('username')
    arguments = parser.parse_args(argv)
    settings = load_settings()
    if arguments.command == 'migrate':
        asyncio.run(upgrade(settings.database_url))
        print('database schema is up to date')
        return 0
    try:
        asyncio.run(_set_admin(settings.database_url, arguments.username, arguments.command == 'promote'))
    except UserNotFound:
        print(f'no account named {arguments.username!r}', file=sys.stderr)
        return 1
    print(
        f'{arguments.username} is {"now" if arguments.command == "promote" else "no longer"} an administrator'
    )
    return 0


async def _set_admin(database_url: str, username: str, admin: bool) -> None:
    await engine.connect(database_url)
    try:
        await (roles.promote if admin else roles.demote)(username)
    finally:
        await engine.dispose()


if __name__ == '__main__':
    sys.exit(main())
