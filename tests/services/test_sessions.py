"""Browser sessions: when they end (generation, idle, lifetime) and single-use log-in tickets."""

from datetime import UTC, datetime, timedelta

import pytest

import services.sessions
from services import accounts, admin, roles, sessions
from services.settings import load_settings

pytestmark = pytest.mark.usefixtures('database')


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(services.sessions, 'utcnow', lambda: moment)


async def test_a_session_survives_until_its_generation_moves_on() -> None:
    """A session holds until the account logs out everywhere."""
    mina = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    record = sessions.new_session(mina, reauthenticated=True)
    assert (await sessions.signed_in_user(record)).id == mina.id
    await sessions.log_out_everywhere(mina.id)
    assert await sessions.signed_in_user(record) is None
    assert record == {}


async def test_many_sessions_are_judged_together() -> None:
    """Open pages' sessions checked at once: a live one holds, an ended one and a deleted account's are
    emptied, a signed-out one stays signed out."""
    mina = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    jun = await accounts.register(
        'jun', 'jun@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.2'
    )
    ended = sessions.new_session(mina, reauthenticated=True)
    await sessions.log_out_everywhere(mina.id)
    live = sessions.new_session(jun, reauthenticated=True)
    gone = sessions.new_session(jun, reauthenticated=True) | {'user_id': jun.id + 100}
    signed_out: dict = {}
    users = await sessions.signed_in_users([live, ended, gone, signed_out])
    assert [user.id if user else None for user in users] == [jun.id, None, None, None]
    assert ended == {} and gone == {} and live['user_id'] == jun.id


async def test_disable_ends_sessions_for_good() -> None:
    """A session from before an admin's Disable does not come back when the account is enabled again."""
    boss = await accounts.register(
        'boss', 'boss@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await roles.promote('boss')
    mina = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    record = sessions.new_session(mina, reauthenticated=True)
    await admin.set_active(boss.id, mina.id, False)
    await admin.set_active(boss.id, mina.id, True)
    assert await sessions.signed_in_user(record) is None


async def test_idle_and_absolute_lifetime(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unused for SESSION_IDLE_MINUTES, or SESSION_MAX_HOURS after the log-in, a session has ended."""
    monkeypatch.setenv('SESSION_IDLE_MINUTES', '30')
    monkeypatch.setenv('SESSION_MAX_HOURS', '2')
    load_settings()
    mina = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    start = datetime.now(UTC)
    at(monkeypatch, start)
    idle = sessions.new_session(mina, reauthenticated=True)
    busy = sessions.new_session(mina, reauthenticated=True)
    for minutes in (20, 40, 60, 80, 100, 119):  # `busy` is used every 20 minutes
        at(monkeypatch, start + timedelta(minutes=minutes))
        assert await sessions.signed_in_user(busy) is not None
    assert await sessions.signed_in_user(idle) is None
    at(monkeypatch, start + timedelta(minutes=121))
    assert await sessions.signed_in_user(busy) is None


async def test_a_ticket_works_once_in_its_own_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ticket redeems once, only with the record it was issued in, and only within a minute."""
    mine, other = {}, {}
    token = sessions.issue_ticket(mine, 7, '/rooms', reauthenticated=True)
    assert sessions.redeem_ticket(other, token) is None
    assert sessions.redeem_ticket(mine, token) == sessions.Ticket(7, '/rooms', True)
    assert sessions.redeem_ticket(mine, token) is None
    stale = sessions.issue_ticket(mine, 7, '/rooms', reauthenticated=True)
    at(monkeypatch, datetime.now(UTC) + timedelta(seconds=sessions.TICKET_SECONDS + 1))
    assert sessions.redeem_ticket(mine, stale) is None
    assert sessions.redeem_ticket(mine, 'forged') is None
