"""One-click login with GitHub and Kakao (Authlib's Starlette client): sign in, link, create, unlink.

Linking rules: a known (provider, subject) logs its user in. Otherwise the login never signs in to an
existing account, whatever the provider says about the email: local emails are not verified, so
whoever registered an address first would receive the provider's login. A verified email equal to an
existing account's is refused with `email_taken` (log in with the password, then link from the
profile); otherwise a new account is created. Linking happens only from a signed-in session that
proved itself recently (`link`), and a provider login linked to one account is never linked to another.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from db.engine import sessionmaker
from db.models import OAuthAccount, User, utcnow
from i18n import LazyText, _, lazy_text
from services.accounts import UserInfo, require_recent, user_info
from services.errors import AccountDisabled, ServiceError
from services.oauth_providers import PROVIDER_NAMES, OAuthFailed, Profile, fetch_profile
from services.oauth_providers import enabled_providers as enabled_providers  # re-exported for pages/api
from services.oauth_providers import start_login as start_login


class CannotUnlink(ServiceError):
    def __init__(self) -> None:
        super().__init__(lazy_text('Set a password or link another login first: this is your only way in.'))


@dataclass(frozen=True, slots=True)
class LinkedLogin:
    id: int
    provider: str
    provider_name: str
    login: str
    email: str | None
    created_at: datetime
    last_login_at: datetime


async def finish_login(provider: str, request: Request) -> UserInfo:
    """Exchange the code, read the profile, and return the account it signs in (known or new)."""
    return await _sign_in(provider, await fetch_profile(provider, request))


async def finish_link(provider: str, request: Request, user_id: int) -> None:
    """Link the provider login of this round trip to `user_id` (a session that asked for it)."""
    profile = await fetch_profile(provider, request)
    name = PROVIDER_NAMES[provider]
    try:
        async with sessionmaker().begin() as session:
            link = await _link_of(session, provider, profile.subject)
            if link is not None and link.user_id != user_id:
                raise OAuthFailed('taken', _taken(name))
            if link is None:
                if await session.scalar(
                    select(OAuthAccount.id).where(
                        OAuthAccount.user_id == user_id, OAuthAccount.provider == provider
                    )
                ):
                    raise OAuthFailed(
                        'already',
                        lazy_text('Another {name} login is linked already; unlink it first.', name=name),
                    )
                link = OAuthAccount(user_id=user_id, provider=provider, subject=profile.subject)
                session.add(link)
            link.login, link.email, link.last_login_at = profile.login[:100], profile.verified_email, utcnow()
            await session.flush()
    except IntegrityError:  # linked elsewhere by a parallel round trip since the check
        raise OAuthFailed('taken', _taken(name)) from None


async def confirm_identity(provider: str, request: Request, user_id: int) -> None:
    """Proof by a fresh round trip that the session holder controls a login linked to `user_id`."""
    profile = await fetch_profile(provider, request)
    async with sessionmaker().begin() as session:
        link = await _link_of(session, provider, profile.subject)
    if link is None or link.user_id != user_id:
        raise OAuthFailed(
            'not_yours',
            lazy_text('That {name} login is not linked to your account.', name=PROVIDER_NAMES[provider]),
        )


def failure_text(code: str | None, provider: str | None) -> str:
    """Fixed text for the codes the /auth/{provider}/… routes send back (never text taken from the URL),
    in the language being served."""
    if not code:
        return ''
    name = PROVIDER_NAMES.get(provider or '') or _('The provider')
    known = {
        'denied': lazy_text('The login at {name} was cancelled.', name=name),
        'state': lazy_text(
            'The login could not be verified (it expired or was tampered with). Please try again.'
        ),
        'disabled': lazy_text('This account is disabled. Please contact the administrator.'),
        'email_taken': lazy_text(
            'An account with this email already exists. Log in with your password, '
            'then link {name} from your profile.',
            name=name,
        ),
        'taken': _taken(name),
        'already': lazy_text('Another {name} login is linked already; unlink it first.', name=name),
        'not_yours': lazy_text('That {name} login is not linked to your account.', name=name),
        'reauth': lazy_text('For your security, confirm it is you first, then try again.'),
    }
    return str(
        known.get(code) or lazy_text('{name} could not complete the login. Please try again.', name=name)
    )


async def linked_logins(user_id: int) -> list[LinkedLogin]:
    async with sessionmaker().begin() as session:
        rows = (
            await session.execute(
                select(OAuthAccount).where(OAuthAccount.user_id == user_id).order_by(OAuthAccount.id)
            )
        ).scalars()
        return [_linked(row) for row in rows]


async def unlink(user_id: int, link_id: int, reauthenticated_at: datetime | None = None) -> None:
    """Remove a linked login unless it is the account's only way in (no password, no other link).

    Needs an authentication at most REAUTH_MINUTES old (ReauthenticationRequired otherwise).
    """
    async with sessionmaker().begin() as session:
        link = await session.get(OAuthAccount, link_id)
        if link is None or link.user_id != user_id:
            raise OAuthFailed('missing', lazy_text('That login is not linked to your account.'))
        require_recent(reauthenticated_at)
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
        link = await _link_of(session, provider, profile.subject)
        if link is not None:
            user = await session.get(User, link.user_id)
        else:
            if await _user_with_email(session, profile.verified_email) is not None:
                # Never a sign-in by email: the local address was never verified (see the module doc).
                raise OAuthFailed('email_taken', lazy_text('An account with this email already exists.'))
            user = await _new_user(session, provider, profile)
            link = OAuthAccount(user_id=user.id, provider=provider, subject=profile.subject)
            session.add(link)
        assert user is not None
        link.login, link.email, link.last_login_at = profile.login[:100], profile.verified_email, utcnow()
        if not user.is_active:
            raise AccountDisabled
        await session.flush()
        return user_info(user)


async def _link_of(session: AsyncSession, provider: str, subject: str) -> OAuthAccount | None:
    return (
        await session.execute(
            select(OAuthAccount).where(OAuthAccount.provider == provider, OAuthAccount.subject == subject)
        )
    ).scalar_one_or_none()


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


def _taken(name: str) -> LazyText:
    return lazy_text('This {name} login is already linked to another account.', name=name)


def _linked(row: OAuthAccount) -> LinkedLogin:
    return LinkedLogin(
        row.id, row.provider, PROVIDER_NAMES.get(row.provider, row.provider), row.login, row.email,
        row.created_at, row.last_login_at,
    )  # fmt: skip
