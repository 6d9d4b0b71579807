"""The admin journey in Chromium: a learner is short of replies, the admin grants some, the learner sees them."""

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ADMIN_USERNAME
from tests.e2e.flows import gallery_room, sign_up
from tests.fakes.openai_server import FakeLLMServer


def test_admin_grants_replies_the_learner_then_sees(
    page: Page, browser: Browser, base_url: str, llm: FakeLLMServer, shot, manage
) -> None:
    """Learner uses a reply; the admin finds them, grants 3 for today; the learner's page shows 7 of 8."""
    learner = sign_up(page, 'learner')
    gallery_room(page, 'cafe-order')
    page.get_by_label('Message').fill('One espresso, please')
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_text('4 of 5 replies left today')).to_be_visible()
    expect(page.get_by_role('link', name='Admin')).to_have_count(0)

    admin_context = browser.new_context(base_url=base_url)
    try:
        admin = admin_context.new_page()
        sign_up(admin, ADMIN_USERNAME, exact_username=True)
        manage('promote', ADMIN_USERNAME)  # signing up under a configured name makes nobody an admin
        admin.reload()
        admin.get_by_role('link', name='Admin').click()
        expect(admin).to_have_url(re.compile(r'/admin$'))
        admin.get_by_label('Search users').fill(learner)
        expect(admin.get_by_text('1–1 of 1')).to_be_visible()  # the list has followed the search
        card = admin.get_by_test_id(f'account-{learner}')
        expect(card).to_contain_text('1 of 5 replies used today')
        card.get_by_role('button', name='Grant replies').click()
        admin.get_by_label('Extra replies today').fill('3')
        admin.get_by_role('button', name='Grant', exact=True).click()
        expect(card).to_contain_text('1 of 8 replies used today (incl. 3 extra)')
        shot('admin-granted', admin)
    finally:
        admin_context.close()

    page.reload()
    expect(page.get_by_text('7 of 8 replies left today')).to_be_visible()
    shot('learner-sees-grant')


def test_learners_cannot_open_admin(page: Page, base_url: str) -> None:
    """/admin is a 404 page for a learner."""
    sign_up(page, 'curious')
    response = page.goto(f'{base_url}/admin')
    assert response is not None and response.status == 404
