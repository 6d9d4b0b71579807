"""The database work of one line's feedback, written beside every reply (bench/RESULTS.md: pool waits)."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from db import engine
from services import chat, feedback, generation, help_quota, missions
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import recorded_statements, statement_table
from tests.services.test_feedback import LINE, answer, edit, learner_and_room, send_and_wait
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


@pytest.mark.parametrize('outcome', ['corrections', 'correct'])
async def test_a_card_is_written_in_one_statement_and_finished_in_one(
    fake_llm: FakeLLMServer, outcome: str
) -> None:
    """The pending card is one upsert and its outcome one UPDATE (each was a read of the row and a write)."""
    edits = (edit('go', 'went'), edit('buy a', 'bought an')) if outcome == 'corrections' else ()
    fake_llm.task_replies['turn_feedback'] = answer(
        'Yesterday I went to the school and bought an apple.' if edits else LINE, *edits
    )
    user_id, room_id = await learner_and_room()
    with recorded_statements() as statements:
        turn = await chat.send_message(user_id, room_id, LINE)
        assert turn is not None and turn.user_message is not None
        card = await feedback.wait_feedback(user_id, turn.user_message.id, timeout_seconds=10)
        await generation.wait(turn.reply.id)

    cards = [
        statement.split()[0] for statement in statements if statement_table(statement) == 'message_feedback'
    ]
    assert cards == ['INSERT', 'UPDATE']
    assert card == await feedback.get_feedback(user_id, turn.user_message.id)
    assert card.status == 'ready' and card.tier == 'A'
    assert [correction.replacement for correction in card.corrections] == (
        ['went', 'bought an'] if edits else []
    )
    assert card.corrected == ('Yesterday I went to the school and bought an apple.' if edits else None)


async def test_a_line_checked_again_starts_from_a_fresh_pending_card(fake_llm: FakeLLMServer) -> None:
    """An `End only` line left 'off' during the chat is checked at the session's end: its card is reset and written."""
    fake_llm.task_replies['turn_feedback'] = answer(LINE)
    user_id, room_id = await learner_and_room('end_only')
    turn = await chat.send_message(user_id, room_id, LINE)
    assert turn is not None and turn.user_message is not None
    assert (await feedback.wait_feedback(user_id, turn.user_message.id, timeout_seconds=10)).status == 'off'
    await generation.wait(turn.reply.id)

    await feedback.check_at_session_end(user_id, [turn.user_message.id])

    card = await feedback.get_feedback(user_id, turn.user_message.id)
    assert (card.status, card.mode, card.note, card.tier) == ('ready', 'end_only', None, 'A')
