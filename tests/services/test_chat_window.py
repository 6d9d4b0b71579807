"""What the chat page loads: the latest page, a window around a search hit, and pages either way."""

import pytest
from sqlalchemy import insert, select

from db.engine import sessionmaker
from db.models import Message
from services import accounts, chat_window, rooms
from services.errors import RoomNotFound
from services.rooms import RoomDraft

pytestmark = pytest.mark.usefixtures('database')


async def room_with_lines(count: int) -> tuple[int, int, list[int]]:
    """A learner and a room with `count` messages 'line 0' … ; returns their ids, oldest first."""
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(user.id, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Me', 'A2'))
    async with sessionmaker().begin() as session:
        await session.execute(
            insert(Message),
            [
                {'room_id': room.id, 'user_id': user.id, 'role': 'user', 'content': f'line {n}'}
                for n in range(count)
            ],
        )
        ids = list((await session.scalars(select(Message.id).order_by(Message.id))).all())
    return user.id, room.id, ids


def contents(window: chat_window.LogWindow) -> list[str]:
    return [message.content for message in window.messages]


async def test_a_room_opens_at_its_latest_page() -> None:
    """Only the latest 50 of 120 messages, oldest first, with more before them."""
    user_id, room_id, _ = await room_with_lines(120)
    window = await chat_window.opening(user_id, room_id)
    assert contents(window) == [f'line {n}' for n in range(70, 120)]
    assert (window.more_earlier, window.more_later) == (True, False)
    earlier = await chat_window.earlier(user_id, room_id, window.messages[0].id)
    assert contents(earlier) == [f'line {n}' for n in range(20, 70)] and earlier.more_earlier
    first = await chat_window.earlier(user_id, room_id, earlier.messages[0].id)
    assert contents(first) == [f'line {n}' for n in range(20)] and not first.more_earlier


async def test_a_search_hit_opens_a_window_around_it_not_everything_after() -> None:
    """Opened at an early message of 1,000, the page gets 25 either side of it, then pages towards the end."""
    user_id, room_id, ids = await room_with_lines(1000)
    window = await chat_window.opening(user_id, room_id, around_id=ids[100])
    assert contents(window) == [f'line {n}' for n in range(75, 126)]
    assert (window.more_earlier, window.more_later) == (True, True)
    later = await chat_window.later(user_id, room_id, window.messages[-1].id)
    assert contents(later) == [f'line {n}' for n in range(126, 176)] and later.more_later
    last = await chat_window.later(user_id, room_id, ids[-30])
    assert contents(last)[-1] == 'line 999' and not last.more_later


async def test_a_hit_near_either_end_and_impossible_ids() -> None:
    """Near the start nothing is missing before it; a huge or unknown id opens the latest page."""
    user_id, room_id, ids = await room_with_lines(60)
    window = await chat_window.opening(user_id, room_id, around_id=ids[3])
    assert contents(window)[0] == 'line 0' and not window.more_earlier and window.more_later
    for around_id in (99_999_999_999_999_999_999, 0, -4):
        latest = await chat_window.opening(user_id, room_id, around_id=around_id)
        assert contents(latest)[-1] == 'line 59' and not latest.more_later
    with pytest.raises(RoomNotFound):
        await chat_window.opening(user_id, 99_999_999_999_999_999_999)
