"""`End session`, the session report, the report list on /history and the mistake log, as a learner sees them."""

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from services import notebook, practice_sessions, rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.pages.test_chat_feedback import café, exchange, mistake_answer
from tests.pages.test_room_pages import logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')


async def test_end_session_opens_the_report_and_reopening_shows_the_same(
    user: User, fake_llm: FakeLLMServer
) -> None:
    """`End session` → `Session report` with the figures, the mistake and the note; /history links to it."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer()
    fake_llm.task_replies['session_report'] = {'note': 'Past tense is coming along.', 'focus_next': []}
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await exchange(user_id, room_id)
    await user.open(f'/rooms/{room_id}')
    user.find(kind=ui.button, content='End session').click()
    await user.should_see('Session report', retries=200)
    await user.should_see('Past tense is coming along.')
    await user.should_see('Verb tense: 1')
    assert user.find(marker='figure-your-turns').elements.pop().text == '1'
    assert user.find(marker='figure-error-free').elements.pop().text == '0%'
    reports = await practice_sessions.list_reports(user_id)
    report_id = reports.items[0].id
    await user.open(f'/rooms/{room_id}/report/{report_id}')
    await user.should_see('Past tense is coming along.')
    await user.should_see('Verb tense: 1')
    assert len(fake_llm.helper_requests_for('session_report')) == 1  # reopened: stored, not asked again
    await user.open('/history')
    await user.should_see('Session reports')
    await user.should_see('1 turn · 0% error-free')


async def test_end_session_with_nothing_said_says_so(user: User) -> None:
    """No learner line since the last session: a note, and no report page."""
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await user.open(f'/rooms/{room_id}')
    user.find(kind=ui.button, content='End session').click()
    await user.should_see('Nothing to report yet: say something first.')
    assert (await practice_sessions.list_reports(user_id)).items == []


async def test_mistake_log_filters_and_mark_learned(user: User, fake_llm: FakeLLMServer) -> None:
    """Mistakes of every room show newest first; a language filter hides others; `Mark learned` removes one."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer()
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await exchange(user_id, room_id)
    spanish = await rooms.create_room(
        user_id, RoomDraft('Mercado', 'es', 'At the market.', 'Seller', 'Me', 'A2', feedback_mode='gentle')
    )
    await exchange(user_id, spanish.id, 'Ayer yo go al mercado.')
    await user.open('/mistakes')
    await user.should_see('Mistake log')
    await user.should_see('Café')
    await user.should_see('Mercado')
    user.find('Language').click()
    user.find('Spanish').click()
    await user.should_not_see('Café')
    await user.should_see('Mercado')
    user.find(kind=ui.button, content='Mark learned').click()
    await user.should_see('No mistakes to show.')
    await user.open('/mistakes')
    await user.should_see('Café')
    await user.should_not_see('Mercado')


async def test_a_new_word_of_the_partner_is_saved_from_the_report(
    user: User, fake_llm: FakeLLMServer
) -> None:
    """A word above the room's level in a reply has a save button in the report; it lands in the notebook."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer()
    fake_llm.reply = 'This croissant is exquisite.'
    user_id = await logged_in(user)
    room_id = await café(user_id)
    turn = await exchange(user_id, room_id)
    await user.open(f'/rooms/{room_id}')
    user.find(kind=ui.button, content='End session').click()
    await user.should_see('Session report', retries=200)
    saver = [
        b
        for b in user.find(kind=ui.button).elements
        if b.props.get('aria-label') == 'Save exquisite to your vocabulary'
    ]
    assert len(saver) == 1
    UserInteraction(user, set(saver), None).click()
    await user.should_see('"exquisite" is in your vocabulary')
    [entry] = (await notebook.entries(user_id)).items
    assert (entry.lemma, entry.source_message_id) == ('exquisite', turn.reply.id)
