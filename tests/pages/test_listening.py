"""Listening practice on the chat page: Play reply, the authenticated audio route, listening mode."""

import pytest
from nicegui import ui
from nicegui.testing import User

from services import accounts, chat, generation, rooms
from services.rooms import RoomDraft
from services.settings import load_settings
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually, player_source
from tests.pages.message_buttons import press_action
from tests.pages.test_room_pages import logged_in


@pytest.fixture(autouse=True)
def offline_voices_and_fake_llm(fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch) -> FakeLLMServer:
    monkeypatch.setenv('LLM_BASE_URL', fake_llm.base_url)
    monkeypatch.setenv('LLM_MODEL', 'fake-model')
    monkeypatch.setenv('TTS_ENGINE', 'piper')  # tests never call Google
    load_settings()
    return fake_llm


async def room_with_reply(user: User) -> tuple[int, int, int]:
    user_id = await logged_in(user)
    room = await rooms.create_room(user_id, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Customer', 'A2'))
    turn = await chat.send_message(user_id, room.id, 'Hello')
    await generation.wait(turn.reply.id)
    return user_id, room.id, turn.reply.id


async def test_play_reply_sets_the_player_to_the_audio_route(user: User) -> None:
    """Play reply makes the audio and points the page's player at the owner-only route."""
    _, room_id, reply_id = await room_with_reply(user)
    await user.open(f'/rooms/{room_id}')
    press_action(user, 'play-reply')
    await eventually(lambda: player_source(user).startswith(f'/audio/messages/{reply_id}?'))
    response = await user.http_client.get(player_source(user))
    assert response.status_code == 200
    assert response.headers['content-type'] == 'audio/wav'
    assert response.content[:4] == b'RIFF'
    assert response.headers['cache-control'] == 'private, no-store'  # not readable after Log out


async def test_audio_route_is_owner_only(user: User) -> None:
    """Another account, or no session at all, gets 404 for a reply's audio."""
    _, _, reply_id = await room_with_reply(user)
    assert (await user.http_client.get(f'/audio/messages/{reply_id}')).status_code == 200
    assert (await user.http_client.get('/audio/messages/999999')).status_code == 404
    user.find(kind=ui.button, content='Log out').click()
    await user.should_see('Log in', retries=50)
    assert (await user.http_client.get(f'/audio/messages/{reply_id}')).status_code == 404
    await accounts.register(
        'other', 'other@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    user.find('Username').type('other')
    user.find('Password').type('amber-kettle-58')
    user.find(kind=ui.button, content='Log in').click()
    await user.should_see('Your rooms', retries=50)
    assert (await user.http_client.get(f'/audio/messages/{reply_id}')).status_code == 404


async def test_listening_mode_hides_new_replies_until_revealed(user: User, fake_llm: FakeLLMServer) -> None:
    """With listening mode on, a new reply plays by itself and its text waits behind Show text."""
    user_id, room_id, _ = await room_with_reply(user)
    await user.open(f'/rooms/{room_id}')
    user.find('Listening mode').click()
    await eventually(lambda: True)
    fake_llm.reply = 'The secret word is pineapple.'
    user.find('Message').type('What is the secret word?')
    user.find(kind=ui.button, content='Send').click()
    await user.should_see('Show text', retries=100)
    await user.should_not_see('The secret word is pineapple.')
    await eventually(lambda: player_source(user).startswith('/audio/messages/'))  # it played
    press_action(user, 'Show text')
    await user.should_see('The secret word is pineapple.')
    room = await rooms.get_room(user_id, room_id)
    assert room.listening_mode
    assert not room.slow_speech


async def test_switches_are_remembered_per_room(user: User) -> None:
    """Slow speech and listening mode come back on the next visit."""
    user_id, room_id, _ = await room_with_reply(user)
    await user.open(f'/rooms/{room_id}')
    user.find('Slow speech').click()
    await eventually(lambda: True)
    await user.open(f'/rooms/{room_id}')
    assert user.find('Slow speech').elements.pop().value is True
    assert user.find('Listening mode').elements.pop().value is False
    assert (await rooms.get_room(user_id, room_id)).slow_speech
