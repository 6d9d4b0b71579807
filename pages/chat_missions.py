"""The chat page's missions: `Missions: N of M done`, the list (done ones ticked, with the learner's words).

A line is checked in the background with its feedback (services/feedback.py, services/missions.py);
`watch` awaits that check, like the feedback cards do, and redraws the list when it is done.
"""

from nicegui import background_tasks, ui

from i18n import _, catalogue_text
from pages.chat_feedback import WAIT_SECONDS
from services import feedback, missions
from services.errors import ServiceError
from services.missions import MissionInfo


class MissionsPanel:
    """Nothing at all for a room without missions."""

    def __init__(self, user_id: int, room_id: int, found: tuple[MissionInfo, ...]) -> None:
        self.user_id, self.room_id = user_id, room_id
        self.client = ui.context.client  # the redraw after a check speaks the page's language
        self.box = ui.column().classes('w-full gap-1 chat-missions').props('data-testid=missions')
        self.show(found)

    @classmethod
    async def create(cls, user_id: int, room_id: int) -> 'MissionsPanel':
        return cls(user_id, room_id, await missions.room_missions(user_id, room_id))

    def watch(self, message_id: int) -> None:
        """Redraw once the learner line `message_id` has been checked."""
        if self.found and not all(mission.done for mission in self.found):
            background_tasks.create(
                self._wait(message_id), name=f'missions {message_id}', context=self.client
            )

    def show(self, found: tuple[MissionInfo, ...]) -> None:
        self.found = found
        self.box.clear()
        self.box.set_visibility(bool(found))
        if not found:
            return
        done = sum(mission.done for mission in found)
        with self.box:
            ui.label(_('Missions: {done} of {total} done', done=done, total=len(found))).classes(
                'text-subtitle2'
            )
            for mission in found:
                with ui.row().classes('items-center gap-2 no-wrap'):
                    ui.icon('check_circle' if mission.done else 'radio_button_unchecked').props(
                        f'color={"positive" if mission.done else "grey"} aria-hidden=true'
                    )
                    # Gallery rooms keep their missions in English: shown in the reader's language.
                    ui.label(catalogue_text(mission.text)).classes('text-body2')
                    if mission.done and mission.evidence:
                        ui.label(f'“{mission.evidence}”').classes('text-caption text-grey-8')
            if done == len(found):
                ui.label(_('All missions done. Well done!')).classes('text-positive text-weight-bold').props(
                    'role=status'
                )

    async def _wait(self, message_id: int) -> None:
        try:
            if not await feedback.wait_checked(self.user_id, message_id, timeout_seconds=WAIT_SECONDS):
                return  # checked here and no mission ticked: nothing to read or draw
            found = await missions.room_missions(self.user_id, self.room_id)
        except ServiceError:  # the line or the room was deleted meanwhile
            return
        if found != self.found and not self.box.is_deleted:  # each redraw makes the list's elements anew
            self.show(found)
