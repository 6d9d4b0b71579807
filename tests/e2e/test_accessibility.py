"""axe-core on every page, at desktop and phone sizes: no WCAG 2.1 A/AA violation, a heading, a main."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import violations
from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer

SIZES = {'desktop': {'width': 1280, 'height': 800}, 'phone': {'width': 390, 'height': 844}}


@pytest.fixture(params=list(SIZES))
def sized_page(request: pytest.FixtureRequest, browser: Browser, base_url: str) -> Page:
    """A fresh browser context at desktop or phone size."""
    context = browser.new_context(base_url=base_url, viewport=SIZES[request.param])
    request.addfinalizer(context.close)
    return context.new_page()


def assert_accessible(page: Page, name: str) -> None:
    page.wait_for_load_state('networkidle')
    found = violations(page)
    assert not found, f'{name}: ' + '\n'.join(found)


def test_every_page_passes_axe(sized_page: Page, llm: FakeLLMServer) -> None:
    """Log-in, sign-up, rooms, editor, chat, profile and history have no axe violation."""
    page = sized_page
    page.goto('/login')
    assert_accessible(page, '/login')
    page.goto('/signup')
    assert_accessible(page, '/signup')
    sign_up(page, 'axe')
    assert_accessible(page, '/rooms')
    page.goto('/rooms/new')
    assert_accessible(page, '/rooms/new')
    page.goto('/rooms')
    gallery_room(page, 'cafe-order')
    assert_accessible(page, 'chat (empty)')
    page.get_by_label('Message').fill('Hello, one coffee please.')
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text(llm.reply)).to_be_visible()
    assert_accessible(page, 'chat')
    page.goto('/profile')
    assert_accessible(page, '/profile')
    current = page.locator('nav[aria-label="Main"] a[href="/profile"]')
    expect(current).to_have_attribute('aria-current', 'page')  # the page shown, told and underlined
    if current.is_visible():  # (a phone folds the links into the Menu)
        assert current.evaluate('link => getComputedStyle(link).textDecorationLine') == 'underline'
    page.goto('/history')
    page.get_by_label('Search your messages').fill('coffee')
    page.get_by_role('button', name='Search').click()
    expect(page.get_by_text('Search', exact=False).first).to_be_visible()
    assert_accessible(page, '/history')


def test_robots_txt_answers_without_a_redirect(page: Page) -> None:
    """Crawlers get a robots.txt, not the log-in page."""
    response = page.request.get('/robots.txt', max_redirects=0)
    assert response.status == 200
    assert re.search(r'Disallow: /\s', response.text())
