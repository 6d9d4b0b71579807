"""Accounts: sign-up, log-in with throttling, profile and password changes."""

import asyncio
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import User, utcnow
from i18n import SUPPORTED_LANGUAGES, _, current_language, lazy_text, using_language
from services import session_ends, throttle, validation
from services.errors import (
    AccountDisabled,
    InvalidCredentials,
    InvalidInput,
    LoginThrottled,
    ReauthenticationRequired,
    SignUpThrottled,
    UsernameTaken,
    UserNotFound,
)
from services.passwords import hash_password, verify_password
from services.roles import is_admin
from services.rooms import LANGUAGES
from services.settings import Settings, get_settings

USERNAME_TAKEN = lazy_text('This username is already taken.')
# Sign-up creates the account at once (there is no mail server to verify an address), so a free email
# necessarily succeeds where a taken one cannot: no answer can hide that completely. What is possible:
# the refusal does not *confirm* an account (it reads like any unusable address and points the owner
# to log in), it costs as much time as a success (bcrypt runs first), and sign-ups are throttled per
# client address, so probing many addresses is slow. The username must be named: people need to
# pick another, and usernames are public anyway.
EMAIL_REFUSED = lazy_text('This email cannot be used. If it is yours, log in instead.')


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    username: str
    email: str
    nickname: str
    bio: str
    is_admin: bool
    is_active: bool
    has_password: bool
    created_at: datetime
    session_generation: int = 0  # browser sessions begun in an older generation have ended
    native_language: str = 'ko'  # 'My language': explanations, glosses and translations come in it
    ui_language: str | None = None  # 'Interface language'; None: the browser's (Accept-Language)

    @property
    def display_name(self) -> str:
        return self.nickname or self.username


async def register(
    username: str,
    email: str,
    password: str,
    confirmation: str,
    *,
    client_address: str,
    ui_language: str | None = None,
) -> UserInfo:
    """Create an account; raises InvalidInput naming every field that was refused (UsernameTaken when
    the username is in use), or SignUpThrottled after too many sign-ups from `client_address`.
    `ui_language`: the visitor's `Language` menu choice, kept as the account's `Interface language`.

    Refusals are worded for the reader of this request or page event (field messages are strings: the
    API sends them as JSON)."""
    username = validation.normalize_username(username)
    email, email_error = validation.normalize_email(email)
    # zxcvbn is CPU work: a worker thread, like bcrypt.
    errors = await _password_error(password, confirmation, (username, email))
    if username_error := validation.username_error(username):
        errors['username'] = username_error
    if email_error:
        errors['email'] = email_error
    if errors:
        raise InvalidInput(errors)
    # Every well-formed sign-up counts, refused ones too: that also slows down probing for taken names.
    reservation = await throttle.reserve([_signup_limit(client_address, get_settings())])
    if reservation.retry_after_seconds:
        raise SignUpThrottled(reservation.retry_after_seconds)
    password_hash = await hash_password(password)  # before the check: a taken name answers no faster
    try:
        async with sessionmaker().begin() as session:
            await _refuse_taken(session, username, email)
            user = User(username=username, email=email, password_hash=password_hash)
            user.ui_language = ui_language if ui_language in SUPPORTED_LANGUAGES else None
            session.add(user)
            await session.flush()
            return user_info(user)
    except IntegrityError:  # another sign-up with the same name or email won the race since the check
        async with sessionmaker().begin() as session:
            await _refuse_taken(session, username, email)  # refuses with the words for what is taken
        raise UsernameTaken({'username': str(USERNAME_TAKEN)}) from None


async def authenticate(login: str, password: str, *, client_address: str) -> UserInfo:
    """The account for a username-or-email and password, or InvalidCredentials / LoginThrottled.

    Wrong passwords are throttled per account *and client address*, so a stranger elsewhere cannot
    lock the owner out, and per address, so one address cannot spray guesses across many accounts.
    (Per account alone would let anyone lock anyone out; a guesser with many addresses still meets
    zxcvbn-strong passwords.)
    """
    login = login.strip().lower()
    if not login or not password or len(login) > validation.LOGIN_MAX_LENGTH or len(password) > 1000:
        raise InvalidCredentials
    settings = get_settings()
    async with sessionmaker().begin() as session:
        user = await _find_by_login(session, login)
    account_limit, address_limit = _login_limits(
        f'user:{user.id}' if user else f'name:{login}', client_address, settings
    )
    reservation = await throttle.reserve([account_limit, address_limit])
    if reservation.retry_after_seconds:
        raise LoginThrottled(reservation.retry_after_seconds)
    if not await verify_password(password, user.password_hash if user else None):
        raise InvalidCredentials  # the reserved attempts stay as the record of this failure
    # The account's failures from this address are forgotten; the address's failures at other accounts
    # stay, or logging in to one's own account between guesses would reset the spraying budget.
    await throttle.succeeded(reservation, forget=[account_limit.key])
    assert user is not None  # verify_password is never true without an account
    if not user.is_active:
        raise AccountDisabled
    return user_info(user)


async def get_user(user_id: int) -> UserInfo:
    async with sessionmaker().begin() as session:
        return user_info(await _load(session, user_id))


async def get_users(user_ids: Collection[int]) -> dict[int, UserInfo]:
    """The accounts among `user_ids` that exist, by id (one query; the caller bounds the number)."""
    async with sessionmaker().begin() as session:
        found = await session.scalars(select(User).where(User.id.in_(list(user_ids))))
        return {user.id: user_info(user) for user in found}


async def update_profile(user_id: int, nickname: str, bio: str) -> UserInfo:
    nickname, bio = nickname.strip(), bio.strip()
    errors = {
        field: message
        for field, message in {
            'nickname': validation.text_error(
                nickname,
                validation.NICKNAME_MAX_LENGTH,
                _(
                    'Nickname must be at most {max_length} characters.',
                    max_length=validation.NICKNAME_MAX_LENGTH,
                ),
            ),
            'bio': validation.text_error(
                bio,
                validation.BIO_MAX_LENGTH,
                _('Bio must be at most {max_length} characters.', max_length=validation.BIO_MAX_LENGTH),
            ),
        }.items()
        if message
    }
    if errors:
        raise InvalidInput(errors)
    async with sessionmaker().begin() as session:
        user = await _load(session, user_id)
        user.nickname, user.bio = nickname, bio
        await session.flush()
        return user_info(user)


async def change_password(
    user_id: int, current: str, new: str, confirmation: str, reauthenticated_at: datetime | None = None
) -> int:
    """Replace the password and end every other session; returns the account's new session generation.

    The current password is required when the account has one. A first password (an account that so
    far only logs in through GitHub/Kakao) needs an authentication at most REAUTH_MINUTES old
    (`reauthenticated_at`, e.g. a fresh provider round trip), else ReauthenticationRequired: whoever
    merely holds a session must not turn it into a permanent login.
    """
    async with sessionmaker().begin() as session:
        account = await _load(session, user_id)
        password_hash, known_words = account.password_hash, (account.username, account.email)
    errors = await _password_error(new, confirmation, known_words)
    if password_hash is None:
        require_recent(reauthenticated_at)
    elif not await verify_password(current, password_hash):
        errors['current'] = _('Current password is wrong.')
    if errors:
        raise InvalidInput(errors)
    new_hash = await hash_password(new)
    async with sessionmaker().begin() as session:
        (await _load(session, user_id)).password_hash = new_hash
        return await session_ends.end_all_in(session, user_id)


async def confirm_password(user_id: int, password: str, *, client_address: str) -> None:
    """Proof that the session holder knows the account's password (throttled like a log-in)."""
    async with sessionmaker().begin() as session:
        username = (await _load(session, user_id)).username
    await authenticate(username, password, client_address=client_address)


async def set_native_language(user_id: int, language: str) -> UserInfo:
    """Set 'My language' (a code of rooms.LANGUAGES, e.g. 'ko'); raises InvalidInput for any other."""
    if language not in LANGUAGES:
        raise InvalidInput({'native_language': _('Choose one of the listed languages.')})
    async with sessionmaker().begin() as session:
        user = await _load(session, user_id)
        user.native_language = language
        await session.flush()
        return user_info(user)


async def set_ui_language(user_id: int, language: str | None) -> UserInfo:
    """Set 'Interface language' ('en', 'ko' or 'ja'; None follows the browser); InvalidInput for any other."""
    if language is not None and language not in SUPPORTED_LANGUAGES:
        raise InvalidInput({'ui_language': _('Choose one of the listed languages.')})
    async with sessionmaker().begin() as session:
        user = await _load(session, user_id)
        user.ui_language = language
        await session.flush()
        return user_info(user)


async def _refuse_taken(session: AsyncSession, username: str, email: str) -> None:
    taken = (
        await session.execute(
            select(User.username, User.email).where((User.username == username) | (User.email == email))
        )
    ).all()
    errors = {}
    if any(row.username == username for row in taken):
        errors['username'] = str(USERNAME_TAKEN)
    if any(row.email == email for row in taken):
        errors['email'] = str(EMAIL_REFUSED)
    if 'username' in errors:
        raise UsernameTaken(errors)
    if errors:
        raise InvalidInput(errors)


async def _password_error(password: str, confirmation: str, known_words: tuple[str, str]) -> dict[str, str]:
    """validation.password_error in a worker thread (zxcvbn is CPU work, like bcrypt), worded in the
    language being served here: a page event's language lives on its client, which the thread cannot see."""
    with using_language(current_language()):
        return await asyncio.to_thread(validation.password_error, password, confirmation, known_words)


async def _find_by_login(session: AsyncSession, login: str) -> User | None:
    column = User.email if '@' in login else User.username
    return (await session.execute(select(User).where(column == login))).scalar_one_or_none()


def _login_limits(
    account: str, client_address: str, settings: Settings
) -> tuple[throttle.Limit, throttle.Limit]:
    """The limits of one log-in attempt: this account from this address, and this address overall."""
    address = throttle.address_part(client_address)
    window = timedelta(seconds=settings.login_failure_window_seconds)
    return (
        throttle.Limit(f'login-account:{account}@{address}', settings.login_max_failures, window),
        throttle.Limit(f'login-address:{address}', settings.login_address_max_failures, window),
    )


def _signup_limit(client_address: str, settings: Settings) -> throttle.Limit:
    return throttle.Limit(
        f'signup:{throttle.address_part(client_address)}',
        settings.signup_address_max,
        timedelta(seconds=settings.signup_window_seconds),
    )


async def _load(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound
    return user


def require_recent(proved_at: datetime | None) -> None:
    """ReauthenticationRequired unless `proved_at` lies within the last REAUTH_MINUTES."""
    if proved_at is None or utcnow() - proved_at > timedelta(minutes=get_settings().reauth_minutes):
        raise ReauthenticationRequired


def user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        email=user.email,
        nickname=user.nickname,
        bio=user.bio,
        is_admin=is_admin(user),
        is_active=user.is_active,
        has_password=user.password_hash is not None,
        created_at=user.created_at,
        session_generation=user.session_generation,
        native_language=user.native_language,
        ui_language=user.ui_language,
    )
