"""/profile: nickname and bio, account facts, password change."""

from fastapi.responses import RedirectResponse
from nicegui import ui

from pages.profile_words import SavedWordsCard
from pages.session import current_user, to_login, user_frame
from services import accounts, oauth
from services.errors import InvalidInput, ServiceError
from services.rooms import LANGUAGES
from services.validation import BIO_MAX_LENGTH, NICKNAME_MAX_LENGTH, PASSWORD_MAX_LENGTH


@ui.page('/profile')
async def profile_page() -> RedirectResponse | None:
    """Edit how the learner appears and change the password."""
    user = await current_user()
    if user is None:
        return to_login('/profile')

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
            await accounts.change_password(
                user.id, current.value or '', new_password.value or '', confirm.value or ''
            )
        except InvalidInput as refused:
            for name, message in refused.field_errors.items():
                password_fields['new' if name == 'password' else name].error = message
            return
        for field in password_fields.values():
            field.value = ''
        ui.notify('Password changed', type='positive')

    with user_frame(user, 'Profile'):
        ui.label('Profile').classes('text-h5')
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

        await linked_logins_card(user.id)
        my_language_card(user.id, user.native_language)
        await SavedWordsCard(user.id).load_more()

        with ui.card().classes('w-full gap-2'):
            ui.label('Password' if user.has_password else 'Set a password').classes('text-h6')
            current = (
                ui.input('Current password', password=True, password_toggle_button=True)
                .props('outlined autocomplete=current-password maxlength=1000')
                .classes('w-full')
            )
            current.set_visibility(user.has_password)
            new_password = (
                ui.input('New password', password=True, password_toggle_button=True)
                .props(f'outlined autocomplete=new-password maxlength={PASSWORD_MAX_LENGTH}')
                .classes('w-full')
            )
            confirm = (
                ui.input('Confirm new password', password=True, password_toggle_button=True)
                .props(f'outlined autocomplete=new-password maxlength={PASSWORD_MAX_LENGTH}')
                .classes('w-full')
            )
            password_fields = {'current': current, 'new': new_password, 'confirm': confirm}
            ui.button('Change password', on_click=save_password).props('unelevated no-caps')
    return None


async def linked_logins_card(user_id: int) -> None:
    """GitHub/Kakao logins linked to this account, each with `Unlink` (refused when it is the only way in)."""

    @ui.refreshable
    async def rows() -> None:
        links = await oauth.linked_logins(user_id)
        if not links:
            ui.label('No linked logins. Use "Continue with …" on the login page to link one.').classes(
                'text-grey-7 text-body2'
            )
        for link in links:
            with (
                ui.row()
                .classes('w-full items-center justify-between no-wrap')
                .props(f'data-testid=link-{link.provider}')
            ):
                with ui.column().classes('gap-0'):
                    ui.label(f'{link.provider_name} · {link.login}').classes('text-body1')
                    ui.label(
                        f'{link.email or "no verified email"} · last used {link.last_login_at:%Y-%m-%d}'
                    ).classes('text-caption text-grey-7')
                ui.button('Unlink', on_click=lambda link_id=link.id: unlink(link_id)).props(
                    'flat no-caps color=negative'
                )

    async def unlink(link_id: int) -> None:
        try:
            await oauth.unlink(user_id, link_id)
        except ServiceError as refused:
            ui.notify(str(refused), type='warning')
            return
        ui.notify('Login unlinked')
        rows.refresh()

    with ui.card().classes('w-full gap-2'):
        ui.label('Linked logins').classes('text-h6')
        await rows()


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
