"""The help allowance: exact under concurrency, apart from replies, admins unlimited."""

import asyncio

import pytest

from services import accounts, help_quota, quota, roles
from services.errors import HelpQuotaExceeded
from services.settings import load_settings

pytestmark = pytest.mark.usefixtures('database')


async def new_user(name: str = 'learner') -> int:
    return (
        await accounts.register(
            name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
        )
    ).id


async def test_concurrent_helpers_get_exactly_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """20 simultaneous helper calls against DAILY_HELP_QUOTA=6: exactly 6 granted, the counter ends at 6."""
    monkeypatch.setenv('DAILY_HELP_QUOTA', '6')
    load_settings()
    user_id = await new_user()
    results = await asyncio.gather(*(help_quota.consume(user_id) for _ in range(20)), return_exceptions=True)
    assert sum(not isinstance(result, BaseException) for result in results) == 6
    assert sum(isinstance(result, HelpQuotaExceeded) for result in results) == 14
    status = await help_quota.status(user_id)
    assert (status.used, status.remaining, status.limit) == (6, 0, 6)


async def test_helpers_never_touch_the_reply_allowance() -> None:
    """Spending help leaves the replies of the day untouched, and the refusal says when help returns."""
    user_id = await new_user()
    for _ in range(50):
        await help_quota.consume(user_id)
    with pytest.raises(HelpQuotaExceeded) as refused:
        await help_quota.consume(user_id)
    assert str(refused.value).startswith('Daily help limit reached: 50 of 50 used.')
    assert (await quota.status(user_id)).used == 0


async def test_a_refund_gives_one_unit_back() -> None:
    """A helper that could not answer gives its unit back, never below zero."""
    user_id = await new_user()
    charged = await help_quota.consume(user_id)
    await help_quota.refund(user_id, charged.day)
    await help_quota.refund(user_id, charged.day)
    assert (await help_quota.status(user_id)).used == 0


async def test_admins_are_unlimited(monkeypatch: pytest.MonkeyPatch) -> None:
    """An administrator's helpers are not counted, even with an allowance of 0."""
    monkeypatch.setenv('DAILY_HELP_QUOTA', '0')
    load_settings()
    user_id = await new_user('boss')
    await roles.promote('boss')
    assert (await help_quota.consume(user_id)).unlimited
    assert (await help_quota.status(user_id)).used == 0
