"""Missions in the editor and on the chat page, through the simulated user and the fake LLM server."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlalchemy import event

from db import engine
from services import missions, rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import ShownMarkup, eventually
from tests.pages.test_chat_feedback import send
from tests.pages.test_room_pages import button, logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')


async def test_the_café_preset_fills_missions_and_saves_them(user: User) -> None:
    """Choosing the café scenario fills `Missions`; Save stores them one per line."""
    user_id = await logged_in(user)
    await user.open('/rooms/new')
    user.find(marker='scenario-cafe-order').click()
    assert user.find('Missions').elements.pop().value.splitlines()[0] == 'Order a drink with a size'
    button(user, 'Save').click()
    await user.should_see('Say hello to start the conversation', retries=50)
    [room] = await rooms.list_rooms(user_id)
    assert room.missions == ('Order a drink with a size', 'Ask for the price', 'Order something to eat')


async def test_one_mission_is_refused_in_the_editor(user: User) -> None:
    """A single line under `Missions` is marked with the rule."""
    await logged_in(user)
    await user.open('/rooms/new')
    user.find(marker='scenario-cafe-order').click()
    user.find('Missions').clear().type('Only one mission')
    button(user, 'Save').click()
    await eventually(
        lambda: (
            user.find('Missions').elements.pop().props.get('error-message')
            == 'Give 2 to 4 missions, one per line (or none).'
        )
    )


async def open_café_with_two_missions(
    user: User,
    fake_llm: FakeLLMServer,
    drink: str = 'Order a drink with a size',
    evidence: str = 'a large latte',
) -> None:
    """A logged-in learner on the chat page of a café room with two missions (`drink`, `Ask for the
    price`); the next line's feedback says it achieved the first one (`evidence`)."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id,
        RoomDraft(
            'Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2',
            missions=(drink, 'Ask for the price'),
        ),
    )  # fmt: skip
    first, _ = await missions.room_missions(user_id, room.id)
    reply = dict(fake_llm.task_replies['turn_feedback'])
    fake_llm.task_replies['turn_feedback'] = reply | {
        'missions_done': [{'id': str(first.id), 'evidence': evidence}]
    }
    await user.open(f'/rooms/{room.id}')
    await user.should_see('Missions: 0 of 2 done')


async def test_a_line_ticks_a_mission_live(user: User, fake_llm: FakeLLMServer) -> None:
    """After a line that achieves one of two missions: `Missions: 1 of 2 done` with the learner's words."""
    await open_café_with_two_missions(user, fake_llm)
    send(user, 'A large latte, please.')
    await user.should_see('Missions: 1 of 2 done', retries=200)
    await user.should_see('“a large latte”')
    await user.should_not_see('All missions done. Well done!')


async def test_all_missions_done_shows_the_banner(user: User, fake_llm: FakeLLMServer) -> None:
    """A room whose feedback is Off: one line achieving both missions (mission_check) shows the banner."""
    user_id = await logged_in(user)
    room = await rooms.create_room(
        user_id,
        RoomDraft(
            'Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2', feedback_mode='off',
            missions=('Order a drink with a size', 'Ask for the price'),
        ),
    )  # fmt: skip
    drink, price = await missions.room_missions(user_id, room.id)
    fake_llm.task_replies['mission_check'] = {
        'missions_done': [
            {'id': str(drink.id), 'evidence': 'a small tea'},
            {'id': str(price.id), 'evidence': 'how much is it'},
        ]
    }
    await user.open(f'/rooms/{room.id}')
    send(user, 'A small tea, please. How much is it?')
    await user.should_see('All missions done. Well done!', retries=200)
    await user.should_see('Missions: 2 of 2 done')


async def test_a_turn_reads_no_more_than_it_needs(user: User, fake_llm: FakeLLMServer) -> None:
    """A whole turn opens 6 transactions: the send, the reply's end, the check (two), then the card and the
    missions list read once each when it is stored (not while it is certainly still running)."""
    await open_café_with_two_missions(user, fake_llm)
    with counted_transactions() as began:
        send(user, 'A large latte, please.')
        await user.should_see('Missions: 1 of 2 done', retries=200)
        await user.should_see(marker='feedback-correct', retries=200)
        await user.should_see(fake_llm.reply, retries=200)
        await asyncio.sleep(0.3)  # anything the page still does after the turn is counted too
    assert len(began) <= 6, began


async def test_the_panel_is_one_element_that_shows_texts_as_written(
    user: User, fake_llm: FakeLLMServer
) -> None:
    """Two missions are one element, before and after one is ticked; a `<b>` in a mission or in the learner's
    words is shown as text, and each mission says `Done:` or `Not done:` to screen readers."""
    await open_café_with_two_missions(user, fake_llm, 'Order a <b>bold</b> drink', 'a <b>large</b> latte')
    assert panel_lines(user) == [
        'Missions: 0 of 2 done',
        'Not done: Order a <b>bold</b> drink',
        'Not done: Ask for the price',
    ]
    assert panel_size(user) == 1
    send(user, 'A <b>large</b> latte, please.')
    await user.should_see('Missions: 1 of 2 done', retries=200)
    assert panel_lines(user) == [
        'Missions: 1 of 2 done',
        'Done: Order a <b>bold</b> drink “a <b>large</b> latte”',
        'Not done: Ask for the price',
    ]
    assert panel_size(user) == 1


def panel_size(user: User) -> int:
    """How many elements the missions panel keeps on the server (itself and everything inside it)."""
    return len(list(missions_panel(user).descendants(include_self=True)))


def panel_lines(user: User) -> list[str]:
    """The missions panel's lines as a person (or a screen reader) gets them: its markup's text, a line per
    row, icon names left out; fails on any tag a learner's or the model's words could have made."""
    shown = ShownMarkup()
    shown.feed(missions_panel(user).content)
    assert set(shown.tags) <= {'div', 'span', 'i'}, f'unexpected tags in the missions panel: {shown.tags}'
    return shown.blocks


def missions_panel(user: User) -> ui.element:
    [panel] = [
        element for element in user.client.elements.values() if element.props.get('data-testid') == 'missions'
    ]
    return panel


@contextmanager
def counted_transactions() -> Iterator[list[str]]:
    """The names of the tasks that began a database transaction while the block ran."""
    sync_engine = engine.sessionmaker().kw['bind'].sync_engine
    began: list[str] = []

    def begin(_connection) -> None:
        task = asyncio.current_task()
        what = f'{task.get_name()} {task.get_coro().__qualname__}' if task else '?'
        if not what.endswith('Timer._invoke_callback'):  # the page's periodic checks are not the turn's
            began.append(what)

    event.listen(sync_engine, 'begin', begin)
    try:
        yield began
    finally:
        event.remove(sync_engine, 'begin', begin)
