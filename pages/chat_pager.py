"""The chat log a page at a time: `Load earlier messages` above it and, when it was opened at a search
hit, `Load later messages` below it, up to the latest message."""

from collections.abc import Awaitable

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
        with log.above:
            self.earlier_button = ui.button(
                _('Load earlier messages'), icon='expand_less', on_click=self.load_earlier
            ).props('flat no-caps data-testid=load-earlier')
        with log.below:
            self.later_button = ui.button(
                _('Load later messages'), icon='expand_more', on_click=self.load_later
            ).props('flat no-caps data-testid=load-later')

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
        self.earlier_button.set_visibility(window.more_earlier)

    async def load_later(self) -> None:
        """The page after the newest message shown, added at the bottom (the last one reaches the latest)."""
        if self.loading or self.last_id is None:
            return
        window = await self._load(chat_window.later(self.user_id, self.room_id, self.last_id))
        if window is None:
            return
        await self.log.add_page(
            [message for message in window.messages if message.id not in self.log.bubbles]
        )
        if window.messages:
            self.last_id = window.messages[-1].id
        self.later_button.set_visibility(window.more_later)
        self.log.set_reaches_latest(not window.more_later)

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
        self.earlier_button.set_visibility(window.more_earlier)
        self.later_button.set_visibility(window.more_later)
        self.log.set_reaches_latest(not window.more_later)

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
