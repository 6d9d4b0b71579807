"""Ending every session of an account at once: browser sessions (by generation) and API token families."""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import RefreshToken, User, utcnow


async def end_all_in(session: AsyncSession, user_id: int) -> int:
    """Raise the account's session generation and revoke its refresh-token families; the new generation.

    Browser sessions that began in an older generation end on their next request or page check;
    access tokens end at once because their family is revoked.
    """
    generation = (
        await session.execute(
            update(User)
            .where(User.id == user_id)
            .values(session_generation=User.session_generation + 1)
            .returning(User.session_generation)
        )
    ).scalar_one()
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return generation
