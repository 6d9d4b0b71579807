"""/rooms: the learner's role-play rooms, most recently active first, a page at a time (`Load more`)."""

import asyncio
import contextlib

from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _, ngettext
from pages.session import current_user, to_login, user_frame
from services import rooms
from services.errors import RoomNotFound
from services.rooms import RoomInfo, RoomPage
from ui.dialogs import confirm
from ui.frame import page_heading
from ui.time import relative_time

CARDS_PER_TURN = 8  # about 20 ms of work between two chances for other requests


@ui.page('/rooms')
async def rooms_page() -> RedirectResponse | None:
    """Room cards with `Open`, `Edit` and `Delete`; an empty state that points to the gallery."""
    user = await current_user()
    if user is None:
        return to_login('/rooms')

    filters: dict = {'title': '', 'language': None, 'sort': 'activity'}
    searches = {'started': 0}
    controls: dict = {}
    shown: dict = {'grid': None, 'more': None, 'cursor': None}

    @ui.refreshable
    def room_list(page: RoomPage) -> None:
        owned = page.rooms
        shown['cursor'] = None  # set once the page's cards are there
        if not owned and (filters['title'] or filters['language']):
            with ui.column().classes('w-full items-center py-8 gap-2 text-grey-8'):
                ui.icon('search_off', size='lg').classes('text-grey-5')
                ui.label(_('No rooms match your search.')).props('data-testid=no-matching-rooms')
                ui.button(_('Clear filters'), on_click=clear_filters).props('flat no-caps')
            return
        if not owned:
            with ui.card().classes('w-full items-center py-10 gap-2 empty-state').props('flat bordered'):
                ui.icon('forum', size='xl').classes('text-grey-5')
                ui.label(_('No rooms yet')).classes('text-h6')
                ui.label(_('A room is a role-play: a language, a situation, and who you and the AI are.'))
                ui.button(
                    _('Pick a scenario'), icon='auto_awesome', on_click=lambda: ui.navigate.to('/rooms/new')
                )
            return
        shown['grid'] = ui.grid().classes('w-full gap-3 grid-cols-1 sm:grid-cols-2')
        shown['more'] = ui.button(_('Load more'), icon='expand_more', on_click=load_more).props(
            'flat no-caps data-testid=load-more-rooms'
        )
        shown['more'].set_visibility(False)

    async def add_cards(page: RoomPage, this_search: int) -> None:
        """The page's cards, a few at a time (building them is work other requests would wait for)."""
        for index, room in enumerate(page.rooms):
            if this_search != searches['started']:
                return  # the filters changed meanwhile: this list is being replaced
            with shown['grid']:
                room_card(room)
            if index % CARDS_PER_TURN == CARDS_PER_TURN - 1:
                await asyncio.sleep(0)
        if page.rooms and this_search == searches['started']:
            shown['cursor'] = page.next_cursor
            shown['more'].set_visibility(page.next_cursor is not None)

    async def load_more() -> None:
        """The next page of rooms for the same filters, added below the ones shown."""
        this_search, cursor = searches['started'], shown['cursor']
        if cursor is None:
            return
        shown['cursor'] = None  # a second click while this page loads adds nothing twice
        page = await rooms.room_page(user.id, filters['title'], filters['language'], filters['sort'], cursor)
        await add_cards(page, this_search)

    def room_card(room: RoomInfo) -> None:
        with ui.card().classes('gap-2 room-card').props(f'data-testid=room-{room.id}'):
            ui.label(room.title).classes('text-h6 ellipsis w-full')
            with ui.row().classes('gap-1'):
                ui.badge(room.language_name).props('outline color=primary')
                ui.badge(room.level).props('outline color=secondary')
            ui.label(room.situation).classes('text-body2 text-grey-8 ellipsis-2-lines')
            ui.label(activity_text(room)).classes('text-caption text-grey-7')
            with ui.row().classes('w-full gap-2 justify-end'):
                ui.button(_('Open'), icon='chat', on_click=lambda: ui.navigate.to(f'/rooms/{room.id}')).props(
                    'unelevated no-caps'
                )
                ui.button(_('Edit'), on_click=lambda: ui.navigate.to(f'/rooms/{room.id}/edit')).props(
                    'flat no-caps'
                )
                ui.button(_('Delete'), on_click=lambda: confirm_delete(room)).props(
                    'flat no-caps color=negative'
                )

    async def confirm_delete(room: RoomInfo) -> None:
        if not await confirm(
            _('Delete "{title}"?', title=room.title),
            _('The room and its whole conversation are deleted. This cannot be undone.'),
            _('Delete'),
        ):
            return
        # Already gone (deleted in another tab) is fine: the refreshed list shows the truth.
        with contextlib.suppress(RoomNotFound):
            await rooms.delete_room(user.id, room.id)
        ui.notify(_('Deleted "{title}"', title=room.title))
        await apply()

    def room_filters() -> None:
        """Search by title, narrow to one language, choose the order; the list follows as you type."""
        with ui.row().classes('w-full items-center gap-2 room-filters'):
            search = (
                ui.input(_('Search rooms'), on_change=lambda event: apply(title=event.value or ''))
                .props('outlined dense clearable debounce=250 maxlength=80 data-testid=room-search')
                .classes('flex-grow min-w-[12rem]')
            )
            with search.add_slot('prepend'):
                ui.icon('search')
            language = (
                ui.select(
                    {'': _('All languages'), **rooms.language_names()},
                    value='',
                    label=_('Language'),
                    on_change=lambda event: apply(language=event.value or None),
                )
                .props('outlined dense data-testid=room-language')
                .classes('w-40')
                .mark('room-language')
            )
            ui.select(
                {key: str(label) for key, label in rooms.ROOM_SORTS.items()},
                value='activity',
                label=_('Sort by'),
                on_change=lambda event: apply(sort=event.value),
            ).props('outlined dense data-testid=room-sort').classes('w-44').mark('room-sort')
        controls['search'], controls['language'] = search, language

    async def apply(**changes: object) -> None:
        """Fetch the list for the current filters; only the latest of overlapping searches is shown."""
        filters.update(changes)
        searches['started'] += 1
        this_search = searches['started']
        page = await rooms.room_page(user.id, filters['title'], filters['language'], filters['sort'])
        if this_search == searches['started']:
            await room_list.refresh(page)  # awaited: not deferred, so the cards go into the new grid
            await add_cards(page, this_search)

    def clear_filters() -> None:
        controls['search'].value = ''
        controls['language'].value = ''

    with user_frame(user, _('Rooms')):
        with ui.row().classes('w-full items-center justify-between'):
            page_heading(_('Your rooms'))
            ui.button(_('New room'), icon='add', on_click=lambda: ui.navigate.to('/rooms/new')).props(
                'unelevated no-caps'
            )
        first_page = await rooms.room_page(user.id)
        if first_page.rooms:
            room_filters()
        room_list(first_page)
        await add_cards(first_page, searches['started'])
    return None


def activity_text(room: RoomInfo) -> str:
    """'12 messages · active 5 min ago' under a room card's situation."""
    when = relative_time(room.last_activity_at)
    if not room.message_count:
        return _('No messages yet · active {when}', when=when)
    return ngettext(
        '{count} message · active {when}', '{count} messages · active {when}', room.message_count, when=when
    )


@ui.page('/')
async def index_page() -> RedirectResponse:
    """The start page is the room list (the guard sends signed-out visitors to /login)."""
    return RedirectResponse('/rooms', status_code=303)
