"""Accounts: sign-up, log-in with throttling, profile and password changes."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import sessionmaker
from db.models import LoginFailure, User, utcnow
from services import validation
from services.errors import AccountDisabled, InvalidCredentials, InvalidInput, LoginThrottled, UserNotFound
from services.passwords import hash_password, verify_password
from services.roles import is_admin
from services.rooms import LANGUAGES
from services.settings import Settings, get_settings


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
    native_language: str = 'ko'  # 'My language': explanations, glosses and translations come in it

    @property
    def display_name(self) -> str:
        return self.nickname or self.username


async def register(username: str, email: str, password: str, confirmation: str) -> UserInfo:
    """Create an account; raises InvalidInput naming every field that was refused."""
    username = validation.normalize_username(username)
    email, email_error = validation.normalize_email(email)
    errors = validation.password_error(password, confirmation)
    if username_error := validation.username_error(username):
        errors['username'] = username_error
    if email_error:
        errors['email'] = email_error
    if errors:
        raise InvalidInput(errors)
    password_hash = await hash_password(password)
    async with sessionmaker().begin() as session:
        await _refuse_taken(session, username, email)
        user = User(username=username, email=email, password_hash=password_hash)
        session.add(user)
        try:
            await session.flush()
        except IntegrityError:  # another sign-up with the same name won the race since the check
            raise InvalidInput({'username': 'This username or email is already registered.'}) from None
        return user_info(user)


async def authenticate(login: str, password: str) -> UserInfo:
    """The account for a username-or-email and password, or InvalidCredentials / LoginThrottled."""
    login = login.strip().lower()
    if not login or not password or len(login) > validation.LOGIN_MAX_LENGTH or len(password) > 1000:
        raise InvalidCredentials
    settings = get_settings()
    # Reserve the attempt in its own committed transaction *before* checking the password: the k-th
    # committed attempt always counts at least k rows, so parallel guesses cannot slip past the limit,
    # and bcrypt never runs while a transaction holds locks.
    async with sessionmaker().begin() as session:
        user = await _find_by_login(session, login)
        throttle_key = f'user:{user.id}' if user else f'login:{login}'
        attempt = LoginFailure(throttle_key=throttle_key, user_id=user.id if user else None)
        session.add(attempt)
    async with sessionmaker().begin() as session:
        retry_after = await _retry_after(session, throttle_key, settings)
        if retry_after:
            await session.execute(delete(LoginFailure).where(LoginFailure.id == attempt.id))
            raise LoginThrottled(retry_after)
    if not await verify_password(password, user.password_hash if user else None):
        raise InvalidCredentials  # the reserved row stays as the record of this failure
    async with sessionmaker().begin() as session:
        await session.execute(delete(LoginFailure).where(LoginFailure.throttle_key == throttle_key))
    assert user is not None  # verify_password is never true without an account
    if not user.is_active:
        raise AccountDisabled
    return user_info(user)


async def get_user(user_id: int) -> UserInfo:
    async with sessionmaker().begin() as session:
        return user_info(await _load(session, user_id))


async def update_profile(user_id: int, nickname: str, bio: str) -> UserInfo:
    nickname, bio = nickname.strip(), bio.strip()
    errors = {
        field: message
        for field, message in {
            'nickname': validation.text_error('Nickname', nickname, validation.NICKNAME_MAX_LENGTH),
            'bio': validation.text_error('Bio', bio, validation.BIO_MAX_LENGTH),
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


async def change_password(user_id: int, current: str, new: str, confirmation: str) -> None:
    """Replace the password; the current one is required when the account has one."""
    errors = validation.password_error(new, confirmation)
    async with sessionmaker().begin() as session:
        password_hash = (await _load(session, user_id)).password_hash
    if password_hash is not None and not await verify_password(current, password_hash):
        errors['current'] = 'Current password is wrong.'
    if errors:
        raise InvalidInput(errors)
    new_hash = await hash_password(new)
    async with sessionmaker().begin() as session:
        (await _load(session, user_id)).password_hash = new_hash


async def set_native_language(user_id: int, language: str) -> UserInfo:
    """Set 'My language' (a code of rooms.LANGUAGES, e.g. 'ko'); raises InvalidInput for any other."""
    if language not in LANGUAGES:
        raise InvalidInput({'native_language': 'Choose one of the listed languages.'})
    async with sessionmaker().begin() as session:
        user = await _load(session, user_id)
        user.native_language = language
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
        errors['username'] = 'This username is already taken.'
    if any(row.email == email for row in taken):
        errors['email'] = 'An account with this email already exists.'
    if errors:
        raise InvalidInput(errors)


async def _find_by_login(session: AsyncSession, login: str) -> User | None:
    column = User.email if '@' in login else User.username
    return (await session.execute(select(User).where(column == login))).scalar_one_or_none()


async def _retry_after(session: AsyncSession, throttle_key: str, settings: Settings) -> int:
    """Seconds until another attempt is allowed, 0 when this one may go ahead."""
    window = timedelta(seconds=settings.login_failure_window_seconds)
    now = utcnow()
    recent = (
        (
            await session.execute(
                select(LoginFailure.failed_at)
                .where(LoginFailure.throttle_key == throttle_key, LoginFailure.failed_at > now - window)
                .order_by(LoginFailure.failed_at)
            )
        )
        .scalars()
        .all()
    )
    excess = len(recent) - settings.login_max_failures
    if excess <= 0:
        return 0
    # Enough of the oldest attempts must leave the window to bring the count back under the limit.
    frees_at = recent[excess - 1] + window
    return max(1, int((frees_at - now).total_seconds()) + 1)


async def _load(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound
    return user


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
        native_language=user.native_language,
    )
