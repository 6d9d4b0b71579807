"""History search: one's own messages across every room, by keyword, newest first, a page at a time."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text

from db.engine import sessionmaker
from db.models import Message, Room
from i18n import lazy_text
from services.errors import InvalidInput
from services.like import LIKE_ESCAPE, contains_pattern

QUERY_MAX_LENGTH = 100
PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int  # the message
    room_id: int
    room_title: str
    role: str  # 'user' | 'assistant'
    content: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: tuple[SearchHit, ...]
    next_cursor: int | None  # pass as `before_id` for the next (older) page; None on the last page


async def search_messages(
    user_id: int, query: str, before_id: int | None = None, limit: int = 20
) -> SearchPage:
    """The user's messages containing `query` (case-insensitive), newest first, older than `before_id`.

    The words are matched literally: `%` and `_` are escaped, so they find themselves, not patterns.
    """
    query = query.strip()
    if not query:
        raise InvalidInput({'q': lazy_text('Enter a word to search for.')})
    if len(query) > QUERY_MAX_LENGTH:
        raise InvalidInput({'q': lazy_text('Search for at most {limit} characters.', limit=QUERY_MAX_LENGTH)})
    limit = max(1, min(limit, PAGE_MAX))
    # ILIKE on PostgreSQL; lower() LIKE lower() on SQLite, where LIKE folds ASCII letters only (Korean,
    # Japanese and Chinese have no case, so they match exactly either way). Ownership is the message's
    # own user_id (always its room's owner); a second condition on rooms.user_id would only mislead
    # PostgreSQL's planner into reading all of the user's messages (see bench/RESULTS.md).
    statement = (
        select(Message, Room.title)
        .join(Room, Room.id == Message.room_id)
        .where(Message.user_id == user_id, Message.content.ilike(contains_pattern(query), escape=LIKE_ESCAPE))
    )
    if before_id is not None:
        statement = statement.where(Message.id < before_id)
    async with sessionmaker().begin() as session:
        if session.bind.dialect.name == 'postgresql':
            # asyncpg re-uses prepared statements, and after five runs PostgreSQL may switch to a generic
            # plan that cannot see the pattern, so it never uses the trigram index: plan every search.
            await session.execute(text('SET LOCAL plan_cache_mode = force_custom_plan'))
        rows = (await session.execute(statement.order_by(Message.id.desc()).limit(limit + 1))).all()
    hits = tuple(
        SearchHit(
            id=message.id,
            room_id=message.room_id,
            room_title=title,
            role=message.role,
            content=message.content,
            created_at=message.created_at,
        )
        for message, title in rows[:limit]
    )
    return SearchPage(hits=hits, next_cursor=hits[-1].id if len(rows) > limit else None)
