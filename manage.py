"""Operator commands: `python manage.py migrate`."""

import argparse
import asyncio
import sys

from db.migrate import upgrade
from services.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='manage.py', description=__doc__)
    commands = parser.add_subparsers(dest='command', required=True)
    commands.add_parser('migrate', help='bring the database (DATABASE_URL) to the newest schema')
    arguments = parser.parse_args(argv)
    if arguments.command == 'migrate':
        settings = load_settings()
        asyncio.run(upgrade(settings.database_url))
        print('database schema is up to date')
    return 0


if __name__ == '__main__':
    sys.exit(main())
