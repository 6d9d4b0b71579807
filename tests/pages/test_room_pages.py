"""Room list, editor with the scenario gallery, and the chat page through the simulated user."""

import pytest
from nicegui import ui
from nicegui.testing import User

from services import accounts, chat, generation, rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually, shown_html
from ui.stream_text import StreamText

pytestmark = pytest.mark.usefixtures('use_fake_llm')


async def logged_in(user: User, name: str = 'mina') -> int:
    account = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await user.open('/login')
    user.find('Username').type(name)
    user.find('Password').type('amber-kettle-58')
    user.find(kind=ui.button, content='Log in').click()
    await user.should_see('Your rooms', retries=50)
    return account.id


def button(user: User, label: str):
    return user.find(kind=ui.button, content=label)


async def test_gallery_prefills_and_saves_a_room(user: User) -> None:
    """Choosing the interview scenario fills the form; Save opens the new room's chat."""
    user_id = await logged_in(user)
    await user.should_see('No rooms yet')
    button(user, 'New room').click()
    await user.should_see('Job interview: backend developer', retries=50)
    user.find(marker='scenario-job-interview').click()
    assert user.find('Title').elements.pop().value == 'Job interview: backend developer'
    assert user.find('AI role').elements.pop().value.startswith('Interviewer')
    button(user, 'Save').click()
    await user.should_see('Say hello to start the conversation', retries=50)
    [room] = await rooms.list_rooms(user_id)
    assert (room.scenario, room.level, room.language) == ('job-interview', 'B2', 'en')


async def test_editor_shows_field_errors(user: User) -> None:
    """Saving a blank form marks the required fields."""
    await logged_in(user)
    await user.open('/rooms/new')
    button(user, 'Save').click()
    await eventually(
        lambda: user.find('Title').elements.pop().props.get('error-message') == 'Title is required.'
    )


async def test_room_list_edit_and_delete(user: User) -> None:
    """A room card offers Open, Edit and Delete; Delete asks first."""
    user_id = await logged_in(user)
    room = await rooms.create_room(user_id, RoomDraft('Airport', 'ja', '空港', '係員', '乗客', 'A1'))
    await user.open('/rooms')
    await user.should_see('Airport')
    await user.should_see('Japanese')
    button(user, 'Edit').click()
    await user.should_see('Edit room', retries=50)
    user.find('Title').clear().type('Airport check-in')
    button(user, 'Save').click()
    await user.should_see('Say hello to start the conversation', retries=50)
    assert (await rooms.get_room(user_id, room.id)).title == 'Airport check-in'
    await user.open('/rooms')
    button(user, 'Delete').click()
    await user.should_see('cannot be undone')
    user.find(marker='confirm-delete').click()
    await user.should_see('No rooms yet', retries=50)
    assert await rooms.list_rooms(user_id) == []


async def test_other_users_room_is_a_404_page(user: User) -> None:
    """Opening someone else's room (or its editor) answers 404, like a missing id."""
    await logged_in(user)
    stranger = await accounts.register(
        'stranger', 'stranger@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(stranger.id, RoomDraft('Secret', 'en', 'x', 'y', 'z', 'B1'))
    for path in (f'/rooms/{room.id}', f'/rooms/{room.id}/edit', '/rooms/999999'):
        response = await user.http_client.get(path)
        assert response.status_code == 404
        assert 'Secret' not in response.text


async def test_chat_streams_a_reply_and_counts_down(user: User, fake_llm: FakeLLMServer) -> None:
    """Send shows the learner's message, the streamed reply and the new allowance."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2')
    )
    await user.open(f'/rooms/{room.id}')
    await user.should_see('5 of 5 replies left today')
    await user.should_see('fake-model')
    user.find('Message').type('One latte, please.')
    button(user, 'Send').click()
    await user.should_see('One latte, please.', retries=50)
    await user.should_see('4 of 5 replies left today', retries=50)
    await eventually(lambda: fake_llm.reply in shown_html(user.client))


async def test_the_first_piece_is_drawn_at_once(
    user: User, fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reply's first words appear as soon as the model sends them; only later pieces are coalesced."""
    fake_llm.reply, fake_llm.chunk_delay = 'Welcome! What would you like?', 1.0
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2')
    )
    await user.open(f'/rooms/{room.id}')
    monkeypatch.setattr('ui.pacing.REDRAW_SECONDS', 3.0)  # a wait before it would show
    user.find('Message').type('Hello')
    button(user, 'Send').click()
    # While it streams the reply is plain text (its Markdown is drawn once it is complete).
    shown = lambda: [e.text for e in user.client.elements.values() if isinstance(e, StreamText)]  # noqa: E731
    await eventually(lambda: any('Welcome' in text for text in shown()), timeout=1.5)


async def test_chat_at_zero_says_daily_limit_reached(user: User, fake_llm: FakeLLMServer) -> None:
    """With nothing left, the page says so and Send is disabled; the model is not called."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2')
    )
    for i in range(5):
        turn = await chat.send_message(user_id, room.id, f'hello {i}')
        await generation.wait(turn.reply.id)
    await user.open(f'/rooms/{room.id}')
    await user.should_see('0 of 5 replies left today')
    await user.should_see('Daily limit reached')
    assert not button(user, 'Send').elements.pop().enabled
    assert fake_llm.request_count == 5


async def test_failed_reply_offers_retry(user: User, fake_llm: FakeLLMServer) -> None:
    """An LLM error shows a readable message and a Retry button that then answers."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2')
    )
    fake_llm.fail_next(503, times=10)
    await user.open(f'/rooms/{room.id}')
    user.find('Message').type('Hello?')
    button(user, 'Send').click()
    await user.should_see('The AI service answered with an error', retries=100)
    await user.should_see('5 of 5 replies left today', retries=50)
    fake_llm.reset()
    button(user, 'Retry').click()
    await user.should_see('4 of 5 replies left today', retries=100)


async def test_model_html_is_not_rendered_as_html(user: User, fake_llm: FakeLLMServer) -> None:
    """A reply containing a script tag is shown as text, never as markup."""
    fake_llm.reply = 'Hi <script>alert(1)</script><img src=x onerror=alert(2)> **bold**'
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2')
    )
    turn = await chat.send_message(user_id, room.id, 'hello')
    await generation.wait(turn.reply.id)
    await user.open(f'/rooms/{room.id}')
    html = shown_html(user.client)
    assert '<script>' not in html
    assert '<img' not in html
    assert '&lt;script&gt;' in html
    assert '<strong>bold</strong>' in html


async def test_recipe_reply_is_a_card(user: User, fake_llm: FakeLLMServer) -> None:
    """The recipe recommender's JSON reply is shown as a card with ingredients and steps."""
    fake_llm.json_reply = (
        '{"dish": "Kimchi fried rice", "intro": "Quick and spicy.", '
        '"ingredients": [{"name": "cooked rice", "amount": "200 g"}], "steps": ["Fry the kimchi.", "Add rice."]}'
    )
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Dinner', 'en', 'Ideas.', 'Cook', 'Learner', 'B1', scenario='recipe')
    )
    await user.open(f'/rooms/{room.id}')
    user.find('Message').type('Something spicy with rice')
    button(user, 'Send').click()
    await user.should_see('Kimchi fried rice', retries=100)
    await user.should_see('Ingredients (1 person)')
    await user.should_see('cooked rice — 200 g')
    await user.should_see('Add rice.')


async def test_export_downloads_the_conversation(user: User, fake_llm: FakeLLMServer) -> None:
    """Export → Markdown downloads the room's history as a .md file."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2')
    )
    turn = await chat.send_message(user_id, room.id, 'One latte, please.')
    await generation.wait(turn.reply.id)
    await user.open(f'/rooms/{room.id}')
    user.find('Export').click()  # the menu is made when it is first opened
    await user.should_see('Markdown (.md)')
    user.find(marker='export-markdown').click()
    response = await user.download.next(timeout=5)
    assert 'One latte, please.' in response.text
    assert fake_llm.reply in response.text
