"""Daily quota: exact under concurrency, per-day in QUOTA_TIMEZONE, refunds, grants, admins."""

import asyncio
from datetime import UTC, date, datetime

import pytest

from db.engine import sessionmaker
from services import accounts, quota, roles
from services.errors import QuotaExceeded
from services.settings import load_settings

pytestmark = pytest.mark.usefixtures('database')


async def consume(user_id: int, now: datetime | None = None) -> date | None:
    """Charge one reply; the day charged, None when not counted (admins)."""
    async with sessionmaker().begin() as session:
        charged = await quota.consume_in(session, user_id, now)
    return None if charged.unlimited else charged.day


async def new_user(name: str = 'learner') -> int:
    return (
        await accounts.register(
            name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
        )
    ).id


async def test_thirty_concurrent_consumers_get_exactly_the_limit() -> None:
    """30 simultaneous requests against a limit of 5: exactly 5 granted, the counter ends at 5."""
    user_id = await new_user()
    results = await asyncio.gather(*(consume(user_id) for _ in range(30)), return_exceptions=True)
    granted = [result for result in results if not isinstance(result, BaseException)]
    refused = [result for result in results if isinstance(result, QuotaExceeded)]
    assert (len(granted), len(refused)) == (5, 25)
    assert (await quota.status(user_id)).used == 5


async def test_concurrent_users_do_not_share_a_budget() -> None:
    """Three users consuming at once each get their own five."""
    users = [await new_user(f'user{i}') for i in range(3)]
    results = await asyncio.gather(
        *(consume(user_id) for user_id in users for _ in range(8)), return_exceptions=True
    )
    assert sum(not isinstance(result, BaseException) for result in results) == 15
    assert [(await quota.status(user_id)).remaining for user_id in users] == [0, 0, 0]


async def test_status_counts_down_and_names_the_reset_time() -> None:
    """Remaining goes 5 → 4 and the reset is the next midnight in Asia/Seoul."""
    user_id = await new_user()
    now = datetime(2026, 11, 22, 14, 30, tzinfo=UTC)  # 23:30 in Seoul
    assert (await quota.status(user_id, now)).remaining == 5
    assert await consume(user_id, now) == datetime(2026, 11, 22).date()
    current = await quota.status(user_id, now)
    assert (current.used, current.remaining, current.limit) == (1, 4, 5)
    assert current.resets_at.isoformat() == '2026-11-23T00:00:00+09:00'


async def test_the_day_turns_at_midnight_in_the_quota_timezone() -> None:
    """At 00:00 Seoul time (15:00 UTC) the allowance is full again."""
    user_id = await new_user()
    before_midnight = datetime(2026, 11, 22, 14, 59, tzinfo=UTC)
    after_midnight = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
    for _ in range(5):
        await consume(user_id, before_midnight)
    with pytest.raises(QuotaExceeded) as refused:
        await consume(user_id, before_midnight)
    assert 'Daily limit reached' in str(refused.value)
    assert await consume(user_id, after_midnight) == datetime(2026, 11, 23).date()


async def test_refund_gives_one_back_and_never_goes_negative() -> None:
    """A refund restores a unit; refunding an unused day changes nothing."""
    user_id = await new_user()
    day = await consume(user_id)
    async with sessionmaker().begin() as session:
        await quota.refund_in(session, user_id, day)
        await quota.refund_in(session, user_id, day)
    assert (await quota.status(user_id)).used == 0


async def test_daily_quota_setting_and_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """DAILY_QUOTA sets the allowance; 0 allows nothing until an admin grants extra."""
    monkeypatch.setenv('DAILY_QUOTA', '0')
    load_settings()
    user_id = await new_user()
    with pytest.raises(QuotaExceeded):
        await consume(user_id)
    granted = await quota.grant_extra(user_id, 2)
    assert (granted.limit, granted.remaining) == (2, 2)
    await consume(user_id)
    await consume(user_id)
    with pytest.raises(QuotaExceeded):
        await consume(user_id)


async def test_grant_adds_to_todays_allowance() -> None:
    """An admin's grant raises today's limit on top of the daily quota."""
    user_id = await new_user()
    for _ in range(5):
        await consume(user_id)
    await quota.grant_extra(user_id, 3)
    results = await asyncio.gather(*(consume(user_id) for _ in range(10)), return_exceptions=True)
    assert sum(not isinstance(result, BaseException) for result in results) == 3


async def test_admins_are_not_counted() -> None:
    """Admin accounts are never charged and see an unlimited allowance."""
    user_id = await new_user('teacher')
    await roles.promote('teacher')
    assert [await consume(user_id) for _ in range(7)] == [None] * 7
    current = await quota.status(user_id)
    assert current.unlimited
    assert not current.exhausted
