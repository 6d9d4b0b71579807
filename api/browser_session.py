"""/auth/session: the HTTP hop that gives the browser a new session id at every log-in and log-out.

NiceGUI keys its server-side user storage by an id in the signed `session` cookie and never changes it.
A page cannot set cookies from a websocket event, so it stores a single-use ticket in the current
session and sends the browser here; this route ends the old id (its storage is emptied), issues a new
one with a cookie, starts the new session there and redirects on.
"""

import uuid
from collections.abc import MutableMapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from nicegui import app

from i18n import SUPPORTED_LANGUAGES
from services import accounts, sessions
from services.accounts import UserInfo
from services.errors import UserNotFound

router = APIRouter(include_in_schema=False)


@router.get('/auth/session')
async def switch_session(request: Request, ticket: str = '') -> RedirectResponse:
    """Redeem this browser's log-in/log-out ticket: a new session id, then on to the ticket's page."""
    redeemed = sessions.redeem_ticket(app.storage.user, ticket)
    if redeemed is None:  # replayed, expired, forged, or from another browser: nothing changes
        return RedirectResponse('/login', status_code=303)
    try:
        user = None if redeemed.user_id is None else await accounts.get_user(redeemed.user_id)
    except UserNotFound:
        user = None
    if user is None or not user.is_active:
        await renew_session(request)
        return RedirectResponse('/login', status_code=303)
    await start_session(request, user, reauthenticated=redeemed.reauthenticated)
    return RedirectResponse(redeemed.next_path, status_code=303)


async def start_session(request: Request, user: UserInfo, *, reauthenticated: bool) -> None:
    """Sign `user` in under a brand-new session id (called from an HTTP route, which sets the cookie)."""
    (await renew_session(request)).update(sessions.new_session(user, reauthenticated=reauthenticated))


async def renew_session(request: Request) -> MutableMapping[str, Any]:
    """End this browser's session id (its storage is emptied) and give it a new one, which keeps only the
    visitor's `Language` menu choice (a browser preference, no secret: the log-in page was shown in it)."""
    language = app.storage.user.get(sessions.VISITOR_LANGUAGE_KEY)
    app.storage.user.clear()
    new_id = str(uuid.uuid4())
    request.session['id'] = new_id  # the session middleware sends the new signed cookie with the response
    # NiceGUI creates user storage only when a request arrives with an unknown id; this request's new id
    # needs it now. The one private call of this module.
    await app.storage._create_user_storage(new_id)
    if language in SUPPORTED_LANGUAGES:
        app.storage.user[sessions.VISITOR_LANGUAGE_KEY] = language
    return app.storage.user
