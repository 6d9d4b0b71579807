"""The room list a page at a time, in every order and with filters; room limits; impossible ids."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from db.engine import sessionmaker
from db.models import Room
from services import accounts, room_limits, rooms
from services.errors import InvalidInput, RoomCreationThrottled, RoomLimitReached, RoomNotFound
from services.rooms import RoomDraft
from services.settings import load_settings

pytestmark = pytest.mark.usefixtures('database')

DRAFT = RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2')


async def learner(name: str = 'mina') -> int:
    return (
        await accounts.register(
            name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
        )
    ).id


async def seed_rooms(user_id: int, count: int) -> None:
    """`count` rooms by bulk insert; titles repeat (ties) and activity times collide in pairs."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    async with sessionmaker().begin() as session:
        await session.execute(
            insert(Room),
            [
                {'user_id': user_id, 'title': ['apple', 'Banana', 'cherry', '바나나'][n % 4], 'language': 'en' if n % 3 else 'ko',
                 'situation': 's', 'ai_role': 'a', 'my_role': 'm', 'level': 'B1',
                 'created_at': start + timedelta(minutes=n), 'last_activity_at': start + timedelta(minutes=n // 2)}
                for n in range(count)
            ],
        )  # fmt: skip


async def every_page(user_id: int, limit: int, **filters: object) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        page = await rooms.room_page(user_id, cursor=cursor, limit=limit, **filters)  # type: ignore[arg-type]
        pages.append([room.id for room in page.rooms])
        if (cursor := page.next_cursor) is None:
            return pages


@pytest.mark.parametrize('sort', ['activity', 'title', 'created'])
async def test_pages_cover_every_room_once_in_order(sort: str) -> None:
    """Paging through 95 rooms by 30 gives the same rooms, in the same order, as one long page."""
    user_id = await learner()
    await seed_rooms(user_id, 95)
    pages = await every_page(user_id, 30, sort=sort)
    assert [len(page) for page in pages] == [30, 30, 30, 5]
    whole = await rooms.room_page(user_id, sort=sort, limit=1000)  # type: ignore[arg-type]
    assert [room_id for page in pages for room_id in page] == [room.id for room in whole.rooms]
    assert whole.next_cursor is None


async def test_filters_page_too_and_the_first_page_is_bounded() -> None:
    """Title and language filters hold on every page; the plain list returns one page, not all rooms."""
    user_id = await learner()
    await seed_rooms(user_id, 100)
    pages = await every_page(user_id, 7, title='BANANA', language='en', sort='title')
    found = [room_id for page in pages for room_id in page]
    expected = [n for n in range(100) if n % 4 == 1 and n % 3]
    assert len(found) == len(expected) and len(set(found)) == len(found)
    assert len(await rooms.list_rooms(user_id)) == rooms.ROOM_PAGE


async def test_a_bad_cursor_is_invalid_input() -> None:
    """Garbage, or a cursor of another order, is refused with a readable message."""
    user_id = await learner()
    await seed_rooms(user_id, 5)
    title_cursor = (await rooms.room_page(user_id, sort='title', limit=2)).next_cursor
    for cursor in ('not-a-cursor', title_cursor, 'WyJhY3Rpdml0eSIsICJub3QgYSBkYXRlIiwgMV0'):
        with pytest.raises(InvalidInput, match='cursor'):
            await rooms.room_page(user_id, sort='activity', cursor=cursor)


async def test_rooms_per_account_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    """At MAX_ROOMS_PER_USER a new room is refused with a clear message until one is deleted."""
    monkeypatch.setenv('MAX_ROOMS_PER_USER', '3')
    load_settings()
    user_id = await learner()
    made = [await rooms.create_room(user_id, DRAFT) for _ in range(3)]
    with pytest.raises(RoomLimitReached, match='You have 3 rooms, the most an account can have'):
        await rooms.create_room(user_id, DRAFT)
    await rooms.delete_room(user_id, made[0].id)
    assert (await rooms.create_room(user_id, replace(DRAFT, title='Again'))).title == 'Again'
    assert (await rooms.create_room(await learner('other'), DRAFT)).title == 'Café'  # per account


async def test_making_rooms_is_rate_limited() -> None:
    """The 31st room within ten minutes is refused (deleting rooms does not help); others are not held up."""
    user_id = await learner()
    for _ in range(room_limits.CREATIONS_PER_WINDOW):
        room = await rooms.create_room(user_id, DRAFT)
        await rooms.delete_room(user_id, room.id)
    with pytest.raises(RoomCreationThrottled, match='Try again in 10 minutes') as refused:
        await rooms.create_room(user_id, DRAFT)
    assert 590 <= refused.value.retry_after_seconds <= 600
    assert (await rooms.create_room(await learner('other'), DRAFT)).title == 'Café'


async def test_ids_beyond_the_column_are_not_found() -> None:
    """A room id too large for the database is simply not found (no overflow error)."""
    user_id = await learner()
    for room_id in (2_147_483_648, 99_999_999_999_999_999_999):
        with pytest.raises(RoomNotFound):
            await rooms.get_room(user_id, room_id)
