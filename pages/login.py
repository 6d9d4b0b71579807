"""/login: username (or email) and password."""

from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _
from pages.session import choose_visitor_language, log_in, page_session, safe_next
from services import accounts, oauth
from services.errors import InvalidCredentials, ServiceError
from ui.forms import focus_field, password_input, show_field_error
from ui.frame import error_text, page_heading, provider_buttons, public_frame, show_error


@ui.page('/login')
async def login_page(
    next: str | None = None, oauth_error: str | None = None, provider: str | None = None
) -> RedirectResponse | None:
    """The sign-in form; a signed-in visitor goes straight on."""
    destination = safe_next(next)
    if page_session().get('user_id'):
        return RedirectResponse(destination, status_code=303)

    async def try_login() -> None:
        show_error(error, None)
        for field in (username, password):
            show_field_error(field, None, described_by=error)
        submit.props('loading')
        try:
            # The address of the page's HTTP request (NiceGUI keeps it on the client; behind
            # TRUSTED_PROXIES uvicorn has put the forwarded client there), also inside this websocket event.
            user = await accounts.authenticate(
                username.value or '', password.value or '', client_address=ui.context.client.ip
            )
        except ServiceError as refused:
            show_error(error, str(refused))
            password.value = ''
            if isinstance(refused, InvalidCredentials):  # which of the two is wrong is not told
                for field in (username, password):
                    show_field_error(field, str(refused), described_by=error)
            focus_field(username)
            return
        finally:
            submit.props(remove='loading')
        log_in(user, destination)

    with public_frame(_('Log in'), on_language=choose_visitor_language):
        page_heading(_('Welcome back'))
        provider_buttons([(key, oauth.PROVIDER_NAMES[key]) for key in oauth.enabled_providers()])
        username = (
            ui.input(_('Username'), placeholder=_('username or email'))
            .props('outlined autofocus autocomplete=username maxlength=254 data-testid=login-username')
            .classes('w-full')
        )
        password = (
            password_input(_('Password'))
            .props('outlined autocomplete=current-password maxlength=1000 data-testid=login-password')
            .classes('w-full')
        )
        error = error_text(oauth.failure_text(oauth_error, provider))
        submit = ui.button(_('Log in'), on_click=try_login).classes('w-full').props('unelevated no-caps')
        username.on('keydown.enter', lambda: password.run_method('focus'))
        password.on('keydown.enter', try_login)
        with ui.row().classes('w-full justify-center gap-1 text-body2'):
            ui.label(_('New here?'))
            ui.link(_('Sign up'), '/signup' + (f'?next={quote(destination, safe="")}' if next else ''))
    return None
