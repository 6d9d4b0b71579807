"""/profile: nickname and bio, account facts, linked logins, password change, log out everywhere."""

from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import LANGUAGE_NAMES, _, format_date
from pages.profile_logins import LinkedLoginsCard, Reauthentication
from pages.profile_words import SavedWordsCard
from pages.session import current_user, log_out, page_session, to_login, user_frame
from services import accounts, oauth, sessions
from services.errors import InvalidInput, ReauthenticationRequired, ServiceError
from services.rooms import LANGUAGES
from services.validation import BIO_MAX_LENGTH, NICKNAME_MAX_LENGTH, PASSWORD_MAX_LENGTH
from ui.forms import password_input, show_field_errors
from ui.frame import error_text, page_heading, section_heading
from ui.language import language_name

DONE_CODES = ('linked', 'confirmed')  # what the /auth/{provider}/… routes report back (api/oauth.py)
# `Interface language` options: '' follows the browser (the account's ui_language None).
BROWSER_LANGUAGE = ''


@ui.page('/profile')
async def profile_page(
    oauth_done: str | None = None, oauth_error: str | None = None, provider: str | None = None
) -> RedirectResponse | None:
    """Edit how the learner appears, manage logins and the password, end sessions."""
    user = await current_user()
    if user is None:
        return to_login('/profile')
    reauthentication = Reauthentication(user)

    async def save_profile() -> None:
        profile_fields = {'nickname': nickname, 'bio': bio}
        show_field_errors(profile_fields, {})
        try:
            updated = await accounts.update_profile(user.id, nickname.value or '', bio.value or '')
        except InvalidInput as refused:
            show_field_errors(profile_fields, refused.field_errors)
            return
        display_name.set_text(updated.display_name)
        ui.notify(_('Profile saved'), type='positive')

    async def save_password() -> None:
        show_field_errors(password_fields, {})
        try:
            generation = await accounts.change_password(
                user.id,
                current.value or '',
                new_password.value or '',
                confirm.value or '',
                reauthentication.proved_at(),
            )
        except ReauthenticationRequired:  # a first password: only after a fresh provider round trip
            await reauthentication.ask()
            return
        except InvalidInput as refused:
            errors = refused.field_errors.items()
            show_field_errors(
                password_fields, {'new' if name == 'password' else name: text for name, text in errors}
            )
            return
        # Every other session has ended; this browser carries on in the new generation.
        sessions.keep_session(page_session(), generation)
        for field in password_fields.values():
            field.value = ''
        reauthentication.has_password = True
        current.set_visibility(True)
        ui.notify(_('Password changed'), type='positive')

    async def log_out_everywhere() -> None:
        await sessions.log_out_everywhere(user.id)
        log_out()

    with user_frame(user, _('Profile')):
        page_heading(_('Profile'))
        error_text(oauth.failure_text(oauth_error, provider))
        if oauth_done in DONE_CODES:
            name = oauth.PROVIDER_NAMES.get(provider or '') or _('The login')
            done = (
                _('{name} is now linked to your account.', name=name)
                if oauth_done == 'linked'
                else _('Thanks, confirmed. Go ahead.')
            )
            ui.label(done).classes('text-positive text-body2')
        with ui.card().classes('w-full gap-2'):
            with ui.row().classes('items-center gap-3'):
                ui.icon('account_circle', size='xl').classes('text-primary')
                with ui.column().classes('gap-0'):
                    display_name = ui.label(user.display_name).classes('text-h6')
                    ui.label(f'@{user.username} · {user.email}').classes('text-grey-7')
                    ui.label(_('Member since {date}', date=format_date(user.created_at, 'medium'))).classes(
                        'text-grey-7 text-caption'
                    )
            nickname = (
                ui.input(_('Nickname'), value=user.nickname, placeholder=_('How your partner calls you'))
                .props(f'outlined maxlength={NICKNAME_MAX_LENGTH} counter data-testid=profile-nickname')
                .classes('w-full')
            )
            bio = (
                ui.textarea(_('Short bio'), value=user.bio, placeholder=_('Goals, interests, level…'))
                .props(f'outlined maxlength={BIO_MAX_LENGTH} counter autogrow data-testid=profile-bio')
                .classes('w-full')
            )
            ui.button(_('Save profile'), on_click=save_profile).props('unelevated no-caps')

        await LinkedLoginsCard(user.id, reauthentication).build()
        my_language_card(user.id, user.native_language)
        interface_language_card(user.id, user.ui_language)
        await SavedWordsCard(user.id).load_more()

        with ui.card().classes('w-full gap-2'):
            section_heading(_('Password') if user.has_password else _('Set a password'))
            current = (
                password_input(_('Current password'))
                .props('outlined autocomplete=current-password maxlength=1000')
                .classes('w-full')
            )
            current.set_visibility(user.has_password)
            new_password = (
                password_input(_('New password'))
                .props(f'outlined autocomplete=new-password maxlength={PASSWORD_MAX_LENGTH}')
                .classes('w-full')
            )
            confirm = (
                password_input(_('Confirm new password'))
                .props(f'outlined autocomplete=new-password maxlength={PASSWORD_MAX_LENGTH}')
                .classes('w-full')
            )
            password_fields = {'current': current, 'new': new_password, 'confirm': confirm}
            ui.button(_('Change password'), on_click=save_password).props('unelevated no-caps')

        with ui.card().classes('w-full gap-2'):
            section_heading(_('Sessions'))
            ui.label(
                _('Log out on every browser and device, this one too, and end every API token.')
            ).classes('text-body2 text-grey-8')
            # Not called "Log out …": the header's `Log out` must stay the only button by that name.
            ui.button(_('End all sessions'), on_click=log_out_everywhere).props(
                'outline no-caps color=negative'
            )
    return None


def my_language_card(user_id: int, native_language: str) -> None:
    """`My language`: the language feedback explanations, word meanings and translations are written in."""

    async def save(language: str) -> None:
        try:
            await accounts.set_native_language(user_id, language)
        except ServiceError as refused:
            ui.notify(str(refused), type='warning')
            return
        ui.notify(_('Language saved'), type='positive')

    with ui.card().classes('w-full gap-2'):
        ui.select(
            {code: language_name(code) for code in LANGUAGES},
            label=_('My language'),
            value=native_language,
            on_change=lambda event: save(event.value),
        ).props('outlined data-testid=profile-my-language').classes('w-full')
        ui.label(_('Explanations, word meanings and translations are written in this language.')).classes(
            'text-caption text-grey-7'
        )


def interface_language_card(user_id: int, ui_language: str | None) -> None:
    """`Interface language`: the language of the app's own texts (`Browser's language` follows Accept-Language).

    Separate from `My language` (whose name it must not contain: tests find that select by its label)."""

    async def save(choice: str) -> None:
        try:
            await accounts.set_ui_language(user_id, choice or None)
        except ServiceError as refused:
            ui.notify(str(refused), type='warning')
            return
        ui.navigate.reload()  # every text of the page, in the new language

    options = {BROWSER_LANGUAGE: _("Browser's language"), **LANGUAGE_NAMES}
    with ui.card().classes('w-full gap-2'):
        ui.select(
            options,
            label=_('Interface language'),
            value=ui_language if ui_language in options else BROWSER_LANGUAGE,
            on_change=lambda event: save(event.value),
        ).props('outlined data-testid=profile-interface-language').classes('w-full')
        ui.label(_('Menus, buttons and messages of SpeakRoom are shown in this language.')).classes(
            'text-caption text-grey-7'
        )
