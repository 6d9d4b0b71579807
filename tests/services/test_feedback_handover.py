"""A line checked in this process: the pages waiting for it get what was stored without reading it back."""

import pytest

from services import chat, feedback, generation, missions
from services.errors import MessageNotFound
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import recorded_statements
from tests.services.test_feedback import LINE, answer, edit, learner_and_room
from tests.services.test_missions import done_with, room_with_missions

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')


async def checked(user_id: int, room_id: int, text: str) -> bool:
    """Sends `text` and awaits its checks from the send on, as the chat page does: whether a mission was ticked."""
    turn = await chat.send_message(user_id, room_id, text)
    assert turn is not None and turn.user_message is not None
    ticked = await feedback.wait_checked(user_id, turn.user_message.id, timeout_seconds=10)
    await generation.wait(turn.reply.id)
    return ticked


@pytest.mark.parametrize('outcome', ['corrections', 'correct', 'off', 'unavailable'])
async def test_the_awaited_card_is_the_stored_one_and_nothing_is_read(
    fake_llm: FakeLLMServer, outcome: str
) -> None:
    """The card a page awaits equals what a later read shows, and awaiting it reads nothing back."""
    if outcome == 'corrections':
        fake_llm.task_replies['turn_feedback'] = answer(
            'Yesterday I went to the school and bought an apple.',
            edit('go', 'went'),
            edit('buy a', 'bought an'),
        )
    elif outcome == 'correct':
        fake_llm.task_replies['turn_feedback'] = answer(LINE)
    elif outcome == 'unavailable':
        fake_llm.fail_helpers_next(503, times=10)
    user_id, room_id = await learner_and_room('off' if outcome == 'off' else 'gentle')
    turn = await chat.send_message(user_id, room_id, LINE)
    assert turn is not None and turn.user_message is not None
    line_id = turn.user_message.id
    with recorded_statements() as statements:  # awaited from the send on, as the chat page does
        awaited = await feedback.wait_feedback(user_id, line_id, timeout_seconds=10)
    await generation.wait(turn.reply.id)
    # (the reply and the feedback are written meanwhile; reading the card back reads its corrections)
    assert [
        sql for sql in statements if 'FROM corrections' in sql or 'message_feedback.message_id IN' in sql
    ] == []
    assert awaited == await feedback.get_feedback(user_id, line_id)
    assert awaited.status == {'corrections': 'ready', 'correct': 'ready'}.get(outcome, outcome)
    if outcome == 'corrections':
        assert [correction.replacement for correction in awaited.corrections] == ['went', 'bought an']
        assert all(correction.id for correction in awaited.corrections)  # the buttons name them


async def test_someone_elses_line_being_checked_is_not_found(fake_llm: FakeLLMServer) -> None:
    """Awaiting another learner's line that is being checked here is refused, as reading it is."""
    fake_llm.task_replies['turn_feedback'] = answer(LINE)
    user_id, room_id = await learner_and_room()
    other_id, _ = await learner_and_room(name='joon')
    turn = await chat.send_message(user_id, room_id, LINE)
    assert turn is not None and turn.user_message is not None
    with pytest.raises(MessageNotFound):
        await feedback.wait_feedback(other_id, turn.user_message.id, timeout_seconds=10)
    with pytest.raises(MessageNotFound):
        await feedback.wait_checked(other_id, turn.user_message.id, timeout_seconds=10)
    await generation.wait(turn.reply.id)
    await feedback.wait_feedback(user_id, turn.user_message.id, timeout_seconds=10)


async def test_waiting_for_missions_says_whether_one_was_ticked(fake_llm: FakeLLMServer) -> None:
    """A line that ticked no mission says so (the missions panel reads and redraws nothing); one that did says so."""
    user_id, room_id, found = await room_with_missions()
    drink = found[0]
    fake_llm.task_replies['turn_feedback'] = answer(LINE) | {'missions_done': []}
    assert await checked(user_id, room_id, LINE) is False
    fake_llm.task_replies['turn_feedback'] = answer('A large latte, please.') | {
        'missions_done': [done_with(drink.id, 'a large latte')]
    }
    assert await checked(user_id, room_id, 'A large latte, please.') is True
    assert [mission.done for mission in await missions.room_missions(user_id, room_id)] == [True, False]
