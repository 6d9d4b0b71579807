"""A reply streaming in: only its new words go to the browser, as plain text; its Markdown comes at the end."""

import pytest
from nicegui.outbox import Message
from nicegui.testing import User

from services import rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually, shown_html
from tests.pages.test_room_pages import button, logged_in
from ui.stream_text import StreamText

pytestmark = pytest.mark.usefixtures('use_fake_llm')


async def open_room(user: User) -> None:
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2')
    )
    await user.open(f'/rooms/{room.id}')


def record_messages(user: User) -> list[str]:
    """Every message the page sends to the browser from now on (updates of elements, scripts), as text."""
    sent: list[str] = []
    emit = user.client.outbox._emit

    async def recording_emit(message: Message) -> None:
        sent.append(str(message[2]))
        await emit(message)

    user.client.outbox._emit = recording_emit  # type: ignore[method-assign]
    return sent


def streaming_text(user: User) -> str:
    return ' '.join(
        element.text for element in user.client.elements.values() if isinstance(element, StreamText)
    )


async def test_a_streaming_reply_sends_each_word_once(user: User, fake_llm: FakeLLMServer) -> None:
    """While a reply streams, each redraw sends only its new words: the first word goes out once, not every time."""
    fake_llm.reply = 'Bonjour ' + ' '.join(f'piece{i:02d}' for i in range(1, 10)) + ' **amie**'
    fake_llm.first_token_delay, fake_llm.chunk_delay = 0.3, 0.12  # the empty bubble is drawn before it
    await open_room(user)
    sent = record_messages(user)
    user.find('Message').type('Hello')
    button(user, 'Send').click()
    await user.should_see(marker='play-reply', retries=100)
    await eventually(
        lambda: any('<strong>amie</strong>' in text for text in sent)
    )  # the Markdown, at the end
    streamed = sent[: next(i for i, text in enumerate(sent) if '<strong>amie</strong>' in text)]
    assert 'piece05' in ' '.join(streamed)  # it did stream, piece by piece
    assert sum('Bonjour' in text for text in streamed) == 1


async def test_a_streaming_reply_is_plain_text_until_it_is_complete(
    user: User, fake_llm: FakeLLMServer
) -> None:
    """The streaming reply shows the model's words as they are (Markdown and tags as text), Markdown at the end."""
    fake_llm.reply = 'Hi **there**, <b>friend</b>! ' + ' '.join(f'word{i}' for i in range(8))
    fake_llm.chunk_delay = 0.15
    await open_room(user)
    user.find('Message').type('Hello')
    button(user, 'Send').click()
    await eventually(lambda: '<b>friend</b>' in streaming_text(user))
    assert 'Hi **there**, <b>friend</b>!' in streaming_text(user)
    assert 'there' not in shown_html(user.client)
    await user.should_see(marker='play-reply', retries=100)
    await eventually(lambda: '<strong>there</strong>' in shown_html(user.client))
    assert '&lt;b&gt;friend&lt;/b&gt;' in shown_html(user.client)
    assert streaming_text(user) == ''
