"""/rooms: the learner's role-play rooms."""

from fastapi.responses import RedirectResponse
from nicegui import ui

from pages.session import current_user, to_login, user_frame


@ui.page('/rooms')
async def rooms_page() -> RedirectResponse | None:
    """The list of rooms (empty until the learner creates one)."""
    user = await current_user()
    if user is None:
        return to_login('/rooms')
    with user_frame(user, 'Rooms'):
        ui.label('Your rooms').classes('text-h5')
        with ui.card().classes('w-full items-center py-10 gap-2 empty-state').props('flat bordered'):
            ui.icon('forum', size='xl').classes('text-grey-5')
            ui.label('No rooms yet').classes('text-h6')
            ui.label('A room is a role-play: a language, a situation, and who you and the AI are.')
    return None


@ui.page('/')
async def index_page() -> RedirectResponse:
    """The start page is the room list (the guard sends signed-out visitors to /login)."""
    return RedirectResponse('/rooms', status_code=303)
