"""History search: own messages only, any language, literal, newest first, paged without gaps."""

import pytest

from db.engine import sessionmaker
from db.models import Message
from services import accounts, history, rooms
from services.errors import InvalidInput
from services.rooms import RoomDraft

pytestmark = pytest.mark.usefixtures('database')


async def learner_with(name: str, *lines: str, title: str = 'Café') -> tuple[int, int]:
    """A learner and a room whose history is `lines` (learner and AI partner taking turns)."""
    user = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(user.id, RoomDraft(title, 'en', 'Coffee.', 'Barista', 'Me', 'A2'))
    await add_lines(user.id, room.id, *lines)
    return user.id, room.id


async def add_lines(user_id: int, room_id: int, *lines: str) -> None:
    async with sessionmaker().begin() as session:
        session.add_all(
            Message(
                room_id=room_id, user_id=user_id, role='user' if n % 2 == 0 else 'assistant', content=line
            )
            for n, line in enumerate(lines)
        )


async def found(user_id: int, query: str) -> list[str]:
    return [hit.content for hit in (await history.search_messages(user_id, query)).hits]


async def test_case_insensitive_newest_first_with_room() -> None:
    """Any case finds the word; hits are newest first and carry their room and role."""
    user_id, room_id = await learner_with('mina', 'One LATTE please', 'Sure, a latte.', 'Thanks!')
    page = await history.search_messages(user_id, 'Latte')
    assert [hit.content for hit in page.hits] == ['Sure, a latte.', 'One LATTE please']
    assert {(hit.room_id, hit.room_title) for hit in page.hits} == {(room_id, 'Café')}
    assert [hit.role for hit in page.hits] == ['assistant', 'user']
    assert page.next_cursor is None


async def test_korean_and_japanese_including_short_words() -> None:
    """CJK text is found by whole words, one or two syllables, and inside mixed-script sentences."""
    user_id, _ = await learner_with(
        'mina',
        '오늘 점심에 비빔밥을 먹었어요',
        'ホットコーヒーを一つください',
        'A 라떼 with oat milk',
        '밥 먹었어?',
    )
    assert await found(user_id, '비빔밥') == ['오늘 점심에 비빔밥을 먹었어요']
    assert await found(user_id, '밥') == ['밥 먹었어?', '오늘 점심에 비빔밥을 먹었어요']
    assert await found(user_id, 'コーヒー') == ['ホットコーヒーを一つください']
    assert await found(user_id, '一つ') == ['ホットコーヒーを一つください']
    assert await found(user_id, '라떼 WITH') == ['A 라떼 with oat milk']
    assert await found(user_id, '김치') == []


async def test_wildcards_are_literal() -> None:
    """%, _ and backslash find themselves, never act as patterns."""
    user_id, _ = await learner_with('mina', '100% sure', 'snake_case name', r'C:\temp path', 'plain text')
    assert await found(user_id, '%') == ['100% sure']
    assert await found(user_id, '_') == ['snake_case name']
    assert await found(user_id, '\\') == [r'C:\temp path']
    assert await found(user_id, 'e_c') == ['snake_case name']
    assert await found(user_id, 'p%t') == []


async def test_another_learners_messages_are_never_found() -> None:
    """The same words in someone else's room stay invisible."""
    mina, _ = await learner_with('mina', 'my latte order')
    other, _ = await learner_with('other', 'a secret latte', 'another latte')
    assert await found(mina, 'latte') == ['my latte order']
    assert await found(other, 'latte') == ['another latte', 'a secret latte']
    assert await found(mina, 'secret') == []


async def test_paging_has_no_gaps_or_repeats() -> None:
    """Following next_cursor yields every match exactly once, newest first, then None."""
    user_id, _ = await learner_with('mina', *[f'coffee number {n}' for n in range(23)], 'tea only')
    seen, cursor = [], None
    while True:
        page = await history.search_messages(user_id, 'COFFEE', before_id=cursor, limit=5)
        seen += [hit.id for hit in page.hits]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 23
    assert seen == sorted(seen, reverse=True)


async def test_blank_and_too_long_queries_are_refused() -> None:
    """Blank or longer than 100 characters: InvalidInput with a readable message."""
    user_id, _ = await learner_with('mina', 'hello')
    for query in ('', '   ', 'x' * 101):
        with pytest.raises(InvalidInput) as refused:
            await history.search_messages(user_id, query)
        assert refused.value.field_errors['q']


async def test_deleted_rooms_leave_nothing_behind() -> None:
    """Deleting a room removes its messages from search."""
    user_id, room_id = await learner_with('mina', 'latte in the first room')
    second = await rooms.create_room(user_id, RoomDraft('Second', 'en', 'x', 'y', 'z', 'B1'))
    await add_lines(user_id, second.id, 'latte in the second room')
    await rooms.delete_room(user_id, room_id)
    assert await found(user_id, 'latte') == ['latte in the second room']
