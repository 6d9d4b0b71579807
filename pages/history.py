"""/history: search everything one has said and heard, across rooms; a hit opens its room at that message."""

from datetime import datetime, tzinfo
from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _, format_date, format_time, ngettext
from pages.history_reports import ReportList
from pages.session import current_user, to_login, user_frame
from services import history, quota
from services.errors import InvalidInput
from services.history import QUERY_MAX_LENGTH, SearchHit
from ui.frame import error_text, page_heading, show_error
from ui.search import snippet_html
from ui.time import relative_time
from ui.tip import tip

PAGE_SIZE = 20


@ui.page('/history')
async def history_page(q: str = '') -> RedirectResponse | None:
    """A keyword box and the newest matching messages first, `Show more results` for older ones."""
    user = await current_user()
    if user is None:
        return to_login('/history' + (f'?q={quote(q)}' if q else ''))
    zone = quota.day_zone()
    state: dict = {'query': '', 'cursor': None, 'found': 0}

    async def search() -> None:
        """A new search from the box: the first page of results, and the address remembers it."""
        query = (search_input.value or '').strip()
        results.clear()
        more_button.set_visibility(False)
        summary.set_text('')
        state.update(query=query, cursor=None, found=0)
        ui.navigate.history.replace(f'/history?q={quote(query)}' if query else '/history')
        if not query:
            show_error(problem, None)
            return
        await load_page()

    async def load_page() -> None:
        try:
            page = await history.search_messages(user.id, state['query'], state['cursor'], PAGE_SIZE)
        except InvalidInput as refused:
            show_error(problem, str(refused))
            return
        show_error(problem, None)
        with results:
            for hit in page.hits:
                hit_card(hit, state['query'], zone)
        state['cursor'] = page.next_cursor
        state['found'] += len(page.hits)
        more_button.set_visibility(page.next_cursor is not None)
        summary.set_text(_summary(state['found'], state['query'], more=page.next_cursor is not None))

    with user_frame(user, _('History')):
        page_heading(_('Search your history'))
        ui.label(_('Every message you sent and every reply you got, in all your rooms.')).classes(
            'text-body2 text-grey-8'
        )
        with ui.row().classes('w-full items-start gap-2 no-wrap'):
            search_input = (
                ui.input(_('Search your messages'), value=q[:QUERY_MAX_LENGTH])
                .props(
                    f'outlined dense clearable autofocus maxlength={QUERY_MAX_LENGTH} data-testid=history-search'
                )
                .classes('flex-grow')
                .on('keydown.enter', search)
            )
            ui.button(_('Search'), icon='search', on_click=search).props('unelevated no-caps')
        problem = error_text()
        summary = ui.label().classes('text-caption text-grey-7').props('data-testid=search-summary')
        results = ui.column().classes('w-full gap-2 search-results')
        more_button = ui.button(_('Show more results'), icon='expand_more', on_click=load_page).props(
            'flat no-caps'
        )
        more_button.set_visibility(False)
        reports = ReportList(user.id)
    await reports.load()
    if q.strip():
        await search()
    return None


def hit_card(hit: SearchHit, query: str, zone: tzinfo) -> None:
    """One result: room, who said it, when, and the matching text; the whole card opens the room there."""
    target = f'/rooms/{hit.room_id}?message={hit.id}'
    with (
        ui.link(target=target).classes('w-full no-underline text-inherit search-hit'),
        ui.card().classes('w-full gap-1 cursor-pointer').props(f'flat bordered data-testid=hit-{hit.id}'),
    ):
        with ui.row().classes('w-full items-center gap-2 text-caption text-grey-7'):
            ui.icon('forum', size='xs')
            ui.label(hit.room_title).classes('text-weight-medium text-primary ellipsis')
            ui.badge(_('You') if hit.role == 'user' else _('AI partner')).props(
                f'outline color={"indigo" if hit.role == "user" else "teal"}'
            )
            ui.space()
            tip(ui.label(_when(hit.created_at, zone)), _exact_time(hit.created_at, zone), anchor='end-edge')
        ui.html(snippet_html(hit.content, query), sanitize=True).classes('text-body2 text-dark hit-snippet')


def _when(moment: datetime, zone: tzinfo) -> str:
    """'5 min ago · Nov 29, 2026 9:05 AM', the date and time as the reader's language writes them."""
    local = moment.astimezone(zone)
    return f'{relative_time(moment)} · {format_date(local, "medium")} {format_time(local, "short")}'


def _exact_time(moment: datetime, zone: tzinfo) -> str:
    """'Monday, November 30, 2026 8:29 AM (KST)' / '2026년 11월 30일 월요일 오전 8:29 (KST)'."""
    local = moment.astimezone(zone)
    return f'{format_date(local, "full")} {format_time(local, "short")} ({local.tzname()})'


def _summary(found: int, query: str, more: bool) -> str:
    if not found:
        return _('Nothing found for "{query}".', query=query)
    if more:
        return _('{count}+ messages with "{query}", newest first.', count=found, query=query)
    return ngettext(
        '{count} message with "{query}", newest first.',
        '{count} messages with "{query}", newest first.',
        found,
        query=query,
    )
