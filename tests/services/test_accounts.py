"""Accounts service on SQLite and PostgreSQL: sign-up rules, log-in, throttling, profile, password."""

import asyncio
import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import update

from db.engine import sessionmaker
from db.models import LoginFailure, User, utcnow
from services import accounts
from services.errors import AccountDisabled, InvalidCredentials, InvalidInput, LoginThrottled
from services.settings import load_settings

pytestmark = pytest.mark.usefixtures('database')


async def test_register_returns_frozen_info_and_normalizes() -> None:
    """Sign-up lowercases username and email and returns an immutable snapshot."""
    user = await accounts.register('  Mina_01 ', 'Mina@Example.COM', 'correct horse', 'correct horse')
    assert (user.username, user.email, user.has_password, user.is_admin) == (
        'mina_01',
        'mina@example.com',
        True,
        False,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        user.username = 'other'  # type: ignore[misc]


async def test_register_reports_every_bad_field() -> None:
    """All refused fields are named at once with a readable message."""
    with pytest.raises(InvalidInput) as refused:
        await accounts.register('ab', 'not-an-email', 'short', 'different')
    assert set(refused.value.field_errors) == {'username', 'email', 'password', 'confirm'}
    assert 'at least 8' in refused.value.field_errors['password']
    assert refused.value.field_errors['confirm'] == 'Passwords do not match.'


@pytest.mark.parametrize('username', ['has space', 'UPPER-dash', 'x' * 31, '한국어이름'])
async def test_register_refuses_bad_usernames(username: str) -> None:
    """Only 3-30 of a-z, 0-9 and _ are accepted."""
    with pytest.raises(InvalidInput) as refused:
        await accounts.register(username, 'a@example.com', 'password1', 'password1')
    assert 'username' in refused.value.field_errors


async def test_register_refuses_overlong_password() -> None:
    """Passwords beyond bcrypt's limit are refused rather than silently truncated."""
    with pytest.raises(InvalidInput) as refused:
        await accounts.register('longpw', 'a@example.com', '가' * 30, '가' * 30)
    assert 'at most' in refused.value.field_errors['password']


async def test_register_refuses_duplicates_case_insensitively() -> None:
    """A taken username or email (in any case) is refused with a message per field."""
    await accounts.register('mina', 'mina@example.com', 'password1', 'password1')
    with pytest.raises(InvalidInput) as refused:
        await accounts.register('MINA', 'MINA@example.com', 'password1', 'password1')
    assert refused.value.field_errors == {
        'username': 'This username is already taken.',
        'email': 'An account with this email already exists.',
    }


async def test_concurrent_duplicate_signups_create_one_account() -> None:
    """Racing sign-ups with the same name: exactly one succeeds, the others get a readable refusal."""
    results = await asyncio.gather(
        *(accounts.register('racer', f'racer{i}@example.com', 'password1', 'password1') for i in range(5)),
        return_exceptions=True,
    )
    assert sum(not isinstance(result, Exception) for result in results) == 1
    assert all(isinstance(result, InvalidInput) for result in results if isinstance(result, Exception))


async def test_authenticate_by_username_or_email() -> None:
    """Either the username or the email logs in, in any case."""
    created = await accounts.register('jun', 'jun@example.com', 'password1', 'password1')
    assert (await accounts.authenticate('JUN', 'password1')).id == created.id
    assert (await accounts.authenticate('Jun@Example.com', 'password1')).id == created.id


@pytest.mark.parametrize(
    ('login', 'password'), [('jun', 'wrong-pass'), ('nobody', 'password1'), ('', ''), ('jun', '')]
)
async def test_authenticate_refuses_with_one_message(login: str, password: str) -> None:
    """Wrong password and unknown account give the same message (no account enumeration)."""
    await accounts.register('jun', 'jun@example.com', 'password1', 'password1')
    with pytest.raises(InvalidCredentials, match='Wrong username or password'):
        await accounts.authenticate(login, password)


async def test_five_wrong_passwords_throttle_even_the_right_one() -> None:
    """After 5 failures in the window, the correct password also waits, with a retry time."""
    await accounts.register('sora', 'sora@example.com', 'password1', 'password1')
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await accounts.authenticate('sora', 'bad-password')
    with pytest.raises(LoginThrottled) as throttled:
        await accounts.authenticate('sora@example.com', 'password1')  # email shares the account's budget
    assert 0 < throttled.value.retry_after_seconds <= 15 * 60
    assert 'Try again in 15 minutes' in str(throttled.value)


async def test_throttle_lifts_when_failures_leave_the_window() -> None:
    """Failures older than the window no longer count."""
    await accounts.register('sora', 'sora@example.com', 'password1', 'password1')
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await accounts.authenticate('sora', 'bad-password')
    async with sessionmaker().begin() as session:
        await session.execute(update(LoginFailure).values(failed_at=utcnow() - timedelta(minutes=16)))
    assert (await accounts.authenticate('sora', 'password1')).username == 'sora'


async def test_success_resets_the_failure_count() -> None:
    """A successful log-in forgets earlier failures."""
    await accounts.register('sora', 'sora@example.com', 'password1', 'password1')
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await accounts.authenticate('sora', 'bad-password')
    await accounts.authenticate('sora', 'password1')
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await accounts.authenticate('sora', 'bad-password')
    await accounts.authenticate('sora', 'password1')


async def test_parallel_guesses_cannot_exceed_the_limit() -> None:
    """20 simultaneous wrong guesses: at most 5 are checked, the rest are throttled."""
    await accounts.register('target', 'target@example.com', 'password1', 'password1')
    results = await asyncio.gather(
        *(accounts.authenticate('target', f'guess-{i}') for i in range(20)), return_exceptions=True
    )
    checked = sum(isinstance(result, InvalidCredentials) for result in results)
    throttled = sum(isinstance(result, LoginThrottled) for result in results)
    assert checked <= 5
    assert checked + throttled == 20


async def test_unknown_accounts_are_throttled_too() -> None:
    """Guessing at a name that does not exist is limited the same way."""
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await accounts.authenticate('ghost', 'whatever1')
    with pytest.raises(LoginThrottled):
        await accounts.authenticate('ghost', 'whatever1')


async def test_disabled_account_cannot_log_in() -> None:
    """The right password on a disabled account says the account is disabled."""
    user = await accounts.register('off', 'off@example.com', 'password1', 'password1')
    async with sessionmaker().begin() as session:
        await session.execute(update(User).where(User.id == user.id).values(is_active=False))
    with pytest.raises(AccountDisabled):
        await accounts.authenticate('off', 'password1')
    assert not (await accounts.get_user(user.id)).is_active


async def test_update_profile_and_limits() -> None:
    """Nickname and bio are saved trimmed; over-long values are refused per field."""
    user = await accounts.register('mina', 'mina@example.com', 'password1', 'password1')
    updated = await accounts.update_profile(user.id, ' 민아 ', 'Learning English for interviews.')
    assert (updated.nickname, updated.display_name, updated.bio) == (
        '민아',
        '민아',
        'Learning English for interviews.',
    )
    with pytest.raises(InvalidInput) as refused:
        await accounts.update_profile(user.id, 'n' * 41, 'b' * 301)
    assert set(refused.value.field_errors) == {'nickname', 'bio'}
    assert (await accounts.get_user(user.id)).nickname == '민아'


async def test_change_password_needs_the_current_one() -> None:
    """The old password must be given; afterwards only the new one works."""
    user = await accounts.register('mina', 'mina@example.com', 'password1', 'password1')
    with pytest.raises(InvalidInput) as refused:
        await accounts.change_password(user.id, 'not-it', 'password2', 'password2')
    assert refused.value.field_errors == {'current': 'Current password is wrong.'}
    with pytest.raises(InvalidInput) as refused:
        await accounts.change_password(user.id, 'password1', 'password2', 'password3')
    assert refused.value.field_errors == {'confirm': 'Passwords do not match.'}
    await accounts.change_password(user.id, 'password1', 'password2', 'password2')
    assert (await accounts.authenticate('mina', 'password2')).id == user.id
    with pytest.raises(InvalidCredentials):
        await accounts.authenticate('mina', 'password1')


async def test_admin_usernames_never_makes_a_new_account_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing up under a name in ADMIN_USERNAMES gives no admin right (only existing accounts are promoted)."""
    monkeypatch.setenv('ADMIN_USERNAMES', 'Teacher, other')
    load_settings()
    teacher = await accounts.register('teacher', 'teacher@example.com', 'password1', 'password1')
    assert not teacher.is_admin
    assert not (await accounts.get_user(teacher.id)).is_admin
