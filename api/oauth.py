"""/auth/{provider}/login and /auth/{provider}/callback: the browser side of one-click login."""

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from nicegui import app

from services import oauth
from services.errors import AccountDisabled
from services.settings import get_settings

router = APIRouter(include_in_schema=False)


@router.get('/auth/{provider}/login')
async def login(provider: str, request: Request) -> Response:
    """Send the browser to the provider's consent page (404 for a provider that is not configured)."""
    if provider not in oauth.enabled_providers():
        raise HTTPException(status_code=404)
    return await oauth.start_login(provider, request, _callback_url(provider, request))


@router.get('/auth/{provider}/callback')
async def callback(provider: str, request: Request) -> RedirectResponse:
    """Finish the login: signed in and on to /rooms, or back to /login with a readable reason."""
    if provider not in oauth.enabled_providers():
        raise HTTPException(status_code=404)
    if request.query_params.get('error'):  # the learner refused consent (or the provider failed)
        return _back_to_login('denied', provider)
    try:
        user = await oauth.finish_login(provider, request)
    except AccountDisabled:
        return _back_to_login('disabled', provider)
    except oauth.OAuthFailed as failure:
        return _back_to_login(failure.code, provider)
    app.storage.user.clear()
    app.storage.user['user_id'] = user.id
    return RedirectResponse('/rooms', status_code=303)


def _callback_url(provider: str, request: Request) -> str:
    base = get_settings().public_base_url
    if base:  # behind a proxy the request's own URL is the internal one; providers need the public one
        return f'{base.rstrip("/")}/auth/{provider}/callback'
    return str(request.url_for('callback', provider=provider))


def _back_to_login(code: str, provider: str) -> RedirectResponse:
    # Only a code travels in the URL; the login page maps it to fixed text (no text injection).
    return RedirectResponse(
        '/login?' + urlencode({'oauth_error': code, 'provider': provider}), status_code=303
    )
