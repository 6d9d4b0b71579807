"""`Hint` beside `Message`: an idea, a few keywords and up to three lines the learner could say next.

Choosing a line puts its text into `Message` to edit; nothing is ever sent from here.
"""

from nicegui import ui

from i18n import _
from services import help_quota, hints
from services.errors import HelperUnavailable, HelpQuotaExceeded, RoomNotFound
from services.hints import Hints
from services.stored_text import shown
from ui.learning import help_left_text, refusal
from ui.tip import tip


class HintPanel:
    """The panel (create it above the input row) and its `Hint` button (`button()`, beside `Message`)."""

    def __init__(self, user_id: int, room_id: int, room_language: str, native_language: str) -> None:
        self.user_id = user_id
        self.room_id = room_id
        self.room_language = room_language
        self.native_language = native_language
        self.message_input: ui.textarea | None = None
        self.turn = 0
        # The panel is made where this is created, the first time `Hint` is pressed (most turns never
        # ask): its eight elements would otherwise be kept on the server for every open chat page.
        self.parent = ui.context.slot.parent
        self.position = len(ui.context.slot.children)
        self._panel: ui.card | None = None

    @property
    def panel(self) -> ui.card:
        if self._panel is None:
            self._panel = self._make_panel()
        return self._panel

    def _make_panel(self) -> ui.card:
        hints_name, close_name = _('Hints'), _('Close hints')
        with (
            self.parent,
            ui.card()
            .props(f'flat bordered role=region aria-label="{hints_name}" data-testid=hint-panel')
            .classes('w-full hint-panel gap-1 p-2') as panel,
        ):
            with ui.row().classes('w-full items-center justify-between no-wrap'):
                with ui.row().classes('items-center gap-2'):
                    ui.icon('lightbulb', color='indigo-10').props('aria-hidden=true')
                    ui.label(_('What you could say')).classes('text-subtitle2')
                    self.help_left = (
                        ui.label().classes('text-caption hint-quiet').props('data-testid=hint-help-left')
                    )
                ui.button(icon='close', on_click=self.close).props(
                    f'flat round dense size=sm color=grey-9 aria-label="{close_name}"'
                )
            self.content = ui.column().classes('w-full gap-1')
        panel.move(self.parent, target_index=self.position)
        return panel

    def button(self, message_input: ui.textarea) -> ui.button:
        """The `Hint` button; chosen lines land in `message_input`."""
        self.message_input = message_input
        button = (
            ui.button(_('Hint'), icon='lightbulb', on_click=self.open)
            .props('outline no-caps no-wrap color=indigo-10 data-testid=hint-button')
            .classes('hint-button')
        )
        return tip(button, _('Ideas for what to say next (nothing is sent)'), side='above', anchor='end-edge')

    async def open(self) -> None:
        """Fresh suggestions for the conversation as it is now (one help unit)."""
        self.turn += 1
        turn = self.turn
        self.panel.set_visibility(True)
        self.content.clear()
        with self.content, ui.row().classes('items-center gap-2'):
            ui.spinner(size='sm', color='indigo-10')
            ui.label(_('Thinking of what you could say…')).classes('text-body2')
        try:
            found: Hints | str = await hints.next_line_hints(self.user_id, self.room_id)
        except (HelpQuotaExceeded, HelperUnavailable) as refused:
            found = shown(str(refused))
        except RoomNotFound:
            ui.navigate.to('/rooms')
            return
        allowance = await help_quota.status(self.user_id)
        if turn != self.turn or self.panel.is_deleted:
            return
        self.help_left.set_text(f'· {help_left_text(allowance.remaining, allowance.unlimited)}')
        self.content.clear()
        with self.content:
            if isinstance(found, str):
                refusal(found).props('data-testid=hint-problem')
            else:
                self._draw(found)

    def close(self) -> None:
        self.turn += 1  # a late answer is not shown any more
        if self._panel is not None:
            self._panel.set_visibility(False)

    def choose(self, text: str) -> None:
        """The line goes into `Message`, ready to edit; the learner sends it (or not)."""
        if self.message_input is not None:
            self.message_input.value = text
            self.message_input.run_method('focus')
        self.close()

    def _draw(self, found: Hints) -> None:
        if found.idea:
            ui.label(found.idea).classes('text-body2').props(f'lang={self.native_language}')
        if found.keywords:
            with ui.row().classes('items-center gap-1'):
                ui.label(_('Keywords:')).classes('text-caption hint-quiet')
                for keyword in found.keywords:
                    ui.chip(keyword).props(f'outline dense square color=indigo-10 lang={self.room_language}')
        for line in found.lines:
            with (
                ui.button(on_click=lambda text=line.text: self.choose(text))
                .props('outline no-caps align=left color=indigo-10 data-testid=hint-line')
                .classes('w-full hint-line')
                .mark('hint-line'),
                ui.column().classes('gap-0 items-start text-left'),
            ):
                ui.label(line.text).classes('text-body2').props(f'lang={self.room_language}')
                if line.gloss:
                    ui.label(line.gloss).classes('text-caption hint-gloss').props(
                        f'lang={self.native_language}'
                    )
