"""The services behind the API on SQLite and PostgreSQL: token rotation races, history search, paging."""

import asyncio

import pytest

from db.engine import sessionmaker
from db.models import Message
from services import accounts, api_tokens, chat, history, rooms
from services.errors import InvalidInput, RoomNotFound
from services.rooms import RoomDraft

pytestmark = pytest.mark.usefixtures('database')


async def learner(name: str = 'mina') -> int:
    return (
        await accounts.register(
            name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
        )
    ).id


async def test_racing_refreshes_of_one_token_let_exactly_one_win() -> None:
    """Two refreshes with the same token at once: one new pair, one InvalidToken — and reuse ends both."""
    user_id = await learner()
    pair = await api_tokens.issue_tokens(user_id)
    results = await asyncio.gather(
        *(api_tokens.rotate(pair.refresh_token) for _ in range(2)), return_exceptions=True
    )
    winners = [result for result in results if isinstance(result, api_tokens.TokenPair)]
    assert len(winners) == 1
    assert sum(isinstance(result, api_tokens.InvalidToken) for result in results) == 1
    # The loser was a reuse: the family is revoked, so the winner's tokens are dead as well.
    with pytest.raises(api_tokens.InvalidToken):
        await api_tokens.authenticate(winners[0].access_token)


async def test_families_are_independent() -> None:
    """Logging out one session (family) leaves another session of the same account working."""
    user_id = await learner()
    phone, laptop = await api_tokens.issue_tokens(user_id), await api_tokens.issue_tokens(user_id)
    await api_tokens.revoke(phone.refresh_token)
    with pytest.raises(api_tokens.InvalidToken):
        await api_tokens.authenticate(phone.access_token)
    assert (await api_tokens.authenticate(laptop.access_token)).id == user_id
    assert (await api_tokens.rotate(laptop.refresh_token)).access_token


async def test_search_escapes_wildcards_and_ignores_case() -> None:
    """ILIKE / LIKE with escaped `%`, `_` and `\\`, on both backends, with Hangul too."""
    user_id = await learner()
    room = await rooms.create_room(user_id, RoomDraft('Café', 'ko', 'Coffee.', 'Barista', 'Me', 'A2'))
    texts = ['100% Arabica', 'snake_case', 'back\\slash', '아메리카노 주세요', 'ARABICA beans']
    async with sessionmaker().begin() as session:
        session.add_all(
            Message(room_id=room.id, user_id=user_id, role='user', content=text) for text in texts
        )

    async def found(query: str) -> list[str]:
        return [hit.content for hit in (await history.search_messages(user_id, query)).hits]

    assert await found('arabica') == ['ARABICA beans', '100% Arabica']
    assert await found('0%') == ['100% Arabica']
    assert await found('e_c') == ['snake_case']
    assert await found('k\\s') == ['back\\slash']
    assert await found('아메리카노') == ['아메리카노 주세요']
    assert await found('%a%') == []
    with pytest.raises(InvalidInput):
        await history.search_messages(user_id, '  ')


async def test_messages_before_pages_newest_first_and_checks_the_owner() -> None:
    """chat.messages_before: pages by id; someone else's room is RoomNotFound."""
    user_id = await learner()
    other = await learner('other')
    room = await rooms.create_room(user_id, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Me', 'A2'))
    async with sessionmaker().begin() as session:
        session.add_all(
            Message(room_id=room.id, user_id=user_id, role='user', content=str(i)) for i in range(5)
        )
    newest = await chat.messages_before(user_id, room.id, None, 2)
    assert [message.content for message in newest] == ['4', '3']
    older = await chat.messages_before(user_id, room.id, newest[-1].id, 10)
    assert [message.content for message in older] == ['2', '1', '0']
    assert [message.content for message in await chat.list_messages(user_id, room.id)] == [
        '0',
        '1',
        '2',
        '3',
        '4',
    ]
    with pytest.raises(RoomNotFound):
        await chat.messages_before(other, room.id, None, 10)
