"""What one streamed turn makes (and later deletes) on the server: few elements for the reply while it streams
and for its feedback card while it is written (each element costs its observables, an update, a delete)."""

from typing import TypeVar

import pytest
from nicegui.element import Element
from nicegui.testing import User

from services import rooms
from services.rooms import RoomDraft
from tests.fakes.openai_server import FakeLLMServer
from tests.helpers import eventually
from tests.pages.test_room_pages import button, logged_in
from ui.message_bubble import MessageBubble
from ui.stream_text import StreamText

E = TypeVar('E', bound=Element)

pytestmark = pytest.mark.usefixtures('use_fake_llm')

# The bubble (drawing its body and `Writing…`) and the growing text (4 before: a body element and `Writing…`
# were elements of their own; 6 before that: `Writing…` was a row, its dots and a label).
STREAMING_REPLY_ELEMENTS = 2
# The bubble, drawing `Writing a recipe…` (3 before; 6 before that, with a hidden text element never shown).
STREAMING_RECIPE_ELEMENTS = 1
# A stored exchange: each line is its bubble, drawing its text and buttons (4 each before: the bubble, a body,
# the text and the buttons' element).
SHOWN_LINE_ELEMENTS = 1


async def test_a_streaming_reply_is_its_text_and_one_writing_element(
    user: User, fake_llm: FakeLLMServer
) -> None:
    """While a reply streams it shows its words and `Writing…`, in two elements with its bubble."""
    fake_llm.reply = 'Bonjour ' + ' '.join(f'word{i}' for i in range(12))
    fake_llm.chunk_delay = 0.15
    await open_room(user, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Me', 'A2', feedback_mode='off'))
    user.find('Message').type('Hello')
    button(user, 'Send').click()
    await eventually(lambda: 'word2' in ' '.join(text.text for text in kind(user, StreamText)))
    await user.should_see('Writing…')
    assert elements_of(reply_bubble(user)) == STREAMING_REPLY_ELEMENTS
    await user.should_see(marker='play-reply', retries=100)
    await user.should_not_see('Writing…')


async def test_a_streaming_recipe_is_one_writing_element(user: User, fake_llm: FakeLLMServer) -> None:
    """A recipe being written shows `Writing a recipe…` alone: no text element, hidden or not."""
    fake_llm.json_reply = '{"dish": "Rice", "intro": "Quick.", "ingredients": [], "steps": ["Cook it."]}'
    fake_llm.first_token_delay, fake_llm.chunk_delay = 0.3, 0.15
    await open_room(user, RoomDraft('Dinner', 'en', 'Ideas.', 'Cook', 'Me', 'B1', scenario='recipe'))
    user.find('Message').type('Something with rice')
    button(user, 'Send').click()
    await user.should_see('Writing a recipe…', retries=100)
    assert elements_of(reply_bubble(user)) == STREAMING_RECIPE_ELEMENTS
    assert not kind(user, StreamText)
    await user.should_see('Rice', retries=100)
    await user.should_not_see('Writing a recipe…')


async def test_a_shown_exchange_is_one_element_a_line(user: User, fake_llm: FakeLLMServer) -> None:
    """Once a turn is over, the learner's line and the reply are each one element, buttons included."""
    fake_llm.reply = 'Hello! What can I get you?'
    await open_room(user, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Me', 'A2', feedback_mode='off'))
    user.find('Message').type('Hello')
    button(user, 'Send').click()
    await user.should_see(marker='play-reply', retries=100)
    mine, reply = sorted(kind(user, MessageBubble), key=lambda bubble: 'reply-bubble' in bubble.classes)
    assert elements_of(mine) == elements_of(reply) == SHOWN_LINE_ELEMENTS
    assert 'Hello' in str(mine.html) and 'What can I get you?' in str(reply.html)
    assert [action['name'] for action in reply.actions] == [
        'play',
        'copy',
        'regenerate',
        'delete',
        'translate',
    ]


async def test_a_checking_card_is_one_element(user: User, fake_llm: FakeLLMServer) -> None:
    """While a line's feedback is written its card says `Checking…`, all in one element."""
    fake_llm.helper_delay = 1.5
    await open_room(user, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Me', 'A2', feedback_mode='gentle'))
    user.find('Message').type('Yesterday I go to the school.')
    button(user, 'Send').click()
    await user.should_see('Checking…', retries=100)
    card = user.find(marker='feedback-card').elements.pop()
    assert elements_of(card) == 1  # the card, drawing its note (2 before: the note was a `ui.html`)


async def test_a_correct_lines_card_is_its_sign(user: User) -> None:
    """A line without mistakes (and no style suggestion) gets a card showing the quiet sign: one element."""
    await open_room(user, RoomDraft('Café', 'en', 'Coffee.', 'Barista', 'Me', 'A2', feedback_mode='gentle'))
    user.find('Message').type('One latte, please.')
    button(user, 'Send').click()
    await user.should_see(marker='feedback-correct', retries=200)
    card = user.find(marker='feedback-card').elements.pop()
    assert (
        elements_of(card) == 1
    )  # the card, drawing its sign (2 before: a `ui.icon`; 3 before that, in a row)


async def open_room(user: User, draft: RoomDraft) -> None:
    user_id = await logged_in(user)
    room = await rooms.create_room(user_id, draft)
    await user.open(f'/rooms/{room.id}')


def reply_bubble(user: User) -> MessageBubble:
    (bubble,) = [element for element in kind(user, MessageBubble) if 'reply-bubble' in element.classes]
    return bubble


def kind(user: User, element_type: type[E]) -> list[E]:
    return [element for element in user.client.elements.values() if isinstance(element, element_type)]


def elements_of(element: Element) -> int:
    """The element and all the elements inside it."""
    return len(list(element.descendants(include_self=True)))
