"""Log-in and sign-up throttling on SQLite and PostgreSQL: per account and address, per address, growing waits."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.engine import sessionmaker
from db.models import ThrottleAttempt
from services import accounts, throttle
from services.errors import InvalidCredentials, LoginThrottled, SignUpThrottled
from services.settings import load_settings

pytestmark = pytest.mark.usefixtures('database')

PASSWORD = 'amber-kettle-58'
HOME = '198.51.100.7'
STRANGER = '203.0.113.9'


async def learner(name: str = 'sora', address: str = HOME) -> accounts.UserInfo:
    return await accounts.register(name, f'{name}@example.com', PASSWORD, PASSWORD, client_address=address)


async def fail(login: str, times: int = 1, address: str = HOME) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            await accounts.authenticate(login, 'bad-password', client_address=address)


async def throttled_for(login: str, address: str = HOME) -> LoginThrottled:
    with pytest.raises(LoginThrottled) as throttled:
        await accounts.authenticate(login, PASSWORD, client_address=address)
    return throttled.value


async def move_attempts_back(seconds: float) -> None:
    """As if `seconds` had passed since every recorded attempt."""
    async with sessionmaker().begin() as session:
        for attempt in (await session.execute(select(ThrottleAttempt))).scalars():
            attempt.attempted_at -= timedelta(seconds=seconds)
            attempt.expires_at -= timedelta(seconds=seconds)


async def test_five_wrong_passwords_make_even_the_right_one_wait() -> None:
    """After 5 failures from one address the correct password waits too, and the message says how long."""
    await learner()
    await fail('sora', 5)
    throttled = await throttled_for('sora@example.com')  # the email shares the account's budget
    assert 0 < throttled.retry_after_seconds <= 30
    assert str(throttled) == 'Too many wrong passwords. Try again in 30 seconds.'


async def test_waits_double_with_each_further_failure() -> None:
    """Past the limit each wrong password doubles the wait (30 s, 60 s, 120 s...) instead of a fixed lock."""
    await learner()
    await fail('sora', 5)
    for expected in (30, 60, 120):
        assert expected - 2 <= (await throttled_for('sora')).retry_after_seconds <= expected
        await move_attempts_back(expected + 1)
        await fail('sora')
    assert 'Try again in 4 minutes' in str(await throttled_for('sora'))


def test_waits_are_capped_by_the_window() -> None:
    """However many failures, a wait never exceeds the window (after which they are forgotten anyway)."""
    window = timedelta(minutes=15)
    assert [throttle.delay(excess, window) for excess in (1, 2, 3, 5, 6, 60, 10_000)] == [
        timedelta(seconds=seconds) for seconds in (30, 60, 120, 480, 900, 900, 900)
    ]


async def test_a_stranger_cannot_lock_the_owner_out() -> None:
    """Many wrong passwords from one address slow that address only; the owner elsewhere logs in at once."""
    await learner()
    await fail('sora', 5, STRANGER)
    results = await asyncio.gather(
        *(accounts.authenticate('sora', f'guess-{i}', client_address=STRANGER) for i in range(20)),
        return_exceptions=True,
    )
    assert all(isinstance(result, LoginThrottled) for result in results)
    assert (await accounts.authenticate('sora', PASSWORD, client_address=HOME)).username == 'sora'
    await throttled_for('sora', STRANGER)


async def test_spraying_many_accounts_from_one_address_is_throttled(monkeypatch: pytest.MonkeyPatch) -> None:
    """One address trying a password at many names gets slowed down; other addresses are not."""
    monkeypatch.setenv('LOGIN_ADDRESS_MAX_FAILURES', '3')
    load_settings()
    await learner()
    for name in ('ghost1', 'ghost2', 'ghost3'):
        await fail(name, address=STRANGER)
    throttled = await throttled_for('ghost4', STRANGER)
    assert 0 < throttled.retry_after_seconds <= 30
    await throttled_for('sora', STRANGER)
    assert (await accounts.authenticate('sora', PASSWORD, client_address=HOME)).username == 'sora'


async def test_a_success_does_not_reset_the_address_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Logging in to one's own account between guesses does not buy an address more guesses."""
    monkeypatch.setenv('LOGIN_ADDRESS_MAX_FAILURES', '3')
    load_settings()
    await learner('mallory', STRANGER)
    await fail('ghost1', 2, STRANGER)
    await accounts.authenticate('mallory', PASSWORD, client_address=STRANGER)
    await fail('ghost2', address=STRANGER)
    await throttled_for('ghost3', STRANGER)


async def test_throttle_lifts_when_failures_leave_the_window() -> None:
    """Failures older than the window no longer count."""
    await learner()
    await fail('sora', 5)
    await move_attempts_back(16 * 60)
    assert (await accounts.authenticate('sora', PASSWORD, client_address=HOME)).username == 'sora'


async def test_success_resets_the_failure_count() -> None:
    """A successful log-in forgets earlier failures of that account from that address."""
    await learner()
    await fail('sora', 4)
    await accounts.authenticate('sora', PASSWORD, client_address=HOME)
    await fail('sora', 4)
    await accounts.authenticate('sora', PASSWORD, client_address=HOME)


async def test_parallel_guesses_cannot_exceed_the_limit() -> None:
    """20 simultaneous wrong guesses: at most 5 are checked, the rest are throttled."""
    await learner('target')
    results = await asyncio.gather(
        *(accounts.authenticate('target', f'guess-{i}', client_address=HOME) for i in range(20)),
        return_exceptions=True,
    )
    checked = sum(isinstance(result, InvalidCredentials) for result in results)
    throttled = sum(isinstance(result, LoginThrottled) for result in results)
    assert checked <= 5
    assert checked + throttled == 20


async def test_unknown_accounts_are_throttled_too() -> None:
    """Guessing at a name that does not exist is limited the same way."""
    await fail('ghost', 5)
    await throttled_for('ghost')


async def test_old_attempts_are_purged() -> None:
    """Attempts past their window are deleted, so the table does not grow without bound."""
    await learner()
    await fail('sora', 3)
    await fail('ghost', 3, STRANGER)
    await move_attempts_back(2 * 60 * 60)
    await fail('jun')
    async with sessionmaker().begin() as session:
        keys = (await session.execute(select(ThrottleAttempt.key))).scalars().all()
    assert len(keys) == 2  # jun's failure: once per account and address, once per address
    await accounts.authenticate('sora', PASSWORD, client_address=HOME)
    async with sessionmaker().begin() as session:
        assert await session.scalar(select(func.count()).select_from(ThrottleAttempt)) == 2


async def test_sign_ups_from_one_address_wait_after_the_limit() -> None:
    """Ten sign-ups an hour from one address; the eleventh waits and says how long; others are unaffected."""
    for number in range(10):
        await learner(f'learner{number}')
    with pytest.raises(SignUpThrottled) as throttled:
        await learner('one_more')
    assert 0 < throttled.value.retry_after_seconds <= 30
    assert str(throttled.value) == 'Too many sign-ups from your network. Try again in 30 seconds.'
    assert (await learner('one_more', STRANGER)).username == 'one_more'
