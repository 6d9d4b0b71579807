"""Chat controls: regenerate the latest reply, delete an exchange, clear a room."""

import pytest
from sqlalchemy import func, select

from db.engine import sessionmaker
from db.models import Recording
from services import accounts, chat, chat_edits, generation, quota, rooms
from services.errors import MessageNotFound, NothingToRegenerate, QuotaExceeded, RoomNotFound
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')


async def learner_and_room(name: str = 'mina') -> tuple[int, int]:
    user = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2')
    )
    return user.id, room.id


async def exchange(user_id: int, room_id: int, text: str) -> chat.Turn:
    """Send `text` and wait until its reply is saved."""
    turn = await chat.send_message(user_id, room_id, text)
    assert turn is not None
    await generation.wait(turn.reply.id)
    return turn


async def test_regenerate_rewrites_the_latest_reply_and_costs_one(fake_llm: FakeLLMServer) -> None:
    """The latest complete reply is written again in place, from the same conversation, for one unit."""
    user_id, room_id = await learner_and_room()
    turn = await exchange(user_id, room_id, 'One latte, please.')
    fake_llm.reply = 'Sure, a fresh answer.'
    again = await chat.regenerate_reply(user_id, turn.reply.id)
    assert (again.reply.id, again.reply.status, again.quota.used) == (turn.reply.id, 'pending', 2)
    await generation.wait(turn.reply.id)
    messages = await chat.list_messages(user_id, room_id)
    assert [(m.role, m.content, m.status) for m in messages] == [
        ('user', 'One latte, please.', 'complete'),
        ('assistant', 'Sure, a fresh answer.', 'complete'),
    ]
    # The old reply is not part of the prompt: the model sees the learner's message last.
    assert fake_llm.requests[-1]['messages'][-1] == {'role': 'user', 'content': 'One latte, please.'}


async def test_only_the_latest_finished_reply_can_be_regenerated(fake_llm: FakeLLMServer) -> None:
    """An earlier reply, a learner's message and a reply still being written are refused, uncharged."""
    user_id, room_id = await learner_and_room()
    first = await exchange(user_id, room_id, 'Hello')
    second = await exchange(user_id, room_id, 'A latte')
    for message_id in (first.reply.id, second.user_message.id):
        with pytest.raises(NothingToRegenerate):
            await chat.regenerate_reply(user_id, message_id)
    fake_llm.first_token_delay = 2.0
    third = await chat.send_message(user_id, room_id, 'And a cookie')
    with pytest.raises(NothingToRegenerate):
        await chat.regenerate_reply(user_id, third.reply.id)
    await eventually(lambda: fake_llm.request_count == 3)
    await generation.stop(third.reply.id)
    assert (await quota.status(user_id)).used == 3  # the model was asked: stopping keeps the charge


async def test_regenerate_respects_the_quota_and_ownership(fake_llm: FakeLLMServer) -> None:
    """With no replies left it raises QuotaExceeded and keeps the reply; others get MessageNotFound."""
    user_id, room_id = await learner_and_room()
    turn = None
    for number in range(5):
        turn = await exchange(user_id, room_id, f'message {number}')
    with pytest.raises(QuotaExceeded):
        await chat.regenerate_reply(user_id, turn.reply.id)
    assert (await chat.get_message(user_id, turn.reply.id)).content == fake_llm.reply
    other_id, _ = await learner_and_room('other')
    with pytest.raises(MessageNotFound):
        await chat.regenerate_reply(other_id, turn.reply.id)


async def test_delete_exchange_from_either_half(fake_llm: FakeLLMServer) -> None:
    """Deleting a message removes its reply with it, and deleting a reply removes its message."""
    user_id, room_id = await learner_and_room()
    first = await exchange(user_id, room_id, 'Hello')
    second = await exchange(user_id, room_id, 'A latte')
    third = await exchange(user_id, room_id, 'Thanks')
    assert await chat_edits.delete_exchange(user_id, second.user_message.id) == (
        second.user_message.id,
        second.reply.id,
    )
    assert await chat_edits.delete_exchange(user_id, third.reply.id) == (
        third.user_message.id,
        third.reply.id,
    )
    remaining = await chat.list_messages(user_id, room_id)
    assert [m.id for m in remaining] == [first.user_message.id, first.reply.id]
    assert (await quota.status(user_id)).used == 3  # replies already written stay counted


async def test_delete_stops_a_reply_being_written(fake_llm: FakeLLMServer) -> None:
    """A pending reply is stopped before it goes (its unit stays spent: the model was asked); nothing is
    written afterwards."""
    fake_llm.first_token_delay = 2.0
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Hello')
    await eventually(lambda: fake_llm.request_count == 1)
    await chat_edits.delete_exchange(user_id, turn.reply.id)
    assert generation.running(turn.reply.id) is None
    assert await chat.list_messages(user_id, room_id) == []
    assert (await quota.status(user_id)).used == 1


async def test_delete_exchange_is_owner_only(fake_llm: FakeLLMServer) -> None:
    """Another account's message id is MessageNotFound and nothing is deleted."""
    user_id, room_id = await learner_and_room()
    turn = await exchange(user_id, room_id, 'Hello')
    other_id, _ = await learner_and_room('other')
    with pytest.raises(MessageNotFound):
        await chat_edits.delete_exchange(other_id, turn.user_message.id)
    assert len(await chat.list_messages(user_id, room_id)) == 2


async def test_clear_history_empties_only_that_room(fake_llm: FakeLLMServer) -> None:
    """Clearing deletes the room's messages and recordings, keeps the room and other rooms' messages."""
    user_id, room_id = await learner_and_room()
    other_room = await rooms.create_room(
        user_id, RoomDraft('Airport', 'en', 'Check-in.', 'Agent', 'Me', 'B1')
    )
    await exchange(user_id, room_id, 'Hello')
    await exchange(user_id, other_room.id, 'My passport')
    async with sessionmaker().begin() as session:
        session.add(
            Recording(
                user_id=user_id, room_id=room_id, mime_type='audio/webm', data=b'x', duration_seconds=1.0,
                transcript='hello', words='[]',
            )
        )  # fmt: skip
    assert await chat_edits.clear_history(user_id, room_id) == 2
    assert await chat.list_messages(user_id, room_id) == []
    assert len(await chat.list_messages(user_id, other_room.id)) == 2
    assert (await rooms.get_room(user_id, room_id)).title == 'Café'
    async with sessionmaker().begin() as session:
        assert await session.scalar(select(func.count()).select_from(Recording)) == 0


async def test_clear_history_is_owner_only(fake_llm: FakeLLMServer) -> None:
    """Another account gets RoomNotFound and the messages stay."""
    user_id, room_id = await learner_and_room()
    await exchange(user_id, room_id, 'Hello')
    other_id, _ = await learner_and_room('other')
    with pytest.raises(RoomNotFound):
        await chat_edits.clear_history(other_id, room_id)
    assert len(await chat.list_messages(user_id, room_id)) == 2
