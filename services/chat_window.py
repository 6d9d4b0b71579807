"""The stretch of a conversation the chat page shows: the latest messages, or a window around a
search hit, extended a page at a time towards either end (never the whole room at once)."""

from dataclasses import dataclass

from services import chat
from services.chat import LOG_PAGE, MessageInfo
from services.rooms import MAX_ROW_ID

WINDOW_SIDE = 25  # messages shown before and after a search hit


@dataclass(frozen=True, slots=True)
class LogWindow:
    messages: tuple[MessageInfo, ...]  # oldest first
    more_earlier: bool  # older messages exist before the first one
    more_later: bool  # newer messages exist after the last one (False: it reaches the latest)


async def opening(user_id: int, room_id: int, around_id: int | None = None) -> LogWindow:
    """The latest LOG_PAGE messages; or, with `around_id` (a search hit), up to WINDOW_SIDE messages on
    either side of it. Raises RoomNotFound."""
    if around_id is None or not 0 < around_id < MAX_ROW_ID:
        return await earlier(user_id, room_id, None)
    # The hit and the WINDOW_SIDE before it, plus one to know whether there is more.
    older = await chat.messages_page(user_id, room_id, WINDOW_SIDE + 2, before_id=around_id + 1)
    newer = await chat.messages_page(user_id, room_id, WINDOW_SIDE + 1, after_id=around_id)
    return LogWindow(
        messages=(*reversed(older[: WINDOW_SIDE + 1]), *newer[:WINDOW_SIDE]),
        more_earlier=len(older) > WINDOW_SIDE + 1,
        more_later=len(newer) > WINDOW_SIDE,
    )


async def earlier(user_id: int, room_id: int, before_id: int | None, limit: int = LOG_PAGE) -> LogWindow:
    """Up to `limit` messages before `before_id` (the latest ones when None)."""
    found = await chat.messages_before(user_id, room_id, before_id, limit + 1)
    return LogWindow(
        messages=tuple(reversed(found[:limit])),
        more_earlier=len(found) > limit,
        more_later=before_id is not None,
    )


async def later(user_id: int, room_id: int, after_id: int, limit: int = LOG_PAGE) -> LogWindow:
    """Up to `limit` messages after `after_id`, towards the latest."""
    found = await chat.messages_page(user_id, room_id, limit + 1, after_id=after_id)
    return LogWindow(messages=tuple(found[:limit]), more_earlier=True, more_later=len(found) > limit)
