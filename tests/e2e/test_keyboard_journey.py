"""The core loop with the keyboard alone (Tab, Enter, Space), as someone who cannot use a mouse does it."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.flows import sign_up
from tests.fakes.openai_server import FakeLLMServer

PASSWORD = 'amber-kettle-58'


FOCUSED_IS = r"""([css, text]) => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    return text ? el.innerText.trim().split('\n').pop().trim() === text : el.matches(css);
}"""


def tab_to(page: Page, selector: str = '', text: str = '', presses: int = 80) -> None:
    """Press Tab until the focused element matches the CSS `selector` or shows exactly `text`."""
    for _ in range(presses):
        if page.evaluate(FOCUSED_IS, [selector, text]):
            return
        page.keyboard.press('Tab')
    raise AssertionError(f'{selector or text} was never reached with Tab')


def focus_ring_width(page: Page) -> float:
    """The outline width of the focused element, in px (the visible focus indicator)."""
    return page.evaluate('parseFloat(getComputedStyle(document.activeElement).outlineWidth)')


def test_log_in_open_a_gallery_room_send_play_and_log_out_by_keyboard(page: Page, llm: FakeLLMServer) -> None:
    """Every step of the loop is reachable with Tab and done with Enter or Space, with a visible focus."""
    username = sign_up(page, 'keys')
    page.get_by_role('button', name='Log out', exact=True).click()
    expect(page).to_have_url(re.compile(r'/login'))

    tab_to(page, 'input[autocomplete=username]')
    page.keyboard.type(username)
    tab_to(page, 'input[type=password]')
    page.keyboard.type(PASSWORD)
    page.keyboard.press('Enter')
    expect(page).to_have_url(re.compile(r'/rooms$'))

    tab_to(page, text='New room')
    assert focus_ring_width(page) >= 2
    page.keyboard.press('Enter')
    expect(page).to_have_url(re.compile(r'/rooms/new$'))
    tab_to(page, '[data-testid=scenario-cafe-order]')
    assert focus_ring_width(page) >= 2
    page.keyboard.press('Space')
    expect(page.get_by_label('Title')).not_to_have_value('')
    tab_to(page, text='Save')
    page.keyboard.press('Enter')
    expect(page).to_have_url(re.compile(r'/rooms/\d+$'))

    tab_to(page, 'textarea')
    page.keyboard.type('Hello! One latte, please.')
    page.keyboard.press('Enter')
    expect(page.get_by_text(llm.reply)).to_be_visible()
    # Screen readers are told the reply is finished; its text carries the room's language.
    expect(page.locator('[role=status][aria-live=polite]')).to_have_text(re.compile('partner replied'))
    expect(page.locator('.reply-markdown').last).to_have_attribute('lang', 'en')

    tab_to(page, 'button[aria-label="Play reply"]')
    page.keyboard.press('Enter')
    page.wait_for_function(
        'document.querySelector("audio") && document.querySelector("audio").readyState >= 1'
    )

    tab_to(page, '[data-testid=logout]', presses=150)  # Tab wraps round to the header
    page.keyboard.press('Enter')
    expect(page).to_have_url(re.compile(r'/login'))
