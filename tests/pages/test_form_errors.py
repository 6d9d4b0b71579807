"""Refused forms tie each error to its field: `aria-invalid` and an `aria-describedby` naming the error text."""

import pytest
from nicegui import ui
from nicegui.testing import User

from services import accounts
from tests.helpers import eventually
from tests.pages.test_room_pages import logged_in

pytestmark = pytest.mark.usefixtures('use_fake_llm')


def field(user: User, label: str) -> ui.element:
    return user.find(label).elements.pop()


def described_by_own_error(element: ui.element) -> bool:
    """Marked invalid, showing an error, and described by the id given to that error line."""
    props = element.props
    return (
        props.get('aria-invalid') == 'true'
        and bool(props.get('error-message'))
        and props.get('aria-describedby') == f'{element.html_id}-error'
    )


async def test_wrong_password_marks_both_login_fields_described_by_the_error(user: User) -> None:
    """`Wrong username or password` describes `Username` and `Password`, both marked invalid."""
    await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await user.open('/login')
    user.find('Username').type('mina')
    user.find('Password').type('not-the-password')
    user.find(kind=ui.button, content='Log in').click()
    await user.should_see('Wrong username or password', retries=50)
    error = user.find(kind=ui.label, content='Wrong username or password').elements.pop()
    for label in ('Username', 'Password'):
        props = field(user, label).props
        assert props.get('aria-invalid') == 'true'
        assert props.get('aria-describedby') == error.html_id


async def test_room_editor_describes_each_refused_field(user: User) -> None:
    """Saving a blank room marks `Title` and `Situation` invalid, each described by its own error."""
    await logged_in(user)
    await user.open('/rooms/new')
    user.find(kind=ui.button, content='Save').click()
    await eventually(lambda: described_by_own_error(field(user, 'Title')))
    assert described_by_own_error(field(user, 'Situation'))
    assert 'aria-invalid' not in field(user, 'Language').props


async def test_profile_and_password_errors_are_described(user: User) -> None:
    """A too-long nickname and a wrong current password are each tied to their field; fixing clears it."""
    await logged_in(user)
    await user.open('/profile')
    user.find('Nickname').type('n' * 60)
    user.find(kind=ui.button, content='Save profile').click()
    await eventually(lambda: described_by_own_error(field(user, 'Nickname')))
    user.find('Nickname').clear().type('Mina')
    user.find(kind=ui.button, content='Save profile').click()
    await user.should_see('Profile saved')
    assert 'aria-invalid' not in field(user, 'Nickname').props

    user.find('Current password').type('nope-nope')
    user.find('New password').type('violet-canyon-94')
    user.find('Confirm new password').type('violet-canyon-94')
    user.find(kind=ui.button, content='Change password').click()
    await eventually(lambda: described_by_own_error(field(user, 'Current password')))
    assert 'aria-invalid' not in field(user, 'New password').props
