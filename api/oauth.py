"""/auth/{provider}/…: the browser side of one-click login, linking a login and confirming identity.

`login` signs in (a known login) or creates an account; `link` (from the profile) adds the provider
login to the signed-in account; `reauth` proves with a fresh round trip that the session holder
controls a login linked to the account. What a round trip is for is kept in the session's server-side
storage together with the OAuth `state` it was started with, never in a URL anyone could forge.
"""

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from nicegui import app

from api.browser_session import start_session
from services import accounts, oauth, sessions
from services.errors import AccountDisabled, ReauthenticationRequired
from services.settings import get_settings

router = APIRouter(include_in_schema=False)
INTENT_KEY = 'oauth_intent'


@router.get('/auth/{provider}/login')
async def login(provider: str, request: Request) -> Response:
    """Send the browser to the provider's consent page (404 for a provider that is not configured)."""
    _require_enabled(provider)
    app.storage.user.pop(INTENT_KEY, None)
    return await oauth.start_login(provider, request, _callback_url(provider, request))


@router.get('/auth/{provider}/link')
async def link(provider: str, request: Request) -> Response:
    """Start linking the provider login to the signed-in account (needs a recent authentication)."""
    return await _start_for_account(provider, request, 'link')


@router.get('/auth/{provider}/reauth')
async def reauth(provider: str, request: Request) -> Response:
    """Start a round trip that confirms the signed-in learner controls a login linked to the account."""
    return await _start_for_account(provider, request, 'reauth')


@router.get('/auth/{provider}/callback')
async def callback(provider: str, request: Request) -> RedirectResponse:
    """Finish the round trip: signed in, linked or confirmed, or back with a readable reason."""
    _require_enabled(provider)
    intent: dict[str, Any] | None = app.storage.user.pop(INTENT_KEY, None)
    if intent is not None:
        return await _finish_for_account(provider, request, intent)
    if request.query_params.get('error'):  # the learner refused consent (or the provider failed)
        return _back('/login', 'denied', provider)
    try:
        user = await oauth.finish_login(provider, request)
    except AccountDisabled:
        return _back('/login', 'disabled', provider)
    except oauth.OAuthFailed as failure:
        return _back('/login', failure.code, provider)
    await start_session(request, user, reauthenticated=True)  # a new session id (no fixation)
    return RedirectResponse('/rooms', status_code=303)


async def _start_for_account(provider: str, request: Request, action: str) -> Response:
    _require_enabled(provider)
    user = await sessions.signed_in_user(app.storage.user)
    if user is None:
        return RedirectResponse('/login?next=%2Fprofile', status_code=303)
    if action == 'link':
        try:
            accounts.require_recent(sessions.reauthenticated_at(app.storage.user))
        except ReauthenticationRequired:
            return _back('/profile', 'reauth', provider)
    response = await oauth.start_login(provider, request, _callback_url(provider, request))
    state = parse_qs(urlsplit(response.headers['location']).query).get('state', [''])[0]
    app.storage.user[INTENT_KEY] = {
        'action': action,
        'provider': provider,
        'user_id': user.id,
        'state': state,
    }
    return response


async def _finish_for_account(provider: str, request: Request, intent: dict[str, Any]) -> RedirectResponse:
    """A link or confirmation: only for the account and the round trip that started it, in this session."""
    user = await sessions.signed_in_user(app.storage.user)
    if (
        user is None
        or intent.get('user_id') != user.id
        or intent.get('provider') != provider
        or not intent.get('state')
        or intent.get('state') != request.query_params.get('state')
    ):
        return _back('/profile' if user else '/login', 'state', provider)
    if request.query_params.get('error'):
        return _back('/profile', 'denied', provider)
    try:
        if intent.get('action') == 'link':
            await oauth.finish_link(provider, request, user.id)
        else:
            await oauth.confirm_identity(provider, request, user.id)
    except oauth.OAuthFailed as failure:
        return _back('/profile', failure.code, provider)
    sessions.mark_reauthenticated(app.storage.user)  # a round trip at a login of this account just now
    done = 'linked' if intent.get('action') == 'link' else 'confirmed'
    return RedirectResponse(
        '/profile?' + urlencode({'oauth_done': done, 'provider': provider}), status_code=303
    )


def _require_enabled(provider: str) -> None:
    if provider not in oauth.enabled_providers():
        raise HTTPException(status_code=404)


def _callback_url(provider: str, request: Request) -> str:
    base = get_settings().public_base_url
    if base:  # behind a proxy the request's own URL is the internal one; providers need the public one
        return f'{base.rstrip("/")}/auth/{provider}/callback'
    return str(request.url_for('callback', provider=provider))


def _back(page: str, code: str, provider: str) -> RedirectResponse:
    # Only a code travels in the URL; the page maps it to fixed text (no text injection).
    return RedirectResponse(
        f'{page}?' + urlencode({'oauth_error': code, 'provider': provider}), status_code=303
    )
