"""Several app processes on one database: replies written elsewhere are seen, stopped and recovered.

"Another process" is simulated by a lease with another owner id, renewed (or not) by the test itself.
"""

import asyncio
import time
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from db.engine import sessionmaker
from db.models import Message, ReplyLease, utcnow
from services import accounts, chat, chat_edits, generation, leases, quota, rooms
from services.errors import NothingToRegenerate, NothingToRetry
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')
ELSEWHERE = 'other-host:4242:cafe'  # the owner id of "another process"


async def learner_and_room(name: str = 'mina') -> tuple[int, int]:
    user = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    room = await rooms.create_room(
        user.id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2')
    )
    return user.id, room.id


async def reply_written_elsewhere(user_id: int, room_id: int, text: str = '') -> int:
    """A learner's message and its charged reply, being written by another process (fresh lease)."""
    async with sessionmaker().begin() as session:
        charged = await quota.consume_in(session, user_id)
        session.add(Message(room_id=room_id, user_id=user_id, role='user', content='Tell me a story'))
        reply = Message(
            room_id=room_id, user_id=user_id, role='assistant', status='pending', content='',
            charged_day=charged.day,
        )  # fmt: skip
        session.add(reply)
        await session.flush()
        session.add(ReplyLease(reply_id=reply.id, attempt=0, owner=ELSEWHERE, text=text))
    return reply.id


async def renew_elsewhere(reply_id: int, text: str, seconds_ago: int = 0) -> None:
    """The other process's heartbeat, `seconds_ago` on the database clock."""
    async with sessionmaker().begin() as session:
        beat = leases.stale_cutoff(session, seconds_ago)
        await session.execute(
            update(ReplyLease).where(ReplyLease.reply_id == reply_id).values(text=text, heartbeat_at=beat)
        )


async def obey_stop_elsewhere(user_id: int, reply_id: int, text: str) -> None:
    """The other process's owner: renews its lease until it finds the cancel flag, then saves as stopped."""
    while True:
        async with sessionmaker().begin() as session:
            cancel = await session.scalar(select(ReplyLease.cancel).where(ReplyLease.reply_id == reply_id))
        if cancel:
            await generation.finish(reply_id, user_id, text, 'stopped', None, attempt=0)
            return
        await renew_elsewhere(reply_id, text)
        await asyncio.sleep(0.2)


async def test_a_reply_written_elsewhere_is_seen_growing(fake_llm: FakeLLMServer) -> None:
    """List, get and follow show another process's text so far, then its final reply."""
    user_id, room_id = await learner_and_room()
    reply_id = await reply_written_elsewhere(user_id, room_id, 'Once')
    listed = await chat.list_messages(user_id, room_id)
    assert [(m.status, m.content) for m in listed] == [('complete', 'Tell me a story'), ('pending', 'Once')]
    seen: list[tuple[str, str]] = []

    async def follower() -> None:
        async for snapshot in chat.follow(user_id, reply_id, poll_seconds=0.05):
            seen.append((snapshot.status, snapshot.content))

    following = asyncio.create_task(follower())
    await eventually(lambda: seen == [('pending', 'Once')])
    await renew_elsewhere(reply_id, 'Once upon')
    await eventually(lambda: ('pending', 'Once upon') in seen)
    assert (await chat.get_message(user_id, reply_id)).content == 'Once upon'
    assert await generation.finish(reply_id, user_id, 'Once upon a time.', 'complete', None, attempt=0)
    await asyncio.wait_for(following, 2)
    assert seen[-1] == ('complete', 'Once upon a time.')


async def test_a_live_reply_is_never_declared_interrupted(fake_llm: FakeLLMServer) -> None:
    """However old the reply, a renewed lease keeps it pending for every process."""
    user_id, room_id = await learner_and_room()
    reply_id = await reply_written_elsewhere(user_id, room_id, 'Still writing')
    async with sessionmaker().begin() as session:  # started an hour ago (a slow model), renewed just now
        hour_ago = utcnow() - timedelta(hours=1)
        await session.execute(update(Message).where(Message.id == reply_id).values(created_at=hour_ago))
    assert await chat.recover_interrupted() == 0
    assert (await chat.get_message(user_id, reply_id)).status == 'pending'
    assert (await chat.list_messages(user_id, room_id))[-1].status == 'pending'
    assert (await quota.status(user_id)).used == 1


async def test_a_crashed_writer_is_noticed_from_any_process(fake_llm: FakeLLMServer) -> None:
    """No heartbeat for 20 s: the reply ends failed and refunded, with its text; the learner's message stays."""
    user_id, room_id = await learner_and_room()
    reply_id = await reply_written_elsewhere(user_id, room_id)
    await renew_elsewhere(reply_id, 'Half a sent', seconds_ago=5)
    assert await chat.recover_interrupted() == 0  # 5 s of silence is no crash
    await renew_elsewhere(reply_id, 'Half a sent', seconds_ago=20)
    messages = await chat.list_messages(user_id, room_id)
    assert [(m.status, m.content) for m in messages] == [
        ('complete', 'Tell me a story'),
        ('failed', 'Half a sent'),
    ]
    assert messages[-1].error == chat.INTERRUPTED
    assert (await quota.status(user_id)).used == 0
    assert await chat.recover_interrupted() == 0  # refunded once


async def test_a_late_writer_cannot_overwrite_a_recovered_or_retried_reply(fake_llm: FakeLLMServer) -> None:
    """The presumed-dead owner coming back finds its reply failed (and later retried): its writes are refused."""
    user_id, room_id = await learner_and_room()
    reply_id = await reply_written_elsewhere(user_id, room_id)
    await renew_elsewhere(reply_id, 'Half', seconds_ago=30)
    assert await chat.recover_interrupted() == 1
    assert not await generation.finish(reply_id, user_id, 'Late text', 'complete', None, attempt=0)
    assert (await chat.get_message(user_id, reply_id)).status == 'failed'
    retried = await chat.retry_reply(user_id, reply_id)
    await generation.wait(reply_id)
    assert not await generation.finish(reply_id, user_id, 'Late text', 'failed', 'late', attempt=0)
    reply = await chat.get_message(user_id, reply_id)
    assert (reply.status, reply.content, retried.quota.used) == ('complete', fake_llm.reply, 1)
    assert (await quota.status(user_id)).used == 1


async def test_a_frozen_owner_stops_when_its_reply_was_recovered(
    fake_llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An owner that missed its heartbeats (frozen) finds its reply failed by another process and keeps it so."""
    monkeypatch.setattr(leases, 'HEARTBEAT_SECONDS', 3600.0)  # frozen: never renews
    fake_llm.chunk_delay = 0.05
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Hello')
    await renew_elsewhere(turn.reply.id, '', seconds_ago=30)  # what its silence looks like to others
    assert await chat.recover_interrupted() == 1
    await generation.wait(turn.reply.id)  # the owner ends its stream and tries to save
    reply = await chat.get_message(user_id, turn.reply.id)
    assert (reply.status, reply.error) == ('failed', chat.INTERRUPTED)
    assert (await quota.status(user_id)).used == 0


async def test_stop_from_another_process_reaches_the_owner(fake_llm: FakeLLMServer) -> None:
    """The cancel flag set elsewhere stops this process's reply within about a second, text kept."""
    fake_llm.chunk_delay = 0.1
    fake_llm.reply = 'word ' * 200
    user_id, room_id = await learner_and_room()
    turn = await chat.send_message(user_id, room_id, 'Talk a lot')
    await eventually(lambda: (running := generation.running(turn.reply.id)) is not None and running.text)
    started = time.monotonic()
    await leases.request_cancel([turn.reply.id])  # what Stop on another process does
    await asyncio.wait_for(generation.wait(turn.reply.id), 3)
    assert time.monotonic() - started < 2
    reply = await chat.get_message(user_id, turn.reply.id)
    assert reply.status == 'stopped' and reply.content and reply.content != fake_llm.reply
    async with sessionmaker()() as session:  # the lease went with the reply
        assert await session.get(ReplyLease, turn.reply.id) is None


async def test_stop_reply_stops_a_reply_written_elsewhere(fake_llm: FakeLLMServer) -> None:
    """stop_reply here waits for the other process to save its reply as stopped and returns it."""
    user_id, room_id = await learner_and_room()
    reply_id = await reply_written_elsewhere(user_id, room_id, 'Once upon')
    owner = asyncio.create_task(obey_stop_elsewhere(user_id, reply_id, 'Once upon a'))
    stopped = await chat.stop_reply(user_id, reply_id)
    await owner
    assert (stopped.status, stopped.content) == ('stopped', 'Once upon a')


async def test_delete_and_clear_stop_replies_written_elsewhere(fake_llm: FakeLLMServer) -> None:
    """Deleting an exchange or clearing a room first stops the other process's reply, then deletes it."""
    user_id, room_id = await learner_and_room()
    reply_id = await reply_written_elsewhere(user_id, room_id, 'Once')
    owner = asyncio.create_task(obey_stop_elsewhere(user_id, reply_id, 'Once upon'))
    assert len(await chat_edits.delete_exchange(user_id, reply_id)) == 2
    await owner
    assert await chat.list_messages(user_id, room_id) == []
    reply_id = await reply_written_elsewhere(user_id, room_id, 'Again')
    owner = asyncio.create_task(obey_stop_elsewhere(user_id, reply_id, 'Again and'))
    assert await chat_edits.clear_history(user_id, room_id) == 2
    await owner
    async with sessionmaker()() as session:
        assert (await session.execute(select(ReplyLease))).all() == []


@pytest.mark.parametrize('again', [chat.retry_reply, chat.regenerate_reply])
async def test_two_retry_clicks_at_once_start_once_and_charge_once(fake_llm: FakeLLMServer, again) -> None:
    """Two tabs (or two processes) press Retry/Regenerate together: one reply is written, one unit charged."""
    user_id, room_id = await learner_and_room()
    fake_llm.fail_next(500, times=10)
    turn = await chat.send_message(user_id, room_id, 'Hello?')
    await generation.wait(turn.reply.id)
    fake_llm.reset()
    fake_llm.first_token_delay = 0.3
    results = await asyncio.gather(*(again(user_id, turn.reply.id) for _ in range(4)), return_exceptions=True)
    started = [result for result in results if isinstance(result, chat.Turn)]
    refused = [result for result in results if isinstance(result, NothingToRetry | NothingToRegenerate)]
    assert (len(started), len(refused)) == (1, 3), results
    await generation.wait(turn.reply.id)
    assert (await chat.get_message(user_id, turn.reply.id)).content == fake_llm.reply
    assert (await quota.status(user_id)).used == 1
    assert fake_llm.request_count == 1


async def test_a_reply_without_a_lease_gets_a_grace_period(fake_llm: FakeLLMServer) -> None:
    """A pending reply with no lease is left alone while it is new and failed once it is not."""
    user_id, room_id = await learner_and_room()
    reply_id = await reply_written_elsewhere(user_id, room_id)
    async with sessionmaker().begin() as session:
        await session.execute(delete(ReplyLease))
    assert await chat.recover_interrupted() == 0
    async with sessionmaker().begin() as session:
        minute_ago = utcnow() - timedelta(minutes=1)
        await session.execute(update(Message).where(Message.id == reply_id).values(created_at=minute_ago))
    assert await chat.recover_interrupted() == 1
    assert (await quota.status(user_id)).used == 0


async def test_one_heartbeat_renews_many_leases_with_only_their_changed_texts(
    fake_llm: FakeLLMServer,
) -> None:
    """Three of this process's leases and one of another attempt: the new texts are written, an unchanged
    one is kept, and only the renewed leases answer with their cancel flags."""
    user_id, room_id = await learner_and_room()
    reply_ids = [await reply_written_elsewhere(user_id, room_id, f'Text {n}') for n in range(4)]
    async with sessionmaker().begin() as session:
        await session.execute(update(ReplyLease).values(owner=leases.OWNER))
        await session.execute(
            update(ReplyLease).where(ReplyLease.reply_id == reply_ids[1]).values(cancel=True)
        )
    renewals = [
        leases.Renewal(reply_ids[0], 0, 'Once upon'),
        leases.Renewal(reply_ids[1], 0, None),
        leases.Renewal(reply_ids[2], 0, 'There was'),
        leases.Renewal(reply_ids[3], 1, 'A newer attempt'),  # not this lease's attempt: not renewed
    ]
    async with sessionmaker().begin() as session:
        cancels = await leases.renew_all_in(await session.connection(), renewals)
        texts = {
            row.reply_id: row.text
            for row in await session.execute(select(ReplyLease.reply_id, ReplyLease.text))
        }
    assert cancels == {reply_ids[0]: False, reply_ids[1]: True, reply_ids[2]: False}
    assert [texts[reply_id] for reply_id in reply_ids] == ['Once upon', 'Text 1', 'There was', 'Text 3']
