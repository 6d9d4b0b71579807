"""The profile's `My language` select: explanations and translations come in the chosen language."""

from nicegui import ui
from nicegui.testing import User

from services import accounts
from tests.pages.test_account_pages import sign_up


async def test_my_language_is_korean_by_default_and_can_be_changed(user: User) -> None:
    """The select shows Korean for a new account; choosing Japanese is saved for the account."""
    await sign_up(user)
    await user.should_see('No rooms yet')
    await user.open('/profile')
    await user.should_see('My language')
    select = user.find(kind=ui.select, content='My language').elements.pop()
    assert select.value == 'ko'
    select.set_value('ja')
    await user.should_see('Language saved')
    mina = await accounts.authenticate('mina', 'amber-kettle-58', client_address='127.0.0.1')
    assert mina.native_language == 'ja'
