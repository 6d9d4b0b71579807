"""The `Session reports` part of /history: past reports, newest first, a page at a time, each a link."""

from nicegui import ui

from i18n import _, format_date, format_percent, format_time, ngettext
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
            section_heading(_('Session reports')).classes('text-subtitle1')
            self.empty = ui.label(
                _('Press `{button}` in a room to get a report of what you said.', button=_('End session'))
            ).classes('text-grey-7')
            self.items = ui.column().classes('w-full gap-1')
            self.more = ui.button(_('Show more reports'), icon='expand_more', on_click=self.load).props(
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
    ended = f'{format_date(item.ended_at, "medium")} {format_time(item.ended_at, "short")}'
    with ui.row().classes('w-full items-center gap-2').props(f'data-testid=report-{item.id}'):
        ui.icon('assignment', size='xs').classes('text-grey-7')
        ui.link(f'{item.room_title} · {ended}', f'/rooms/{item.room_id}/report/{item.id}')
        ui.label(_figures(item)).classes('text-caption text-grey-8')


def _figures(item: ReportSummary) -> str:
    """'4 turns · 75% error-free' (the share only when the lines were checked)."""
    turns = item.learner_turns
    if item.error_free_share is None:
        return ngettext('{count} turn', '{count} turns', turns)
    share = format_percent(item.error_free_share)
    return ngettext(
        '{count} turn · {share} error-free', '{count} turns · {share} error-free', turns, share=share
    )
