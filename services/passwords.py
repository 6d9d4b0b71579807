"""bcrypt hashing, always in a worker thread: one hash costs ~0.2 s of CPU that must not stall the loop."""

import asyncio
from functools import cache

import bcrypt

from services.settings import get_settings

BCRYPT_MAX_BYTES = 72


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hash, password, get_settings().bcrypt_rounds)


async def verify_password(password: str, password_hash: str | None) -> bool:
    """True when `password` matches; a missing hash costs the same time and is never a match."""
    return await asyncio.to_thread(_verify, password, password_hash, get_settings().bcrypt_rounds)


def _hash(password: str, rounds: int) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def _verify(password: str, password_hash: str | None, rounds: int) -> bool:
    candidate = password.encode()[:BCRYPT_MAX_BYTES]
    if password_hash is None:
        # Spend the same time as a real check, so response times do not reveal which accounts exist.
        bcrypt.checkpw(candidate, _dummy_hash(rounds))
        return False
    return bcrypt.checkpw(candidate, password_hash.encode())


@cache
def _dummy_hash(rounds: int) -> bytes:
    return bcrypt.hashpw(b'no such account', bcrypt.gensalt(rounds))
