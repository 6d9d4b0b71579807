"""/signup: username, email, password and its confirmation."""

from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _
from pages.session import choose_visitor_language, log_in, page_session, safe_next, visitor_language
from services import accounts, oauth
from services.errors import InvalidInput, ServiceError
from services.validation import EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH
from ui.forms import field_list, password_input, show_field_errors
from ui.frame import error_text, page_heading, provider_buttons, public_frame, show_error


@ui.page('/signup')
async def signup_page(next: str | None = None) -> RedirectResponse | None:
    """The sign-up form; success signs the new account in."""
    destination = safe_next(next)
    if page_session().get('user_id'):
        return RedirectResponse(destination, status_code=303)

    async def try_signup() -> None:
        show_field_errors(fields, {})
        show_error(error, None)
        submit.props('loading')
        try:
            user = await accounts.register(
                username.value or '',
                email.value or '',
                password.value or '',
                confirm.value or '',
                client_address=ui.context.client.ip,  # the page request's address (see pages/login.py)
                ui_language=visitor_language(),  # the visitor's `Language` menu choice becomes the account's
            )
        except InvalidInput as refused:
            labels = show_field_errors(fields, refused.field_errors)
            show_error(
                error,
                _('Please correct: {fields}. Each field says what is wrong.', fields=field_list(labels)),
            )
            return
        except ServiceError as refused:  # too many sign-ups from this address: says how long to wait
            show_error(error, str(refused))
            return
        finally:
            submit.props(remove='loading')
        log_in(user, destination)

    with public_frame(_('Sign up'), on_language=choose_visitor_language):
        page_heading(_('Create your account'))
        provider_buttons([(key, oauth.PROVIDER_NAMES[key]) for key in oauth.enabled_providers()])
        username = (
            ui.input(_('Username'), placeholder=_('3-30 characters: a-z, 0-9, _'))
            .props('outlined autofocus autocomplete=username maxlength=30 data-testid=signup-username')
            .classes('w-full')
        )
        email = (
            ui.input(_('Email'))
            .props(
                f'outlined type=email autocomplete=email maxlength={EMAIL_MAX_LENGTH} data-testid=signup-email'
            )
            .classes('w-full')
        )
        password = (
            password_input(_('Password'))
            .props(
                f'outlined autocomplete=new-password maxlength={PASSWORD_MAX_LENGTH} data-testid=signup-password'
            )
            .classes('w-full')
        )
        confirm = (
            password_input(_('Confirm password'))
            .props(
                f'outlined autocomplete=new-password maxlength={PASSWORD_MAX_LENGTH} data-testid=signup-confirm'
            )
            .classes('w-full')
        )
        fields = {'username': username, 'email': email, 'password': password, 'confirm': confirm}
        error = error_text()
        submit = ui.button(_('Sign up'), on_click=try_signup).classes('w-full').props('unelevated no-caps')
        confirm.on('keydown.enter', try_signup)
        with ui.row().classes('w-full justify-center gap-1 text-body2'):
            ui.label(_('Already have an account?'))
            ui.link(_('Log in'), '/login' + (f'?next={quote(destination, safe="")}' if next else ''))
    return None
