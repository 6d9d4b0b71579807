"""Administration: the account list with usage, grants, limits, disabling, and who may do any of it."""

import pytest

from db.engine import sessionmaker
from db.models import Message, Room
from services import accounts, admin, api_tokens, quota, roles
from services.errors import AccountDisabled, InvalidInput, NotAnAdmin, QuotaExceeded, UserNotFound

pytestmark = pytest.mark.usefixtures('database')


async def new_user(name: str) -> int:
    """A new account; `boss` is made the admin of these tests."""
    user_id = (
        await accounts.register(
            name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
        )
    ).id
    if name == 'boss':
        await roles.promote(name)
    return user_id


async def spend(user_id: int, replies: int) -> None:
    for _ in range(replies):
        async with sessionmaker().begin() as session:
            await quota.consume_in(session, user_id)


async def test_list_shows_usage_limits_and_totals() -> None:
    """Each account with today's usage, its limit, replies ever, rooms and last activity; newest first."""
    boss, mina = await new_user('boss'), await new_user('mina')
    await spend(mina, 2)
    async with sessionmaker().begin() as session:
        room = Room(
            user_id=mina, title='Café', language='en', situation='s', ai_role='a', my_role='m', level='A2'
        )
        session.add(room)
        await session.flush()
        session.add_all([
            Message(room_id=room.id, user_id=mina, role='user', content='hi'),
            Message(room_id=room.id, user_id=mina, role='assistant', content='hello'),
            Message(room_id=room.id, user_id=mina, role='assistant', content='', status='failed'),
        ])  # fmt: skip
    page = await admin.list_accounts(boss)
    assert page.total == 2
    assert [row.username for row in page.rows] == ['mina', 'boss']
    row = page.rows[0]
    assert (row.used_today, row.bonus_today, row.daily_limit, row.remaining_today) == (2, 0, 5, 3)
    assert (row.replies_total, row.room_count, row.custom_limit, row.is_active) == (1, 1, None, True)
    assert row.last_active_at is not None and row.last_active_at.tzinfo is not None
    assert page.rows[1].is_admin and page.rows[1].room_count == 0 and page.rows[1].last_active_at is None


async def test_search_and_paging() -> None:
    """The search matches username, email or nickname literally; pages carry the total."""
    boss = await new_user('boss')
    for number in range(5):
        await new_user(f'student{number}')
    await accounts.update_profile(await new_user('other'), 'Student of 100%', '')
    found = await admin.list_accounts(boss, search='STUDENT', limit=4)
    assert (found.total, len(found.rows)) == (6, 4)
    rest = await admin.list_accounts(boss, search='student', offset=4, limit=4)
    assert [row.username for row in rest.rows] == ['student1', 'student0']
    assert [row.username for row in (await admin.list_accounts(boss, search='100%')).rows] == ['other']
    assert (await admin.list_accounts(boss, search='_')).total == 0


async def test_only_admins_may_do_anything() -> None:
    """A learner gets NotAnAdmin from every operation and changes nothing."""
    mina, other = await new_user('mina'), await new_user('other')
    for attempt in (
        admin.list_accounts(mina),
        admin.grant_extra(mina, other, 5),
        admin.set_daily_limit(mina, other, 50),
        admin.set_active(mina, other, False),
    ):
        with pytest.raises(NotAnAdmin):
            await attempt
    assert (await accounts.get_user(other)).is_active
    assert (await quota.status(other)).limit == 5


async def test_grant_extra_adds_to_today() -> None:
    """Granted replies add to today's allowance and can be spent; bad amounts and ids are refused."""
    boss, mina = await new_user('boss'), await new_user('mina')
    await spend(mina, 5)
    row = await admin.grant_extra(boss, mina, 3)
    assert (row.bonus_today, row.remaining_today) == (3, 3)
    await admin.grant_extra(boss, mina, 1)
    assert (await quota.status(mina)).remaining == 4
    await spend(mina, 4)
    with pytest.raises(QuotaExceeded):
        await spend(mina, 1)
    for extra in (0, -1, 1001):
        with pytest.raises(InvalidInput):
            await admin.grant_extra(boss, mina, extra)
    with pytest.raises(UserNotFound):
        await admin.grant_extra(boss, 999_999, 1)


async def test_daily_limit_and_back_to_default() -> None:
    """A custom limit replaces DAILY_QUOTA for that account; None restores it; out of range is refused."""
    boss, mina = await new_user('boss'), await new_user('mina')
    row = await admin.set_daily_limit(boss, mina, 20)
    assert (row.custom_limit, row.daily_limit) == (20, 20)
    assert (await quota.status(mina)).limit == 20
    zero = await admin.set_daily_limit(boss, mina, 0)
    assert zero.remaining_today == 0
    with pytest.raises(QuotaExceeded):
        await spend(mina, 1)
    row = await admin.set_daily_limit(boss, mina, None)
    assert (row.custom_limit, row.daily_limit) == (None, 5)
    for bad in (-1, 10_001):
        with pytest.raises(InvalidInput):
            await admin.set_daily_limit(boss, mina, bad)


async def test_disable_blocks_login_tokens_and_replies_and_enable_restores() -> None:
    """Disabled: no log-in, API tokens revoked, no replies; enabled again: log-in works."""
    boss, mina = await new_user('boss'), await new_user('mina')
    tokens = await api_tokens.issue_tokens(mina)
    row = await admin.set_active(boss, mina, False)
    assert not row.is_active
    with pytest.raises(AccountDisabled):
        await accounts.authenticate('mina', 'amber-kettle-58', client_address='127.0.0.1')
    with pytest.raises((AccountDisabled, api_tokens.InvalidToken)):
        await api_tokens.authenticate(tokens.access_token)
    with pytest.raises((AccountDisabled, api_tokens.InvalidToken)):
        await api_tokens.rotate(tokens.refresh_token)
    with pytest.raises(AccountDisabled):
        await spend(mina, 1)
    assert (await admin.set_active(boss, mina, True)).is_active
    assert (await accounts.authenticate('mina', 'amber-kettle-58', client_address='127.0.0.1')).id == mina
    with pytest.raises(api_tokens.InvalidToken):  # revoked tokens stay revoked
        await api_tokens.rotate(tokens.refresh_token)


async def test_an_admin_cannot_disable_themselves() -> None:
    """Locking oneself out is refused with a sentence saying so."""
    boss = await new_user('boss')
    with pytest.raises(InvalidInput, match='your own account'):
        await admin.set_active(boss, boss, False)


async def test_make_and_remove_admin() -> None:
    """An admin grants and takes away the admin right; never their own, and learners cannot."""
    boss, mina = await new_user('boss'), await new_user('mina')
    with pytest.raises(NotAnAdmin):
        await admin.set_admin(mina, mina, True)
    assert (await admin.set_admin(boss, mina, True)).is_admin
    assert (await accounts.get_user(mina)).is_admin
    with pytest.raises(InvalidInput, match='your own admin right'):
        await admin.set_admin(boss, boss, False)
    assert not (await admin.set_admin(mina, boss, False)).is_admin
    with pytest.raises(NotAnAdmin):
        await admin.list_accounts(boss)
