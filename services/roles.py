"""Who is an administrator: the account's own flag (users.is_admin), and nothing else.

The flag is granted with `python manage.py promote NAME`, by another admin on /admin, or at start-up
for the accounts named in ADMIN_USERNAMES that exist at that moment. Each configured name is applied
once (remembered in configured_admins), so an account created later with such a name is never an
admin through the setting, not even after a restart: otherwise whoever first signed up (or logged in
through GitHub/Kakao) under a configured name would take the admin right.
"""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from db.engine import sessionmaker
from db.models import ConfiguredAdmin, User
from services.errors import UserNotFound
from services.settings import get_settings

USERNAME_MAX = 30


def is_admin(user: User) -> bool:
    return user.is_admin


async def promote(username: str) -> None:
    """Make the account an admin (UserNotFound when there is none by that name)."""
    await _set(username, True)


async def demote(username: str) -> None:
    """Take the admin right away from the account (UserNotFound when there is none by that name)."""
    await _set(username, False)


async def promote_configured() -> list[str]:
    """At start-up: apply the ADMIN_USERNAMES names not applied before; the accounts promoted now."""
    names = sorted(name for name in get_settings().admin_set if len(name) <= USERNAME_MAX)
    if not names:
        return []
    try:
        return await _apply(names)
    except IntegrityError:  # another app process starting at the same moment applied them first
        return []


async def _apply(names: list[str]) -> list[str]:
    async with sessionmaker().begin() as session:
        applied = set(
            (
                await session.execute(
                    select(ConfiguredAdmin.username).where(ConfiguredAdmin.username.in_(names))
                )
            )
            .scalars()
            .all()
        )
        pending = [name for name in names if name not in applied]
        existing = set(
            (await session.execute(select(User.username).where(User.username.in_(pending)))).scalars().all()
        )
        if existing:
            await session.execute(update(User).where(User.username.in_(existing)).values(is_admin=True))
        session.add_all(ConfiguredAdmin(username=name, promoted=name in existing) for name in pending)
        return sorted(existing)


async def _set(username: str, admin: bool) -> None:
    async with sessionmaker().begin() as session:
        user = (
            await session.execute(select(User).where(User.username == username.strip().lower()))
        ).scalar_one_or_none()
        if user is None:
            raise UserNotFound
        user.is_admin = admin
