"""Big accounts through the simulated user: the room list and a long chat open a page at a time."""

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlalchemy import insert, select

from db.engine import sessionmaker
from db.models import Message, Room
from services import chat, generation, rooms
from services.rooms import RoomDraft
from services.settings import load_settings
from tests.helpers import eventually
from tests.pages.test_chat_controls import record_javascript
from tests.pages.test_room_filters import shown_titles
from tests.pages.test_room_pages import button, logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')


async def long_room(user_id: int, count: int) -> tuple[int, list[int]]:
    """A room with `count` learner lines 'line 0' …; returns its id and the message ids, oldest first."""
    room = await rooms.create_room(user_id, RoomDraft('Long talk', 'en', 'Coffee.', 'Barista', 'Me', 'A2'))
    async with sessionmaker().begin() as session:
        await session.execute(
            insert(Message),
            [
                {'room_id': room.id, 'user_id': user_id, 'role': 'user', 'content': f'line {n}'}
                for n in range(count)
            ],
        )
        ids = list((await session.scalars(select(Message.id).order_by(Message.id))).all())
    return room.id, ids


def shown_ids(user: User) -> list[int]:
    """Message ids of the chat log's bubbles, top to bottom."""
    [log] = [element for element in user.client.elements.values() if 'chat-log' in element.classes]
    return [
        int(child.props['id'].removeprefix('message-'))
        for child in log.default_slot.children
        if str(child.props.get('id', '')).startswith('message-')
    ]


def around_the_log(user: User) -> list[str]:
    """The chat log's neighbours, top to bottom: `earlier` and `later` for (what holds) those buttons, `log`
    for the log itself, `other` for anything else."""
    [log] = [element for element in user.client.elements.values() if 'chat-log' in element.classes]
    assert log.parent_slot is not None

    def name(element: ui.element) -> str:
        for testid, shown_as in (('load-earlier', 'earlier'), ('load-later', 'later')):
            if any(
                inner.props.get('data-testid') == testid for inner in element.descendants(include_self=True)
            ):
                return shown_as
        return 'log' if element is log else 'other'

    return [name(element) for element in log.parent_slot.children]


def pager_buttons(user: User) -> list[str]:
    """The test ids of the pager's buttons the page keeps, shown or hidden."""
    return [
        testid
        for element in user.client.elements.values()
        if (testid := element.props.get('data-testid')) in {'load-earlier', 'load-later'}
    ]


async def test_a_room_shorter_than_a_page_keeps_no_pager_buttons(user: User) -> None:
    """A new room and a room of 3 messages: no `Load earlier messages` or `Load later messages`, not even
    hidden ones (each element of an open page is kept on the server)."""
    user_id = await logged_in(user)
    new_room = await rooms.create_room(user_id, RoomDraft('New', 'en', 'Coffee.', 'Barista', 'Me', 'A2'))
    await user.open(f'/rooms/{new_room.id}')
    await user.should_see('Say hello to start the conversation')
    assert pager_buttons(user) == []
    room_id, _ = await long_room(user_id, 3)
    await user.open(f'/rooms/{room_id}')
    await user.should_see('line 2')
    assert pager_buttons(user) == []


async def test_room_list_shows_a_page_and_loads_more(user: User) -> None:
    """70 rooms: 30 at first, `Load more` adds the next 30, then the last 10; search still narrows."""
    user_id = await logged_in(user)
    async with sessionmaker().begin() as session:
        await session.execute(
            insert(Room),
            [{'user_id': user_id, 'title': f'Room {n:02d}', 'language': 'en', 'situation': 's', 'ai_role': 'a',
              'my_role': 'm', 'level': 'B1'} for n in range(70)],
        )  # fmt: skip
    await user.open('/rooms')
    assert len(shown_titles(user)) == 30
    button(user, 'Load more').click()
    await eventually(lambda: len(shown_titles(user)) == 60)
    button(user, 'Load more').click()
    await eventually(lambda: len(shown_titles(user)) == 70)
    await user.should_not_see('Load more')
    assert len(set(shown_titles(user))) == 70
    user.find(marker='room-sort').elements.pop().set_value('title')
    await eventually(lambda: shown_titles(user) == [f'Room {n:02d}' for n in range(30)])
    button(user, 'Load more').click()
    await eventually(lambda: shown_titles(user) == [f'Room {n:02d}' for n in range(60)])
    user.find('Search rooms').type('Room 1')
    await eventually(lambda: shown_titles(user) == [f'Room {n}' for n in range(10, 20)])
    await user.should_not_see('Load more')


async def test_a_long_chat_opens_at_the_latest_page_and_loads_earlier(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """120 messages: the latest 50 first; `Load earlier messages`, right above the log, puts the previous
    pages on top; with the first message shown it goes away, and focus goes to that message."""
    user_id = await logged_in(user)
    room_id, ids = await long_room(user_id, 120)
    focused = record_javascript(monkeypatch, r'const opener = null, primary = "([^"]*)"')
    await user.open(f'/rooms/{room_id}')
    await user.should_see('line 119')
    assert shown_ids(user) == ids[70:]
    assert pager_buttons(user) == ['load-earlier']
    assert 'earlier,log' in ','.join(around_the_log(user))  # right above the log
    button(user, 'Load earlier messages').click()
    await eventually(lambda: shown_ids(user) == ids[20:])
    assert 'earlier,log' in ','.join(around_the_log(user))
    assert focused == []  # the same button is still there, with the focus it had
    button(user, 'Load earlier messages').click()
    await eventually(lambda: shown_ids(user) == ids)
    await user.should_not_see('Load earlier messages')
    await user.should_not_see('Load later messages')
    assert pager_buttons(user) == []  # gone, not hidden
    assert focused == [f'#message-{ids[0]}']  # not left on <body>


async def test_a_search_hit_opens_a_window_and_sending_jumps_to_the_latest(user: User) -> None:
    """Opened at an early hit: 25 messages either side, `Load later messages`; Send shows the latest first."""
    user_id = await logged_in(user)
    room_id, ids = await long_room(user_id, 300)
    await user.open(f'/rooms/{room_id}?message={ids[100]}')
    await user.should_see('line 100')
    assert shown_ids(user) == ids[75:126]
    assert 'log,other,later' in ','.join(around_the_log(user))  # under the log and its announcer
    assert 'earlier,log' in ','.join(around_the_log(user))
    button(user, 'Load later messages').click()
    await eventually(lambda: shown_ids(user) == ids[75:176])
    user.find('Message').type('Back to the present')
    button(user, 'Send').click()
    await user.should_see('4 of 5 replies left today', retries=50)
    sent, reply = await chat.list_messages(user_id, room_id, limit=2)
    assert sent.content == 'Back to the present'
    await generation.wait(reply.id)
    await eventually(lambda: shown_ids(user) == [*ids[-50:], sent.id, reply.id])
    await user.should_not_see('Load later messages')
    assert pager_buttons(user) == ['load-earlier']


async def test_ids_too_large_for_the_database_are_404_pages(user: User) -> None:
    """A huge room id answers 404 (not a server error); a huge `?message=` opens the latest page."""
    user_id = await logged_in(user)
    room_id, _ = await long_room(user_id, 3)
    for path in ('/rooms/99999999999999999999', '/rooms/99999999999999999999/edit', '/rooms/2147483648'):
        response = await user.http_client.get(path)
        assert response.status_code == 404, path
    await user.open(f'/rooms/{room_id}?message=99999999999999999999')
    await user.should_see('line 2')


async def test_the_editor_says_when_the_room_limit_is_reached(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At MAX_ROOMS_PER_USER, Save explains why no room was made."""
    monkeypatch.setenv('MAX_ROOMS_PER_USER', '2')
    load_settings()
    user_id = await logged_in(user)
    for title in ('One', 'Two'):
        await rooms.create_room(user_id, RoomDraft(title, 'en', 'Coffee.', 'Barista', 'Me', 'A2'))
    await user.open('/rooms/new')
    user.find(marker='scenario-cafe-order').click()
    button(user, 'Save').click()
    await user.should_see('You have 2 rooms, the most an account can have. Delete a room to make a new one.')
    assert len(await rooms.list_rooms(user_id)) == 2
