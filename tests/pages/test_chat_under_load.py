"""The chat page under load: nothing but the reply itself stands between Send and its first words."""

import asyncio

import pytest
from nicegui import ui
from nicegui.testing import User

from services import quota, rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually
from tests.pages.test_room_pages import logged_in
from ui.message_bubble import MessageBubble
from ui.stream_text import StreamText

pytestmark = pytest.mark.usefixtures('use_fake_llm')


async def test_the_reply_streams_while_the_quota_is_still_being_read(
    user: User, fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reply's words show while a read of the replies left is held up (a busy pool delays no first token)."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2')
    )
    await user.open(f'/rooms/{room.id}')
    released = asyncio.Event()
    read_quota = quota.status

    async def held_read(reader_id: int) -> quota.QuotaStatus:
        await released.wait()
        return await read_quota(reader_id)

    monkeypatch.setattr(quota, 'status', held_read)
    fake_llm.reply = 'One latte coming right up.'
    user.find('Message').type('A latte, please.')
    user.find(kind=ui.button, content='Send').click()
    try:
        await eventually(lambda: 'One latte coming right up.' in reply_texts(user))
        await user.should_see('4 of 5 replies left today')
    finally:
        released.set()
    await user.should_see(marker='play-reply', retries=100)


def reply_texts(user: User) -> str:
    """What the replies show (their HTML, or the plain text of one streaming in), empty while there is none."""
    return ' '.join(
        str(element.html or '') if isinstance(element, MessageBubble) else element.text
        for element in user.current_layout.descendants()
        if isinstance(element, MessageBubble | StreamText)
    ).strip()
