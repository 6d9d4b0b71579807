"""One-click login through our routes against real local GitHub and Kakao providers (Authlib server side)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from nicegui import core, ui
from nicegui.testing import User

import services.accounts
import services.sessions
from services import accounts, oauth
from services.errors import InvalidCredentials
from services.settings import load_settings
from tests.fakes.oauth_provider import FakeOAuthProvider
from tests.helpers import eventually

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


async def oauth_round_trip(
    user: User, provider: str, *, tamper_state: bool = False, action: str = 'login'
) -> str:
    """Our /auth/{provider}/{action} route → the provider's consent page → our callback; returns where
    the callback sends us."""
    start = await user.http_client.get(f'/auth/{provider}/{action}')
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


async def test_verified_email_of_an_existing_account_never_signs_in(
    user: User, github: FakeOAuthProvider
) -> None:
    """Whoever registered the address first does not get the GitHub login: the page says to link instead."""
    existing = await accounts.register(
        'octavia', 'octo@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    target = await oauth_round_trip(user, 'github')
    assert target == '/login?oauth_error=email_taken&provider=github'
    await user.open(target)
    await user.should_see(
        'An account with this email already exists. Log in with your password, then link GitHub from your profile.'
    )
    assert await oauth.linked_logins(existing.id) == []
    assert (await user.http_client.get('/rooms')).status_code == 303


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


def later(monkeypatch: pytest.MonkeyPatch, minutes: int) -> None:
    """From now on the app's clock reads `minutes` later (sessions and re-authentication)."""
    shifted = datetime.now(UTC) + timedelta(minutes=minutes)
    monkeypatch.setattr(services.accounts, 'utcnow', lambda: shifted)
    monkeypatch.setattr(services.sessions, 'utcnow', lambda: shifted)


async def password_login(user: User, name: str = 'mina') -> int:
    account = await accounts.register(
        name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await user.open('/login')
    user.find('Username').type(name)
    user.find('Password').type('amber-kettle-58')
    user.find(kind=ui.button, content='Log in').click()
    await user.should_see('Your rooms', retries=50)
    return account.id


async def test_oauth_login_starts_a_fresh_session(user: User, github: FakeOAuthProvider) -> None:
    """The cookie a browser had before a GitHub login opens nothing afterwards."""
    await user.open('/login')
    before = httpx.Cookies(user.http_client.cookies)
    assert await oauth_round_trip(user, 'github') == '/rooms'
    assert (await user.http_client.get('/rooms')).status_code == 200
    user.http_client.cookies = before
    assert (await user.http_client.get('/rooms')).status_code == 303


async def test_link_github_from_the_profile(user: User, github: FakeOAuthProvider) -> None:
    """A password account links GitHub with `Link GitHub`; the next GitHub login opens that account."""
    mina = await password_login(user)
    await user.open('/profile')
    await user.should_see('Link GitHub')
    await user.should_not_see('Link Kakao')
    target = await oauth_round_trip(user, 'github', action='link')
    assert target == '/profile?oauth_done=linked&provider=github'
    await user.open(target)
    await user.should_see('GitHub is now linked to your account.')
    await user.should_see('GitHub · octo-cat')
    await user.should_not_see('Link GitHub')
    user.find('Log out').click()
    await user.should_see('Welcome back', retries=50)
    assert await oauth_round_trip(user, 'github') == '/rooms'
    await user.open('/profile')
    await user.should_see('@mina')
    assert [link.login for link in await oauth.linked_logins(mina)] == ['octo-cat']


async def test_a_login_linked_to_another_account_is_not_linked_again(
    user: User, github: FakeOAuthProvider
) -> None:
    """GitHub's octo-cat already opens another account: linking it to mina is refused, readably."""
    await oauth_round_trip(user, 'github')
    await user.open('/rooms')
    user.find('Log out').click()
    await user.should_see('Welcome back', retries=50)
    mina = await password_login(user)
    target = await oauth_round_trip(user, 'github', action='link')
    assert target == '/profile?oauth_error=taken&provider=github'
    await user.open(target)
    await user.should_see('This GitHub login is already linked to another account.')
    assert await oauth.linked_logins(mina) == []


async def test_linking_needs_a_signed_in_session_that_started_it(
    user: User, github: FakeOAuthProvider
) -> None:
    """Signed out, /link leads to /login; a link callback finished in another browser links nothing."""
    assert (await user.http_client.get('/auth/github/link')).headers['location'].startswith('/login')
    mina = await password_login(user)
    start = await user.http_client.get('/auth/github/link')
    consent = httpx.get(start.headers['location'], follow_redirects=False)
    callback = urlsplit(consent.headers['location'])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://test') as other:
        finish = await other.get(f'{callback.path}?{callback.query}')
    assert finish.headers['location'].startswith('/login?oauth_error=state')
    assert await oauth.linked_logins(mina) == []


async def test_linking_needs_a_recent_authentication(
    user: User, github: FakeOAuthProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten minutes after the log-in, /link sends back to the profile until the password is confirmed."""
    await password_login(user)
    later(monkeypatch, 10)
    target = (await user.http_client.get('/auth/github/link')).headers['location']
    assert target == '/profile?oauth_error=reauth&provider=github'
    await user.open('/profile')
    user.find(kind=ui.button, content='Link GitHub').click()
    await user.should_see('Confirm it is you', retries=50)
    user.find('Your password').type('amber-kettle-58')
    user.find(marker='reauth-confirm').click()
    await eventually(lambda: user.back_history[-1] == '/auth/github/link')


async def test_a_first_password_needs_a_fresh_provider_round_trip(
    user: User, github: FakeOAuthProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GitHub-only account's session ten minutes old cannot set a password until GitHub confirms again."""
    await oauth_round_trip(user, 'github')
    later(monkeypatch, 10)
    await user.open('/profile')
    user.find('New password').type('amber-kettle-58')
    user.find('Confirm new password').type('amber-kettle-58')
    user.find(kind=ui.button, content='Change password').click()
    await user.should_see('Confirm it is you', retries=50)
    await user.should_see('Confirm with GitHub')
    with pytest.raises(InvalidCredentials):
        await accounts.authenticate('octo_cat', 'amber-kettle-58', client_address='127.0.0.1')
    target = await oauth_round_trip(user, 'github', action='reauth')
    assert target == '/profile?oauth_done=confirmed&provider=github'
    await user.open(target)
    user.find('New password').type('amber-kettle-58')
    user.find('Confirm new password').type('amber-kettle-58')
    user.find(kind=ui.button, content='Change password').click()
    await user.should_see('Password changed', retries=50)
    assert (
        await accounts.authenticate('octo_cat', 'amber-kettle-58', client_address='127.0.0.1')
    ).username == 'octo_cat'


async def test_unlink_needs_a_recent_authentication(
    user: User, github: FakeOAuthProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten minutes after the log-in, `Unlink` asks for the password first."""
    mina = await password_login(user)
    await oauth_round_trip(user, 'github', action='link')
    later(monkeypatch, 10)
    await user.open('/profile')
    user.find(kind=ui.button, content='Unlink').click()
    await user.should_see('Confirm it is you', retries=50)
    user.find('Your password').type('wrong-password')
    user.find(marker='reauth-confirm').click()
    await user.should_see('Wrong username or password', retries=50)
    assert len(await oauth.linked_logins(mina)) == 1
    user.find('Your password').clear().type('amber-kettle-58')
    user.find(marker='reauth-confirm').click()
    await user.should_see('Login unlinked', retries=50)
    assert await oauth.linked_logins(mina) == []
