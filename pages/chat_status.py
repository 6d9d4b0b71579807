"""The chat page's status lines above `Message`: the day's allowance, the page's audio player and the alert.

The player, the alert and `Daily limit reached` are made the first time they are needed (most visits play
nothing and see no error): hidden, they were three elements kept on the server for every open chat page.
"""

from nicegui import ui

from i18n import _, format_time
from services.quota import QuotaStatus
from ui.chat import quota_text


class ChatStatus:
    """Draws the allowance line where it is created; the player and the alert come below it when needed."""

    def __init__(self) -> None:
        self.column = ui.context.slot.parent
        with ui.row().classes('items-center gap-1 text-caption') as self.row:
            self.quota_label = ui.label().props('data-testid=quota')
            self.reset_label = ui.label().classes('text-grey-7')
        self.limit_label: ui.label | None = None
        self.player: ui.audio | None = None
        self.alert: ui.label | None = None

    def show_quota(self, current: QuotaStatus) -> None:
        self.quota_label.set_text(quota_text(current.remaining, current.limit, current.unlimited))
        self.reset_label.set_text(
            _(
                '· resets at {time} ({zone})',
                time=format_time(current.resets_at),
                zone=current.resets_at.tzname(),
            )
        )
        if current.exhausted and self.limit_label is None:
            with self.row:
                self.limit_label = ui.label(_('Daily limit reached')).classes(
                    'text-negative text-weight-bold'
                )
        if self.limit_label is not None:
            self.limit_label.set_visibility(current.exhausted)

    def play(self, source: str) -> None:
        """Play `source` in the page's player (made under the allowance line the first time)."""
        if self.player is None:
            with self.column:
                self.player = ui.audio(source).classes('w-full chat-player').props('data-testid=player')
            self.player.move(target_index=self._below_row())
        else:
            self.player.set_source(source)
            self.player.set_visibility(True)
        self.player.play()

    def show_alert(self, message: str | None) -> None:
        """The page's error line (role=alert: screen readers read it out); None hides it."""
        if self.alert is None:
            if not message:
                return
            with self.column:
                self.alert = (
                    ui.label().classes('text-negative text-body2').props('role=alert data-testid=chat-error')
                )
            self.alert.move(target_index=self._below_row() + (self.player is not None))
        self.alert.set_text(message or '')
        self.alert.set_visibility(bool(message))

    def _below_row(self) -> int:
        return self.column.default_slot.children.index(self.row) + 1
