"""The feedback card as one element (ui/feedback_card.py): `Checking…` and a correct line's sign drawn by the
card itself, the DOM they had as elements of their own, their texts escaped, the card found as before."""

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from nicegui import ui
from nicegui.testing import User

from pages.chat_feedback import FeedbackCard
from services.chat import MessageInfo
from services.feedback import FeedbackInfo
from tests.fakes.openai_server import FakeLLMServer
from tests.pages.test_chat_feedback import café, dismiss_the_change, send
from tests.pages.test_chat_turn_weight import elements_of
from tests.pages.test_room_pages import logged_in
from ui.feedback_card import FeedbackCardBox
from ui.learning import checking_markup, correct_sign_markup

pytestmark = pytest.mark.usefixtures('use_fake_llm')


async def test_checking_then_the_sign_in_one_element(user: User) -> None:
    """A card says `Checking…`, then shows the quiet sign, then nothing: one element throughout, found by its
    test id and markers, a group named for screen readers."""

    @ui.page('/auth/feedback-card-probe')  # under a public prefix: no log-in needed
    def probe() -> None:
        FeedbackCardBox(7, 'Feedback on your line').show_checking()

    await user.open('/auth/feedback-card-probe')
    await user.should_see('Checking…')
    card = user.find(marker='feedback-7').elements.pop()
    assert isinstance(card, FeedbackCardBox) and elements_of(card) == 1
    assert user.find(marker='feedback-card').elements == {card}
    assert {'nicegui-column', 'feedback-card'} <= set(card.classes)
    assert card.props['role'] == 'group' and card.props['aria-label'] == 'Feedback on your line'
    assert card.props['data-testid'] == 'feedback-7'
    assert drawn(str(card.note)) == [
        ('div', {'class': 'row items-center gap-1 no-wrap feedback-quiet'}),
        ('span', {'class': 'checking-spinner', 'aria-hidden': 'true'}),
        ('span', {'class': 'text-caption'}),
        'Checking…',
    ]
    await user.should_not_see(marker='feedback-correct')
    card.show_correct_sign()
    await user.should_see(marker='feedback-correct')
    await user.should_not_see('Checking…')
    assert user.find(marker='feedback-correct').elements == {card} and elements_of(card) == 1
    card.clear()
    await user.should_not_see(marker='feedback-correct')
    assert card.note is None and 'noteHtml' not in card.props
    assert user.find(marker='feedback-card').elements == {card}


def test_the_notes_escape_their_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A translation with markup in it is shown as text: in `Checking…`, in the sign's name and tooltip."""
    monkeypatch.setattr('ui.learning._', lambda message, **params: '<b onclick="x()">&</b>')
    assert drawn(checking_markup().markup)[3] == '<b onclick="x()">&</b>'
    sign, *inside = drawn(correct_sign_markup().markup)
    assert sign == (
        'i',
        {
            'class': 'q-icon notranslate material-icons feedback-correct css-tip css-tip-end-edge',
            'aria-hidden': 'true',
            'role': 'img',
            'aria-label': '<b onclick="x()">&</b>',
            'data-testid': 'feedback-correct',
            'data-tip': '<b onclick="x()">&</b>',
            'style': 'font-size: 18px;',
        },
    )
    assert inside == ['check_circle']


async def test_the_sign_stays_first_beside_dismissed_changes(user: User, fake_llm: FakeLLMServer) -> None:
    """Every change marked `Not a mistake`: the sign first, the dismissed change after it; Undo: `Better:` and
    no sign."""
    _, turn = await dismiss_the_change(user, fake_llm)
    card = user.find(marker=f'feedback-{turn.user_message.id}').elements.pop()
    assert user.find(marker='feedback-correct').elements == {card}
    assert 'data-testid="feedback-correct"' in str(card.note) and len(card.default_slot.children) == 1
    user.find(kind=ui.button, content='Undo').click()
    await user.should_see('Better:')
    await user.should_not_see(marker='feedback-correct')
    assert card.note is None


async def test_a_sent_lines_card_checks_then_signs(user: User, fake_llm: FakeLLMServer) -> None:
    """A line sent: its card says `Checking…`, then shows the sign, in the same one element."""
    fake_llm.helper_delay = 1.0
    user_id = await logged_in(user)
    room_id = await café(user_id)
    await user.open(f'/rooms/{room_id}')
    send(user, 'One latte, please.')
    await user.should_see('Checking…', retries=100)
    (card,) = user.find(marker='feedback-card').elements
    await user.should_see(marker='feedback-correct', retries=200)
    await user.should_not_see('Checking…')
    assert user.find(marker='feedback-correct').elements == {card} and elements_of(card) == 1


async def test_a_card_goes_into_the_slot_it_was_made_in(user: User) -> None:
    """A card made in a named slot of an element (a bubble's) is drawn there, not in the default slot."""

    @ui.page('/auth/feedback-slot-probe')  # under a public prefix: no log-in needed
    def probe() -> None:
        with ui.element().mark('holder') as holder, holder.add_slot('below'):
            line = MessageInfo(1, 1, 'user', 'Hello.', 'complete', None, None, datetime.now(UTC))
            card = FeedbackCard(1, line, 'en', 'ko', announce=lambda summary: None)
        card.show(FeedbackInfo(1, 'pending', 'gentle', None, None, None, None, (), ()))

    await user.open('/auth/feedback-slot-probe')
    await user.should_see('Checking…')
    holder = user.find(marker='holder').elements.pop()
    (box,) = holder.slots['below'].children
    assert isinstance(box, FeedbackCardBox) and not holder.default_slot.children


def drawn(markup: str) -> list:
    """The markup as a browser reads it: (tag, attributes) per element opened, text as text."""
    seen: list = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            seen.append((tag, dict(attrs)))

        def handle_data(self, data: str) -> None:
            seen.append(data)

    Reader().feed(markup)
    return seen
