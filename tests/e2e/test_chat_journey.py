"""The core loop in Chromium: a room from the gallery, five replies, the sixth refused, history kept."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer

# The learner line's text and buttons, the reply's buttons: their boxes at one moment.
BOXES = """() => {
    const box = (element) => element.getBoundingClientRect().toJSON();
    const line = [...document.querySelectorAll('.user-bubble')].at(-1);
    const reply = [...document.querySelectorAll('.reply-bubble')].at(-1);
    const labels = ['Play reply', 'Copy text', 'Regenerate reply (uses one reply)', 'Delete this exchange', 'Translate'];
    return {
        line: ['.user-text', '[aria-label="Copy text"]', '[aria-label="Delete this exchange"]']
            .map((selector) => box(line.querySelector(selector))),
        reply: labels.map((label) => box(reply.querySelector(`[aria-label="${label}"]`))),
    };
}"""


def send(page: Page, text: str) -> None:
    page.get_by_label('Message').fill(text)
    page.get_by_role('button', name='Send').click()


def test_gallery_room_five_replies_then_daily_limit(page: Page, llm: FakeLLMServer, shot) -> None:
    """Sign up, café room from the gallery, five streamed replies, the sixth refused, history after re-login."""
    llm.reply_for = lambda body: f'Reply to: {body["messages"][-1]["content"]}. What else would you like?'
    username = sign_up(page, 'chat')
    page.get_by_role('button', name='New room').click()
    page.get_by_test_id('scenario-cafe-order').click()
    expect(page.get_by_label('Title')).to_have_value('Ordering at a café')
    shot('gallery')
    page.get_by_role('button', name='Save').click()
    expect(page).to_have_url(re.compile(r'/rooms/\d+$'))
    expect(page.get_by_text('5 of 5 replies left today')).to_be_visible()
    expect(page.get_by_test_id('model-label')).to_have_text('fake-model')

    for number in range(1, 6):
        send(page, f'Coffee number {number}, please')
        expect(
            page.get_by_text(f'Reply to: Coffee number {number}, please. What else would you like?')
        ).to_be_visible()
        expect(page.get_by_text(f'{5 - number} of 5 replies left today')).to_be_visible()
    shot('five-replies')
    requests_before = llm.request_count

    expect(page.get_by_text('Daily limit reached').first).to_be_visible()
    expect(page.get_by_role('button', name='Send')).to_be_disabled()
    page.get_by_label('Message').press('Enter')  # Enter is refused the same way
    assert llm.request_count == requests_before == 5
    shot('limit-reached')

    page.get_by_role('button', name='Log out').click()
    page.get_by_label('Username').fill(username)
    page.get_by_label('Password').fill('amber-kettle-58')
    page.get_by_role('button', name='Log in').click()
    page.get_by_role('button', name='Open').click()
    for number in range(1, 6):
        expect(page.get_by_text(f'Coffee number {number}, please', exact=True)).to_be_visible()
    expect(page.get_by_text('0 of 5 replies left today')).to_be_visible()
    shot('history-after-login')


def test_reply_streams_and_stop_keeps_partial_text(page: Page, llm: FakeLLMServer, shot) -> None:
    """A slow reply shows up piece by piece; Stop keeps what was written."""
    llm.reply = ' '.join(f'word{i}' for i in range(200))
    llm.chunk_delay = 0.05
    sign_up(page, 'stop')
    gallery_room(page, 'small-talk')
    send(page, 'Hi there')
    expect(page.get_by_text('word5', exact=False)).to_be_visible()
    shot('streaming')
    page.get_by_role('button', name='Stop').click()
    expect(page.get_by_text('Stopped', exact=True)).to_be_visible()
    expect(page.get_by_role('button', name='Send')).to_be_visible()
    assert 'word199' not in page.content()


def test_message_buttons_share_a_line_and_show_their_names(page: Page, llm: FakeLLMServer, shot) -> None:
    """Each bubble's buttons sit on one line under its text; hover or Tab shows a button's name as a tooltip."""
    llm.reply = 'Hello! What would you like?'
    sign_up(page, 'tips')
    gallery_room(page, 'small-talk')
    send(page, 'Hi there')
    reply = page.locator('.reply-bubble').last
    expect(reply.get_by_role('button', name='Translate')).to_be_visible()
    # Measured in one go: the page may still be scrolling to the reply.
    boxes = page.evaluate(BOXES)
    text, copy, delete = boxes['line']
    assert copy['y'] == delete['y'] >= text['y'] + text['height']  # one line, under the text
    assert copy['x'] + copy['width'] < delete['x']
    assert abs((delete['x'] + delete['width']) - (text['x'] + text['width'])) < 2  # right-aligned
    middles = [box['y'] + box['height'] / 2 for box in boxes['reply']]
    assert len(middles) == 5 and max(middles) - min(middles) < 1, middles  # one line, centred
    assert [box['x'] for box in boxes['reply']] == sorted(box['x'] for box in boxes['reply'])

    tip = "(button) => getComputedStyle(button, '::after').content"
    copy_reply = reply.get_by_role('button', name='Copy text')
    assert copy_reply.evaluate(tip) == 'none'
    copy_reply.hover()
    assert copy_reply.evaluate(tip) == '"Copy text"'
    shot('tooltip-hover')
    page.mouse.move(0, 0)
    reply.get_by_role('button', name='Play reply').focus()
    page.keyboard.press('Tab')
    expect(copy_reply).to_be_focused()
    assert copy_reply.evaluate(tip) == '"Copy text"'
