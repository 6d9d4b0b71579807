"""axe-core beyond the core loop: the learning pages and /admin at both sizes, and every page in Korean."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from i18n import _, using_language
from tests.e2e.flows import gallery_room, sign_up
from tests.e2e.test_accessibility import SIZES, assert_accessible
from tests.e2e.test_learning_journey import LINE, MISTAKE
from tests.fakes.openai_server import FakeLLMServer


@pytest.mark.parametrize('size', list(SIZES))
def test_learning_pages_and_admin_pass_axe(
    size: str, browser: Browser, base_url: str, llm: FakeLLMServer, manage
) -> None:
    """Chat with feedback, the session report, /vocabulary, /progress, /mistakes and /admin: no violation."""
    llm.task_replies['turn_feedback'] = MISTAKE
    llm.task_replies['session_report'] = {'note': 'Good start! Watch the past tense.', 'focus_next': []}
    context = browser.new_context(base_url=base_url, viewport=SIZES[size])
    try:
        page = context.new_page()
        username = sign_up(page, f'axe_learn_{size}')
        gallery_room(page, 'cafe-order')
        page.get_by_label('Message').fill(LINE)
        page.get_by_role('button', name='Send').click()
        expect(page.get_by_text('Better:', exact=True)).to_be_visible()
        assert_accessible(page, 'chat with feedback')
        page.get_by_role('button', name='End session').click()
        expect(page).to_have_url(re.compile(r'/rooms/\d+/report/\d+$'))
        assert_accessible(page, 'session report')
        for path in ('/vocabulary', '/progress', '/mistakes'):
            page.goto(path)
            assert_accessible(page, path)
        manage('promote', username)
        page.goto('/admin')
        expect(page.get_by_role('heading', level=1)).to_be_visible()
        assert_accessible(page, '/admin')
    finally:
        context.close()


@pytest.mark.parametrize('size', list(SIZES))
def test_korean_pages_pass_axe(size: str, browser: Browser, base_url: str, llm: FakeLLMServer) -> None:
    """A ko-KR browser: log-in, sign-up, rooms, the editor, the chat, profile and history have no violation."""
    with using_language('ko'):
        send, message = _('Send'), _('Message')
    context = browser.new_context(base_url=base_url, viewport=SIZES[size], locale='ko-KR')
    try:
        page = context.new_page()
        page.goto('/login')
        expect(page.locator('html')).to_have_attribute('lang', 'ko-KR')
        assert_accessible(page, '/login (ko)')
        page.goto('/signup')
        assert_accessible(page, '/signup (ko)')
        korean_sign_up(page, f'axe_ko_{size}')
        assert_accessible(page, '/rooms (ko)')
        page.goto('/rooms/new')
        assert_accessible(page, '/rooms/new (ko)')
        page.get_by_test_id('scenario-cafe-order').click()
        with using_language('ko'):
            page.get_by_role('button', name=_('Save'), exact=True).click()
        expect(page).to_have_url(re.compile(r'/rooms/\d+$'))
        page.get_by_label(message).fill('Hello, one coffee please.')
        page.get_by_role('button', name=send, exact=True).click()
        expect(page.get_by_text(llm.reply)).to_be_visible()
        assert_accessible(page, 'chat (ko)')
        for path in ('/profile', '/history', '/vocabulary', '/progress', '/mistakes'):
            page.goto(path)
            assert_accessible(page, f'{path} (ko)')
    finally:
        context.close()


def korean_sign_up(page: Page, prefix: str) -> None:
    """The sign-up form read in Korean (labels from the catalogue)."""
    username = f'{prefix}_{page.evaluate("Date.now()") % 10**8}'
    with using_language('ko'):
        labels = {name: _(name) for name in ('Username', 'Email', 'Password', 'Confirm password', 'Sign up')}
    page.goto('/signup')
    page.get_by_label(labels['Username']).fill(username)
    page.get_by_label(labels['Email']).fill(f'{username}@example.com')
    page.get_by_label(labels['Password'], exact=True).fill('amber-kettle-58')
    page.get_by_label(labels['Confirm password']).fill('amber-kettle-58')
    page.get_by_role('button', name=labels['Sign up'], exact=True).click()
    expect(page).to_have_url(re.compile(r'/rooms$'))
