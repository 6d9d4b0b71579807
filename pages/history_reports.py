"""The `Session reports` part of /history: past reports, newest first, a page at a time, each a link."""

from nicegui import ui

from services import practice_sessions
from services.practice_sessions import ReportSummary
from ui.frame import section_heading

PAGE_SIZE = 10


class ReportList:
    """Shows the first page when created (await `load()`); `Show more reports` adds older ones."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self.cursor: int | None = None
        with ui.column().classes('w-full gap-2'):
            section_heading('Session reports').classes('text-subtitle1')
            self.empty = ui.label('Press `End session` in a room to get a report of what you said.').classes(
                'text-grey-7'
            )
            self.items = ui.column().classes('w-full gap-1')
            self.more = ui.button('Show more reports', icon='expand_more', on_click=self.load).props(
                'flat no-caps'
            )
            self.more.set_visibility(False)

    async def load(self) -> None:
        page = await practice_sessions.list_reports(self.user_id, before_id=self.cursor, limit=PAGE_SIZE)
        with self.items:
            for item in page.items:
                _line(item)
        self.cursor = page.next_cursor
        self.more.set_visibility(page.next_cursor is not None)
        self.empty.set_visibility(not self.items.default_slot.children)


def _line(item: ReportSummary) -> None:
    share = f' · {item.error_free_share:.0%} error-free' if item.error_free_share is not None else ''
    with ui.row().classes('w-full items-center gap-2').props(f'data-testid=report-{item.id}'):
        ui.icon('assignment', size='xs').classes('text-grey-7')
        ui.link(
            f'{item.room_title} · {item.ended_at:%b %d, %H:%M}', f'/rooms/{item.room_id}/report/{item.id}'
        )
        ui.label(f'{item.learner_turns} turn{"s" if item.learner_turns != 1 else ""}{share}').classes(
            'text-caption text-grey-8'
        )
