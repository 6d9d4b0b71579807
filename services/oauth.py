"""One-click login with GitHub and Kakao (Authlib's Starlette client): sign in, link, create, unlink.

Linking rules: a known (provider, subject) logs its user in; otherwise a *verified* email equal to
an existing account's links to it; otherwise a new account is created. An unverified email never
links, so nobody can take over an account by typing its address at a provider.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from authlib.integrations.starlette_client import OAuth, OAuthError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from db.engine import sessionmaker
from db.models import OAuthAccount, User, utcnow
from services.accounts import UserInfo, user_info
from services.errors import AccountDisabled, ServiceError
from services.settings import Settings, get_settings

PROVIDER_NAMES = {'github': 'GitHub', 'kakao': 'Kakao'}


class OAuthFailed(ServiceError):
    """The provider said no (consent refused), the round trip was tampered with, or it is unreachable."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class CannotUnlink(ServiceError):
    def __init__(self) -> None:
        super().__init__('Set a password or link another login first: this is your only way in.')


@dataclass(frozen=True, slots=True)
class Profile:
    subject: str
    login: str
    nickname: str
    verified_email: str | None


@dataclass(frozen=True, slots=True)
class LinkedLogin:
    id: int
    provider: str
    provider_name: str
    login: str
    email: str | None
    created_at: datetime
    last_login_at: datetime


def enabled_providers(settings: Settings | None = None) -> list[str]:
    """Providers whose client id and secret are both configured (their buttons appear)."""
    settings = settings or get_settings()
    return [name for name in PROVIDER_NAMES if _client_settings(settings, name)[0]]


async def start_login(provider: str, request: Request, redirect_uri: str) -> Response:
    """The redirect to the provider's consent page; Authlib keeps `state` in the signed session."""
    return await _client(provider).authorize_redirect(request, redirect_uri)


async def finish_login(provider: str, request: Request) -> UserInfo:
    """Exchange the code, read the profile, and return the account it signs in (created or linked)."""
    client = _client(provider)
    try:
        token = await client.authorize_access_token(request)
        profile = await (
            _github_profile(client, token) if provider == 'github' else _kakao_profile(client, token)
        )
    except OAuthError as error:
        if error.error == 'mismatching_state' or 'state' in (error.error or ''):
            raise OAuthFailed(
                'state', 'The login could not be verified (it expired or was tampered with).'
            ) from None
        raise OAuthFailed('failed', f'{PROVIDER_NAMES[provider]} refused the login.') from None
    except Exception as error:  # HTTP errors, unexpected JSON: a clear message, never a stack trace
        raise OAuthFailed('failed', f'{PROVIDER_NAMES[provider]} could not be reached.') from error
    return await _sign_in(provider, profile)


async def linked_logins(user_id: int) -> list[LinkedLogin]:
    async with sessionmaker().begin() as session:
        rows = (
            await session.execute(
                select(OAuthAccount).where(OAuthAccount.user_id == user_id).order_by(OAuthAccount.id)
            )
        ).scalars()
        return [_linked(row) for row in rows]


async def unlink(user_id: int, link_id: int) -> None:
    """Remove a linked login unless it is the account's only way in (no password, no other link)."""
    async with sessionmaker().begin() as session:
        link = await session.get(OAuthAccount, link_id)
        if link is None or link.user_id != user_id:
            raise OAuthFailed('missing', 'That login is not linked to your account.')
        user = await session.get(User, user_id)
        others = await session.scalar(
            select(func.count())
            .select_from(OAuthAccount)
            .where(OAuthAccount.user_id == user_id, OAuthAccount.id != link_id)
        )
        if user is None or (user.password_hash is None and not others):
            raise CannotUnlink
        await session.delete(link)


async def _sign_in(provider: str, profile: Profile) -> UserInfo:
    async with sessionmaker().begin() as session:
        link = (
            await session.execute(
                select(OAuthAccount).where(
                    OAuthAccount.provider == provider, OAuthAccount.subject == profile.subject
                )
            )
        ).scalar_one_or_none()
        if link is not None:
            user = await session.get(User, link.user_id)
        else:
            user = await _user_with_email(session, profile.verified_email) or await _new_user(
                session, provider, profile
            )
            link = OAuthAccount(user_id=user.id, provider=provider, subject=profile.subject)
            session.add(link)
        assert user is not None
        link.login, link.email, link.last_login_at = profile.login[:100], profile.verified_email, utcnow()
        if not user.is_active:
            raise AccountDisabled
        await session.flush()
        return user_info(user)


async def _user_with_email(session: AsyncSession, email: str | None) -> User | None:
    if not email:
        return None
    return (await session.execute(select(User).where(User.email == email.lower()))).scalar_one_or_none()


async def _new_user(session: AsyncSession, provider: str, profile: Profile) -> User:
    base = re.sub(r'[^a-z0-9_]', '', profile.login.lower().replace('-', '_'))[:24] or provider
    base = base if len(base) >= 3 else f'{base}_{provider}'
    username = base
    while (await session.execute(select(User.id).where(User.username == username))).first():
        username = f'{base}_{secrets.randbelow(10_000):04d}'
    # Without a verified email the account gets an address nobody receives mail at; it stays unique.
    email = (
        profile.verified_email.lower()
        if profile.verified_email
        else f'{provider}-{profile.subject}@users.invalid'
    )
    user = User(username=username, email=email, password_hash=None, nickname=profile.nickname[:40])
    session.add(user)
    await session.flush()
    return user


async def _github_profile(client, token: dict) -> Profile:
    response = await client.get('user', token=token)
    response.raise_for_status()
    user = response.json()
    email = None
    emails = await client.get('user/emails', token=token)  # the public email may be empty or unverified
    if emails.status_code == 200:
        email = next(
            (item['email'] for item in emails.json() if item.get('primary') and item.get('verified')), None
        )
    return Profile(
        str(user['id']), str(user.get('login') or ''), str(user.get('name') or user.get('login') or ''), email
    )


async def _kakao_profile(client, token: dict) -> Profile:
    response = await client.get('v2/user/me', token=token)
    response.raise_for_status()
    me = response.json()
    account = me.get('kakao_account') or {}
    nickname = str(
        (account.get('profile') or {}).get('nickname') or (me.get('properties') or {}).get('nickname') or ''
    )
    # Kakao says whether the address is verified and still valid; only then may it link accounts.
    verified = (
        account.get('email')
        if account.get('is_email_verified') and account.get('is_email_valid', True)
        else None
    )
    return Profile(str(me['id']), nickname or f'kakao{me["id"]}', nickname, verified)


_registry: tuple[tuple, OAuth] | None = None


def _client(provider: str):
    global _registry
    settings = get_settings()
    key = tuple(_client_settings(settings, name) for name in PROVIDER_NAMES)
    if _registry is None or _registry[0] != key:
        oauth = OAuth()
        for name in enabled_providers(settings):
            client_id, secret, authorize_url, token_url, api_base_url = _client_settings(settings, name)
            oauth.register(
                name=name, client_id=client_id, client_secret=secret, authorize_url=authorize_url,
                access_token_url=token_url, api_base_url=api_base_url,
                client_kwargs={
                    'scope': 'user:email' if name == 'github' else 'profile_nickname account_email',
                    # Kakao accepts the secret only in the form body; GitHub takes either.
                    'token_endpoint_auth_method': 'client_secret_post',
                },
            )  # fmt: skip
        _registry = (key, oauth)
    client = _registry[1].create_client(provider)
    if client is None:
        raise OAuthFailed(
            'disabled', f'Login with {PROVIDER_NAMES.get(provider, provider)} is not configured.'
        )
    return client


def _client_settings(settings: Settings, provider: str) -> tuple:
    client_id = getattr(settings, f'{provider}_client_id')
    secret = getattr(settings, f'{provider}_client_secret')
    if not client_id or secret is None or not secret.get_secret_value():
        return (None, None, None, None, None)
    return (
        client_id,
        secret.get_secret_value(),
        getattr(settings, f'{provider}_authorize_url'),
        getattr(settings, f'{provider}_token_url'),
        getattr(settings, f'{provider}_api_base_url'),
    )


def _linked(row: OAuthAccount) -> LinkedLogin:
    return LinkedLogin(
        row.id, row.provider, PROVIDER_NAMES.get(row.provider, row.provider), row.login, row.email,
        row.created_at, row.last_login_at,
    )  # fmt: skip
