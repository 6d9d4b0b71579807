"""Sign-up, log-in, log-out and profile pages through NiceGUI's simulated user."""

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from services import accounts
from services.errors import InvalidCredentials
from services.settings import load_settings
from tests.helpers import eventually, field_errors


async def sign_up(user: User, username: str = 'mina', password: str = 'amber-kettle-58') -> None:
    await user.open('/signup')
    user.find('Username').type(username)
    user.find('Email').type(f'{username}@example.com')
    user.find('Password').type(password)
    user.find('Confirm password').type(password)
    user.find('Sign up').click()


async def test_signed_out_visitor_is_sent_to_login(user: User) -> None:
    """Every signed-in page redirects to the login form first."""
    for path in ('/', '/rooms', '/profile'):
        await user.open(path)
        await user.should_see('Log in')
        await user.should_see('Sign up')


async def test_sign_up_lands_on_rooms_with_header(user: User) -> None:
    """A new account is signed in and sees its empty room list and the header."""
    await sign_up(user)
    await user.should_see('No rooms yet', retries=50)
    await user.should_see('mina')
    await user.should_see('Log out')


@pytest.mark.parametrize(
    ('username', 'email', 'password', 'confirm', 'message'),
    [
        ('mina', 'mina@example.com', 'short', 'short', 'Password must be at least 8 characters.'),
        ('mina', 'mina@example.com', 'amber-kettle-58', 'violet-canyon-94', 'Passwords do not match.'),
        (
            'a',
            'mina@example.com',
            'amber-kettle-58',
            'amber-kettle-58',
            'Username must be 3 to 30 characters',
        ),
        ('mina', 'nope', 'amber-kettle-58', 'amber-kettle-58', 'Enter a valid email address'),
        ('mina', 'mina@example.com', 'password', 'password', 'This is a top-10 common password.'),
    ],
)
async def test_sign_up_errors_are_readable(
    user: User, username: str, email: str, password: str, confirm: str, message: str
) -> None:
    """Each bad input shows its own message in the page and creates nothing."""
    await user.open('/signup')
    user.find('Username').type(username)
    user.find('Email').type(email)
    user.find('Password').type(password)
    user.find('Confirm password').type(confirm)
    user.find('Sign up').click()
    await user.should_see('Please correct:')
    shown = [
        error
        for label in ('Username', 'Email', 'Password', 'Confirm password')
        for error in field_errors(user, label)
    ]
    assert any(message in (text or '') for text in shown), shown


async def test_duplicate_username_is_refused(user: User) -> None:
    """Signing up with a taken username says so."""
    await accounts.register(
        'mina', 'other@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await sign_up(user)
    await user.should_see('Please correct: Username. Each field says what is wrong.')
    assert field_errors(user, 'Username') == ['This username is already taken.']
    inputs = {field.props.get('label'): field for field in user.find(kind=ui.input).elements}
    assert inputs['Username'].props.get('aria-invalid') == 'true'
    assert 'aria-invalid' not in inputs['Email'].props


async def test_log_in_wrong_password_then_right(user: User) -> None:
    """A wrong password shows the readable error; the right one opens the rooms."""
    await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await user.open('/login')
    user.find('Username').type('mina')
    user.find('Password').type('not-the-password')
    user.find('Log in').click()
    await user.should_see('Wrong username or password', retries=50)
    user.find('Password').type('amber-kettle-58')
    user.find('Log in').click()
    await user.should_see('No rooms yet', retries=50)


async def test_log_in_follows_next_but_never_off_site(user: User) -> None:
    """`next` is honoured for local paths and ignored for other sites."""
    await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await user.open('/login?next=/profile')
    user.find('Username').type('mina@example.com')
    user.find('Password').type('amber-kettle-58')
    user.find('Log in').click()
    await user.should_see('Change password', retries=50)
    user.find('Log out').click()
    await user.should_see('Welcome back', retries=50)
    await user.open('/login?next=https://evil.example/phish')
    user.find('Username').type('mina')
    user.find('Password').type('amber-kettle-58')
    user.find('Log in').click()
    await user.should_see('No rooms yet', retries=50)


async def test_throttled_login_says_when_to_retry(user: User) -> None:
    """After five wrong passwords the page says to wait."""
    await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await user.open('/login')
    user.find('Username').type('mina')
    password = user.find('Password').elements.pop()
    for _ in range(5):
        user.find('Password').type('wrong-password')
        user.find('Log in').click()
        await eventually(lambda: password.value == '')  # the page empties it once the attempt failed
    await user.should_see('Wrong username or password')
    user.find('Password').type('amber-kettle-58')
    user.find('Log in').click()
    await user.should_see('Too many wrong passwords. Try again in 30 seconds.', retries=50)


async def test_login_page_throttles_by_the_visitors_address(user: User) -> None:
    """Wrong passwords from the visitor's own address count; those from elsewhere do not."""
    await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='198.51.100.7'
    )
    for address in ('203.0.113.9', '127.0.0.1'):  # a stranger's failures, then failures from this browser
        for _ in range(5):
            with pytest.raises(InvalidCredentials):
                await accounts.authenticate('mina', 'wrong-password', client_address=address)
    await user.open('/login')
    user.find('Username').type('mina')
    user.find('Password').type('amber-kettle-58')
    user.find('Log in').click()
    await user.should_see('Too many wrong passwords. Try again in 30 seconds.', retries=50)


async def test_sign_up_page_throttles_by_the_visitors_address(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SIGNUP_ADDRESS_MAX sign-ups from the visitor's address the page says how long to wait."""
    monkeypatch.setenv('SIGNUP_ADDRESS_MAX', '1')
    load_settings()
    await accounts.register(
        'first', 'first@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='203.0.113.9'
    )
    await accounts.register(
        'second', 'second@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await sign_up(user)
    await user.should_see('Too many sign-ups from your network. Try again in 30 seconds.', retries=50)


async def test_taken_email_is_refused_without_confirming_it(user: User) -> None:
    """Signing up with a registered email shows a neutral message under Email."""
    await accounts.register(
        'jun', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='198.51.100.7'
    )
    await sign_up(user)
    await user.should_see('Please correct: Email. Each field says what is wrong.')
    assert field_errors(user, 'Email') == ['This email cannot be used. If it is yours, log in instead.']


async def test_log_out_ends_the_session(user: User) -> None:
    """After `Log out`, signed-in pages redirect to the login form again."""
    await sign_up(user)
    await user.should_see('No rooms yet', retries=50)
    user.find('Log out').click()
    await user.should_see('Welcome back', retries=50)
    await user.open('/rooms')
    await user.should_not_see('No rooms yet')
    await user.should_see('Log in')


async def test_profile_edit_shows_in_header(user: User) -> None:
    """A saved nickname replaces the username in the header."""
    await sign_up(user)
    await user.should_see('No rooms yet', retries=50)
    await user.open('/profile')
    user.find('Nickname').clear().type('민아')
    user.find('Short bio').type('Interview practice')
    user.find('Save profile').click()
    await user.should_see('Profile saved')
    await user.open('/profile')
    await user.should_see('민아')
    assert user.find('Short bio').elements.pop().value == 'Interview practice'


async def test_change_password_on_profile(user: User) -> None:
    """Wrong current password is refused in the form; the right one changes it."""
    await sign_up(user)
    await user.should_see('No rooms yet', retries=50)
    await user.open('/profile')
    user.find('Current password').type('nope-nope')
    user.find('New password').type('violet-canyon-94')
    user.find('Confirm new password').type('violet-canyon-94')
    user.find('Change password').click()
    await eventually(lambda: field_errors(user, 'Current password') == ['Current password is wrong.'])
    user.find('Current password').clear().type('amber-kettle-58')
    user.find('Change password').click()
    await user.should_see('Password changed')
    assert (
        await accounts.authenticate('mina', 'violet-canyon-94', client_address='127.0.0.1')
    ).username == 'mina'


async def test_healthz_reports_database(user: User) -> None:
    """/healthz answers JSON with the database reachable."""
    response = await user.http_client.get('/healthz')
    assert response.status_code == 200
    assert response.json() == {'status': 'ok', 'database': 'ok'}


async def test_password_fields_have_a_named_show_button(user: User) -> None:
    """Each password field has a real show/hide button that reveals the text and says it did."""
    await user.open('/signup')
    fields = [
        user.find(kind=ui.input, content=label).elements.pop() for label in ('Password', 'Confirm password')
    ]
    toggles = [next(iter(field.slots['append'].children)) for field in fields]
    assert [(type(toggle), toggle.props['aria-label']) for toggle in toggles] == [
        (ui.button, 'Show what you typed')
    ] * 2
    UserInteraction(user, {toggles[0]}, None).click()
    assert (toggles[0].props['aria-pressed'], fields[0].props['type']) == ('true', 'text')
    assert fields[1].props['type'] == 'password'
