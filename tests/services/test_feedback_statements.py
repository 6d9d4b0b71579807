"""The database work of one line's feedback, written beside every reply (bench/RESULTS.md: pool waits)."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from db import engine
from services import help_quota, missions
from tests.fakes.openai_server import FakeLLMServer
from tests.services.test_feedback import learner_and_room, send_and_wait
from tests.services.test_missions import done_with, room_with_missions, say

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')


@contextmanager
def feedback_transactions() -> Iterator[list[int]]:
    """One entry per transaction a background feedback task began while the block runs (its commit runs
    in a task of SQLAlchemy's own, so the begin is counted)."""
    sync_engine = engine.sessionmaker().kw['bind'].sync_engine
    began: list[int] = []

    def begin(_connection) -> None:
        task = asyncio.current_task()
        if task is not None and task.get_name().startswith('feedback '):
            began.append(1)

    event.listen(sync_engine, 'begin', begin)
    try:
        yield began
    finally:
        event.remove(sync_engine, 'begin', begin)


async def test_feedback_ticking_a_mission_is_two_transactions(fake_llm: FakeLLMServer) -> None:
    """The unit and the pending card in one transaction, the card and the mission it ticked in another."""
    user_id, room_id, (drink, _price) = await room_with_missions()
    reply = dict(fake_llm.task_replies['turn_feedback'])
    fake_llm.task_replies['turn_feedback'] = reply | {'missions_done': [done_with(drink.id, 'a large latte')]}
    with feedback_transactions() as began:
        await say(user_id, room_id, 'Can I have a large latte, please?')
    assert len(began) == 2
    assert [m.done for m in await missions.room_missions(user_id, room_id)] == [True, False]
    assert (await help_quota.status(user_id)).used == 1


async def test_feedback_the_helper_cannot_write_is_refunded_with_its_card_in_one_transaction(
    fake_llm: FakeLLMServer,
) -> None:
    """Prose at every rung: the unit charged with the pending card, the rung remembered, then the unit
    given back in the transaction that says why on the card."""
    fake_llm.helpers_unparsable = True
    user_id, room_id = await learner_and_room()
    with feedback_transactions() as began:
        info = await send_and_wait(user_id, room_id)
    assert (info.status, info.note) == ('unavailable', 'Feedback is not available with this model.')
    assert len(began) == 3
    assert (await help_quota.status(user_id)).used == 0
