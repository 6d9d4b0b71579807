"""Chat turns end to end through a real HTTP fake of an OpenAI-compatible server."""

import asyncio
import itertools
import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db import engine
from db.engine import sessionmaker
from db.models import Message, utcnow
from services import accounts, chat, generation, quota, rooms
from services.errors import InvalidInput, MessageNotFound, NothingToRetry, QuotaExceeded, RoomNotFound
from services.rooms import RoomDraft
from services.settings import load_settings
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')


async def learner_and_room(name: str = 'mina', scenario: str | None = None) -> tuple[int, int]:
    user = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2', scenario=scenario)
    )
    return user.id, room.id


async def finished(user_id: int, reply_id: int) -> chat.MessageInfo:
    await generation.wait(reply_id)
    return await chat.get_message(user_id, reply_id)


async def test_reply_is_streamed_saved_and_charged(fake_llm: FakeLLMServer) -> None:
    """A message gets the model's reply, saved complete, and costs one unit."""
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, '  One latte, please.  ')
    assert turn is not None
    assert turn.user_message is not None and turn.user_message.content == 'One latte, please.'
    assert (turn.reply.status, turn.quota.remaining) == ('pending', 4)
    reply = await finished(user_id, turn.reply.id)
    assert (reply.status, reply.content, reply.model) == ('complete', fake_llm.reply, 'fake-model')
    sent = fake_llm.requests[-1]
    assert sent['stream'] is True
    assert sent['messages'][0]['role'] == 'system' and 'Barista' in sent['messages'][0]['content']
    assert sent['messages'][-1] == {'role': 'user', 'content': 'One latte, please.'}
    assert [m.role for m in await chat.list_messages(user_id, room_id)] == ['user', 'assistant']


async def test_followers_see_the_text_grow(fake_llm: FakeLLMServer) -> None:
    """follow() yields growing snapshots and ends with the complete reply."""
    fake_llm.chunk_delay = 0.02
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Hello')
    snapshots = [snapshot async for snapshot in chat.follow(user_id, turn.reply.id)]
    assert len(snapshots) >= 3
    assert snapshots[-1].status == 'complete'
    assert snapshots[-1].content == fake_llm.reply
    assert all(len(a.content) <= len(b.content) for a, b in itertools.pairwise(snapshots))


async def test_a_follower_pauses_between_changes_and_takes_the_freshest_text(fake_llm: FakeLLMServer) -> None:
    """`pause` runs after each change while the reply grows, told how late the follower woke; the state taken
    after it holds every piece that came meanwhile."""
    fake_llm.reply, fake_llm.chunk_delay = 'one two three four five six', 0.02
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Hello')
    paused: list[float] = []

    async def pause(late: float) -> None:
        paused.append(late)
        await asyncio.sleep(0.05)  # a redraw interval longer than the pieces' cadence

    snapshots = [snapshot async for snapshot in chat.follow(user_id, turn.reply.id, pause=pause)]
    growing = [snapshot.content for snapshot in snapshots if snapshot.status == 'pending']
    assert snapshots[-1].status == 'complete' and snapshots[-1].content == fake_llm.reply
    # One pause before each growing state but the first (and before the final one when it ended meanwhile).
    assert len(growing) - 1 <= len(paused) <= len(growing)
    assert all(0 <= late < 0.5 for late in paused)
    assert len(growing) < len(fake_llm.reply.split())  # pieces that came during a pause were taken together


async def test_message_is_committed_before_the_model_answers(fake_llm: FakeLLMServer) -> None:
    """While the model is still silent, the learner's message is already in the database."""
    fake_llm.first_token_delay = 1.0
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Are you there?')
    async with sessionmaker()() as session:
        stored = (await session.execute(select(Message.role, Message.status).order_by(Message.id))).all()
    assert [tuple(row) for row in stored] == [('user', 'complete'), ('assistant', 'pending')]
    await generation.stop(turn.reply.id)


async def test_blank_and_overlong_messages(fake_llm: FakeLLMServer) -> None:
    """Blank text is ignored; text over the limit is refused with its length; neither is charged."""
    user_id, room_id = await learner_and_room()
    assert await chat.send_message(user_id, room_id, '   \n ') is None
    with pytest.raises(InvalidInput) as refused:
        await chat.send_message(user_id, room_id, 'x' * 2001)
    assert refused.value.field_errors['message'] == 'Your message is 2001 characters long; the limit is 2000.'
    assert await chat.list_messages(user_id, room_id) == []
    assert (await quota.status(user_id)).used == 0
    assert fake_llm.request_count == 0


async def test_sixth_message_is_refused_without_calling_the_model(fake_llm: FakeLLMServer) -> None:
    """After five replies the sixth raises QuotaExceeded, stores nothing and sends no request."""
    user_id, room_id = await learner_and_room()
    for i in range(5):
        turn = await chat.send_message(user_id, room_id, f'message {i}')
        await finished(user_id, turn.reply.id)
    with pytest.raises(QuotaExceeded):
        await chat.send_message(user_id, room_id, 'one more')
    assert fake_llm.request_count == 5
    assert len(await chat.list_messages(user_id, room_id)) == 10


async def test_server_error_keeps_the_message_refunds_and_retry_works(fake_llm: FakeLLMServer) -> None:
    """A 500 fails the reply with words, refunds the unit; Retry then answers and charges again."""
    user_id, room_id = await learner_and_room()
    fake_llm.fail_next(500, times=10)
    turn = await chat.send_message(user_id, room_id, 'Hello?')
    reply = await finished(user_id, turn.reply.id)
    assert reply.status == 'failed'
    assert reply.error and 'AI service' in reply.error
    assert (await quota.status(user_id)).used == 0
    assert (await chat.list_messages(user_id, room_id))[0].content == 'Hello?'
    fake_llm.reset()
    retried = await chat.retry_reply(user_id, reply.id)
    assert retried.quota.used == 1
    assert (await finished(user_id, reply.id)).content == fake_llm.reply
    with pytest.raises(NothingToRetry):
        await chat.retry_reply(user_id, reply.id)


async def test_rate_limit_and_unreachable_server(
    fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """429 beyond retries and a dead server both fail readably and refund."""
    user_id, room_id = await learner_and_room()
    fake_llm.fail_next(429, times=10)
    turn = await chat.send_message(user_id, room_id, 'Hi')
    assert 'busy' in ((await finished(user_id, turn.reply.id)).error or '')
    monkeypatch.setenv('LLM_BASE_URL', 'http://127.0.0.1:9/v1')
    load_settings()
    turn = await chat.send_message(user_id, room_id, 'Hi again')
    assert 'cannot be reached' in ((await finished(user_id, turn.reply.id)).error or '')
    assert (await quota.status(user_id)).used == 0


async def test_stop_keeps_partial_text_and_the_charge(fake_llm: FakeLLMServer) -> None:
    """Stopping mid-reply keeps what was written, charged; stopping before the first token is charged too."""
    fake_llm.chunk_delay = 0.05
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Tell me a story')
    await eventually(lambda: (running := generation.running(turn.reply.id)) is not None and running.text)
    stopped = await chat.stop_reply(user_id, turn.reply.id)
    assert stopped.status == 'stopped'
    assert stopped.content and stopped.content != fake_llm.reply
    assert (await quota.status(user_id)).used == 1
    fake_llm.first_token_delay = 5.0
    turn = await chat.send_message(user_id, room_id, 'And another')
    await eventually(lambda: fake_llm.request_count == 2)
    stopped = await chat.stop_reply(user_id, turn.reply.id)
    assert (stopped.status, stopped.content) == ('stopped', '')
    assert (await quota.status(user_id)).used == 2  # the model was asked: Stop cannot buy free calls


async def test_stop_before_the_model_is_asked_refunds(fake_llm: FakeLLMServer) -> None:
    """A reply stopped before its request went out is saved as stopped and gives its unit back."""
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Never mind')
    await generation.stop(turn.reply.id)  # before the background task ran at all
    stopped = await chat.get_message(user_id, turn.reply.id)
    assert (stopped.status, stopped.content) == ('stopped', '')
    assert (await quota.status(user_id)).used == 0
    assert fake_llm.request_count == 0


async def test_a_server_shutdown_before_the_first_token_refunds(fake_llm: FakeLLMServer) -> None:
    """A reply cut off by the server stopping, with nothing written yet, is the server's failure: refunded."""
    fake_llm.first_token_delay = 5.0
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Hello?')
    await eventually(lambda: fake_llm.request_count == 1)
    await generation.shutdown()
    reply = await chat.get_message(user_id, turn.reply.id)
    assert (reply.status, reply.error) == ('failed', chat.INTERRUPTED)
    assert (await quota.status(user_id)).used == 0


async def test_another_users_room_and_messages_are_not_found(fake_llm: FakeLLMServer) -> None:
    """Sending to, reading, retrying or stopping someone else's conversation is refused as missing."""
    owner, room_id = await learner_and_room('owner')
    intruder, _ = await learner_and_room('intruder')
    turn = await chat.send_message(owner, room_id, 'private')
    await finished(owner, turn.reply.id)
    with pytest.raises(RoomNotFound):
        await chat.send_message(intruder, room_id, 'hi')
    with pytest.raises(RoomNotFound):
        await chat.list_messages(intruder, room_id)
    for call in (chat.get_message, chat.retry_reply, chat.stop_reply):
        with pytest.raises(MessageNotFound):
            await call(intruder, turn.reply.id)
    assert (await quota.status(intruder)).used == 0


async def test_history_is_trimmed_to_the_context(
    fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long conversation sends only the newest turns that fit, system prompt first."""
    monkeypatch.setenv('LLM_CONTEXT_TOKENS', '600')
    monkeypatch.setenv('DAILY_QUOTA', '50')
    load_settings()
    fake_llm.reply = 'word ' * 40
    user_id, room_id = await learner_and_room()
    for i in range(12):
        turn = await chat.send_message(user_id, room_id, f'message number {i} ' + 'blah ' * 20)
        await finished(user_id, turn.reply.id)
    sent = fake_llm.requests[-1]['messages']
    assert sent[0]['role'] == 'system'
    assert sent[-1]['content'].startswith('message number 11')
    assert len(sent) < 24
    assert sent[1]['role'] == 'user'


async def test_recipe_rooms_ask_for_structured_output(fake_llm: FakeLLMServer) -> None:
    """The recipe preset sends a JSON schema and stores the JSON reply."""
    fake_llm.json_reply = '{"dish": "Tea", "intro": "Warm.", "ingredients": [], "steps": ["Boil."]}'
    user_id, room_id = await learner_and_room(scenario='recipe')
    turn = await chat.send_message(user_id, room_id, 'Something warm')
    reply = await finished(user_id, turn.reply.id)
    assert fake_llm.requests[-1]['response_format']['type'] == 'json_schema'
    assert reply.content == fake_llm.json_reply


async def test_history_survives_a_restart_and_orphans_are_refunded(fake_llm: FakeLLMServer) -> None:
    """After the engine is recreated the conversation is there; a reply left pending is failed and refunded."""
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Remember me')
    await finished(user_id, turn.reply.id)
    async with sessionmaker().begin() as session:  # a reply whose process died 10 minutes ago
        orphan = Message(
            room_id=room_id, user_id=user_id, role='assistant', status='pending', content='',
            charged_day=quota.quota_day(), created_at=utcnow() - timedelta(minutes=10),
        )  # fmt: skip
        session.add(orphan)
    async with sessionmaker().begin() as session:
        await quota.consume_in(session, user_id)
    await engine.dispose()
    await engine.connect(os.environ['DATABASE_URL'])
    assert await chat.recover_interrupted() == 1
    messages = await chat.list_messages(user_id, room_id)
    assert [m.content for m in messages[:2]] == ['Remember me', fake_llm.reply]
    assert (messages[-1].status, messages[-1].error) == ('failed', chat.INTERRUPTED)
    assert (await quota.status(user_id)).used == 1


async def test_deleting_a_room_deletes_its_messages(fake_llm: FakeLLMServer) -> None:
    """No message outlives its room."""
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Hello')
    await finished(user_id, turn.reply.id)
    await rooms.delete_room(user_id, room_id)
    async with sessionmaker()() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 0


async def test_concurrent_sends_from_many_tabs_respect_the_quota(fake_llm: FakeLLMServer) -> None:
    """Ten sends at once (ten tabs): exactly five replies, five refusals, five model calls."""
    user_id, room_id = await learner_and_room()
    results = await asyncio.gather(
        *(chat.send_message(user_id, room_id, f'tab {i}') for i in range(10)), return_exceptions=True
    )
    turns = [result for result in results if isinstance(result, chat.Turn)]
    assert len(turns) == 5
    assert sum(isinstance(result, QuotaExceeded) for result in results) == 5
    for turn in turns:
        await finished(user_id, turn.reply.id)
    assert fake_llm.request_count == 5


async def test_a_reply_cut_at_the_token_limit_ends_at_a_full_sentence(
    fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """finish_reason 'length' trims the reply to its last whole sentence; a natural end keeps all."""
    monkeypatch.setenv('LLM_CONTEXT_TOKENS', '2048')  # a small model: 160-token replies
    load_settings()
    fake_llm.honour_max_tokens = True
    fake_llm.reply = 'Sure. ' * 100 + 'And then we went to the market and bought ' + 'many ' * 100
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Tell me a long story')
    reply = await finished(user_id, turn.reply.id)
    assert fake_llm.requests[-1]['max_tokens'] == 160
    assert reply.status == 'complete'
    assert reply.content == ('Sure. ' * 100).strip()
    fake_llm.reply = 'A short answer. Without an ending'
    turn = await chat.send_message(user_id, room_id, 'And a short one?')
    assert (await finished(user_id, turn.reply.id)).content == 'A short answer. Without an ending'
