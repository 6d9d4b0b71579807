"""Server memory per idle connected chat page of a long room (`python -m bench.streaming --room-messages 50 500`).

The room is seeded straight into the app's SQLite database (half learner lines, half complete replies,
as a long conversation leaves them); each extra tab opens the room and, for more than one page of
messages, clicks `Load earlier messages` until all of them are shown. Server RSS growth / tabs.
"""

import time

from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import create_engine, insert, select

from db.models import Message, Room
from services.chat import LOG_PAGE
from tests.e2e.flows import gallery_room, sign_up

BUBBLES = '.q-message[id^="message-"]'


def idle_room_kib(
    context: BrowserContext, url: str, pid: int, database_url: str, messages: int, tabs: int
) -> float:
    """KiB of server RSS per idle tab showing a room of `messages` stored messages, all of them shown."""
    page = context.new_page()
    sign_up(page, f'idle{messages}', url)
    gallery_room(page, 'small-talk')
    room_url = page.url
    _seed(database_url, int(room_url.rsplit('/', 1)[1]), messages)
    page.goto('about:blank')
    time.sleep(2)
    before = rss_kib(pid)
    opened = [context.new_page() for _ in range(tabs)]
    for tab in opened:
        tab.goto(room_url)
        _show_all(tab, messages)
    time.sleep(3)
    grown = (rss_kib(pid) - before) / tabs
    for tab in [*opened, page]:
        tab.close()
    return grown


def rss_kib(pid: int) -> int:
    with open(f'/proc/{pid}/status', encoding='utf-8') as status:
        return next(int(line.split()[1]) for line in status if line.startswith('VmRSS:'))


def _seed(database_url: str, room_id: int, messages: int) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        user_id = connection.execute(select(Room.user_id).where(Room.id == room_id)).scalar_one()
        rows = [
            {'room_id': room_id, 'user_id': user_id, 'role': role, 'status': 'complete',
             'content': f'{role} line {n}: ' + 'a few more words of an ordinary line ' * 2}
            for n in range(messages // 2)
            for role in ('user', 'assistant')
        ]  # fmt: skip
        connection.execute(insert(Message), rows)
    engine.dispose()


def _show_all(page: Page, messages: int) -> None:
    bubbles = page.locator(BUBBLES)
    expect(bubbles).to_have_count(min(messages, LOG_PAGE), timeout=60_000)
    while bubbles.count() < messages:
        shown = bubbles.count()
        page.get_by_role('button', name='Load earlier messages').click()
        expect(bubbles).to_have_count(min(messages, shown + LOG_PAGE), timeout=60_000)
    page.wait_for_load_state('networkidle')
