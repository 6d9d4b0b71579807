"""Tooltips drawn by the stylesheet and menus made on first opening, as a person meets them in Chromium."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.flows import gallery_room, sign_up

TIP = "(element) => getComputedStyle(element, '::after').content"
WIDER_THAN_SCREEN = '() => document.documentElement.scrollWidth > window.innerWidth'


def test_header_tips_show_on_hover_and_keyboard_focus(page: Page, shot) -> None:
    """`End session` and `Clear` explain themselves on hover, `Listening mode` on Tab, inside the screen."""
    sign_up(page, 'csstips')
    gallery_room(page, 'small-talk')
    end = page.get_by_role('button', name='End session')
    assert end.evaluate(TIP) == 'none'
    end.hover()
    assert end.evaluate(TIP) == '"End this session and see its report"'
    clear = page.get_by_role('button', name='Clear history')
    clear.hover()
    assert clear.evaluate(TIP) == '"Delete every message of this room"'
    assert not page.evaluate(WIDER_THAN_SCREEN)  # anchored at its end: the tip stays on the screen
    shot('clear-tip')
    page.mouse.move(0, 0)
    listening = page.get_by_role('switch', name='Listening mode')
    listening.focus()
    page.keyboard.press('Shift+Tab')
    page.keyboard.press('Tab')
    expect(listening).to_be_focused()
    tip = page.locator('.css-tip', has=listening).or_(page.locator('.css-tip[role=switch]')).first
    assert 'New replies play by themselves' in tip.evaluate(TIP)


def test_phone_menu_opens_on_first_tap(page: Page) -> None:
    """On a phone the header's `Menu` opens its links at the first tap and one of them leads there."""
    page.set_viewport_size({'width': 390, 'height': 844})
    sign_up(page, 'phonemenu')
    skip = page.locator('.skip-link')
    assert skip.evaluate('(link) => getComputedStyle(link).opacity') == '0'  # unseen until focused
    menu = page.get_by_role('button', name='Menu')
    expect(menu).to_have_attribute('aria-haspopup', 'menu')
    menu.click()
    page.get_by_role('menu').get_by_text('Mistakes').click()
    expect(page).to_have_url(re.compile(r'/mistakes$'))
    expect(page.get_by_role('heading', name='Mistake log')).to_be_visible()
