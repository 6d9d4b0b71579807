"""Missions: saved and validated with the room, ticked only by evidence in the learner's own line."""

import pytest

from services import chat, feedback, generation, missions, practice_sessions, rooms
from services.errors import InvalidInput
from services.prompt import system_prompt
from services.rooms import RoomDraft
from services.scenarios import SCENARIOS
from services.session_report import markdown
from tests.fakes.openai_server import FakeLLMServer
from tests.services.test_feedback import learner_and_room

pytestmark = pytest.mark.usefixtures('database', 'use_fake_llm')

GOALS = ('Order a drink with a size', 'Ask for the price')


def draft(goals: tuple[str, ...] | None, mode: str = 'gentle') -> RoomDraft:
    return RoomDraft(
        'Café', 'en', 'Ordering coffee.', 'Barista', 'Customer', 'A2', feedback_mode=mode, missions=goals
    )


async def room_with_missions(mode: str = 'gentle') -> tuple[int, int, tuple[missions.MissionInfo, ...]]:
    user_id, room_id = await learner_and_room(mode)
    await rooms.update_room(user_id, room_id, draft(GOALS, mode))
    return user_id, room_id, await missions.room_missions(user_id, room_id)


async def say(user_id: int, room_id: int, text: str) -> None:
    turn = await chat.send_message(user_id, room_id, text)
    assert turn is not None and turn.user_message is not None
    await generation.wait(turn.reply.id)
    await feedback.wait_feedback(user_id, turn.user_message.id, timeout_seconds=10)


def done_with(mission_id: int, evidence: str) -> dict:
    return {'id': str(mission_id), 'evidence': evidence}


async def test_missions_are_saved_in_order_and_kept_by_an_unchanged_edit() -> None:
    """Two to four lines are stored in order; saving the same missions again keeps them; () removes them."""
    user_id, room_id = await learner_and_room()
    saved = await rooms.update_room(
        user_id, room_id, draft(('  Order a drink with a size ', 'Ask for the price'))
    )
    assert saved.missions == GOALS
    assert (await rooms.get_room(user_id, room_id)).missions == GOALS
    assert (await rooms.list_rooms(user_id))[0].missions == GOALS
    before = await missions.room_missions(user_id, room_id)
    await rooms.update_room(user_id, room_id, draft(None))
    assert await missions.room_missions(user_id, room_id) == before
    await rooms.update_room(user_id, room_id, draft(()))
    assert await missions.room_missions(user_id, room_id) == ()


@pytest.mark.parametrize(
    'goals',
    [('Only one',), ('a', 'b', 'c', 'd', 'e'), ('Fine', 'x' * 121)],
)
async def test_missions_outside_the_rules_are_refused(goals: tuple[str, ...]) -> None:
    """One mission, five, or one longer than 120 characters: the `missions` field is refused."""
    user_id, room_id = await learner_and_room()
    with pytest.raises(InvalidInput) as refused:
        await rooms.update_room(user_id, room_id, draft(goals))
    assert 'missions' in refused.value.field_errors


async def test_feedback_ticks_a_mission_with_evidence_in_the_line(fake_llm: FakeLLMServer) -> None:
    """turn_feedback naming a mission with the learner's own words ticks it and quotes them."""
    user_id, room_id, (drink, price) = await room_with_missions()
    reply = dict(fake_llm.task_replies['turn_feedback'])
    fake_llm.task_replies['turn_feedback'] = reply | {
        'missions_done': [done_with(drink.id, 'a large latte'), done_with(price.id, 'how much is it')]
    }
    await say(user_id, room_id, 'Can I have a large latte, please?')
    found = await missions.room_missions(user_id, room_id)
    assert [(m.done, m.evidence) for m in found] == [(True, 'a large latte'), (False, None)]
    sent = fake_llm.helper_requests_for('turn_feedback')[0]['messages'][0]['content']
    assert 'Order a drink with a size' in sent and 'Ask for the price' in sent


async def test_evidence_not_in_the_line_ticks_nothing(fake_llm: FakeLLMServer) -> None:
    """The helper claims a mission with words the learner never wrote: it stays open."""
    user_id, room_id, (drink, _) = await room_with_missions()
    reply = dict(fake_llm.task_replies['turn_feedback'])
    fake_llm.task_replies['turn_feedback'] = reply | {'missions_done': [done_with(drink.id, 'a large latte')]}
    await say(user_id, room_id, 'Hello there.')
    assert [m.done for m in await missions.room_missions(user_id, room_id)] == [False, False]


@pytest.mark.parametrize('mode', ['off', 'end_only'])
async def test_mission_check_runs_when_feedback_is_off(fake_llm: FakeLLMServer, mode: str) -> None:
    """Off / End only: no turn_feedback, a mission_check instead, with the same evidence guard."""
    user_id, room_id, (drink, price) = await room_with_missions(mode)
    fake_llm.task_replies['mission_check'] = {
        'missions_done': [done_with(price.id, 'How much is it?'), done_with(drink.id, 'a small tea')]
    }
    await say(user_id, room_id, 'how much  is it?')
    assert [(m.done, m.evidence) for m in await missions.room_missions(user_id, room_id)] == [
        (False, None),
        (True, 'How much is it?'),
    ]
    assert not fake_llm.helper_requests_for('turn_feedback')
    request = fake_llm.helper_requests_for('mission_check')[0]
    assert request['messages'][0]['content'].startswith('TASK: mission_check\n')
    assert request['response_format']['json_schema']['name'] == 'mission_check'


async def test_missions_are_checked_when_the_feedback_could_not_be_written(fake_llm: FakeLLMServer) -> None:
    """Gentle feedback fails on the server: the line's missions are still checked on their own."""
    user_id, room_id, (_, price) = await room_with_missions('gentle')
    fake_llm.task_replies['mission_check'] = {'missions_done': [done_with(price.id, 'How much is it?')]}
    fake_llm.fail_helpers_next(503)
    await say(user_id, room_id, 'How much is it?')
    assert (
        await feedback.get_feedback(user_id, (await chat.list_messages(user_id, room_id))[0].id)
    ).status == ('unavailable')
    assert [m.done for m in await missions.room_missions(user_id, room_id)] == [False, True]
    assert len(fake_llm.helper_requests_for('mission_check')) == 1


async def test_no_mission_check_without_missions(fake_llm: FakeLLMServer) -> None:
    """A room without missions asks for no mission_check."""
    user_id, room_id = await learner_and_room('off')
    await say(user_id, room_id, 'Hello.')
    assert not fake_llm.helper_requests_for('mission_check')


async def test_the_partner_is_told_the_open_missions(fake_llm: FakeLLMServer) -> None:
    """The partner's system prompt names the missions still open and says not to do them for the learner."""
    user_id, room_id, (drink, _) = await room_with_missions('off')
    fake_llm.task_replies['mission_check'] = {'missions_done': [done_with(drink.id, 'a large latte')]}
    await say(user_id, room_id, 'A large latte, please.')
    await say(user_id, room_id, 'Thanks.')
    first, second = (request['messages'][0]['content'] for request in fake_llm.requests)
    assert '"Order a drink with a size"; "Ask for the price"' in first
    assert 'never do a mission for the learner' in first
    assert 'Order a drink with a size' not in second and '"Ask for the price"' in second
    room = await rooms.get_room(user_id, room_id)
    assert 'missions' not in system_prompt(room)


def test_every_conversation_scenario_has_valid_missions() -> None:
    """Each role-play preset carries two to four missions the editor accepts."""
    for scenario in SCENARIOS:
        if scenario.kind == 'roleplay':
            assert scenario.missions and missions.missions_error(scenario.missions) is None, scenario.key


async def test_the_session_report_counts_missions(fake_llm: FakeLLMServer) -> None:
    """The report says `Missions: 1 of 2 done` and names the mission this session achieved."""
    user_id, room_id, (drink, _) = await room_with_missions('off')
    fake_llm.task_replies['mission_check'] = {'missions_done': [done_with(drink.id, 'a large latte')]}
    await say(user_id, room_id, 'A large latte, please.')
    report = await practice_sessions.end_session(user_id, room_id)
    figures = report.figures
    assert (figures.missions_done, figures.missions_total) == (1, 2)
    assert figures.missions_this_session == ('Order a drink with a size',)
    assert '- Missions: 1 of 2 done' in markdown(report)
    assert await practice_sessions.get_report(user_id, report.id) == report
