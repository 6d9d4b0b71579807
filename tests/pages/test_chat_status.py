"""The allowance line, the player and the alert of the chat page (pages/chat_status.py)."""

import pytest
from nicegui import ui
from nicegui.testing import User

from services import chat, generation, rooms
from services.rooms import RoomDraft
from tests.helpers import eventually, player_source
from tests.pages.message_buttons import press_action
from tests.pages.test_chat_streaming import open_room
from tests.pages.test_room_pages import logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')


async def test_an_idle_chat_page_holds_no_player_alert_or_limit_line(user: User) -> None:
    """Until something plays or goes wrong, the page keeps neither player nor error line on the server."""
    await open_room(user)
    await user.should_see('5 of 5 replies left today')
    kinds = {type(element) for element in user.client.elements.values()}
    assert ui.audio not in kinds
    assert not [element for element in user.client.elements.values() if element.props.get('role') == 'alert']
    await user.should_not_see('Daily limit reached')


async def test_the_player_and_the_alert_come_below_the_allowance_line(user: User) -> None:
    """Play reply makes the player under `N of M replies left today`; a refused message shows the alert under it."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2', feedback_mode='off')
    )
    turn = await chat.send_message(user_id, room.id, 'Hello')
    await generation.wait(turn.reply.id)
    await user.open(f'/rooms/{room.id}')
    press_action(user, 'play-reply')
    await eventually(lambda: player_source(user).startswith(f'/audio/messages/{turn.reply.id}?'))
    user.find('Message').type('x' * 2001)
    user.find(kind=ui.button, content='Send').click()
    await user.should_see('Your message is 2001 characters long; the limit is 2000.', retries=50)

    player = next(element for element in user.client.elements.values() if 'chat-player' in element.classes)
    siblings = list(player.parent_slot.children)
    player_at = siblings.index(player)
    alert = next(element for element in siblings if element.props.get('role') == 'alert')
    assert 'replies left today' in ''.join(
        label.text for label in siblings[player_at - 1].default_slot.children if isinstance(label, ui.label)
    )
    assert siblings.index(alert) == player_at + 1
