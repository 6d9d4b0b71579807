"""/signup: username, email, password and its confirmation."""

from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import ui

from pages.session import log_in, page_session, safe_next
from services import accounts, oauth
from services.errors import InvalidInput, ServiceError
from services.validation import EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH
from ui.forms import password_input, show_field_errors
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
            )
        except InvalidInput as refused:
            labels = show_field_errors(fields, refused.field_errors)
            show_error(error, f'Please correct: {", ".join(labels)}. Each field says what is wrong.')
            return
        except ServiceError as refused:  # too many sign-ups from this address: says how long to wait
            show_error(error, str(refused))
            return
        finally:
            submit.props(remove='loading')
        log_in(user, destination)

    with public_frame('Sign up'):
        page_heading('Create your account')
        provider_buttons([(key, oauth.PROVIDER_NAMES[key]) for key in oauth.enabled_providers()])
        username = (
            ui.input('Username', placeholder='3-30 characters: a-z, 0-9, _')
            .props('outlined autofocus autocomplete=username maxlength=30 data-testid=signup-username')
            .classes('w-full')
        )
        email = (
            ui.input('Email')
            .props(
                f'outlined type=email autocomplete=email maxlength={EMAIL_MAX_LENGTH} data-testid=signup-email'
            )
            .classes('w-full')
        )
        password = (
            password_input('Password')
            .props(
                f'outlined autocomplete=new-password maxlength={PASSWORD_MAX_LENGTH} data-testid=signup-password'
            )
            .classes('w-full')
        )
        confirm = (
            password_input('Confirm password')
            .props(
                f'outlined autocomplete=new-password maxlength={PASSWORD_MAX_LENGTH} data-testid=signup-confirm'
            )
            .classes('w-full')
        )
        fields = {'username': username, 'email': email, 'password': password, 'confirm': confirm}
        error = error_text()
        submit = ui.button('Sign up', on_click=try_signup).classes('w-full').props('unelevated no-caps')
        confirm.on('keydown.enter', try_signup)
        with ui.row().classes('w-full justify-center gap-1 text-body2'):
            ui.label('Already have an account?')
            ui.link('Log in', '/login' + (f'?next={quote(destination, safe="")}' if next else ''))
    return None
