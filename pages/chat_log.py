"""The conversation column of the chat page: bubbles in order, removed and redrawn as it changes."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from nicegui import ui

from i18n import _
from pages.chat_reply import ReplyActions, ReplyView
from pages.chat_voice import HARD_WORD_HINT
from services.chat import MessageInfo
from ui.chat import add_copy, add_message_action, mark_language, user_bubble
from ui.focus import focus_later
from ui.live_region import LiveRegion

BUBBLES_PER_TURN = 8  # about 20 ms of work between two chances for other requests


class ChatLog:
    """Every message of the room as a bubble, keyed by message id; the latest reply offers `Regenerate`."""

    def __init__(
        self,
        empty_text: str,
        stamp: Callable[[datetime], str],
        is_recipe: bool,
        actions: ReplyActions,
        play_source: Callable[[str], None],
        language: str = 'en',
    ) -> None:
        self.stamp = stamp
        self.is_recipe = is_recipe
        self.actions = actions
        self.play_source = play_source
        self.views: dict[int, ReplyView] = {}
        self.bubbles: dict[int, ui.element] = {}
        # False while the log shows a stretch that ends before the room's latest message (a search hit).
        self.reaches_latest = True
        # Scripts go to this page's client explicitly: a handler may run in the slot of a button it
        # has just deleted (Regenerate, Retry), where `ui.run_javascript` cannot find its client.
        self.client = ui.context.client
        self.column = ui.column().classes('w-full gap-1 chat-log')
        # Where `Load earlier messages` and `Load later messages` go, made only while there is more to
        # load (`place`): a new room's page keeps no hidden buttons (issue 17).
        self.container = self.column.parent_slot.parent
        with self.column:
            self.empty_hint = ui.label(empty_text).classes('text-grey-7 text-center w-full py-6')
        # Screen readers hear once that a reply is finished (not every streamed piece). Not the reply's
        # own words: the same text twice on the page would be ambiguous to anyone looking for it.
        self.announcer = LiveRegion(status=True)
        mark_language(self.column, language)

    def add(self, message: MessageInfo, hide_text: bool = False) -> None:
        """Append a message (a reply with `hide_text` shows only its play button: listening mode)."""
        self._add(message, hide_text, None)
        self._mark_latest()

    async def add_page(self, messages: Sequence[MessageInfo], at_top: bool = False) -> None:
        """Append a page of earlier-stored messages, or put it above the ones shown (`at_top`).

        Building bubbles is CPU work on the event loop: other requests get their turn every few bubbles.
        """
        for position, message in enumerate(messages):
            self._add(message, False, position if at_top else None)
            if position % BUBBLES_PER_TURN == BUBBLES_PER_TURN - 1:
                await asyncio.sleep(0)
        self._mark_latest()  # once per page: each change of the latest reply redraws it

    def _add(self, message: MessageInfo, hide_text: bool, position: int | None) -> None:
        self.empty_hint.set_visibility(False)
        with self.column:
            if message.role == 'user':
                bubble = self._user_bubble(message)
            else:
                view = ReplyView(
                    message, self.stamp(message.created_at), self.is_recipe, self.actions, hide_text
                )
                self.views[message.id] = view
                bubble = view.bubble
        # Focusable from scripts (not a Tab stop): focus lands on a message after Regenerate or a deletion.
        bubble.props(f'id=message-{message.id} tabindex=-1')
        if position is not None:
            bubble.move(self.column, target_index=position + 1)  # after the (hidden) empty hint
        self.bubbles[message.id] = bubble

    def place(self, element: ui.element, above: bool) -> None:
        """Move `element` to just above the log, or just below it (after its announcer)."""
        siblings = [child for child in self.container.default_slot.children if child is not element]
        index = siblings.index(self.column) if above else siblings.index(self.announcer.label) + 1
        element.move(self.container, target_index=index)

    def announce(self, text: str) -> None:
        """Have screen readers say `text`."""
        self.announcer.say(text)

    def view(self, reply_id: int) -> ReplyView | None:
        """The reply's view, or None once it was deleted (a stream may still be delivering to it)."""
        return self.views.get(reply_id)

    def remove(self, message_ids: tuple[int, ...]) -> None:
        for message_id in message_ids:
            self.views.pop(message_id, None)
            bubble = self.bubbles.pop(message_id, None)
            if bubble is not None:
                bubble.delete()
        self.empty_hint.set_visibility(not self.bubbles)
        self._mark_latest()

    def set_reaches_latest(self, reaches_latest: bool) -> None:
        """Whether the last bubble is the room's latest message (only that reply offers `Regenerate`)."""
        self.reaches_latest = reaches_latest
        self._mark_latest()

    def focus_message(self, message_id: int) -> None:
        """Keyboard focus to a message's bubble (its control was redrawn away, e.g. `Regenerate`)."""
        focus_later(self.client, f'#message-{message_id}')

    def focus_after_removal(self, removed: tuple[int, ...], otherwise: str) -> None:
        """Before `remove`: focus will go to the message after the removed ones, else the one before,
        else to `otherwise` (a CSS selector: the `Message` box), never to <body>."""
        kept = [message_id for message_id in sorted(self.bubbles) if message_id not in removed]
        later = [message_id for message_id in kept if message_id > max(removed, default=0)]
        earlier = [message_id for message_id in kept if message_id < min(removed, default=0)]
        neighbour = later[0] if later else earlier[-1] if earlier else None
        focus_later(self.client, f'#message-{neighbour}' if neighbour is not None else otherwise, otherwise)

    def clear(self) -> None:
        self.remove(tuple(self.bubbles))

    def scroll_to_bottom(self) -> None:
        self.client.run_javascript('window.scrollTo({top: document.body.scrollHeight, behavior: "smooth"})')

    def scroll_to(self, message_id: int) -> bool:
        """Bring a message into view and flash it (opened from a search hit); False when it is not here."""
        if message_id not in self.bubbles:
            return False
        self.client.run_javascript(f"""
            const bubble = document.getElementById('message-{message_id}');
            if (bubble) {{
                bubble.scrollIntoView({{block: 'center'}});
                bubble.classList.add('found-message');
            }}
        """)
        return True

    def _user_bubble(self, message: MessageInfo) -> ui.element:
        recording_id = message.recording_id
        replay = (lambda: self.play_source(f'/audio/recordings/{recording_id}')) if recording_id else None
        bubble = buttons = user_bubble(
            message.content, self.stamp(message.created_at), message.hard_words, replay, str(HARD_WORD_HINT)
        )
        # The line's buttons, drawn by its bubble on a line under the text (the stylesheet's `.user-body` grid).
        add_copy(buttons, message.content, message.id)
        add_message_action(
            buttons, 'delete', 'delete_outline', _('Delete this exchange'), _bind(self.actions.delete, message.id),
            'delete-message', message.id,
        )  # fmt: skip
        if self.actions.learning is not None:
            with bubble.after:  # under the buttons
                self.actions.learning.under_line(message)
        return bubble

    def _mark_latest(self) -> None:
        latest_id = max(self.bubbles, default=None) if self.reaches_latest else None
        for reply_id, view in self.views.items():
            view.set_latest(reply_id == latest_id)


def _bind(action: Callable[[int], Awaitable[None]], message_id: int) -> Callable[[], Awaitable[None]]:
    return lambda: action(message_id)
