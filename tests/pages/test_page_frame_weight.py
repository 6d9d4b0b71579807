"""What an open page keeps on the server besides its messages: no tooltip elements, no unopened menus."""

import pytest
from nicegui import ui
from nicegui.testing import User

from services import rooms
from services.rooms import RoomDraft
from tests.pages.test_room_pages import logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')

# A new room's chat page: header, room controls, composer (115 elements before the tooltips, menus,
# the hint panel and the word dialog stopped being made with the page; 69 before the hidden missions
# panel and the hidden pager buttons stopped being made where they show nothing).
EMPTY_CHAT_PAGE_ELEMENTS = 64


async def test_empty_chat_page_keeps_few_elements(user: User) -> None:
    """A new room's chat page has no tooltip or menu elements until a menu is opened, and few elements."""
    user_id = await logged_in(user)
    room = await rooms.create_room(user_id, RoomDraft('Small talk', 'en', 'A café.', 'Barista', 'Me', 'A2'))
    await user.open(f'/rooms/{room.id}')
    await user.should_see('Say hello to start the conversation')
    kinds = {type(element) for element in user.client.elements.values()}
    assert not kinds & {ui.tooltip, ui.menu, ui.menu_item}
    assert len(user.client.elements) <= EMPTY_CHAT_PAGE_ELEMENTS


async def test_tooltips_are_drawn_from_a_prop(user: User) -> None:
    """`End session` and `Clear` keep their explanations, as the stylesheet's tooltips (`data-tip`)."""
    user_id = await logged_in(user)
    room = await rooms.create_room(user_id, RoomDraft('Small talk', 'en', 'A café.', 'Barista', 'Me', 'A2'))
    await user.open(f'/rooms/{room.id}')
    end = user.find(kind=ui.button, content='End session').elements.pop()
    clear = user.find(marker='clear-history').elements.pop()
    assert end.props['data-tip'] == 'End this session and see its report'
    assert clear.props['data-tip'] == 'Delete every message of this room'
    assert 'css-tip' in end.classes and 'css-tip' in clear.classes


async def test_phone_menu_is_made_when_opened(user: User) -> None:
    """The phone's `Menu` button gets its menu on the first click; its `Mistakes` item opens that page."""
    await logged_in(user)
    assert not [element for element in user.client.elements.values() if isinstance(element, ui.menu_item)]
    user.find(marker='nav-menu').click()
    user.find(marker='nav-menu-mistakes').click()
    await user.should_see('Mistake log')
