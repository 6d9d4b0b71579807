"""Where keyboard focus goes after an action or a dialog, and what a refused form tells a screen reader."""

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer

PHONE = {'width': 390, 'height': 844}
# The focused element, described for an assertion message (never <body> when focus is managed).
ACTIVE = (
    'document.activeElement === document.body ? "<body>" : document.activeElement.outerHTML.slice(0, 200)'
)


def send(page: Page, llm: FakeLLMServer, text: str) -> None:
    """Send `text` and wait for its reply (the fake partner echoes the line, so each reply is unique)."""
    llm.reply_for = lambda body: f'You said: {body["messages"][-1]["content"]}'
    page.get_by_label('Message').fill(text)
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text(f'You said: {text}')).to_be_visible()


def press(button: Locator) -> None:
    """Use a button as a keyboard user does: focus it, then Enter."""
    button.focus()
    button.press('Enter')


def expect_focus_within(page: Page, selector: str) -> None:
    """The focused element is `selector` or inside it (waits up to 5 s for it)."""
    try:
        page.wait_for_function(
            '(selector) => document.activeElement && document.activeElement.closest(selector) !== null',
            arg=selector,
            timeout=5000,
        )
    except PlaywrightTimeout:
        raise AssertionError(f'focus is on {page.evaluate(ACTIVE)}, not within {selector}') from None


def reply_id(page: Page) -> int:
    testid = page.locator('.reply-bubble').last.get_attribute('data-testid') or ''
    return int(testid.removeprefix('reply-'))


def test_regenerate_puts_focus_on_the_new_reply(page: Page, llm: FakeLLMServer) -> None:
    """After Regenerate (whose button is redrawn away) focus is in the rewritten reply, not on <body>."""
    sign_up(page, 'focus_regen')
    gallery_room(page, 'cafe-order')
    send(page, llm, 'One tea, please.')
    reply = reply_id(page)
    llm.reply_for = None
    llm.reply = 'Here is another answer for you.'
    press(page.get_by_role('button', name='Regenerate reply (uses one reply)'))
    expect(page.get_by_text('Here is another answer for you.')).to_be_visible()
    expect_focus_within(page, f'[data-testid=reply-{reply}]')


def test_escape_cancel_and_delete_of_an_exchange_manage_focus(page: Page, llm: FakeLLMServer) -> None:
    """Escape and Cancel give focus back to `Delete this exchange`; deleting moves it to the neighbouring message."""
    sign_up(page, 'focus_delete')
    gallery_room(page, 'cafe-order')
    send(page, llm, 'First line, please.')
    send(page, llm, 'Second line, please.')
    delete_second = page.locator('.user-bubble').last.get_by_role('button', name='Delete this exchange')

    press(delete_second)
    expect(page.get_by_role('dialog')).to_be_visible()
    page.keyboard.press('Escape')
    expect(page.get_by_role('dialog')).to_be_hidden()
    expect(delete_second).to_be_focused()

    press(delete_second)
    page.get_by_role('dialog').get_by_role('button', name='Cancel').click()
    expect(page.get_by_role('dialog')).to_be_hidden()
    expect(delete_second).to_be_focused()

    press(delete_second)
    page.get_by_role('dialog').get_by_role('button', name='Delete').click()
    expect(page.get_by_text('Second line, please.')).to_have_count(0)
    # The neighbour of the deleted exchange: the reply before it (the conversation's last message now).
    expect_focus_within(page, f'#{page.locator(".reply-bubble").last.get_attribute("id")}')


def test_escape_on_the_room_delete_dialog_returns_focus(page: Page, llm: FakeLLMServer) -> None:
    """On /rooms, Escape closes the `Delete` dialog and focus is back on that room's `Delete`."""
    sign_up(page, 'focus_rooms')
    gallery_room(page, 'cafe-order')
    page.goto('/rooms')
    delete = page.get_by_role('button', name='Delete', exact=True)
    press(delete)
    expect(page.get_by_role('dialog')).to_be_visible()
    page.keyboard.press('Escape')
    expect(page.get_by_role('dialog')).to_be_hidden()
    expect(delete).to_be_focused()
    press(delete)
    page.get_by_role('dialog').get_by_role('button', name='Delete').click()
    expect(page.get_by_role('button', name='Open')).to_have_count(0)
    page.wait_for_timeout(500)
    assert page.evaluate('document.activeElement !== document.body'), 'focus fell to <body> after deleting'


def test_refused_sign_up_focuses_the_first_invalid_field_described_by_its_error(page: Page) -> None:
    """A refused sign-up focuses `Username`, marked invalid and described by its own error text."""
    page.goto('/signup')
    page.get_by_label('Username').fill('x')
    page.get_by_label('Email').fill('not-an-email')
    page.get_by_label('Password', exact=True).fill('amber-kettle-58')
    page.get_by_label('Confirm password').fill('amber-kettle-59')
    page.get_by_role('button', name='Sign up').click()
    username = page.get_by_label('Username')
    expect(username).to_be_focused()
    for field in (username, page.get_by_label('Email'), page.get_by_label('Confirm password')):
        expect(field).to_have_attribute('aria-invalid', 'true')
        described = field.get_attribute('aria-describedby') or ''
        assert described, 'the invalid field names no description'
        error = page.locator(f'[id="{described}"]')
        expect(error).to_be_visible()
        expect(error).not_to_have_text('')
    expect(page.get_by_label('Password', exact=True)).not_to_have_attribute('aria-invalid', 'true')


# For the focused element: whether what is drawn at its centre is it (or inside it), i.e. not covered.
FOCUSED_IS_UNCOVERED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return null;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {ok: hit !== null && (el === hit || el.contains(hit)), what: el.outerHTML.slice(0, 160)};
}"""


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Page:
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    yield context.new_page()
    context.close()


def test_on_a_phone_no_focused_control_is_under_the_header_or_footer(phone: Page, llm: FakeLLMServer) -> None:
    """Tab through the chat at 390×844: every focused control can be seen; the bars take ≤ 20 % of the screen."""
    page = phone
    sign_up(page, 'focus_phone')
    gallery_room(page, 'cafe-order')
    for number in range(3):
        send(page, llm, f'Line {number}, please.')
    page.wait_for_timeout(800)  # the smooth scroll to the last reply ends
    bars = page.evaluate(
        '(document.querySelector(".q-header").offsetHeight + document.querySelector(".q-footer").offsetHeight)'
        ' / window.innerHeight'
    )
    assert bars <= 0.2, f'header and footer take {bars:.0%} of a phone screen'
    page.evaluate('window.scrollTo(0, 0)')
    page.locator('#main').focus()
    covered = []
    for _press in range(70):
        page.keyboard.press('Tab')
        found = page.evaluate(FOCUSED_IS_UNCOVERED)
        if found is not None and not found['ok']:
            covered.append(found['what'])
    assert not covered, 'focused but covered:\n' + '\n'.join(covered)
    expect(page).to_have_url(re.compile(r'/rooms/\d+$'))
