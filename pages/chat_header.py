"""The top of the chat page: the room's title and badges, `End session`, `Export`, `Edit`, `Clear`, the
listening switches and the situation."""

from collections.abc import Awaitable, Callable
from html import escape

from nicegui import ui

from i18n import _
from pages.chat_session import EndSessionButton
from services import export
from services.language_names import language_name
from services.rooms import RoomInfo
from ui.frame import page_heading
from ui.lazy_menu import lazy_menu
from ui.markup import badge_html
from ui.tip import tip


class ChatHeader:
    """Draws itself where it is created; `listening`, `slow` and `send_after_speaking` are its switches."""

    def __init__(
        self,
        user_id: int,
        room: RoomInfo,
        on_clear: Callable[[], Awaitable[None]],
        on_listening: Callable[[], Awaitable[None]],
    ) -> None:
        self.room_id = room.id
        with ui.row().classes('w-full items-start justify-between gap-2'):
            with ui.column().classes('gap-1 min-w-[14rem] flex-1'):
                page_heading(room.title)
                # Static: one element for the row (four were kept on the server for every open chat page).
                roles = _('You: {my_role} · AI: {ai_role}', my_role=room.my_role, ai_role=room.ai_role)
                ui.html(
                    badge_html(language_name(room.language), 'primary')
                    + badge_html(room.level, 'secondary')
                    + f'<div class="text-caption text-grey-8">{escape(roles)}</div>',
                    sanitize=False,
                ).classes('nicegui-row row gap-1 items-center room-badges')
            with ui.row().classes('gap-1 no-wrap'):
                EndSessionButton(user_id, room.id)
                lazy_menu(ui.button(_('Export'), icon='download').props('flat no-caps'), self._export_items)
                ui.button(
                    _('Edit'), icon='edit', on_click=lambda: ui.navigate.to(f'/rooms/{room.id}/edit')
                ).props('flat no-caps')
                clear_history = _('Clear history')
                clear = (
                    ui.button(_('Clear'), icon='delete_sweep', on_click=on_clear)
                    .props(
                        f'flat no-caps color=negative aria-label="{clear_history}" data-testid=clear-history'
                    )
                    .mark('clear-history')
                )
                tip(clear, _('Delete every message of this room'), anchor='end-edge')
        with ui.row().classes('w-full items-center gap-4'):
            self.listening = ui.switch(_('Listening mode'), value=room.listening_mode, on_change=on_listening)
            tip(
                self.listening,
                _('New replies play by themselves; their text stays hidden until you reveal it'),
                anchor='start-edge',
            )
            self.slow = ui.switch(_('Slow speech'), value=room.slow_speech, on_change=on_listening)
            self.send_after_speaking = ui.switch(_('Send after speaking'))
            tip(self.send_after_speaking, _('Send what you said as soon as it is transcribed'))
        with ui.expansion(_('Situation'), icon='theater_comedy').classes('w-full text-grey-8'):
            ui.label(room.situation).classes('text-body2')

    def _export_items(self) -> None:
        ui.menu_item(_('Markdown (.md)'), on_click=lambda: self.download('markdown')).mark('export-markdown')
        ui.menu_item(_('JSON (.json)'), on_click=lambda: self.download('json')).mark('export-json')

    def download(self, export_format: export.ExportFormat) -> None:
        # Streamed by an HTTP route (api/export.py): a long room never sits in this process's memory whole.
        ui.download.from_url(f'/rooms/{self.room_id}/export?format={export_format}')
