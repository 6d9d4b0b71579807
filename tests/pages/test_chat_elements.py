"""What a long chat costs on the server: every NiceGUI element of an open page is kept in memory."""

import collections
import json

import pytest
from nicegui.observables import ObservableCollection
from nicegui.testing import User
from sqlalchemy import insert

from db.engine import sessionmaker
from db.models import Message
from services import rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually, player_source, shown_html
from tests.pages.message_buttons import button_of, press_action
from tests.pages.test_chat_controls import record_javascript, room_with
from tests.pages.test_chat_helpers import TRANSLATION
from tests.pages.test_room_pages import logged_in
from ui.message_actions import MessageActions

pytestmark = pytest.mark.usefixtures('use_fake_llm')

# One element a message: its bubble draws its text and buttons (ui/message_bubble.py). Before issue 17's work
# 12 each; then 5 for a line and 7 for a reply (an element per button); then 4 (bubble, body, text, buttons).
ELEMENTS_PER_MESSAGE = 1.1


async def test_each_stored_message_costs_few_elements(user: User) -> None:
    """A room of 25 exchanges shows all 50 bubbles with their buttons, at few elements per message."""
    user_id = await logged_in(user)
    draft = RoomDraft(
        'Long talk', 'en', 'Coffee.', 'Barista', 'Me', 'A2', feedback_mode='off'
    )  # messages only
    room = await rooms.create_room(user_id, draft)
    await user.open(f'/rooms/{room.id}')
    await user.should_see('Say hello to start the conversation')
    empty_page = len(user.client.elements)
    async with sessionmaker().begin() as session:
        await session.execute(
            insert(Message),
            [
                {'room_id': room.id, 'user_id': user_id, 'role': role, 'content': f'{role} line {n}'}
                for n in range(25)
                for role in ('user', 'assistant')
            ],
        )
    await user.open(f'/rooms/{room.id}')
    await user.should_see('assistant line 24')
    await user.should_see('user line 0')
    assert len(user.find(marker='play-reply').elements) == 25
    assert len(user.find(marker='copy-message').elements) == 50
    assert len(user.find(marker='delete-message').elements) == 50
    assert len(user.find(marker='translate-reply').elements) == 25
    kinds = collections.Counter(type(element).__name__ for element in user.client.elements.values())
    per_message = (len(user.client.elements) - empty_page) / 50
    assert per_message <= ELEMENTS_PER_MESSAGE, f'{per_message:.2f} elements per message: {kinds}'


async def test_every_button_of_a_message_works_through_its_one_element(
    user: User, fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each message is one element, its buttons included; Copy, Play, Translate, Regenerate and Delete pressed
    in it do what the buttons did: Copied, the player gets the audio, the translation, a new reply, gone."""
    user_id = await logged_in(user)
    room_id, [first, second] = await room_with(user_id, 'Hello there', 'A latte please')
    await user.open(f'/rooms/{room_id}')
    await user.should_see('A latte please')
    assert len(user.find(kind=MessageActions).elements) == 4
    copied = record_javascript(monkeypatch, r'const text = (".*?");')
    press_action(user, f'copy-message-{second.user_message.id}')
    await user.should_see('Copied')
    assert [json.loads(text) for text in copied] == ['A latte please']
    press_action(user, 'play-reply')
    await eventually(lambda: player_source(user).startswith(f'/audio/messages/{first.reply.id}?'))
    press_action(user, f'translate-reply-{second.reply.id}')
    await user.should_see(TRANSLATION, retries=100)
    assert button_of(user, f'translate-reply-{second.reply.id}').get('expanded') == 'true'
    fake_llm.reply = 'A brand new answer.'
    press_action(user, f'regenerate-reply-{second.reply.id}')
    await eventually(lambda: 'A brand new answer.' in shown_html(user.client))
    await user.should_see(marker=f'regenerate-reply-{second.reply.id}', retries=100)
    press_action(user, f'delete-message-{second.reply.id}')
    await user.should_see('Delete this exchange?')
    user.find(marker='confirm-delete').click()
    await user.should_not_see('A latte please', retries=50)
    await user.should_see('Hello there')


async def test_message_buttons_hold_plain_data(user: User) -> None:
    """A message's buttons are plain data on the server, not NiceGUI's observable list and dicts."""
    user_id = await logged_in(user)
    room_id, _turns = await room_with(user_id, 'Hello there')
    await user.open(f'/rooms/{room_id}')
    await user.should_see('Hello there')
    for element in user.find(kind=MessageActions).elements:
        actions = element.props['actions']
        assert actions and not isinstance(actions, ObservableCollection)
        assert not any(isinstance(action, ObservableCollection) for action in actions)
