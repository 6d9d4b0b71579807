"""The chat page's missions: `Missions: N of M done`, the list (done ones ticked, with the learner's words).

A line is checked in the background with its feedback (services/feedback.py, services/missions.py);
`watch` awaits that check, like the feedback cards do, and redraws the list when it is done.

The panel is one element whose markup is written here (issue 17: every element of an open page is kept
on the server, and the list was about eight of them for two missions, made anew at each tick). It draws
what NiceGUI drew before: the same rows, labels and Quasar icon markup, so it looks the same.
"""

import html

from nicegui import background_tasks, ui

from i18n import _, catalogue_text
from pages.chat_feedback import WAIT_SECONDS
from services import feedback, missions
from services.errors import ServiceError
from services.missions import MissionInfo
from ui.markup import icon_html

DONE_ICON, OPEN_ICON = 'check_circle', 'radio_button_unchecked'


class MissionsPanel:
    """Nothing at all for a room without missions."""

    def __init__(self, user_id: int, room_id: int, found: tuple[MissionInfo, ...]) -> None:
        self.user_id, self.room_id = user_id, room_id
        self.client = ui.context.client  # the redraw after a check speaks the page's language
        self.found = found
        self.box: ui.html | None = None
        if found:  # missions are set in the editor: a room without them gets none while this page is open
            self.box = (
                ui.html(missions_html(found), sanitize=False)  # every text in it is escaped
                .classes('nicegui-column w-full gap-1 chat-missions')
                .props('data-testid=missions')
            )

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
        if self.box is None:
            return
        self.box.set_visibility(bool(found))
        markup = missions_html(found) if found else ''
        if markup != self.box.content:  # the same list again sends nothing to the browser
            self.box.set_content(markup)

    async def _wait(self, message_id: int) -> None:
        try:
            if not await feedback.wait_checked(self.user_id, message_id, timeout_seconds=WAIT_SECONDS):
                return  # checked here and no mission ticked: nothing to read or draw
            found = await missions.room_missions(self.user_id, self.room_id)
        except ServiceError:  # the line or the room was deleted meanwhile
            return
        if found != self.found and self.box is not None and not self.box.is_deleted:
            self.show(found)


def missions_html(found: tuple[MissionInfo, ...]) -> str:
    """The heading, a row per mission (icon, text, the learner's words once done) and, when all are done,
    the banner; every text escaped (missions and evidence come from learners and the model)."""
    done = sum(mission.done for mission in found)
    heading = _('Missions: {done} of {total} done', done=done, total=len(found))
    rows = ''.join(_mission_row(mission) for mission in found)
    banner = ''
    if done == len(found):
        all_done = _('All missions done. Well done!')
        banner = f'<div class="text-positive text-weight-bold" role="status">{_text(all_done)}</div>'
    return f'<div class="text-subtitle2">{_text(heading)}</div>{rows}{banner}'


def _mission_row(mission: MissionInfo) -> str:
    # The icon is hidden from screen readers (its name would be read out); the word beside it says it.
    state = _('Done:') if mission.done else _('Not done:')
    colour = 'text-positive' if mission.done else 'text-grey'
    icon = icon_html(DONE_ICON if mission.done else OPEN_ICON, classes=colour)
    # Gallery rooms keep their missions in English: shown in the reader's language.
    text = f'<div class="text-body2">{_text(catalogue_text(mission.text))}</div>'
    evidence = ''
    if mission.done and mission.evidence:
        evidence = f'<div class="text-caption text-grey-8">{_text(f"“{mission.evidence}”")}</div>'
    return (
        f'<div class="nicegui-row row items-center gap-2 no-wrap">{icon}'
        f'<span class="sr-only">{_text(state)}</span>{text}{evidence}</div>'
    )


def _text(text: str) -> str:
    """`text` as text in markup (quotes need no escaping outside attributes; a learner's apostrophe stays)."""
    return html.escape(text, quote=False)
