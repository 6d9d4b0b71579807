"""/vocabulary and /progress through the simulated user: the notebook, a review, the progress charts."""

from datetime import UTC, datetime

from nicegui import ui
from nicegui.testing import User

from services import chat_edits, vocabulary_review
from tests.helpers import eventually, header_markup
from tests.pages.test_room_pages import logged_in
from tests.vocabulary_seed import learner_line, room_with_reply, saved


async def test_the_notebook_lists_words_with_sentence_link_and_deleted_marker(user: User) -> None:
    """Each word shows its meaning, level and sentence; a deleted message leaves `(message deleted)`."""
    user_id = await logged_in(user)
    kept = await saved(user_id, 'ticket', '표', 'Here is your ticket. Enjoy.')
    gone = await saved(user_id, 'passport', '여권', 'Please have your passport ready.')
    assert gone.source_message_id is not None
    await chat_edits.delete_exchange(user_id, gone.source_message_id)
    await user.open('/vocabulary')
    await user.should_see('Vocabulary')
    await user.should_see('Here is your ticket.')
    await user.should_see('표')
    await user.should_see('A1')
    link = user.find(kind=ui.link, content='Open').elements.pop()
    assert link.props['href'].startswith('/rooms/')
    assert link.props['href'].endswith(f'?message={kept.source_message_id}')
    await user.should_see('Please have your passport ready.')
    await user.should_see('(message deleted)')
    await user.should_see('Review (2 due)')


async def test_review_show_answer_then_good_lowers_the_due_count(user: User) -> None:
    """Review → a blanked sentence with its meaning → Show answer → Good → the next card, one fewer due."""
    user_id = await logged_in(user)
    await saved(user_id, 'ticket', '표', 'Here is your ticket.')
    await saved(user_id, 'gate', '탑승구', 'Go to gate five.')
    await user.open('/vocabulary')
    user.find(kind=ui.button, content='Review (2 due)').click()
    await user.should_see('Here is your _____.')
    await user.should_see('표')
    user.find('Your answer').type(' Ticket ')
    user.find(kind=ui.button, content='Show answer').click()
    await user.should_see('Correct! Good is selected.')
    good = user.find(kind=ui.button, content='Good').elements.pop()
    assert good.props.get('aria-pressed') == 'true'
    for label in ('Again', 'Hard', 'Easy'):
        await user.should_see(label)
    user.find(kind=ui.button, content='Good').click()
    await user.should_see('Go to _____ five.')
    await user.should_see('Review (1 due)')
    assert await vocabulary_review.due_count(user_id) == 1


async def test_a_wrong_answer_suggests_nothing_and_the_last_card_ends_the_review(user: User) -> None:
    """No `Correct!` for a wrong answer; after the last card the page says nothing is due."""
    user_id = await logged_in(user)
    await saved(user_id, 'ticket', '표', 'Here is your ticket.')
    await user.open('/vocabulary')
    user.find(kind=ui.button, content='Review (1 due)').click()
    await user.should_see('Here is your _____.')
    user.find('Your answer').type('tickets')
    user.find(kind=ui.button, content='Show answer').click()
    await user.should_see('ticket')
    await user.should_not_see('Correct!')
    user.find(kind=ui.button, content='Again').click()
    await user.should_see('Nothing is due right now. Well done!')
    await user.should_see('Review (0 due)')


async def test_progress_page_shows_days_figures_and_charts(user: User) -> None:
    """`Progress` with today's practice, the words figures and the weekly charts (ECharts)."""
    user_id = await logged_in(user)
    await saved(user_id, 'ticket', '표', 'Here is your ticket.')
    room_id, _ = await room_with_reply(user_id, 'Hi!')
    await learner_line(user_id, room_id, 'I want coffee.', datetime.now(UTC), [('want', 'want a', 'article')])
    await user.open('/progress')
    await user.should_see('Progress')
    await user.should_see('Practised 1 of the last 7 days')
    await user.should_see('Words saved')
    await eventually(lambda: len(user.find(kind=ui.echart).elements) == 3)
    charts = {element.props['data-testid'] for element in user.find(kind=ui.echart).elements}
    assert charts == {'chart-weekly-activity', 'chart-error-free', 'chart-error-categories'}
    weekly = next(
        e for e in user.find(kind=ui.echart).elements if e.props['data-testid'] == 'chart-weekly-activity'
    )
    assert weekly.options['series'][0]['data'][-1] == 1
    links = header_markup(user).links
    assert (links['Vocabulary'], links['Progress']) == ('/vocabulary', '/progress')


async def test_the_editor_switch_turns_on_due_words(user: User) -> None:
    """`Use my due words` in the editor is saved with the room."""
    from services import rooms
    from services.rooms import RoomDraft

    user_id = await logged_in(user)
    room = await rooms.create_room(user_id, RoomDraft('Airport', 'en', 'Check-in.', 'Agent', 'Me', 'B1'))
    await user.open(f'/rooms/{room.id}/edit')
    user.find(kind=ui.switch, content='Use my due words').click()
    user.find(kind=ui.button, content='Save').click()
    await user.should_see('Say hello to start the conversation', retries=50)
    assert (await rooms.get_room(user_id, room.id)).use_due_words is True
