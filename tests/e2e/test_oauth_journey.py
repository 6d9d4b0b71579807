"""One-click login in Chromium: `Continue with GitHub` against a local GitHub, and back on /rooms signed in."""

import re

from playwright.sync_api import Page, expect

from tests.fakes.oauth_provider import FakeOAuthProvider


def test_continue_with_github(page: Page, e2e_github: FakeOAuthProvider, shot) -> None:
    """The button round-trips through the provider and lands on /rooms with the GitHub name in the header."""
    e2e_github.set_user(
        id=9001, login='hubber', name='Hub Ber', email='hubber@example.com',
        emails=[{'email': 'hubber@example.com', 'primary': True, 'verified': True}],
    )  # fmt: skip
    page.goto('/login')
    expect(page.get_by_role('button', name='Continue with Kakao')).to_have_count(0)  # Kakao is not configured
    shot('login')
    page.get_by_role('button', name='Continue with GitHub').click()
    expect(page).to_have_url(re.compile(r'/rooms$'))
    expect(page.get_by_test_id('user-name')).to_have_text('Hub Ber')
    page.goto('/profile')
    expect(page.get_by_text('GitHub · hubber')).to_be_visible()
    shot('profile')


def test_refused_consent_is_explained(page: Page, e2e_github: FakeOAuthProvider) -> None:
    """Cancelling at GitHub brings the person back to /login with a sentence, not an error page."""
    e2e_github.deny_next()
    page.goto('/login')
    page.get_by_role('button', name='Continue with GitHub').click()
    expect(page.get_by_role('alert')).to_have_text('The login at GitHub was cancelled.')
