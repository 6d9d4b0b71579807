"""Chat page controls through the simulated user: copy, regenerate, delete an exchange, clear, open at."""

import json
import re

import pytest
from nicegui import Client, ui
from nicegui.testing import User

from services import chat, generation, rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually, shown_html
from tests.pages.message_buttons import press_action
from tests.pages.test_room_pages import logged_in
from ui.message_bubble import MessageBubble

pytestmark = pytest.mark.usefixtures('use_fake_llm')


async def room_with(user_id: int, *texts: str) -> tuple[int, list[chat.Turn]]:
    """A café room whose conversation already has one finished exchange per text."""
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2')
    )
    turns = []
    for text in texts:
        turn = await chat.send_message(user_id, room.id, text)
        await generation.wait(turn.reply.id)
        turns.append(turn)
    return room.id, turns


async def test_copy_puts_the_text_on_the_clipboard(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """Copy text runs the clipboard script with the message's text and says Copied."""
    user_id = await logged_in(user)
    room_id, [turn] = await room_with(user_id, 'One latte, please.')
    await user.open(f'/rooms/{room_id}')
    copied = record_javascript(monkeypatch, r'const text = (".*?");')
    press_action(user, f'copy-message-{turn.user_message.id}')
    await user.should_see('Copied')
    assert [json.loads(text) for text in copied] == ['One latte, please.']


async def test_regenerate_only_on_the_latest_reply_and_it_costs_one(
    user: User, fake_llm: FakeLLMServer
) -> None:
    """The latest reply has Regenerate (an earlier one has not); using it rewrites the reply for one unit."""
    user_id = await logged_in(user)
    room_id, [first, second] = await room_with(user_id, 'Hello', 'A latte')
    await user.open(f'/rooms/{room_id}')
    await user.should_see('3 of 5 replies left today')
    await user.should_not_see(marker=f'regenerate-reply-{first.reply.id}')
    fake_llm.reply = 'A brand new answer.'
    press_action(user, f'regenerate-reply-{second.reply.id}')
    await user.should_see('2 of 5 replies left today', retries=100)
    await eventually(lambda: 'A brand new answer.' in shown_html(user.client))
    assert (await chat.get_message(user_id, second.reply.id)).content == 'A brand new answer.'


async def test_a_new_reply_takes_regenerate_without_redrawing_the_last_one(user: User) -> None:
    """After a new exchange, Regenerate moves to the new reply; the earlier reply keeps its drawn text and
    buttons (only Regenerate leaves it), and deleting the new exchange gives Regenerate back (not redrawn)."""
    user_id = await logged_in(user)
    room_id, [first] = await room_with(user_id, 'Hello')
    await user.open(f'/rooms/{room_id}')
    await user.should_see(marker=f'regenerate-reply-{first.reply.id}')
    drawn = {id(element) for element in user.find(marker=f'copy-message-{first.reply.id}').elements}
    user.find('Message').type('A latte')
    user.find(kind=ui.button, content='Send').click()
    await user.should_see('3 of 5 replies left today', retries=100)
    [second] = [
        m
        for m in await chat.list_messages(user_id, room_id)
        if m.role == 'assistant' and m.id != first.reply.id
    ]
    await user.should_see(marker=f'regenerate-reply-{second.id}', retries=100)
    await user.should_not_see(marker=f'regenerate-reply-{first.reply.id}')
    assert {id(element) for element in user.find(marker=f'copy-message-{first.reply.id}').elements} == drawn
    press_action(user, f'delete-message-{second.id}')
    await user.should_see('Delete this exchange?')
    user.find(kind=ui.button, content='Delete').click()
    await user.should_see(marker=f'regenerate-reply-{first.reply.id}', retries=100)
    assert {id(element) for element in user.find(marker=f'copy-message-{first.reply.id}').elements} == drawn


async def test_regenerate_works_the_moment_it_is_shown(
    user: User, fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regenerate clicked as soon as the finished reply shows it rewrites the reply (the page did not stay
    busy for a redraw pause after the last piece, which ignored the click)."""
    monkeypatch.setattr('ui.pacing.REDRAW_SECONDS', 2.0)
    user_id = await logged_in(user)
    room_id, _turns = await room_with(user_id)
    await user.open(f'/rooms/{room_id}')
    fake_llm.reply = 'First answer.'
    user.find('Message').type('Hello')
    user.find(kind=ui.button, content='Send').click()
    await user.should_see(marker='regenerate-reply', retries=100)
    fake_llm.reply = 'A brand new answer.'
    press_action(user, 'regenerate-reply')
    await eventually(lambda: 'A brand new answer.' in shown_html(user.client), timeout=1.5)


async def test_delete_exchange_after_confirming(user: User) -> None:
    """Delete asks first; Cancel keeps the exchange, Delete removes message and reply from page and DB."""
    user_id = await logged_in(user)
    room_id, [first, second] = await room_with(user_id, 'Hello there', 'A latte please')
    await user.open(f'/rooms/{room_id}')
    press_action(user, f'delete-message-{second.reply.id}')
    await user.should_see('Delete this exchange?')
    user.find(kind=ui.button, content='Cancel').click()
    await user.should_see('A latte please')
    press_action(user, f'delete-message-{second.user_message.id}')
    user.find(marker='confirm-delete').click()
    await user.should_not_see('A latte please', retries=50)
    await user.should_see('Hello there')
    assert [m.id for m in await chat.list_messages(user_id, room_id)] == [
        first.user_message.id,
        first.reply.id,
    ]
    # The earlier reply is now the latest one, so it offers Regenerate.
    await user.should_see(marker=f'regenerate-reply-{first.reply.id}', retries=50)


async def test_clear_history_after_confirming(user: User) -> None:
    """Clear asks first, then empties the conversation and shows the start hint again."""
    user_id = await logged_in(user)
    room_id, _ = await room_with(user_id, 'Hello there', 'A latte please')
    await user.open(f'/rooms/{room_id}')
    user.find(marker='clear-history').click()
    await user.should_see('Clear the conversation?')
    user.find(marker='confirm-delete').click()
    await user.should_see('Deleted 4 messages', retries=50)
    await user.should_see('Say hello to start the conversation')
    await user.should_not_see('Hello there')
    assert await chat.list_messages(user_id, room_id) == []


async def test_opening_at_a_message_scrolls_to_it(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """/rooms/<id>?message=<id> shows the conversation and brings that message into view."""
    user_id = await logged_in(user)
    room_id, [first, _] = await room_with(user_id, 'Hello there', 'A latte please')
    scrolled_to = record_javascript(monkeypatch, r"getElementById\('(message-\d+)'\)")
    await user.open(f'/rooms/{room_id}?message={first.user_message.id}')
    await user.should_see('Hello there')
    bubble = next(
        element
        for element in user.client.elements.values()
        if element.props.get('id') == f'message-{first.user_message.id}'
    )
    assert isinstance(bubble, MessageBubble)
    await eventually(lambda: scrolled_to == [f'message-{first.user_message.id}'])


def record_javascript(monkeypatch: pytest.MonkeyPatch, pattern: str) -> list[str]:
    """Collect the first group of `pattern` from every script a page sends to the browser."""
    found: list[str] = []
    run_javascript = Client.run_javascript

    def recording(client: Client, code: str, *args, **kwargs):
        if match := re.search(pattern, code):
            found.append(match.group(1))
        return run_javascript(client, code, *args, **kwargs)

    monkeypatch.setattr(Client, 'run_javascript', recording)
    return found
