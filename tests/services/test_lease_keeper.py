"""The lease keeper: one heartbeat per process for all its running replies, on a connection of its own."""

import asyncio
import logging
import os
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from datetime import datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import TimeoutError as PoolTimeout

from db import engine
from db.models import ReplyLease
from services import accounts, chat, feedback, generation, lease_keeper, leases, quota, rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')


async def running_reply(name: str) -> tuple[int, int]:
    """A learner whose reply is being written (long and slow), its feedback done: (user id, reply id)."""
    user = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2')
    )
    turn = await chat.send_message(user.id, room.id, 'Tell me a long story')
    assert turn is not None and turn.user_message is not None
    await feedback.wait_feedback(user.id, turn.user_message.id)
    await eventually(lambda: (running := generation.running(turn.reply.id)) is not None and running.text)
    return user.id, turn.reply.id


async def heartbeats(*reply_ids: int) -> dict[int, tuple[datetime, str]]:
    """The leases' heartbeats and texts, read as another process would (its own connection)."""
    other_process = engine.build_engine(os.environ['DATABASE_URL'], pool_size=1, max_overflow=0)
    try:
        async with other_process.begin() as connection:
            rows = await connection.execute(
                select(ReplyLease.reply_id, ReplyLease.heartbeat_at, ReplyLease.text).where(
                    ReplyLease.reply_id.in_(reply_ids)
                )
            )
            return {reply_id: (beat, text) for reply_id, beat, text in rows}
    finally:
        await other_process.dispose()


@contextmanager
def lease_updates() -> Iterator[list[Engine]]:
    """The engine of every UPDATE of reply_leases any engine runs while the block runs."""
    seen: list[Engine] = []

    def statement(connection, _cursor, sql: str, *_rest) -> None:
        if sql.lstrip().upper().startswith('UPDATE REPLY_LEASES'):
            seen.append(connection.engine)

    event.listen(Engine, 'before_cursor_execute', statement)
    try:
        yield seen
    finally:
        event.remove(Engine, 'before_cursor_execute', statement)


@pytest.fixture
def slow_long_reply(fake_llm: FakeLLMServer) -> FakeLLMServer:
    """The model writes for about 20 s (tests stop the reply when done)."""
    fake_llm.reply, fake_llm.chunk_delay = 'word ' * 200, 0.1
    return fake_llm


@pytest.mark.usefixtures('slow_long_reply')
async def test_heartbeats_go_on_while_every_pooled_connection_is_taken() -> None:
    """Another process sees a running reply's heartbeat and text advance while the shared pool is exhausted."""
    user_id, reply_id = await running_reply('mina')
    await engine.connect(os.environ['DATABASE_URL'], pool_size=2, max_overflow=0)  # a small pool to fill
    shared = engine.sessionmaker().kw['bind']
    async with AsyncExitStack() as held:
        for _ in range(shared.sync_engine.pool.size()):  # 2 (1 on SQLite)
            await held.enter_async_context(shared.connect())  # checked out, no transaction (no lock)
        before = (await heartbeats(reply_id))[reply_id]
        await asyncio.sleep(2.6)  # two beats, and a new second on SQLite's clock
        after = (await heartbeats(reply_id))[reply_id]
        assert after[0] > before[0] and len(after[1]) > len(before[1])
    await generation.stop(reply_id)
    assert (await chat.get_message(user_id, reply_id)).status == 'stopped'


@pytest.mark.usefixtures('slow_long_reply')
async def test_running_replies_renew_in_one_statement_per_beat_outside_the_shared_pool() -> None:
    """Three running replies: about one UPDATE of the leases a second in all, none on the shared pool."""
    replies = [await running_reply(name) for name in ('mina', 'jun', 'sora')]
    reply_ids = [reply_id for _user_id, reply_id in replies]
    before = await heartbeats(*reply_ids)
    with lease_updates() as updates:
        await asyncio.sleep(3.5)
    after = await heartbeats(*reply_ids)
    shared = engine.sessionmaker().kw['bind'].sync_engine
    assert 2 <= len(updates) <= 4, updates  # one per beat; a statement per reply would be 9 to 12
    assert all(updated is not shared for updated in updates)
    assert all(len(after[reply_id][1]) > len(before[reply_id][1]) for reply_id in reply_ids)
    await generation.stop(*reply_ids)


@pytest.mark.usefixtures('slow_long_reply')
async def test_a_failed_beat_is_logged_and_the_next_one_renews(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The database failing one heartbeat leaves a warning; the reply keeps running and is renewed again."""
    real_renew = leases.renew_all_in
    failures = [ConnectionError('the database went away for a moment')]

    async def renew_once_failing(connection, renewals):
        if failures:
            raise failures.pop()
        return await real_renew(connection, renewals)

    monkeypatch.setattr(leases, 'renew_all_in', renew_once_failing)
    user_id, reply_id = await running_reply('mina')
    before = (await heartbeats(reply_id))[reply_id]
    with caplog.at_level(logging.WARNING, logger=lease_keeper.__name__):
        await asyncio.sleep(2.6)
    after = (await heartbeats(reply_id))[reply_id]
    assert not failures and 'could not renew the leases of 1 running replies' in caplog.text
    assert after[0] > before[0] and generation.running(reply_id) is not None
    await generation.stop(reply_id)
    assert (await chat.get_message(user_id, reply_id)).status == 'stopped'


async def test_the_keeper_stops_at_shut_down_and_starts_again_with_the_next_reply(
    fake_llm: FakeLLMServer,
) -> None:
    """After the app's shut-down step no heartbeat runs; a reply started later is renewed again."""
    fake_llm.reply, fake_llm.chunk_delay = 'word ' * 200, 0.1
    user_id, reply_id = await running_reply('mina')
    await generation.shutdown()
    await lease_keeper.stop()
    with lease_updates() as updates:
        await asyncio.sleep(1.5)
    assert updates == [] and (await chat.get_message(user_id, reply_id)).status == 'stopped'
    _user_id, second = await running_reply('jun')
    before = (await heartbeats(second))[second]
    await asyncio.sleep(2.6)
    assert (await heartbeats(second))[second][0] > before[0]
    await generation.stop(second)


async def test_a_final_write_that_found_no_connection_is_tried_again(
    fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool timing out on the reply's final write: it is saved on the next try, complete and charged once."""
    real_finish = generation.finish
    timeouts = [PoolTimeout('QueuePool limit of size 1 overflow 0 reached, connection timed out')]

    async def finish_after_a_timeout(*args, **kwargs) -> bool:
        if timeouts:
            raise timeouts.pop()
        return await real_finish(*args, **kwargs)

    monkeypatch.setattr(generation, 'finish', finish_after_a_timeout)
    fake_llm.reply, fake_llm.chunk_delay = 'word ' * 10, 0.05
    user_id, reply_id = await running_reply('mina')
    await generation.wait(reply_id)
    reply = await chat.get_message(user_id, reply_id)
    assert not timeouts and (reply.status, reply.content) == ('complete', fake_llm.reply)
    assert (await quota.status(user_id)).used == 1
