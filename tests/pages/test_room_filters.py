"""The room list's search, language filter and order through the simulated user."""

from dataclasses import replace

from nicegui import ui
from nicegui.testing import User

from services import rooms
from services.rooms import RoomDraft
from tests.helpers import eventually
from tests.pages.test_room_pages import logged_in

DRAFT = RoomDraft('Café order', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2')


def shown_titles(user: User) -> list[str]:
    """Room titles on the page, in order (each card's title is its first label)."""
    grids = [element for element in user.client.elements.values() if isinstance(element, ui.grid)]
    cards = [card for grid in grids for card in grid.default_slot.children if 'room-card' in card.classes]
    return [
        next(child for child in card.default_slot.children if isinstance(child, ui.label)).text
        for card in cards
    ]


async def test_search_language_and_sort(user: User) -> None:
    """Typing narrows by title, the language select by language, and `Sort by` reorders."""
    user_id = await logged_in(user)
    await rooms.create_room(user_id, DRAFT)
    await rooms.create_room(user_id, replace(DRAFT, title='Airport check-in'))
    await rooms.create_room(user_id, replace(DRAFT, title='카페 주문', language='ko'))
    await user.open('/rooms')
    assert shown_titles(user) == ['카페 주문', 'Airport check-in', 'Café order']
    user.find('Search rooms').type('AIRPORT')
    await eventually(lambda: shown_titles(user) == ['Airport check-in'])
    user.find('Search rooms').clear()
    await eventually(lambda: len(shown_titles(user)) == 3)
    user.find(marker='room-language').elements.pop().set_value('ko')
    await eventually(lambda: shown_titles(user) == ['카페 주문'])
    user.find('Search rooms').type('airport')
    await user.should_see('No rooms match your search.')
    user.find(kind=ui.button, content='Clear filters').click()
    await eventually(lambda: len(shown_titles(user)) == 3)
    user.find(marker='room-sort').elements.pop().set_value('title')
    await eventually(lambda: shown_titles(user) == ['Airport check-in', 'Café order', '카페 주문'])


async def test_no_filters_without_rooms(user: User) -> None:
    """A learner with no rooms sees the gallery hint, not an empty search bar."""
    await logged_in(user)
    await user.should_see('No rooms yet')
    await user.should_not_see('Search rooms')
