"""The chat log a page at a time: `Load earlier messages` above it and, when it was opened at a search
hit, `Load later messages` below it, up to the latest message.

Each button exists only while there is more to load that way (issue 17: a hidden button is still kept on
the server, and most rooms are shorter than one page); while it is needed it stays the same button, so it
keeps keyboard focus from one page to the next, and when the last page comes focus goes to the message
where the button was (ui/focus.py: never to <body>).
"""

from collections.abc import Awaitable, Callable

from nicegui import ui

from i18n import _
from pages.chat_log import ChatLog
from services import chat_window
from services.chat_window import LogWindow
from services.errors import RoomNotFound


class ChatPager:
    """Shows a window of the conversation in `log` and extends it on request; `at_latest` says whether
    it reaches the end."""

    def __init__(self, user_id: int, room_id: int, log: ChatLog) -> None:
        self.user_id, self.room_id, self.log = user_id, room_id, log
        self.first_id: int | None = None  # the oldest and newest message loaded so far
        self.last_id: int | None = None
        self.loading = False
        self.earlier_button: ui.button | None = None
        self.later_button: ui.button | None = None

    @property
    def at_latest(self) -> bool:
        return self.log.reaches_latest

    async def load_earlier(self) -> None:
        """The page before the oldest message shown, added at the top."""
        if self.loading or self.first_id is None:
            return
        window = await self._load(chat_window.earlier(self.user_id, self.room_id, self.first_id))
        if window is None:
            return
        await self.log.add_page(window.messages, at_top=True)
        if window.messages:
            self.first_id = window.messages[0].id
        self._offer_earlier(window.more_earlier)
        if not window.more_earlier and window.messages:  # the button just used is gone: focus not to <body>
            self.log.focus_message(window.messages[0].id)  # but to the oldest message, where it was

    async def load_later(self) -> None:
        """The page after the newest message shown, added at the bottom (the last one reaches the latest)."""
        if self.loading or self.last_id is None:
            return
        window = await self._load(chat_window.later(self.user_id, self.room_id, self.last_id))
        if window is None:
            return
        added = [message for message in window.messages if message.id not in self.log.bubbles]
        await self.log.add_page(added)
        if window.messages:
            self.last_id = window.messages[-1].id
        self._offer_later(window.more_later)
        self.log.set_reaches_latest(not window.more_later)
        if not window.more_later and added:  # the button just used is gone: focus not to <body> but to
            self.log.focus_message(added[0].id)  # the first message it brought, where it was

    async def jump_to_latest(self) -> None:
        """Show the latest messages instead of a search hit's window (before a new message is added)."""
        window = await self._load(chat_window.opening(self.user_id, self.room_id))
        if window is not None:
            self.log.clear()
            await self.show(window)

    async def clear(self) -> None:
        """The conversation was cleared: nothing to load either way."""
        self.log.clear()
        await self.show(LogWindow(messages=(), more_earlier=False, more_later=False))

    async def show(self, window: LogWindow) -> None:
        """Show `window` (in an empty log: the page's first messages)."""
        await self.log.add_page(window.messages)
        self.first_id = window.messages[0].id if window.messages else None
        self.last_id = window.messages[-1].id if window.messages else None
        self._offer_earlier(window.more_earlier)
        self._offer_later(window.more_later)
        self.log.set_reaches_latest(not window.more_later)

    def _offer_earlier(self, needed: bool) -> None:
        if needed and self.earlier_button is None:
            with self.log.container:
                self.earlier_button = _load_button(
                    _('Load earlier messages'), 'expand_less', self.load_earlier, 'load-earlier'
                )
            self.log.place(self.earlier_button, above=True)
        elif not needed and self.earlier_button is not None:
            self.earlier_button.delete()
            self.earlier_button = None

    def _offer_later(self, needed: bool) -> None:
        if needed and self.later_button is None:
            with self.log.container:
                self.later_button = _load_button(
                    _('Load later messages'), 'expand_more', self.load_later, 'load-later'
                )
            self.log.place(self.later_button, above=False)
        elif not needed and self.later_button is not None:
            self.later_button.delete()
            self.later_button = None

    async def _load(self, loading: Awaitable[LogWindow]) -> LogWindow | None:
        """One page at a time (a second click while one loads does nothing); None when the room is gone."""
        self.loading = True
        try:
            return await loading
        except RoomNotFound:
            ui.notify(_('This room no longer exists.'), type='negative')
            return None
        finally:
            self.loading = False


def _load_button(text: str, icon: str, load: Callable[[], Awaitable[None]], testid: str) -> ui.button:
    """A quiet button centred in the page's column (one element: no row around it)."""
    return (
        ui.button(text, icon=icon, on_click=load)
        .props(f'flat no-caps data-testid={testid}')
        .classes('self-center')
    )
