"""`Confirm it is you`: the dialog before a change that hands out a lasting way into the account."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from i18n import _
from ui.focus import return_focus_to_opener
from ui.forms import focus_field, password_input, show_field_error
from ui.frame import error_text, show_error


async def confirm_identity(
    has_password: bool,
    providers: list[tuple[str, str]],
    check_password: Callable[[str], Awaitable[str | None]],
) -> bool:
    """True once the password was confirmed (`check_password` returns a problem or None).

    An account without a password confirms with a fresh round trip at one of its linked logins
    (`providers`: key and name); that leaves the page, which then shows the outcome.
    """
    with ui.context.client.layout, ui.dialog() as dialog, ui.card().classes('w-96'):
        ui.label(_('Confirm it is you')).classes('text-h6')
        if has_password:
            ui.label(_('Enter your password to continue.')).classes('text-body2 text-grey-8')
            password = (
                password_input(_('Your password'))
                .props('outlined autocomplete=current-password maxlength=1000 data-testid=reauth-password')
                .classes('w-full')
            )
            problem = error_text()

            async def submit() -> None:
                message = await check_password(password.value or '')
                show_error(problem, message)
                show_field_error(password, message, described_by=problem)
                if message is not None:
                    focus_field(password)
                else:
                    dialog.submit(True)

            password.on('keydown.enter', submit)
        else:
            ui.label(_('Log in again at a provider linked to this account, then repeat the change.')).classes(
                'text-body2 text-grey-8'
            )
            for key, name in providers:
                ui.button(
                    _('Confirm with {provider}', provider=name),
                    on_click=lambda key=key: ui.navigate.to(f'/auth/{key}/reauth'),
                ).classes('w-full').props(f'outline no-caps data-testid=reauth-{key}')
        with ui.row().classes('w-full justify-end'):
            ui.button(_('Cancel'), on_click=lambda: dialog.submit(False)).props('flat no-caps')
            if has_password:
                ui.button(_('Confirm'), on_click=submit).props('unelevated no-caps').mark('reauth-confirm')
    return_focus_to_opener(dialog)
    confirmed = bool(await dialog)
    if not dialog.is_deleted:
        dialog.delete()
    return confirmed
