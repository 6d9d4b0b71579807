"""One-click login through our routes against real local GitHub and Kakao providers (Authlib server side)."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from nicegui import ui
from nicegui.testing import User

from services import accounts, oauth
from services.errors import InvalidCredentials
from services.settings import load_settings
from tests.fakes.oauth_provider import FakeOAuthProvider

OCTO = {
    'id': 583231,
    'login': 'octo-cat',
    'name': 'Octo Cat',
    'email': None,  # no public email: the primary verified one comes from /user/emails
    'emails': [{'email': 'octo@example.com', 'primary': True, 'verified': True, 'visibility': None}],
}


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOAuthProvider]:
    with FakeOAuthProvider('github') as provider:
        for name, value in provider.github_settings.items():
            monkeypatch.setenv(name, value)
        load_settings()
        provider.set_user(**OCTO)
        yield provider


@pytest.fixture
def kakao(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOAuthProvider]:
    with FakeOAuthProvider('kakao') as provider:
        for name, value in provider.kakao_settings.items():
            monkeypatch.setenv(name, value)
        load_settings()
        provider.set_user(
            id=4242, nickname='민수', email='minsu@example.com', is_email_verified=True, is_email_valid=True
        )
        yield provider


async def oauth_round_trip(user: User, provider: str, *, tamper_state: bool = False) -> str:
    """Our /login route → the provider's consent page → our callback; returns where the callback sends us."""
    start = await user.http_client.get(f'/auth/{provider}/login')
    assert start.status_code in {302, 303, 307}
    consent = httpx.get(start.headers['location'], follow_redirects=False)  # the provider, over real HTTP
    assert consent.status_code in {302, 303}
    callback = urlsplit(consent.headers['location'])
    query = callback.query
    if tamper_state:
        state = parse_qs(query)['state'][0]
        query = query.replace(state, 'forged-state')
    finish = await user.http_client.get(f'{callback.path}?{query}')
    assert finish.status_code == 303
    return finish.headers['location']


async def test_buttons_appear_only_when_configured(user: User, github: FakeOAuthProvider) -> None:
    """GitHub is configured here, Kakao is not: only its button shows on /login and /signup."""
    for path in ('/login', '/signup'):
        await user.open(path)
        await user.should_see('Continue with GitHub')
        await user.should_not_see('Continue with Kakao')
    assert (await user.http_client.get('/auth/kakao/login')).status_code == 404


async def test_first_github_login_creates_an_account(user: User, github: FakeOAuthProvider) -> None:
    """A first login creates a password-less account with the verified email and lands on /rooms."""
    assert await oauth_round_trip(user, 'github') == '/rooms'
    await user.open('/rooms')
    await user.should_see('Your rooms')
    await user.should_see('Octo Cat')
    await user.open('/profile')
    await user.should_see('GitHub · octo-cat')
    await user.should_see('Set a password')
    with pytest.raises(InvalidCredentials):
        await accounts.authenticate('octo_cat', 'anything-at-all', client_address='127.0.0.1')


async def test_verified_email_links_an_existing_account(user: User, github: FakeOAuthProvider) -> None:
    """The same verified email signs in the existing account instead of creating a second one."""
    existing = await accounts.register(
        'octavia', 'octo@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    assert await oauth_round_trip(user, 'github') == '/rooms'
    links = await oauth.linked_logins(existing.id)
    assert [(link.provider, link.login) for link in links] == [('github', 'octo-cat')]


async def test_unverified_email_never_takes_over(user: User, github: FakeOAuthProvider) -> None:
    """An unverified email equal to an account's creates a separate account, not a link."""
    victim = await accounts.register(
        'victim', 'octo@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    github.set_user(**{**OCTO, 'emails': [{'email': 'octo@example.com', 'primary': True, 'verified': False}]})
    assert await oauth_round_trip(user, 'github') == '/rooms'
    assert await oauth.linked_logins(victim.id) == []


async def test_kakao_login_posts_the_secret_and_reads_the_profile(
    user: User, kakao: FakeOAuthProvider
) -> None:
    """Kakao gets client_secret_post (never basic auth); nickname and verified email come from /v2/user/me."""
    assert await oauth_round_trip(user, 'kakao') == '/rooms'
    token_request = kakao.token_requests[-1]
    assert token_request['form']['client_secret'] == kakao.client_secret
    assert 'authorization' not in {name.lower() for name in token_request['headers']}
    await user.open('/rooms')
    await user.should_see('민수')


async def test_unverified_kakao_email_does_not_link(user: User, kakao: FakeOAuthProvider) -> None:
    """Kakao's unverified address is not trusted for linking."""
    existing = await accounts.register(
        'minsu', 'minsu@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    kakao.set_user(
        id=7, nickname='가짜', email='minsu@example.com', is_email_verified=False, is_email_valid=True
    )
    assert await oauth_round_trip(user, 'kakao') == '/rooms'
    assert await oauth.linked_logins(existing.id) == []


async def test_forged_state_is_refused(user: User, github: FakeOAuthProvider) -> None:
    """A callback whose state does not match the session is refused with a readable message."""
    target = await oauth_round_trip(user, 'github', tamper_state=True)
    assert target.startswith('/login?oauth_error=state')
    await user.open(target)
    await user.should_see('The login could not be verified')
    missing = await user.http_client.get('/auth/github/callback?code=abc')
    assert missing.headers['location'].startswith('/login?oauth_error=state')


async def test_refused_consent_comes_back_readable(user: User, github: FakeOAuthProvider) -> None:
    """Denied consent at the provider returns to /login saying so."""
    github.deny_next()
    target = await oauth_round_trip(user, 'github')
    assert target.startswith('/login?oauth_error=denied')
    await user.open(target)
    await user.should_see('The login at GitHub was cancelled.')


async def test_unlink_keeps_one_way_in(user: User, github: FakeOAuthProvider) -> None:
    """The only login of a password-less account cannot be unlinked; after setting a password it can."""
    await oauth_round_trip(user, 'github')
    await user.open('/profile')
    user.find(kind=ui.button, content='Unlink').click()
    await user.should_see('this is your only way in', retries=50)
    user.find('New password').type('amber-kettle-58')
    user.find('Confirm new password').type('amber-kettle-58')
    user.find(kind=ui.button, content='Change password').click()
    await user.should_see('Password changed', retries=50)
    user.find(kind=ui.button, content='Unlink').click()
    await user.should_see('Login unlinked', retries=50)
    await user.should_see('No linked logins')
