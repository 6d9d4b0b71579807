"""What a long chat costs on the server: every NiceGUI element of an open page is kept in memory."""

import collections

import pytest
from nicegui.testing import User
from sqlalchemy import insert

from db.engine import sessionmaker
from db.models import Message
from services import rooms
from services.rooms import RoomDraft
from tests.pages.test_room_pages import logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')

# Bubble, its body, the text and its buttons: 5 for a line, 7 for a reply (12 each before issue 17's
# work); the latest reply's `Regenerate` is one more per page.
ELEMENTS_PER_MESSAGE = 6.1


async def test_each_stored_message_costs_few_elements(user: User) -> None:
    """A room of 25 exchanges shows all 50 bubbles with their buttons, at few elements per message."""
    user_id = await logged_in(user)
    room = await rooms.create_room(user_id, RoomDraft('Long talk', 'en', 'Coffee.', 'Barista', 'Me', 'A2'))
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
