"""/history through the simulated user: search, highlighted snippets, paging, opening a hit."""

from datetime import datetime

from nicegui import ui
from nicegui.testing import User

from db.engine import sessionmaker
from db.models import Message
from services import accounts, rooms
from services.rooms import RoomDraft
from tests.helpers import eventually, shown_html
from tests.pages.test_room_pages import logged_in


async def room_with_lines(user_id: int, title: str, lines: list[str], at: datetime | None = None) -> int:
    """A room whose history is `lines`, alternating learner and AI partner (all written `at`, else now)."""
    room = await rooms.create_room(user_id, RoomDraft(title, 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2'))
    written = {'created_at': at} if at is not None else {}
    async with sessionmaker().begin() as session:
        session.add_all(
            Message(
                room_id=room.id,
                user_id=user_id,
                role='user' if number % 2 == 0 else 'assistant',
                content=line,
                **written,
            )
            for number, line in enumerate(lines)
        )
    return room.id


def snippets(user: User) -> list[str]:
    """The result snippets in page order (elements are created, and so numbered, top to bottom)."""
    shown = [element for element in user.client.elements.values() if 'hit-snippet' in element.classes]
    return [element.content for element in sorted(shown, key=lambda element: element.id)]


async def test_search_shows_hits_with_room_and_highlight(user: User) -> None:
    """Matches from every room of the learner appear, newest first, with the words marked."""
    user_id = await logged_in(user)
    await room_with_lines(user_id, 'Morning café', ['One LATTE please', 'Sure, a latte.'])
    await room_with_lines(user_id, '카페 주문', ['라떼 한 잔 주세요', '네, 라떼 나왔습니다'])
    stranger = await accounts.register(
        'stranger', 'stranger@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await room_with_lines(stranger.id, 'Secret room', ['my latte secret'])
    await user.open('/history')
    user.find('Search your messages').type('latte')
    user.find(kind=ui.button, content='Search').click()
    await user.should_see('2 messages with "latte", newest first.')
    await user.should_see('Morning café')
    assert snippets(user) == [
        'Sure, a <mark class="search-match">latte</mark>.',
        'One <mark class="search-match">LATTE</mark> please',
    ]
    await user.should_not_see('Secret room')
    user.find('Search your messages').clear().type('라떼')
    user.find(kind=ui.button, content='Search').click()
    await user.should_see('2 messages with "라떼", newest first.')
    await user.should_see('카페 주문')


async def test_paging_with_show_more(user: User) -> None:
    """Twenty at a time; `Show more results` appends the older ones until there are no more."""
    user_id = await logged_in(user)
    await room_with_lines(user_id, 'Drills', [f'coffee drill {number}' for number in range(25)])
    await user.open('/history?q=coffee')
    await user.should_see('20+ messages with "coffee", newest first.')
    assert len(snippets(user)) == 20
    user.find(kind=ui.button, content='Show more results').click()
    await user.should_see('25 messages with "coffee", newest first.')
    assert len(snippets(user)) == 25
    await user.should_not_see('Show more results')
    assert 'drill 0' in snippets(user)[-1]


async def test_nothing_found_says_so(user: User) -> None:
    """A search without a match says so plainly."""
    user_id = await logged_in(user)
    await room_with_lines(user_id, 'Café', ['hello'])
    await user.open('/history?q=zebra')
    await user.should_see('Nothing found for "zebra".')


async def test_a_hit_opens_its_room_at_the_message(user: User) -> None:
    """Clicking a result opens the room with that message in the conversation."""
    user_id = await logged_in(user)
    room_id = await room_with_lines(user_id, 'Morning café', ['One latte please', 'Sure, coming up.'])
    await user.open('/history?q=latte')
    await user.should_see('Morning café')
    link = next(element for element in user.find(kind=ui.link).elements if 'search-hit' in element.classes)
    assert link.props['href'].startswith(f'/rooms/{room_id}?message=')
    await user.open(link.props['href'])
    await user.should_see('Sure, coming up.')
    await eventually(lambda: 'One latte please' in shown_html(user.client))
