"""/mistakes: the mistake log — every correction not dismissed or learned, across rooms, newest first."""

import contextlib

from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _
from i18n.formats import format_day_time, format_language
from pages.session import current_user, to_login, user_frame
from services import mistakes
from services.corrections import CATEGORIES, category_label
from services.errors import CorrectionNotFound
from services.mistakes import Mistake
from services.rooms import LANGUAGES
from ui.frame import page_heading

PAGE_SIZE = 20
ALL = ''


@ui.page('/mistakes')
async def mistakes_page() -> RedirectResponse | None:
    """Filter by category and language; `Mark learned` takes a mistake out of the log (not out of reports)."""
    user = await current_user()
    if user is None:
        return to_login('/mistakes')
    state: dict = {'cursor': None}

    async def reload() -> None:
        state['cursor'] = None
        results.clear()
        await load_page()

    async def load_page() -> None:
        page = await mistakes.mistake_log(
            user.id,
            category=category.value or None,
            language=language.value or None,
            before_id=state['cursor'],
            limit=PAGE_SIZE,
        )
        with results:
            for item in page.items:
                _card(item, learned)
        state['cursor'] = page.next_cursor
        more_button.set_visibility(page.next_cursor is not None)
        empty.set_visibility(not results.default_slot.children)

    async def learned(item: Mistake, card: ui.card) -> None:
        with contextlib.suppress(CorrectionNotFound):  # gone already (another tab): drop it here too
            await mistakes.mark_learned(user.id, item.correction_id)
        card.delete()
        empty.set_visibility(not results.default_slot.children)
        ui.notify(_('Marked as learned'))

    with user_frame(user, _('Mistakes')):
        page_heading(_('Mistake log'))
        ui.label(
            _('Corrections of your lines in every room, newest first, until you mark them learned.')
        ).classes('text-body2 text-grey-8')
        with ui.row().classes('w-full gap-2'):
            category = ui.select(
                {ALL: _('All categories')} | {name: category_label(name) for name in CATEGORIES},
                label=_('Category'),
                value=ALL,
                on_change=reload,
            ).classes('min-w-[12rem]')
            language = ui.select(
                {ALL: _('All languages')} | {code: format_language(code) for code in LANGUAGES},
                label=_('Language'),
                value=ALL,
                on_change=reload,
            ).classes('min-w-[10rem]')
        empty = ui.label(_('No mistakes to show.')).classes('text-grey-7')
        results = ui.column().classes('w-full gap-2')
        more_button = ui.button(_('Show more'), icon='expand_more', on_click=load_page).props('flat no-caps')
    await load_page()
    return None


def _card(item: Mistake, learned) -> None:
    with (
        ui.card()
        .classes('w-full gap-1')
        .props(f'flat bordered data-testid=mistake-{item.correction_id}') as card
    ):
        with ui.row().classes('w-full items-center gap-2 text-caption text-grey-7'):
            ui.badge(category_label(item.category)).props(
                'outline color=deep-orange-10'
            )  # #bf360c: 5.6:1 on white
            ui.link(item.room_title, f'/rooms/{item.room_id}?message={item.message_id}').classes(
                'text-primary'
            )
            ui.label(format_language(item.language))
            ui.space()
            ui.label(format_day_time(item.said_at))
        ui.label(f'“{item.said}”').classes('text-body2 text-grey-9')
        ui.label(f'{item.original} → {item.replacement}').classes('text-body1 text-weight-medium')
        if item.explanation:
            ui.label(item.explanation).classes('text-caption text-grey-8')
        ui.button(_('Mark learned'), icon='check', on_click=lambda: learned(item, card)).props(
            'flat dense no-caps'
        )
