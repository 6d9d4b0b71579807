"""The feedback card under the learner's own line, through the simulated user and the fake LLM server."""

import asyncio

import pytest
from nicegui import ui
from nicegui.testing import User

from services import chat, feedback, generation, rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.pages.message_buttons import press_action
from tests.pages.test_room_pages import logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')

LINE = 'Yesterday I go to the school.'
CORRECTED = 'Yesterday I went to the school.'


def mistake_answer(natural_alternative: str = '') -> dict:
    return {
        'has_errors': True,
        'corrected': CORRECTED,
        'natural_alternative': natural_alternative,
        'corrections': [
            {
                'original': 'go',
                'replacement': 'went',
                'category': 'verb_tense',
                'severity': 'high',
                'explanation': '어제 일이라서 과거형을 써요.',
            }
        ],
    }


async def café(user_id: int, mode: str = 'gentle') -> int:
    room = await rooms.create_room(
        user_id, RoomDraft('Café', 'en', 'Ordering coffee.', 'Barista', 'Me', 'A2', feedback_mode=mode)
    )
    return room.id


async def exchange(user_id: int, room_id: int, text: str = LINE) -> chat.Turn:
    """One finished exchange whose feedback is written too."""
    turn = await chat.send_message(user_id, room_id, text)
    await generation.wait(turn.reply.id)
    await feedback.wait_feedback(user_id, turn.user_message.id, timeout_seconds=10)
    return turn


def send(user: User, text: str) -> None:
    user.find('Message').type(text)
    user.find(kind=ui.button, content='Send').click()


async def test_better_shows_the_diff_and_why_explains(user: User, fake_llm: FakeLLMServer) -> None:
    """After sending a line with a mistake: Better: with the word diff, its category, Why? and a longer why."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer('I went to school yesterday.')
    fake_llm.task_replies['explain'] = 'Yesterday는 과거라서 go 대신 went를 씁니다.'
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await user.open(f'/rooms/{room_id}')
    send(user, LINE)
    await user.should_see('Better:', retries=200)
    sentence = user.find(marker='feedback-better').elements.pop().content
    assert 'data-text="go"' in sentence and '<ins class="diff-added">went</ins>' in sentence
    assert sentence.replace('<ins class="diff-added">went</ins>', 'went').endswith('went to the school.')
    await user.should_see('Verb tense')
    await user.should_see('Style suggestion (not a mistake):')
    await user.should_see('I went to school yesterday.')
    user.find(kind=ui.button, content='Why?').click()
    await user.should_see('어제 일이라서 과거형을 써요.')
    user.find(kind=ui.button, content='Explain more').click()
    await user.should_see('Yesterday는 과거라서', retries=100)
    await user.open(f'/rooms/{room_id}')  # reopened: the card is back, the longer why is kept for free
    await user.should_see('Better:', retries=100)
    user.find(kind=ui.button, content='Why?').click()
    await user.should_see('Yesterday는 과거라서')
    assert len(fake_llm.helper_requests_for('explain')) == 1


async def test_a_correct_line_gets_a_quiet_sign(user: User) -> None:
    """No mistakes: no Better:, only the small check sign."""
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await user.open(f'/rooms/{room_id}')
    send(user, 'One latte, please.')
    await user.should_see(marker='feedback-correct', retries=200)
    await user.should_not_see('Better:')


async def test_feedback_off_shows_nothing(user: User, fake_llm: FakeLLMServer) -> None:
    """Off: no card, no checking, no helper request."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer()
    user_id = await logged_in(user)
    room_id = await café(user_id, 'off')
    await user.open(f'/rooms/{room_id}')
    send(user, LINE)
    await user.should_see(fake_llm.reply, retries=200)
    await user.should_not_see('Checking…')
    await user.should_not_see('Better:')
    await user.should_not_see(marker='feedback-card')
    assert not fake_llm.helper_requests_for('turn_feedback')


async def test_not_a_mistake_dismisses_the_change(user: User, fake_llm: FakeLLMServer) -> None:
    """Not a mistake takes the change out of Better: (kept as dismissed); Undo brings it back."""
    user_id, turn = await dismiss_the_change(user, fake_llm)
    await user.should_not_see('Better:')
    stored = await feedback.get_feedback(user_id, turn.user_message.id)
    assert [correction.dismissed for correction in stored.corrections] == [True]
    user.find(kind=ui.button, content='Undo').click()
    await user.should_see('Better:')


async def dismiss_the_change(user: User, fake_llm: FakeLLMServer) -> tuple[int, chat.Turn]:
    """A line with one mistake, its card shown (`Better:`, no quiet sign), then that change marked `Not a
    mistake`."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer()
    user_id = await logged_in(user)
    room_id = await café(user_id)
    turn = await exchange(user_id, room_id)
    await user.open(f'/rooms/{room_id}')
    await user.should_see('Better:', retries=100)
    await user.should_not_see(marker='feedback-correct')
    user.find(kind=ui.button, content='Not a mistake').click()
    await user.should_see('Not a mistake: go → went')
    return user_id, turn


async def test_unavailable_feedback_is_a_quiet_note(user: User, fake_llm: FakeLLMServer) -> None:
    """A server that cannot give feedback: 'Feedback unavailable' and the chat carries on."""
    fake_llm.fail_helpers_next(500, times=10)
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await user.open(f'/rooms/{room_id}')
    send(user, LINE)
    await user.should_see('Feedback unavailable', retries=300)
    await user.should_see(fake_llm.reply)
    await user.should_not_see('Better:')


async def test_the_editor_saves_the_feedback_mode(user: User) -> None:
    """The editor's Feedback select starts at the room's mode (Gentle for a new room) and is saved."""
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await user.open(f'/rooms/{room_id}/edit')
    select = user.find(kind=ui.select, content='Feedback').elements.pop()
    assert select.value == 'gentle'
    assert list(select.options.values()) == ['Off', 'Gentle', 'Full', 'End only']
    select.set_value('full')
    user.find(kind=ui.button, content='Save').click()
    await user.should_see('Message', retries=100)
    assert (await rooms.get_room(user_id, room_id)).feedback_mode == 'full'


async def test_the_reply_never_waits_for_feedback(user: User, fake_llm: FakeLLMServer) -> None:
    """A slow helper: the reply is complete while the card still says Checking…, then Better: arrives."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer()
    fake_llm.helper_delay = 1.5
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await user.open(f'/rooms/{room_id}')
    send(user, LINE)
    await user.should_see(fake_llm.reply, retries=100)
    await user.should_see('Checking…')
    await user.should_see('Better:', retries=200)
    await user.should_not_see('Checking…')


async def test_deleting_the_line_while_feedback_is_written(user: User, fake_llm: FakeLLMServer) -> None:
    """The exchange deleted before its feedback arrives: the card goes with it, nothing breaks."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer()
    fake_llm.helper_delay = 1.0
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await user.open(f'/rooms/{room_id}')
    send(user, LINE)
    await user.should_see('Checking…', retries=100)
    await user.should_see(fake_llm.reply, retries=100)
    press_action(user, 'delete-message')
    await user.should_see('Delete this exchange?')
    user.find(kind=ui.button, content='Delete').click()
    await user.should_not_see(LINE)
    await asyncio.sleep(1.5)  # the feedback lands for a line that is gone
    await user.should_not_see('Better:')
    assert await chat.list_messages(user_id, room_id) == []


async def test_screen_readers_hear_each_awaited_card_once(user: User, fake_llm: FakeLLMServer) -> None:
    """The page's live region says what the feedback found for each line sent, and a card is one element."""
    fake_llm.task_replies['turn_feedback'] = mistake_answer()
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await user.open(f'/rooms/{room_id}')
    send(user, LINE)
    await user.should_see('Better:', retries=200)
    region = user.find(kind=ui.label, content='Feedback: 1 change suggested').elements.pop()
    assert region.props['aria-live'] == 'polite' and 'sr-only' in region.classes
    fake_llm.task_replies['turn_feedback'] = {'has_errors': False, 'corrected': 'Hello.', 'corrections': []}
    await user.should_see(kind=ui.button, content='Send', retries=200)  # the reply is complete
    send(user, 'Hello.')
    await user.should_see(marker='feedback-correct', retries=200)
    assert region.text.rstrip('\u200b') == 'Feedback: no mistakes found'
    card = user.find(marker='feedback-card').elements
    assert all(not isinstance(child, ui.column) for one in card for child in one.default_slot.children)
