"""Voice input routes and display: upload and transcribe, owner-only replay, hard words underlined."""

import json

import pytest
from nicegui import ui
from nicegui.testing import User

from db.engine import sessionmaker
from db.models import Recording
from services import accounts, chat, generation, rooms
from services.rooms import RoomDraft
from services.settings import load_settings
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import shown_html

SAME_SITE = {'Origin': 'http://test'}  # what a browser sends with the page's upload (the client's base URL)


@pytest.fixture(autouse=True)
def fake_llm_configured(fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('LLM_BASE_URL', fake_llm.base_url)
    load_settings()


async def signed_in(user: User, name: str = 'mina') -> tuple[int, int]:
    account = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await user.open('/login')
    user.find('Username').type(name)
    user.find('Password').type('amber-kettle-58')
    user.find(kind=ui.button, content='Log in').click()
    await user.should_see('Your rooms', retries=50)
    room = await rooms.create_room(
        account.id, RoomDraft('Station', 'en', 'Tickets.', 'Clerk', 'Traveller', 'A2')
    )
    return account.id, room.id


async def test_upload_errors_are_readable_json(user: User) -> None:
    """Garbage is refused with a sentence; someone else's room is 404; an oversized upload is 413."""
    _, room_id = await signed_in(user)
    garbage = await user.http_client.post(
        f'/audio/recordings?room_id={room_id}', content=b'not audio' * 50, headers=SAME_SITE
    )
    assert garbage.status_code == 422
    assert 'could not be read as audio' in garbage.json()['error'].lower() or garbage.json()['error']
    missing = await user.http_client.post('/audio/recordings?room_id=999999', content=b'x', headers=SAME_SITE)
    assert missing.status_code == 404
    too_big = await user.http_client.post(
        f'/audio/recordings?room_id={room_id}',
        content=b'x',
        headers={'content-length': str(50 * 1024 * 1024), **SAME_SITE},
    )
    assert too_big.status_code == 413


async def test_spoken_message_shows_hard_words_and_replay(user: User) -> None:
    """The sent message underlines hard words with the hint and offers the learner's own recording."""
    user_id, room_id = await signed_in(user)
    words = [{'text': 'tickets', 'probability': 0.2}, {'text': 'please', 'probability': 0.9}]
    async with sessionmaker().begin() as session:
        recording = Recording(
            user_id=user_id, room_id=room_id, mime_type='audio/wav', data=b'RIFF-fake', duration_seconds=1.0,
            transcript='tickets please', words=json.dumps(words),
        )  # fmt: skip
        session.add(recording)
    turn = await chat.send_message(user_id, room_id, 'Two tickets, please <b>now</b>', recording.id)
    await generation.wait(turn.reply.id)
    await user.open(f'/rooms/{room_id}')
    html = shown_html(user.client)
    assert 'class="hard-word" title="this word was hard to recognise"' in html
    assert '&lt;b&gt;now&lt;/b&gt;' in html  # the learner's own markup stays text
    assert 'hard-word" title="this word was hard to recognise">please' not in html
    await user.should_see('My recording')
    own = await user.http_client.get(f'/audio/recordings/{recording.id}')
    assert (own.status_code, own.content) == (200, b'RIFF-fake')


async def test_recordings_are_owner_only(user: User) -> None:
    """Another account gets 404 for someone's recording."""
    owner = await accounts.register(
        'owner', 'owner@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(owner.id, RoomDraft('Mine', 'en', 's', 'a', 'b', 'A1'))
    async with sessionmaker().begin() as session:
        recording = Recording(
            user_id=owner.id, room_id=room.id, mime_type='audio/wav', data=b'secret', duration_seconds=1.0,
            transcript='secret', words='[]',
        )  # fmt: skip
        session.add(recording)
    await signed_in(user, 'intruder')
    assert (await user.http_client.get(f'/audio/recordings/{recording.id}')).status_code == 404


async def test_the_recording_clock_ticks_only_while_recording(user: User) -> None:
    """No timer on the chat page until recording starts (an idle one still wakes the server); the clock shows
    while recording, and the timer is gone once the recording is being transcribed."""
    _user_id, room_id = await signed_in(user)
    await user.open(f'/rooms/{room_id}')
    await user.should_see('Send')
    assert timers(user) == []  # the session check is the process's (pages/session_watch.py)
    recording_state(user, 'recording')
    await user.should_see('● 0:00 / 1:00')
    assert len(timers(user)) == 1
    recording_state(user, 'transcribing')
    await user.should_see('Transcribing…')
    assert timers(user) == []


def recording_state(user: User, state: str) -> None:
    """What assets/recorder.js reports to the page (its `speakroom_recording` event)."""
    layout = user.client.layout
    listener = next(item for item in layout._event_listeners.values() if item.type == 'speakroom_recording')
    layout._handle_event({'listener_id': listener.id, 'args': {'state': state}})


def timers(user: User) -> list[ui.timer]:
    return [element for element in user.client.elements.values() if isinstance(element, ui.timer)]
