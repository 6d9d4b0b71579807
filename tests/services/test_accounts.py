"""Accounts service on SQLite and PostgreSQL: sign-up rules, log-in, profile, password (throttling:
test_login_throttle.py)."""

import asyncio
import dataclasses

import pytest
from sqlalchemy import update

from db.engine import sessionmaker
from db.models import User
from services import accounts
from services.errors import AccountDisabled, InvalidCredentials, InvalidInput
from services.settings import load_settings

pytestmark = pytest.mark.usefixtures('database')


async def test_register_returns_frozen_info_and_normalizes() -> None:
    """Sign-up lowercases username and email and returns an immutable snapshot."""
    user = await accounts.register(
        '  Mina_01 ', 'Mina@Example.COM', 'correct horse', 'correct horse', client_address='127.0.0.1'
    )
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
        await accounts.register('ab', 'not-an-email', 'short', 'different', client_address='127.0.0.1')
    assert set(refused.value.field_errors) == {'username', 'email', 'password', 'confirm'}
    assert 'at least 8' in refused.value.field_errors['password']
    assert refused.value.field_errors['confirm'] == 'Passwords do not match.'


@pytest.mark.parametrize('username', ['has space', 'UPPER-dash', 'x' * 31, '한국어이름'])
async def test_register_refuses_bad_usernames(username: str) -> None:
    """Only 3-30 of a-z, 0-9 and _ are accepted."""
    with pytest.raises(InvalidInput) as refused:
        await accounts.register(
            username, 'a@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
        )
    assert 'username' in refused.value.field_errors


async def test_register_refuses_overlong_password() -> None:
    """Passwords beyond bcrypt's limit are refused rather than silently truncated."""
    with pytest.raises(InvalidInput) as refused:
        await accounts.register('longpw', 'a@example.com', '가' * 30, '가' * 30, client_address='127.0.0.1')
    assert 'at most' in refused.value.field_errors['password']


async def test_register_refuses_duplicates_case_insensitively() -> None:
    """A taken username (in any case) says so; a taken email is refused without confirming it is registered."""
    await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    with pytest.raises(InvalidInput) as refused:
        await accounts.register(
            'MINA', 'MINA@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
        )
    assert refused.value.field_errors == {
        'username': 'This username is already taken.',
        'email': 'This email cannot be used. If it is yours, log in instead.',
    }


async def test_a_taken_email_is_not_confirmed() -> None:
    """Signing up with someone's email never says an account with it exists."""
    await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    with pytest.raises(InvalidInput) as refused:
        await accounts.register(
            'prober', 'Mina@Example.com', 'violet-canyon-94', 'violet-canyon-94', client_address='127.0.0.1'
        )
    assert refused.value.field_errors == {
        'email': 'This email cannot be used. If it is yours, log in instead.'
    }
    assert 'exist' not in str(refused.value) and 'registered' not in str(refused.value)


@pytest.mark.parametrize(
    ('password', 'reason'),
    [
        ('password', 'This is a top-10 common password.'),
        ('12345678', 'This is a top-10 common password.'),
        ('qwerty123', 'This is a very common password.'),
        ('iloveyou2', 'This is a very common password.'),
    ],
)
async def test_common_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    """zxcvbn's verdict: a common password is refused, saying why and what would help."""
    with pytest.raises(InvalidInput) as refused:
        await accounts.register('mina', 'mina@example.com', password, password, client_address='127.0.0.1')
    message = refused.value.field_errors['password']
    assert message.startswith('This password is too easy to guess.')
    assert reason in message and 'Add another word or two.' in message


async def test_a_password_made_of_ones_own_name_is_refused() -> None:
    """The username and email count as known words: strong for anyone else, weak for this learner."""
    with pytest.raises(InvalidInput) as refused:
        await accounts.register(
            'haneul_park',
            'haneul.park@example.com',
            'haneul.park.92',
            'haneul.park.92',
            client_address='127.0.0.1',
        )
    assert set(refused.value.field_errors) == {'password'}
    created = await accounts.register(
        'jiwoo', 'jiwoo@example.com', 'haneul.park.92', 'haneul.park.92', client_address='127.0.0.1'
    )
    assert created.username == 'jiwoo'


async def test_concurrent_duplicate_signups_create_one_account() -> None:
    """Racing sign-ups with the same name: exactly one succeeds, the others get a readable refusal."""
    results = await asyncio.gather(
        *(
            accounts.register(
                'racer',
                f'racer{i}@example.com',
                'amber-kettle-58',
                'amber-kettle-58',
                client_address='127.0.0.1',
            )
            for i in range(5)
        ),
        return_exceptions=True,
    )
    assert sum(not isinstance(result, Exception) for result in results) == 1
    assert all(isinstance(result, InvalidInput) for result in results if isinstance(result, Exception))


async def test_authenticate_by_username_or_email() -> None:
    """Either the username or the email logs in, in any case."""
    created = await accounts.register(
        'jun', 'jun@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    assert (
        await accounts.authenticate('JUN', 'amber-kettle-58', client_address='127.0.0.1')
    ).id == created.id
    assert (
        await accounts.authenticate('Jun@Example.com', 'amber-kettle-58', client_address='127.0.0.1')
    ).id == created.id


@pytest.mark.parametrize(
    ('login', 'password'), [('jun', 'wrong-pass'), ('nobody', 'amber-kettle-58'), ('', ''), ('jun', '')]
)
async def test_authenticate_refuses_with_one_message(login: str, password: str) -> None:
    """Wrong password and unknown account give the same message (no account enumeration)."""
    await accounts.register(
        'jun', 'jun@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    with pytest.raises(InvalidCredentials, match='Wrong username or password'):
        await accounts.authenticate(login, password, client_address='127.0.0.1')


async def test_disabled_account_cannot_log_in() -> None:
    """The right password on a disabled account says the account is disabled."""
    user = await accounts.register(
        'off', 'off@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    async with sessionmaker().begin() as session:
        await session.execute(update(User).where(User.id == user.id).values(is_active=False))
    with pytest.raises(AccountDisabled):
        await accounts.authenticate('off', 'amber-kettle-58', client_address='127.0.0.1')
    assert not (await accounts.get_user(user.id)).is_active


async def test_update_profile_and_limits() -> None:
    """Nickname and bio are saved trimmed; over-long values are refused per field."""
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
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
    user = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    with pytest.raises(InvalidInput) as refused:
        await accounts.change_password(user.id, 'not-it', 'violet-canyon-94', 'violet-canyon-94')
    assert refused.value.field_errors == {'current': 'Current password is wrong.'}
    with pytest.raises(InvalidInput) as refused:
        await accounts.change_password(user.id, 'amber-kettle-58', 'violet-canyon-94', 'silver-meadow-27')
    assert refused.value.field_errors == {'confirm': 'Passwords do not match.'}
    await accounts.change_password(user.id, 'amber-kettle-58', 'violet-canyon-94', 'violet-canyon-94')
    assert (await accounts.authenticate('mina', 'violet-canyon-94', client_address='127.0.0.1')).id == user.id
    with pytest.raises(InvalidCredentials):
        await accounts.authenticate('mina', 'amber-kettle-58', client_address='127.0.0.1')


async def test_admin_usernames_never_makes_a_new_account_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing up under a name in ADMIN_USERNAMES gives no admin right (only existing accounts are promoted)."""
    monkeypatch.setenv('ADMIN_USERNAMES', 'Teacher, other')
    load_settings()
    teacher = await accounts.register(
        'teacher', 'teacher@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    assert not teacher.is_admin
    assert not (await accounts.get_user(teacher.id)).is_admin
