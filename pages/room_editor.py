"""/rooms/new (with the scenario gallery) and /rooms/{id}/edit."""

from fastapi import HTTPException
from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _
from pages.session import current_user, to_login, user_frame
from services import missions, rooms
from services.errors import InvalidInput, RoomCreationThrottled, RoomLimitReached, RoomNotFound
from services.room_texts import LEVEL_LABELS
from services.rooms import (
    DEFAULT_FEEDBACK_MODE,
    FEEDBACK_MODES,
    FIELD_LIMITS,
    LEVELS,
    RoomDraft,
    RoomInfo,
    language_names,
)
from services.scenarios import SCENARIOS, Scenario, english, scenario_by_key
from ui.forms import show_field_errors
from ui.frame import error_text, page_heading, show_error
from ui.tip import tip


@ui.page('/rooms/new')
async def new_room_page(scenario: str | None = None) -> RedirectResponse | None:
    """Pick a scenario (or start blank), adjust the fields, save."""
    user = await current_user()
    if user is None:
        return to_login('/rooms/new')
    with user_frame(user, _('New room')):
        page_heading(_('New room'))
        ui.label(_('Start from a scenario, then adjust anything you like.')).classes('text-grey-8')
        form = RoomForm(user.id, None)
        with ui.row().classes('w-full gap-2 scenario-gallery'):
            for preset in SCENARIOS:
                scenario_chip(preset, form)
        form.build()
        if preset := scenario_by_key(scenario):
            form.fill(preset)
    return None


@ui.page('/rooms/{room_id:int}/edit')
async def edit_room_page(room_id: int) -> RedirectResponse | None:
    """Change a room's set-up; its conversation stays."""
    user = await current_user()
    if user is None:
        return to_login(f'/rooms/{room_id}/edit')
    try:
        room = await rooms.get_room(user.id, room_id)
    except RoomNotFound:
        raise HTTPException(status_code=404, detail=_('Room not found')) from None
    with user_frame(user, _('Edit {title}', title=room.title)):
        page_heading(_('Edit room'))
        form = RoomForm(user.id, room)
        form.build()
    return None


def scenario_chip(preset: Scenario, form: 'RoomForm') -> None:
    with (
        ui.card()
        .classes('cursor-pointer scenario-card p-3 gap-1')
        .props(f'flat bordered tabindex=0 role=button data-testid=scenario-{preset.key}')
        .mark(f'scenario-{preset.key}')
        .on('click', lambda: form.fill(preset))
        # A card is no native button: Enter and Space must choose it too (keyboard users).
        .on(
            'keydown',
            lambda: form.fill(preset),
            js_handler='(e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); emit(); } }',
        )
    ):
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon(preset.icon, color='primary')
            ui.label(str(preset.title)).classes('text-subtitle2')
        ui.label(str(preset.blurb)).classes('text-caption text-grey-7')


class RoomForm:
    """The editor's fields; `fill` pre-fills from a scenario, `save` creates or updates."""

    def __init__(self, user_id: int, room: RoomInfo | None) -> None:
        self.user_id = user_id
        self.room = room
        self.scenario: str | None = room.scenario if room else None

    def build(self) -> None:
        room = self.room
        with ui.card().classes('w-full gap-2'):
            self.title = self._input(_('Title'), room.title if room else '', 'title')
            with ui.row().classes('w-full gap-4 no-wrap'):
                self.language = ui.select(
                    language_names(), label=_('Language'), value=room.language if room else 'en'
                )
                self.language.classes('w-1/2').props('outlined')
                self.level = ui.select(
                    {code: f'{code} · {LEVEL_LABELS[code]}' for code in LEVELS},
                    label=_('Level'),
                    value=room.level if room else 'B1',
                )
                self.level.classes('w-1/2').props('outlined')
            self.situation = self._textarea(_('Situation'), room.situation if room else '', 'situation')
            with ui.row().classes('w-full gap-4 no-wrap'):
                self.ai_role = self._input(_('AI role'), room.ai_role if room else '', 'ai_role').classes(
                    'w-1/2'
                )
                self.my_role = self._input(_('My role'), room.my_role if room else '', 'my_role').classes(
                    'w-1/2'
                )
            self.instructions = self._textarea(
                _('Extra instructions (optional)'), room.instructions if room else '', 'instructions'
            )
            self.feedback = (
                ui.select(
                    {mode: str(label) for mode, label in FEEDBACK_MODES.items()},
                    label=_('Feedback'),
                    value=room.feedback_mode if room else DEFAULT_FEEDBACK_MODE,
                )
                .props('outlined data-testid=room-feedback')
                .classes('w-full')
            )
            ui.label(
                _(
                    'Corrections under your own lines: Gentle shows at most 2 per line, Full up to 5, '
                    'End only keeps them for the session report, Off asks for none.'
                )
            ).classes('text-caption text-grey-8')
            self.missions = (
                ui.textarea(_('Missions'), value='\n'.join(room.missions) if room else '')
                .props('outlined autogrow data-testid=room-missions')
                .classes('w-full')
            )
            tip(
                self.missions,
                _('Two to four goals for the conversation, one per line (optional)'),
                anchor='start-edge',
            )
            self.use_due_words = ui.switch(_('Use my due words'), value=room.use_due_words if room else False)
            tip(
                self.use_due_words,
                _('The partner uses up to three of your due vocabulary words (never a quiz)'),
                anchor='start-edge',
            )
            self.fields = {
                'title': self.title, 'language': self.language, 'level': self.level, 'situation': self.situation,
                'ai_role': self.ai_role, 'my_role': self.my_role, 'instructions': self.instructions,
                'feedback_mode': self.feedback, 'missions': self.missions,
            }  # fmt: skip
            self.problem = error_text()
            with ui.row().classes('w-full justify-end gap-2'):
                back = f'/rooms/{room.id}' if room else '/rooms'
                ui.button(_('Cancel'), on_click=lambda: ui.navigate.to(back)).props('flat no-caps')
                ui.button(_('Save'), icon='check', on_click=self.save).props('unelevated no-caps')

    def fill(self, preset: Scenario) -> None:
        self.scenario = preset.key
        # The room keeps the gallery's English (its content, and what the AI partner reads).
        self.title.value = english(preset.title)
        self.language.value = preset.language
        self.level.value = preset.level
        self.situation.value = preset.situation
        self.ai_role.value = preset.ai_role
        self.my_role.value = preset.my_role
        self.instructions.value = preset.instructions
        self.missions.value = '\n'.join(preset.missions)
        show_field_errors(self.fields, {})

    async def save(self) -> None:
        show_field_errors(self.fields, {})
        show_error(self.problem, None)
        draft = RoomDraft(
            title=self.title.value or '', language=self.language.value or '', situation=self.situation.value or '',
            ai_role=self.ai_role.value or '', my_role=self.my_role.value or '', level=self.level.value or '',
            instructions=self.instructions.value or '', scenario=self.scenario,
            feedback_mode=self.feedback.value or DEFAULT_FEEDBACK_MODE,
            use_due_words=bool(self.use_due_words.value),
            missions=missions.mission_lines(self.missions.value or ''),
        )  # fmt: skip
        try:
            if self.room is None:
                saved = await rooms.create_room(self.user_id, draft)
            else:
                saved = await rooms.update_room(self.user_id, self.room.id, draft)
        except InvalidInput as refused:
            show_field_errors(self.fields, refused.field_errors)  # marked, described, the first focused
            for name, message in refused.field_errors.items():
                if name not in self.fields:
                    ui.notify(str(message), type='negative')
            return
        except RoomNotFound:
            ui.notify(_('This room no longer exists.'), type='negative')
            return
        except (RoomLimitReached, RoomCreationThrottled) as refused:
            show_error(self.problem, str(refused))
            return
        ui.navigate.to(f'/rooms/{saved.id}')

    @staticmethod
    def _input(label: str, value: str, name: str) -> ui.input:
        return (
            ui.input(label, value=value)
            .props(f'outlined maxlength={FIELD_LIMITS[name]} data-testid=room-{name}')
            .classes('w-full')
        )

    @staticmethod
    def _textarea(label: str, value: str, name: str) -> ui.textarea:
        return (
            ui.textarea(label, value=value)
            .props(f'outlined autogrow maxlength={FIELD_LIMITS[name]} counter data-testid=room-{name}')
            .classes('w-full')
        )
