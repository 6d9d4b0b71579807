"""/rooms: the learner's role-play rooms, most recently active first."""

import contextlib

from fastapi.responses import RedirectResponse
from nicegui import ui

from pages.session import current_user, to_login, user_frame
from services import rooms
from services.errors import RoomNotFound
from services.rooms import RoomInfo
from ui.time import relative_time


@ui.page('/rooms')
async def rooms_page() -> RedirectResponse | None:
    """Room cards with `Open`, `Edit` and `Delete`; an empty state that points to the gallery."""
    user = await current_user()
    if user is None:
        return to_login('/rooms')

    @ui.refreshable
    async def room_list() -> None:
        owned = await rooms.list_rooms(user.id)
        if not owned:
            with ui.card().classes('w-full items-center py-10 gap-2 empty-state').props('flat bordered'):
                ui.icon('forum', size='xl').classes('text-grey-5')
                ui.label('No rooms yet').classes('text-h6')
                ui.label('A room is a role-play: a language, a situation, and who you and the AI are.')
                ui.button(
                    'Pick a scenario', icon='auto_awesome', on_click=lambda: ui.navigate.to('/rooms/new')
                )
            return
        with ui.grid().classes('w-full gap-3 grid-cols-1 sm:grid-cols-2'):
            for room in owned:
                room_card(room)

    def room_card(room: RoomInfo) -> None:
        with ui.card().classes('gap-2 room-card').props(f'data-testid=room-{room.id}'):
            ui.label(room.title).classes('text-h6 ellipsis w-full')
            with ui.row().classes('gap-1'):
                ui.badge(room.language_name).props('outline color=primary')
                ui.badge(room.level).props('outline color=secondary')
            ui.label(room.situation).classes('text-body2 text-grey-8 ellipsis-2-lines')
            activity = f'{room.message_count} messages · ' if room.message_count else 'No messages yet · '
            ui.label(activity + f'active {relative_time(room.last_activity_at)}').classes(
                'text-caption text-grey-7'
            )
            with ui.row().classes('w-full gap-2 justify-end'):
                ui.button('Open', icon='chat', on_click=lambda: ui.navigate.to(f'/rooms/{room.id}')).props(
                    'unelevated no-caps'
                )
                ui.button('Edit', on_click=lambda: ui.navigate.to(f'/rooms/{room.id}/edit')).props(
                    'flat no-caps'
                )
                ui.button('Delete', on_click=lambda: confirm_delete(room)).props(
                    'flat no-caps color=negative'
                )

    async def confirm_delete(room: RoomInfo) -> None:
        with ui.dialog() as dialog, ui.card():
            ui.label(f'Delete "{room.title}"?').classes('text-h6')
            ui.label('The room and its whole conversation are deleted. This cannot be undone.')
            with ui.row().classes('w-full justify-end'):
                ui.button('Cancel', on_click=lambda: dialog.submit(False)).props('flat no-caps')
                ui.button('Delete', on_click=lambda: dialog.submit(True)).props(
                    'unelevated no-caps color=negative data-testid=confirm-delete'
                ).mark('confirm-delete')
        if await dialog:
            # Already gone (deleted in another tab) is fine: the refreshed list shows the truth.
            with contextlib.suppress(RoomNotFound):
                await rooms.delete_room(user.id, room.id)
            ui.notify(f'Deleted "{room.title}"')
            room_list.refresh()
        dialog.delete()

    with user_frame(user, 'Rooms'):
        with ui.row().classes('w-full items-center justify-between'):
            ui.label('Your rooms').classes('text-h5')
            ui.button('New room', icon='add', on_click=lambda: ui.navigate.to('/rooms/new')).props(
                'unelevated no-caps'
            )
        await room_list()
    return None


@ui.page('/')
async def index_page() -> RedirectResponse:
    """The start page is the room list (the guard sends signed-out visitors to /login)."""
    return RedirectResponse('/rooms', status_code=303)
