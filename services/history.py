"""History search: one's own messages across every room, by keyword, newest first, a page at a time."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db.engine import sessionmaker
from db.models import Message, Room
from services.errors import InvalidInput

QUERY_MAX_LENGTH = 100
PAGE_MAX = 100
LIKE_ESCAPE = '\\'


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
        raise InvalidInput({'q': 'Enter a word to search for.'})
    if len(query) > QUERY_MAX_LENGTH:
        raise InvalidInput({'q': f'Search for at most {QUERY_MAX_LENGTH} characters.'})
    limit = max(1, min(limit, PAGE_MAX))
    pattern = f'%{_escape_like(query)}%'
    # ILIKE on PostgreSQL; lower() LIKE lower() on SQLite, where LIKE folds ASCII letters only (Korean,
    # Japanese and Chinese have no case, so they match exactly either way).
    statement = (
        select(Message, Room.title)
        .join(Room, Room.id == Message.room_id)
        .where(
            Message.user_id == user_id,
            Room.user_id == user_id,
            Message.content.ilike(pattern, escape=LIKE_ESCAPE),
        )
    )
    if before_id is not None:
        statement = statement.where(Message.id < before_id)
    async with sessionmaker().begin() as session:
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


def _escape_like(text: str) -> str:
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace('%', f'{LIKE_ESCAPE}%')
        .replace('_', f'{LIKE_ESCAPE}_')
    )
