"""Admin rights live on the account: promote/demote, and ADMIN_USERNAMES only for accounts that exist."""

import pytest

import manage
from db import engine
from services import accounts, roles
from services.errors import UserNotFound
from services.settings import load_settings
from tests.conftest import run_blocking


async def register(name: str) -> int:
    return (
        await accounts.register(
            name, f'{name}@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
        )
    ).id


@pytest.mark.usefixtures('database')
async def test_admin_usernames_promote_only_accounts_that_exist_at_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At start-up the named existing account becomes admin; one signed up later under a name never does."""
    monkeypatch.setenv('ADMIN_USERNAMES', 'teacher, latecomer')
    load_settings()
    teacher = await register('teacher')
    assert await roles.promote_configured() == ['teacher']
    assert (await accounts.get_user(teacher)).is_admin
    latecomer = await register('latecomer')
    assert not (await accounts.get_user(latecomer)).is_admin
    assert await roles.promote_configured() == []  # a restart: the name was applied already
    assert not (await accounts.get_user(latecomer)).is_admin


@pytest.mark.usefixtures('database')
async def test_a_demoted_admin_stays_demoted_after_a_restart(monkeypatch: pytest.MonkeyPatch) -> None:
    """`demote` wins over ADMIN_USERNAMES on the next start."""
    monkeypatch.setenv('ADMIN_USERNAMES', 'teacher')
    load_settings()
    teacher = await register('teacher')
    await roles.promote_configured()
    await roles.demote('teacher')
    await roles.promote_configured()
    assert not (await accounts.get_user(teacher)).is_admin
    with pytest.raises(UserNotFound):
        await roles.promote('nobody')


def test_manage_promote_and_demote(capsys: pytest.CaptureFixture[str]) -> None:
    """`python manage.py promote NAME` / `demote NAME` change the account; an unknown name fails readably."""

    async def setup() -> int:
        await engine.connect(load_settings().database_url)
        try:
            return await register('mina')
        finally:
            await engine.dispose()

    async def is_admin(user_id: int) -> bool:
        await engine.connect(load_settings().database_url)
        try:
            return (await accounts.get_user(user_id)).is_admin
        finally:
            await engine.dispose()

    mina = run_blocking(setup())
    assert manage.main(['promote', 'mina']) == 0
    assert run_blocking(is_admin(mina))
    assert manage.main(['demote', 'mina']) == 0
    assert not run_blocking(is_admin(mina))
    assert manage.main(['promote', 'nobody']) == 1
    assert "no account named 'nobody'" in capsys.readouterr().err
