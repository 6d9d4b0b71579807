"""The `End session` button of the chat page: ends the room's current session and opens its report."""

from nicegui import ui

from i18n import _
from services import practice_sessions
from services.errors import NothingToReport, RoomNotFound
from ui.tip import tip


class EndSessionButton:
    """Making the report may take a while (`End only` lines are checked, the coach note is asked for)."""

    def __init__(self, user_id: int, room_id: int) -> None:
        self.user_id, self.room_id = user_id, room_id
        self.button = ui.button(_('End session'), icon='flag', on_click=self.end).props(
            'flat no-caps data-testid=end-session'
        )
        tip(self.button, _('End this session and see its report'))

    async def end(self) -> None:
        self.button.props('loading')
        try:
            report = await practice_sessions.end_session(self.user_id, self.room_id)
        except NothingToReport as refused:
            ui.notify(str(refused), type='warning')
            return
        except RoomNotFound:
            ui.navigate.to('/rooms')
            return
        finally:
            self.button.props(remove='loading')
        ui.navigate.to(f'/rooms/{self.room_id}/report/{report.id}')
