"""/profile: nickname and bio, account facts, linked logins, password change, log out everywhere."""

from fastapi.responses import RedirectResponse
from nicegui import ui

from pages.profile_logins import LinkedLoginsCard, Reauthentication
from pages.profile_words import SavedWordsCard
from pages.session import current_user, log_out, page_session, to_login, user_frame
from services import accounts, oauth, sessions
from services.errors import InvalidInput, ReauthenticationRequired, ServiceError
from services.rooms import LANGUAGES
from services.validation import BIO_MAX_LENGTH, NICKNAME_MAX_LENGTH, PASSWORD_MAX_LENGTH
from ui.forms import password_input
from ui.frame import error_text, page_heading, section_heading

DONE_TEXT = {'linked': '{name} is now linked to your account.', 'confirmed': 'Thanks, confirmed. Go ahead.'}


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
        nickname.error = bio.error = None
        try:
            updated = await accounts.update_profile(user.id, nickname.value or '', bio.value or '')
        except InvalidInput as refused:
            nickname.error = refused.field_errors.get('nickname')
            bio.error = refused.field_errors.get('bio')
            return
        display_name.set_text(updated.display_name)
        ui.notify('Profile saved', type='positive')

    async def save_password() -> None:
        for field in password_fields.values():
            field.error = None
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
            for name, message in refused.field_errors.items():
                password_fields['new' if name == 'password' else name].error = message
            return
        # Every other session has ended; this browser carries on in the new generation.
        sessions.keep_session(page_session(), generation)
        for field in password_fields.values():
            field.value = ''
        reauthentication.has_password = True
        current.set_visibility(True)
        ui.notify('Password changed', type='positive')

    async def log_out_everywhere() -> None:
        await sessions.log_out_everywhere(user.id)
        log_out()

    with user_frame(user, 'Profile'):
        page_heading('Profile')
        error_text(oauth.failure_text(oauth_error, provider))
        if oauth_done in DONE_TEXT:
            name = oauth.PROVIDER_NAMES.get(provider or '', 'The login')
            ui.label(DONE_TEXT[oauth_done].format(name=name)).classes('text-positive text-body2')
        with ui.card().classes('w-full gap-2'):
            with ui.row().classes('items-center gap-3'):
                ui.icon('account_circle', size='xl').classes('text-primary')
                with ui.column().classes('gap-0'):
                    display_name = ui.label(user.display_name).classes('text-h6')
                    ui.label(f'@{user.username} · {user.email}').classes('text-grey-7')
                    ui.label(f'Member since {user.created_at:%Y-%m-%d}').classes('text-grey-7 text-caption')
            nickname = (
                ui.input('Nickname', value=user.nickname, placeholder='How your partner calls you')
                .props(f'outlined maxlength={NICKNAME_MAX_LENGTH} counter data-testid=profile-nickname')
                .classes('w-full')
            )
            bio = (
                ui.textarea('Short bio', value=user.bio, placeholder='Goals, interests, level…')
                .props(f'outlined maxlength={BIO_MAX_LENGTH} counter autogrow data-testid=profile-bio')
                .classes('w-full')
            )
            ui.button('Save profile', on_click=save_profile).props('unelevated no-caps')

        await LinkedLoginsCard(user.id, reauthentication).build()
        my_language_card(user.id, user.native_language)
        await SavedWordsCard(user.id).load_more()

        with ui.card().classes('w-full gap-2'):
            section_heading('Password' if user.has_password else 'Set a password')
            current = (
                password_input('Current password')
                .props('outlined autocomplete=current-password maxlength=1000')
                .classes('w-full')
            )
            current.set_visibility(user.has_password)
            new_password = (
                password_input('New password')
                .props(f'outlined autocomplete=new-password maxlength={PASSWORD_MAX_LENGTH}')
                .classes('w-full')
            )
            confirm = (
                password_input('Confirm new password')
                .props(f'outlined autocomplete=new-password maxlength={PASSWORD_MAX_LENGTH}')
                .classes('w-full')
            )
            password_fields = {'current': current, 'new': new_password, 'confirm': confirm}
            ui.button('Change password', on_click=save_password).props('unelevated no-caps')

        with ui.card().classes('w-full gap-2'):
            section_heading('Sessions')
            ui.label('Log out on every browser and device, this one too, and end every API token.').classes(
                'text-body2 text-grey-8'
            )
            # Not called "Log out …": the header's `Log out` must stay the only button by that name.
            ui.button('End all sessions', on_click=log_out_everywhere).props('outline no-caps color=negative')
    return None


def my_language_card(user_id: int, native_language: str) -> None:
    """`My language`: the language feedback explanations, word meanings and translations are written in."""

    async def save(language: str) -> None:
        try:
            await accounts.set_native_language(user_id, language)
        except ServiceError as refused:
            ui.notify(str(refused), type='warning')
            return
        ui.notify('Language saved', type='positive')

    with ui.card().classes('w-full gap-2'):
        ui.select(
            dict(LANGUAGES),
            label='My language',
            value=native_language,
            on_change=lambda event: save(event.value),
        ).props('outlined data-testid=profile-my-language').classes('w-full')
        ui.label('Explanations, word meanings and translations are written in this language.').classes(
            'text-caption text-grey-7'
        )
