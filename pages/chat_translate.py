"""`Translate` under each AI reply: its translation into the learner's language shows under it.

A second click hides it; showing it again costs nothing (kept here, and cached by the service for
other tabs and later visits). Nothing is ever shown unasked, so listening mode keeps its secret.
"""

from dataclasses import dataclass

from nicegui import ui

from i18n import _
from services import translation
from services.chat import MessageInfo
from services.errors import HelperUnavailable, HelpQuotaExceeded, MessageNotFound
from services.stored_text import shown
from ui.chat import message_action
from ui.learning import refusal


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
        self.buttons: dict[int, ui.button] = {}

    def draw(self, message: MessageInfo, row: ui.row) -> None:
        """The button into the reply's action `row`, the (empty or shown) translation below it."""
        known = self.translated.get(message.id)
        if known is not None and known.content != message.content:
            del self.translated[message.id]
            known = None
        with row:
            button = message_action(
                'translate', _('Translate'), lambda: self.toggle(message), 'translate-reply', message.id
            )
        self.buttons[message.id] = button
        self.areas[message.id] = (
            ui.column().classes('gap-0 w-full').props(f'data-testid=translation-{message.id}')
        )
        self._redraw(message.id, known)

    async def toggle(self, message: MessageInfo) -> None:
        known = self.translated.get(message.id)
        if known is not None:
            known.shown = not known.shown
            self._redraw(message.id, known)
            return
        button = self.buttons.get(message.id)
        if button is not None:
            button.props('loading')
        try:
            result = await translation.translate_reply(self.user_id, message.id)
        except (HelpQuotaExceeded, HelperUnavailable, MessageNotFound) as refused:
            self._redraw(message.id, None, shown(str(refused)))
            return
        finally:
            if button is not None and not button.is_deleted:
                button.props(remove='loading')
        known = self.translated[message.id] = _Translated(message.content, result.text, result.language)
        self._redraw(message.id, known)

    def _redraw(self, message_id: int, known: _Translated | None, problem: str | None = None) -> None:
        area, button = self.areas.get(message_id), self.buttons.get(message_id)
        if area is None or area.is_deleted:
            return
        shown = known is not None and known.shown
        if button is not None and not button.is_deleted:
            button.props(f'aria-expanded={str(shown).lower()}')
        area.clear()
        with area:
            if problem:
                refusal(problem)
            elif known is not None and known.shown:
                ui.label(known.text).classes('reply-translation text-body2').props(
                    f'lang={known.language} data-testid=translation-text'
                )
