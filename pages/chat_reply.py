"""How one AI reply looks in each state: streaming, complete (text or recipe card), stopped, failed."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from nicegui import ui
from nicegui.slot import Slot

from i18n import _, lazy_text
from services.chat import MessageInfo, error_text
from services.recipes import parse_recipe
from ui.chat import (
    add_copy,
    add_message_action,
    add_play,
    error_note,
    recipe_card,
    reply_bubble,
    show_markdown,
    stream_view,
)
from ui.message_actions import MessageActions
from ui.stream_text import StreamText

AI_NAME = lazy_text('AI partner')


class LearningHooks(Protocol):
    """The learning parts drawn into the log (pages/chat_learning.py ChatLearning)."""

    def under_line(self, message: MessageInfo) -> None: ...
    def attach_reply(self, message_id: int, bubble: ui.element) -> None: ...
    def reply_tools(self, message: MessageInfo, under: Slot, buttons: MessageActions) -> None: ...


@dataclass(frozen=True, slots=True)
class ReplyActions:
    """What the buttons of a reply do (the page owns the conversation; the view only draws one reply)."""

    retry: Callable[[int], Awaitable[None]]
    regenerate: Callable[[int], Awaitable[None]]
    delete: Callable[[int], Awaitable[None]]
    play: Callable[[int, MessageActions], Awaitable[None]]  # with the reply's buttons (Play's spinner)
    learning: LearningHooks | None = None  # feedback cards, Translate, word look-ups


class ReplyView:
    """An AI bubble that re-renders itself when the reply's state changes.

    With `hide_text` (listening mode) a finished reply shows only its play button and `Show text`.
    Only the conversation's latest reply (`latest`) offers `Regenerate`. A reply's buttons (and its
    `Stopped` note) are drawn by its bubble (`buttons` is the bubble while its state has them).
    """

    def __init__(
        self,
        message: MessageInfo,
        stamp: str,
        is_recipe: bool,
        actions: ReplyActions,
        hide_text: bool = False,
    ) -> None:
        self.is_recipe = is_recipe
        self.actions = actions
        self.hide_text = hide_text
        self.latest = False
        self.message = message
        self.bubble = reply_bubble(str(AI_NAME), stamp)
        self.bubble.props(f'data-testid=reply-{message.id}')
        self._streaming: StreamText | None = None  # the growing text, when a streaming reply shows it
        self._pending_drawn = False  # whether the streaming state is drawn (its later pieces only add text)
        self.buttons: MessageActions | None = None
        self._regenerates = False  # whether this state of the reply offers Regenerate when it is the latest
        if actions.learning is not None:
            actions.learning.attach_reply(message.id, self.bubble)
        self.show(message)

    def show(self, message: MessageInfo) -> None:
        self.message = message
        if message.status == 'pending':
            self._show_streaming(message.content)
            return
        self._streaming = None
        self._pending_drawn = False
        self.buttons = None
        self._regenerates = False
        self._clear()
        # A reply with text has its buttons on one line under it, laid out by the stylesheet
        # (`.reply-inline`) rather than by a row element per reply; a failed one stacks them.
        inline = message.status == 'complete' or (message.content.strip() and message.status == 'stopped')
        self.bubble.set_body_classes('reply-body reply-inline' if inline else 'reply-body')
        with self.bubble:
            if message.status == 'complete':
                self._show_complete(message)
            elif message.status == 'stopped' and message.content.strip():
                self._show_text(message.content)
                buttons = self._buttons(message.id)
                buttons.add('stopped', None, look='caption', text=_('Stopped'))
                self._text_actions(message, buttons)
                self._learning_tools(message, buttons)
            elif message.status == 'stopped':
                error_note(_('Stopped before any reply.'), lambda: self.actions.retry(message.id))
                self._delete_button(self.bubble, message.id)
            else:
                if message.content.strip():
                    show_markdown(self.bubble, message.content)
                error_note(
                    error_text(message.error) if message.error else _('The reply failed.'),
                    lambda: self.actions.retry(message.id),
                )
                self._delete_button(self.bubble, message.id)

    def reveal(self) -> None:
        self.hide_text = False
        self.show(self.message)

    def set_latest(self, latest: bool) -> None:
        """Only the latest reply offers `Regenerate`: a reply that stops or starts being the latest (a new
        one came, the newer exchange was deleted) just loses or gains that button; nothing is drawn again."""
        if latest == self.latest:
            return
        self.latest = latest
        if self.message.status == 'pending':
            return
        if self.buttons is None or not self._regenerates:
            return
        if latest:
            self._regenerate_button(self.buttons, self.message.id)
        else:
            self.buttons.remove('regenerate')

    def _show_streaming(self, text: str) -> None:
        """Plain text growing by its new words (only those go to the browser); Markdown once it is complete.

        Called for every streamed piece: after the first, it only hands the text on (a reply that does not show
        its text while it streams has no text element: it was a hidden one per reply, never shown)."""
        if self._streaming is not None:
            self._streaming.show(text)
        elif not self._pending_drawn:
            self._pending_drawn = True
            self.buttons = None
            self._clear()
            self.bubble.set_body_classes('reply-body')
            # Raw recipe JSON is not worth watching, and listening mode keeps the text for later.
            if self.is_recipe or self.hide_text:
                self.bubble.set_writing(
                    _('Writing a recipe…') if self.is_recipe else _('Listen when it is ready…')
                )
            else:
                with self.bubble:
                    self._streaming = stream_view(text)
                self.bubble.set_writing(_('Writing…'))

    def _show_complete(self, message: MessageInfo) -> None:
        if self.hide_text:
            buttons = self._buttons(message.id)
            buttons.add('reveal', self.reveal, look='text', icon='visibility', text=_('Show text'))
            self._regenerates = True
            if self.latest:
                self._regenerate_button(buttons, message.id)
            self._delete_button(buttons, message.id)
            self._learning_tools(message, buttons)
            return
        self._show_text(message.content)
        buttons = self._buttons(message.id)
        self._text_actions(message, buttons)
        self._learning_tools(message, buttons)

    def _learning_tools(self, message: MessageInfo, buttons: MessageActions) -> None:
        """Translate after the reply's buttons (on their line), its translation below them."""
        if self.actions.learning is not None:
            self.actions.learning.reply_tools(message, self.bubble.after, buttons)

    def _text_actions(self, message: MessageInfo, buttons: MessageActions) -> None:
        """Copy, Regenerate (latest reply only) and Delete for a reply that has text."""
        add_copy(buttons, message.content, message.id)
        self._regenerates = True
        if self.latest:
            self._regenerate_button(buttons, message.id)
        self._delete_button(buttons, message.id)

    def _regenerate_button(self, buttons: MessageActions, message_id: int) -> None:
        add_message_action(
            buttons,
            'regenerate',
            'autorenew',
            _('Regenerate reply (uses one reply)'),
            lambda: self.actions.regenerate(message_id),
            'regenerate-reply',
            message_id,
            before='delete',
        )

    def _delete_button(self, buttons: MessageActions, message_id: int) -> None:
        add_message_action(
            buttons,
            'delete',
            'delete_outline',
            _('Delete this exchange'),
            lambda: self.actions.delete(message_id),
            'delete-message',
            message_id,
        )

    def _show_text(self, text: str) -> None:
        recipe = parse_recipe(text) if self.is_recipe else None
        if recipe is None:
            show_markdown(self.bubble, text)
            return
        recipe_card(
            recipe.dish,
            recipe.intro,
            [(item.name, item.amount) for item in recipe.ingredients],
            list(recipe.steps),
        )

    def _clear(self) -> None:
        """An empty bubble: no text, no buttons, no `Writing…`, nothing in its body."""
        self.bubble.clear()
        self.bubble.clear_actions()
        self.bubble.set_text(None)
        self.bubble.set_writing(None)

    def _buttons(self, message_id: int) -> MessageActions:
        """The reply's buttons, starting with Play."""
        self.buttons = buttons = self.bubble
        add_play(buttons, lambda: self.actions.play(message_id, buttons))
        return buttons
