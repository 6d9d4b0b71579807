"""`Translate` under each AI reply: its translation into the learner's language shows under it.

A second click hides it; showing it again costs nothing (kept here, and cached by the service for
other tabs and later visits). Nothing is ever shown unasked, so listening mode keeps its secret.
"""

import contextlib
from dataclasses import dataclass

from nicegui import ui
from nicegui.slot import Slot

from i18n import _
from services import translation
from services.chat import MessageInfo
from services.errors import HelperUnavailable, HelpQuotaExceeded, MessageNotFound
from services.stored_text import shown
from ui.chat import add_message_action
from ui.learning import refusal
from ui.message_actions import MessageActions


@dataclass(slots=True)
class _Translated:
    content: str  # the reply it translates (a regenerated reply starts afresh)
    text: str
    language: str
    shown: bool = True


class TranslateAction:
    """The `Translate` button of every reply and the translation area under it, kept across redraws."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self.translated: dict[int, _Translated] = {}
        self.areas: dict[int, ui.column] = {}
        self.buttons: dict[int, MessageActions] = {}  # each reply's buttons, holding its `Translate`
        self.bodies: dict[int, Slot] = {}  # where each reply's translation goes, under its buttons

    def draw(self, message: MessageInfo, body: Slot, buttons: MessageActions) -> None:
        """`Translate` after the reply's other `buttons`; its translation in `body` (the bubble's part under
        the buttons), once there is one to show (not an empty area under every reply: each element costs
        server memory for every open page)."""
        known = self.translated.get(message.id)
        if known is not None and known.content != message.content:
            del self.translated[message.id]
            known = None
        add_message_action(
            buttons, 'translate', 'translate', _('Translate'), lambda: self.toggle(message), 'translate-reply',
            message.id,
        )  # fmt: skip
        self.buttons[message.id] = buttons
        self.bodies[message.id] = body
        self.areas.pop(message.id, None)  # the reply was redrawn: its old area went with it
        self._redraw(message.id, known)

    async def toggle(self, message: MessageInfo) -> None:
        known = self.translated.get(message.id)
        if known is not None:
            known.shown = not known.shown
            self._redraw(message.id, known)
            return
        button = self.buttons.get(message.id)
        try:
            with button.loading('translate') if button is not None else contextlib.nullcontext():
                result = await translation.translate_reply(self.user_id, message.id)
        except (HelpQuotaExceeded, HelperUnavailable, MessageNotFound) as refused:
            self._redraw(message.id, None, shown(str(refused)))
            return
        known = self.translated[message.id] = _Translated(message.content, result.text, result.language)
        self._redraw(message.id, known)

    def _redraw(self, message_id: int, known: _Translated | None, problem: str | None = None) -> None:
        button = self.buttons.get(message_id)
        if button is None or button.is_deleted:
            return
        shown = known is not None and known.shown
        button.set_expanded('translate', shown)
        area = self.areas.get(message_id)
        if not (problem or shown):
            if area is not None and not area.is_deleted:
                area.clear()
            return
        if area is None or area.is_deleted:
            with self.bodies[message_id]:  # the reply's last part, under its buttons
                area = (
                    ui.column()
                    .classes('gap-0 w-full translation-area')
                    .props(f'data-testid=translation-{message_id}')
                )
            self.areas[message_id] = area
        area.clear()
        with area:
            if problem:
                refusal(problem)
            elif known is not None:
                ui.label(known.text).classes('reply-translation text-body2').props(
                    f'lang={known.language} data-testid=translation-text'
                )
