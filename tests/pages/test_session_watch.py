"""One check for the sessions of every open page of the process (pages/session_watch.py)."""

from nicegui import ui
from nicegui.testing import User

from pages import session_watch
from services import accounts, sessions
from tests.helpers import recorded_statements
from tests.pages.test_session_security import log_in, other_browser  # noqa: F401  (a fixture)


async def test_open_pages_are_checked_together_and_only_the_ended_one_leaves(
    user: User,
    other_browser: User,  # noqa: F811
) -> None:
    """Two browsers' open pages cost one query to check; the one whose sessions were ended shows the log-in."""
    mina = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await accounts.register(
        'jun', 'jun@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.2'
    )
    await log_in(other_browser, 'jun')
    await log_in(user)
    await sessions.log_out_everywhere(mina.id)

    with recorded_statements() as statements:
        await session_watch.check_open_pages()

    assert len([sql for sql in statements if sql.startswith('SELECT')]) == 1
    await user.should_see('Welcome back', retries=50)
    await other_browser.should_see('Your rooms')
    other_browser.find(kind=ui.button, content='Log out')  # still signed in


async def test_a_signed_in_page_keeps_no_timer_of_its_own(user: User) -> None:
    """An idle page holds no timer element for the session check (every element is memory per open page)."""
    await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await log_in(user)
    assert not [element for element in user.client.elements.values() if isinstance(element, ui.timer)]


async def test_a_page_whose_way_out_was_lost_is_sent_again(user: User) -> None:
    """A page still open at the next check after its session ended is told to leave again, not forgotten."""
    mina = await accounts.register(
        'mina', 'mina@example.com', 'amber-kettle-58', 'amber-kettle-58', client_address='127.0.0.1'
    )
    await log_in(user)
    page = user.client
    sent: list[str] = []
    session_watch._open_pages[page.id] = (page, lambda: sent.append(page.id))  # the browser never leaves
    await sessions.log_out_everywhere(mina.id)
    await session_watch.check_open_pages()
    await session_watch.check_open_pages()
    assert sent == [page.id, page.id]
