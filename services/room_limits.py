"""Limits on making rooms: at most MAX_ROOMS_PER_USER at once, and not too many in a short time."""

import math
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Room, RoomCreation, User, utcnow
from services.errors import RoomCreationThrottled, RoomLimitReached
from services.settings import get_settings

CREATIONS_PER_WINDOW = 30
CREATION_WINDOW = timedelta(minutes=10)


async def admit_new_room(session: AsyncSession, user_id: int) -> None:
    """Record that `user_id` makes a room now, inside the creating transaction; or refuse.

    Raises RoomLimitReached at MAX_ROOMS_PER_USER rooms, RoomCreationThrottled after
    CREATIONS_PER_WINDOW rooms within CREATION_WINDOW (deleting rooms does not give those back).
    """
    # Lock the account's row first, so two tabs creating at once are counted one after the other
    # (PostgreSQL; SQLite serialises writers anyway and ignores FOR UPDATE).
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())
    limit = get_settings().max_rooms_per_user
    owned = await session.scalar(select(func.count()).select_from(Room).where(Room.user_id == user_id))
    if (owned or 0) >= limit:
        raise RoomLimitReached(limit)
    now = utcnow()
    window_start = now - CREATION_WINDOW
    await session.execute(
        delete(RoomCreation).where(RoomCreation.user_id == user_id, RoomCreation.created_at <= window_start)
    )
    recent = (
        await session.scalars(
            select(RoomCreation.created_at)
            .where(RoomCreation.user_id == user_id, RoomCreation.created_at > window_start)
            .order_by(RoomCreation.created_at.desc())
            .limit(CREATIONS_PER_WINDOW)
        )
    ).all()
    if len(recent) >= CREATIONS_PER_WINDOW:
        # The next room is allowed once the oldest of the last CREATIONS_PER_WINDOW leaves the window.
        wait = recent[-1] + CREATION_WINDOW - now
        raise RoomCreationThrottled(max(1, math.ceil(wait.total_seconds())))
    session.add(RoomCreation(user_id=user_id, created_at=now))
