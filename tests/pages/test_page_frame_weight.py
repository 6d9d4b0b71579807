"""What an open page keeps on the server besides its messages: no tooltip elements, no unopened menus, a
header whose static parts are markup."""

import pytest
from nicegui import ui
from nicegui.testing import User

from services import accounts, rooms
from services.rooms import RoomDraft
from tests.helpers import first_of_kind, header_markup
from tests.pages.test_room_pages import logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')

# A new room's chat page: header, room controls, composer (115 elements before the tooltips, menus,
# the hint panel and the word dialog stopped being made with the page; 76 before the header's static
# parts became markup and the hidden missions panel, pager buttons, player and alert stopped being made
# where they show nothing).
EMPTY_CHAT_PAGE_ELEMENTS = 46
# The signed-in header: itself, its two rows, `Menu`, `Log out` and two markup parts (20 elements when
# each link, icon and label was an element of its own).
HEADER_ELEMENTS = 8


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


async def test_room_badges_are_one_element_showing_text(user: User) -> None:
    """The language, level and roles under the room's title are one element; markup in a role shows as text."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id,
        RoomDraft('Small talk', 'ko', 'A café.', '<b>Barista</b>', '<img src=x onerror=alert(1)>', 'B1'),
    )
    await user.open(f'/rooms/{room.id}')
    badges = user.find(kind=ui.html, content='q-badge').elements
    assert len(badges) == 1
    content = badges.pop().content
    assert '>Korean</div>' in content and '>B1</div>' in content
    assert 'You: &lt;img src=x onerror=alert(1)&gt; · AI: &lt;b&gt;Barista&lt;/b&gt;' in content
    assert '<img' not in content and '<b>' not in content


async def test_signed_in_header_is_few_elements_showing_the_same(user: User) -> None:
    """The header is a handful of elements, and still shows the brand, the page links in a labelled
    navigation landmark, the model with its tooltip and the user's name."""
    await logged_in(user)
    header = first_of_kind(user, ui.header)
    assert len([header, *header.descendants()]) <= HEADER_ELEMENTS
    shown = header_markup(user)
    assert shown.links == {
        'SpeakRoom': '/rooms',
        'Rooms': '/rooms',
        'History': '/history',
        'Profile': '/profile',
        'Vocabulary': '/vocabulary',
        'Progress': '/progress',
        'Mistakes': '/mistakes',
    }
    assert shown.by_testid == {'model-label': 'fake-model', 'user-name': 'mina'}
    assert shown.labels == ['Main', 'The model answering in this app']
    assert 'nav' in shown.tags
    assert shown.current == ['Rooms']  # the page shown, as screen readers are told


async def test_the_current_page_is_marked_in_the_navigation_and_the_phone_menu(user: User) -> None:
    """On History its link says it is the current page, in the header row and in the phone's Menu; the other
    links do not; a chat page (no link of its own) marks none."""
    user_id = await logged_in(user)
    await user.open('/history')
    await user.should_see('History')
    assert header_markup(user).current == ['History']
    user.find(marker='nav-menu').click()
    items = {item.props.get('aria-current'): item for item in user.find(ui.menu_item).elements}
    assert set(items) == {None, 'page'}
    assert items['page'].props.get('active') is True and items['page']._markers == ['nav-menu-history']
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2')
    )
    await user.open(f'/rooms/{room.id}')
    await user.should_see('Café')
    assert header_markup(user).current == []


async def test_a_user_name_with_markup_is_shown_as_text(user: User) -> None:
    """A nickname written as HTML shows as those characters in the header, not as an image or a script."""
    user_id = await logged_in(user)
    nickname = '<img src=x onerror=alert(1)> & "Mina"'
    await accounts.update_profile(user_id, nickname, '')
    await user.open('/rooms')
    await user.should_see('Your rooms')
    shown = header_markup(user)
    assert shown.by_testid['user-name'] == nickname
    assert 'img' not in shown.tags
