"""Who is an administrator: the account's flag, or its username in ADMIN_USERNAMES."""

from db.models import User
from services.settings import get_settings


def is_admin(user: User) -> bool:
    return user.is_admin or user.username in get_settings().admin_set
